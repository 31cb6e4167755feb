// toccata-cli eval: held-out metrics of a model on a folder of MIDI files, through the same
// data pipeline as training (Magenta's --eval mode on a folder instead of TFRecords).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/ModelArgs.h"
#include "cli/commands/PerformanceCommands.h"
#include "cli/commands/PolyphonyCommands.h"
#include "cli/commands/TrainingArgs.h"
#include "cli/commands/TransformerCommands.h"
#include "core/Json.h"
#include "ml/data/PianoGenieDataset.h"
#include "ml/data/VaeDataset.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"
#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/training/PianoGenieTrainer.h"
#include "ml/training/RnnEvaluation.h"
#include "ml/training/VaeTrainer.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "eval";
int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }
int runEval(const std::vector<std::string>& args);

}  // namespace

extern const Command kEvalCommand = {
    kName,
    "measure a model on a folder of MIDI files (NLL per step, perplexity, accuracy)",
    R"(usage: toccata-cli eval --model DIR|ID --data DIR [--held-out [--eval-ratio R]]
                        [--baselines-from DIR] [--batch-size N] [--json]

Runs every MIDI file under DIR through the model's data pipeline (as 'train' does, without
transpositions) and reports the mean negative log-likelihood per step (nats), perplexity,
accuracy and the event / no-event accuracies.

  --model DIR|ID      a model folder (Toccata or Magenta.js) or a known model id
  --data DIR          folder of MIDI files (recursive)
  --held-out          only the files 'train' holds out of DIR (same split by file name)
  --eval-ratio R      the held-out share used by that split (default 0.1)
  --baselines         also fit unigram and bigram models on the other files of DIR and
                      report their NLL on the same steps (with --held-out)
  --batch-size N      examples per batch (default 64)
  --json              print one JSON object: nll_per_step, perplexity, accuracy,
                      event_accuracy, no_event_accuracy, steps, examples, files_read,
                      files_skipped (and unigram/bigram_nll_per_step with --baselines)

