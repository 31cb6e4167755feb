// The targets of `toccata-cli bench TARGET ...`: one file each (BenchMidi.cpp, ...), listed in
// BenchCommand.cpp. Benchmarks print medians; they never assert on timings.
#pragma once

#include <chrono>
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

/// Seconds on a steady clock since `start`.
inline double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace toccata::cli
