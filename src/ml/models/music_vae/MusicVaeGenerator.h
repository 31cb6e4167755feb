// MusicVaeGenerator: the latent-space tools on top of a MusicVae network and its data converter
// (Magenta Studio's Generate, Interpolate, Groove and Drumify, without its limits):
//  - sample: new phrases from z ~ N(0, I); longer than the model's native length by chained
//    decoding (each next chunk's z a correlated step from the last, its decoder starting from
//    the last chunk's final output, so phrases continue instead of restarting);
//  - interpolate: two clips -> N sequences whose first and last decode the clips' own mu
//    (as Magenta.js), linear (Magenta.js) or spherical (Magenta's Python API) between mu's,
//    chunk by chunk for clips longer than the model;
//  - groove: humanize quantized drums of any length (chunked by the model's length), then blend
//    timing and velocity with the original by `amount`; with an add-instrument model (e.g.
//    groovae_2bar_add_closed_hh) keep the beat as played and add the model's part (hi-hat);
//  - drumify: a rhythm from any notes (tapped or a track) -> a full kit (tap2drum models).
// Input is taken in seconds at its own tempo and quantized here (4/4 only). Output keeps the
// input's tempo. Not thread-safe: one request at a time (the generation worker). [worker]
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/ModelExport.h"
#include "ml/ModelSpec.h"
#include "ml/codecs/VaeConverter.h"
#include "ml/generation/KeyScale.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_vae/MusicVae.h"

namespace toccata::ml {

enum class LatentPath { Linear, Spherical };

struct VaeSampleOptions {
    int count = 1;             ///< 1..64 sequences
    int64_t bars = 0;          ///< 0: the model's native length; more: chained decoding
    double temperature = 0.5;  ///< 0 = argmax; at most 2
    uint64_t seed = 0;
    double qpm = 120.0;
    /// Melody and trio models: only pitches of this key may sound (melody and bass parts);
    /// an error for drum and groove models.
    std::optional<KeyScale> keyScale;
};

struct VaeInterpolateOptions {
    int steps = 5;             ///< sequences including both endpoints, 2..64 (1: only A's)
    double temperature = 0.0;  ///< 0 = argmax (Magenta.js's default for interpolate)
    LatentPath path = LatentPath::Linear;
    uint64_t seed = 0;
};

struct VaeGrooveOptions {
    double temperature = 0.0;  ///< 0: hits > 0.5; >0: Bernoulli(sigmoid(o / T))
    double amount = 1.0;       ///< 0 = the input unchanged, 1 = the model's groove
    uint64_t seed = 0;
    /// Humanize models: play exactly the input's hits, with the model's timing and velocity
    /// for them. false: the model may drop and add hits (Magenta Studio's Groove).
    bool keepHits = true;
};

class MusicVaeGenerator {
public:
    static core::Result<std::unique_ptr<MusicVaeGenerator>> load(const ModelSpec& spec);
    MusicVaeGenerator(ModelSpec spec, std::unique_ptr<MusicVae> network, VaeConverter converter);

    const ModelSpec& spec() const { return m_spec; }
    const MusicVae& network() const { return *m_network; }
    const VaeConverter& converter() const { return m_converter; }
    int64_t nativeSteps() const { return m_converter.config().numSteps; }
    int64_t nativeBars() const;
    bool isDrumModel() const;

    /// Quantizes `clip` (seconds) and cuts it into model-length chunks of encoder inputs
    /// [chunks, numSteps, inputDepth]; a shorter last chunk is padded with silence. Errors
    /// name the problem: not 4/4, tempo changes, no notes, polyphony for melody models...
    core::Result<torch::Tensor> encoderInputs(const core::NoteSequence& clip) const;
    /// mu per chunk: [chunks, Z].
    core::Result<torch::Tensor> encode(const core::NoteSequence& clip) const;
    /// Decoder outputs -> one NoteSequence per row of z at `qpm`.
    core::Result<std::vector<core::NoteSequence>> decode(const torch::Tensor& z, double temperature,
                                                         Rng& rng, double qpm) const;

    core::Result<std::vector<core::NoteSequence>> sample(const VaeSampleOptions& options) const;
    core::Result<std::vector<core::NoteSequence>> interpolate(
        const core::NoteSequence& from, const core::NoteSequence& to,
        const VaeInterpolateOptions& options) const;
    core::Result<core::NoteSequence> groove(const core::NoteSequence& drums,
                                            const VaeGrooveOptions& options) const;
    core::Result<core::NoteSequence> drumify(const core::NoteSequence& rhythm,
                                             const VaeGrooveOptions& options) const;

    /// Writes the model as a Toccata model folder or a Magenta.js checkpoint (config.json with
    /// the converter, Magenta.js variable names), optionally quantized.
    core::Status exportTo(const std::string& folder, const ModelExportOptions& options) const;

    /// z(t) for t in [0, 1] between two latent rows [Z]: lerp, or slerp (falls back to lerp
    /// when the vectors are (anti)parallel or zero).
    static torch::Tensor latentPath(const torch::Tensor& a, const torch::Tensor& b, double t,
                                    LatentPath path);

private:
    /// Quantized copy of `clip` (seconds) at the converter's steps per quarter, checked for
    /// what MusicVAE models accept.
    core::Result<core::NoteSequence> prepare(const core::NoteSequence& clip) const;
    /// encoderInputs / encode of a clip prepare() already returned.
    core::Result<torch::Tensor> chunkInputs(const core::NoteSequence& prepared) const;
    core::Result<torch::Tensor> encodePrepared(const core::NoteSequence& prepared) const;
    /// z [count, chunks, Z] -> count sequences of `totalSteps` steps at `qpm`, decoded chunk
    /// after chunk, each chunk's decoder starting from the previous chunk's last output.
    /// forcedHits [count, chunks * numSteps, drums] (groove): the hits to play.
    core::Result<std::vector<core::NoteSequence>> decodeChained(
        const torch::Tensor& z, int64_t totalSteps, double temperature, Rng& rng, double qpm,
        const torch::Tensor& logitBias = {}, const torch::Tensor& forcedHits = {}) const;
    /// [outputDepth] logit bias that forbids the note-ons outside `key` (melody, trio parts).
    core::Result<torch::Tensor> keyBias(const KeyScale& key) const;
    /// groove() with an add-instrument model (e.g. add closed hi-hat): the input as played
    /// without those parts, plus the model's.
    core::Result<core::NoteSequence> addParts(const core::NoteSequence& drums,
                                              const VaeGrooveOptions& options) const;
    core::Result<core::NoteSequence> grooveLike(const core::NoteSequence& drums,
                                                const VaeGrooveOptions& options, bool blend) const;

    ModelSpec m_spec;
    std::unique_ptr<MusicVae> m_network;
    VaeConverter m_converter;
};

}  // namespace toccata::ml
