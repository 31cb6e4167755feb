// The toccata-cli command table: each subcommand is a name, a one-line summary, a help text and
// a run function. Commands live in src/cli/commands/, one file each.
#pragma once

#include <string>
#include <vector>

namespace toccata::cli {

/// Exit codes shared by every subcommand (documented in README.md and `toccata-cli --help`).
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,          // the operation failed for a reason not listed below
    kExitUsage = 2,            // bad or missing arguments
    kExitInputError = 3,       // an input file is missing, unreadable or malformed
    kExitOutputError = 4,      // an output file could not be written
    kExitMissingResource = 5,  // a SoundFont/model/feature needed is not available
};

struct Command {
    const char* name;
    const char* summary;
    const char* help;  // full text printed by `toccata-cli NAME --help`
    int (*run)(const std::vector<std::string>& args);
};

/// All commands, in the order `--help` lists them.
const std::vector<Command>& commands();

}  // namespace toccata::cli
