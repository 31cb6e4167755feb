// MusicRnn: the MusicRNN network of Magenta / Magenta.js (basic_rnn, mono_rnn, lookback_rnn,
// attention_rnn, drum_kit_rnn, one_drum, chord_pitches_improv): an LSTM stack, optionally inside
// the attention wrapper, and a dense layer to logits. Variables use Magenta.js's names
// (`rnn/multi_rnn_cell/cell_<l>/basic_lstm_cell/{kernel,bias}`, `fully_connected/{weights,
// biases}`, `rnn/attention_cell_wrapper/...`), so official checkpoints load unchanged. The
// step input is whatever the codec builds (Magenta.js: concat([chord control of the next step],
// event one-hot, [aux inputs])); this class only checks its width.
// A loaded MusicRnn is used from one thread at a time (the generation worker). [worker]
#pragma once

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "ml/ModelSpec.h"
#include "ml/layers/AttentionCellWrapper.h"
#include "ml/layers/Dense.h"
#include "ml/layers/LstmStack.h"
#include "ml/models/StepModel.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

class MusicRnn final : public StepModel {
public:
    /// Builds the network from `weights`. Fields of `expected` that are set (non-empty layer
    /// sizes, non-zero depths) must match the weights; attentionLength and attentionQueryBias
    /// are taken from it (attention variables present <=> attentionLength > 0).
    static core::Result<std::unique_ptr<MusicRnn>> fromWeights(
        const WeightStore& weights, const MusicRnnArchitecture& expected);

    /// Reads the weights of a music_rnn model folder and builds the network.
    static core::Result<std::unique_ptr<MusicRnn>> load(const ModelSpec& spec);

    /// A new, untrained network of shape `arch` (layerSizes, inputDepth, numClasses and
    /// attentionLength must be set): TF's defaults, Glorot-uniform kernels and zero biases,
    /// drawn from a generator seeded with `seed`. Variables are Magenta.js's.
    static core::Result<std::unique_ptr<MusicRnn>> initialize(const MusicRnnArchitecture& arch,
                                                              uint64_t seed);

    int64_t inputDepth() const override { return m_inputDepth; }
    int64_t numClasses() const override { return m_dense.outputSize(); }
    const MusicRnnArchitecture& architecture() const { return m_arch; }
    bool hasAttention() const { return m_attention.has_value(); }

    /// State tensors: c0, h0, c1, h1, ... then, with attention, attns [B, A], the attention
    /// window [B, attnLength, A] and its projection through attn_w [B, attnLength, A].
    StepState initialState(int64_t batch) const override;
    core::Result<torch::Tensor> step(const torch::Tensor& inputs, StepState& state) override;

    /// Training mode: inputs [batch, time, inputDepth] from a zero state -> logits
    /// [batch, time, numClasses], differentiable with respect to the weight tensors.
    /// keepProb < 1: dropout on every LSTM layer's output, as Magenta trains.
    core::Result<torch::Tensor> forwardSequence(const torch::Tensor& inputs,
                                                double keepProb = 1.0) const;

    /// Every weight under its Magenta.js name (the tensors themselves, not copies): for
    /// export with writeTfjsWeights and for optimisers. Call repack() after changing them.
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors() const;
    void repack();

private:
    MusicRnn() = default;
    const LstmStack& stack() const { return m_attention ? m_attention->stack() : *m_stack; }

    MusicRnnArchitecture m_arch;
    int64_t m_inputDepth = 0;
    std::optional<LstmStack> m_stack;                 // without attention
    std::optional<AttentionCellWrapper> m_attention;  // with attention
    Dense m_dense;
};

}  // namespace toccata::ml
