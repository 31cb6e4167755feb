// TF.js weights decoding (magentajs-checkpoints.md §1.3): shards of a group are concatenated
// in `paths` order and walked with a running offset in `weights` order.
#include "ml/weights/WeightsReader.h"

#include <bit>
#include <cstring>
#include <filesystem>

#include "core/FileIO.h"

namespace toccata::ml {

namespace fs = std::filesystem;
using core::Result;

static_assert(std::endian::native == std::endian::little,
              "TF.js shards are little-endian; a big-endian host needs byte swapping here");

namespace {

/// tfjs computes q * scale + min in double (JS numbers) and then stores into a Float32Array;
/// doing the same in double tensors (two separate, correctly rounded ops) matches it bit for
/// bit, where float32 arithmetic is off by an ulp for about half the values.
torch::Tensor dequantize(const torch::Tensor& q, double scale, double min) {
    return q.to(torch::kDouble).mul(scale).add(min).to(torch::kFloat);
}

torch::Tensor decodeEntry(const WeightEntry& w, const char* data) {
    const int64_t n = w.numElements();
    auto bytes = [&](torch::Dtype dtype) {
        return torch::from_blob(const_cast<char*>(data), {n}, dtype).clone();
    };
    torch::Tensor flat;
    switch (w.storage) {
        case StorageKind::Uint8:
            flat = dequantize(bytes(torch::kUInt8), w.quantScale, w.quantMin);
            break;
        case StorageKind::Uint16: {
            // libtorch 1.13 has no uint16 dtype: widen the little-endian pairs by hand.
            std::vector<int32_t> wide(static_cast<size_t>(n));
            const auto* u = reinterpret_cast<const unsigned char*>(data);
            for (int64_t i = 0; i < n; ++i) wide[i] = u[2 * i] | (u[2 * i + 1] << 8);
            flat = dequantize(torch::from_blob(wide.data(), {n}, torch::kInt32), w.quantScale,
                              w.quantMin);
            break;
        }
        case StorageKind::Float16: flat = bytes(torch::kHalf).to(torch::kFloat); break;
        case StorageKind::Raw:
            if (w.dtype == "int32")
                flat = bytes(torch::kInt32);
            else if (w.dtype == "bool")
                flat = bytes(torch::kUInt8).ne(0);
            else
                flat = bytes(torch::kFloat);
            break;
    }
    if (w.dtype == "int32" && w.storage != StorageKind::Raw)
        flat = flat.round().to(torch::kInt32);  // tfjs: Math.round of the dequantized value
    return flat.reshape(w.shape);
}

bool isSafeRelativePath(const std::string& path) {
    const fs::path p(path);
    if (p.is_absolute() || p.has_root_name()) return false;
    for (const auto& part : p)
        if (part == "..") return false;
    return true;
}

}  // namespace

Result<WeightStore> decodeTfjsWeights(const WeightsManifest& manifest,
                                      const std::vector<std::string>& bytesOfGroup,
                                      const std::string& where) {
    WeightStore store(where);
    if (bytesOfGroup.size() != manifest.groups.size())
        return Result<WeightStore>::failure(where + ": internal error, shard data for " +
                                            std::to_string(bytesOfGroup.size()) + " of " +
                                            std::to_string(manifest.groups.size()) + " groups");
    for (size_t g = 0; g < manifest.groups.size(); ++g) {
        const WeightGroup& group = manifest.groups[g];
        const std::string& bytes = bytesOfGroup[g];
        const std::string shards =
            "group " + std::to_string(g) + " (" +
            (group.paths.empty() ? std::string("no shards") : group.paths.front() + ", ...") + ")";
        int64_t offset = 0;
        for (const WeightEntry& w : group.weights) {
            const int64_t size = w.storedBytes();
            if (offset + size > static_cast<int64_t>(bytes.size()))
                return Result<WeightStore>::failure(
                    where + ": weight \"" + w.name + "\" needs bytes " + std::to_string(offset) +
                    ".." + std::to_string(offset + size) + " but the shards of " + shards +
                    " hold only " + std::to_string(bytes.size()) + " bytes");
            if (store.contains(w.name))
                return Result<WeightStore>::failure(where + ": weight \"" + w.name +
                                                    "\" is listed twice");
            store.insert(w.name, decodeEntry(w, bytes.data() + offset));
            offset += size;
        }
        if (offset != static_cast<int64_t>(bytes.size()))
            return Result<WeightStore>::failure(
                where + ": the shards of " + shards + " hold " + std::to_string(bytes.size()) +
                " bytes but the manifest describes " + std::to_string(offset) +
                " (size mismatch: wrong shard files or a damaged manifest)");
    }
    return store;
}

Result<WeightStore> readTfjsWeights(const std::string& folder, const std::string& manifestFile) {
    const fs::path dir(folder);
    const std::string manifestPath = (dir / manifestFile).string();
    auto text = core::readFileBytes(manifestPath, 64ull * 1024 * 1024);
    if (!text) return Result<WeightStore>::failure(text.errorMessage());
    auto manifest = WeightsManifest::parse(*text, manifestPath);
    if (!manifest) return Result<WeightStore>::failure(manifest.errorMessage());

    std::vector<std::string> bytesOfGroup;
    for (const WeightGroup& group : manifest->groups) {
        std::string bytes;
        for (const std::string& path : group.paths) {
            if (!isSafeRelativePath(path))
                return Result<WeightStore>::failure(manifestPath + ": shard path \"" + path +
                                                    "\" leaves the model folder");
            auto shard = core::readFileBytes((dir / path).string(), 4ull * 1024 * 1024 * 1024);
            if (!shard)
                return Result<WeightStore>::failure(manifestPath + ": shard \"" + path +
                                                    "\" cannot be read: " + shard.errorMessage());
            bytes += *shard;
        }
        bytesOfGroup.push_back(std::move(bytes));
    }
    return decodeTfjsWeights(*manifest, bytesOfGroup, manifestPath);
}

}  // namespace toccata::ml
