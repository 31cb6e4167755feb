// toccata-cli generate: continue a primer (or start from nothing) with a music_rnn model —
// Magenta's melody_rnn_generate / drums_rnn_generate / improv_rnn_generate in one command.
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/ModelArgs.h"
#include "cli/commands/PerformanceCommands.h"
#include "cli/commands/PolyphonyCommands.h"
#include "cli/commands/TransformerCommands.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/generation/KeyScale.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "generate";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

int runGenerate(const std::vector<std::string>& args);

}  // namespace

extern const Command kGenerateCommand = {
    kName,
    "continue a primer or generate from nothing with an RNN or transformer model",
    R"(usage: toccata-cli generate --model DIR|ID [--primer in.mid] (--bars N | --steps N |
                            --num-steps N) [--temperature T] [--seed S]
                            [--beam-size B --branch-factor F --steps-per-iteration K]
                            [--chords "C G Am F" [--steps-per-chord N]] [--key C --scale major]
                            [--qpm Q] [--num-outputs K] (--out out.mid | --out-dir D)
                            [--continuation-only] [--primer-track N] [--align MODE] [--json]

Generates with a music_rnn model: Melody RNN (basic_rnn, mono_rnn, lookback_rnn,
attention_rnn), Drums RNN (drum_kit, one_drum) or Improv RNN (chord-conditioned), or
with a performance_rnn model (Performance RNN: piano with timing and dynamics), or with a
music_transformer model (Music Transformer: the same piano events, relative attention).

model:
  --model DIR|ID       a Toccata model folder, a Magenta.js checkpoint folder as downloaded
                       (config.json + weights_manifest.json), or the id of a known model
                       (see 'toccata-cli models list')
  --models-dir DIRS    more folders to look for model ids in (':'-separated)

input and length:
  --primer FILE        MIDI (.mid/.midi) or NoteSequence (.json) to continue; without it the
                       model starts from silence and the result starts at 0 s. The primer's
                       first tempo wins over --qpm (as in Magenta).
  --primer-track N     use only the notes of track (instrument) N of the primer
  --steps N            steps to generate after the primer (as Magenta.js)
  --num-steps N        total length in steps including the primer (as Magenta's --num_steps)
  --bars N             bars to generate after the primer (steps per bar from the primer's
                       time signature; 16 in 4/4 for most models)
                       (one of --steps/--num-steps/--bars; default --num-steps 128)
  --align MODE         where generation starts after the primer: next-step (default: right
                       after the last note), magenta-api (Magenta's Python API: one silent
                       step) or magenta-cli (Magenta's *_generate: one step later still)

sampling:
  --temperature T      0..10, default 1.0; 0 = always the most likely event (argmax)
  --seed S             same seed, same model, same options -> same output (default: random;
                       output i uses seed S+i-1)
  --beam-size B --branch-factor F --steps-per-iteration K
                       Magenta's beam search (default 1 1 1: plain sampling)
  --key K --scale S    melody models: only pitches of the key/scale are sampled, e.g.
                       --key F# --scale dorian (major, minor, harmonic-minor, dorian,
                       mixolydian, major-pentatonic, minor-pentatonic, blues, chromatic)
  --chords "C G Am F"  chord-conditioned models: the progression, each chord lasting
                       --steps-per-chord steps (default 16), repeated to the end
  --qpm Q              tempo when the primer has none (default 120)

performance models (performance_rnn: Performance RNN, 10 ms steps, velocities):
  --seconds S          seconds to generate after the primer (or --steps N of 10 ms, or
                       --num-steps N in all; default --num-steps 3000 = 30 s, as Magenta)
  --density N          desired notes per second (default 15): sets the RNN step budget
                       (ceil(4 x N x steps / 100)) and conditions density-conditioned models
  --pitch-histogram W  pitch-conditioned models: 12 weights C, C#, .., B, e.g.
                       "2,0,1,0,1,1,0,1,0,1,0,1" (C major, C twice as likely)

transformer models (music_transformer: the same 10 ms events and velocities):
  --seconds S          seconds to generate after the primer (default 30); only the primer's
                       last context window of events is heard
  --top-k K            sample among the K most likely events (default 0: all)
  --top-p P            sample among the most likely events holding mass P (0 < P <= 1,
                       default 1: all); applied after --top-k, both after --temperature

polyphony models (polyphony_rnn: Polyphony RNN, 4 steps per quarter):
  --primer-pitches P   a chord lasting one quarter as the primer, e.g. "60,64,67"
  --condition-on-primer  the model reads the primer before generating (Magenta default: off)
  --no-inject-primer   do not force the primer's notes into the generated steps (default: on)
  --no-grammar-mask    sample as Magenta does, without masking events that break the stream

output:
  --out FILE           .mid or .json; with --num-outputs K > 1: FILE_1.mid ... FILE_K.mid
  --out-dir D          writes D/<model>_<date>_<n>.mid
  --num-outputs K      1..100 outputs (default 1)
  --continuation-only  leave the primer out and start the result at 0 s
  --json               print a JSON summary of the outputs on stdout

exit codes: 0 ok, 1 generation failed, 2 bad arguments, 3 unreadable primer or model files,
            4 output not writable, 5 model not found
)",
    runGenerate,
};

