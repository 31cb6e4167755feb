// --model / --models-dir handling shared by the commands that use models (generate, models,
// bench generate): a folder or an id looked up through ml::ModelCatalog.
#pragma once

#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "ml/ModelCatalog.h"

namespace toccata::cli {

struct ModelLookup {
    ml::ModelSpec spec;
    int exitCode = 0;  ///< non-zero: the error was printed
};

/// The catalog with the default roots plus the ':'-separated folders of --models-dir.
ml::ModelCatalog catalogFor(const ArgParser& parser);

/// Resolves --model. Exit codes: 3 when a folder was given but its files are broken,
/// 5 when no such folder or id exists.
ModelLookup resolveModel(const char* command, const ArgParser& parser);

}  // namespace toccata::cli
