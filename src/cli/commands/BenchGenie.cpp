// toccata-cli bench genie: Piano Genie's press time beside PyTorch eager (tutorial layout,
// tools/bench/pytorch_piano_genie_bench.py) and Magenta.js (official layout,
// tools/bench/magentajs_piano_genie_bench.js), on the same weights in the same run, then the
// key event -> note-on latency under JACK (BenchGenieLatency.cpp).
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
#include "cli/commands/BenchGenie.h"
#include "cli/commands/BenchGenieLatency.h"
#include "cli/commands/BenchTarget.h"
#include "cli/commands/ModelArgs.h"
#include "core/FileIO.h"
#include "core/Json.h"
#include "ml/MlVersion.h"
#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/weights/WeightsWriter.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;
using core::JsonValue;

const char* const kHelp =
    R"(usage: toccata-cli bench genie [--model DIR|ID | --random-weights] [--official DIR]
                              [--iterations N] [--warmup W] [--temperature T] [--threads N]
                              [--no-reference] [--python PATH] [--node PATH] [--keep DIR]
                              [--json] [--no-jack] [--latency-events N] [--jack-server NAME]
                              [--jackd PATH] [--period FRAMES] [--rate HZ] [--sf2 PATH]

Part 1, press time. One Piano Genie press at a time (batch 1): build the input, one decoder
step, pick the key (argmax, or softmax(logits / T) and a draw), with the buttons and time gaps
button(i) = (3i + i/8) % 8 and dt(i) cycling 0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3 s. W warm-up
presses, then N timed presses with argmax and N with temperature T, each from a reset state;
p50 / p99 in microseconds.
  tutorial layout  (dec.*, 91 inputs, 2x128 LSTM) beside the same decoder in PyTorch eager
                   (Linear + nn.LSTM + Linear under torch.no_grad; Debian's python3-torch),
                   which reads the same weights_manifest.json. Default weights: the
                   tutorial's published ones ($TOCCATA_SHARED_DIR or ../shared
                   /reference/piano-genie-tutorial/tfjs), else a seeded random model.
  official layout  (phero_model/..., 123 inputs) beside Magenta.js 1.23.1 PianoGenie.next()
                   (tfjs CPU backend in Node; 'cd tools/parity && npm ci --ignore-scripts')
                   on the same seeded random checkpoint (Magenta.js cannot run the tutorial
                   layout).
  checks           each pair's argmax key sequences are compared (same weights, same maths).
  goals            >= 5x PyTorch eager and >= 20x Magenta.js (p50, both ops).

