// toccata-cli generate with a Performance RNN model: Magenta's performance_rnn_generate —
// length in seconds (or 10 ms steps), desired note density and pitch-class histogram.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/CommandSupport.h"
#include "cli/commands/PerformanceCommands.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "generate";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

/// "1,0,1,0,1,1,0,1,0,1,0,1" -> weights; an error names the token.
core::Result<std::vector<double>> parseWeights(const std::string& text) {
    std::vector<double> weights;
    std::stringstream in(text);
    for (std::string token; std::getline(in, token, ',');) {
        const size_t a = token.find_first_not_of(" \t[]");
        const size_t b = token.find_last_not_of(" \t[]");
        const std::string trimmed = a == std::string::npos ? "" : token.substr(a, b - a + 1);
        char* end = nullptr;
        const double v = std::strtod(trimmed.c_str(), &end);
        if (trimmed.empty() || *end != '\0' || !std::isfinite(v))
            return core::Error{"'" + trimmed + "' is not a number"};
        weights.push_back(v);
    }
    return weights;
}

}  // namespace

int generateWithPerformanceRnn(ArgParser& parser, const ml::ModelSpec& spec,
                               const core::NoteSequence& primer, ml::GenerationOptions base,
                               const std::vector<std::string>& paths) {
    for (const char* option :
         {"--bars", "--key", "--scale", "--chords", "--steps-per-chord", "--qpm"})
        if (parser.has(option))
            return usageError(kName, std::string(option) + " is for music_rnn models; " + spec.id +
                                         " is a Performance RNN (use --seconds or --steps, "
                                         "--density, --pitch-histogram)");
    ml::PerformanceGenerationOptions options;
    static_cast<ml::GenerationOptions&>(options) = std::move(base);
    if (parser.has("--seconds")) {
        if (options.steps || options.numSteps)
            return usageError(kName, "give only one of --seconds, --steps and --num-steps");
        const auto seconds = parser.doubleValue("--seconds", 0.01, 3600.0);
        if (!seconds) return usageError(kName, parser.error());
        options.steps =
            std::max<int64_t>(1, std::llround(*seconds * ml::kPerformanceStepsPerSecond));
    }
    if (parser.has("--density")) {
        const auto density = parser.doubleValue("--density", 0.0, 1000.0);
        if (!density) return usageError(kName, parser.error());
        options.density = *density;
    }

    auto model = ml::PerformanceRnnGenerator::load(spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    ml::PerformanceRnnGenerator& generator = **model;
    const ml::PerformanceRnnConfig& config = generator.config();
    if (const auto text = parser.value("--pitch-histogram")) {
        if (!config.controls.pitchHistogram)
            return usageError(kName, "--pitch-histogram \"" + *text + "\": " + spec.id + " (" +
                                         config.id +
                                         ") is not conditioned on the pitch-class histogram");
        auto weights = parseWeights(*text);
        if (!weights)
            return usageError(kName,
                              "--pitch-histogram \"" + *text + "\": " + weights.errorMessage());
        if (auto check = config.controls.desired(std::nullopt, *weights); !check)
            return usageError(kName,
                              "--pitch-histogram \"" + *text + "\": " + check.errorMessage());
        options.pitchHistogram = std::move(*weights);
    }
    if (core::Status s = options.validate(); !s) return usageError(kName, s.errorMessage());

    core::JsonValue summary = core::JsonValue::array();
    const uint64_t firstSeed = options.seed.value_or(0);
    const bool seeded = options.seed.has_value();
    for (size_t i = 0; i < paths.size(); ++i) {
        ml::PerformanceGenerationOptions run = options;
        if (seeded) run.seed = firstSeed + i;
        const auto started = std::chrono::steady_clock::now();
        auto result = generator.generate(primer, run);
        if (!result) return fail(kExitFailure, result.errorMessage());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const bool dropPrimer = parser.has("--continuation-only");
        const core::NoteSequence written =
            dropPrimer ? ml::performanceContinuationOnly(*result, config.stepsPerSecond)
                       : result->sequence;
        if (core::Status s = core::writeSequenceFile(written, paths[i]); !s)
            return fail(kExitOutputError, s.errorMessage());
        const double sps = config.stepsPerSecond;
        const double eventsPerSecond = result->eventsGenerated / std::max(1e-9, seconds);
        core::JsonValue item = core::JsonValue::object();
        item.set("file", paths[i]);
        item.set("seed", static_cast<int64_t>(result->seed));
        item.set("logLikelihood", result->logLikelihood);
        item.set("notes", static_cast<int64_t>(written.notes.size()));
        item.set("startStep", result->startStep);
        item.set("endStep", result->endStep);
        item.set("startSeconds", result->startStep / sps);
        item.set("endSeconds", result->endStep / sps);
        item.set("primerEvents", result->primerEvents);
        item.set("events", result->eventsGenerated);
        item.set("eventBudget", result->eventBudget);
        item.set("filled", result->filled);
        item.set("seconds", seconds);
        item.set("eventsPerSecond", eventsPerSecond);
        summary.push(std::move(item));
        if (!parser.has("--json")) {
            char line[512];
            std::snprintf(line, sizeof line,
                          "Wrote %s: %zu notes, %.2f..%.2f s, seed %llu, %lld events (budget "
                          "%lld%s), log-likelihood %.3f (%.2f s, %.0f events/s)\n",
                          paths[i].c_str(), written.notes.size(), result->startStep / sps,
                          result->endStep / sps, static_cast<unsigned long long>(result->seed),
                          static_cast<long long>(result->eventsGenerated),
                          static_cast<long long>(result->eventBudget),
                          result->filled ? "" : ", the rest is silence", result->logLikelihood,
                          seconds, eventsPerSecond);
            std::cout << line;
        }
    }
    if (parser.has("--json")) {
        core::JsonValue root = core::JsonValue::object();
        root.set("model", spec.id);
        root.set("modelFolder", spec.folder);
        root.set("config", config.id);
        root.set("outputs", std::move(summary));
        std::cout << root.dump(2) << '\n';
    }
    return kExitOk;
}

}  // namespace toccata::cli
