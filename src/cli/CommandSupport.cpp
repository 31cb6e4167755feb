#include "cli/CommandSupport.h"

#include <unistd.h>

#include <filesystem>

#include "core/SequenceFile.h"
#ifdef TOCCATA_HAVE_AUDIO
#include "audio/SoundFontLocator.h"
#endif

namespace toccata::cli {

int usageError(const char* command, const std::string& message) {
    std::cerr << "toccata-cli " << command << ": " << message << "\n"
              << "(see 'toccata-cli " << command << " --help')\n";
    return kExitUsage;
}

int commandFailure(const char* command, int exitCode, const std::string& message) {
    std::cerr << "toccata-cli " << command << ": " << message << '\n';
    return exitCode;
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

std::string folderProblem(const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(folder, ec)) return "the folder '" + folder + "' does not exist";
    if (!fs::is_directory(folder, ec)) return "'" + folder + "' is not a folder";
    if (::access(folder.c_str(), W_OK) != 0) return "the folder '" + folder + "' is not writable";
    return {};
}

std::string makeOutputFolder(const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(folder, ec) && !fs::create_directories(folder, ec) && ec)
        return "cannot create the folder '" + folder + "': " + ec.message();
    return folderProblem(folder);
}

std::string outputProblem(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (fs::is_directory(target, ec)) return "cannot write '" + path + "': it is a folder";
    if (const std::string problem = folderProblem(folder.string()); !problem.empty())
        return "cannot write '" + path + "': " + problem;
    return {};
}

std::optional<core::NoteSequence> loadSequence(const char* command, const std::string& path) {
    auto result = core::readSequenceFile(path);
    if (!result) {
        std::cerr << "toccata-cli " << command << ": " << result.errorMessage() << '\n';
        return std::nullopt;
    }
    return std::move(result).value();
}

#ifdef TOCCATA_HAVE_AUDIO
ChosenSoundFont chooseSoundFont(const char* command, const ArgParser& parser) {
    ChosenSoundFont chosen;
    if (const auto sf2 = parser.value("--sf2")) {
        std::error_code ec;
        if (!std::filesystem::exists(*sf2, ec)) {
            chosen.exitCode = commandFailure(command, kExitMissingResource,
                                             "SoundFont '" + *sf2 + "' does not exist");
        } else if (core::Status check = audio::checkSoundFontFile(*sf2); !check.ok()) {
            chosen.exitCode = commandFailure(command, kExitInputError, check.errorMessage());
        }
        chosen.path = *sf2;
        chosen.source = "--sf2";
        return chosen;
    }
    const core::Result<audio::LocatedSoundFont> located = audio::SoundFontLocator().locate();
    if (!located.ok()) {
        chosen.exitCode = commandFailure(command, kExitMissingResource, located.errorMessage());
        return chosen;
    }
    for (const std::string& skipped : located->skipped)
        std::cerr << "warning: SoundFont skipped: " << skipped << '\n';
    if (located->isTestSoundFont)
        std::cerr << "warning: only Toccata's test SoundFont was found (a few synthetic sounds);"
                     " install a General MIDI SoundFont for real instruments\n";
    chosen.path = located->path;
    chosen.source = located->source;
    return chosen;
}
#endif

}  // namespace toccata::cli