Part 2, key event -> note-on. Starts its own JACK server on the dummy driver
(jackd -n toccata-bench-genie-PID -d dummy -r HZ -p FRAMES; stopped by PID at the end), opens
the AudioEngine on it, loads a SoundFont and, at random moments 2-12 ms apart, stamps a key
event (steady clock), presses (tutorial model, temperature T) and queues the live note-on.
The renderer, with a LiveNoteProbe attached, stamps the callback that takes the note and the
end of that callback, when the block that starts with the note-on goes back to JACK.
Reports p50 / p99 of key -> callback takes the note and key -> block rendered; the goal is a
p99 of the latter under one period + 1 ms (2.67 + 1 ms at 128 frames, 48 kHz).
What this measures: the dummy driver has no sound card; jackd wakes its cycle with a timer,
so the callback cadence is a simulated one (and scheduler jitter is the OS's, with or without
real-time priority: the report says which the audio thread had). The time a DAC adds after
the block (JACK's output latency, printed, not measured) is not included. Skipped when jackd
is missing.

options:
  --model DIR|ID       tutorial-layout (or official-layout) Piano Genie model to time
  --random-weights     seeded random tutorial weights even where the published ones are
  --official DIR       official-layout checkpoint for the Magenta.js comparison
  --iterations N       timed presses per op, 10..1000000 (default 2000)
  --warmup W           warm-up presses, 0..100000 (default 200)
  --temperature T      sampling temperature, 0.01..1 (default 0.25, the demo's)
  --threads N          libtorch and PyTorch intra-op threads, 1..64 (default 1)
  --no-reference       skip PyTorch and Magenta.js
  --python PATH        Python with torch (default /usr/bin/python3)
  --node PATH          Node.js for Magenta.js (default: $TOCCATA_NODE, then node)
  --keep DIR           write the generated checkpoints into DIR and keep them
  --json               one JSON object on stdout instead of the tables
  --no-jack            skip part 2
  --latency-events N   measured key events, 5..100000 (default 1000)
  --jack-server NAME   use this running JACK server (pass its --rate; its period is kept)
  --jackd PATH         the jackd to start (default: jackd on $PATH)
  --period FRAMES      JACK period, 16..4096 (default 128)
  --rate HZ            JACK sample rate, 22050..192000 (default 48000)
  --sf2 PATH           SoundFont (default: the SoundFont locator's choice)

exit codes: 0 ok, 1 a measurement failed, 2 bad arguments, 3 unreadable model,
            4 checkpoint not writable, 5 model, SoundFont, PyTorch or Magenta.js not available
)";

const Command kGenieBenchCommand = {"bench genie", "", kHelp, nullptr};

constexpr double kDts[] = {0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3};

int patternButton(int i) { return (3 * i + i / 8) % 8; }
double patternDt(int i) { return kDts[i % 7]; }

OpTime opTime(const std::vector<double>& micros) {
    return {percentile(micros, 50), percentile(micros, 99), toccata::cli::median(micros)};
}

// ---- checkpoints -------------------------------------------------------------------------

core::Status writeTutorialCheckpoint(const std::string& folder, uint64_t seed) {
    auto net = ml::PianoGenieNetwork::create(128, 2, seed);
    std::vector<ml::NamedTensor> tensors;
    for (auto& [name, t] : net->namedTensors())
        if (name.rfind("dec.", 0) == 0) tensors.emplace_back(name, t.detach().contiguous());
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": " + ec.message());
    if (core::Status s = ml::writeTfjsWeights(folder, tensors); !s) return s;
    return core::writeFileAtomic(
        folder + "/cfg.json",
        "{\"seed\": " + std::to_string(seed) +
            ", \"num_buttons\": 8, \"data_delta_time_max\": 1.0, \"model_rnn_dim\": 128, "
            "\"model_rnn_num_layers\": 2}\n");
}

/// A seeded random official-layout (plain PianoGenie) checkpoint: Magenta.js's names/shapes.
core::Status writeOfficialCheckpoint(const std::string& folder, uint64_t seed) {
    torch::manual_seed(seed);
    const auto uniform = [](std::vector<int64_t> shape, double scale) {
        return (torch::rand(shape) * 2.0 - 1.0) * scale;
    };
    const std::string d = "phero_model/decoder/";
    std::vector<ml::NamedTensor> tensors;
    tensors.emplace_back(d + "rnn_input/dense/kernel", uniform({123, 128}, 0.2));
    tensors.emplace_back(d + "rnn_input/dense/bias", uniform({128}, 0.1));
    for (int l = 0; l < 2; ++l) {
        const std::string cell =
            d + "rnn/rnn/multi_rnn_cell/cell_" + std::to_string(l) + "/lstm_cell/";
        tensors.emplace_back(cell + "kernel", uniform({256, 512}, 1.0 / std::sqrt(128.0)));
        tensors.emplace_back(cell + "bias", uniform({512}, 0.1));
    }
    tensors.emplace_back(d + "pitches/dense/kernel", uniform({128, 88}, 0.5));
    tensors.emplace_back(d + "pitches/dense/bias", uniform({88}, 0.1));
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": " + ec.message());
    return ml::writeTfjsWeights(folder, tensors);
}

std::string defaultTutorialFolder() {
    const std::string rel = "reference/piano-genie-tutorial/tfjs";
    std::error_code ec;
    if (const char* shared = std::getenv("TOCCATA_SHARED_DIR"))
        if (fs::exists(std::string(shared) + "/" + rel + "/weights_manifest.json", ec))
            return std::string(shared) + "/" + rel;
    const std::string inTree = sourceTreeFile("../shared/" + rel + "/weights_manifest.json");
    return inTree.empty() ? "" : fs::path(inTree).parent_path().lexically_normal().string();
}

