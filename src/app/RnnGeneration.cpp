// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "app/ModelFolderCache.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"

#include "app/RnnGeneration.h"

#include <QSet>

#include <algorithm>

#include "core/TempoMap.h"

namespace toccata::app {

struct RnnModelCache::Impl : ModelFolderCache<ml::MusicRnnGenerator> {};

RnnModelCache::RnnModelCache() : m_impl(std::make_unique<Impl>()) {}
RnnModelCache::~RnnModelCache() = default;

TimeRegion barRegion(const Document& doc, double firstSecond, double lastSecond) {
    const core::MeterMap meter(doc.sequence());
    const core::BarBeat first = meter.barBeatAtSeconds(std::max(0.0, firstSecond));
    const core::BarBeat last = meter.barBeatAtSeconds(std::max(firstSecond, lastSecond - 1e-6));
    return {meter.barStartSeconds(first.bar), meter.barStartSeconds(last.bar + 1)};
}

core::NoteSequence primerFor(const Document& doc, int instrument, const TimeRegion& region,
                             const NoteIds& only) {
    const core::NoteSequence& seq = doc.sequence();
    core::NoteSequence primer;
    primer.ticksPerQuarter = seq.ticksPerQuarter;
    primer.tempos.push_back({0.0, core::TempoMap(seq).qpmAt(region.start)});
    const core::BarBeat at = core::MeterMap(seq).barBeatAtSeconds(region.start);
    core::TimeSignature signature = at.signature;
    signature.time = 0.0;
    primer.timeSignatures.push_back(signature);
    const QSet<NoteId> chosen(only.begin(), only.end());
    const auto wanted = [&](NoteId id, const core::Note& n) {
        if (n.instrument != instrument) return false;
        if (!chosen.isEmpty() && !chosen.contains(id)) return false;
        return n.startTime >= region.start - 1e-9 && n.startTime < region.end - 1e-9;
    };
    const std::vector<NoteId>& ids = doc.noteIds();
    for (size_t i = 0; i < seq.notes.size(); ++i) {
        core::Note n = seq.notes[i];
        if (!wanted(ids[i], n)) continue;
        n.startTime -= region.start;
        n.endTime = std::min(n.endTime, region.end) - region.start;
        n.instrument = 0;
        primer.notes.push_back(n);
    }
    std::sort(primer.notes.begin(), primer.notes.end(),
              [](const core::Note& a, const core::Note& b) { return a.startTime < b.startTime; });
    primer.totalTime = std::max(0.0, region.length());
    return primer;
}

GenerationService::Job makeRnnJob(std::shared_ptr<RnnModelCache> cache,
                                  const RnnToolRequest& request, const core::NoteSequence& primer,
                                  double placeAt) {
    const std::string folder = request.modelFolder.toStdString();
    std::vector<std::string> chords;
    for (const QString& c : request.chords) chords.push_back(c.toStdString());
    return [cache, request, folder, chords, primer, placeAt](
               std::stop_token stop, const GenerationService::Progress& progress)
               -> core::Result<std::vector<core::NoteSequence>> {
        auto loaded = cache->impl().get(folder);
        if (!loaded) return loaded.error();
        ml::MusicRnnGenerator& model = **loaded;
        if (request.keyScale && model.isDrums())
            return core::Error{"a key/scale lock is for melody models; " + model.spec().id +
                               " generates drums"};
        ml::GenerationOptions options;
        options.temperature = request.temperature;
        options.steps = request.bars * ml::stepsPerBarOf(primer, model.codec().stepsPerQuarter);
        options.keyScale = request.keyScale;
        options.chords = chords;
        options.stepsPerChord = request.stepsPerChord;
        options.stopToken = stop;
        const uint64_t firstSeed = request.seed.value_or(ml::Rng::randomSeed());
        const int64_t perTake = *options.steps;
        const int64_t total = perTake * request.variations;
        std::vector<core::NoteSequence> takes;
        for (int i = 0; i < request.variations; ++i) {
            options.seed = firstSeed + static_cast<uint64_t>(i);
            options.progress = [&progress, i, perTake, total](int64_t done, int64_t) {
                progress(i * perTake + std::min(done, perTake), total);
            };
            auto result = model.generate(primer, options);
            if (!result) return result.error();
            const int spq = model.codec().stepsPerQuarter;
            core::NoteSequence take = ml::generatedPart(*result, spq);
            // From nothing, the step before the first generated one only primes the model.
            double shift = placeAt;
            if (primer.notes.empty() && primer.totalTime <= 0.0)
                shift -= static_cast<double>(result->startStep) * 60.0 / result->qpm / spq;
            for (core::Note& n : take.notes) {
                n.startTime += shift;
                n.endTime += shift;
            }
            take.recomputeTotalTime();
            takes.push_back(std::move(take));
        }
        return takes;
    };
}

}  // namespace toccata::app
