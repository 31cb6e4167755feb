// Continuing a piano performance with a Music Transformer (see TransformerContinuation.h).
#include "ml/models/music_transformer/TransformerContinuation.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>

#include "core/ops/Quantization.h"
#include "ml/codecs/Performance.h"
#include "ml/generation/Rng.h"

namespace toccata::ml {

namespace {

/// Progress units per variation (the transformer reports the seconds it has filled).
constexpr int64_t kProgressUnits = 1000;

/// The notes of `performance` that start at or after `startStep`, with the performance cut or
/// padded to end `steps` steps after it; velocities as the events set them.
core::Result<core::NoteSequence> notesFrom(Performance performance, int64_t startStep,
                                           int64_t steps) {
    performance.setLength(startStep - performance.startStep() + steps);
    auto sequence = performance.toSequence(100, 0, std::nullopt, kPerformanceMaxNoteSeconds);
    if (!sequence) return sequence.error();
    const double start = static_cast<double>(startStep) / performance.stepsPerSecond();
    core::NoteSequence take;
    for (const core::Note& n : sequence->notes)
        if (n.startTime >= start - 1e-6) take.notes.push_back(n);
    take.recomputeTotalTime();
    return take;
}

core::Status checkOptions(const TransformerContinuationOptions& o) {
    if (!std::isfinite(o.seconds) || o.seconds < 0.01 || o.seconds > 3600.0)
        return core::Status::failure("length " + std::to_string(o.seconds) +
                                     " s: choose 0.01 to 3600 seconds");
    if (o.variations < 1 || o.variations > 100)
        return core::Status::failure("variations " + std::to_string(o.variations) +
                                     ": choose 1 to 100");
    if (!std::isfinite(o.maxEventsPerSecond) || o.maxEventsPerSecond < 1.0)
        return core::Status::failure("maxEventsPerSecond " + std::to_string(o.maxEventsPerSecond) +
                                     " must be at least 1");
    return o.sampling.validate();
}

}  // namespace

core::Result<TransformerCodec> TransformerCodec::fromJson(const core::JsonValue& codec,
                                                          const std::string& where) {
    const core::JsonValue* encoding = codec.find("encoding");
    if (!encoding || !encoding->isString() || encoding->asString() != "performance")
        return core::Error{where + ".encoding is " + (encoding ? encoding->dump() : "missing") +
                           "; Music Transformers run over the \"performance\" events"};
    TransformerCodec out;
    for (auto [key, field, low, high] :
         {std::tuple{"numVelocityBins", &out.numVelocityBins, 0, 127},
          std::tuple{"maxShiftSteps", &out.maxShiftSteps, 1, 10000},
          std::tuple{"stepsPerSecond", &out.stepsPerSecond, 1, 10000}}) {
        const core::JsonValue* v = codec.find(key);
        if (!v) continue;
        if (!v->isInteger() || v->asInt() < low || v->asInt() > high)
            return core::Error{where + "." + key + " is " + v->dump() + ", must be an integer " +
                               std::to_string(low) + ".." + std::to_string(high)};
        *field = static_cast<int>(v->asInt());
    }
    if (const core::JsonValue* v = codec.find("tokenOffset");
        v && (!v->isInteger() || v->asInt() != kTransformerReservedTokens))
        return core::Error{where + ".tokenOffset is " + v->dump() + ", must be " +
                           std::to_string(kTransformerReservedTokens) + " (pad, start)"};
    return out;
}

core::JsonValue TransformerCodec::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    o.set("encoding", "performance");
    o.set("numVelocityBins", numVelocityBins);
    o.set("maxShiftSteps", maxShiftSteps);
    o.set("stepsPerSecond", stepsPerSecond);
    o.set("tokenOffset", kTransformerReservedTokens);
    return o;
}

PerformanceTransformer::PerformanceTransformer(std::shared_ptr<const MusicTransformerModel> model,
                                               TransformerCodec codec,
                                               PerformanceOneHotEncoding encoding)
    : m_model(std::move(model)), m_codec(codec), m_encoding(std::move(encoding)) {}

core::Result<std::unique_ptr<PerformanceTransformer>> PerformanceTransformer::load(
    const ModelSpec& spec) {
    const std::string where = (std::filesystem::path(spec.folder) / kModelJsonFile).string();
    if (spec.family != "music_transformer")
        return core::Error{where + ": family is \"" + spec.family + "\", not a music_transformer"};
    auto codec = TransformerCodec::fromJson(spec.codec, where + ": codec");
    if (!codec) return codec.error();
    auto model = MusicTransformerModel::load(spec.folder);
    if (!model) return model.error();
    return create(std::move(*model), *codec, where);
}

