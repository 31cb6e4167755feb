// toccata-cli bench vae: MusicVAE speed — one 4-bar sample and a 16-step interpolation — with
// Magenta.js (tools/bench/magentajs_music_vae_bench.js, tfjs CPU backend in Node) timed on the
// same checkpoint in the same run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "cli/commands/ModelArgs.h"
#include "core/FileIO.h"
#include "core/Json.h"
#include "core/NoteSequenceJson.h"
#include "ml/MlVersion.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"
#include "ml/weights/WeightsWriter.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;
using core::JsonValue;

const char* const kHelp =
    R"(usage: toccata-cli bench vae [--model DIR|ID] [--bars B] [--steps N] [--repeats R]
                            [--threads N] [--no-reference] [--node PATH] [--keep DIR] [--json]

Times Toccata's MusicVAE and, on the same checkpoint in the same run, Magenta.js 1.23.1 on
the tfjs CPU backend in Node (tools/bench/magentajs_music_vae_bench.js; install its modules
with 'cd tools/parity && npm ci --ignore-scripts'), both through their public APIs:
  sample       one B-bar sequence from z ~ N(0, I) at temperature 0.5 (Magenta.js's default;
               its sampling is unseeded, which does not matter for timing)
  interpolate  two fixed B-bar melodies -> N sequences: encode both, decode N by argmax
Each op runs once as a warm-up, then R times; the table shows the median milliseconds, the
speed-up and the goals (Toccata at least 10x Magenta.js, a 4-bar sample under 50 ms).

Without --model it writes a seeded random float32 checkpoint in the Magenta.js layout with
the sizes of the hosted mel_2bar_small (Magenta's cat-mel_2bar_small: MelodyConverter 21..108
= 90 classes, a flat BiLSTM encoder of 512 per direction, a 2x256 LSTM decoder, Z 256),
16*B steps long. The hosted mel_4bar_small_q2 publishes no sizes; this is the public "small"
melody config at the 4-bar length (q2's uint16 storage only shrinks the download, the maths
runs in float32 either way).

options:
  --model DIR|ID     bench this music_vae model instead; Toccata runs it at B bars (chained
                     or cut), Magenta.js at the model's own length (a note says so when that
                     is not B bars) if the folder is a Magenta.js checkpoint
  --models-dir DIRS  more folders to look for model ids in (':'-separated)
  --bars B           length in bars, 1..16 (default 4)
  --steps N          interpolation results including both ends, 2..64 (default 16)
  --repeats R        timed runs per op, 1..1000 (default 5)
  --threads N        libtorch intra-op threads, 1..256 (default: libtorch's own choice)
  --no-reference     skip Magenta.js
  --node PATH        Node.js to run Magenta.js with (default: $TOCCATA_NODE, then node)
  --keep DIR         write the checkpoint and the two input clips into DIR and keep them
  --json             print one JSON object on stdout instead of the table

exit codes: 0 ok, 1 a timed op failed, 2 bad arguments, 3 unreadable model,
            4 checkpoint not writable, 5 model not found or Magenta.js not available
)";

const Command kVaeBenchCommand = {"bench vae", "", kHelp, nullptr};

constexpr double kSampleTemperature = 0.5;  // Magenta.js MusicVAE.sample's default
constexpr int kGoalSpeedup = 10;
constexpr double kGoalSampleMs = 50.0;
constexpr int64_t kGoalBars = 4;

struct Plan {
    int64_t bars = 4;  // Toccata's length (and the default checkpoint's)
    int steps = 16;
    int repeats = 5;
};

struct OpTimes {
    double sampleMs = 0.0, interpolateMs = 0.0;  // medians
};