MusicVAE / GrooVAE models are scored on the 2-bar windows 'train' cuts: loss (the training
objective per step with the model's max_beta and free_bits; -ELBO for other models),
neg_elbo_per_step, reconstruction per step, KL in bits, teacher-forced accuracy, and the free-running
argmax reconstruction from mu (reconstruction_accuracy, reconstruction_event_accuracy);
GrooVAE adds hit precision/recall/F1, velocity error (MIDI units) and timing error (ms) on
the real hits, beside the "copy the quantized input" baseline (baseline_*).

Piano Genie models (with their encoder, enc.*) are scored as the tutorial does, on the
non-overlapping windows of seq_len notes (the model's hparams, else 128) of each file: the
key NLL per note (nats) and accuracy with the buttons the model's own encoder chooses,
the share of presses per button, how often the buttons move the way the keys do
(contour_agreement), and the unigram baseline (key frequencies of the other files).

Performance RNN models are scored on the windows 'train' evaluates (window_events events
each, at most eval_max_windows spread over the files, from the model's hparams): NLL per
event (nats), perplexity, accuracy, and with --held-out the unigram and bigram baselines
fitted on the other files. Music Transformer models are scored the same way, on the first
eval_windows windows of window_events events (the training run's held-out windows); give
the run's --extra-data DIRS too to score the same files.
)",
    runEval,
};

namespace {

int evalVae(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
            bool heldOut, double evalRatio, int threads, int batchSize) {
    auto model = ml::MusicVaeGenerator::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::MusicVaeGenerator& generator = **model;
    ml::VaeDatasetOptions options;
    options.evalRatio = evalRatio;
    options.threads = threads;
    auto dataset = ml::buildVaeDataset(data, generator.converter().config(), options);
    if (!dataset) return fail(kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    const std::vector<ml::VaeExample>& scored = heldOut ? dataset->eval : dataset->train;
    if (scored.empty())
        return fail(kExitInputError, "--data " + data + ": no windows to evaluate (" +
                                         std::to_string(dataset->report.filesRead) +
                                         " files read)\n" + dataset->report.toString());
    // A model trained by Toccata is scored with its own objective's weights; others by -ELBO.
    ml::VaeLossWeights weights;
    if (const core::JsonValue* h = lookup.spec.provenance.find("hparams"); h && h->isObject()) {
        if (const core::JsonValue* b = h->find("max_beta"); b && b->isNumber())
            weights.beta = b->asNumber();
        if (const core::JsonValue* f = h->find("free_bits"); f && f->isNumber())
            weights.freeBits = f->asNumber();
    }
    auto metrics = ml::evaluateVae(generator.network(), *dataset, scored, batchSize, weights);
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    core::JsonValue o = *metrics;
    o.set("model", lookup.spec.folder);
    o.set("data", data);
    o.set("files_read", dataset->report.filesRead);
    o.set("files_skipped", static_cast<int64_t>(dataset->report.skipped.size()));
    if (parser.has("--json")) {
        std::cout << o.dump() << "\n";
        return kExitOk;
    }
    std::printf("model %s on %s: %zu windows (%lld files read, %zu skipped)\n",
                lookup.spec.id.c_str(), data.c_str(), scored.size(),
                static_cast<long long>(dataset->report.filesRead), dataset->report.skipped.size());
    for (const auto& [key, value] : o.members())
        if (value.isNumber() && key != "examples")
            std::printf("  %-30s %.4f\n", key.c_str(), value.asNumber());
    return kExitOk;
}

int evalPianoGenie(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                   bool heldOut, double evalRatio, int threads, int batchSize) {
    auto model = ml::PianoGenieModel::load(lookup.spec.folder);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::PianoGenieNetwork& network = (*model)->network();
    if (!network.hasEncoder())
        return fail(kExitInputError,
                    lookup.spec.folder +
                        ": this Piano Genie model has no encoder (enc.* weights), which "
                        "evaluation needs to choose the buttons");
    // The windows the model was trained with (a Toccata run records its hparams; a tutorial
    // export's cfg.json is kept as its trainingConfig).
    int64_t seqLen = 128;
    double deltaTimeMax = 1.0;
    const core::JsonValue* h = lookup.spec.provenance.find("hparams");
    if (!h) h = lookup.spec.provenance.find("trainingConfig");
    if (h && h->isObject()) {
        if (const core::JsonValue* v = h->find("seq_len"); v && v->isNumber())
            seqLen = std::max<int64_t>(2, v->asInt());
        if (const core::JsonValue* v = h->find("data_delta_time_max"); v && v->isNumber())
            deltaTimeMax = v->asNumber();
    }
    ml::PianoGenieDatasetOptions options;
    options.evalRatio = evalRatio;
    options.threads = threads;
    auto dataset = ml::buildPianoGenieDataset(data, options);
    if (!dataset) return fail(kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    const auto& scored = heldOut ? dataset->eval : dataset->train;
    const std::vector<ml::PianoGenieWindow> windows =
        ml::pianoGenieEvalWindows(scored, seqLen, deltaTimeMax);
    if (windows.empty())
        return fail(kExitInputError, "--data " + data + ": no window of " + std::to_string(seqLen) +
                                         " notes to evaluate (" +
                                         std::to_string(dataset->report.filesRead) +
                                         " files read)\n" + dataset->report.toString());
    // The unigram baseline is fitted on the other side (all files without --held-out).
    const std::vector<double> frequencies = ml::pianoGenieKeyFrequencies(dataset->train);
    auto metrics = ml::evaluatePianoGenie(network, windows, batchSize, frequencies);
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    core::JsonValue o = *metrics;
    o.set("model", lookup.spec.folder);
    o.set("data", data);
    o.set("seq_len", seqLen);
    o.set("files_read", dataset->report.filesRead);
    o.set("files_skipped", static_cast<int64_t>(dataset->report.skipped.size()));
    o.set("files_scored", static_cast<int64_t>(scored.size()));
    if (parser.has("--json")) {
        std::cout << o.dump() << "\n";
        return kExitOk;
    }
    std::printf(
        "model %s on %s: %zu windows of %lld notes from %zu files (%lld read, %zu "
        "skipped)\n",
        lookup.spec.id.c_str(), data.c_str(), windows.size(), static_cast<long long>(seqLen),
        scored.size(), static_cast<long long>(dataset->report.filesRead),
        dataset->report.skipped.size());
    std::printf(
        "  NLL per note       %.4f nats (unigram baseline %.4f)\n"
        "  perplexity         %.3f (unigram %.3f)\n  accuracy           %.4f\n"
        "  contour agreement  %.4f\n  button usage      ",
        o.find("nll_per_note")->asNumber(), o.find("unigram_nll_per_note")->asNumber(),
        o.find("perplexity")->asNumber(), o.find("unigram_perplexity")->asNumber(),
        o.find("accuracy")->asNumber(), o.find("contour_agreement")->asNumber());
    for (const core::JsonValue& u : o.find("button_usage")->items())
        std::printf(" %.3f", u.asNumber());
    std::printf("\n");
    return kExitOk;
}

int runEval(const std::vector<std::string>& args) {
    ArgParser parser({"--model", "--models-dir", "--data", "--eval-ratio", "--batch-size",
                      "--threads", "--min-bars", "--extra-data"},
                     {"--json", "--held-out", "--baselines", "--no-cache"});
    int exitCode = kExitOk;
    if (!parseArgs(kEvalCommand, parser, args, exitCode)) return exitCode;
    auto data = parser.value("--data");
    if (!data) return usageError(kName, "--data DIR is required");
    if (!parser.has("--model")) return usageError(kName, "--model is required");
    const bool heldOut = parser.has("--held-out");
    auto options = datasetOptionsFrom(parser, heldOut ? 0.1 : 0.0);
    if (!options) return usageError(kName, options.errorMessage());
    auto batchSize = parser.has("--batch-size") ? parser.intValue("--batch-size", 1, 4096)
                                                : std::optional<long long>(64);
    if (!batchSize) return usageError(kName, parser.error());

    ModelLookup lookup = resolveModel(kName, parser);
    if (lookup.exitCode != kExitOk) return lookup.exitCode;
    if (parser.has("--extra-data") && lookup.spec.family != "music_transformer")
        return usageError(kName, "--extra-data is for music_transformer models; " + lookup.spec.id +
                                     " is a " + lookup.spec.family + " model");
    if (lookup.spec.family == "music_vae") {
        if (parser.has("--baselines"))
            return usageError(kName,
                              "--baselines: MusicVAE models report their baseline "
                              "(GrooVAE: copy the quantized input) without it");
        return evalVae(parser, lookup, *data, heldOut, options->evalRatio, options->threads,
                       static_cast<int>(*batchSize));
    }
    if (lookup.spec.family == "piano_genie") {
        if (parser.has("--baselines"))
            return usageError(kName,
                              "--baselines: Piano Genie reports its unigram baseline "
                              "without it");
        return evalPianoGenie(parser, lookup, *data, heldOut, options->evalRatio, options->threads,
                              static_cast<int>(*batchSize));
    }
    if (lookup.spec.family == "polyphony_rnn")
        return evalPolyphonyRnn(parser, lookup, *data, heldOut, options->evalRatio,
                                options->threads, static_cast<int>(*batchSize));
    if (lookup.spec.family == "performance_rnn")
        return evalPerformanceRnn(parser, lookup, *data, heldOut, options->evalRatio,
                                  options->threads, static_cast<int>(*batchSize));
    if (lookup.spec.family == "music_transformer")
        return evalMusicTransformer(parser, lookup, *data, heldOut, options->evalRatio,
                                    options->threads, static_cast<int>(*batchSize));
    auto model = ml::MusicRnnGenerator::load(lookup.spec);
    if (!model) return fail(kExitInputError, model.errorMessage());
    ml::MusicRnnGenerator& generator = **model;

    auto dataset =
        buildDatasetWithProgress(*data, generator.codec(), *options, !parser.has("--json"));
    if (!dataset) return fail(kExitInputError, "--data " + *data + ": " + dataset.errorMessage());
    // Without --held-out every file is on the "training" side (eval ratio 0).
    const std::vector<ml::RnnExample>& scored = heldOut ? dataset->eval : dataset->train;
    if (scored.empty())
        return fail(kExitInputError, "--data " + *data + ": no examples to evaluate (" +
                                         std::to_string(dataset->report.filesRead) +
                                         " files read)\n" + dataset->report.toString());
    auto batcher = ml::RnnBatcher::create(generator.codec(), dataset->chordTable, 1 << 20);
    if (!batcher) return fail(kExitInputError, batcher.errorMessage());
    auto metrics =
        ml::evaluateRnn(generator.network(), *batcher, scored, static_cast<int>(*batchSize));
    if (!metrics) return fail(kExitFailure, metrics.errorMessage());
    std::optional<ml::BaselineNll> baselines;
    if (parser.has("--baselines")) {
        if (!heldOut)
            return usageError(kName,
                              "--baselines needs --held-out (they are fitted on the other files)");
        auto b = ml::ngramBaselines(*batcher, dataset->train, dataset->eval);
        if (!b) return fail(kExitFailure, b.errorMessage());
        baselines = *b;
    }
    if (parser.has("--json")) {
        core::JsonValue o = metrics->toJson();
        o.set("model", lookup.spec.folder);
        o.set("data", *data);
        o.set("files_read", dataset->report.filesRead);
        o.set("files_skipped", static_cast<int64_t>(dataset->report.skipped.size()));
        if (baselines) {
            o.set("unigram_nll_per_step", baselines->unigram);
            o.set("bigram_nll_per_step", baselines->bigram);
        }
        std::cout << o.dump() << "\n";
        return kExitOk;
    }
    std::printf("model %s on %s: %lld examples, %lld steps (%lld files read, %zu skipped)\n",
                lookup.spec.id.c_str(), data->c_str(), static_cast<long long>(metrics->examples),
                static_cast<long long>(metrics->steps),
                static_cast<long long>(dataset->report.filesRead), dataset->report.skipped.size());
    std::printf(
        "  NLL per step      %.4f nats\n  perplexity        %.3f\n  accuracy          %.4f\n"
        "  event accuracy    %.4f\n  no-event accuracy %.4f\n",
        metrics->nllPerStep, metrics->perplexity, metrics->accuracy, metrics->eventAccuracy,
        metrics->noEventAccuracy);
    if (baselines)
        std::printf("  unigram NLL       %.4f\n  bigram NLL        %.4f\n", baselines->unigram,
                    baselines->bigram);
    return kExitOk;
}

}  // namespace
}  // namespace toccata::cli
