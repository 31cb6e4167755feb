// toccata-cli bench TARGET: performance measurements. Each target lives in its own file
// (BenchMidi.cpp, ...) and is listed in kTargets below.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/Command.h"
#include "cli/commands/BenchTarget.h"

namespace toccata::cli {

extern const BenchTarget kMidiBench;
#ifdef TOCCATA_HAVE_AUDIO
extern const BenchTarget kAudioBench;
#endif
extern const BenchTarget kGenerateBench;
extern const BenchTarget kGenieBench;
extern const BenchTarget kTrainBench;
extern const BenchTarget kVaeBench;
#ifdef TOCCATA_HAVE_ANALYSIS
extern const BenchTarget kRainbowgramBench;
#endif
extern const BenchTarget kTransformerBench;

namespace {

const std::vector<const BenchTarget*>& targets() {
    // Laid out by hand: clang-format pads every name to the longest #if'd one.
    // clang-format off
    static const std::vector<const BenchTarget*> all = {
        &kMidiBench,
#ifdef TOCCATA_HAVE_AUDIO
        &kAudioBench,
#endif
        &kGenerateBench, &kGenieBench, &kTrainBench, &kVaeBench, &kTransformerBench,
#ifdef TOCCATA_HAVE_ANALYSIS
        &kRainbowgramBench,
#endif
    };
    // clang-format on
    return all;
}

const char* const kHelp = R"(usage: toccata-cli bench TARGET [options]
       toccata-cli bench TARGET --help

Measures how fast Toccata does something and prints medians over repeated passes.
Timings are for reading, never pass/fail criteria.

targets:
  midi    read + convert every MIDI file under --dir (recursive), N times; compares with mido
          toccata-cli bench midi --dir DIR [--repeat N] [--no-reference] [--python PATH]
  audio   real-time callback time percentiles (fraction of the buffer period), dense sequence
          toccata-cli bench audio [--sf2 PATH] [--seconds S] [--buffer FRAMES] [--rate HZ]
  generate  RNN generation steps/s (512-step attention continuation, 2x128 LSTM step) beside
          Magenta.js (tfjs CPU, Node) on the same checkpoints
          toccata-cli bench generate [--model DIR|ID] [--steps N] [--repeats R] [--no-reference]
  genie   Piano Genie press time (p50/p99 us) beside PyTorch eager (tutorial layout) and
          Magenta.js (official layout) on the same weights, then key event -> note-on latency
          through the AudioEngine under a JACK server on the dummy driver (128 frames, 48 kHz)
          toccata-cli bench genie [--iterations N] [--no-reference] [--no-jack] [--json]
  train   examples/s of one Melody RNN training step beside PyTorch eager (python3-torch)
          toccata-cli bench train [--batch B] [--length T] [--layers 128,128] [--no-reference]
  vae     MusicVAE 4-bar sample and 16-step interpolation beside Magenta.js (tfjs CPU, Node)
          on the same checkpoint (default: mel_2bar_small's sizes at 4 bars)
          toccata-cli bench vae [--model DIR|ID] [--bars B] [--steps N] [--repeats R] [--json]
  transformer  Music Transformer tokens/s generating 1024 events, KV-cached and uncached,
          beside PyTorch eager (python3-torch) on the same weights; argmax outputs compared
          toccata-cli bench transformer [--events N] [--layers L --d-model D --heads H --ff F
                                         --window W] [--repeat N] [--no-reference]
  rainbowgram  constant-Q rainbowgram of 30 s of 44.1 kHz audio beside numpy (librosa-style)
          toccata-cli bench rainbowgram [--seconds S] [--rate HZ] [--repeat N] [--no-reference]

exit codes: 0 ok, 2 bad arguments, 3 unreadable input folder, 5 reference tool missing
)";

int run(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << kHelp;
        return args.empty() ? kExitUsage : kExitOk;
    }
    for (const BenchTarget* target : targets()) {
        if (args[0] == target->name)
            return target->run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
    std::cerr << "toccata-cli bench: unknown target '" << args[0] << "'\n"
              << "(see 'toccata-cli bench --help')\n";
    return kExitUsage;
}

}  // namespace

double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(values.size()))) - 1;
    return values[index];
}

std::string shellQuote(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string sourceTreeFile(const std::string& relative) {
    std::vector<std::string> roots;
#ifdef TOCCATA_SOURCE_DIR
    roots.emplace_back(TOCCATA_SOURCE_DIR);
#endif
    if (const char* env = std::getenv("TOCCATA_SOURCE_DIR")) roots.emplace_back(env);
    std::error_code ec;
    for (const std::string& root : roots) {
        const std::string path = root + "/" + relative;
        if (std::filesystem::exists(path, ec)) return path;
    }
    return {};
}

std::optional<std::string> captureOutput(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return std::nullopt;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    if (::pclose(pipe) != 0) return std::nullopt;
    return output;
}

extern const Command kBenchCommand = {
    "bench",
    "measure performance (midi, audio, generate, genie, train, vae, transformer, rainbowgram)",
    kHelp, run};

}  // namespace toccata::cli
