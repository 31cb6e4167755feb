// Piano Genie: 8 buttons -> 88 piano keys. The decoder is an autoregressive LSTM that, at each
// button press, predicts which of the 88 keys the player "meant" from the previous key, the
// time since the last press and the button (Donahue et al. 2019). Two weight layouts run:
//  - Tutorial (chrisdonahue/music-cocreation-tutorial; also what Toccata trains and ships):
//    PyTorch names `dec.input.*`, `dec.lstm.*_l{k}`, `dec.output.*`; input
//    [onehot(lastKey, 89; SOS = 88), dt seconds clipped to [0, 1], button real 2b/7-1];
//    PyTorch LSTM gates i, f, g, o, two biases, no forget bias. Optional encoder `enc.*`
//    (bidirectional LSTM -> one real per note) for training and evaluation.
//  - MagentaJs (official checkpoints, `phero_model/decoder/...`): TF LSTMBlockCell (i, j, f, o,
//    forget bias +1); input [button real, onehot(lastKey + 1, 89; SOS = 0),
//    onehot(min(round(dt * 31.25), 32), 33)].
// Keys are 0..87 (MIDI pitch = key + 21). [any] for the const network; a PianoGenieSession is
// used by one thread at a time.
#pragma once

#include <torch/torch.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/ModelSpec.h"
#include "ml/generation/Rng.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

inline constexpr int kPianoGenieKeys = 88;
inline constexpr int kPianoGenieLowestPitch = 21;  ///< key 0 = A0
inline constexpr int kPianoGenieButtons = 8;

enum class PianoGenieLayout { Tutorial, MagentaJs };

/// The integer quantizer of the tutorial (8 buttons): real in [-1, 1] <-> button 0..7.
int pianoGenieButtonOf(double real);      ///< round(clamp((x+1)/2, 0, 1) * 7), half to even
double pianoGenieButtonReal(int button);  ///< 2b/7 - 1
/// The official layout's time bin of a delta time: int(min(round(float32(dt * 31.25)), 32)),
/// rounding half to even in float32 as tf.round; negative dt -> bin 0.
int pianoGenieDeltaTimeBin(double seconds);
/// The dt a press sees after a reset (the demo's "long ago"): clipped to 1 s by the tutorial
/// layout, bin 32 in the official one.
inline constexpr double kPianoGenieFirstDeltaSeconds = 100000.0;

/// The decoder (and, for the tutorial layout, the encoder when its weights are present).
class PianoGenieNetwork {
public:
    /// Reads the layout the names show (`dec.input.weight` or `phero_model/decoder/...`);
    /// errors name the source and the missing or mis-shaped variable.
    static core::Result<std::unique_ptr<PianoGenieNetwork>> fromWeights(const WeightStore& w);
    /// A fresh tutorial-layout network (decoder + encoder) with PyTorch's default init from
    /// `seed`, for training. rnnSize 128 and 2 layers in the tutorial.
    static std::unique_ptr<PianoGenieNetwork> create(int64_t rnnSize, int64_t layers,
                                                     uint64_t seed);

    PianoGenieLayout layout() const;
    int64_t rnnSize() const;
    int64_t numLayers() const;
    bool hasEncoder() const;

    /// Recurrent state of the decoder: per layer (c, h), each [batch, rnnSize].
    struct State {
        std::vector<torch::Tensor> c, h;
    };
    State zeroState(int64_t batch) const;

    /// One inference step (no autograd) for a batch of 1: the 88 logits [88] for pressing
    /// `button` `deltaSeconds` after the previous press, whose key was `lastKey` (-1 = none,
    /// i.e. the start token). `state` is advanced.
    torch::Tensor stepLogits(int button, double deltaSeconds, int lastKey, State& state) const;

    /// Training / evaluation, differentiable: previous keys [B, T] (int64, 88 = SOS), delta
    /// times [B, T] (seconds; the tutorial layout clips them to [0, 1], the official one bins
    /// them) and button reals [B, T] -> logits [B, T, 88]. Whole sequences layer by layer.
    torch::Tensor decodeSequence(const torch::Tensor& previousKeys, const torch::Tensor& deltas,
                                 const torch::Tensor& buttonReals) const;
    /// Encoder (tutorial layout with enc.*): keys [B, T] (0..87) and deltas [B, T] -> the
    /// real per note [B, T] (before quantization). Fails when there is no encoder.
    core::Result<torch::Tensor> encode(const torch::Tensor& keys,
                                       const torch::Tensor& deltas) const;

