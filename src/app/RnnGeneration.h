// What the Continue and Generate tools ask of an RNN model, and the job that answers on the
// generation worker: primer regions cut from the document, the request's settings, and a
// GenerationService::Job that loads the model (cached per folder), generates each variation
// with its own seed and returns the generated notes placed in document time. Torch stays out
// of this header (MusicRnnGenerator lives in RnnGeneration.cpp).
// Threads: primerFor/barRegion/makeRnnJob are [ui]; the job and the cache run on [worker].
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>

#include "app/Document.h"
#include "app/GenerationService.h"
#include "core/NoteSequence.h"
#include "ml/generation/KeyScale.h"

namespace toccata::app {

/// A stretch of the song in seconds.
struct TimeRegion {
    double start = 0.0;
    double end = 0.0;
    double length() const { return end - start; }
};

struct RnnToolRequest {
    QString modelFolder;
    int variations = 4;         ///< 1..16
    int bars = 4;               ///< bars to generate, 1..64
    double temperature = 1.0;   ///< 0 = argmax
    std::optional<uint64_t> seed;  ///< variation i uses seed + i; none = random
    std::optional<ml::KeyScale> keyScale;
    QStringList chords;         ///< chord-conditioned models
    int stepsPerChord = 16;
};

/// The bars that hold [firstSecond, lastSecond): from the start of the bar of the first to the
/// end of the bar of the last (a bar line exactly at lastSecond ends there).
TimeRegion barRegion(const Document& doc, double firstSecond, double lastSecond);

/// The primer a model continues: the notes of track `instrument` that start inside `region`
/// (only `only` when it is not empty), clipped to it and moved so the region starts at 0; the
/// tempo and time signature in force at region.start; totalTime = the region's length, so the
/// continuation starts where the region ends.
core::NoteSequence primerFor(const Document& doc, int instrument, const TimeRegion& region,
                             const NoteIds& only = {});

/// Loaded models, kept between requests. [worker] (created on the UI thread, then used only
/// inside jobs, which run one at a time.)
class RnnModelCache {
public:
    RnnModelCache();
    ~RnnModelCache();
    struct Impl;
    Impl& impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// The job for GenerationService. Each result is one variation: the generated notes only,
/// moved by `placeAt` seconds into document time (the primer's start there; a primer with no
/// notes and no length generates from nothing and its first step lands at placeAt). Errors (model folder, primer, chords...)
/// come back as the job's error for the user.
GenerationService::Job makeRnnJob(std::shared_ptr<RnnModelCache> cache,
                                  const RnnToolRequest& request, const core::NoteSequence& primer,
                                  double placeAt);

}  // namespace toccata::app
