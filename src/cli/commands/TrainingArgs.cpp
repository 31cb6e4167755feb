#include "cli/commands/TrainingArgs.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace toccata::cli {

namespace {

core::Result<std::vector<int>> parseTranspositions(const std::string& text) {
    std::vector<int> out;
    const size_t colon = text.find(':');
    char* end = nullptr;
    if (colon != std::string::npos) {
        const long from = std::strtol(text.substr(0, colon).c_str(), &end, 10);
        const long to = std::strtol(text.substr(colon + 1).c_str(), &end, 10);
        if (from > to || from < -24 || to > 24)
            return core::Error{"--transpose " + text + ": expected FROM:TO within -24:24"};
        for (long t = from; t <= to; ++t) out.push_back(static_cast<int>(t));
        return out;
    }
    std::stringstream s(text);
    std::string item;
    while (std::getline(s, item, ',')) {
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v < -24 || v > 24)
            return core::Error{"--transpose " + text + ": \"" + item +
                               "\" is not a semitone shift within -24..24"};
        out.push_back(static_cast<int>(v));
    }
    if (out.empty()) return core::Error{"--transpose: no shifts given"};
    return out;
}

}  // namespace

core::Result<ml::RnnDatasetOptions> datasetOptionsFrom(ArgParser& parser, double defaultEvalRatio) {
    ml::RnnDatasetOptions options;
    options.evalRatio = defaultEvalRatio;
    if (parser.has("--eval-ratio")) {
        auto r = parser.doubleValue("--eval-ratio", 0.0, 0.9);
        if (!r) return core::Error{parser.error()};
        options.evalRatio = *r;
    }
    if (auto t = parser.value("--transpose")) {
        auto shifts = parseTranspositions(*t);
        if (!shifts) return shifts.error();
        options.pipeline.transpositions = *shifts;
    }
    if (parser.has("--threads")) {
        auto n = parser.intValue("--threads", 1, 256);
        if (!n) return core::Error{parser.error()};
        options.threads = static_cast<int>(*n);
    }
    if (parser.has("--min-bars")) {
        auto n = parser.intValue("--min-bars", 0, 1000);
        if (!n) return core::Error{parser.error()};
        options.pipeline.melody.minBars = static_cast<int>(*n);
        options.pipeline.drums.minBars = static_cast<int>(*n);
    }
    if (!parser.has("--no-cache")) options.cacheFolder = ml::defaultDatasetCacheFolder();
    return options;
}

core::Result<ml::RnnDataset> buildDatasetWithProgress(const std::string& folder,
                                                      const ml::RnnCodecConfig& config,
                                                      const ml::RnnDatasetOptions& options,
                                                      bool progress) {
    const bool draw = progress && ::isatty(STDERR_FILENO) != 0;
    auto dataset = ml::buildRnnDataset(folder, config, options, [draw](int64_t done, int64_t total) {
        if (!draw) return;
        std::fprintf(stderr, "\rreading MIDI files: %lld/%lld", static_cast<long long>(done),
                     static_cast<long long>(total));
        std::fflush(stderr);
    });
    if (draw) std::fprintf(stderr, "\n");
    return dataset;
}

}  // namespace toccata::cli