std::string describe(const ml::PianoGenieNetwork& n) {
    const bool tutorial = n.layout() == ml::PianoGenieLayout::Tutorial;
    return std::string(tutorial ? "tutorial layout (dec.*, 91 inputs"
                                : "official layout (phero_model/..., 123 inputs") +
           ", " + std::to_string(n.numLayers()) + "x" + std::to_string(n.rnnSize()) + " LSTM)";
}

// ---- timing ------------------------------------------------------------------------------

core::Result<SideTimes> timeToccata(const std::shared_ptr<const ml::PianoGenieModel>& model,
                                    const GeniePlan& plan, OpTime& networkStep) {
    ml::PianoGenieSession session(model, 3);
    ml::PianoGenieSampling sampling;
    const auto run = [&](int count, double temperature, std::vector<double>* micros,
                         std::vector<int>* keys) -> core::Status {
        session.reset();
        sampling.temperature = temperature;
        for (int i = 0; i < count; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const auto key = session.pressAfter(patternButton(i), patternDt(i), sampling);
            const double us = secondsSince(start) * 1e6;
            if (!key.ok())
                return core::Status::failure("press " + std::to_string(i) + ": " +
                                             key.errorMessage());
            if (micros) micros->push_back(us);
            if (keys) keys->push_back(*key);
        }
        return core::Status::success();
    };
    SideTimes t;
    std::vector<double> argmax, sample;
    argmax.reserve(size_t(plan.iterations));
    sample.reserve(size_t(plan.iterations));
    if (auto s = run(std::max(plan.warmup, 1), plan.temperature, nullptr, nullptr); !s)
        return s.error();
    if (auto s = run(plan.iterations, 0.0, &argmax, &t.argmaxKeys); !s) return s.error();
    if (auto s = run(plan.iterations, plan.temperature, &sample, nullptr); !s) return s.error();
    t.argmax = opTime(argmax);
    t.sample = opTime(sample);

    // The network step alone (input building + decoder step, no key choice), argmax keys fed.
    const ml::PianoGenieNetwork& net = model->network();
    auto state = net.zeroState(1);
    std::vector<double> steps;
    steps.reserve(size_t(plan.iterations));
    int last = -1;
    for (int i = -std::max(plan.warmup, 1); i < plan.iterations; ++i) {
        const int k = std::max(i, 0);
        const auto start = std::chrono::steady_clock::now();
        const torch::Tensor logits = net.stepLogits(patternButton(k), patternDt(k), last, state);
        const float* p = logits.data_ptr<float>();
        const double us = secondsSince(start) * 1e6;
        last = int(std::max_element(p, p + ml::kPianoGenieKeys) - p);
        if (i >= 0) steps.push_back(us);
    }
    networkStep = opTime(steps);
    return t;
}

/// Finds a program that answers `--version`; "" when none.
std::string findTool(const std::vector<std::string>& candidates, std::string& version) {
    for (const std::string& c : candidates)
        if (auto v = captureOutput(shellQuote(c) + " --version 2>&1")) {
            version = v->substr(0, v->find_first_of("\r\n"));
            return c;
        }
    return "";
}

