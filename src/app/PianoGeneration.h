// What the Continue tool asks of a piano model (Performance RNN, Music Transformer, and the
// Polyphony RNN on its 16th-note grid) and the job that answers on the generation worker. Piano
// models continue a performance: the primer keeps its velocities, unquantized timing and sustain
// pedal, the length is in seconds (bars are turned into seconds through the tempo map first), and
// each variation has its own seed, as in the RNN tools. The model cache keeps both families loaded
// per folder. Torch stays out of this header (the generators live in PianoGeneration.cpp). Threads:
// pianoTraitsOf/pianoPrimerFor/barsToSeconds/pianoRequestProblem/makePianoJob are [ui] (or [any]);
// the job and the cache run on [worker].
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "app/Document.h"
#include "app/GenerationService.h"
#include "app/RnnGeneration.h"
#include "core/NoteSequence.h"
#include "ml/ModelSpec.h"

namespace toccata::app {

enum class PianoFamily { kNone, kPerformanceRnn, kMusicTransformer, kPolyphonyRnn };

/// What a piano model offers the tool, read from its model.json (no weights loaded). [any]
struct PianoTraits {
    PianoFamily family = PianoFamily::kNone;
    bool density = false;           ///< conditioned on notes per second
    bool pitchHistogram = false;    ///< conditioned on a 12-weight pitch-class histogram
    bool optionalControls = false;  ///< the controls may be switched off
    bool topKTopP = false;          ///< nucleus / top-k sampling (transformers)
    bool primerOptions = false;     ///< condition on / inject the primer (Polyphony RNN)
    QString familyName;             ///< "Performance RNN", "Music Transformer", "Polyphony RNN"
    QString problem;                ///< a codec the tool cannot run (names the file and value)

    bool isPiano() const { return family != PianoFamily::kNone; }
};

/// kNone for every other family. [any]
PianoTraits pianoTraitsOf(const ml::ModelSpec& spec);
/// The model.json families the tool runs as piano models.
const std::vector<std::string>& pianoFamilies();

struct PianoToolRequest {
    QString modelFolder;
    int variations = 4;             ///< 1..16
    double seconds = 8.0;           ///< continuation length
    double temperature = 1.0;       ///< 0 = argmax
    std::optional<uint64_t> seed;   ///< variation i uses seed + i; none = random
    std::optional<double> density;  ///< notes per second (density-conditioned models)
    std::optional<std::vector<double>> pitchHistogram;  ///< 12 weights C..B
    int topK = 0;                                       ///< transformers: 0 = all classes
    double topP = 1.0;                                  ///< transformers: 1 = all classes
    /// Polyphony RNN (Magenta's condition_on_primer / inject_primer_during_generation). The
    /// tool continues: it conditions on the primer and does not replay it by default.
    bool conditionOnPrimer = true;
    bool injectPrimer = false;
};

/// Why `request` cannot run on a model with `traits` (empty when it can): length, variations,
/// temperature, a control the model lacks, a histogram that is not 12 finite weights >= 0
/// with one above 0, a negative density, top-k/top-p out of range. [any]
QString pianoRequestProblem(const PianoToolRequest& request, const PianoTraits& traits);

/// The seconds `bars` bars last from `at` (tempo and metre changes included): from `at` to the
/// same position `bars` bars later.
double barsToSeconds(const Document& doc, double at, int bars);

/// primerFor() plus the sustain pedal (CC 64) of the track inside the region, and its state at
/// the region's start, so that the model hears held notes as the listener does.
core::NoteSequence pianoPrimerFor(const Document& doc, int instrument, const TimeRegion& region,
                                  const NoteIds& only = {});

/// Loaded piano models, kept between requests. [worker] (created on the UI thread, then used
/// only inside jobs, which run one at a time.)
class PianoModelCache {
public:
    PianoModelCache();
    ~PianoModelCache();
    struct Impl;
    Impl& impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// The job for GenerationService. Each result is one variation: the generated notes only
/// (velocities from the model), placed from `placeAt` + the primer's length in document time
/// and no later than request.seconds after that. An empty primer (no notes, any length)
/// starts from silence. Errors (model folder, codec, controls, cancellation) come back as the
/// job's error for the user.
GenerationService::Job makePianoJob(std::shared_ptr<PianoModelCache> cache,
                                    const PianoToolRequest& request,
                                    const core::NoteSequence& primer, double placeAt);

}  // namespace toccata::app