/// A seeded random flat melody MusicVAE in the Magenta.js layout (names, shapes, config.json):
/// mel_2bar_small's sizes at `bars` bars.
core::Status writeRandomCheckpoint(const std::string& folder, int64_t bars, uint64_t seed) {
    constexpr int64_t kMinPitch = 21, kMaxPitch = 108, kDepth = kMaxPitch - kMinPitch + 3;
    constexpr int64_t kEncoder = 512, kLatent = 256;
    const std::vector<int64_t> decoder = {256, 256};
    torch::manual_seed(seed);
    const auto uniform = [](std::vector<int64_t> shape, double scale) {
        return (torch::rand(shape) * 2.0 - 1.0) * scale;
    };
    const auto glorot = [&](int64_t in, int64_t out) {
        return uniform({in, out}, std::sqrt(6.0 / double(in + out)));
    };
    std::vector<ml::NamedTensor> tensors;
    for (const char* dir : {"fw", "bw"}) {
        const std::string cell = std::string("encoder/cell_0/bidirectional_rnn/") + dir +
                                 "/multi_rnn_cell/cell_0/lstm_cell/";
        tensors.emplace_back(cell + "kernel", glorot(kDepth + kEncoder, 4 * kEncoder));
        tensors.emplace_back(cell + "bias", uniform({4 * kEncoder}, 0.1));
    }
    for (const char* part : {"mu", "sigma"}) {  // hosted checkpoints carry sigma too
        tensors.emplace_back(std::string("encoder/") + part + "/kernel",
                             glorot(2 * kEncoder, kLatent));
        tensors.emplace_back(std::string("encoder/") + part + "/bias", uniform({kLatent}, 0.1));
    }
    int64_t in = kDepth + kLatent, stateSize = 0;
    for (size_t l = 0; l < decoder.size(); ++l) {
        const std::string cell = "decoder/multi_rnn_cell/cell_" + std::to_string(l) + "/lstm_cell/";
        tensors.emplace_back(cell + "kernel", glorot(in + decoder[l], 4 * decoder[l]));
        tensors.emplace_back(cell + "bias", uniform({4 * decoder[l]}, 0.1));
        in = decoder[l];
        stateSize += 2 * decoder[l];
    }
    tensors.emplace_back("decoder/z_to_initial_state/kernel", glorot(kLatent, stateSize));
    tensors.emplace_back("decoder/z_to_initial_state/bias", uniform({stateSize}, 0.1));
    tensors.emplace_back("decoder/output_projection/kernel", glorot(decoder.back(), kDepth));
    tensors.emplace_back("decoder/output_projection/bias", uniform({kDepth}, 0.1));
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": " + ec.message());
    if (core::Status s = ml::writeTfjsWeights(folder, tensors); !s) return s;
    const std::string config = std::string(R"({"type": "MusicVAE", "dataConverter": )") +
                               R"({"type": "MelodyConverter", "args": {"numSteps": )" +
                               std::to_string(16 * bars) + R"(, "minPitch": )" +
                               std::to_string(kMinPitch) + R"(, "maxPitch": )" +
                               std::to_string(kMaxPitch) + "}}}\n";
    return core::writeFileAtomic(folder + "/config.json", config);
}

/// `pitch` moved by octaves (then clamped) into lo..hi.
int fitPitch(int pitch, int lo, int hi) {
    while (pitch > hi && pitch - 12 >= lo) pitch -= 12;
    while (pitch < lo && pitch + 12 <= hi) pitch += 12;
    return std::clamp(pitch, lo, hi);
}