/// The reference script's result: its last output line that is a JSON object.
std::optional<SideTimes> parseReference(const std::string& output, std::string& version,
                                        const char* versionKey) {
    size_t end = output.size();
    std::optional<JsonValue> json;
    while (end > 0 && !json) {
        const size_t start = output.rfind('\n', end - 1);
        const size_t from = start == std::string::npos ? 0 : start + 1;
        if (output.compare(from, 1, "{") == 0)
            if (auto parsed = JsonValue::parse(output.substr(from, end - from)); parsed)
                json = std::move(*parsed);
        if (start == std::string::npos) break;
        end = start;
    }
    if (!json || !json->isObject()) return std::nullopt;
    const JsonValue* a = json->find("argmax");
    const JsonValue* s = json->find("sample");
    const JsonValue* keys = json->find("argmaxKeys");
    if (!a || !s || !keys || !a->isObject() || !s->isObject() || !keys->isArray())
        return std::nullopt;
    const auto op = [](const JsonValue& o) {
        const auto num = [&](const char* k) {
            const JsonValue* v = o.find(k);
            return v && v->isNumber() ? v->asNumber() : 0.0;
        };
        return OpTime{num("p50Micros"), num("p99Micros"), num("medianMicros")};
    };
    SideTimes t{op(*a), op(*s), {}};
    for (const JsonValue& k : keys->items()) t.argmaxKeys.push_back(int(k.asInt()));
    if (const JsonValue* v = json->find(versionKey); v && v->isString()) version = v->asString();
    return t;
}

