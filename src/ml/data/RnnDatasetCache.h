// On-disk cache of built RNN datasets: one compact binary file per (folder contents, config,
// pipeline options) key, written atomically, so a second training run on the same folder
// skips MIDI parsing. Any change of files or settings changes the key; a damaged or foreign
// cache file is ignored and rebuilt. [any]
#pragma once

#include <optional>
#include <string>

#include "core/Result.h"
#include "ml/data/RnnDataset.h"

namespace toccata::ml {

/// The cache file of `key` in `folder`.
std::string datasetCacheFile(const std::string& folder, uint64_t key);

/// Writes `dataset` (examples, files, chords, report) to its cache file.
core::Status writeDatasetCache(const std::string& folder, const RnnDataset& dataset);

/// The cached dataset for `key`, or nothing when there is none or it cannot be read.
/// `config` is set on the result (it is part of the key, not of the file).
std::optional<RnnDataset> readDatasetCache(const std::string& folder, uint64_t key,
                                           const RnnCodecConfig& config);

}  // namespace toccata::ml