/// One of two fixed, different clips of `steps` steps at 120 QPM, quantized, for the model's
/// converter: a stepwise eighth-note line (melody, trio melody), a bass line (trio) and a
/// kick / snare / hi-hat groove (drums, groove, trio).
core::NoteSequence makeClip(const ml::VaeConverterConfig& cfg, int64_t steps, int variant) {
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, 120.0});
    seq.timeSignatures.push_back({0.0, 4, 4});
    seq.quantizationInfo.stepsPerQuarter = cfg.stepsPerQuarter;
    seq.totalQuantizedSteps = steps;
    const double stepSeconds = 0.5 / cfg.stepsPerQuarter;
    const auto add = [&](int pitch, int64_t start, int64_t end, bool drum, int program) {
        core::Note n;
        n.pitch = pitch;
        n.velocity = 100 - 10 * static_cast<int>(start % 4 != 0);
        n.quantizedStartStep = start;
        n.quantizedEndStep = std::min(end, steps);
        n.startTime = static_cast<double>(start) * stepSeconds;
        n.endTime = static_cast<double>(n.quantizedEndStep) * stepSeconds;
        n.isDrum = drum;
        n.program = program;
        n.instrument = drum ? 9 : (program >= ml::kTrioBassMinProgram ? 1 : 0);
        seq.notes.push_back(n);
    };
    const bool melodic =
        cfg.type == ml::VaeConverterType::Melody || cfg.type == ml::VaeConverterType::Trio;
    const bool drums = cfg.type != ml::VaeConverterType::Melody;
    if (melodic) {
        static const int kScale[] = {0, 2, 4, 5, 7, 9, 11, 12};
        const int base = fitPitch(variant == 0 ? 60 : 67, cfg.minPitch, cfg.maxPitch - 12);
        for (int64_t s = 0; s + 1 < steps; s += 2) {
            const int64_t i = s / 2;
            if ((i + variant) % 7 == 6) continue;  // a rest now and then
            const int pitch = base + kScale[(i * (variant + 2) + i / 8) % 8];
            add(std::clamp(pitch, cfg.minPitch, cfg.maxPitch), s, s + 2, false, 0);
        }
    }
    if (cfg.type == ml::VaeConverterType::Trio) {
        static const int kBass[] = {0, 7, 5, 7};
        const int base = fitPitch(36, cfg.bassMinPitch, cfg.bassMaxPitch - 7);
        for (int64_t s = 0; s < steps; s += 8)
            add(base + kBass[(s / 8 + variant) % 4], s, s + 8, false, ml::kTrioDefaultBassProgram);
    }
    if (drums && cfg.numClasses() >= 3) {
        const auto& classes = cfg.drumPitchClasses();
        for (int64_t s = 0; s < steps; s += 2) {
            if (s % 8 == 0 || (variant == 1 && s % 16 == 6)) add(classes[0][0], s, s + 1, true, 0);
            if (s % 8 == 4) add(classes[1][0], s, s + 1, true, 0);
            if (variant == 0 || s % 4 == 2) add(classes[2][0], s, s + 1, true, 0);
        }
    }
    seq.totalTime = static_cast<double>(steps) * stepSeconds;
    return seq;
}

/// Median milliseconds of `repeats` runs of `op` after one warm-up; op's error ends it.
template <typename Op>
core::Result<double> medianMs(int repeats, const Op& op) {
    std::vector<double> ms;
    for (int r = -1; r < repeats; ++r) {  // r = -1: warm-up
        const auto start = std::chrono::steady_clock::now();
        if (core::Status s = op(r); !s) return s.error();
        if (r >= 0) ms.push_back(secondsSince(start) * 1e3);
    }
    return median(ms);
}

core::Result<OpTimes> timeToccata(const ml::MusicVaeGenerator& model, const Plan& plan,
                                  const core::NoteSequence& a, const core::NoteSequence& b) {
    using R = core::Result<OpTimes>;
    auto sample = medianMs(plan.repeats, [&](int r) {
        ml::VaeSampleOptions o;
        o.count = 1;
        o.bars = plan.bars;
        o.temperature = kSampleTemperature;
        o.seed = static_cast<uint64_t>(r + 2);
        auto out = model.sample(o);
        return out ? core::Status() : core::Status::failure("sample: " + out.errorMessage());
    });
    if (!sample) return R::failure(sample.errorMessage());
    ml::VaeInterpolateOptions io;
    io.steps = plan.steps;
    io.temperature = 0.0;  // argmax, as Magenta.js's interpolate without a temperature
    auto interpolate = medianMs(plan.repeats, [&](int) {
        auto out = model.interpolate(a, b, io);
        if (!out) return core::Status::failure("interpolate: " + out.errorMessage());
        if (out->size() != static_cast<size_t>(plan.steps))
            return core::Status::failure("interpolate returned " + std::to_string(out->size()) +
                                         " sequences, not " + std::to_string(plan.steps));
        return core::Status();
    });
    if (!interpolate) return R::failure(interpolate.errorMessage());
    return OpTimes{*sample, *interpolate};
}

struct Reference {
    std::string node, nodeVersion, script;
    std::string problem;  // why Magenta.js cannot run here
};

