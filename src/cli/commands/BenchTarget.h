// The targets of `toccata-cli bench TARGET ...`: one file each (BenchMidi.cpp, ...), listed in
// BenchCommand.cpp. Benchmarks print medians; they never assert on timings.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace toccata::cli {

struct BenchTarget {
    const char* name;     // "midi"
    const char* summary;  // one line for `toccata-cli bench --help`
    const char* help;     // full text for `toccata-cli bench NAME --help`
    int (*run)(const std::vector<std::string>& args);  // args after the target name
};

/// Median of a non-empty list (mean of the middle two for an even count).
double median(std::vector<double> values);

/// Percentile p (0..100) of a non-empty list, nearest rank.
double percentile(std::vector<double> values, double p);

/// 'text' quoted for /bin/sh.
std::string shellQuote(const std::string& text);
/// A file of the source tree (`relative` e.g. "tools/bench/x.js") through the build's source
/// folder or $TOCCATA_SOURCE_DIR; "" when neither has it.
std::string sourceTreeFile(const std::string& relative);
/// Runs a shell command and returns its stdout, or nullopt when it exits non-zero.
std::optional<std::string> captureOutput(const std::string& command);

/// Seconds on a steady clock since `start`.
inline double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace toccata::cli
