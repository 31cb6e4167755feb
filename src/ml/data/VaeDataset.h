// A MusicVAE / GrooVAE training corpus: every MIDI file of a folder cut into model-length
// windows the data converter turns into tensors, as Magenta's MusicVAE converters do:
//  - melody: melodies extracted per instrument (the highest note of a chord kept), then
//    windows of numSteps starting on every bar line (1-bar hop), duplicates dropped;
//  - drums: the drum notes, windows on every bar line, empty and duplicate windows dropped;
//  - groove: the drum performance in consecutive windows (hop = window), keeping each hit's
//    micro-timing and velocity as the converter reads them; a last partial window is kept
//    when at least half of it is played.
// Files are split at tempo and time-signature changes, and only 4/4 pieces are used. The
// held-out side is chosen by a hash of the file's relative path (isEvalFile). Unreadable
// files are skipped with their reason, never fatal. [any]
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/VaeConverter.h"
#include "ml/data/RnnDataset.h"

namespace toccata::ml {

/// One training window. Categorical converters keep the class of each step (melody:
/// the one-hot index; drums: sum of 2^class) and build tensors at batch time; groove keeps the
/// converter's input and target rows.
struct VaeExample {
    std::vector<int16_t> labels;  ///< [numSteps] (melody, drums)
    std::vector<float> input;     ///< [numSteps * inputDepth] (groove)
    std::vector<float> target;    ///< [numSteps * outputDepth] (groove)
    float stepSeconds = 0.125F;   ///< the window's step length at its tempo
    uint32_t file = 0;            ///< index into VaeDataset::files

    bool operator==(const VaeExample&) const = default;
};

struct VaeDatasetOptions {
    double evalRatio = 0.1;  ///< share of files held out (by a hash of the relative path)
    int threads = 0;         ///< 0: one per hardware thread
};

struct VaeDataset {
    VaeConverterConfig config;
    std::vector<std::string> files;  ///< relative paths
    std::vector<VaeExample> train;
    std::vector<VaeExample> eval;
    RnnDatasetReport report;  ///< files, skipped files, per-side counters
    uint64_t key = 0;         ///< identifies the files, converter and options
};

/// Builds the windows of `folder` for `config` (melody, drums or groove; trio is refused).
/// `stop` is polled between files ("cancelled"). Errors: a missing folder, no MIDI files,
/// a bad config or ratio.
core::Result<VaeDataset> buildVaeDataset(const std::string& folder,
                                         const VaeConverterConfig& config,
                                         const VaeDatasetOptions& options,
                                         const DatasetProgress& progress = {},
                                         const std::atomic<bool>* stop = nullptr);

/// The windows of one sequence (seconds, as read from MIDI) with their statistics; what
/// buildVaeDataset does per file, for tests and callers with sequences in memory.
struct VaeSequenceWindows {
    std::vector<VaeExample> examples;
    core::PipelineStatistics statistics;
};
core::Result<VaeSequenceWindows> vaeWindowsFromSequence(const core::NoteSequence& sequence,
                                                        const VaeConverter& converter);

}  // namespace toccata::ml
