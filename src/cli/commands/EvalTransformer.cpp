// toccata-cli eval with a Music Transformer model: NLL per event on the same windows as the
// training run's held-out evaluation (window_events and the first eval_windows windows, from
// the model's hparams when it records them), beside the unigram/bigram baselines of the other
// files; the report is shared with Performance RNN (printEventEval).
#include <sstream>

#include "cli/CommandSupport.h"
#include "cli/commands/PerformanceCommands.h"
#include "cli/commands/TransformerCommands.h"
#include "core/Json.h"
#include "ml/data/EventBaselines.h"
#include "ml/data/PerformanceDataset.h"
#include "ml/models/music_transformer/MusicTransformerTrainer.h"
#include "ml/models/music_transformer/TransformerContinuation.h"
#include "ml/training/PerformanceRnnTrainer.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "eval";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

}  // namespace

int evalMusicTransformer(const ArgParser& parser, const ModelLookup& lookup,
                         const std::string& data, bool heldOut, double evalRatio, int threads,
                         int batchSize) {
    auto model = ml::PerformanceTransformer::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::PerformanceTransformer& transformer = **model;
    // The windows the model was trained and scored with; a model from elsewhere is scored on
    // windows of its context length.
    ml::MusicTransformerHParams h;
    h.windowEvents = transformer.network().architecture().contextWindow;
    if (const core::JsonValue* saved = lookup.spec.provenance.find("hparams");
        saved && saved->isObject()) {
        auto restored = ml::MusicTransformerHParams::fromJson(*saved, h);
        if (restored) h = *restored;
    }
    ml::PerformanceDatasetOptions options;
    options.evalRatio = evalRatio;
    options.threads = threads;
    // The run's other corpora (train --extra-data), so that the same files are held out.
    std::stringstream folders(parser.valueOr("--extra-data", ""));
    for (std::string folder; std::getline(folders, folder, ':');)
        if (!folder.empty()) options.extraFolders.push_back(folder);
    auto dataset = ml::buildPerformanceDataset(data, options);
    if (!dataset) return fail(kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    ml::PerformanceWindowing windowing;
    windowing.windowEvents = h.windowEvents;
    windowing.stepsPerSecond = transformer.codec().stepsPerSecond;
    windowing.numVelocityBins = transformer.codec().numVelocityBins;
    windowing.maxShiftSteps = transformer.codec().maxShiftSteps;
    windowing.transposeMax = 0;
    windowing.stretchFactors = {1.0};
    const auto& scored = heldOut ? dataset->eval : dataset->train;
    // As the trainer: eval_windows windows spread over the files (0: all).
    std::vector<std::vector<int>> windows;
    for (ml::PerformanceWindow& w : ml::performanceEvalWindows(scored, windowing, h.evalWindows))
        windows.push_back(std::move(w.events));
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
    auto metrics = ml::evaluateMusicTransformer(transformer.network(), windows, batchSize,
                                                baselines ? &*baselines : nullptr);
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    return printEventEval(parser, lookup, data, std::move(*metrics), h.windowEvents,
                          dataset->report, scored.size());
}

}  // namespace toccata::cli
