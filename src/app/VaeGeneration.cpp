// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "app/ModelFolderCache.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"

#include "app/VaeGeneration.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <cmath>

#include "core/TempoMap.h"

namespace toccata::app {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("VaeGeneration", text); }

const core::JsonValue* codecArg(const ml::ModelSpec& spec, const char* key) {
    const core::JsonValue* args = spec.codec.find("args");
    return args && args->isObject() ? args->find(key) : nullptr;
}

/// Drops the quantization of a generated sequence (its times are about to move).
void unquantize(core::NoteSequence& seq) {
    for (core::Note& n : seq.notes) n.quantizedStartStep = n.quantizedEndStep = 0;
    seq.quantizationInfo = {};
    seq.totalQuantizedSteps = 0;
}

/// Times scaled by `stretch` and moved by `shift` seconds; the length goes along.
void place(core::NoteSequence& seq, double stretch, double shift) {
    unquantize(seq);
    const double length = seq.totalTime * stretch;
    for (core::Note& n : seq.notes) {
        n.startTime = n.startTime * stretch + shift;
        n.endTime = n.endTime * stretch + shift;
    }
    seq.recomputeTotalTime();
    seq.totalTime = std::max(seq.totalTime, shift + length);
}

}  // namespace

struct VaeModelCache::Impl : ModelFolderCache<ml::MusicVaeGenerator> {};

VaeModelCache::VaeModelCache() : m_impl(std::make_unique<Impl>()) {}
VaeModelCache::~VaeModelCache() = default;

VaeKind vaeKindOf(const ml::ModelSpec& spec) {
    if (spec.family != "music_vae") return VaeKind::kUnknown;
    const core::JsonValue* encoding = spec.codec.find("encoding");
    if (!encoding || !encoding->isString()) return VaeKind::kUnknown;
    const std::string& type = encoding->asString();
    if (type == "MelodyConverter") return VaeKind::kMelody;
    if (type == "DrumsConverter" || type == "DrumRollConverter") return VaeKind::kDrums;
    if (type == "TrioConverter") return VaeKind::kTrio;
    if (type == "GrooveConverter") {
        const core::JsonValue* tapify = codecArg(spec, "tapify");
        return tapify && tapify->isBool() && tapify->asBool() ? VaeKind::kTapToDrums
                                                              : VaeKind::kHumanize;
    }
    return VaeKind::kUnknown;
}

int vaeNativeBars(const ml::ModelSpec& spec) {
    const core::JsonValue* steps = codecArg(spec, "numSteps");
    if (!steps || !steps->isNumber()) return 0;
    // Groove models always run at 4 steps per quarter; the others may say otherwise.
    const VaeKind kind = vaeKindOf(spec);
    const bool groove = kind == VaeKind::kHumanize || kind == VaeKind::kTapToDrums;
    const core::JsonValue* spq = groove ? nullptr : codecArg(spec, "stepsPerQuarter");
    const int64_t perBar = 4 * (spq && spq->isInteger() ? spq->asInt() : 4);
    return perBar > 0 ? static_cast<int>(steps->asInt() / perBar) : 0;
}

QString vaeMeterProblem(const Document& doc, double seconds) {
    const core::BarBeat at =
        core::MeterMap(doc.sequence()).barBeatAtSeconds(std::max(0.0, seconds));
    if (at.signature.numerator == 4 && at.signature.denominator == 4) return {};
    return tr("The song is in %1/%2 at bar %3; MusicVAE models work on 4/4 bars.")
        .arg(at.signature.numerator)
        .arg(at.signature.denominator)
        .arg(at.bar + 1);
}

namespace {
bool onTrack(const core::Note& n, int instrument) {
    return instrument == kAllTracks || n.instrument == instrument;
}
}  // namespace

NoteIds clipNoteIds(const Document& doc, int instrument, const TimeRegion& region,
                    const NoteIds& only) {
    // As primerFor() chooses: the track's notes that start inside the region.
    const QSet<NoteId> chosen(only.begin(), only.end());
    const core::NoteSequence& seq = doc.sequence();
    const std::vector<NoteId>& ids = doc.noteIds();
    NoteIds out;
    for (size_t i = 0; i < seq.notes.size(); ++i) {
        const core::Note& n = seq.notes[i];
        if (!onTrack(n, instrument)) continue;
        if (!chosen.isEmpty() && !chosen.contains(ids[i])) continue;
        if (n.startTime >= region.start - 1e-9 && n.startTime < region.end - 1e-9) out << ids[i];
    }
    return out;
}

