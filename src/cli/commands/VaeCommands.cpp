// toccata-cli sample / interpolate / groove / drumify: the MusicVAE and GrooVAE tools
// (Magenta Studio's Generate, Interpolate, Groove and Drumify) on the command line.
// All four share ml::MusicVaeGenerator with the studio.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/ModelArgs.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/generation/KeyScale.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;

int runSample(const std::vector<std::string>& args);
int runInterpolate(const std::vector<std::string>& args);
int runGroove(const std::vector<std::string>& args);
int runDrumify(const std::vector<std::string>& args);

constexpr const char* kModelHelp = R"(model:
  --model DIR|ID       a Toccata music_vae model folder, a Magenta.js MusicVAE checkpoint
                       folder as downloaded (config.json + weights_manifest.json), or the id
                       of a known model (see 'toccata-cli models list')
  --models-dir DIRS    more folders to look for model ids in (':'-separated)
)";

}  // namespace

extern const Command kSampleCommand = {
    "sample",
    "new phrases from a MusicVAE model's latent space",
    R"(usage: toccata-cli sample --model DIR|ID [--count N] [--bars B] [--temperature T]
                          [--seed S] [--key K --scale S] [--qpm Q]
                          (--out-dir D | --out FILE) [--json]

Draws z ~ N(0, I) and decodes it (Magenta Studio's Generate). Longer than the model's own
length (--bars), each next chunk continues from the last one's z and final step.

  --count N            1..64 sequences (default 4)
  --bars B             length in bars (default: the model's own, e.g. 2)
  --temperature T      0..2, default 0.5; 0 = always the most likely output (argmax)
  --seed S             same seed, same model, same options -> same output (default 0)
  --key K --scale S    melody and trio models: only pitches of the key/scale are sampled
                       (trio: melody and bass), e.g. --key D --scale major (major, minor,
                       harmonic-minor, dorian, mixolydian, major-pentatonic,
                       minor-pentatonic, blues, chromatic); not for drum or groove models
  --qpm Q              tempo of the output (default 120)
  --out-dir D          writes D/<model>_sample_01.mid ...
  --out FILE           writes all samples one after another into one .mid/.json file
  --json               print a JSON summary on stdout
)"
    "\n"
    "exit codes: 0 ok, 1 generation failed, 2 bad arguments, 3 unreadable model files,\n"
    "            4 output not writable, 5 model not found\n",
    runSample,
};

extern const Command kInterpolateCommand = {
    "interpolate",
    "morph one clip into another through a MusicVAE model's latent space",
    R"(usage: toccata-cli interpolate --model DIR|ID --from A.mid --to B.mid [--steps N]
                               [--temperature T] [--path linear|slerp] [--seed S]
                               (--out-dir D | --out FILE) [--json]

Encodes both clips and decodes N points between their latent codes: the first and last
results are A's and B's reconstructions (as Magenta.js), nothing is trimmed. Clips longer
than the model are handled bar-group by bar-group; a shorter clip is looped.

  --from FILE --to FILE   MIDI (.mid/.midi) or NoteSequence (.json), 4/4
  --steps N            1..64 results including both ends (default 5)
  --temperature T      0..2, default 0 (argmax, as Magenta.js)
  --path P             linear (Magenta.js, default) or slerp (Magenta's Python API)
  --seed S             for temperature > 0 (default 0)
  --out-dir D          writes D/<model>_interp_01_of_05.mid ...
  --out FILE           one clip: the results one after another
  --json               print a JSON summary on stdout
)"
    "\n"
    "exit codes: 0 ok, 1 interpolation failed, 2 bad arguments, 3 unreadable input or model,\n"
    "            4 output not writable, 5 model not found\n",
    runInterpolate,
};

extern const Command kGrooveCommand = {
    "groove",
    "humanize a drum track with a GrooVAE model (timing and velocity)",
    R"(usage: toccata-cli groove --model DIR|ID --in D.mid --out X.mid [--amount A]
                          [--free-hits] [--temperature T] [--seed S] [--track N] [--json]

Encodes the quantized drums bar-group by bar-group and decodes them with a drummer's
micro-timing and dynamics (Magenta Studio's Groove, any length). The file's other tracks are
written back unchanged. With an add-instrument model (trained with --config
groovae_2bar_add_closed_hh) the beat stays as played and the model adds its hi-hat.

  --in FILE            MIDI or NoteSequence JSON with drums (channel 10, or --track N)
  --amount A           0..1 (default 1): 0 keeps the input, 1 is the model's groove;
                       between, timing and velocity are blended hit by hit
  --temperature T      0..2, default 0 (hits where the model is over 50% sure; only
                       with --free-hits)
  --free-hits          let the model drop and add hits (Magenta Studio's Groove); by
                       default every input hit stays, with the model's timing and velocity
  --track N            groove only the notes of track (instrument) N
  --out FILE           .mid or .json
)"
    "\n"
    "exit codes: 0 ok, 1 groove failed, 2 bad arguments, 3 unreadable input or model,\n"
    "            4 output not writable, 5 model not found\n",
    runGroove,
};

extern const Command kDrumifyCommand = {
    "drumify",
    "turn any rhythm into a full drum pattern with a GrooVAE tap2drum model",
    R"(usage: toccata-cli drumify --model DIR|ID --in R.mid --out X.mid [--temperature T]
                           [--seed S] [--track N] [--json]

Every note of the input (any pitch, any track, or only --track N) counts as a tap; the model
answers with a drum kit that follows that rhythm and its feel (Magenta Studio's Drumify).

  --in FILE            MIDI or NoteSequence JSON
  --temperature T      0..2, default 0
  --track N            use only the notes of track (instrument) N
  --out FILE           .mid or .json (the drums only)
)"
    "\n"
    "exit codes: 0 ok, 1 drumify failed, 2 bad arguments, 3 unreadable input or model,\n"
    "            4 output not writable, 5 model not found\n",
    runDrumify,
};

namespace {

struct Common {
    double temperature = 0.0;
    uint64_t seed = 0;
};

/// --temperature and --seed; false after printing a usage error into `exitCode`.
bool readCommon(const char* name, ArgParser& parser, Common& common, double defaultTemperature,
                int& exitCode) {
    common.temperature = defaultTemperature;
    if (parser.has("--temperature")) {
        const auto t = parser.doubleValue("--temperature", 0.0, 2.0);
        if (!t) {
            exitCode = usageError(name, parser.error());
            return false;
        }
        common.temperature = *t;
    }
    if (parser.has("--seed")) {
        const auto s = parser.intValue("--seed", 0, (1LL << 62));
        if (!s) {
            exitCode = usageError(name, parser.error());
            return false;
        }
        common.seed = static_cast<uint64_t>(*s);
    }
    return true;
}

/// The model, loaded as a MusicVAE; nullptr after printing the error into `exitCode`.
std::unique_ptr<ml::MusicVaeGenerator> loadVae(const char* name, const ArgParser& parser,
                                               int& exitCode) {
    if (!parser.has("--model")) {
        exitCode = usageError(name, "--model DIR|ID is required");
        return nullptr;
    }
    ModelLookup lookup = resolveModel(name, parser);
    if (lookup.exitCode != kExitOk) {
        exitCode = lookup.exitCode;
        return nullptr;
    }
    if (lookup.spec.family != "music_vae") {
        exitCode = commandFailure(name, kExitUsage,
                                  lookup.spec.id + " is a " + lookup.spec.family +
                                      " model; " + name + " needs a MusicVAE model "
                                      "(see 'toccata-cli models list')");
        return nullptr;
    }
    auto model = ml::MusicVaeGenerator::load(lookup.spec);
    if (!model) {
        exitCode = commandFailure(name, kExitInputError, model.errorMessage());
        return nullptr;
    }
    return std::move(model.value());
}

/// Checks --out (a .mid/.midi/.json that can be written) or --out-dir; kExitOk when fine.
int checkOutputs(const char* name, const ArgParser& parser, bool allowDir) {
    if (allowDir && parser.has("--out") == parser.has("--out-dir"))
        return usageError(name, "give exactly one of --out FILE and --out-dir DIR");
    if (!allowDir && !parser.has("--out")) return usageError(name, "--out FILE is required");
    if (const auto out = parser.value("--out")) {
        if (core::sequenceFileKind(*out) == core::SequenceFileKind::Unknown)
            return usageError(name, "--out must end in .mid, .midi or .json: '" + *out + "'");
        if (const std::string problem = outputProblem(*out); !problem.empty())
            return commandFailure(name, kExitOutputError, problem);
    } else if (const std::string problem = makeOutputFolder(*parser.value("--out-dir"));
               !problem.empty()) {
        return commandFailure(name, kExitOutputError, problem);
    }
    return kExitOk;
}

/// The sequences one after another (each starting where the previous one's length ends).
core::NoteSequence oneAfterAnother(const std::vector<core::NoteSequence>& parts) {
    core::NoteSequence out;
    if (!parts.empty()) {
        out.tempos = parts.front().tempos;
        out.timeSignatures = parts.front().timeSignatures;
    }
    double offset = 0.0;
    for (const core::NoteSequence& part : parts) {
        for (core::Note n : part.notes) {
            n.startTime += offset;
            n.endTime += offset;
            n.quantizedStartStep = n.quantizedEndStep = 0;
            out.notes.push_back(n);
        }
        offset += part.totalTime;
    }
    out.totalTime = offset;
    return out;
}

/// Writes `results` to --out (joined) or --out-dir (one file each, `<stem>_NN[suffix].mid`).
int writeResults(const char* name, const ArgParser& parser,
                 const std::vector<core::NoteSequence>& results, const std::string& stem,
                 const std::string& suffix, core::JsonValue& files) {
    std::vector<std::pair<std::string, const core::NoteSequence*>> writes;
    core::NoteSequence joined;
    if (const auto out = parser.value("--out")) {
        if (results.size() == 1) {
            writes.emplace_back(*out, &results.front());  // as is: keeps tracks and channels
        } else {
            joined = oneAfterAnother(results);
            writes.emplace_back(*out, &joined);
        }
    } else {
        for (size_t i = 0; i < results.size(); ++i) {
            std::ostringstream file;
            file << stem << '_' << std::setw(2) << std::setfill('0') << (i + 1) << suffix
                 << ".mid";
            writes.emplace_back((fs::path(*parser.value("--out-dir")) / file.str()).string(),
                                &results[i]);
        }
    }
    for (const auto& [path, seq] : writes) {
        if (core::Status s = core::writeSequenceFile(*seq, path); !s)
            return commandFailure(name, kExitOutputError, s.errorMessage());
        core::JsonValue item = core::JsonValue::object();
        item.set("file", path);
        item.set("notes", static_cast<int64_t>(seq->notes.size()));
        item.set("seconds", seq->totalTime);
        files.push(std::move(item));
        if (!parser.has("--json"))
            std::cout << "Wrote " << path << ": " << seq->notes.size() << " notes, "
                      << std::fixed << std::setprecision(2) << seq->totalTime << " s\n";
    }
    return kExitOk;
}

void printJson(const ArgParser& parser, const ml::MusicVaeGenerator& model, core::JsonValue files) {
    if (!parser.has("--json")) return;
    core::JsonValue root = core::JsonValue::object();
    root.set("model", model.spec().id);
    root.set("modelFolder", model.spec().folder);
    root.set("outputs", std::move(files));
    std::cout << root.dump(2) << '\n';
}

int runSample(const std::vector<std::string>& args) {
    const char* name = kSampleCommand.name;
    ArgParser parser({"--model", "--models-dir", "--count", "--bars", "--temperature", "--seed",
                      "--key", "--scale", "--qpm", "--out", "--out-dir"},
                     {"--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kSampleCommand, parser, args, exitCode)) return exitCode;
    ml::VaeSampleOptions options;
    options.count = 4;
    Common common;
    if (!readCommon(name, parser, common, 0.5, exitCode)) return exitCode;
    options.temperature = common.temperature;
    options.seed = common.seed;
    if (parser.has("--count")) {
        const auto n = parser.intValue("--count", 1, 64);
        if (!n) return usageError(name, parser.error());
        options.count = static_cast<int>(*n);
    }
    if (parser.has("--bars")) {
        const auto b = parser.intValue("--bars", 1, 1024);
        if (!b) return usageError(name, parser.error());
        options.bars = *b;
    }
    if (parser.has("--qpm")) {
        const auto q = parser.doubleValue("--qpm", 1.0, 1000.0);
        if (!q) return usageError(name, parser.error());
        options.qpm = *q;
    }
    if (parser.has("--key") || parser.has("--scale")) {
        auto key = ml::KeyScale::parse(parser.valueOr("--key", "C") + " " +
                                       parser.valueOr("--scale", "major"));
        if (!key) return usageError(name, key.errorMessage());
        options.keyScale = *key;
    }
    if (int rc = checkOutputs(name, parser, true); rc != kExitOk) return rc;
    auto model = loadVae(name, parser, exitCode);
    if (!model) return exitCode;
    // A key lock masks pitches: only melody and trio models have any.
    const ml::VaeConverterType type = model->converter().config().type;
    if (options.keyScale && type != ml::VaeConverterType::Melody &&
        type != ml::VaeConverterType::Trio)
        return usageError(name, "--key/--scale are for melody and trio models; " +
                                    model->spec().id + " generates drums");
    auto results = model->sample(options);
    if (!results) return commandFailure(name, kExitFailure, results.errorMessage());
    core::JsonValue files = core::JsonValue::array();
    if (int rc = writeResults(name, parser, *results, model->spec().id + "_sample", "", files);
        rc != kExitOk)
        return rc;
    printJson(parser, *model, std::move(files));
    return kExitOk;
}

int runInterpolate(const std::vector<std::string>& args) {
    const char* name = kInterpolateCommand.name;
    ArgParser parser({"--model", "--models-dir", "--from", "--to", "--steps", "--temperature",
                      "--path", "--seed", "--out", "--out-dir"},
                     {"--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kInterpolateCommand, parser, args, exitCode)) return exitCode;
    if (!parser.has("--from") || !parser.has("--to"))
        return usageError(name, "--from A.mid and --to B.mid are required");
    ml::VaeInterpolateOptions options;
    Common common;
    if (!readCommon(name, parser, common, 0.0, exitCode)) return exitCode;
    options.temperature = common.temperature;
    options.seed = common.seed;
    if (parser.has("--steps")) {
        const auto n = parser.intValue("--steps", 1, 64);
        if (!n) return usageError(name, parser.error());
        options.steps = static_cast<int>(*n);
    }
    const std::string path = parser.valueOr("--path", "linear");
    if (path == "slerp" || path == "spherical")
        options.path = ml::LatentPath::Spherical;
    else if (path != "linear" && path != "lerp")
        return usageError(name, "--path must be linear or slerp, not '" + path + "'");
    if (int rc = checkOutputs(name, parser, true); rc != kExitOk) return rc;
    auto from = loadSequence(name, *parser.value("--from"));
    if (!from) return kExitInputError;
    auto to = loadSequence(name, *parser.value("--to"));
    if (!to) return kExitInputError;
    auto model = loadVae(name, parser, exitCode);
    if (!model) return exitCode;
    auto results = model->interpolate(*from, *to, options);
    if (!results) return commandFailure(name, kExitFailure, results.errorMessage());
    core::JsonValue files = core::JsonValue::array();
    std::ostringstream suffix;
    suffix << "_of_" << std::setw(2) << std::setfill('0') << options.steps;
    if (int rc = writeResults(name, parser, *results, model->spec().id + "_interp", suffix.str(),
                              files);
        rc != kExitOk)
        return rc;
    printJson(parser, *model, std::move(files));
    return kExitOk;
}

/// groove and drumify: --in, --track, --out, and what to do with the result.
int runGrooveLike(const Command& command, const std::vector<std::string>& args, bool drumify) {
    const char* name = command.name;
    std::set<std::string> valued = {"--model", "--models-dir", "--in", "--out",
                                    "--temperature", "--seed", "--track"};
    if (!drumify) valued.insert("--amount");
    ArgParser parser(valued, drumify ? std::set<std::string>{"--json"}
                                     : std::set<std::string>{"--json", "--free-hits"});
    int exitCode = kExitOk;
    if (!parseArgs(command, parser, args, exitCode)) return exitCode;
    if (!parser.has("--in")) return usageError(name, "--in FILE is required");
    ml::VaeGrooveOptions options;
    Common common;
    if (!readCommon(name, parser, common, 0.0, exitCode)) return exitCode;
    options.temperature = common.temperature;
    options.seed = common.seed;
    options.keepHits = !parser.has("--free-hits");
    if (parser.has("--amount")) {
        const auto a = parser.doubleValue("--amount", 0.0, 1.0);
        if (!a) return usageError(name, parser.error());
        options.amount = *a;
    }
    std::optional<long long> track;
    if (parser.has("--track")) {
        track = parser.intValue("--track", 0, 1000000);
        if (!track) return usageError(name, parser.error());
    }
    if (int rc = checkOutputs(name, parser, false); rc != kExitOk) return rc;
    auto input = loadSequence(name, *parser.value("--in"));
    if (!input) return kExitInputError;
    // What the model sees, and what is written back untouched.
    core::NoteSequence source = *input, rest = *input;
    source.notes.clear();
    rest.notes.clear();
    bool anyDrum = false;
    for (const core::Note& n : input->notes) anyDrum = anyDrum || n.isDrum;
    for (const core::Note& n : input->notes) {
        const bool take = track ? n.instrument == *track : (drumify || n.isDrum || !anyDrum);
        (take ? source : rest).notes.push_back(n);
    }
    if (source.notes.empty())
        return usageError(name, *parser.value("--in") +
                                    (track ? " has no notes on track " + std::to_string(*track)
                                           : std::string(" has no drum notes (use --track N)")) +
                                    " (see 'toccata-cli info --in FILE')");
    auto model = loadVae(name, parser, exitCode);
    if (!model) return exitCode;
    auto result = drumify ? model->drumify(source, options) : model->groove(source, options);
    if (!result) return commandFailure(name, kExitFailure, result.errorMessage());
    core::NoteSequence written = drumify ? *result : rest;
    if (!drumify) {
        // Back on the drum track it came from (channel and track survive the MIDI round trip).
        const int instrument = source.notes.front().instrument;
        for (core::Note n : result->notes) {
            n.instrument = instrument;
            n.isDrum = source.notes.front().isDrum || n.isDrum;
            written.notes.push_back(n);
        }
        written.quantizationInfo = {};
        written.totalQuantizedSteps = 0;
        written.sortByTime();
        written.recomputeTotalTime();
    } else {
        written.tempos = input->tempos;
    }
    core::JsonValue files = core::JsonValue::array();
    if (int rc = writeResults(name, parser, {written}, "", "", files); rc != kExitOk) return rc;
    printJson(parser, *model, std::move(files));
    return kExitOk;
}

int runGroove(const std::vector<std::string>& args) {
    return runGrooveLike(kGrooveCommand, args, false);
}

int runDrumify(const std::vector<std::string>& args) {
    return runGrooveLike(kDrumifyCommand, args, true);
}

}  // namespace
}  // namespace toccata::cli
