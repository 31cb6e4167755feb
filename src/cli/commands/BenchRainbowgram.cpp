// toccata-cli bench rainbowgram: how long computeRainbowgram (constant-Q + NSynth's arrays) takes
// on a synthetic mix, beside a vectorised numpy implementation of the same definition
// (tools/bench/rainbowgram_numpy.py, the way librosa computes a CQT) on the same samples.
#ifdef TOCCATA_HAVE_ANALYSIS

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include "analysis/Rainbowgram.h"
#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "core/Json.h"

namespace toccata::cli {
namespace {

const char* const kHelp =
    R"(usage: toccata-cli bench rainbowgram [--seconds S] [--rate HZ] [--repeat N]
                                [--no-reference] [--python PATH]

Times the rainbowgram of S seconds of a synthetic mono mix (eight notes with harmonics and
vibrato, a sweep, clicks and noise) with NSynth's settings (C2, 40 bins per octave, 240 bins,
hop 256, filter scale 0.8): the whole constant-Q transform plus the dB and phase arrays, one
warm-up run (FFTW plans are made once per process) then N timed runs; prints the median and
the fastest. Then runs the numpy version (tools/bench/rainbowgram_numpy.py) on the same
samples, prints its median and the largest dB difference between the two where the cell is
above -40 dB.

options:
  --seconds S       audio length, 1..600 (default 30)
  --rate HZ         sample rate, 8000..192000 (default 44100)
  --repeat N        timed runs, 1..100 (default 5)
  --no-reference    skip numpy
  --python PATH     interpreter with numpy (default /usr/bin/python3)

exit codes: 0 ok (also when numpy is missing: it says so), 2 bad arguments
)";

const Command kRainbowgramBenchCommand = {"bench rainbowgram", "", kHelp, nullptr};

