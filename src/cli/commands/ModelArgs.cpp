#include "cli/commands/ModelArgs.h"

#include <filesystem>
#include <iostream>

#include "cli/Command.h"

namespace toccata::cli {

ml::ModelCatalog catalogFor(const ArgParser& parser) {
    std::vector<std::string> added;
    const std::string dirs = parser.valueOr("--models-dir", "");
    size_t start = 0;
    while (start < dirs.size()) {
        const size_t end = std::min(dirs.find(':', start), dirs.size());
        if (end > start) added.push_back(dirs.substr(start, end - start));
        start = end + 1;
    }
    return ml::ModelCatalog(ml::ModelCatalog::defaultRoots(added));
}

ModelLookup resolveModel(const char* command, const ArgParser& parser) {
    ModelLookup lookup;
    const std::string name = parser.valueOr("--model", "");
    auto spec = catalogFor(parser).resolve(name);
    if (!spec) {
        std::error_code ec;
        const bool isFolder = std::filesystem::is_directory(name, ec);
        std::cerr << "toccata-cli " << command << ": " << spec.errorMessage() << '\n';
        lookup.exitCode = isFolder && ml::looksLikeModelFolder(name) ? kExitInputError
                                                                     : kExitMissingResource;
        return lookup;
    }
    lookup.spec = std::move(*spec);
    return lookup;
}

}  // namespace toccata::cli