Reference findReference(const ArgParser& parser) {
    Reference ref;
    ref.script = sourceTreeFile("tools/bench/magentajs_music_vae_bench.js");
    if (ref.script.empty()) {
        ref.problem = "tools/bench/magentajs_music_vae_bench.js not found (set TOCCATA_SOURCE_DIR)";
        return ref;
    }
    if (!fs::exists(fs::path(ref.script).parent_path() / "../parity/node_modules/@magenta/music")) {
        ref.problem =
            "Magenta.js is not installed; install it with "
            "'cd tools/parity && npm ci --ignore-scripts'";
        return ref;
    }
    std::vector<std::string> candidates;
    if (const auto node = parser.value("--node")) {
        candidates.push_back(*node);
    } else {
        if (const char* env = std::getenv("TOCCATA_NODE")) candidates.emplace_back(env);
        candidates.emplace_back("node");
    }
    for (const std::string& node : candidates) {
        if (auto v = captureOutput(shellQuote(node) + " --version 2>/dev/null")) {
            ref.node = node;
            ref.nodeVersion = v->substr(0, v->find_first_of("\r\n"));
            return ref;
        }
    }
    ref.problem =
        "no Node.js found (install Node.js 20, e.g. apt-get install nodejs, or pass "
        "--node PATH)";
    return ref;
}

/// The last `n` non-empty lines of a text file, joined by " / " (a failed reference run's
/// reason, before its temporary folder goes).
std::string lastLines(const std::string& file, size_t n) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    std::string out;
    for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
        out += (out.empty() ? "" : " / ") + lines[i];
    return out.empty() ? "no message" : out;
}

struct MagentaJsResult {
    OpTimes times;
    std::string magenta, tfjs;
    int64_t numSteps = 0;
};

std::optional<MagentaJsResult> timeMagentaJs(const Reference& ref, const std::string& folder,
                                             const std::string& inputs, const std::string& log,
                                             const Plan& plan, std::string& why) {
    const std::string command =
        shellQuote(ref.node) + " " + shellQuote(ref.script) + " --checkpoint " +
        shellQuote(folder) + " --inputs " + shellQuote(inputs) + " --repeats " +
        std::to_string(plan.repeats) + " --interp-steps " + std::to_string(plan.steps) +
        " --temperature " + std::to_string(kSampleTemperature) + " 2>" + shellQuote(log);
    const auto output = captureOutput(command);
    auto json = JsonValue::parse(output.value_or(""));
    const JsonValue* sample = json ? json->find("sample") : nullptr;
    const JsonValue* interp = json ? json->find("interpolate") : nullptr;
    if (!sample || !interp || !sample->isObject() || !interp->isObject()) {
        why = "Magenta.js could not run " + folder + " (" + lastLines(log, 6) + ")";
        return std::nullopt;
    }
    const auto number = [](const JsonValue& o, const char* key) {
        const JsonValue* v = o.find(key);
        return v && v->isNumber() ? v->asNumber() : 0.0;
    };
    const auto text = [&](const char* key) {
        const JsonValue* v = json->find(key);
        return v && v->isString() ? v->asString() : std::string("?");
    };
    MagentaJsResult r;
    r.times = {number(*sample, "medianMs"), number(*interp, "medianMs")};
    r.magenta = text("magenta");
    r.tfjs = text("tfjs");
    r.numSteps = static_cast<int64_t>(number(*json, "numSteps"));
    return r;
}

std::string cpuName() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
            return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

std::string sizes(const std::vector<int64_t>& v) {
    std::string s;
    for (int64_t x : v) s += (s.empty() ? "" : "x") + std::to_string(x);
    return s;
}

std::string describeModel(const ml::MusicVaeGenerator& model) {
    const ml::MusicVaeArchitecture& a = model.network().architecture();
    const ml::VaeConverterConfig& c = model.converter().config();
    const JsonValue* enc = model.spec().codec.find("encoding");
    std::string s = enc && enc->isString() ? enc->asString() : "converter";
    if (c.type == ml::VaeConverterType::Melody)
        s += " " + std::to_string(c.minPitch) + ".." + std::to_string(c.maxPitch);
    s += ", " + std::to_string(c.numSteps) + " steps = " + std::to_string(model.nativeBars()) +
         " bars; encoder " + (a.hierarchicalEncoder() ? "2-level BiLSTM " : "BiLSTM ") +
         sizes(a.encoderSizes) +
         (a.conductorSizes.empty() ? "" : ", conductor " + sizes(a.conductorSizes)) + ", decoder " +
         sizes(a.decoderSizes) + ", Z " + std::to_string(a.latentSize) + ", " +
         std::to_string(a.inputDepth) + " in / " + std::to_string(a.outputDepth()) + " out";
    return s;
}

