// What the MusicVAE / GrooVAE tools (Generate with a VAE model, Interpolate, Groove, Drumify)
// ask of a model, and the GenerationService jobs that answer on the generation worker: which
// tool a model folder serves (read from its codec, without loading it), clips cut from the
// document, tapped rhythms, the request structs, a model cache, and job builders that return
// the results placed in document time at the document's tempo. Torch stays out of this header
// (ml::MusicVaeGenerator lives in VaeGeneration.cpp).
// Threads: everything here is [ui] except the jobs and the cache, which run on [worker].
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/Document.h"
#include "app/GenerationService.h"
#include "app/GhostTakes.h"
#include "app/RnnGeneration.h"
#include "core/NoteSequence.h"
#include "ml/ModelSpec.h"
#include "ml/generation/KeyScale.h"

namespace toccata::app {

/// What a music_vae model can do, from its data converter.
enum class VaeKind {
    kUnknown,
    kMelody,      ///< MelodyConverter: Generate, Interpolate
    kDrums,       ///< DrumsConverter / DrumRollConverter: Generate, Interpolate
    kTrio,        ///< TrioConverter (melody, bass, drums): Generate, Interpolate
    kHumanize,    ///< GrooveConverter without tapify: Groove
    kTapToDrums,  ///< GrooveConverter with tapify: Drumify
};

VaeKind vaeKindOf(const ml::ModelSpec& spec);
/// Melody, drum and trio models sample and interpolate; groove models do not.
inline bool vaeCanSample(VaeKind kind) {
    return kind == VaeKind::kMelody || kind == VaeKind::kDrums || kind == VaeKind::kTrio;
}
/// Bars of one decoded chunk (numSteps / 16), 0 when the codec does not say.
int vaeNativeBars(const ml::ModelSpec& spec);

/// Empty when the song is in 4/4 at `seconds`; else a message naming the meter and the bar.
QString vaeMeterProblem(const Document& doc, double seconds);

/// "Every track" where a function below takes a track's instrument.
inline constexpr int kAllTracks = -2;

/// The notes of track `instrument` that start inside `region` (only `only` when it is not
/// empty), in document order: the notes a clip holds.
NoteIds clipNoteIds(const Document& doc, int instrument, const TimeRegion& region,
                    const NoteIds& only = {});
/// Those notes as a clip, as primerFor() cuts it (moved so the region starts at 0, clipped
/// to it; tempo and meter of region.start; totalTime = the region's length), plus the meter
/// changes inside the region and `name` as its filename (the generator names it in errors).
/// One track's notes become instrument 0; kAllTracks keeps each note's own.
core::NoteSequence clipFor(const Document& doc, int instrument, const TimeRegion& region,
                           const NoteIds& only, const std::string& name);
/// Which notes of a track a tool takes.
enum class ClipScope {
    kSelectionOrTrack,  ///< the track's selected notes, else the whole track
    kWholeTrack,
    kSelection,  ///< only the selected notes (an error when none is on the track)
    kLoopRegion,
};

struct TrackClip {
    TimeRegion region;        ///< whole bars around the notes, or the loop region
    NoteIds ids;              ///< the notes the clip holds
    core::NoteSequence clip;  ///< clipFor(): region.start is 0
};

/// The clip of track `instrument` for a tool; an error for the user (naming the track) when
/// the track does not exist, holds no notes there, or no loop region is set.
core::Result<TrackClip> trackClip(const Document& doc, int instrument, ClipScope scope,
                                  const NoteIds& selection, const std::optional<TimeRegion>& loop);

/// A rhythm from tap times (seconds after the first tap, which lands on 0): one short note per
/// tap at `qpm` in `signature`, the length rounded up to whole bars.
core::NoteSequence tapRhythm(const std::vector<double>& taps, double qpm,
                             const core::TimeSignature& signature);

/// Where a VAE result lands when accepted as new tracks: one track named after the model
/// (a drum track for drum models), or for trios a melody, a bass and a drum track.
GhostTakeOptions vaeNewTracks(const ml::ModelSpec& spec, VaeKind kind);

/// Loaded models, kept between requests. [worker] (created on the UI thread, then used only
/// inside jobs, which run one at a time.)
class VaeModelCache {
public:
    VaeModelCache();
    ~VaeModelCache();
    struct Impl;
    Impl& impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

struct VaeSampleRequest {
    QString modelFolder;
    int variations = 4;        ///< 1..16; variation i uses seed + i
    int bars = 2;              ///< any length: beyond the model's own, chained decoding
    double temperature = 0.5;  ///< 0..2, 0 = argmax
    uint64_t seed = 0;
    std::optional<ml::KeyScale> keyScale;  ///< melody and trio models only
    double qpm = 120.0;                    ///< the document's tempo where the results land
};

struct VaeInterpolateRequest {
    QString modelFolder;
    int steps = 5;  ///< results including both ends, 1..16
    double temperature = 0.0;
    bool spherical = false;  ///< slerp instead of a straight line between the codes
    uint64_t seed = 0;
    bool oneClip = false;  ///< all results one after another as one take
    double qpm = 120.0;    ///< the document's tempo where the results land
};

struct VaeGrooveRequest {
    QString modelFolder;
    bool drumify = false;  ///< tap2drum (Drumify) instead of humanize (Groove)
    double temperature = 0.0;
    double amount = 1.0;  ///< Groove only: 0 = the input, 1 = the model's groove
    uint64_t seed = 0;
    bool keepHits = true;  ///< Groove only: play exactly the input's hits (else the model's)
};

/// `variations` samples, each moved by `placeAt` seconds into document time.
GenerationService::Job makeVaeSampleJob(std::shared_ptr<VaeModelCache> cache,
                                        const VaeSampleRequest& request, double placeAt);
/// Interpolation from clip `from` to clip `to` (each starting at 0): `steps` takes, or one
/// take holding them one after another; retimed from `from`'s tempo to request.qpm and moved
/// by `placeAt`.
GenerationService::Job makeVaeInterpolateJob(std::shared_ptr<VaeModelCache> cache,
                                             const VaeInterpolateRequest& request,
                                             const core::NoteSequence& from,
                                             const core::NoteSequence& to, double placeAt);
/// Groove or Drumify of `input` (starting at 0, at the document's tempo): one take moved by
/// `placeAt`, with the model's velocities and micro-timing.
GenerationService::Job makeVaeGrooveJob(std::shared_ptr<VaeModelCache> cache,
                                        const VaeGrooveRequest& request,
                                        const core::NoteSequence& input, double placeAt);

}  // namespace toccata::app
