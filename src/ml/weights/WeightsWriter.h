// Writes named tensors as TF.js weights (manifest + shards) that tfjs, Magenta.js and our own
// reader load: float32, or uint8/uint16 quantized the way the tensorflowjs converter does, or
// float16. Used to export trained models and to build test fixtures. [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "ml/weights/WeightsManifest.h"

namespace toccata::ml {

struct WeightsWriteOptions {
    StorageKind storage = StorageKind::Raw;    ///< applied to every float32 tensor
    int64_t shardSizeBytes = 4 * 1024 * 1024;  ///< tfjs default: 4 MiB per shard file
    std::string shardPrefix = "group1-shard";  ///< files are <prefix>1of3.bin, ...
};

using NamedTensor = std::pair<std::string, torch::Tensor>;

/// Builds the manifest entry and stored bytes for one tensor (float32/int32/bool).
core::Result<std::pair<WeightEntry, std::string>> encodeTfjsWeight(const std::string& name,
                                                                   const torch::Tensor& tensor,
                                                                   StorageKind storage);

/// Writes `tensors` (in this order) into `folder` (which must exist) as one group:
/// weights_manifest.json plus shard files. Existing files of the same names are replaced.
core::Status writeTfjsWeights(const std::string& folder, const std::vector<NamedTensor>& tensors,
                              const WeightsWriteOptions& options = {});

}  // namespace toccata::ml
