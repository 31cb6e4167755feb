// toccata-cli eval with a Polyphony RNN model: NLL per event on the polyphonic sequences of a
// folder (the pipeline settings of the model's training hparams when it records them), beside
// the unigram/bigram baselines fitted on the other files under --held-out.
#include <cstdio>
#include <iostream>

#include "cli/CommandSupport.h"
#include "cli/commands/PolyphonyCommands.h"
#include "core/Json.h"
#include "ml/data/PolyphonyDataset.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"
#include "ml/training/PolyphonyRnnTrainer.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "eval";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

}  // namespace

int evalPolyphonyRnn(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                     bool heldOut, double evalRatio, int threads, int batchSize) {
    auto model = ml::PolyphonyRnnGenerator::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::PolyphonyRnnGenerator& generator = **model;
    ml::PolyphonyRnnHParams h;
    if (const core::JsonValue* saved = lookup.spec.provenance.find("hparams");
        saved && saved->isObject()) {
        auto restored = ml::PolyphonyRnnHParams::fromJson(*saved, h);
        if (restored) h = *restored;
    }
    ml::PolyphonyDatasetOptions options = ml::polyphonyDatasetOptionsFor(h);
    options.evalRatio = evalRatio;
    options.threads = threads;
    auto dataset = ml::buildPolyphonyDataset(data, options);
    if (!dataset) return fail(kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    const auto& scored = heldOut ? dataset->eval : dataset->train;
    if (scored.empty())
        return fail(kExitInputError, "--data " + data + ": no polyphonic sequence of " +
                                         std::to_string(h.minSteps) + ".." +
                                         std::to_string(h.maxSteps) + " steps to evaluate (" +
                                         std::to_string(dataset->report.filesRead) +
                                         " files read)\n" + dataset->report.toString());
    std::optional<ml::EventBaselines> baselines;
    if (heldOut && !dataset->train.empty()) {
        auto fitted = ml::fitPolyphonyBaselines(dataset->train);
        if (!fitted) return fail(kExitFailure, fitted.errorMessage());
        baselines = std::move(*fitted);
    }
    auto metrics = ml::evaluatePolyphonyRnn(generator.network(), scored, batchSize,
                                            baselines ? &*baselines : nullptr);
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    core::JsonValue o = *metrics;
    o.set("model", lookup.spec.folder);
    o.set("config", std::string("polyphony"));
    o.set("data", data);
    o.set("files_read", dataset->report.filesRead);
    o.set("files_skipped", static_cast<int64_t>(dataset->report.skipped.size()));
    if (parser.has("--json")) {
        std::cout << o.dump() << "\n";
        return kExitOk;
    }
    std::printf("model %s on %s: %zu sequences, %lld events (%lld files read, %zu skipped)\n",
                lookup.spec.id.c_str(), data.c_str(), scored.size(),
                static_cast<long long>(o.find("events")->asInt()),
                static_cast<long long>(dataset->report.filesRead), dataset->report.skipped.size());
    std::printf(
        "  NLL per event     %.4f nats\n  perplexity        %.3f\n  accuracy          %.4f\n",
        o.find("nll_per_event")->asNumber(), o.find("perplexity")->asNumber(),
        o.find("accuracy")->asNumber());
    if (baselines)
        std::printf("  unigram NLL       %.4f\n  bigram NLL        %.4f\n",
                    o.find("unigram_nll_per_event")->asNumber(),
                    o.find("bigram_nll_per_event")->asNumber());
    return kExitOk;
}

}  // namespace toccata::cli
