// toccata-cli bench TARGET: performance measurements. Each target lives in its own file
// (BenchMidi.cpp, ...) and is listed in kTargets below.
#include <algorithm>
#include <iostream>

#include "cli/Command.h"
#include "cli/commands/BenchTarget.h"

namespace toccata::cli {

extern const BenchTarget kMidiBench;
#ifdef TOCCATA_HAVE_AUDIO
extern const BenchTarget kAudioBench;
#endif

namespace {

const std::vector<const BenchTarget*>& targets() {
    static const std::vector<const BenchTarget*> all = {
        &kMidiBench,
#ifdef TOCCATA_HAVE_AUDIO
        &kAudioBench,
#endif
    };
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

extern const Command kBenchCommand = {"bench", "measure performance (midi, audio)", kHelp, run};

}  // namespace toccata::cli
