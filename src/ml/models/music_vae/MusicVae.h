// MusicVae: the MusicVAE / GrooVAE network of Magenta and Magenta.js (docs/design/musicvae.md).
//   encoder: one bidirectional LSTM (flat), or two levels where level 0 runs over each bar-group
//            segment and level 1 over the segment summaries (hierarchical) -> mu, sigma (softplus)
//   decoder: z -> tanh dense -> LSTM initial state; per step the input is concat(previous
//            output, z) and the output projection feeds a head: categorical (melody, drums
//            512-way, trio parts) or groove (9 hits, 9 velocities, 9 offsets).
//            Hierarchical models put a conductor LSTM in front: one conductor step per segment
//            (zero input), whose top h takes z's place for the core decoder(s) of that segment.
//            Trio has three core decoders (melody, bass, drums) fed the same z / embedding.
// Variables keep Magenta.js's names, so official checkpoints load unchanged. Inference is
// single-threaded per instance (the generation worker); training uses the differentiable path.
// [worker]
#pragma once

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "ml/ModelSpec.h"
#include "ml/generation/Rng.h"
#include "ml/layers/Dense.h"
#include "ml/layers/LstmStack.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

/// What the decoder's output projection means (Magenta.js picks it from the data converter).
enum class VaeHead {
    Categorical,  ///< softmax classes per core decoder (melody 90, drums 512, trio parts)
    Groove,       ///< [hits 9 | velocities 9 | offsets 9]: sigmoid, sigmoid, tanh
};

struct MusicVaeArchitecture {
    VaeHead head = VaeHead::Categorical;
    int64_t inputDepth = 0;               ///< encoder input width per step
    int64_t latentSize = 0;               ///< Z
    std::vector<int64_t> encoderSizes;    ///< [E] flat, [E0, E1] hierarchical (per direction)
    std::vector<int64_t> conductorSizes;  ///< empty: no conductor (flat decoder)
    std::vector<int64_t> decoderSizes;    ///< LSTM layers of each core decoder
    std::vector<int64_t> outputDepths;    ///< one per core decoder (trio: 3)
    int64_t numSegments = 0;              ///< hierarchical: conductor steps (and encoder chunks)

    int64_t outputDepth() const;  ///< sum of outputDepths
    bool hierarchicalEncoder() const { return encoderSizes.size() == 2; }
    core::JsonValue toJson() const;
    static core::Result<MusicVaeArchitecture> fromJson(const core::JsonValue& json,
                                                       const std::string& where);
};

/// Optional steering of MusicVae::decode.
struct VaeDecodeControls {
    /// [batch, outputDepth]: the decoder's first "previous output" (zeros when undefined);
    /// chained decoding passes the last chunk's final step.
    torch::Tensor initialInput;
    /// [outputDepth], categorical heads: added to every step's output projection before the
    /// head; a large negative entry forbids that class (key lock).
    torch::Tensor logitBias;
    /// [batch, numSteps, drums], groove heads: these hits instead of the model's, with the
    /// model's timing and dynamics for them. The velocity of a forced hit is the model's
    /// velocity given a hit, sigmoid(v) / sigmoid(h): trained against 0 where no hit was
    /// played, sigmoid(v) alone is the expected velocity times the chance of a hit.
    torch::Tensor forcedHits;
};

/// q(z|x): mean and standard deviation, [batch, Z] each. sigma is undefined for checkpoints
/// without `encoder/sigma` (Magenta.js never reads it, so some exports drop it).
struct VaePosterior {
    torch::Tensor mu;
    torch::Tensor sigma;
};

class MusicVae {
public:
    /// Builds the network from `weights`, discovering the layout from the variable names
    /// (flat or hierarchical encoder, conductor, one or three core decoders). `head` comes
    /// from the data converter; numSegments must be given for hierarchical checkpoints.
    static core::Result<std::unique_ptr<MusicVae>> fromWeights(const WeightStore& weights,
                                                               VaeHead head,
                                                               int64_t numSegments = 0);

    /// Reads the weights of a music_vae model folder (Magenta.js checkpoint or Toccata
    /// model.json) and builds the network; the head and segments come from spec.codec.
    static core::Result<std::unique_ptr<MusicVae>> load(const ModelSpec& spec);

    /// A new, untrained network: Glorot-uniform LSTM and projection kernels, zero biases, and
    /// N(0, 0.001) for mu, sigma and the state-from-z layers (as Magenta initialises them).
    static core::Result<std::unique_ptr<MusicVae>> initialize(const MusicVaeArchitecture& arch,
                                                              uint64_t seed);