namespace {

struct Length {
    std::optional<int64_t> steps, numSteps;
    std::optional<int64_t> bars;
};

std::string dateStamp() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::ostringstream out;
    out << std::put_time(&local, "%Y-%m-%d_%H%M%S");
    return out.str();
}

std::vector<std::string> outputPaths(const ArgParser& parser, const std::string& modelId,
                                     int count) {
    std::vector<std::string> paths;
    if (const auto dir = parser.value("--out-dir")) {
        const std::string stamp = dateStamp();
        for (int i = 1; i <= count; ++i) {
            std::ostringstream name;
            name << modelId << '_' << stamp << '_' << std::setw(2) << std::setfill('0') << i
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

/// The continuation alone, moved to start at 0 s.
core::NoteSequence continuationOnly(const ml::GenerationResult& result, int stepsPerQuarter) {
    core::NoteSequence out = ml::generatedPart(result, stepsPerQuarter);
    const double secondsPerStep = 60.0 / result.qpm / stepsPerQuarter;
    const double start = static_cast<double>(result.startStep) * secondsPerStep;
    for (core::Note& note : out.notes) {
        note.startTime = std::max(0.0, note.startTime - start);
        note.endTime = std::max(note.startTime, note.endTime - start);
    }
    out.totalTime = static_cast<double>(result.endStep - result.startStep) * secondsPerStep;
    return out;
}

std::vector<std::string> splitChords(const std::string& text) {
    std::vector<std::string> chords;
    std::istringstream in(text);
    for (std::string chord; in >> chord;) chords.push_back(chord);
    return chords;
}

int runGenerate(const std::vector<std::string>& args) {
    // Polyphony RNN models take their own options (GeneratePolyphony.cpp).
    if (auto code = generatePolyphonyIfPolyphonic(args)) return *code;
    ArgParser parser({"--model",         "--models-dir",
                      "--primer",        "--primer-track",
                      "--bars",          "--steps",
                      "--num-steps",     "--temperature",
                      "--seed",          "--beam-size",
                      "--branch-factor", "--steps-per-iteration",
                      "--chords",        "--steps-per-chord",
                      "--key",           "--scale",
                      "--qpm",           "--num-outputs",
                      "--out",           "--out-dir",
                      "--align",         "--seconds",
                      "--density",       "--pitch-histogram",
                      "--top-k",         "--top-p"},
                     {"--continuation-only", "--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kGenerateCommand, parser, args, exitCode)) return exitCode;

    // --- Arguments first, so a typo costs nothing.
    if (!parser.has("--model")) return usageError(kName, "--model DIR|ID is required");
    if (parser.has("--out") == parser.has("--out-dir"))
        return usageError(kName, "give exactly one of --out FILE and --out-dir DIR");
    const int lengths =
        int(parser.has("--bars")) + int(parser.has("--steps")) + int(parser.has("--num-steps"));
    if (lengths > 1) return usageError(kName, "give only one of --bars, --steps and --num-steps");

    ml::GenerationOptions options;
    Length length;
    struct IntOption {
        const char* name;
        long long min, max;
        std::function<void(long long)> set;
    };
    const std::vector<IntOption> ints = {
        {"--steps", 1, 100000, [&](long long v) { length.steps = v; }},
        {"--num-steps", 1, 100000, [&](long long v) { length.numSteps = v; }},
        {"--bars", 1, 1000, [&](long long v) { length.bars = v; }},
        {"--beam-size", 1, 64, [&](long long v) { options.beamSize = int(v); }},
        {"--branch-factor", 1, 64, [&](long long v) { options.branchFactor = int(v); }},
        {"--steps-per-iteration", 1, 10000,
         [&](long long v) { options.stepsPerIteration = int(v); }},
        {"--steps-per-chord", 1, 10000, [&](long long v) { options.stepsPerChord = int(v); }},
        {"--seed", 0, (1LL << 62), [&](long long v) { options.seed = uint64_t(v); }},
    };
    for (const IntOption& o : ints) {
        if (!parser.has(o.name)) continue;
        const auto v = parser.intValue(o.name, o.min, o.max);
        if (!v) return usageError(kName, parser.error());
        o.set(*v);
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
    if (parser.has("--key") || parser.has("--scale")) {
        auto key = ml::KeyScale::parse(parser.valueOr("--key", "C") + " " +
                                       parser.valueOr("--scale", "major"));
        if (!key) return usageError(kName, key.errorMessage());
        options.keyScale = *key;
    }
    if (const auto chords = parser.value("--chords")) {
        options.chords = splitChords(*chords);
        if (options.chords.empty()) return usageError(kName, "--chords is empty");
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
    if (core::Status s = options.validate(); !s) return usageError(kName, s.errorMessage());
    if (const auto out = parser.value("--out")) {
        const auto kind = core::sequenceFileKind(*out);
        if (kind == core::SequenceFileKind::Unknown)
            return usageError(kName, "--out must end in .mid, .midi or .json: '" + *out + "'");
        if (const std::string problem = outputProblem(*out); !problem.empty())
            return fail(kExitOutputError, problem);
    } else if (const std::string problem = makeOutputFolder(*parser.value("--out-dir"));
               !problem.empty()) {
        return fail(kExitOutputError, problem);
    }

    // --- Primer.
    core::NoteSequence primer;
    if (const auto path = parser.value("--primer")) {
        auto loaded = loadSequence(kName, *path);
        if (!loaded) return kExitInputError;
        primer = std::move(*loaded);
    }
    if (parser.has("--primer-track")) {
        const auto track = parser.intValue("--primer-track", 0, 1000000);
        if (!track) return usageError(kName, parser.error());
        std::vector<core::Note> kept;
        for (const core::Note& n : primer.notes)
            if (n.instrument == *track) kept.push_back(n);
        if (kept.empty())
            return usageError(kName, "the primer has no notes on track " + std::to_string(*track) +
                                         " (see 'toccata-cli info --in FILE')");
        primer.notes = std::move(kept);
    }

    // --- Model.
    ModelLookup lookup = resolveModel(kName, parser);
    if (lookup.exitCode != kExitOk) return lookup.exitCode;
    // Music Transformer: seconds, top-k, top-p (GenerateTransformer.cpp).
    if (lookup.spec.family == "music_transformer")
        return generateWithMusicTransformer(parser, lookup.spec, primer, options,
                                            outputPaths(parser, lookup.spec.id, outputs));
    for (const std::string& option : transformerGenerateOptions())
        if (parser.has(option))
            return usageError(kName, option + " is for music_transformer models; " +
                                         lookup.spec.id + " is a " + lookup.spec.family + " model");
    // Performance RNN: lengths in seconds, density and pitch controls (GeneratePerformance.cpp).
    if (lookup.spec.family == "performance_rnn") {
        if (length.steps) options.steps = *length.steps;
        if (length.numSteps) options.numSteps = *length.numSteps;
        return generateWithPerformanceRnn(parser, lookup.spec, primer, options,
                                          outputPaths(parser, lookup.spec.id, outputs));
    }
    for (const std::string& option : performanceGenerateOptions())
        if (parser.has(option))
            return usageError(kName, option + " is for performance_rnn models; " + lookup.spec.id +
                                         " is a " + lookup.spec.family + " model");
    auto model = ml::MusicRnnGenerator::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    ml::MusicRnnGenerator& generator = **model;
    if (options.keyScale && generator.isDrums())
        return usageError(kName, "--key/--scale are for melody models; " + generator.spec().id +
                                     " generates drums");
    if (length.bars)
        options.steps = *length.bars * ml::stepsPerBarOf(primer, generator.codec().stepsPerQuarter);
    if (length.steps) options.steps = *length.steps;
    if (length.numSteps) options.numSteps = *length.numSteps;

    // --- Generate and write.
    const std::vector<std::string> paths = outputPaths(parser, generator.spec().id, outputs);
    core::JsonValue summary = core::JsonValue::array();
    const uint64_t firstSeed = options.seed.value_or(0);
    for (int i = 0; i < outputs; ++i) {
        ml::GenerationOptions run = options;
        if (options.seed) run.seed = firstSeed + uint64_t(i);
        const auto started = std::chrono::steady_clock::now();
        auto result = generator.generate(primer, run);
        if (!result) return fail(kExitFailure, result.errorMessage());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        // From nothing, the step before the first generated one only primes the model.
        const bool dropPrimer = parser.has("--continuation-only") || primer.notes.empty();
        const core::NoteSequence written =
            dropPrimer ? continuationOnly(*result, generator.codec().stepsPerQuarter)
                       : result->sequence;
        if (core::Status s = core::writeSequenceFile(written, paths[size_t(i)]); !s)
            return fail(kExitOutputError, s.errorMessage());
        core::JsonValue item = core::JsonValue::object();
        item.set("file", paths[size_t(i)]);
        item.set("seed", static_cast<int64_t>(result->seed));
        item.set("logLikelihood", result->logLikelihood);
        item.set("notes", static_cast<int64_t>(written.notes.size()));
        item.set("startStep", result->startStep);
        item.set("endStep", result->endStep);
        item.set("seconds", seconds);
        summary.push(std::move(item));
        if (!parser.has("--json"))
            std::cout << "Wrote " << paths[size_t(i)] << ": " << written.notes.size()
                      << " notes, steps " << result->startStep << ".." << result->endStep
                      << ", seed " << result->seed << ", log-likelihood " << std::fixed
                      << std::setprecision(3) << result->logLikelihood << " ("
                      << std::setprecision(2) << seconds << " s)\n";
    }
    if (parser.has("--json")) {
        core::JsonValue root = core::JsonValue::object();
        root.set("model", generator.spec().id);
        root.set("modelFolder", generator.spec().folder);
        root.set("config", generator.codec().id);
        root.set("outputs", std::move(summary));
        std::cout << root.dump(2) << '\n';
    }
    return kExitOk;
}

}  // namespace
}  // namespace toccata::cli
