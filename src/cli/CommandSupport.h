// Helpers shared by the subcommands: argument checking and loading sequences from files.
#pragma once

#include <iostream>
#include <optional>
#include <string>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "core/NoteSequence.h"

namespace toccata::cli {

/// Prints "toccata-cli CMD: MESSAGE" (and a hint to --help) to stderr; returns kExitUsage.
int usageError(const char* command, const std::string& message);

/// Prints "toccata-cli CMD: MESSAGE" to stderr and returns `exitCode` (an error that is not a
/// usage error: missing file, failed operation...).
int commandFailure(const char* command, int exitCode, const std::string& message);

/// Parses args for a command; on --help prints the help and returns kExitOk through `exitCode`,
/// on error prints it and returns kExitUsage. Returns true when the command should go on.
bool parseArgs(const Command& command, ArgParser& parser, const std::vector<std::string>& args,
               int& exitCode);

/// Why `path` cannot be written as an output file (its folder is missing or not writable,
/// or it is a folder), or "" when it can. Checked before long work, so a typo costs nothing.
std::string outputProblem(const std::string& path);
/// Why `folder` cannot take output files (missing, not a folder, not writable), or "".
std::string folderProblem(const std::string& folder);
/// For --out-dir: creates `folder` (and its parents) when missing, as Magenta's generators
/// do, then says why it cannot take output files, or "".
std::string makeOutputFolder(const std::string& folder);

/// Reads a MIDI file or NoteSequence JSON; prints the error and returns nullopt on failure.
std::optional<core::NoteSequence> loadSequence(const char* command, const std::string& path);

#ifdef TOCCATA_HAVE_AUDIO
struct ChosenSoundFont {
    std::string path;
    std::string source;      // "--sf2", "$TOCCATA_SOUNDFONT", "system SoundFont"...
    int exitCode = kExitOk;  // non-zero: the error was printed
};

/// The SoundFont for rendering: --sf2 when given (it must exist and be a SoundFont), else the
/// SoundFontLocator's choice, warning on stderr about skipped candidates and the test font.
ChosenSoundFont chooseSoundFont(const char* command, const ArgParser& parser);
#endif

}  // namespace toccata::cli