    const MusicVaeArchitecture& architecture() const { return m_arch; }
    int64_t inputDepth() const { return m_arch.inputDepth; }
    int64_t outputDepth() const { return m_arch.outputDepth(); }
    int64_t latentSize() const { return m_arch.latentSize; }
    bool hasSigma() const { return m_sigma.has_value(); }

    /// x [batch, time, inputDepth] -> mu (and sigma). Differentiable. Hierarchical encoders
    /// need time divisible by numSegments. keepProb < 1 (training): dropout on the BiLSTM's
    /// inputs, as Magenta's DropoutWrapper(input_keep_prob) on the encoder cells.
    core::Result<VaePosterior> encode(const torch::Tensor& inputs, double keepProb = 1.0) const;

    /// Inference: z [batch, Z] -> decoder outputs [batch, numSteps, outputDepth] (one-hots for
    /// categorical heads; hits/velocities/offsets for groove). temperature <= 0: argmax (hits:
    /// sigmoid > 0.5); otherwise sampled from `rng` (softmax(o/T), or Bernoulli(sigmoid(o/T))).
    /// Hierarchical models need numSteps divisible by numSegments.
    /// `controls` steer it (all optional).
    core::Result<torch::Tensor> decode(const torch::Tensor& z, int64_t numSteps, double temperature,
                                       Rng& rng, const VaeDecodeControls& controls) const;
    core::Result<torch::Tensor> decode(const torch::Tensor& z, int64_t numSteps, double temperature,
                                       Rng& rng) const;

    /// Training (teacher forcing): the raw output projections [batch, time, outputDepth] for
    /// z [batch, Z] and the targets [batch, time, outputDepth] the decoder is fed (shifted
    /// right by one step, zero first). keepProb < 1: dropout on the decoder's input and on
    /// each LSTM layer's output (Magenta drops every cell's input).
    /// samplingProbability > 0 (scheduled sampling, flat decoders): each step's input is, per
    /// example with that probability, the model's own sample of the previous step (T = 1,
    /// no gradient through it) instead of the target; it runs step by step.
    core::Result<torch::Tensor> decoderLogits(const torch::Tensor& z, const torch::Tensor& targets,
                                              double keepProb = 1.0,
                                              double samplingProbability = 0.0) const;

    /// Every weight under its Magenta.js name (the tensors themselves). repack() after edits.
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors() const;
    void repack();

private:
    struct BiLstm {
        TfLstmCell fw, bw;
        int64_t outputSize() const { return fw.hiddenSize() + bw.hiddenSize(); }
    };
    struct CoreDecoder {
        std::string prefix;  ///< e.g. "decoder/", "core_decoder/core_decoder_1/decoder/"
        LstmStack stack;
        Dense initialState;  ///< z (or conductor h) -> [c0, h0, c1, h1, ...]
        Dense output;
    };

    MusicVae() = default;
    /// concat(h_fw after the last step, h_bw after the first step): [batch, 2E].
    static torch::Tensor runBiLstm(const BiLstm& rnn, const torch::Tensor& inputs,
                                   double keepProb = 1.0);
    static std::vector<LstmState> stateFrom(const Dense& layer, const LstmStack& stack,
                                            const torch::Tensor& embedding, bool inference);
    /// Flat decoding of `steps` steps of every core decoder from `embedding`.
    void decodeSegment(const torch::Tensor& embedding, int64_t steps, double temperature, Rng& rng,
                       const std::vector<torch::Tensor>& biases, const torch::Tensor& forcedHits,
                       std::vector<torch::Tensor>& previous,
                       std::vector<torch::Tensor>& outputs) const;
    /// forced [batch, drums] (groove, optional): the hits to play.
    torch::Tensor applyHead(const torch::Tensor& projection, double temperature, Rng& rng,
                            const torch::Tensor& forced = {}) const;
    /// Teacher-forced logits of every core decoder, concatenated: embedding [n, E'],
    /// targets [n, time, outputDepth] (already shifted).
    torch::Tensor teacherForced(const torch::Tensor& embedding, const torch::Tensor& shifted,
                                double keepProb) const;
    /// Step-by-step decoding fed targets or (with `probability`) the model's own samples.
    torch::Tensor scheduledSampling(const torch::Tensor& z, const torch::Tensor& targets,
                                    double keepProb, double probability) const;
    /// A sample of one step's output for every row of `projection` (T = 1), detached.
    torch::Tensor sampleOutput(const torch::Tensor& projection, int64_t decoder) const;

    MusicVaeArchitecture m_arch;
    std::vector<BiLstm> m_encoder;  // 1 (flat) or 2 (hierarchical) levels
    Dense m_mu;
    std::optional<Dense> m_sigma;
    std::optional<LstmStack> m_conductor;
    Dense m_conductorInitialState;
    std::vector<CoreDecoder> m_decoders;
};

}  // namespace toccata::ml
