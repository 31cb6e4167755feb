// Continuing a piano performance with a Music Transformer, shared by the app's Continue tool
// (app/PianoGeneration) and toccata-cli generate: the model folder's performance codec, the
// primer NoteSequence turned into codec events (cut to the last context window's worth), the
// KV-cached generator run once per variation (seed + i, so variation i of seed S is variation
// 0 of seed S + i), and the events turned back into notes with their velocities, unquantized
// 10 ms timing and Magenta's 5 s longest note. [worker] unless marked.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/ModelSpec.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/models/music_transformer/MusicTransformerGenerator.h"

namespace toccata::ml {

/// The model.json codec of a music_transformer: {"encoding": "performance", "numVelocityBins",
/// "maxShiftSteps", "stepsPerSecond", "tokenOffset"}; missing numbers take Magenta's defaults
/// (32 bins, 100 steps of 10 ms). What trainMusicTransformer writes. [any]
struct TransformerCodec {
    int numVelocityBins = kPerformanceVelocityBins;
    int maxShiftSteps = kPerformanceMaxShiftSteps;
    int stepsPerSecond = kPerformanceStepsPerSecond;

    /// Errors name `where` and the field: another encoding, numbers out of range, a token
    /// offset other than kTransformerReservedTokens.
    static core::Result<TransformerCodec> fromJson(const core::JsonValue& codec,
                                                   const std::string& where);
    core::JsonValue toJson() const;
};

struct TransformerContinuationOptions {
    double seconds = 8.0;  ///< continuation length, 0.01 .. 3600
    int variations = 1;    ///< 1 .. 100
    TransformerSampling sampling;
    std::optional<uint64_t> seed;  ///< variation i uses seed + i; none = random
    /// Cap on the events of one variation, per second of continuation (a model that never
    /// advances time stops there; dense piano needs about 3 events per note).
    double maxEventsPerSecond = 100.0;
    SlidingContext sliding = SlidingContext::kShift;
    std::stop_token stopToken;  ///< a stop ends with the error "cancelled"
    /// done / total over all variations, filled seconds per variation [worker]
    std::function<void(int64_t done, int64_t total)> progress;
};

/// One variation. Times are in the primer's time frame (0 = the primer's 0 s).
struct TransformerTake {
    core::NoteSequence continuation;  ///< generated notes only, from startSeconds on
    core::NoteSequence whole;         ///< the primer as given plus `continuation`
    double startSeconds = 0.0;        ///< the primer's end on the 10 ms grid
    double endSeconds = 0.0;          ///< startSeconds + the requested length
    double filledSeconds = 0.0;       ///< time the generated events advance (<= the length)
    int64_t events = 0;               ///< events generated
    int64_t primerEvents = 0;         ///< primer events the model was fed (after the cut)
    uint64_t seed = 0;
};

/// A Music Transformer with its performance codec, checked against each other.
class PerformanceTransformer {
public:
    /// A music_transformer model folder. Errors name model.json and the bad codec value, or
    /// the vocabulary mismatch between codec and network.
    static core::Result<std::unique_ptr<PerformanceTransformer>> load(const ModelSpec& spec);
    /// An already loaded model with its codec (tests, benchmarks).
    static core::Result<std::unique_ptr<PerformanceTransformer>> create(
        std::shared_ptr<const MusicTransformerModel> model, const TransformerCodec& codec,
        const std::string& where);

    const MusicTransformerNetwork& network() const { return m_model->network(); }
    const TransformerCodec& codec() const { return m_codec; }
    const PerformanceOneHotEncoding& encoding() const { return m_encoding; }

    /// Continues `primer` (unquantized; its sustain pedal is folded into note lengths; an
    /// empty one starts from silence) for options.seconds after its end (its totalTime, so a
    /// trailing rest belongs to it). Errors: bad options (naming the value), a primer the
    /// performance codec cannot read ("primer: ..."), "cancelled".
    core::Result<std::vector<TransformerTake>> continuePerformance(
        const core::NoteSequence& primer, const TransformerContinuationOptions& options) const;

private:
    PerformanceTransformer(std::shared_ptr<const MusicTransformerModel> model,
                           TransformerCodec codec, PerformanceOneHotEncoding encoding);
    std::shared_ptr<const MusicTransformerModel> m_model;
    TransformerCodec m_codec;
    PerformanceOneHotEncoding m_encoding;
};

}  // namespace toccata::ml
