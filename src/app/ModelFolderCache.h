// ModelFolderCache: loaded models of one family by folder, loaded again when the folder's
// description file (model.json or config.json) changes. The generation jobs' caches
// (RnnModelCache, VaeModelCache) are one each; include it only from .cpp files (it brings
// the ML headers). [worker]
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/Result.h"
#include "ml/ModelSpec.h"

namespace toccata::app {

/// `Generator` has `static core::Result<std::unique_ptr<Generator>> load(const ml::ModelSpec&)`.
template <typename Generator>
class ModelFolderCache {
public:
    /// The model of `folder`; errors name the folder and what is wrong with it.
    core::Result<Generator*> get(const std::string& folder) {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::path description = fs::path(folder) / ml::kModelJsonFile;
        if (!fs::exists(description, ec)) description = fs::path(folder) / ml::kMagentaJsConfigFile;
        const fs::file_time_type stamp = fs::last_write_time(description, ec);
        auto it = m_models.find(folder);
        if (it != m_models.end() && it->second.stamp == stamp) return it->second.model.get();
        auto spec = ml::loadModelSpec(folder);
        if (!spec) return spec.error();
        auto model = Generator::load(*spec);
        if (!model) return model.error();
        Loaded& slot = m_models[folder];
        slot.stamp = stamp;
        slot.model = std::move(*model);
        return slot.model.get();
    }

private:
    struct Loaded {
        std::filesystem::file_time_type stamp;
        std::unique_ptr<Generator> model;
    };
    std::map<std::string, Loaded> m_models;
};

}  // namespace toccata::app
