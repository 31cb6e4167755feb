// toccata-cli eval with a Performance RNN model: NLL per event on the same windows as the
// training run's held-out evaluation (window_events and eval_max_windows from the model's
// hparams when it records them), beside the unigram/bigram baselines of the other files.
#include <cstdio>
#include <iostream>

#include "cli/CommandSupport.h"
#include "cli/commands/PerformanceCommands.h"
#include "core/Json.h"
#include "ml/data/PerformanceDataset.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"
#include "ml/training/PerformanceRnnTrainer.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "eval";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

}  // namespace

int evalPerformanceRnn(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                       bool heldOut, double evalRatio, int threads, int batchSize) {
    auto model = ml::PerformanceRnnGenerator::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::PerformanceRnnGenerator& generator = **model;
    // The windows the model was trained and scored with.
    ml::PerformanceRnnHParams h;
    if (const core::JsonValue* saved = lookup.spec.provenance.find("hparams");
        saved && saved->isObject()) {
        auto restored = ml::PerformanceRnnHParams::fromJson(*saved, h);
        if (restored) h = *restored;
    }
    ml::PerformanceDatasetOptions options;
    options.evalRatio = evalRatio;
    options.threads = threads;
    auto dataset = ml::buildPerformanceDataset(data, options);
    if (!dataset) return fail(kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    ml::PerformanceWindowing windowing = ml::performanceWindowingFor(generator.config(), h);
    windowing.transposeMax = 0;
    windowing.stretchFactors = {1.0};
    const auto& scored = heldOut ? dataset->eval : dataset->train;
    const std::vector<ml::PerformanceWindow> windows =
        ml::performanceEvalWindows(scored, windowing, h.evalMaxWindows);
    if (windows.empty())
        return fail(kExitInputError, "--data " + data + ": no window of " +
                                         std::to_string(h.windowEvents) + " events to evaluate (" +
                                         std::to_string(dataset->report.filesRead) +
                                         " files read)\n" + dataset->report.toString());
    // Baselines are fitted on the other files, so only with --held-out.
    std::optional<ml::EventBaselines> baselines;
    if (heldOut && !dataset->train.empty()) {
        auto fitted = ml::fitPerformanceBaselines(dataset->train, windowing);
        if (!fitted) return fail(kExitFailure, fitted.errorMessage());
        baselines = std::move(*fitted);
    }
    auto metrics = ml::evaluatePerformanceRnn(generator.network(), generator.config(), windows,
                                              batchSize, baselines ? &*baselines : nullptr);
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    core::JsonValue o = *metrics;
    o.set("config", generator.config().id);
    return printEventEval(parser, lookup, data, std::move(o), h.windowEvents, dataset->report,
                          scored.size());
}

int printEventEval(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                   core::JsonValue o, int64_t windowEvents, const ml::RnnDatasetReport& report,
                   size_t filesScored) {
    o.set("model", lookup.spec.folder);
    o.set("data", data);
    o.set("window_events", windowEvents);
    o.set("files_read", report.filesRead);
    o.set("files_skipped", static_cast<int64_t>(report.skipped.size()));
    o.set("files_scored", static_cast<int64_t>(filesScored));
    if (parser.has("--json")) {
        std::cout << o.dump() << "\n";
        return kExitOk;
    }
    const core::JsonValue* windows = o.find("windows");
    std::printf(
        "model %s on %s: %lld windows of %lld events from %zu files (%lld read, %zu "
        "skipped)\n",
        lookup.spec.id.c_str(), data.c_str(),
        static_cast<long long>(windows && windows->isNumber() ? windows->asInt() : 0),
        static_cast<long long>(windowEvents), filesScored, static_cast<long long>(report.filesRead),
        report.skipped.size());
    std::printf(
        "  NLL per event     %.4f nats\n  perplexity        %.3f\n  accuracy          %.4f\n",
        o.find("nll_per_event")->asNumber(), o.find("perplexity")->asNumber(),
        o.find("accuracy")->asNumber());
    if (o.find("unigram_nll_per_event"))
        std::printf("  unigram NLL       %.4f\n  bigram NLL        %.4f\n",
                    o.find("unigram_nll_per_event")->asNumber(),
                    o.find("bigram_nll_per_event")->asNumber());
    return kExitOk;
}

}  // namespace toccata::cli