core::NoteSequence clipFor(const Document& doc, int instrument, const TimeRegion& region,
                           const NoteIds& only, const std::string& name) {
    const core::NoteSequence& seq = doc.sequence();
    core::NoteSequence clip;
    clip.ticksPerQuarter = seq.ticksPerQuarter;
    clip.tempos.push_back({0.0, core::TempoMap(seq).qpmAt(region.start)});
    core::TimeSignature signature = core::MeterMap(seq).barBeatAtSeconds(region.start).signature;
    signature.time = 0.0;
    clip.timeSignatures.push_back(signature);
    // Later meter changes come along, so that the generator notices them.
    for (core::TimeSignature ts : seq.timeSignatures) {
        if (ts.time <= region.start + 1e-9 || ts.time >= region.end - 1e-9) continue;
        ts.time -= region.start;
        clip.timeSignatures.push_back(ts);
    }
    for (NoteId id : clipNoteIds(doc, instrument, region, only)) {
        core::Note n = *doc.note(id);
        n.startTime -= region.start;
        n.endTime = std::min(n.endTime, region.end) - region.start;
        // One track is one part; all tracks keep theirs (a trio splits them by program).
        if (instrument != kAllTracks) n.instrument = 0;
        clip.notes.push_back(n);
    }
    std::stable_sort(
        clip.notes.begin(), clip.notes.end(),
        [](const core::Note& a, const core::Note& b) { return a.startTime < b.startTime; });
    clip.totalTime = std::max(0.0, region.length());
    clip.filename = name;
    return clip;
}

core::Result<TrackClip> trackClip(const Document& doc, int instrument, ClipScope scope,
                                  const NoteIds& selection, const std::optional<TimeRegion>& loop) {
    using R = core::Result<TrackClip>;
    const int index = doc.trackIndex(instrument);
    if (index < 0 && instrument != kAllTracks)
        return R::failure(tr("Choose a track in the track list.").toStdString());
    const QString name =
        instrument == kAllTracks
            ? tr("The song")
            : QStringLiteral("“%1”").arg(QString::fromStdString(
                  doc.sequence().instrumentInfos[static_cast<size_t>(index)].name));
    NoteIds only;
    if (scope == ClipScope::kSelectionOrTrack || scope == ClipScope::kSelection) {
        for (NoteId id : selection) {
            const core::Note* n = doc.note(id);
            if (n && onTrack(*n, instrument)) only << id;
        }
        if (scope == ClipScope::kSelection && only.isEmpty())
            return R::failure(
                tr("No notes of %1 are selected (select some, or take the whole track).")
                    .arg(name)
                    .toStdString());
    }
    TrackClip out;
    if (scope == ClipScope::kLoopRegion) {
        if (!loop || loop->length() <= 0.0)
            return R::failure(
                tr("Set a loop region first (drag in the ruler above the roll).").toStdString());
        out.region = *loop;
    } else {
        double first = 1e18, last = -1.0;
        const core::NoteSequence& seq = doc.sequence();
        const QSet<NoteId> chosen(only.begin(), only.end());
        for (size_t i = 0; i < seq.notes.size(); ++i) {
            const core::Note& n = seq.notes[i];
            if (!onTrack(n, instrument)) continue;
            if (!chosen.isEmpty() && !chosen.contains(doc.noteIds()[i])) continue;
            first = std::min(first, n.startTime);
            last = std::max(last, n.endTime);
        }
        if (last < 0.0) return R::failure(tr("%1 has no notes.").arg(name).toStdString());
        out.region = barRegion(doc, first, last);
    }
    out.ids = clipNoteIds(doc, instrument, out.region, only);
    if (out.ids.isEmpty())
        return R::failure(tr("%1 has no notes in the loop region.").arg(name).toStdString());
    out.clip = clipFor(doc, instrument, out.region, only, name.toStdString());
    return out;
}

core::NoteSequence tapRhythm(const std::vector<double>& taps, double qpm,
                             const core::TimeSignature& signature) {
    core::NoteSequence clip;
    clip.tempos.push_back({0.0, qpm});
    core::TimeSignature ts = signature;
    ts.time = 0.0;
    clip.timeSignatures.push_back(ts);
    clip.filename = "the tapped rhythm";
    if (taps.empty()) return clip;
    const double first = *std::min_element(taps.begin(), taps.end());
    const double sixteenth = 15.0 / qpm;
    for (double t : taps) {
        core::Note n;
        n.pitch = 42;  // any pitch: a tap2drum model hears every note as a tap
        n.velocity = 100;
        n.startTime = t - first;
        n.endTime = n.startTime + sixteenth;
        n.isDrum = true;
        clip.notes.push_back(n);
    }
    clip.sortByTime();
    clip.recomputeTotalTime();
    const double barSeconds = 60.0 / qpm * ts.quartersPerBar();
    clip.totalTime = std::ceil(clip.totalTime / barSeconds - 1e-9) * barSeconds;
    return clip;
}

