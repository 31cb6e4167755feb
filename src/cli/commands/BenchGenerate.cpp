// toccata-cli bench generate: RNN generation speed — a 512-step attention continuation and one
// 2x128 LSTM step at batch 1 — with Magenta.js (tools/bench/magentajs_music_rnn_bench.js, tfjs
// CPU backend in Node) timed on the same checkpoints in the same run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "cli/commands/ModelArgs.h"
#include "core/FileIO.h"
#include "core/Json.h"
#include "ml/MlVersion.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"
#include "ml/weights/WeightsWriter.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;

const char* const kHelp =
    R"(usage: toccata-cli bench generate [--model DIR|ID] [--steps N] [--repeats R]
                                 [--single-steps M] [--no-reference] [--node PATH]
                                 [--keep DIR]

Times Toccata's MusicRNN generation and, on the same checkpoints in the same run, Magenta.js
1.23.1 on the tfjs CPU backend in Node (tools/bench/magentajs_music_rnn_bench.js; install its
modules with 'cd tools/parity && npm ci --ignore-scripts'). Without --model it writes two
seeded random Magenta.js checkpoints of realistic size:
  attention  melody one-hot (38 classes), 3x128 LSTM inside the attention wrapper,
             attention length 40 (Magenta.js's wrapper needs 3 layers)
  lstm2x128  basic_rnn shape: melody one-hot (38 classes), 2x128 LSTM
and measures, after a warm-up: steps/s of an N-step greedy continuation of a one-note primer
(median of R runs), and the time of one network step at batch 1 (median and p99 of M steps).

options:
  --model DIR|ID    bench this music_rnn model instead (Magenta.js only if it can run it)
  --steps N         continuation length, 1..100000 (default 512)
  --repeats R       continuation runs, 1..1000 (default 5)
  --single-steps M  timed single steps, 10..1000000 (default 2000)
  --no-reference    skip Magenta.js
  --node PATH       Node.js to run Magenta.js with (default: $TOCCATA_NODE, then node)
  --keep DIR        write the generated checkpoints into DIR and keep them

exit codes: 0 ok, 2 bad arguments, 3 unreadable model, 5 Magenta.js not available
)";

const Command kGenerateBenchCommand = {"bench generate", "", kHelp, nullptr};

struct Options {
    int steps = 512;
    int repeats = 5;
    int singleSteps = 2000;
};

struct Timing {
    double continuationSeconds = 0.0;  // median
    double stepsPerSecond = 0.0;
    double stepMedianMicros = 0.0;
    double stepP99Micros = 0.0;
};

/// A seeded random basic_rnn-codec MusicRNN checkpoint in the Magenta.js layout (names,
/// shapes, config.json); `classes` must be basic_rnn's 38.
core::Status writeRandomCheckpoint(const std::string& folder, const std::vector<int64_t>& layers,
                                   int64_t classes, int64_t attentionLength, uint64_t seed) {
    torch::manual_seed(seed);
    const auto uniform = [](std::vector<int64_t> shape, double scale) {
        return (torch::rand(shape) * 2.0 - 1.0) * scale;
    };
    const std::string wrapper = "rnn/attention_cell_wrapper/";
    const std::string prefix = attentionLength > 0 ? wrapper + "multi_rnn_cell/" : "rnn/multi_rnn_cell/";
    std::vector<ml::NamedTensor> tensors;
    int64_t in = classes;
    for (size_t l = 0; l < layers.size(); ++l) {
        const std::string cell = prefix + "cell_" + std::to_string(l) + "/basic_lstm_cell/";
        const int64_t h = layers[l];
        tensors.emplace_back(cell + "kernel", uniform({in + h, 4 * h}, 1.0 / std::sqrt(double(h))));
        tensors.emplace_back(cell + "bias", uniform({4 * h}, 0.1));
        in = h;
    }
    int64_t denseIn = layers.back();
    if (attentionLength > 0) {
        const int64_t a = layers.front();
        int64_t sumH = 0;
        for (int64_t h : layers) sumH += h;
        tensors.emplace_back(wrapper + "kernel", uniform({classes + a, classes}, 0.1));
        tensors.emplace_back(wrapper + "bias", uniform({classes}, 0.1));
        tensors.emplace_back(wrapper + "attention/attn_w", uniform({1, 1, a, a}, 0.1));
        tensors.emplace_back(wrapper + "attention/attn_v", uniform({a}, 0.1));
        tensors.emplace_back(wrapper + "attention/kernel", uniform({2 * sumH, a}, 0.1));
        tensors.emplace_back(wrapper + "attention/bias", uniform({a}, 0.1));
        tensors.emplace_back(wrapper + "attention_output_projection/kernel",
                             uniform({denseIn + a, a}, 0.1));
        tensors.emplace_back(wrapper + "attention_output_projection/bias", uniform({a}, 0.1));
        denseIn = a;
    }
    tensors.emplace_back("fully_connected/weights", uniform({denseIn, classes}, 0.3));
    tensors.emplace_back("fully_connected/biases", uniform({classes}, 0.1));
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": " + ec.message());
    if (core::Status s = ml::writeTfjsWeights(folder, tensors); !s) return s;
    // basic_rnn's melody one-hot (38 classes = MelodyConverter 48..83) as Magenta.js runs it.
    auto codec = ml::RnnCodecConfig::named("basic_rnn");
    if (!codec) return core::Status::failure(codec.errorMessage());
    auto config = codec->toMagentaJsConfig(attentionLength);
    if (!config) return core::Status::failure(config.errorMessage());
    return core::writeFileAtomic(folder + "/config.json", config->dump(2) + "\n");
}

