// toccata-cli generate with a Polyphony RNN model: Magenta's polyphony_rnn_generate —
// a primer file or --primer-pitches (a chord lasting one quarter), --condition-on-primer and
// --no-inject-primer (Magenta's defaults: no conditioning, injection on), length in steps or
// bars, temperature, seed and beam search.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/PolyphonyCommands.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

namespace toccata::cli {

extern const Command kGenerateCommand;

namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "generate";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

/// The value of --name / --name=value in raw args ("" when absent).
std::string rawValue(const std::vector<std::string>& args, const std::string& name) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name && i + 1 < args.size()) return args[i + 1];
        if (args[i].rfind(name + "=", 0) == 0) return args[i].substr(name.size() + 1);
    }
    return {};
}

/// "60,64,67" or "[60, 64, 67]" -> pitches; the error names the token.
core::Result<std::vector<int>> parsePitches(const std::string& text) {
    std::vector<int> pitches;
    std::stringstream in(text);
    for (std::string token; std::getline(in, token, ',');) {
        const size_t a = token.find_first_not_of(" \t[]");
        const size_t b = token.find_last_not_of(" \t[]");
        const std::string t = a == std::string::npos ? "" : token.substr(a, b - a + 1);
        char* end = nullptr;
        const long v = std::strtol(t.c_str(), &end, 10);
        if (t.empty() || *end != '\0') return core::Error{"'" + t + "' is not a MIDI pitch"};
        if (v < 0 || v > 127) return core::Error{"pitch " + t + " is outside 0..127"};
        pitches.push_back(static_cast<int>(v));
    }
    if (pitches.empty()) return core::Error{"no pitches given"};
    return pitches;
}

std::vector<std::string> outputPaths(const ArgParser& parser, const std::string& modelId,
                                     int count) {
    std::vector<std::string> paths;
    if (const auto dir = parser.value("--out-dir")) {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        std::ostringstream stamp;
        stamp << std::put_time(&local, "%Y-%m-%d_%H%M%S");
        for (int i = 1; i <= count; ++i) {
            std::ostringstream name;
            name << modelId << '_' << stamp.str() << '_' << std::setw(2) << std::setfill('0') << i
                 << ".mid";
            paths.push_back((fs::path(*dir) / name.str()).string());
        }
        return paths;
    }
    const fs::path out(*parser.value("--out"));
    if (count == 1) return {out.string()};
    for (int i = 1; i <= count; ++i) {
        fs::path p = out;
        p.replace_filename(out.stem().string() + "_" + std::to_string(i) +
                           out.extension().string());
        paths.push_back(p.string());
    }
    return paths;
}

/// The notes from the start step on, moved to start at 0 s.
core::NoteSequence continuationOnly(const ml::PolyphonyGenerationResult& r) {
    const double secondsPerStep = 60.0 / r.qpm / ml::kPolyphonyStepsPerQuarter;
    const double start = static_cast<double>(r.startStep) * secondsPerStep;
    core::NoteSequence out;
    out.tempos.push_back({0.0, r.qpm});
    for (const core::Note& n : r.sequence.notes) {
        if (n.startTime < start - 1e-6) continue;
        core::Note moved = n;
        moved.startTime -= start;
        moved.endTime -= start;
        out.notes.push_back(moved);
    }
    out.totalTime = static_cast<double>(r.endStep - r.startStep) * secondsPerStep;
    return out;
}