    /// Every tensor under its checkpoint name (PyTorch names for the tutorial layout), shared
    /// with the network so a trainer updating them in place trains it (then call repack()).
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors() const;
    void repack();

    ~PianoGenieNetwork();
    PianoGenieNetwork(const PianoGenieNetwork&) = delete;
    PianoGenieNetwork& operator=(const PianoGenieNetwork&) = delete;

private:
    PianoGenieNetwork();
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// A Piano Genie model folder: Toccata's model.json (family "piano_genie"), the tutorial's
/// TF.js export (weights_manifest.json with `dec.*` names, cfg.json), or an official
/// Magenta.js Piano Genie checkpoint (weights_manifest.json with `phero_model/...` names;
/// Magenta.js has no config.json for it).
class PianoGenieModel {
public:
    static core::Result<std::shared_ptr<const PianoGenieModel>> load(const std::string& folder);
    PianoGenieModel(ModelSpec spec, std::unique_ptr<PianoGenieNetwork> network);

    const ModelSpec& spec() const { return m_spec; }
    const PianoGenieNetwork& network() const { return *m_network; }

private:
    ModelSpec m_spec;
    std::unique_ptr<PianoGenieNetwork> m_network;
};

/// How a press picks its key.
struct PianoGenieSampling {
    double temperature = 0.25;  ///< 0 = argmax (the demo's default is 0.25); at most 2
    /// Keys that may sound (the key/scale and range restriction); empty = all 88. A key list
    /// with no allowed key is an error at press time.
    std::vector<bool> allowedKeys;
    /// For parity tests only: the uniform r in [0, 1) to sample with instead of the session's
    /// Rng (Magenta.js draws r = alea(seed)() afresh on every seeded call).
    std::optional<double> fixedUniform;
};

/// Picks a key from 88 logits as Magenta.js's sampleLogits / nextFromKeyList: temperature 0 =
/// argmax (first maximum); otherwise logits / T, softmax and the first k with r < cdf[k]
/// (float32, as tfjs's CPU kernels; the last allowed key when none). T in (1, 2] divides as
/// well (Magenta.js stops at 1). Errors: temperature out of [0, 2], allowedKeys neither empty
/// nor 88 long, no allowed key. [any]
core::Result<int> pianoGenieSample(const torch::Tensor& logits, const PianoGenieSampling& sampling,
                                   Rng& rng);

/// The live instrument's state: the decoder's memory, the last key and the last press time.
/// One thread at a time (the UI thread, or the CLI).
class PianoGenieSession {
public:
    explicit PianoGenieSession(std::shared_ptr<const PianoGenieModel> model, uint64_t seed = 0);

    /// Forgets everything: the next press starts from the start token with the largest dt.
    void reset();
    /// Presses `button` (0..7) at `timeSeconds` (any monotonic clock; dt from the previous
    /// press, negative dt taken as 0). Returns the key 0..87. Errors: button out of range,
    /// temperature out of [0, 2], no allowed key.
    core::Result<int> press(int button, double timeSeconds, const PianoGenieSampling& sampling);
    /// The same with an explicit dt in seconds (the CLI's --dts, the fixture's input_dts).
    core::Result<int> pressAfter(int button, double deltaSeconds,
                                 const PianoGenieSampling& sampling);
    /// The logits of the last press (88), for tests and displays.
    const torch::Tensor& lastLogits() const { return m_lastLogits; }
    const PianoGenieModel& model() const { return *m_model; }

private:
    std::shared_ptr<const PianoGenieModel> m_model;
    PianoGenieNetwork::State m_state;
    int m_lastKey = -1;
    std::optional<double> m_lastTime;
    torch::Tensor m_lastLogits;
    Rng m_rng;
};

}  // namespace toccata::ml
