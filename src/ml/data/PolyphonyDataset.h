// The Polyphony RNN corpus: every MIDI file of a folder read on all cores and run through
// Magenta's polyphony_rnn pipeline per file — split at tempo / time-signature changes,
// quantized at 4 steps per quarter, one PolyphonicSequence per piece (a piece whose notes use
// more than one program is dropped, as Magenta; drum notes are dropped first), pieces shorter
// than minSteps discarded and longer than maxSteps discarded (Magenta) or, with chunkSteps,
// cut into consecutive chunkSteps-step pieces (the last kept when at least minSteps long; notes
// held over a cut end there). Magenta's extractor has no gap rule: silences stay inside a
// sequence as empty steps. Examples keep the 259-class stream START .. END; transposition
// (Magenta: every shift in -4..4) is drawn per example at batch time within the shifts that keep
// its pitches in 0..127 (transposeClasses). Files go to the held-out side by a hash of their
// relative path (isEvalFile). Unreadable files are counted and listed, never fatal. [any]
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/PipelineStatistics.h"
#include "ml/data/RnnDataset.h"

namespace toccata::ml {

struct PolyphonyExample {
    std::vector<uint16_t> classes;  ///< PolyphonyOneHotEncoding classes, START first, END last
    uint32_t file = 0;              ///< index into PolyphonyDataset::files
    uint8_t minPitch = 127, maxPitch = 0;  ///< of its note events (min > max: none)
};

struct PolyphonyDatasetOptions {
    double evalRatio = 0.1;  ///< share of files held out (by a hash of the relative path)
    int threads = 0;         ///< 0: one per hardware thread
    int64_t minSteps = 80;   ///< Magenta's polyphony_rnn_create_dataset
    int64_t maxSteps = 512;
    int64_t chunkSteps = 512;  ///< 0: discard longer pieces, as Magenta
};

struct PolyphonyDataset {
    std::vector<std::string> files;  ///< relative paths
    std::vector<PolyphonyExample> train;
    std::vector<PolyphonyExample> eval;
    RnnDatasetReport report;  ///< files, skipped files (with reasons), per-side counters
    uint64_t key = 0;         ///< identifies the files and options

    int64_t trainEvents() const;
    int64_t evalEvents() const;
};

/// Reads every MIDI file under `folder`. `stop` is polled between files ("cancelled").
/// Errors: a missing folder, no MIDI files, bad options (naming the value).
core::Result<PolyphonyDataset> buildPolyphonyDataset(const std::string& folder,
                                                     const PolyphonyDatasetOptions& options,
                                                     const DatasetProgress& progress = {},
                                                     const std::atomic<bool>* stop = nullptr);

/// The examples of one (unquantized) sequence, counting Magenta's statistics
/// (polyphonic_tracks_discarded_too_short / _too_long / _more_than_1_program, ...) into
/// `stats`. Errors: quantization failures (e.g. a zero tempo).
core::Result<std::vector<PolyphonyExample>> polyphonyExamples(
    const core::NoteSequence& sequence, const PolyphonyDatasetOptions& options,
    core::PipelineStatistics& stats);

/// `classes` moved by `semitones` (note classes only). The caller keeps pitches in 0..127
/// (see PolyphonyExample::minPitch/maxPitch).
std::vector<int64_t> transposeClasses(const std::vector<uint16_t>& classes, int semitones);

}  // namespace toccata::ml