std::string oneLine(const std::string& text) {
    std::string s = text.size() > 600 ? "..." + text.substr(text.size() - 600) : text;
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

void runReference(Comparison& c, const std::string& command, const char* what,
                  const char* versionKey) {
    // The exit status is echoed, so a failed run's messages are kept for the report.
    const auto output = captureOutput("(" + command + ") 2>&1; echo \"exit status $?\"");
    if (output) c.theirs = parseReference(*output, c.theirVersion, versionKey);
    if (!c.theirs)
        c.problem = std::string(what) + " failed: " + command + ": " +
                    (output ? oneLine(*output) : std::string("could not run it"));
}

void compareKeys(Comparison& c) {
    if (!c.theirs) return;
    const auto& a = c.ours.argmaxKeys;
    const auto& b = c.theirs->argmaxKeys;
    const size_t n = std::min(a.size(), b.size());
    size_t same = 0;
    while (same < n && a[same] == b[same]) ++same;
    c.sameKeys = int(same);
}

// ---- main --------------------------------------------------------------------------------

/// Removes a temporary folder on every way out (not a --keep folder).
struct TempFolder {
    std::string path;
    bool keep = false;
    ~TempFolder() {
        std::error_code ec;
        if (!path.empty() && !keep) fs::remove_all(path, ec);
    }
};

int run(const std::vector<std::string>& args) {
    ArgParser parser(
        {"--model", "--models-dir", "--official", "--iterations", "--warmup", "--temperature",
         "--threads", "--python", "--node", "--keep", "--latency-events", "--jack-server",
         "--jackd", "--period", "--rate", "--sf2"},
        {"--no-reference", "--json", "--no-jack", "--random-weights"});
    int exitCode = kExitOk;
    if (!parseArgs(kGenieBenchCommand, parser, args, exitCode)) return exitCode;
    GeniePlan plan;
    GenieLatencyOptions lat;
    for (auto [name, target, lo, hi] : {std::tuple{"--iterations", &plan.iterations, 10, 1000000},
                                        std::tuple{"--warmup", &plan.warmup, 0, 100000},
                                        std::tuple{"--threads", &plan.threads, 1, 64},
                                        std::tuple{"--latency-events", &lat.events, 5, 100000},
                                        std::tuple{"--period", &lat.period, 16, 4096},
                                        std::tuple{"--rate", &lat.rate, 22050, 192000}}) {
        if (!parser.has(name)) continue;
        const auto v = parser.intValue(name, lo, hi);
        if (!v) return usageError(kGenieBenchCommand.name, parser.error());
        *target = int(*v);
    }
    if (parser.has("--temperature")) {
        const auto t = parser.doubleValue("--temperature", 0.01, 1.0);
        if (!t) return usageError(kGenieBenchCommand.name, parser.error());
        plan.temperature = *t;
    }
    lat.temperature = plan.temperature;
    lat.jackServer = parser.valueOr("--jack-server", "");
    lat.jackd = parser.valueOr("--jackd", "jackd");
    lat.soundFont = parser.valueOr("--sf2", "");
    const bool json = parser.has("--json"), reference = !parser.has("--no-reference");
    torch::set_num_threads(plan.threads);
    const auto fail = [&](int code, const std::string& message) {
        return commandFailure(kGenieBenchCommand.name, code, message);
    };

    TempFolder temp;
    if (const auto keep = parser.value("--keep")) {
        temp = {*keep, true};
        std::error_code ec;
        fs::create_directories(temp.path, ec);
        if (ec) return fail(kExitOutputError, temp.path + ": " + ec.message());
    } else {
        char pattern[] = "/tmp/toccata-bench-genie-XXXXXX";
        if (!::mkdtemp(pattern)) return fail(kExitOutputError, "cannot create a temporary folder");
        temp.path = pattern;
    }

    // The two models: tutorial (PyTorch side, latency) and official (Magenta.js side).
    Comparison tutorial, official;
    if (parser.has("--model")) {
        std::error_code ec;
        std::string folder = parser.valueOr("--model", "");
        if (!fs::is_directory(folder, ec)) {
            ModelLookup lookup = resolveModel(kGenieBenchCommand.name, parser);
            if (lookup.exitCode != kExitOk) return lookup.exitCode;
            folder = lookup.spec.folder;
        }
        tutorial.folder = folder;
        tutorial.source = "--model";
    } else if (std::string shared = parser.has("--random-weights") ? "" : defaultTutorialFolder();
               !shared.empty()) {
        tutorial = {shared, "the tutorial's published weights"};
    } else {
        tutorial = {temp.path + "/tutorial_2x128", "seeded random, tutorial layout"};
        if (core::Status s = writeTutorialCheckpoint(tutorial.folder, 5); !s)
            return fail(kExitOutputError, s.errorMessage());
    }
    auto tutorialModel = ml::PianoGenieModel::load(tutorial.folder);
    if (!tutorialModel) return fail(kExitInputError, tutorialModel.errorMessage());
    if ((*tutorialModel)->network().layout() == ml::PianoGenieLayout::MagentaJs &&
        !parser.has("--official")) {
        official = tutorial;  // an official --model: the Magenta.js comparison runs on it
        tutorial = {};
    }
    if (official.folder.empty()) {
        if (const auto dir = parser.value("--official")) {
            official = {*dir, "--official"};
        } else {
            official = {temp.path + "/official_2x128", "seeded random, official layout"};
            if (core::Status s = writeOfficialCheckpoint(official.folder, 9); !s)
                return fail(kExitOutputError, s.errorMessage());
        }
    }
    auto officialModel = ml::PianoGenieModel::load(official.folder);
    if (!officialModel) return fail(kExitInputError, officialModel.errorMessage());
    if ((*officialModel)->network().layout() != ml::PianoGenieLayout::MagentaJs)
        return fail(kExitInputError, official.folder + " is not an official-layout checkpoint");
    official.description = describe((*officialModel)->network());
    const bool haveTutorial = !tutorial.folder.empty();
    if (haveTutorial) tutorial.description = describe((*tutorialModel)->network());

    if (!json) {
        std::printf(
            "bench genie: one press at a time (batch 1), %d timed presses per op after %d "
            "warm-up; sampled = temperature %.2f\n",
            plan.iterations, plan.warmup, plan.temperature);
        std::printf("  machine  %s, %u hardware threads; libtorch %s, %d intra-op thread%s\n",
                    genieCpuName().c_str(), std::thread::hardware_concurrency(),
                    ml::torchVersion().c_str(), torch::get_num_threads(),
                    torch::get_num_threads() == 1 ? "" : "s");
        std::fflush(stdout);
    }
    int result = kExitOk;
    for (Comparison* c : {&tutorial, &official}) {
        if (c->folder.empty()) continue;
        const auto& model = c == &tutorial ? *tutorialModel : *officialModel;
        auto ours = timeToccata(model, plan, c->networkStep);
        if (!ours) return fail(kExitFailure, c->folder + ": " + ours.errorMessage());
        c->ours = std::move(*ours);
    }

    // References.
    const std::string iters = " --iterations " + std::to_string(plan.iterations) + " --warmup " +
                              std::to_string(plan.warmup) + " --temperature " +
                              std::to_string(plan.temperature);
    if (!reference) {
        tutorial.problem = official.problem = "skipped (--no-reference)";
    } else {
        if (haveTutorial) {
            const std::string script = sourceTreeFile("tools/bench/pytorch_piano_genie_bench.py");
            const std::string python = parser.valueOr("--python", "/usr/bin/python3");
            std::string version;
            if (script.empty())
                tutorial.problem =
                    "not available: tools/bench/pytorch_piano_genie_bench.py not "
                    "found (set TOCCATA_SOURCE_DIR)";
            else if (!captureOutput(shellQuote(python) + " -c 'import torch, numpy' 2>/dev/null"))
                tutorial.problem = "not available: " + python +
                                   " cannot import torch and numpy (apt-get install "
                                   "python3-torch, or --python PATH)";
            else
                runReference(tutorial,
                             shellQuote(python) + " " + shellQuote(script) + " --weights " +
                                 shellQuote(tutorial.folder) + iters + " --threads " +
                                 std::to_string(plan.threads),
                             "PyTorch", "torch");
            if (tutorial.theirs) tutorial.theirVersion = "torch " + tutorial.theirVersion;
        }
        const std::string script = sourceTreeFile("tools/bench/magentajs_piano_genie_bench.js");
        std::vector<std::string> nodes;
        if (const auto n = parser.value("--node")) {
            nodes.push_back(*n);
        } else {
            if (const char* env = std::getenv("TOCCATA_NODE")) nodes.emplace_back(env);
            nodes.emplace_back("node");
        }
        std::string nodeVersion;
        const std::string node = findTool(nodes, nodeVersion);
        if (script.empty())
            official.problem =
                "not available: tools/bench/magentajs_piano_genie_bench.js not "
                "found (set TOCCATA_SOURCE_DIR)";
        else if (!fs::exists(fs::path(script).parent_path() /
                             "../parity/node_modules/@magenta/music"))
            official.problem =
                "not available: Magenta.js is not installed (cd tools/parity && "
                "npm ci --ignore-scripts)";
        else if (node.empty())
            official.problem =
                "not available: no Node.js found (apt-get install nodejs, or "
                "--node PATH)";
        else
            runReference(official,
                         shellQuote(node) + " " + shellQuote(script) + " --checkpoint " +
                             shellQuote(official.folder) + iters,
                         "Magenta.js", "magenta");
        if (official.theirs)
            official.theirVersion =
                "Magenta.js " + official.theirVersion + ", tfjs cpu, Node " + nodeVersion;
        for (Comparison* c : {&tutorial, &official})
            if (!c->folder.empty() && !c->theirs) result = kExitMissingResource;
    }
    compareKeys(tutorial);
    compareKeys(official);

    if (!json) {
        if (haveTutorial) printComparison(tutorial, "pytorch eager");
        printComparison(official, "magenta.js");
        std::printf("\n");
        if (haveTutorial) printGoal("PyTorch eager", kGoalPyTorch, tutorial);
        printGoal("Magenta.js", kGoalMagentaJs, official);
        std::fflush(stdout);
    }

    // Key event -> note-on.
    std::optional<GenieLatencyResult> latency;
    if (!parser.has("--no-jack")) {
        latency = measureGenieLatency(lat, haveTutorial ? *tutorialModel : *officialModel);
        if (latency->exitCode != kExitOk && result == kExitOk) result = latency->exitCode;
    }

    if (json) {
        printGenieJson(plan, haveTutorial ? &tutorial : nullptr, official, latency);
        return result;
    }
    if (latency)
        printLatency(*latency);
    else
        std::printf("\n  key event -> note-on: skipped (--no-jack)\n");
    return result;
}

}  // namespace

extern const BenchTarget kGenieBench = {
    "genie", "Piano Genie press time beside PyTorch / Magenta.js, key -> note-on under JACK", kHelp,
    run};

}  // namespace toccata::cli
