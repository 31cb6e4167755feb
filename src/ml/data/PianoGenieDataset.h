// A Piano Genie training corpus, as the tutorial (chrisdonahue/music-cocreation-tutorial)
// prepares MAESTRO: per MIDI file one performance, its notes as (onset seconds, key =
// pitch - 21) sorted by (onset, key); drum notes and notes outside the piano (A0..C8) are
// dropped, the sustain pedal and durations are not used. The held-out side is chosen by a
// hash of the file's relative path (isEvalFile, shared with the other datasets), so every
// model is scored on the same files. Training windows are random runs of seq_len consecutive
// notes, stretched in time and transposed at random; evaluation windows are the fixed,
// non-overlapping runs of seq_len notes of the held-out files. Unreadable files are skipped
// with their reason, never fatal. [any]
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/data/RnnDataset.h"
#include "ml/generation/Rng.h"

namespace toccata::ml {

/// One performance: onsets (seconds, ascending) and keys (0..87), one entry per note.
struct PianoGeniePerformance {
    std::vector<double> onsets;
    std::vector<uint8_t> keys;
    uint32_t file = 0;  ///< index into PianoGenieDataset::files

    size_t size() const { return keys.size(); }
};

struct PianoGenieDatasetOptions {
    double evalRatio = 0.1;  ///< share of files held out (by a hash of the relative path)
    int threads = 0;         ///< 0: one per hardware thread
};

struct PianoGenieDataset {
    std::vector<std::string> files;  ///< relative paths
    std::vector<PianoGeniePerformance> train;
    std::vector<PianoGeniePerformance> eval;
    RnnDatasetReport report;  ///< files, skipped files, per-side counters
    uint64_t key = 0;         ///< identifies the files and options

    int64_t trainNotes() const;
    int64_t evalNotes() const;
};

/// Reads every MIDI file under `folder`. `stop` is polled between files ("cancelled").
/// Errors: a missing folder, no MIDI files, a bad ratio.
core::Result<PianoGenieDataset> buildPianoGenieDataset(const std::string& folder,
                                                       const PianoGenieDatasetOptions& options,
                                                       const DatasetProgress& progress = {},
                                                       const std::atomic<bool>* stop = nullptr);

/// The performance of one sequence (what buildPianoGenieDataset does per file); counts
/// "notes", "notes_discarded_drums" and "notes_discarded_outside_piano" into `stats`.
PianoGeniePerformance pianoGeniePerformance(const core::NoteSequence& sequence,
                                            core::PipelineStatistics& stats);

/// A window the networks read: keys (0..87) and the delta times before each note (seconds,
/// the first 1e8, all clipped to [0, deltaTimeMax]).
struct PianoGenieWindow {
    std::vector<int64_t> keys;
    std::vector<float> deltas;
};

/// How training windows are drawn (the tutorial's cfg.json names in PianoGenieHParams).
struct PianoGenieWindowing {
    int64_t seqLen = 128;
    double deltaTimeMax = 1.0;
    double timeStretchMax = 0.05;  ///< onsets scaled by 1 + uniform(-max, max)
    int64_t transposeMax = 6;      ///< keys shifted by a uniform integer in [-max, max], clamped
};

/// Delta times of notes [from, from + count) of `onsets` times `stretch`, as the tutorial
/// computes them: the first is 1e8, then onset differences; all clipped to [0, max].
std::vector<float> pianoGenieDeltas(const std::vector<double>& onsets, size_t from, size_t count,
                                    double stretch, double deltaTimeMax);

/// A random training window of `performance` (which has at least w.seqLen notes): a uniform
/// offset, then the time stretch and the transposition, all drawn from `rng`.
PianoGenieWindow pianoGenieTrainingWindow(const PianoGeniePerformance& performance,
                                          const PianoGenieWindowing& w, Rng& rng);

/// The fixed windows evaluation uses: each performance cut into consecutive, non-overlapping
/// runs of seqLen notes from its first note (a last, shorter run is dropped); no augmentation.
std::vector<PianoGenieWindow> pianoGenieEvalWindows(
    const std::vector<PianoGeniePerformance>& performances, int64_t seqLen, double deltaTimeMax);

/// Windows of one length as tensors: keys [B, T] (int64) and deltas [B, T] (float).
struct PianoGenieBatch {
    torch::Tensor keys, deltas;
};
PianoGenieBatch makePianoGenieBatch(const std::vector<const PianoGenieWindow*>& windows);

/// Key frequencies (88) of the performances, add-one smoothed: the "unigram" baseline.
std::vector<double> pianoGenieKeyFrequencies(
    const std::vector<PianoGeniePerformance>& performances);

}  // namespace toccata::ml
