// The piano-performance corpus shared by Performance RNN and the Music Transformer: every MIDI
// file of a folder (ASAP, POP909, ...) read on all cores, drum notes dropped, the sustain pedal
// folded into note lengths, every other instrument merged into one piano stream (POP909's
// MELODY, BRIDGE and PIANO tracks together, as Magenta's performance pipeline merges all
// instruments). Files go to the held-out side by a hash of their relative path (isEvalFile,
// shared with the other datasets). Notes are kept in memory; windows of N events are encoded
// from them when drawn: a window starts at a note onset and holds the performance of the notes
// starting there or later (Magenta's 30 s chunks start the same way, without notes from
// before). Training windows are time-stretched (factor drawn from Magenta's {0.95, 0.975, 1,
// 1.025, 1.05}, re-quantized from the note times) and transposed (uniform in ±transposeMax; a
// draw that would put a note outside 0..127 is redrawn); everything is drawn from the caller's
// Rng, so a seed fixes the stream. Unreadable files are counted and listed, never fatal. [any]
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/Result.h"
#include "ml/codecs/Performance.h"
#include "ml/codecs/PerformanceControls.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"
#include "ml/data/RnnDataset.h"
#include "ml/generation/Rng.h"

namespace toccata::ml {

/// One note after sustain folding: seconds from the start of the file (float is exact enough
/// for 10 ms steps over hours and halves the memory).
struct PerformanceNote {
    float start = 0.0F;
    float end = 0.0F;
    uint8_t pitch = 60;
    uint8_t velocity = 100;
};

/// One file's performance: notes sorted by (start, pitch), as Magenta sorts them.
struct PerformanceRecord {
    std::vector<PerformanceNote> notes;
    uint32_t file = 0;  ///< index into PerformanceDataset::files
};

struct PerformanceDatasetOptions {
    double evalRatio = 0.1;  ///< share of files held out (by a hash of the relative path)
    int threads = 0;         ///< 0: one per hardware thread
    bool applySustain = true;
    bool includeDrums = false;
    /// Also read files under these folders ("" entries ignored), e.g. asap + pop909. Relative
    /// paths are prefixed with the folder's name so that files never collide.
    std::vector<std::string> extraFolders;
};

struct PerformanceDataset {
    std::vector<std::string> files;  ///< relative paths ("<folder name>/<path>" for extras)
    std::vector<PerformanceRecord> train;
    std::vector<PerformanceRecord> eval;
    RnnDatasetReport report;  ///< files, skipped files (with reasons), per-side counters
    uint64_t key = 0;         ///< identifies the files and options
    double loadSeconds = 0.0;

    int64_t trainNotes() const;
    int64_t evalNotes() const;
};

/// Reads every MIDI file under `folder` (and options.extraFolders). `stop` is polled between
/// files ("cancelled"). Errors: a missing folder, no MIDI files at all, a bad ratio.
core::Result<PerformanceDataset> buildPerformanceDataset(const std::string& folder,
                                                         const PerformanceDatasetOptions& options,
                                                         const DatasetProgress& progress = {},
                                                         const std::atomic<bool>* stop = nullptr);

/// The record of one sequence (what the build does per file). Counts "notes",
/// "notes_discarded_drums" and "performances" into `stats`. Errors: sustain folding failed.
core::Result<PerformanceRecord> performanceRecord(const core::NoteSequence& sequence,
                                                  bool applySustain, bool includeDrums,
                                                  core::PipelineStatistics& stats);

/// How windows are cut and encoded.
struct PerformanceWindowing {
    int64_t windowEvents = 512;  ///< N: events per window
    int stepsPerSecond = kPerformanceStepsPerSecond;
    int numVelocityBins = kPerformanceVelocityBins;
    int maxShiftSteps = kPerformanceMaxShiftSteps;
    int transposeMax = 3;  ///< Magenta: range(-3, 4)
    std::vector<double> stretchFactors = {0.95, 0.975, 1.0, 1.025, 1.05};
    PerformanceControls controls;  ///< none by default
};

/// A window: event classes of PerformanceOneHotEncoding::create(numVelocityBins,
/// maxShiftSteps) and, when controls are on, their vectors [events x controls.inputSize()].
struct PerformanceWindow {
    std::vector<int> events;
    std::vector<float> controls;
    uint32_t file = 0;
    int transpose = 0;
    double stretch = 1.0;
};

/// The events of `record`'s notes from note `firstNote` on, stretched (times x stretch, from
/// the note's onset) and transposed, at most maxEvents of them (0: all). Notes leaving 0..127
/// are an error naming the file index and pitch.
core::Result<std::vector<PerformanceEvent>> encodePerformanceNotes(const PerformanceRecord& record,
                                                                   size_t firstNote, double stretch,
                                                                   int transpose,
                                                                   const PerformanceWindowing& w,
                                                                   size_t maxEvents = 0);

/// A random training window of exactly w.windowEvents events, or an error when no training
/// performance is that long. A performance is drawn in proportion to its note count, then a
/// start note, a stretch factor and a transposition; a start too close to the end to fill the
/// window is redrawn uniformly before it (so earlier starts are slightly favoured).
core::Result<PerformanceWindow> samplePerformanceWindow(
    const std::vector<PerformanceRecord>& records, const PerformanceWindowing& w, Rng& rng);

/// The fixed evaluation windows: each performance cut into consecutive windows of exactly
/// N events, each starting at the first note not started in the previous one; a last, shorter
/// window is dropped; no augmentation. maxWindows > 0 keeps that many, spread evenly over all
/// of them (every model family scores the same held-out windows for the same settings).
std::vector<PerformanceWindow> performanceEvalWindows(const std::vector<PerformanceRecord>& records,
                                                      const PerformanceWindowing& w,
                                                      int64_t maxWindows = 0);

/// Whole performances as event classes (unaugmented), e.g. for the n-gram baselines.
std::vector<std::vector<int>> performanceEventSequences(
    const std::vector<PerformanceRecord>& records, const PerformanceWindowing& w);

/// Windows as tensors: events [B, T] int64 (shorter ones padded with padClass), mask [B, T]
/// bool (true = a real event), controls [B, T, C] float (undefined when there are none).
struct PerformanceBatch {
    torch::Tensor events, mask, controls;
};
PerformanceBatch makePerformanceBatch(const std::vector<const PerformanceWindow*>& windows,
                                      int controlSize = 0, int64_t padClass = 0);

}  // namespace toccata::ml
