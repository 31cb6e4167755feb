// ModelCatalog: where models live and how a name becomes a model folder. Roots, in order:
// the models shipped with Toccata (source tree `models/`, installed `share/toccata/models`;
// $TOCCATA_SHIPPED_MODELS replaces both),
// the user's models folder ($XDG_DATA_HOME/toccata/models), every folder in
// $TOCCATA_MODELS_PATH (':'-separated), and folders the user added (app settings, --models-dir).
// A root is either a model folder itself or holds model folders up to two levels down
// (e.g. a folder of downloaded Magenta.js checkpoints). Torch-free. [any]
#pragma once

#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/ModelSpec.h"

namespace toccata::ml {

struct ModelRoot {
    std::string folder;
    std::string origin;  ///< "shipped", "user", "$TOCCATA_MODELS_PATH", "added"
};

struct CatalogEntry {
    std::string folder;
    std::string origin;  ///< the root's origin
    bool ok = false;
    ModelSpec spec;     ///< when ok
    std::string error;  ///< when not ok: why the folder cannot be used
};

class ModelCatalog {
public:
    /// Shipped, user and $TOCCATA_MODELS_PATH roots, then `added` (origin "added").
    static std::vector<ModelRoot> defaultRoots(const std::vector<std::string>& added = {});
    /// The user's own models folder (where trained and imported models go).
    static std::string userModelsFolder();

    explicit ModelCatalog(std::vector<ModelRoot> roots) : m_roots(std::move(roots)) {}
    ModelCatalog() : ModelCatalog(defaultRoots()) {}

    const std::vector<ModelRoot>& roots() const { return m_roots; }

    /// Every model folder under the roots, in root order then by folder name; folders that
    /// look like models (model.json or config.json) but do not load come back with an error.
    /// Missing roots are skipped.
    std::vector<CatalogEntry> scan() const;

    /// `nameOrFolder` is a model folder (Toccata or Magenta.js) or the id of a model under the
    /// roots (first root wins). The error says what was tried and lists the known ids.
    core::Result<ModelSpec> resolve(const std::string& nameOrFolder) const;

private:
    std::vector<ModelRoot> m_roots;
};

/// True when `folder` holds model.json, a Magenta.js config.json or Piano Genie TF.js weights.
bool looksLikeModelFolder(const std::string& folder);

}  // namespace toccata::ml