GhostTakeOptions vaeNewTracks(const ml::ModelSpec& spec, VaeKind kind) {
    GhostTakeOptions options;
    const QString id = QString::fromStdString(spec.id);
    const bool drums =
        kind == VaeKind::kDrums || kind == VaeKind::kHumanize || kind == VaeKind::kTapToDrums;
    options.newTrack = {id, 0, drums};
    if (kind == VaeKind::kTrio) {
        // The trio converter writes the melody on instrument 0, the bass on 1, drums on 9.
        const core::JsonValue* bass = codecArg(spec, "bassProgram");
        const int bassProgram = bass && bass->isInteger() ? static_cast<int>(bass->asInt()) : 33;
        options.parts = {{0, {tr("%1 melody").arg(id), 0, false}},
                         {1, {tr("%1 bass").arg(id), bassProgram, false}},
                         {9, {tr("%1 drums").arg(id), 0, true}}};
    }
    return options;
}

GenerationService::Job makeVaeSampleJob(std::shared_ptr<VaeModelCache> cache,
                                        const VaeSampleRequest& request, double placeAt) {
    const std::string folder = request.modelFolder.toStdString();
    return [cache, request, folder, placeAt](std::stop_token stop,
                                             const GenerationService::Progress& progress)
               -> core::Result<std::vector<core::NoteSequence>> {
        auto loaded = cache->impl().get(folder);
        if (!loaded) return loaded.error();
        const ml::MusicVaeGenerator& model = **loaded;
        ml::VaeSampleOptions options;
        options.count = 1;
        options.bars = request.bars;
        options.temperature = request.temperature;
        options.qpm = request.qpm;
        options.keyScale = request.keyScale;
        std::vector<core::NoteSequence> takes;
        // One variation at a time: progress per variation, Cancel between them, and each
        // variation repeatable on its own from its seed.
        for (int i = 0; i < request.variations; ++i) {
            if (stop.stop_requested()) return takes;
            progress(i, request.variations);
            options.seed = request.seed + static_cast<uint64_t>(i);
            auto result = model.sample(options);
            if (!result) return result.error();
            core::NoteSequence take = std::move(result->front());
            place(take, 1.0, placeAt);
            takes.push_back(std::move(take));
        }
        progress(request.variations, request.variations);
        return takes;
    };
}

GenerationService::Job makeVaeInterpolateJob(std::shared_ptr<VaeModelCache> cache,
                                             const VaeInterpolateRequest& request,
                                             const core::NoteSequence& from,
                                             const core::NoteSequence& to, double placeAt) {
    const std::string folder = request.modelFolder.toStdString();
    return [cache, request, folder, from, to, placeAt](std::stop_token,
                                                       const GenerationService::Progress& progress)
               -> core::Result<std::vector<core::NoteSequence>> {
        progress(0, 1);
        auto loaded = cache->impl().get(folder);
        if (!loaded) return loaded.error();
        ml::VaeInterpolateOptions options;
        options.steps = request.steps;
        options.temperature = request.temperature;
        options.path = request.spherical ? ml::LatentPath::Spherical : ml::LatentPath::Linear;
        options.seed = request.seed;
        auto results = (*loaded)->interpolate(from, to, options);
        if (!results) return results.error();
        // The generator answers at the first clip's tempo; the song may run at another.
        const double stretch = from.initialQpm() / request.qpm;
        std::vector<core::NoteSequence> takes;
        if (request.oneClip) {
            core::NoteSequence joined;
            double offset = 0.0;
            for (core::NoteSequence& part : *results) {
                const double length = part.totalTime * stretch;
                place(part, stretch, placeAt + offset);
                joined.notes.insert(joined.notes.end(), part.notes.begin(), part.notes.end());
                offset += length;
            }
            joined.recomputeTotalTime();
            joined.totalTime = std::max(joined.totalTime, placeAt + offset);
            takes.push_back(std::move(joined));
        } else {
            for (core::NoteSequence& part : *results) {
                place(part, stretch, placeAt);
                takes.push_back(std::move(part));
            }
        }
        progress(1, 1);
        return takes;
    };
}

GenerationService::Job makeVaeGrooveJob(std::shared_ptr<VaeModelCache> cache,
                                        const VaeGrooveRequest& request,
                                        const core::NoteSequence& input, double placeAt) {
    const std::string folder = request.modelFolder.toStdString();
    return [cache, request, folder, input, placeAt](std::stop_token,
                                                    const GenerationService::Progress& progress)
               -> core::Result<std::vector<core::NoteSequence>> {
        progress(0, 1);
        auto loaded = cache->impl().get(folder);
        if (!loaded) return loaded.error();
        ml::VaeGrooveOptions options;
        options.temperature = request.temperature;
        options.amount = request.drumify ? 1.0 : request.amount;
        options.keepHits = request.keepHits;
        options.seed = request.seed;
        auto result = request.drumify ? (*loaded)->drumify(input, options)
                                      : (*loaded)->groove(input, options);
        if (!result) return result.error();
        core::NoteSequence take = std::move(*result);
        place(take, 1.0, placeAt);
        progress(1, 1);
        return std::vector<core::NoteSequence>{std::move(take)};
    };
}

}  // namespace toccata::app