std::vector<float> benchSignal(int rate, int seconds) {
    std::vector<float> x(size_t(rate) * size_t(seconds));
    uint32_t noise = 2463534242u;
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        double v = 0.0;
        for (int n = 0; n < 8; ++n) {  // a note every 0.5 s from one of eight pitches
            const double start = std::fmod(t - 0.5 * n, 4.0);
            const double f = 110.0 * std::exp2((n * 5 % 24) / 12.0);
            const double vibrato = 0.003 * std::sin(2.0 * std::numbers::pi * 5.0 * t);
            for (int h = 1; h <= 4; ++h)
                v += 0.08 / h * std::exp(-2.0 * start) *
                     std::sin(2.0 * std::numbers::pi * f * h * (1.0 + vibrato) * t);
        }
        const double sweepT = std::fmod(t, 10.0);
        v += 0.05 * std::sin(2.0 * std::numbers::pi * 80.0 * 10.0 / std::log(40.0) *
                             (std::exp(std::log(40.0) * sweepT / 10.0) - 1.0));
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        v += 0.01 * (double(noise) / 4294967296.0 - 0.5);
        if (i % size_t(rate) == 0) v += 0.5;  // a click every second
        x[i] = float(v);
    }
    return x;
}

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--seconds", "--rate", "--repeat", "--python"}, {"--no-reference"});
    int exitCode = kExitOk;
    if (!parseArgs(kRainbowgramBenchCommand, parser, args, exitCode)) return exitCode;
    int seconds = 30, rate = 44100, repeat = 5;
    struct IntOption {
        const char* name;
        int* value;
        int min, max;
    };
    for (const IntOption& option :
         {IntOption{"--seconds", &seconds, 1, 600}, IntOption{"--rate", &rate, 8000, 192000},
          IntOption{"--repeat", &repeat, 1, 100}}) {
        if (!parser.has(option.name)) continue;
        const auto n = parser.intValue(option.name, option.min, option.max);
        if (!n) return usageError(kRainbowgramBenchCommand.name, parser.error());
        *option.value = int(*n);
    }

    const std::vector<float> x = benchSignal(rate, seconds);
    const analysis::RainbowgramSettings settings;
    core::Result<analysis::Rainbowgram> gram = core::Error{"not run"};
    std::vector<double> times;
    for (int r = 0; r <= repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        gram = analysis::computeRainbowgram(x.data(), int64_t(x.size()), rate, settings);
        if (!gram.ok())
            return commandFailure(kRainbowgramBenchCommand.name, kExitFailure, gram.errorMessage());
        if (r > 0) times.push_back(secondsSince(start));  // run 0 makes the FFTW plans
    }
    std::printf("bench rainbowgram: %d s of %d Hz mono, %d frames x %d bins (hop %d), %d runs\n",
                seconds, rate, gram->frames, gram->bins, gram->hopLength, repeat);
    const double ours = median(times);
    std::printf("  toccata (FFTW)  median %8.1f ms  fastest %8.1f ms  (%.0fx real time)\n",
                ours * 1000.0, *std::min_element(times.begin(), times.end()) * 1000.0,
                seconds / ours);
    std::fflush(stdout);
    if (parser.has("--no-reference")) return kExitOk;

    const std::string python = parser.valueOr("--python", "/usr/bin/python3");
    const std::string script = sourceTreeFile("tools/bench/rainbowgram_numpy.py");
    if (script.empty()) {
        std::printf(
            "  numpy           not available: tools/bench/rainbowgram_numpy.py not found"
            " (set TOCCATA_SOURCE_DIR)\n");
        return kExitOk;
    }
    const std::filesystem::path folder = std::filesystem::temp_directory_path();
    const std::string stem = "toccata-bench-rainbowgram-" + std::to_string(::getpid());
    const std::string raw = (folder / (stem + ".f32")).string();
    const std::string dbOut = (folder / (stem + ".db.f32")).string();
    {
        std::ofstream file(raw, std::ios::binary);
        file.write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * 4));
        if (!file) {
            std::printf("  numpy           not run: cannot write %s\n", raw.c_str());
            return kExitOk;
        }
    }
    std::ostringstream command;
    command << shellQuote(python) << ' ' << shellQuote(script) << " --raw " << shellQuote(raw)
            << " --rate " << rate << " --repeat " << repeat << " --db-out " << shellQuote(dbOut)
            << " 2>&1";
    const auto output = captureOutput(command.str());
    core::Result<core::JsonValue> json = core::Error{"no output"};
    if (output) {
        const size_t brace = output->rfind('{');
        json = core::JsonValue::parse(output->substr(brace == std::string::npos ? 0 : brace));
    }
    std::error_code ec;
    std::filesystem::remove(raw, ec);
    if (!output || !json.ok() || !json->find("median_s")) {
        std::printf("  numpy           not available (%s with numpy): %s\n", python.c_str(),
                    output ? output->substr(0, 300).c_str() : "could not run it");
        std::filesystem::remove(dbOut, ec);
        return kExitOk;
    }
    const double reference = json->find("median_s")->asNumber();
    std::vector<float> db(gram->magnitudeDb.size());
    std::ifstream file(dbOut, std::ios::binary);
    file.read(reinterpret_cast<char*>(db.data()), std::streamsize(db.size() * 4));
    const bool sameShape = bool(file) && file.peek() == EOF;
    file.close();
    std::filesystem::remove(dbOut, ec);
    double worst = 0.0;
    for (size_t i = 0; sameShape && i < db.size(); ++i)
        if (db[i] > -40.0f) worst = std::max(worst, double(std::abs(db[i] - gram->magnitudeDb[i])));
    std::printf("  numpy           median %8.1f ms  (librosa-style, dense kernels, float64)\n",
                reference * 1000.0);
    std::printf("  speed-up        %.2fx numpy;  ", reference / ours);
    if (sameShape)
        std::printf("largest dB difference above -40 dB: %.4f\n", worst);
    else
        std::printf("numpy's dB array did not have %zu cells\n", db.size());
    return kExitOk;
}

}  // namespace

extern const BenchTarget kRainbowgramBench = {
    "rainbowgram", "rainbowgram (constant-Q) time for 30 s of audio beside numpy", kHelp, run};

}  // namespace toccata::cli

#endif  // TOCCATA_HAVE_ANALYSIS