core::Result<std::unique_ptr<PerformanceTransformer>> PerformanceTransformer::create(
    std::shared_ptr<const MusicTransformerModel> model, const TransformerCodec& codec,
    const std::string& where) {
    auto encoding = PerformanceOneHotEncoding::create(codec.numVelocityBins, codec.maxShiftSteps);
    if (!encoding) return core::Error{where + ": codec: " + encoding.errorMessage()};
    const int64_t events = model->network().architecture().numEvents();
    if (events != encoding->numClasses())
        return core::Error{where + ": the performance codec has " +
                           std::to_string(encoding->numClasses()) +
                           " events but the network predicts " + std::to_string(events)};
    return std::unique_ptr<PerformanceTransformer>(
        new PerformanceTransformer(std::move(model), codec, std::move(*encoding)));
}

core::Result<std::vector<TransformerTake>> PerformanceTransformer::continuePerformance(
    const core::NoteSequence& primer, const TransformerContinuationOptions& options) const {
    if (core::Status s = checkOptions(options); !s) return s.error();
    const int sps = m_codec.stepsPerSecond;
    PerformanceOptions codec;
    codec.stepsPerSecond = sps;
    codec.numVelocityBins = m_codec.numVelocityBins;
    codec.maxShiftSteps = m_codec.maxShiftSteps;
    auto performance = Performance::fromNoteSequence(primer, codec);
    if (!performance) return core::Error{"primer: " + performance.errorMessage()};
    // The primer's trailing rest belongs to it: the continuation starts where it ends.
    const int64_t primerSteps = core::secondsToStep(std::max(0.0, primer.totalTime), sps);
    if (performance->numSteps() < primerSteps) performance->setLength(primerSteps);
    const int64_t startStep = performance->endStep();
    auto indices = m_encoding.encodeEvents(performance->events());
    if (!indices) return core::Error{"primer: " + indices.errorMessage()};
    // Only the last window's events can be attended to (the start token + W - 1 events).
    const auto window =
        static_cast<size_t>(std::max<int64_t>(1, network().architecture().contextWindow - 1));
    if (indices->size() > window) indices->erase(indices->begin(), indices->end() - window);

    const int64_t steps = std::max<int64_t>(1, std::llround(options.seconds * sps));
    const double seconds = static_cast<double>(steps) / sps;
    const uint64_t firstSeed = options.seed.value_or(Rng::randomSeed());
    const std::function<double(int)> eventSeconds = performanceEventSeconds(m_encoding, sps);
    const int64_t total = options.variations * kProgressUnits;
    std::vector<TransformerTake> takes;
    for (int i = 0; i < options.variations; ++i) {
        double filled = 0.0;
        TransformerGenerationRequest run;
        run.primerEvents = *indices;
        run.maxEvents =
            std::max<int64_t>(1, std::llround(std::ceil(options.maxEventsPerSecond * seconds)));
        run.seconds = seconds;
        // Called once per sampled event: the time it advances is also the progress.
        run.eventSeconds = [&, i](int event) {
            const double s = eventSeconds(event);
            filled += s;
            if (options.progress)
                options.progress(
                    i * kProgressUnits + static_cast<int64_t>(std::min(1.0, filled / seconds) *
                                                              static_cast<double>(kProgressUnits)),
                    total);
            return s;
        };
        run.sampling = options.sampling;
        run.seed = firstSeed + static_cast<uint64_t>(i);
        run.sliding = options.sliding;
        run.stopToken = options.stopToken;
        auto result = generateMusicTransformer(network(), run);
        if (!result) return result.error();
        Performance whole = *performance;
        for (int event : result->events.front()) whole.append(m_encoding.decodeEvent(event));
        auto notes = notesFrom(std::move(whole), startStep, steps);
        if (!notes) return notes.error();
        TransformerTake take;
        take.startSeconds = static_cast<double>(startStep) / sps;
        take.endSeconds = static_cast<double>(startStep + steps) / sps;
        take.filledSeconds = std::min(seconds, result->seconds.front());
        take.events = static_cast<int64_t>(result->events.front().size());
        take.primerEvents = static_cast<int64_t>(indices->size());
        take.seed = *run.seed;
        take.continuation = std::move(*notes);
        take.continuation.totalTime = take.endSeconds;
        take.whole = primer;
        take.whole.notes.insert(take.whole.notes.end(), take.continuation.notes.begin(),
                                take.continuation.notes.end());
        take.whole.totalTime = std::max(primer.totalTime, take.endSeconds);
        takes.push_back(std::move(take));
    }
    return takes;
}

}  // namespace toccata::ml