/// Removes the temporary folder on every way out (not a --keep folder).
struct TempFolder {
    std::string path;
    bool keep = false;
    ~TempFolder() {
        std::error_code ec;
        if (!path.empty() && !keep) fs::remove_all(path, ec);
    }
};

/// What one run measured, for the table and the JSON. (References that JsonValue::set returns
/// are used up before the next member is added: adding may move the members.)
struct Outcome {
    Plan plan;
    std::string model;  // describeModel()
    OpTimes ours;
    std::optional<MagentaJsResult> theirs;
    std::string nodeVersion;
    bool reference = true;  // not --no-reference
    std::string problem;    // why Magenta.js has no numbers
    int64_t nativeBars = 0, theirBars = 0;

    bool sameLength() const { return theirs && theirBars == plan.bars; }
    std::optional<double> speedup(double ours, double OpTimes::*op) const {
        if (!theirs) return std::nullopt;
        return theirs->times.*op / std::max(ours, 1e-9);
    }
    std::optional<bool> speedGoal() const {
        if (!sameLength()) return std::nullopt;
        return *speedup(ours.sampleMs, &OpTimes::sampleMs) >= kGoalSpeedup &&
               *speedup(ours.interpolateMs, &OpTimes::interpolateMs) >= kGoalSpeedup;
    }
    std::optional<bool> sampleGoal() const {
        if (plan.bars != kGoalBars) return std::nullopt;
        return ours.sampleMs < kGoalSampleMs;
    }
};

/// Milliseconds and ratios to three decimals: the JSON reads like the table.
JsonValue rounded(std::optional<double> v) {
    return v ? JsonValue(std::round(*v * 1000.0) / 1000.0) : JsonValue();
}
JsonValue optionalBool(std::optional<bool> v) { return v ? JsonValue(*v) : JsonValue(); }

void printJson(const Outcome& o, const ml::ModelSpec& spec) {
    JsonValue out = JsonValue::object();
    JsonValue& m = out.set("model", JsonValue::object());
    m.set("id", spec.id);
    m.set("folder", spec.folder);
    m.set("description", o.model);
    m.set("nativeBars", o.nativeBars);
    JsonValue& mach = out.set("machine", JsonValue::object());
    mach.set("cpu", cpuName());
    mach.set("hardwareThreads", static_cast<int64_t>(std::thread::hardware_concurrency()));
    mach.set("libtorch", ml::torchVersion());
    mach.set("torchThreads", torch::get_num_threads());
    JsonValue& ref = out.set("reference", JsonValue::object());
    ref.set("available", o.theirs.has_value());
    if (o.theirs) {
        ref.set("magenta", o.theirs->magenta);
        ref.set("tfjs", o.theirs->tfjs);
        ref.set("backend", "cpu");
        ref.set("node", o.nodeVersion);
        ref.set("bars", o.theirBars);
    }
    if (!o.problem.empty()) ref.set("problem", o.problem);
    out.set("bars", o.plan.bars);
    out.set("repeats", o.plan.repeats);
    for (auto [name, op] : {std::pair{"sample", &OpTimes::sampleMs},
                            std::pair{"interpolate", &OpTimes::interpolateMs}}) {
        JsonValue& e = out.set(name, JsonValue::object());
        e.set("toccataMs", rounded(o.ours.*op));
        e.set("magentaJsMs", rounded(o.theirs ? std::optional(o.theirs->times.*op) : std::nullopt));
        e.set("speedup", rounded(o.speedup(o.ours.*op, op)));
        if (op == &OpTimes::sampleMs)
            e.set("temperature", kSampleTemperature);
        else
            e.set("steps", o.plan.steps);
    }
    JsonValue& goals = out.set("goals", JsonValue::object());
    goals.set("speedup10x", optionalBool(o.speedGoal()));
    goals.set("sampleUnder50ms", optionalBool(o.sampleGoal()));
    std::cout << out.dump() << '\n';
    if (o.reference && !o.problem.empty())
        std::cerr << "toccata-cli bench vae: magenta.js not available: " << o.problem << '\n';
}

