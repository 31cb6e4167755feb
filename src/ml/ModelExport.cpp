#include "ml/ModelExport.h"

#include <filesystem>

#include "core/FileIO.h"
#include "ml/ModelSpec.h"
#include "ml/weights/WeightsWriter.h"

namespace toccata::ml {

namespace fs = std::filesystem;

core::Status writeModelFolder(const std::string& folder, const core::JsonValue& description,
                              const std::vector<std::pair<std::string, torch::Tensor>>& weights,
                              const ModelExportOptions& options) {
    const bool magentaJs = options.format == ModelFolderFormat::kMagentaJs;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": cannot create the folder: " + ec.message());
    const fs::path descriptionFile =
        fs::path(folder) / (magentaJs ? kMagentaJsConfigFile : kModelJsonFile);
    if (!options.overwrite && (fs::exists(descriptionFile, ec) ||
                               fs::exists(fs::path(folder) / "weights_manifest.json", ec)))
        return core::Status::failure(folder + ": already holds a model (choose an empty folder)");
    WeightsWriteOptions write;
    write.storage = options.storage;
    if (core::Status s = writeTfjsWeights(folder, weights, write); !s) return s;
    return core::writeFileAtomic(descriptionFile.string(), description.dump(2) + "\n");
}

}  // namespace toccata::ml
