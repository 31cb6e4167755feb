// Reads TF.js weights (a `weights_manifest.json` and its binary shards) into a WeightStore,
// decoding float32/int32/bool and uint8/uint16/float16 storage exactly as tfjs does, so that
// official Magenta.js checkpoints load unchanged. [any] (pure file IO + tensors)
#pragma once

#include <string>

#include "core/Result.h"
#include "ml/weights/WeightStore.h"
#include "ml/weights/WeightsManifest.h"

namespace toccata::ml {

inline constexpr const char* kWeightsManifestFile = "weights_manifest.json";

/// Loads every tensor listed in `folder`/`manifestFile`. Shard paths must stay inside the
/// folder. Fails (naming the file and variable) on a malformed manifest, a missing shard,
/// shards shorter or longer than the manifest says, or a duplicated name.
core::Result<WeightStore> readTfjsWeights(const std::string& folder,
                                          const std::string& manifestFile = kWeightsManifestFile);

/// Decodes the tensors of an already parsed manifest; `bytesOfGroup[g]` is group g's shards
/// concatenated. `where` names the source in errors.
core::Result<WeightStore> decodeTfjsWeights(const WeightsManifest& manifest,
                                            const std::vector<std::string>& bytesOfGroup,
                                            const std::string& where);

}  // namespace toccata::ml
