// The TF.js weights manifest (`weights_manifest.json`): groups of shard files and the ordered
// list of tensors packed into them. Parsing checks every field so a malformed manifest fails
// with the file and the entry named; the writer uses toJson() for files tfjs can read. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

/// How a tensor is stored in a shard (TF.js `quantization`).
enum class StorageKind { Raw, Uint8, Uint16, Float16 };

struct WeightEntry {
    std::string name;
    std::vector<int64_t> shape;     ///< [] is a scalar
    std::string dtype = "float32";  ///< logical dtype: float32, int32 or bool
    StorageKind storage = StorageKind::Raw;
    double quantMin = 0.0;    ///< uint8/uint16: value = q * quantScale + quantMin
    double quantScale = 1.0;  ///< uint8/uint16 only

    int64_t numElements() const;
    /// Bytes this entry takes in the concatenated shards of its group.
    int64_t storedBytes() const;
};

struct WeightGroup {
    std::vector<std::string> paths;  ///< shard files relative to the folder, concatenated in order
    std::vector<WeightEntry> weights;
};

struct WeightsManifest {
    std::vector<WeightGroup> groups;

    /// Parses manifest text; `fileForErrors` is the path named in error messages.
    static core::Result<WeightsManifest> parse(const std::string& text,
                                               const std::string& fileForErrors);
    core::JsonValue toJson() const;
};

const char* storageKindName(StorageKind kind);

}  // namespace toccata::ml
