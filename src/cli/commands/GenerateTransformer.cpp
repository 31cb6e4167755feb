// toccata-cli generate with a Music Transformer model: a piano continuation of --seconds after
// the primer, sampled with temperature, top-k and top-p through the KV cache
// (ml::PerformanceTransformer, the same code as the studio's Continue tool).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/CommandSupport.h"
#include "cli/commands/TransformerCommands.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_transformer/TransformerContinuation.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "generate";
constexpr double kDefaultSeconds = 30.0;  // as performance_rnn's default length

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

/// The continuation alone, moved to start at 0 s.
core::NoteSequence continuationOnly(const ml::TransformerTake& take) {
    core::NoteSequence out = take.continuation;
    for (core::Note& n : out.notes) {
        n.startTime -= take.startSeconds;
        n.endTime -= take.startSeconds;
    }
    out.totalTime = take.endSeconds - take.startSeconds;
    return out;
}

}  // namespace

int generateWithMusicTransformer(ArgParser& parser, const ml::ModelSpec& spec,
                                 const core::NoteSequence& primer,
                                 const ml::GenerationOptions& base,
                                 const std::vector<std::string>& paths) {
    for (const char* option :
         {"--bars", "--steps", "--num-steps", "--key", "--scale", "--chords", "--steps-per-chord",
          "--qpm", "--beam-size", "--branch-factor", "--steps-per-iteration", "--density",
          "--pitch-histogram", "--align"})
        if (parser.has(option))
            return usageError(kName, std::string(option) + " is not for Music Transformers; " +
                                         spec.id +
                                         " takes --seconds, --temperature, --top-k, --top-p");
    ml::TransformerContinuationOptions options;
    options.seconds = kDefaultSeconds;
    if (parser.has("--seconds")) {
        const auto seconds = parser.doubleValue("--seconds", 0.01, 3600.0);
        if (!seconds) return usageError(kName, parser.error());
        options.seconds = *seconds;
    }
    if (parser.has("--top-k")) {
        const auto k = parser.intValue("--top-k", 0, 1000000);
        if (!k) return usageError(kName, parser.error());
        options.sampling.topK = *k;
    }
    if (const auto text = parser.value("--top-p")) {
        const auto p = parser.doubleValue("--top-p", 0.0, 1.0);
        if (!p || *p <= 0.0)
            return usageError(kName, "--top-p " + *text + ": must be above 0 and at most 1");
        options.sampling.topP = *p;
    }
    options.sampling.temperature = base.temperature;
    if (core::Status s = options.sampling.validate(); !s)
        return usageError(kName, s.errorMessage());

    auto model = ml::PerformanceTransformer::load(spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::PerformanceTransformer& transformer = **model;

    core::JsonValue summary = core::JsonValue::array();
    const uint64_t firstSeed = base.seed.value_or(ml::Rng::randomSeed());
    for (size_t i = 0; i < paths.size(); ++i) {
        ml::TransformerContinuationOptions run = options;
        run.seed = firstSeed + i;
        const auto started = std::chrono::steady_clock::now();
        auto takes = transformer.continuePerformance(primer, run);
        if (!takes) return fail(kExitFailure, takes.errorMessage());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const ml::TransformerTake& take = takes->front();
        const core::NoteSequence written =
            parser.has("--continuation-only") ? continuationOnly(take) : take.whole;
        if (core::Status s = core::writeSequenceFile(written, paths[i]); !s)
            return fail(kExitOutputError, s.errorMessage());
        const double eventsPerSecond = static_cast<double>(take.events) / std::max(1e-9, seconds);
        core::JsonValue item = core::JsonValue::object();
        item.set("file", paths[i]);
        item.set("seed", static_cast<int64_t>(take.seed));
        item.set("notes", static_cast<int64_t>(written.notes.size()));
        item.set("generatedNotes", static_cast<int64_t>(take.continuation.notes.size()));
        item.set("startSeconds", take.startSeconds);
        item.set("endSeconds", take.endSeconds);
        item.set("filledSeconds", take.filledSeconds);
        item.set("primerEvents", take.primerEvents);
        item.set("events", take.events);
        item.set("seconds", seconds);
        item.set("eventsPerSecond", eventsPerSecond);
        summary.push(std::move(item));
        if (!parser.has("--json")) {
            char line[512];
            std::snprintf(line, sizeof line,
                          "Wrote %s: %zu notes, %.2f..%.2f s, seed %llu, %lld events filling "
                          "%.2f s (%.2f s, %.0f events/s)\n",
                          paths[i].c_str(), written.notes.size(), take.startSeconds,
                          take.endSeconds, static_cast<unsigned long long>(take.seed),
                          static_cast<long long>(take.events), take.filledSeconds, seconds,
                          eventsPerSecond);
            std::cout << line;
        }
    }
    if (parser.has("--json")) {
        core::JsonValue root = core::JsonValue::object();
        root.set("model", spec.id);
        root.set("modelFolder", spec.folder);
        root.set("family", spec.family);
        root.set("outputs", std::move(summary));
        std::cout << root.dump(2) << '\n';
    }
    return kExitOk;
}

}  // namespace toccata::cli
