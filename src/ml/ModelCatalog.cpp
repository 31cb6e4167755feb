#include "ml/ModelCatalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace toccata::ml {
namespace fs = std::filesystem;

namespace {

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

std::vector<std::string> sortedSubfolders(const fs::path& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code dirEc;
        if (it->is_directory(dirEc)) out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void collect(const std::string& folder, const std::string& origin, int depth,
             std::vector<CatalogEntry>& out) {
    if (looksLikeModelFolder(folder)) {
        CatalogEntry entry;
        entry.folder = folder;
        entry.origin = origin;
        auto spec = loadModelSpec(folder);
        entry.ok = spec.ok();
        if (spec.ok())
            entry.spec = std::move(*spec);
        else
            entry.error = spec.errorMessage();
        out.push_back(std::move(entry));
        return;
    }
    if (depth <= 0) return;
    for (const std::string& sub : sortedSubfolders(folder)) collect(sub, origin, depth - 1, out);
}

}  // namespace

bool looksLikeModelFolder(const std::string& folder) {
    std::error_code ec;
    return fs::is_regular_file(fs::path(folder) / kModelJsonFile, ec) ||
           fs::is_regular_file(fs::path(folder) / kMagentaJsConfigFile, ec) ||
           looksLikePianoGenieFolder(folder);
}

std::string ModelCatalog::userModelsFolder() {
    std::string dataHome = environment("XDG_DATA_HOME");
    if (dataHome.empty() && !environment("HOME").empty())
        dataHome = environment("HOME") + "/.local/share";
    return dataHome.empty() ? std::string() : dataHome + "/toccata/models";
}

std::vector<ModelRoot> ModelCatalog::defaultRoots(const std::vector<std::string>& added) {
    std::vector<ModelRoot> roots;
    // $TOCCATA_SHIPPED_MODELS stands in for the shipped folders (a relocated install, or a
    // test that must not see them).
    if (const std::string shipped = environment("TOCCATA_SHIPPED_MODELS"); !shipped.empty()) {
        roots.push_back({shipped, "shipped"});
    } else {
        roots.push_back({TOCCATA_MODELS_SOURCE_DIR, "shipped"});
        roots.push_back({TOCCATA_MODELS_INSTALL_DIR, "shipped"});
    }
    if (const std::string user = userModelsFolder(); !user.empty()) roots.push_back({user, "user"});
    const std::string path = environment("TOCCATA_MODELS_PATH");
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = std::min(path.find(':', start), path.size());
        if (end > start) roots.push_back({path.substr(start, end - start), "$TOCCATA_MODELS_PATH"});
        start = end + 1;
    }
    for (const std::string& folder : added) roots.push_back({folder, "added"});
    return roots;
}

std::vector<CatalogEntry> ModelCatalog::scan() const {
    std::vector<CatalogEntry> out;
    std::vector<std::string> seen;
    for (const ModelRoot& root : m_roots) {
        std::error_code ec;
        if (!fs::is_directory(root.folder, ec)) continue;
        const std::string canonical = fs::weakly_canonical(root.folder, ec).string();
        if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
        seen.push_back(canonical);
        collect(root.folder, root.origin, 2, out);
    }
    return out;
}

core::Result<ModelSpec> ModelCatalog::resolve(const std::string& nameOrFolder) const {
    std::error_code ec;
    if (nameOrFolder.empty()) return core::Error{"no model given"};
    if (fs::is_directory(nameOrFolder, ec)) return loadModelSpec(nameOrFolder);
    const bool looksLikePath = nameOrFolder.find('/') != std::string::npos;
    std::vector<std::string> ids;
    for (CatalogEntry& entry : scan()) {
        if (!entry.ok) continue;
        if (entry.spec.id == nameOrFolder) return std::move(entry.spec);
        ids.push_back(entry.spec.id);
    }
    if (looksLikePath) return core::Error{nameOrFolder + ": model folder not found"};
    std::string known;
    for (const std::string& id : ids) known += (known.empty() ? "" : ", ") + id;
    std::string searched;
    for (const ModelRoot& root : m_roots) searched += (searched.empty() ? "" : ", ") + root.folder;
    return core::Error{"model \"" + nameOrFolder + "\" is neither a folder nor the id of a known " +
                       "model (known: " + (known.empty() ? "none" : known) + "; searched " +
                       searched + ")"};
}

}  // namespace toccata::ml