core::NoteSequence onePrimerStep(const ml::MusicRnnGenerator& model) {
    core::NoteSequence primer;
    core::Note note;
    const bool drums = model.codec().track == ml::RnnTrackKind::kDrums;
    note.pitch = drums ? 36 : std::clamp(60, model.codec().minNote, model.codec().maxNote - 1);
    note.isDrum = drums;
    note.instrument = drums ? 9 : 0;
    note.startTime = 0.0;
    note.endTime = 60.0 / core::kDefaultQpm / model.codec().stepsPerQuarter;
    primer.notes.push_back(note);
    primer.totalTime = note.endTime;
    return primer;
}

core::Result<Timing> timeToccata(ml::MusicRnnGenerator& model, const Options& o) {
    Timing t;
    const core::NoteSequence primer = onePrimerStep(model);
    ml::GenerationOptions generation;
    generation.temperature = 0.0;
    generation.steps = o.steps;
    if (model.needsChords()) generation.chords = {"C"};
    std::vector<double> runs;
    for (int r = -1; r < o.repeats; ++r) {  // r = -1: warm-up
        const auto start = std::chrono::steady_clock::now();
        auto result = model.generate(primer, generation);
        if (!result) return result.error();
        if (r >= 0) runs.push_back(secondsSince(start));
    }
    t.continuationSeconds = median(runs);
    t.stepsPerSecond = o.steps / std::max(t.continuationSeconds, 1e-12);

    ml::MusicRnn& net = model.network();
    torch::Tensor x = torch::zeros({1, net.inputDepth()});
    x.index_put_({0, 0}, 1.0);
    ml::StepState state = net.initialState(1);
    std::vector<double> micros;
    micros.reserve(static_cast<size_t>(o.singleSteps));
    for (int i = -100; i < o.singleSteps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto logits = net.step(x, state);
        if (!logits) return logits.error();
        (void)logits->data_ptr<float>();
        if (i >= 0) micros.push_back(secondsSince(start) * 1e6);
    }
    t.stepMedianMicros = median(micros);
    t.stepP99Micros = percentile(micros, 99.0);
    return t;
}

struct Reference {
    std::string node;
    std::string script;
    std::string problem;  // why Magenta.js cannot run here
};

Reference findReference(const ArgParser& parser) {
    Reference ref;
    ref.script = sourceTreeFile("tools/bench/magentajs_music_rnn_bench.js");
    if (ref.script.empty()) {
        ref.problem = "tools/bench/magentajs_music_rnn_bench.js not found (set TOCCATA_SOURCE_DIR)";
        return ref;
    }
    if (!fs::exists(fs::path(ref.script).parent_path() / "../parity/node_modules/@magenta/music")) {
        ref.problem = "Magenta.js is not installed (cd tools/parity && npm ci --ignore-scripts)";
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
        if (captureOutput(shellQuote(node) + " --version 2>/dev/null")) {
            ref.node = node;
            return ref;
        }
    }
    ref.problem = "no Node.js found (apt-get install nodejs, or --node PATH)";
    return ref;
}

std::optional<Timing> timeMagentaJs(const Reference& ref, const std::string& folder,
                                    const Options& o, std::string& why) {
    const std::string command = shellQuote(ref.node) + " " + shellQuote(ref.script) +
                                " --checkpoint " + shellQuote(folder) + " --steps " +
                                std::to_string(o.steps) + " --repeats " +
                                std::to_string(o.repeats) + " --single-steps " +
                                std::to_string(o.singleSteps);
    const auto output = captureOutput(command);
    auto json = core::JsonValue::parse(output.value_or(""));
    const core::JsonValue* cont = json ? json->find("continuation") : nullptr;
    const core::JsonValue* step = json ? json->find("singleStep") : nullptr;
    if (!cont || !step) {
        why = "Magenta.js could not run " + folder + " (" + command + ")";
        return std::nullopt;
    }
    Timing t;
    t.continuationSeconds = cont->find("medianSeconds")->asNumber();
    t.stepsPerSecond = cont->find("stepsPerSecond")->asNumber();
    t.stepMedianMicros = step->find("medianMicros")->asNumber();
    t.stepP99Micros = step->find("p99Micros")->asNumber();
    return t;
}

