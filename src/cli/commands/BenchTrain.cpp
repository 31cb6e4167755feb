// toccata-cli bench train: examples/s of one training step of the Melody RNN (forward over a
// whole batch, masked cross-entropy, backward, global-norm clipping, TF Adam) beside the same
// model written in PyTorch eager (tools/bench/pytorch_music_rnn_train.py, Debian's
// python3-torch) on the same shapes, in the same run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "core/Json.h"
#include "ml/MlVersion.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/training/AdamOptimizer.h"

namespace toccata::cli {
namespace {

constexpr const char* kHelp = R"(usage: toccata-cli bench train [--batch B] [--length T] [--layers 128,128]
                              [--attn-length A] [--input-depth D] [--classes C]
                              [--iters N] [--warmup W] [--threads N] [--no-reference]
                              [--python PATH]

Times full training steps of a MusicRNN (default: attention_rnn's shape, 74 inputs, 40
classes, 2x128 LSTM, attention 40, dropout 0.5, clip 3) on random one-hot batches and prints
the median step time and examples/s, then runs tools/bench/pytorch_music_rnn_train.py with
the same shapes (PyTorch eager) and prints the ratio. Both sides use the same number of
intra-op threads.
  --batch B (64)  --length T (128)  --iters N (10)  --warmup W (2)  --threads N (1)
  --no-reference  skip PyTorch;  --python PATH  interpreter with torch (default /usr/bin/python3)
)";

struct Shape {
    int64_t batch = 64, length = 128, inputDepth = 74, classes = 40, attnLength = 40;
    std::vector<int64_t> layers = {128, 128};
    int iters = 10, warmup = 2, threads = 1;
};

std::optional<std::vector<int64_t>> parseLayers(const std::string& text) {
    std::vector<int64_t> out;
    std::stringstream s(text);
    std::string item;
    while (std::getline(s, item, ',')) {
        char* end = nullptr;
        const long long v = std::strtoll(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v < 1 || v > 4096) return std::nullopt;
        out.push_back(v);
    }
    if (out.empty()) return std::nullopt;
    return out;
}

struct Timing {
    double medianMs = 0.0, p90Ms = 0.0, lossFirst = 0.0, lossLast = 0.0;
};

core::Result<Timing> timeToccata(const Shape& shape) {
    ml::MusicRnnArchitecture arch;
    arch.layerSizes = shape.layers;
    arch.inputDepth = shape.inputDepth;
    arch.numClasses = shape.classes;
    arch.attentionLength = shape.attnLength;
    auto net = ml::MusicRnn::initialize(arch, 1);
    if (!net) return net.error();
    ml::AdamOptimizer adam((*net)->namedTensors());
    torch::manual_seed(1);
    const torch::Tensor hot = torch::randint(shape.inputDepth, {shape.batch, shape.length}, torch::kLong);
    const torch::Tensor inputs = torch::one_hot(hot, shape.inputDepth).to(torch::kFloat);
    const torch::Tensor labels = torch::randint(shape.classes, {shape.batch, shape.length}, torch::kLong);
    const torch::Tensor mask = torch::ones({shape.batch, shape.length}, torch::kFloat);
    std::vector<double> ms;
    Timing t;
    for (int i = 0; i < shape.warmup + shape.iters; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto logits = (*net)->forwardSequence(inputs, 0.5);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        const torch::Tensor loss = -(logp.gather(-1, labels.unsqueeze(-1)).squeeze(-1) * mask).sum() / mask.sum();
        loss.backward();
        adam.clipGradients(3.0);
        adam.step(0.001);
        const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (i == 0) t.lossFirst = loss.item<double>();
        t.lossLast = loss.item<double>();
        if (i >= shape.warmup) ms.push_back(elapsed);
    }
    t.medianMs = median(ms);
    t.p90Ms = percentile(ms, 90);
    return t;
}

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--batch", "--length", "--layers", "--attn-length", "--input-depth", "--classes",
                      "--iters", "--warmup", "--threads", "--python"},
                     {"--no-reference"});
    if (!parser.parse(args)) return usageError("bench train", parser.error());
    if (parser.helpRequested()) {
        std::cout << kHelp;
        return kExitOk;
    }
    Shape shape;
    auto intOpt = [&](const char* name, int64_t& field, long long lo, long long hi) {
        if (!parser.has(name)) return true;
        auto v = parser.intValue(name, lo, hi);
        if (!v) return false;
        field = *v;
        return true;
    };
    int64_t iters = shape.iters, warmup = shape.warmup, threads = shape.threads;
    if (!intOpt("--batch", shape.batch, 1, 4096) || !intOpt("--length", shape.length, 1, 4096) ||
        !intOpt("--attn-length", shape.attnLength, 0, 1024) ||
        !intOpt("--input-depth", shape.inputDepth, 1, 4096) ||
        !intOpt("--classes", shape.classes, 2, 4096) || !intOpt("--iters", iters, 1, 10000) ||
        !intOpt("--warmup", warmup, 0, 1000) || !intOpt("--threads", threads, 1, 256))
        return usageError("bench train", parser.error());
    shape.iters = static_cast<int>(iters);
    shape.warmup = static_cast<int>(warmup);
    shape.threads = static_cast<int>(threads);
    // The reference script pins its thread count, so this side does too (libtorch would
    // otherwise use every core, and on small per-step products that is slower, not faster).
    torch::set_num_threads(shape.threads);
    if (auto layers = parser.value("--layers")) {
        auto parsed = parseLayers(*layers);
        if (!parsed) return usageError("bench train", "--layers " + *layers + ": expected sizes like 128,128");
        shape.layers = *parsed;
    }
    std::string layersText;
    for (int64_t l : shape.layers) layersText += (layersText.empty() ? "" : ",") + std::to_string(l);
    std::printf("bench train: MusicRNN %s LSTM, attention %lld, %lld inputs, %lld classes; batch %lld x %lld "
                "steps; median of %d steps after %d warm-up (libtorch %s, %d thread%s)\n",
                layersText.c_str(), static_cast<long long>(shape.attnLength),
                static_cast<long long>(shape.inputDepth), static_cast<long long>(shape.classes),
                static_cast<long long>(shape.batch), static_cast<long long>(shape.length), shape.iters,
                shape.warmup, ml::torchVersion().c_str(), torch::get_num_threads(),
                torch::get_num_threads() == 1 ? "" : "s");
    std::fflush(stdout);
    auto ours = timeToccata(shape);
    if (!ours) return commandFailure("bench train", kExitFailure, ours.errorMessage());
    const double oursRate = static_cast<double>(shape.batch) / (ours->medianMs / 1000.0);
    std::printf("  toccata        step median %9.1f ms  p90 %9.1f ms  %8.1f examples/s  (loss %.3f -> %.3f)\n",
                ours->medianMs, ours->p90Ms, oursRate, ours->lossFirst, ours->lossLast);
    if (parser.has("--no-reference")) return kExitOk;

    const std::string python = parser.valueOr("--python", "/usr/bin/python3");
    const std::string script = sourceTreeFile("tools/bench/pytorch_music_rnn_train.py");
    std::ostringstream command;
    command << shellQuote(python) << " " << shellQuote(script) << " --batch " << shape.batch
            << " --length " << shape.length << " --layers " << layersText << " --attn-length "
            << shape.attnLength << " --input-depth " << shape.inputDepth << " --classes "
            << shape.classes << " --iters " << shape.iters << " --warmup " << shape.warmup
            << " --threads " << shape.threads << " 2>&1";
    const auto output = captureOutput(command.str());
    core::Result<core::JsonValue> json = core::Error{"no output"};
    if (output) {
        const size_t brace = output->rfind("\n{");
        json = core::JsonValue::parse(output->substr(brace == std::string::npos ? 0 : brace + 1));
    }
    if (!output || !json || !json->find("examples_per_s")) {
        std::printf("  pytorch eager  not available (%s with torch: Debian's python3-torch): %s\n",
                    python.c_str(), output ? output->substr(0, 300).c_str() : "could not run it");
        return kExitMissingResource;
    }
    const double refMs = json->find("step_ms_median")->asNumber();
    const double refRate = json->find("examples_per_s")->asNumber();
    std::printf("  pytorch eager  step median %9.1f ms  p90 %9.1f ms  %8.1f examples/s  (torch %s)\n",
                refMs, json->find("step_ms_p90")->asNumber(), refRate,
                json->find("torch") ? json->find("torch")->asString().c_str() : "?");
    std::printf("  speed-up       %.2fx PyTorch eager (examples/s, median)\n", oursRate / refRate);
    return kExitOk;
}

}  // namespace

extern const BenchTarget kTrainBench = {
    "train", "training step examples/s of the Melody RNN beside PyTorch eager", kHelp, run};

}  // namespace toccata::cli
