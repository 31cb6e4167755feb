// Options shared by `toccata-cli train` and `eval`: the dataset pipeline settings and how a
// dataset build reports progress. [cli]
#pragma once

#include <string>

#include "cli/ArgParser.h"
#include "core/Result.h"
#include "ml/data/RnnDataset.h"

namespace toccata::cli {

/// --eval-ratio, --transpose ("-3:3" or "0,12,-12"), --threads, --no-cache, --min-bars,
/// --max-steps-per-example into dataset options. Errors name the option.
core::Result<ml::RnnDatasetOptions> datasetOptionsFrom(ArgParser& parser, double defaultEvalRatio);

/// Builds the dataset, drawing a progress line on stderr when `progress` (and it is a tty).
core::Result<ml::RnnDataset> buildDatasetWithProgress(const std::string& folder,
                                                      const ml::RnnCodecConfig& config,
                                                      const ml::RnnDatasetOptions& options,
                                                      bool progress);

}  // namespace toccata::cli
