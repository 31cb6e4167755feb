// Writing a model folder: a Toccata model (model.json) or a Magenta.js checkpoint
// (config.json) with the TF.js weights, float32 or quantized. Every family's generator
// builds the description and hands its named tensors here. [worker]
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/weights/WeightsManifest.h"

namespace toccata::ml {

enum class ModelFolderFormat { kToccata, kMagentaJs };

struct ModelExportOptions {
    ModelFolderFormat format = ModelFolderFormat::kToccata;
    StorageKind storage = StorageKind::Raw;  ///< float32, or uint8/uint16/float16 quantized
    bool overwrite = false;                  ///< replace model files already in the folder
};

/// Creates `folder` and writes the weights, then `description` as model.json (Toccata) or
/// config.json (Magenta.js), last, so a half-written folder is never a loadable model.
/// Errors: the folder cannot be created or written, or it already holds a model and
/// !options.overwrite ("already holds a model").
core::Status writeModelFolder(const std::string& folder, const core::JsonValue& description,
                              const std::vector<std::pair<std::string, torch::Tensor>>& weights,
                              const ModelExportOptions& options);

}  // namespace toccata::ml
