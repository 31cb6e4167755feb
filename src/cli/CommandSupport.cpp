#include "cli/CommandSupport.h"

#include "core/SequenceFile.h"

namespace toccata::cli {

int usageError(const char* command, const std::string& message) {
    std::cerr << "toccata-cli " << command << ": " << message << "\n"
              << "(see 'toccata-cli " << command << " --help')\n";
    return kExitUsage;
}

bool parseArgs(const Command& command, ArgParser& parser, const std::vector<std::string>& args,
               int& exitCode) {
    if (!parser.parse(args)) {
        exitCode = usageError(command.name, parser.error());
        return false;
    }
    if (parser.helpRequested()) {
        std::cout << command.help;
        exitCode = kExitOk;
        return false;
    }
    if (!parser.positional().empty()) {
        exitCode =
            usageError(command.name, "unexpected argument '" + parser.positional().front() + "'");
        return false;
    }
    return true;
}

std::optional<core::NoteSequence> loadSequence(const char* command, const std::string& path) {
    auto result = core::readSequenceFile(path);
    if (!result) {
        std::cerr << "toccata-cli " << command << ": " << result.errorMessage() << '\n';
        return std::nullopt;
    }
    return std::move(result).value();
}

}  // namespace toccata::cli