int runPolyphony(const std::vector<std::string>& args, const ml::ModelSpec& spec) {
    ArgParser parser(
        {"--model", "--models-dir", "--primer", "--primer-track", "--primer-pitches", "--bars",
         "--steps", "--num-steps", "--temperature", "--seed", "--beam-size", "--branch-factor",
         "--steps-per-iteration", "--qpm", "--num-outputs", "--out", "--out-dir", "--align"},
        {"--condition-on-primer", "--no-inject-primer", "--no-grammar-mask", "--continuation-only",
         "--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kGenerateCommand, parser, args, exitCode)) return exitCode;
    if (parser.has("--out") == parser.has("--out-dir"))
        return usageError(kName, "give exactly one of --out FILE and --out-dir DIR");
    if (int(parser.has("--bars")) + int(parser.has("--steps")) + int(parser.has("--num-steps")) > 1)
        return usageError(kName, "give only one of --bars, --steps and --num-steps");
    if (parser.has("--primer") && parser.has("--primer-pitches"))
        return usageError(kName, "give only one of --primer and --primer-pitches");

    ml::PolyphonyGenerationOptions options;
    options.conditionOnPrimer = parser.has("--condition-on-primer");
    options.injectPrimer = !parser.has("--no-inject-primer");
    options.enforceGrammar = !parser.has("--no-grammar-mask");
    std::optional<long long> bars;
    struct IntOption {
        const char* name;
        long long min, max;
    };
    for (const IntOption& o :
         {IntOption{"--steps", 1, 100000}, IntOption{"--num-steps", 1, 100000},
          IntOption{"--bars", 1, 1000}, IntOption{"--beam-size", 1, 64},
          IntOption{"--branch-factor", 1, 64}, IntOption{"--steps-per-iteration", 1, 10000},
          IntOption{"--seed", 0, (1LL << 62)}}) {
        if (!parser.has(o.name)) continue;
        const auto v = parser.intValue(o.name, o.min, o.max);
        if (!v) return usageError(kName, parser.error());
        const std::string name = o.name;
        if (name == "--steps") options.steps = *v;
        if (name == "--num-steps") options.numSteps = *v;
        if (name == "--bars") bars = *v;
        if (name == "--beam-size") options.beamSize = int(*v);
        if (name == "--branch-factor") options.branchFactor = int(*v);
        if (name == "--steps-per-iteration") options.stepsPerIteration = int(*v);
        if (name == "--seed") options.seed = uint64_t(*v);
    }
    if (parser.has("--temperature")) {
        const auto t = parser.doubleValue("--temperature", 0.0, 10.0);
        if (!t) return usageError(kName, parser.error());
        options.temperature = *t;
    }
    if (parser.has("--qpm")) {
        const auto q = parser.doubleValue("--qpm", 1.0, 1000.0);
        if (!q) return usageError(kName, parser.error());
        options.qpm = *q;
    }
    int outputs = 1;
    if (parser.has("--num-outputs")) {
        const auto k = parser.intValue("--num-outputs", 1, 100);
        if (!k) return usageError(kName, parser.error());
        outputs = int(*k);
    }
    const std::string align = parser.valueOr("--align", "next-step");
    if (align == "next-step")
        options.alignment = ml::PrimerAlignment::kNextStep;
    else if (align == "magenta-api")
        options.alignment = ml::PrimerAlignment::kMagentaApi;
    else if (align == "magenta-cli")
        options.alignment = ml::PrimerAlignment::kMagentaCli;
    else
        return usageError(
            kName, "--align must be next-step, magenta-api or magenta-cli, not '" + align + "'");
    if (const auto out = parser.value("--out")) {
        if (core::sequenceFileKind(*out) == core::SequenceFileKind::Unknown)
            return usageError(kName, "--out must end in .mid, .midi or .json: '" + *out + "'");
        if (const std::string problem = outputProblem(*out); !problem.empty())
            return fail(kExitOutputError, problem);
    } else if (const std::string problem = makeOutputFolder(*parser.value("--out-dir"));
               !problem.empty()) {
        return fail(kExitOutputError, problem);
    }

    // --- Primer.
    core::NoteSequence primer;
    if (const auto text = parser.value("--primer-pitches")) {
        auto pitches = parsePitches(*text);
        if (!pitches)
            return usageError(kName,
                              "--primer-pitches \"" + *text + "\": " + pitches.errorMessage());
        auto chord = ml::primerFromPitches(*pitches, options.qpm.value_or(core::kDefaultQpm));
        if (!chord) return usageError(kName, "--primer-pitches: " + chord.errorMessage());
        primer = std::move(*chord);
    } else if (const auto path = parser.value("--primer")) {
        auto loaded = loadSequence(kName, *path);
        if (!loaded) return kExitInputError;
        primer = std::move(*loaded);
    }
    if (parser.has("--primer-track")) {
        const auto track = parser.intValue("--primer-track", 0, 1000000);
        if (!track) return usageError(kName, parser.error());
        std::erase_if(primer.notes, [&](const core::Note& n) { return n.instrument != *track; });
        if (primer.notes.empty())
            return usageError(kName, "the primer has no notes on track " + std::to_string(*track));
    }
    if (bars) options.steps = *bars * ml::stepsPerBarOf(primer, ml::kPolyphonyStepsPerQuarter);
    if (core::Status s = options.validate(); !s) return usageError(kName, s.errorMessage());

    auto model = ml::PolyphonyRnnGenerator::load(spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    ml::PolyphonyRnnGenerator& generator = **model;

    const std::vector<std::string> paths = outputPaths(parser, spec.id, outputs);
    core::JsonValue summary = core::JsonValue::array();
    for (int i = 0; i < outputs; ++i) {
        ml::PolyphonyGenerationOptions run = options;
        if (options.seed) run.seed = *options.seed + uint64_t(i);
        const auto started = std::chrono::steady_clock::now();
        auto result = generator.generate(primer, run);
        if (!result) return fail(kExitFailure, result.errorMessage());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const core::NoteSequence written =
            parser.has("--continuation-only") ? continuationOnly(*result) : result->sequence;
        if (core::Status s = core::writeSequenceFile(written, paths[size_t(i)]); !s)
            return fail(kExitOutputError, s.errorMessage());
        core::JsonValue item = core::JsonValue::object();
        item.set("file", paths[size_t(i)]);
        item.set("seed", static_cast<int64_t>(result->seed));
        item.set("logLikelihood", result->logLikelihood);
        item.set("notes", static_cast<int64_t>(written.notes.size()));
        item.set("startStep", result->startStep);
        item.set("endStep", result->endStep);
        item.set("sampledEvents", result->sampledEvents);
        item.set("injectedEvents", result->injectedEvents);
        item.set("passes", static_cast<int64_t>(result->passes));
        item.set("seconds", seconds);
        summary.push(std::move(item));
        if (!parser.has("--json")) {
            char line[512];
            std::snprintf(
                line, sizeof line,
                "Wrote %s: %zu notes, steps %lld..%lld, seed %llu, %lld events sampled "
                "(%lld injected), log-likelihood %.3f (%.2f s)\n",
                paths[size_t(i)].c_str(), written.notes.size(),
                static_cast<long long>(result->startStep), static_cast<long long>(result->endStep),
                static_cast<unsigned long long>(result->seed),
                static_cast<long long>(result->sampledEvents),
                static_cast<long long>(result->injectedEvents), result->logLikelihood, seconds);
            std::cout << line;
        }
    }
    if (parser.has("--json")) {
        core::JsonValue root = core::JsonValue::object();
        root.set("model", spec.id);
        root.set("modelFolder", spec.folder);
        root.set("config", std::string("polyphony"));
        root.set("conditionOnPrimer", options.conditionOnPrimer);
        root.set("injectPrimer", options.injectPrimer);
        root.set("outputs", std::move(summary));
        std::cout << root.dump(2) << '\n';
    }
    return kExitOk;
}

}  // namespace

std::optional<int> generatePolyphonyIfPolyphonic(const std::vector<std::string>& args) {
    const std::string model = rawValue(args, "--model");
    if (model.empty()) return std::nullopt;
    std::vector<std::string> lookupArgs = {"--model", model};
    if (const std::string dirs = rawValue(args, "--models-dir"); !dirs.empty()) {
        lookupArgs.push_back("--models-dir");
        lookupArgs.push_back(dirs);
    }
    ArgParser lookup({"--model", "--models-dir"}, {});
    if (!lookup.parse(lookupArgs)) return std::nullopt;
    auto spec = catalogFor(lookup).resolve(model);
    if (!spec || spec->family != "polyphony_rnn") return std::nullopt;
    return runPolyphony(args, *spec);
}

}  // namespace toccata::cli