void printTable(const Outcome& o) {
    if (o.theirs)
        std::printf(
            "  magenta  Magenta.js %s, tfjs %s cpu backend (single-threaded JavaScript), "
            "Node %s\n",
            o.theirs->magenta.c_str(), o.theirs->tfjs.c_str(), o.nodeVersion.c_str());
    std::printf("\n  %-32s %12s %14s %10s\n", "op", "toccata ms", "magenta.js ms", "speed-up");
    const auto row = [&](const std::string& what, double OpTimes::*op) {
        const double ms = o.ours.*op;
        if (o.theirs)
            std::printf("  %-32s %12.1f %14.1f %9.1fx\n", what.c_str(), ms, o.theirs->times.*op,
                        *o.speedup(ms, op));
        else
            std::printf("  %-32s %12.1f %14s %10s\n", what.c_str(), ms, "-", "-");
    };
    const std::string len = std::to_string(o.plan.bars) + " bars";
    row("sample (1 x " + len + ")", &OpTimes::sampleMs);
    row("interpolate (2 -> " + std::to_string(o.plan.steps) + ", " + len + ")",
        &OpTimes::interpolateMs);
    std::printf("\n  goals    >= %dx Magenta.js: ", kGoalSpeedup);
    if (const auto goal = o.speedGoal())
        std::printf("%s (sample %.1fx, interpolate %.1fx); ", *goal ? "met" : "NOT met",
                    *o.speedup(o.ours.sampleMs, &OpTimes::sampleMs),
                    *o.speedup(o.ours.interpolateMs, &OpTimes::interpolateMs));
    else
        std::printf("not measured; ");
    if (const auto goal = o.sampleGoal())
        std::printf("4-bar sample < %.0f ms: %s (%.1f ms)\n", kGoalSampleMs,
                    *goal ? "met" : "NOT met", o.ours.sampleMs);
    else
        std::printf("4-bar sample < %.0f ms: not measured (%lld bars)\n", kGoalSampleMs,
                    static_cast<long long>(o.plan.bars));
    if (o.theirs && !o.sameLength())
        std::printf(
            "  note     Magenta.js ran the model at its own length, %lld bars; Toccata "
            "at %lld bars, so the ratios compare different lengths\n",
            static_cast<long long>(o.theirBars), static_cast<long long>(o.plan.bars));
    if (!o.problem.empty())
        std::printf("  magenta.js %s%s\n", o.reference ? "not available: " : "", o.problem.c_str());
    std::fflush(stdout);
}

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--model", "--models-dir", "--bars", "--steps", "--repeats", "--threads",
                      "--node", "--keep"},
                     {"--no-reference", "--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kVaeBenchCommand, parser, args, exitCode)) return exitCode;
    Outcome o;
    Plan& plan = o.plan;
    int bars = 4, threads = 0;
    for (auto [name, target, lo, hi] :
         {std::tuple{"--bars", &bars, 1, 16}, std::tuple{"--steps", &plan.steps, 2, 64},
          std::tuple{"--repeats", &plan.repeats, 1, 1000},
          std::tuple{"--threads", &threads, 1, 256}}) {
        if (!parser.has(name)) continue;
        const auto v = parser.intValue(name, lo, hi);
        if (!v) return usageError(kVaeBenchCommand.name, parser.error());
        *target = static_cast<int>(*v);
    }
    plan.bars = bars;
    if (threads > 0) torch::set_num_threads(threads);
    const bool json = parser.has("--json");
    o.reference = !parser.has("--no-reference");
    const auto fail = [&](int code, const std::string& message) {
        return commandFailure(kVaeBenchCommand.name, code, message);
    };

    TempFolder temp;
    if (const auto keep = parser.value("--keep")) {
        temp = {*keep, true};
        std::error_code ec;
        fs::create_directories(temp.path, ec);
        if (ec) return fail(kExitOutputError, temp.path + ": " + ec.message());
    } else {
        char pattern[] = "/tmp/toccata-bench-vae-XXXXXX";
        if (!::mkdtemp(pattern)) return fail(kExitOutputError, "cannot create a temporary folder");
        temp.path = pattern;
    }
    ml::ModelSpec spec;
    if (parser.has("--model")) {
        ModelLookup lookup = resolveModel(kVaeBenchCommand.name, parser);
        if (lookup.exitCode != kExitOk) return lookup.exitCode;
        spec = std::move(lookup.spec);
    } else {
        const std::string folder = temp.path + "/mel_" + std::to_string(bars) + "bar_small";
        if (core::Status s = writeRandomCheckpoint(folder, bars, 11); !s)
            return fail(kExitOutputError, s.errorMessage());
        auto loaded = ml::loadModelSpec(folder);
        if (!loaded) return fail(kExitInputError, loaded.errorMessage());
        spec = std::move(*loaded);
    }
    auto model = ml::MusicVaeGenerator::load(spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::MusicVaeGenerator& vae = **model;
    o.model = describeModel(vae);
    o.nativeBars = vae.nativeBars();

    // Toccata's clips are B bars; Magenta.js's are the model's own length.
    const ml::VaeConverterConfig& cfg = vae.converter().config();
    const int64_t steps = plan.bars * cfg.stepsPerBar();
    const core::NoteSequence a = makeClip(cfg, steps, 0), b = makeClip(cfg, steps, 1);
    const std::string inputs = temp.path + "/inputs.json";
    JsonValue inputsDoc = JsonValue::object();
    JsonValue& clips = inputsDoc.set("sequences", JsonValue::array());
    for (int variant : {0, 1})
        clips.push(core::noteSequenceToJson(makeClip(cfg, vae.nativeSteps(), variant)));
    if (core::Status s = core::writeFileAtomic(inputs, inputsDoc.dump() + "\n"); !s)
        return fail(kExitOutputError, s.errorMessage());

    if (!json) {
        std::printf("bench vae: %s (%s)\n", spec.id.c_str(), spec.folder.c_str());
        std::printf("  model    %s\n", o.model.c_str());
        std::printf("  machine  %s, %u hardware threads; libtorch %s, %d intra-op threads\n",
                    cpuName().c_str(), std::thread::hardware_concurrency(),
                    ml::torchVersion().c_str(), torch::get_num_threads());
        std::printf(
            "  ops      sample 1 x %lld bars (T %.1f), interpolate 2 -> %d x %lld bars "
            "(argmax); median of %d after a warm-up\n",
            static_cast<long long>(plan.bars), kSampleTemperature, plan.steps,
            static_cast<long long>(plan.bars), plan.repeats);
        std::fflush(stdout);
    }
    auto ours = timeToccata(vae, plan, a, b);
    if (!ours) return fail(kExitFailure, ours.errorMessage());
    o.ours = *ours;

    if (!o.reference) {
        o.problem = "skipped (--no-reference)";
    } else {
        const Reference ref = findReference(parser);
        o.problem = ref.problem;
        o.nodeVersion = ref.nodeVersion;
        if (o.problem.empty() && !fs::exists(fs::path(spec.folder) / ml::kMagentaJsConfigFile))
            o.problem = spec.folder + " has no config.json: Magenta.js runs Magenta.js checkpoints";
        if (o.problem.empty()) {
            o.theirs = timeMagentaJs(ref, spec.folder, inputs, temp.path + "/magentajs.log", plan,
                                     o.problem);
            if (!o.theirs && !temp.keep)
                o.problem +=
                    "; --keep DIR keeps inputs.json (and a generated checkpoint) to "
                    "retry by hand";
        }
        if (o.theirs) o.theirBars = o.theirs->numSteps / cfg.stepsPerBar();
    }
    if (json)
        printJson(o, spec);
    else
        printTable(o);
    return o.reference && !o.theirs ? kExitMissingResource : kExitOk;
}

}  // namespace

extern const BenchTarget kVaeBench = {
    "vae", "MusicVAE 4-bar sample and 16-step interpolation beside Magenta.js", kHelp, run};

}  // namespace toccata::cli
