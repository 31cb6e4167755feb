// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "app/ModelFolderCache.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_transformer/TransformerContinuation.h"
#include "ml/models/performance_rnn/PerformanceGeneration.h"
#include "ml/models/performance_rnn/PerformanceRnnConfig.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

#include "app/PianoGeneration.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/TempoMap.h"

namespace toccata::app {

namespace {

constexpr int kSustainPedal = 64;
/// Progress units per variation of the RNN (its steps; the transformer reports its own).
constexpr int64_t kProgressUnits = 1000;

std::string modelJsonOf(const ml::ModelSpec& spec) {
    return (std::filesystem::path(spec.folder) / ml::kModelJsonFile).string();
}

/// `take` moved by `placeAt` seconds (into document time).
core::NoteSequence placedAt(const core::NoteSequence& take, double placeAt) {
    core::NoteSequence placed;
    for (core::Note n : take.notes) {
        n.startTime += placeAt;
        n.endTime += placeAt;
        placed.notes.push_back(n);
    }
    placed.recomputeTotalTime();
    return placed;
}

core::Result<std::vector<core::NoteSequence>> runTransformer(
    const ml::PerformanceTransformer& model, const PianoToolRequest& request,
    const core::NoteSequence& primer, double placeAt, std::stop_token stop,
    const GenerationService::Progress& progress) {
    ml::TransformerContinuationOptions options;
    options.seconds = request.seconds;
    options.variations = request.variations;
    options.sampling.temperature = request.temperature;
    options.sampling.topK = request.topK;
    options.sampling.topP = request.topP;
    options.seed = request.seed;
    options.stopToken = stop;
    options.progress = progress;
    auto takes = model.continuePerformance(primer, options);
    if (!takes) return takes.error();
    std::vector<core::NoteSequence> placed;
    for (const ml::TransformerTake& take : *takes)
        placed.push_back(placedAt(take.continuation, placeAt));
    return placed;
}

core::Result<std::vector<core::NoteSequence>> runPerformanceRnn(
    ml::PerformanceRnnGenerator& model, const PianoToolRequest& request,
    const core::NoteSequence& primer, double placeAt, std::stop_token stop,
    const GenerationService::Progress& progress) {
    const ml::PerformanceRnnConfig& config = model.config();
    ml::PerformanceGenerationOptions options;
    options.temperature = request.temperature;
    options.steps = std::max<int64_t>(1, std::llround(request.seconds * config.stepsPerSecond));
    options.density = request.density;
    options.pitchHistogram = request.pitchHistogram;
    // Controls switched off in the tool: models with optional conditioning are told so.
    options.disableConditioning =
        config.controls.optional && !request.density && !request.pitchHistogram;
    options.stopToken = stop;
    const uint64_t firstSeed = request.seed.value_or(ml::Rng::randomSeed());
    std::vector<core::NoteSequence> takes;
    for (int i = 0; i < request.variations; ++i) {
        options.seed = firstSeed + static_cast<uint64_t>(i);
        options.progress = [&progress, i, &request](int64_t done, int64_t total) {
            const int64_t units =
                std::min(done, total) * kProgressUnits / std::max<int64_t>(1, total);
            progress(i * kProgressUnits + units, request.variations * kProgressUnits);
        };
        auto result = model.generate(primer, options);
        if (!result) return result.error();
        takes.push_back(
            placedAt(ml::performanceGeneratedPart(*result, config.stepsPerSecond), placeAt));
    }
    return takes;
}

/// The Polyphony RNN works on 16th notes: the length becomes steps at the primer's tempo.
core::Result<std::vector<core::NoteSequence>> runPolyphonyRnn(
    ml::PolyphonyRnnGenerator& model, const PianoToolRequest& request,
    const core::NoteSequence& primer, double placeAt, std::stop_token stop,
    const GenerationService::Progress& progress) {
    constexpr int kStepsPerQuarter = 4;
    const double qpm = primer.tempos.empty() ? core::kDefaultQpm : primer.tempos.front().qpm;
    ml::PolyphonyGenerationOptions options;
    options.temperature = request.temperature;
    options.steps =
        std::max<int64_t>(1, std::llround(request.seconds * qpm / 60.0 * kStepsPerQuarter));
    options.conditionOnPrimer = request.conditionOnPrimer;
    options.injectPrimer = request.injectPrimer;
    options.stopToken = stop;
    const uint64_t firstSeed = request.seed.value_or(ml::Rng::randomSeed());
    std::vector<core::NoteSequence> takes;
    for (int i = 0; i < request.variations; ++i) {
        options.seed = firstSeed + static_cast<uint64_t>(i);
        options.progress = [&progress, i, &request](int64_t done, int64_t total) {
            const int64_t units =
                std::min(done, total) * kProgressUnits / std::max<int64_t>(1, total);
            progress(i * kProgressUnits + units, request.variations * kProgressUnits);
        };
        auto result = model.generate(primer, options);
        if (!result) return result.error();
        takes.push_back(placedAt(ml::generatedPart(*result, kStepsPerQuarter), placeAt));
    }
    return takes;
}

}  // namespace

struct PianoModelCache::Impl {
    ModelFolderCache<ml::PerformanceRnnGenerator> rnns;
    ModelFolderCache<ml::PerformanceTransformer> transformers;
    ModelFolderCache<ml::PolyphonyRnnGenerator> polyphony;
};

PianoModelCache::PianoModelCache() : m_impl(std::make_unique<Impl>()) {}
PianoModelCache::~PianoModelCache() = default;

const std::vector<std::string>& pianoFamilies() {
    static const std::vector<std::string> kFamilies = {"performance_rnn", "music_transformer",
                                                       "polyphony_rnn"};
    return kFamilies;
}

PianoTraits pianoTraitsOf(const ml::ModelSpec& spec) {
    PianoTraits traits;
    if (spec.family == "performance_rnn") {
        traits.family = PianoFamily::kPerformanceRnn;
        traits.familyName = QObject::tr("Performance RNN");
        auto config = ml::PerformanceRnnConfig::fromCodecJson(spec.codec, modelJsonOf(spec));
        if (!config) {
            traits.problem = QString::fromStdString(config.errorMessage());
            return traits;
        }
        traits.density = config->controls.noteDensity;
        traits.pitchHistogram = config->controls.pitchHistogram;
        traits.optionalControls = config->controls.optional;
    } else if (spec.family == "music_transformer") {
        traits.family = PianoFamily::kMusicTransformer;
        traits.familyName = QObject::tr("Music Transformer");
        traits.topKTopP = true;
        if (auto codec = ml::TransformerCodec::fromJson(spec.codec, modelJsonOf(spec) + ": codec");
            !codec)
            traits.problem = QString::fromStdString(codec.errorMessage());
    } else if (spec.family == "polyphony_rnn") {
        traits.family = PianoFamily::kPolyphonyRnn;
        traits.familyName = QObject::tr("Polyphony RNN");
        traits.primerOptions = true;
        if (core::Status s = ml::checkPolyphonyCodecJson(spec.codec, modelJsonOf(spec)); !s)
            traits.problem = QString::fromStdString(s.errorMessage());
    }
    return traits;
}

QString pianoRequestProblem(const PianoToolRequest& request, const PianoTraits& traits) {
    if (!traits.isPiano()) return QObject::tr("this is not a piano model");
    if (!traits.problem.isEmpty()) return traits.problem;
    if (request.variations < 1 || request.variations > 16)
        return QObject::tr("variations %1: choose 1 to 16").arg(request.variations);
    if (!std::isfinite(request.seconds) || request.seconds < 0.01 || request.seconds > 3600.0)
        return QObject::tr("length %1 s: choose 0.01 to 3600 seconds").arg(request.seconds);
    if (!std::isfinite(request.temperature) || request.temperature < 0.0)
        return QObject::tr("temperature %1 must be 0 or more").arg(request.temperature);
    if (request.density) {
        if (!traits.density) return QObject::tr("this model is not conditioned on note density");
        if (!std::isfinite(*request.density) || *request.density < 0.0)
            return QObject::tr("note density %1 must be 0 or more notes per second")
                .arg(*request.density);
    }
    if (request.pitchHistogram) {
        if (!traits.pitchHistogram)
            return QObject::tr("this model is not conditioned on a pitch-class histogram");
        const std::vector<double>& w = *request.pitchHistogram;
        if (w.size() != 12)
            return QObject::tr("the pitch-class histogram has %1 weights; it needs 12 (C to B)")
                .arg(w.size());
        double sum = 0.0;
        for (size_t i = 0; i < w.size(); ++i) {
            if (!std::isfinite(w[i]) || w[i] < 0.0)
                return QObject::tr("pitch-class weight %1 of %2 is %3; weights must be 0 or more")
                    .arg(i + 1)
                    .arg(w.size())
                    .arg(w[i]);
            sum += w[i];
        }
        if (sum <= 0.0)
            return QObject::tr(
                "the pitch-class histogram is all zeros: give at least one pitch "
                "class some weight");
    }
    if (request.topK < 0) return QObject::tr("top-k %1 must be 0 (off) or more").arg(request.topK);
    if (!(request.topP > 0.0 && request.topP <= 1.0))
        return QObject::tr("top-p %1 must be above 0 and at most 1").arg(request.topP);
    if ((request.topK > 0 || request.topP < 1.0) && !traits.topKTopP)
        return QObject::tr("top-k and top-p are for Music Transformers");
    return {};
}

double barsToSeconds(const Document& doc, double at, int bars) {
    const core::NoteSequence& seq = doc.sequence();
    const core::TempoMap tempo(seq);
    const core::MeterMap meter(seq);
    const core::BarBeat here = meter.barBeatAtSeconds(std::max(0.0, at));
    const double intoBar = tempo.secondsToQuarters(std::max(0.0, at)) -
                           tempo.secondsToQuarters(meter.barStartSeconds(here.bar));
    const double end = tempo.quartersToSeconds(
        tempo.secondsToQuarters(meter.barStartSeconds(here.bar + bars)) + intoBar);
    return std::max(0.0, end - at);
}

core::NoteSequence pianoPrimerFor(const Document& doc, int instrument, const TimeRegion& region,
                                  const NoteIds& only) {
    core::NoteSequence primer = primerFor(doc, instrument, region, only);
    std::optional<int> pedalAtStart;
    for (const core::ControlChange& cc : doc.sequence().controlChanges) {
        if (cc.instrument != instrument || cc.controlNumber != kSustainPedal) continue;
        if (cc.time < region.start - 1e-9) {
            pedalAtStart = cc.controlValue;  // the last one before the region wins
        } else if (cc.time < region.end - 1e-9) {
            core::ControlChange moved = cc;
            moved.time -= region.start;
            moved.instrument = 0;
            primer.controlChanges.push_back(moved);
        }
    }
    std::stable_sort(
        primer.controlChanges.begin(), primer.controlChanges.end(),
        [](const core::ControlChange& a, const core::ControlChange& b) { return a.time < b.time; });
    if (pedalAtStart) {
        core::ControlChange held;
        held.controlNumber = kSustainPedal;
        held.controlValue = *pedalAtStart;
        primer.controlChanges.insert(primer.controlChanges.begin(), held);
    }
    return primer;
}

GenerationService::Job makePianoJob(std::shared_ptr<PianoModelCache> cache,
                                    const PianoToolRequest& request,
                                    const core::NoteSequence& primer, double placeAt) {
    const std::string folder = request.modelFolder.toStdString();
    return [cache, request, folder, primer, placeAt](std::stop_token stop,
                                                     const GenerationService::Progress& progress)
               -> core::Result<std::vector<core::NoteSequence>> {
        auto spec = ml::loadModelSpec(folder);
        if (!spec) return spec.error();
        const PianoTraits traits = pianoTraitsOf(*spec);
        if (const QString problem = pianoRequestProblem(request, traits); !problem.isEmpty())
            return core::Error{folder + ": " + problem.toStdString()};
        if (traits.family == PianoFamily::kMusicTransformer) {
            auto loaded = cache->impl().transformers.get(folder);
            if (!loaded) return loaded.error();
            return runTransformer(**loaded, request, primer, placeAt, stop, progress);
        }
        if (traits.family == PianoFamily::kPolyphonyRnn) {
            auto loaded = cache->impl().polyphony.get(folder);
            if (!loaded) return loaded.error();
            return runPolyphonyRnn(**loaded, request, primer, placeAt, stop, progress);
        }
        auto loaded = cache->impl().rnns.get(folder);
        if (!loaded) return loaded.error();
        return runPerformanceRnn(**loaded, request, primer, placeAt, stop, progress);
    };
}

}  // namespace toccata::app
