// TF.js weights writer. Quantization follows the tensorflowjs converter's rule
// (magentajs-checkpoints.md §1.3): scale = (max-min)/qmax, the range nudged so that 0 maps to an
// exact integer, q = floor((clip(x) - min)/scale + 0.5); a constant tensor stores q = 0,
// scale = 1, min = value.
#include "ml/weights/WeightsWriter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/FileIO.h"

namespace toccata::ml {

namespace fs = std::filesystem;
using core::Result;
using core::Status;

namespace {

std::string rawBytes(const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()),
                       static_cast<size_t>(c.numel()) * c.element_size());
}

void quantize(const torch::Tensor& values, WeightEntry& entry, std::string& out) {
    const double qmax = entry.storage == StorageKind::Uint8 ? 255.0 : 65535.0;
    const torch::Tensor v = values.to(torch::kDouble).contiguous();
    const int64_t n = v.numel();
    const double* x = v.data_ptr<double>();
    double lo = n ? *std::min_element(x, x + n) : 0.0;
    double hi = n ? *std::max_element(x, x + n) : 0.0;
    double scale = 1.0;
    if (hi > lo) {
        scale = (hi - lo) / qmax;
        if (lo <= 0.0 && hi >= 0.0) {  // nudge so that 0 is exactly representable
            const double zeroPoint = std::nearbyint(-lo / scale);
            lo = -zeroPoint * scale;
            hi = lo + qmax * scale;
        }
    }
    entry.quantMin = lo;
    entry.quantScale = scale;
    const int bytes = entry.storage == StorageKind::Uint8 ? 1 : 2;
    out.resize(static_cast<size_t>(n) * bytes);
    for (int64_t i = 0; i < n; ++i) {
        double q = 0.0;
        if (hi > lo) q = std::floor((std::clamp(x[i], lo, hi) - lo) / scale + 0.5);
        const auto qi = static_cast<uint32_t>(std::clamp(q, 0.0, qmax));
        out[static_cast<size_t>(i) * bytes] = static_cast<char>(qi & 0xff);
        if (bytes == 2) out[static_cast<size_t>(i) * 2 + 1] = static_cast<char>(qi >> 8);
    }
}

}  // namespace

Result<std::pair<WeightEntry, std::string>> encodeTfjsWeight(const std::string& name,
                                                             const torch::Tensor& tensor,
                                                             StorageKind storage) {
    using R = Result<std::pair<WeightEntry, std::string>>;
    if (!tensor.defined()) return R::failure("weight \"" + name + "\": tensor is undefined");
    WeightEntry entry;
    entry.name = name;
    entry.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU);
    std::string bytes;
    if (cpu.scalar_type() == torch::kBool) {
        entry.dtype = "bool";
        bytes = rawBytes(cpu.to(torch::kUInt8));
    } else if (cpu.scalar_type() == torch::kInt32 || cpu.scalar_type() == torch::kInt64) {
        entry.dtype = "int32";
        bytes = rawBytes(cpu.to(torch::kInt32));
    } else if (cpu.is_floating_point()) {
        entry.dtype = "float32";
        entry.storage = storage;
        switch (storage) {
            case StorageKind::Raw: bytes = rawBytes(cpu.to(torch::kFloat)); break;
            case StorageKind::Float16: bytes = rawBytes(cpu.to(torch::kHalf)); break;
            case StorageKind::Uint8:
            case StorageKind::Uint16: quantize(cpu.to(torch::kFloat), entry, bytes); break;
        }
    } else {
        return R::failure("weight \"" + name + "\": unsupported tensor type " +
                          std::string(c10::toString(cpu.scalar_type())));
    }
    return std::make_pair(std::move(entry), std::move(bytes));
}

Status writeTfjsWeights(const std::string& folder, const std::vector<NamedTensor>& tensors,
                        const WeightsWriteOptions& options) {
    if (options.shardSizeBytes <= 0)
        return Status::failure("shard size must be positive, got " +
                               std::to_string(options.shardSizeBytes));
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return Status::failure(folder + ": cannot write weights, the folder does not exist");
    WeightGroup group;
    std::string all;
    for (const auto& [name, tensor] : tensors) {
        auto encoded = encodeTfjsWeight(name, tensor, options.storage);
        if (!encoded) return Status::failure(folder + ": " + encoded.errorMessage());
        group.weights.push_back(std::move(encoded->first));
        all += encoded->second;
    }
    const auto size = static_cast<int64_t>(all.size());
    const int64_t numShards =
        std::max<int64_t>(1, (size + options.shardSizeBytes - 1) / options.shardSizeBytes);
    for (int64_t s = 0; s < numShards; ++s) {
        const std::string file =
            options.shardPrefix + std::to_string(s + 1) + "of" + std::to_string(numShards) + ".bin";
        const int64_t begin = s * options.shardSizeBytes;
        const int64_t length = std::min(options.shardSizeBytes, size - begin);
        if (Status st = core::writeFileAtomic((fs::path(folder) / file).string(),
                                              std::string_view(all).substr(begin, length));
            !st)
            return st;
        group.paths.push_back(file);
    }
    WeightsManifest manifest;
    manifest.groups.push_back(std::move(group));
    return core::writeFileAtomic((fs::path(folder) / "weights_manifest.json").string(),
                                 manifest.toJson().dump(2) + "\n");
}

}  // namespace toccata::ml
