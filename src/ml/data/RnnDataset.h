// A training corpus for an event-RNN config: every MIDI file of a folder run through the
// config's pipeline (RnnPipeline.h) on all cores, split into training and evaluation examples
// by file, with a report like Magenta's pipeline statistics. Corrupt or unreadable files are
// skipped and listed with their reason, never fatal. Chord-conditioned configs read each
// file's chord-symbol annotations, or, when the folder has `melody/` and `chords/`
// sub-folders (the Nottingham layout), the chords of `chords/<same name>` (ChordInference.h).
// Built datasets are cached on disk (RnnDatasetCache.h) so a second run starts at once. [any]
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "core/ops/PipelineStatistics.h"
#include "ml/codecs/RnnCodecConfig.h"
#include "ml/data/RnnPipeline.h"

namespace toccata::ml {

struct RnnDatasetOptions {
    RnnPipelineOptions pipeline;
    /// Share of files held out for evaluation. A file's side is fixed by a hash of its
    /// relative path, so adding files never moves the others between the sides.
    double evalRatio = 0.1;
    int threads = 0;  ///< 0: one per hardware thread
    /// Where built datasets are cached ("" = no cache); see defaultDatasetCacheFolder().
    std::string cacheFolder;
};

struct SkippedFile {
    std::string file;    ///< relative path
    std::string reason;  ///< e.g. "not a MIDI file (no MThd header)"
};

struct RnnDatasetReport {
    int64_t filesFound = 0;
    int64_t filesRead = 0;
    int64_t trainFiles = 0;  ///< files on the training side that gave examples or not
    int64_t evalFiles = 0;
    std::vector<SkippedFile> skipped;
    core::PipelineStatistics training;  ///< stage statistics of the training side
    core::PipelineStatistics eval;
    bool fromCache = false;

    /// Magenta-style text: files, skipped files with reasons (the first 20), then each side's
    /// counters and histograms.
    std::string toString() const;
};

struct RnnDataset {
    RnnCodecConfig config;
    std::vector<std::string> files;  ///< relative paths; RnnExample::file indexes this
    std::vector<RnnExample> train;
    std::vector<RnnExample> eval;
    std::vector<ChordSymbol> chordTable;
    RnnDatasetReport report;
    uint64_t key = 0;  ///< what the cache is keyed by (files, config, options)

    int64_t trainSteps() const;  ///< sum over training examples of (length - 1)
    int64_t evalSteps() const;
};

/// Called from worker threads with (files done, files in all). [any]
using DatasetProgress = std::function<void(int64_t done, int64_t total)>;

/// Builds (or loads from the cache) the dataset of `folder` for `config`. `stop` is polled
/// between files ("cancelled" error). Errors: a missing folder, a folder with no MIDI files,
/// a bad config or options.
core::Result<RnnDataset> buildRnnDataset(const std::string& folder, const RnnCodecConfig& config,
                                         const RnnDatasetOptions& options,
                                         const DatasetProgress& progress = {},
                                         const std::atomic<bool>* stop = nullptr);

/// $XDG_CACHE_HOME/toccata/datasets (else ~/.cache/toccata/datasets).
std::string defaultDatasetCacheFolder();

/// True when the file with this relative path goes to the evaluation side.
bool isEvalFile(const std::string& relativePath, double evalRatio);

}  // namespace toccata::ml