void printRow(const char* who, const Timing& t) {
    std::printf("  %-10s continuation %9.1f steps/s (median %.4f s)   step median %8.1f us  p99 %8.1f us\n",
                who, t.stepsPerSecond, t.continuationSeconds, t.stepMedianMicros, t.stepP99Micros);
}

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--model", "--models-dir", "--steps", "--repeats", "--single-steps", "--node",
                      "--keep"},
                     {"--no-reference"});
    int exitCode = kExitOk;
    if (!parseArgs(kGenerateBenchCommand, parser, args, exitCode)) return exitCode;
    Options o;
    for (auto [name, target, lo, hi] :
         {std::tuple{"--steps", &o.steps, 1, 100000}, std::tuple{"--repeats", &o.repeats, 1, 1000},
          std::tuple{"--single-steps", &o.singleSteps, 10, 1000000}}) {
        if (!parser.has(name)) continue;
        const auto v = parser.intValue(name, lo, hi);
        if (!v) return usageError(kGenerateBenchCommand.name, parser.error());
        *target = static_cast<int>(*v);
    }

    struct Case {
        std::string name, folder;
    };
    std::vector<Case> cases;
    std::string tempRoot;
    if (parser.has("--model")) {
        ModelLookup lookup = resolveModel(kGenerateBenchCommand.name, parser);
        if (lookup.exitCode != kExitOk) return lookup.exitCode;
        cases.push_back({lookup.spec.id, lookup.spec.folder});
    } else {
        if (const auto keep = parser.value("--keep")) {
            tempRoot = *keep;
        } else {
            char pattern[] = "/tmp/toccata-bench-generate-XXXXXX";
            if (!::mkdtemp(pattern)) {
                std::cerr << "toccata-cli bench generate: cannot create a temporary folder\n";
                return kExitOutputError;
            }
            tempRoot = pattern;
        }
        cases = {{"attention", tempRoot + "/attention_3x128"}, {"lstm2x128", tempRoot + "/lstm_2x128"}};
        core::Status a = writeRandomCheckpoint(cases[0].folder, {128, 128, 128}, 38, 40, 7);
        core::Status b = a ? writeRandomCheckpoint(cases[1].folder, {128, 128}, 38, 0, 8) : a;
        if (!b) {
            std::cerr << "toccata-cli bench generate: " << b.errorMessage() << '\n';
            return kExitOutputError;
        }
    }
    const Reference ref = parser.has("--no-reference") ? Reference{} : findReference(parser);
    std::printf("bench generate: %d-step greedy continuation x%d, %d single steps (batch 1), "
                "libtorch %s, %d intra-op threads\n",
                o.steps, o.repeats, o.singleSteps, ml::torchVersion().c_str(), torch::get_num_threads());
    int result = kExitOk;
    for (const Case& c : cases) {
        auto spec = ml::loadModelSpec(c.folder);
        if (!spec) {
            std::cerr << "toccata-cli bench generate: " << spec.errorMessage() << '\n';
            return kExitInputError;
        }
        auto model = ml::MusicRnnGenerator::load(*spec);
        if (!model) {
            std::cerr << "toccata-cli bench generate: " << model.errorMessage() << '\n';
            return kExitInputError;
        }
        const auto& arch = (*model)->network().architecture();
        std::string layers;
        for (int64_t h : arch.layerSizes) layers += (layers.empty() ? "" : "x") + std::to_string(h);
        std::printf("%s: %s LSTM, %lld inputs, %lld classes%s  (%s)\n", c.name.c_str(),
                    layers.c_str(), static_cast<long long>(arch.inputDepth),
                    static_cast<long long>(arch.numClasses),
                    arch.attentionLength > 0
                        ? (", attention " + std::to_string(arch.attentionLength)).c_str()
                        : "",
                    c.folder.c_str());
        std::fflush(stdout);
        auto ours = timeToccata(**model, o);
        if (!ours) {
            std::cerr << "toccata-cli bench generate: " << ours.errorMessage() << '\n';
            return kExitFailure;
        }
        printRow("toccata", *ours);
        std::fflush(stdout);
        if (parser.has("--no-reference")) continue;
        if (!ref.problem.empty()) {
            std::printf("  magenta.js not available: %s\n", ref.problem.c_str());
            result = kExitMissingResource;
            continue;
        }
        std::string why;
        const auto theirs = timeMagentaJs(ref, c.folder, o, why);
        if (!theirs) {
            std::printf("  magenta.js: %s\n", why.c_str());
            result = kExitMissingResource;
            continue;
        }
        printRow("magenta.js", *theirs);
        std::printf("  speed-up   continuation %.1fx, single step %.1fx (median)\n",
                    ours->stepsPerSecond / std::max(theirs->stepsPerSecond, 1e-12),
                    theirs->stepMedianMicros / std::max(ours->stepMedianMicros, 1e-12));
        std::fflush(stdout);
    }
    if (!tempRoot.empty() && !parser.has("--keep")) {
        std::error_code ec;
        fs::remove_all(tempRoot, ec);
    }
    return result;
}

}  // namespace

extern const BenchTarget kGenerateBench = {
    "generate", "RNN generation steps/s and step time beside Magenta.js", kHelp, run};

}  // namespace toccata::cli
