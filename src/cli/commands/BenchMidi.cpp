// toccata-cli bench midi: read + convert every MIDI file under a folder, N passes, and the same
// with mido (tools/midi-parity/mido_notes.py --time) for a reference speed.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <unistd.h>

#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "core/Json.h"
#include "core/midi/MidiIO.h"

namespace toccata::cli {

namespace {

namespace fs = std::filesystem;

const char* const kHelp =
    R"(usage: toccata-cli bench midi --dir DIR [--repeat N] [--no-reference] [--python PATH]

Reads and converts (SMF -> NoteSequence) every .mid/.midi file under DIR, recursively, N times
and prints the median pass as files/s and notes/s. Then, unless --no-reference, times mido on
the same files the same number of times (tools/midi-parity/mido_notes.py --time, found through
the source tree or $TOCCATA_SOURCE_DIR) and prints its speed and the ratio.

options:
  --dir DIR       folder with MIDI files (searched recursively)
  --repeat N      passes over all files, 1..1000 (default 5)
  --no-reference  skip the mido reference
  --python PATH   Python with mido (default: $TOCCATA_PYTHON, python3, /usr/bin/python3)

exit codes: 0 ok, 2 bad arguments, 3 DIR missing or without MIDI files,
            5 the mido reference is not available (use --no-reference)
)";

const Command kMidiBenchCommand = {"bench midi", "", kHelp, nullptr};

struct PassResult {
    double medianSeconds = 0.0;
    long long files = 0;  // read successfully in a pass
    long long notes = 0;  // in a pass
};

std::vector<std::string> midiFilesUnder(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(dir, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (ext == ".mid" || ext == ".midi") files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

PassResult timeToccata(const std::vector<std::string>& files, int repeat) {
    std::vector<double> passes;
    PassResult result;
    for (int r = 0; r < repeat; ++r) {
        result.files = result.notes = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& path : files) {
            core::Result<core::NoteSequence> s = core::readMidiFile(path);
            if (!s) continue;
            ++result.files;
            result.notes += static_cast<long long>(s->notes.size());
        }
        passes.push_back(secondsSince(start));
    }
    result.medianSeconds = median(passes);
    return result;
}

std::optional<std::string> pythonWithMido(const std::optional<std::string>& requested) {
    std::vector<std::string> candidates;
    if (requested) {
        candidates.push_back(*requested);
    } else {
        if (const char* env = std::getenv("TOCCATA_PYTHON")) candidates.emplace_back(env);
        candidates.insert(candidates.end(), {"python3", "/usr/bin/python3"});
    }
    for (const std::string& python : candidates) {
        const std::string probe = shellQuote(python) + " -c 'import mido' >/dev/null 2>&1";
        if (std::system(probe.c_str()) == 0) return python;
    }
    return std::nullopt;
}

/// Runs mido_notes.py --time; nullopt (after printing why) when it cannot.
std::optional<PassResult> timeMido(const std::string& python, const std::string& script,
                                   const std::vector<std::string>& files, int repeat) {
    char listPath[] = "/tmp/toccata-bench-midi-XXXXXX";
    const int fd = ::mkstemp(listPath);
    if (fd < 0) {
        std::cerr << "toccata-cli bench midi: cannot create a temporary file list\n";
        return std::nullopt;
    }
    ::close(fd);
    {
        std::ofstream list(listPath);
        for (const std::string& f : files) list << f << '\n';
    }
    const std::string command = shellQuote(python) + " " + shellQuote(script) +
                                " --time --repeat " + std::to_string(repeat) + " --files-from " +
                                shellQuote(listPath);
    const std::string output = captureOutput(command).value_or("");
    std::remove(listPath);
    core::Result<core::JsonValue> json = core::JsonValue::parse(output);
    const core::JsonValue* seconds = json ? json->find("medianSeconds") : nullptr;
    if (seconds == nullptr) {
        std::cerr << "toccata-cli bench midi: the mido reference failed (" << command << ")\n";
        return std::nullopt;
    }
    PassResult result;
    result.medianSeconds = seconds->asNumber();
    if (const core::JsonValue* v = json->find("files")) result.files = v->asInt();
    if (const core::JsonValue* v = json->find("notes")) result.notes = v->asInt();
    return result;
}

void printRow(const char* name, const PassResult& r, long long total, const std::string& note) {
    const double s = std::max(r.medianSeconds, 1e-9);
    std::printf(
        "  %-8s median %9.3f s/pass  %10.1f files/s  %12.0f notes/s  (%lld of %lld files read%s)\n",
        name, r.medianSeconds, r.files / s, r.notes / s, r.files, total, note.c_str());
}

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--dir", "--repeat", "--python"}, {"--no-reference"});
    int exitCode = kExitOk;
    if (!parseArgs(kMidiBenchCommand, parser, args, exitCode)) return exitCode;
    const auto dir = parser.value("--dir");
    if (!dir) return usageError(kMidiBenchCommand.name, "--dir DIR is required");
    int repeat = 5;
    if (parser.has("--repeat")) {
        const auto n = parser.intValue("--repeat", 1, 1000);
        if (!n) return usageError(kMidiBenchCommand.name, parser.error());
        repeat = static_cast<int>(*n);
    }
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) {
        std::cerr << "toccata-cli bench midi: " << *dir << ": not a folder\n";
        return kExitInputError;
    }
    const std::vector<std::string> files = midiFilesUnder(*dir);
    if (files.empty()) {
        std::cerr << "toccata-cli bench midi: no .mid/.midi files under " << *dir << '\n';
        return kExitInputError;
    }
    uintmax_t bytes = 0;
    for (const std::string& f : files) bytes += fs::file_size(f, ec);
    const auto total = static_cast<long long>(files.size());
    std::printf("bench midi: %lld files (%.1f MB) under %s, %d pass%s each\n", total, bytes / 1e6,
                dir->c_str(), repeat, repeat == 1 ? "" : "es");
    std::fflush(stdout);

    const PassResult ours = timeToccata(files, repeat);
    printRow("toccata", ours, total, "");
    std::fflush(stdout);
    if (parser.has("--no-reference")) return kExitOk;

    const std::string script = sourceTreeFile("tools/midi-parity/mido_notes.py");
    const auto python = pythonWithMido(parser.value("--python"));
    if (script.empty() || !python) {
        std::cerr << "toccata-cli bench midi: no mido reference: "
                  << (script.empty()
                          ? "tools/midi-parity/mido_notes.py not found (set TOCCATA_SOURCE_DIR)"
                          : "no Python with mido (apt-get install python3-mido, or --python)")
                  << "; use --no-reference to skip it\n";
        return kExitMissingResource;
    }
    const auto mido = timeMido(*python, script, files, repeat);
    if (!mido) return kExitMissingResource;
    printRow("mido", *mido, total, ", " + *python);
    const double ratio = mido->medianSeconds / std::max(ours.medianSeconds, 1e-9);
    std::printf("  speed-up %.1fx mido (same files, median pass)\n", ratio);
    if (mido->notes != ours.notes)
        std::printf("  note: toccata counted %lld notes, mido %lld\n", ours.notes, mido->notes);
    return kExitOk;
}

}  // namespace

extern const BenchTarget kMidiBench = {"midi", "read + convert MIDI files; compare with mido",
                                       kHelp, run};

}  // namespace toccata::cli
