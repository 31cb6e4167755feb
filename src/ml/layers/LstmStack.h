// LstmStack: TF's MultiRNNCell of TfLstmCells — layer l's new h is layer l+1's input.
// Magenta names the cells `<scope>multi_rnn_cell/cell_<l>/basic_lstm_cell/` (MusicRNN) or
// `.../lstm_cell/` (MusicVAE, Piano Genie). Step mode and a batched full-sequence mode. [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/layers/TfLstmCell.h"

namespace toccata::ml {

class LstmStack {
public:
    LstmStack() = default;
    explicit LstmStack(std::vector<TfLstmCell> cells) : m_cells(std::move(cells)) {}

    /// Reads cells `<prefix>cell_0/<cellScope>`, `cell_1`, ... until one is missing (at least
    /// one must exist); layer 0 must take `inputSize` inputs (< 0: any), each next layer the
    /// previous layer's hidden size. cellScope is e.g. "basic_lstm_cell/".
    static core::Result<LstmStack> fromWeights(const WeightStore& weights,
                                               const std::string& prefix,
                                               const std::string& cellScope, int64_t inputSize);

    const std::vector<TfLstmCell>& cells() const { return m_cells; }
    std::vector<TfLstmCell>& cells() { return m_cells; }
    size_t numLayers() const { return m_cells.size(); }
    int64_t inputSize() const { return m_cells.front().inputSize(); }
    int64_t outputSize() const { return m_cells.back().hiddenSize(); }
    /// Sum of the hidden sizes (the width of the flattened [c0, h0, c1, h1, ...] state is 2x).
    int64_t totalHidden() const;

    std::vector<LstmState> zeroState(int64_t batch) const;

    /// One differentiable step through every layer; `state` is replaced. Returns the last h.
    /// keepProb < 1 is training-time dropout on each layer's output (TF's DropoutWrapper
    /// with output_keep_prob, as Magenta wraps every cell): the next layer and the caller see
    /// the dropped output, the recurrent state keeps the full one.
    torch::Tensor forward(const torch::Tensor& x, std::vector<LstmState>& state,
                          double keepProb = 1.0) const;
    /// The same through the inference fast path (TfLstmCell::step).
    torch::Tensor step(const torch::Tensor& x, std::vector<LstmState>& state) const;

    /// Full sequence, differentiable: inputs [batch, time, in] -> last-layer h [batch, time, H].
    /// Runs layer by layer, so each layer's input projection is one large matrix product over
    /// all time steps (the same maths as stepping; much faster to train). keepProb: as forward.
    torch::Tensor forwardSequence(const torch::Tensor& inputs, std::vector<LstmState>& state,
                                  double keepProb = 1.0) const;

    void repack();

private:
    std::vector<TfLstmCell> m_cells;
};

}  // namespace toccata::ml
