// Private to `toccata-cli bench genie` (BenchGenie.cpp runs it, BenchGenieReport.cpp prints
// it): what one run measured. [ui]
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/BenchGenieLatency.h"

namespace toccata::cli {

constexpr double kGoalPyTorch = 5.0, kGoalMagentaJs = 20.0;

struct GeniePlan {
    int iterations = 2000, warmup = 200, threads = 1;
    double temperature = 0.25;
};

/// p50 / p99 / median of one op, microseconds.
struct OpTime {
    double p50 = 0.0, p99 = 0.0, median = 0.0;
};

struct SideTimes {
    OpTime argmax, sample;
    std::vector<int> argmaxKeys;
};

/// One layout's comparison: ours, the reference's (if it ran), and why not.
struct Comparison {
    std::string folder, source, description;
    SideTimes ours;
    OpTime networkStep;  // ours, stepLogits alone
    std::optional<SideTimes> theirs;
    std::string theirVersion;
    std::string problem;
    int sameKeys = -1;  // argmax presses with identical keys before the first difference

    std::optional<double> speedup(OpTime SideTimes::*op) const {
        if (!theirs) return std::nullopt;
        return (*theirs.*op).p50 / std::max((ours.*op).p50, 1e-9);
    }
    std::optional<bool> goal(double times) const {
        if (!theirs) return std::nullopt;
        return *speedup(&SideTimes::argmax) >= times && *speedup(&SideTimes::sample) >= times;
    }
};

std::string genieCpuName();
void printComparison(const Comparison& c, const char* refName);
void printGoal(const char* what, double times, const Comparison& c);
void printLatency(const GenieLatencyResult& l);
/// The whole run as one JSON object on stdout; `tutorial` null when there was none.
void printGenieJson(const GeniePlan& plan, const Comparison* tutorial, const Comparison& official,
                    const std::optional<GenieLatencyResult>& latency);

}  // namespace toccata::cli
