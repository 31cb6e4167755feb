#include "ml/training/RnnTrainer.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>

#include "core/FileIO.h"
#include "ml/MlVersion.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/training/AdamOptimizer.h"
#include "ml/training/RnnBatcher.h"
#include "ml/training/RunFolder.h"

namespace toccata::ml {

namespace {

using core::JsonValue;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string utcDate() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

JsonValue sizesJson(const std::vector<int64_t>& sizes) {
    JsonValue a = JsonValue::array();
    for (int64_t s : sizes) a.push(s);
    return a;
}

/// What a run remembers between checkpoints besides weights and optimizer state.
struct TrainerState {
    int64_t step = 0;
    double bestEvalLoss = std::numeric_limits<double>::infinity();
    int64_t bestStep = -1;
    int evalsWithoutImprovement = 0;
    double trainedSeconds = 0.0;
    std::optional<RnnMetrics> bestEval;

    JsonValue toJson(const RnnHParams& hparams, uint64_t datasetKey) const {
        JsonValue o = JsonValue::object();
        o.set("step", step);
        o.set("best_eval_loss", std::isfinite(bestEvalLoss) ? JsonValue(bestEvalLoss) : JsonValue());
        o.set("best_step", bestStep);
        o.set("evals_without_improvement", evalsWithoutImprovement);
        o.set("trained_seconds", trainedSeconds);
        if (bestEval) o.set("best_eval", bestEval->toJson());
        o.set("hparams", hparams.toJson());
        char key[24];
        std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(datasetKey));
        o.set("dataset_key", std::string(key));
        return o;
    }
    static TrainerState fromJson(const JsonValue& o) {
        TrainerState s;
        auto num = [&](const char* k, double fallback) {
            const JsonValue* v = o.find(k);
            return v && v->isNumber() ? v->asNumber() : fallback;
        };
        s.step = static_cast<int64_t>(num("step", 0));
        s.bestEvalLoss = num("best_eval_loss", std::numeric_limits<double>::infinity());
        s.bestStep = static_cast<int64_t>(num("best_step", -1));
        s.evalsWithoutImprovement = static_cast<int>(num("evals_without_improvement", 0));
        s.trainedSeconds = num("trained_seconds", 0);
        if (const JsonValue* b = o.find("best_eval"); b && b->isObject()) {
            RnnMetrics m;
            auto get = [&](const char* k) {
                const JsonValue* v = b->find(k);
                return v && v->isNumber() ? v->asNumber() : 0.0;
            };
            m.nllPerStep = get("nll_per_step");
            m.perplexity = get("perplexity");
            m.accuracy = get("accuracy");
            m.eventAccuracy = get("event_accuracy");
            m.noEventAccuracy = get("no_event_accuracy");
            m.steps = static_cast<int64_t>(get("steps"));
            m.examples = static_cast<int64_t>(get("examples"));
            s.bestEval = m;
        }
        return s;
    }
};

class Run {
public:
    Run(const RnnDataset& dataset, const RnnTrainingSettings& settings, const TrainingEventSink& sink,
        const std::atomic<bool>& stop, DistributedGroup* group)
        : m_data(dataset), m_settings(settings), m_h(settings.hparams), m_sink(sink), m_stop(stop),
          m_group(group), m_folder(settings.runFolder) {}

    core::Result<RnnTrainingOutcome> run();

private:
    bool master() const { return m_group == nullptr || m_group->rank() == 0; }
    int rank() const { return m_group ? m_group->rank() : 0; }
    int world() const { return m_group ? m_group->worldSize() : 1; }
    void emit(const JsonValue& event) const {
        if (!master()) return;
        m_folder.appendEvent(event);
        if (m_sink) m_sink(event);
    }
    core::Status setUp();
    core::Status restoreOrShare();
    core::Result<bool> trainStep(int64_t step);  // false: everyone stops (a rank was told to)
    core::Result<RnnMetrics> evaluate();
    JsonValue modelJson(const std::optional<RnnMetrics>& heldOut) const;
    core::Status checkpoint();
    const std::vector<std::vector<uint32_t>>& batchesOfEpoch(int64_t epoch);

    const RnnDataset& m_data;
    const RnnTrainingSettings& m_settings;
    RnnHParams m_h;
    const TrainingEventSink& m_sink;
    const std::atomic<bool>& m_stop;
    DistributedGroup* m_group;
    RunFolder m_folder;

    std::optional<RnnBatcher> m_batcher;
    std::unique_ptr<MusicRnn> m_net;
    std::unique_ptr<AdamOptimizer> m_adam;
    MusicRnnArchitecture m_arch;
    TrainerState m_state;
    int64_t m_cachedEpoch = -1;
    int64_t m_batchesPerEpoch = 0;  // the same for every epoch
    int64_t m_lastCheckpointStep = -1;
    std::vector<std::vector<uint32_t>> m_epochBatches;
    std::optional<BaselineNll> m_baselines;
    // Running sums since the last log line.
    RnnMetricSums m_logSums;
    int64_t m_logExamples = 0;
    Clock::time_point m_logStart = Clock::now();
};

core::Status Run::setUp() {
    if (core::Status s = m_h.validate(); !s) return s;
    if (m_data.train.empty())
        return core::Status::failure("the training side of the dataset has no examples (" +
                                     std::to_string(m_data.report.filesRead) +
                                     " files read); see the dataset statistics");
    auto batcher = RnnBatcher::create(m_data.config, m_data.chordTable, m_h.maxSteps);
    if (!batcher) return batcher.error();
    m_batcher = std::move(*batcher);
    if (master()) {
        if (core::Status s = m_folder.prepare(); !s) return s;
    }
    return {};
}

const std::vector<std::vector<uint32_t>>& Run::batchesOfEpoch(int64_t epoch) {
    if (epoch != m_cachedEpoch) {
        const int global = m_h.batchSize * world();
        m_epochBatches = epochBatches(m_data.train, global, m_h.seed, epoch, true);
        if (m_epochBatches.empty())  // fewer examples than one batch: use what there is
            m_epochBatches = epochBatches(m_data.train, global, m_h.seed, epoch, false);
        m_cachedEpoch = epoch;
    }
    return m_epochBatches;
}

core::Status Run::restoreOrShare() {
    m_arch.layerSizes = m_h.layerSizes;
    m_arch.inputDepth = m_batcher->inputDepth();
    m_arch.numClasses = m_batcher->numClasses();
    m_arch.attentionLength = m_h.attnLength;
    m_arch.attentionQueryBias = false;  // Magenta.js's attention, so exports run there too
    auto net = MusicRnn::initialize(m_arch, m_h.seed);
    if (!net) return net.error();
    m_net = std::move(*net);
    m_adam = std::make_unique<AdamOptimizer>(m_net->namedTensors());

    if (m_settings.resume && master()) {
        auto latest = m_folder.loadLatest();
        if (!latest) return latest.error();
        if (*latest) {
            const LoadedCheckpoint& c = **latest;
            std::map<std::string, torch::Tensor> saved(c.weights.begin(), c.weights.end());
            torch::NoGradGuard noGrad;
            for (auto& [name, tensor] : m_adam->parameters()) {
                const auto it = saved.find(name);
                if (it == saved.end() || it->second.sizes() != tensor.sizes())
                    return core::Status::failure(
                        c.folder + ": this checkpoint belongs to another network (variable \"" +
                        name + "\" is missing or has another shape); use the run's own hparams "
                               "or a new run folder");
                tensor.copy_(it->second);
            }
            if (core::Status s = m_adam->loadState(c.optimizer); !s)
                return core::Status::failure(c.folder + ": " + s.errorMessage());
            m_state = TrainerState::fromJson(c.trainerState);
        }
    }
    if (m_group && m_group->worldSize() > 1) {
        // Everyone starts from rank 0's weights, optimizer state and step.
        std::vector<torch::Tensor> shared;
        for (auto& [name, t] : m_adam->parameters()) shared.push_back(t.detach());
        for (auto& [name, t] : m_adam->stateTensors()) shared.push_back(t);
        std::vector<torch::Tensor> counters = {
            torch::tensor({static_cast<float>(m_state.step >> 24),
                           static_cast<float>(m_state.step & 0xFFFFFF)})};
        if (core::Status s = m_group->broadcast(shared); !s) return s;
        if (core::Status s = m_group->broadcast(counters); !s) return s;
        m_state.step = (static_cast<int64_t>(counters[0][0].item<float>()) << 24) +
                       static_cast<int64_t>(counters[0][1].item<float>());
        // stateTensors() returns the moments themselves; the step count travels here.
        m_adam->setSteps(m_state.step);
    }
    return {};
}

core::Result<bool> Run::trainStep(int64_t step) {
    if (m_batchesPerEpoch == 0) m_batchesPerEpoch = static_cast<int64_t>(batchesOfEpoch(0).size());
    const auto& batches = batchesOfEpoch(step / m_batchesPerEpoch);
    const auto& global = batches[static_cast<size_t>(step % static_cast<int64_t>(batches.size()))];
    // This process's slice of the global batch.
    const size_t per = static_cast<size_t>(m_h.batchSize);
    const size_t from = std::min(global.size(), per * static_cast<size_t>(rank()));
    const size_t to = std::min(global.size(), from + per);
    std::vector<const RnnExample*> examples;
    for (size_t i = from; i < to; ++i) examples.push_back(&m_data.train[global[i]]);

    // Dropout masks are a function of (seed, step, rank): resuming replays them exactly.
    torch::manual_seed(m_h.seed * 1000003ULL + static_cast<uint64_t>(step) * 131ULL +
                       static_cast<uint64_t>(rank()));
    torch::Tensor lossSum = torch::zeros({}, torch::kFloat);
    RnnMetricSums sums;
    if (!examples.empty()) {
        auto batch = m_batcher->batch(examples);
        if (!batch) return batch.error();
        auto logits = m_net->forwardSequence(batch->inputs, m_h.dropoutKeepProb);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        lossSum = -(logp.gather(-1, batch->labels.unsqueeze(-1)).squeeze(-1) * batch->mask).sum();
        sums = batchMetricSums(logp, *batch, m_batcher->noEventLabel());
    }
    // One small collective carries the step count (to normalise), the metrics and the stop
    // request, so every process stops at the same step.
    double totalSteps = sums.steps;
    bool stopAll = m_stop.load();
    if (m_group && world() > 1) {
        std::vector<torch::Tensor> control = {torch::tensor(
            {static_cast<float>(sums.steps), static_cast<float>(sums.nll),
             static_cast<float>(sums.correct), static_cast<float>(sums.eventSteps),
             static_cast<float>(sums.eventCorrect), stopAll ? 1.0F : 0.0F})};
        if (core::Status s = m_group->allReduceSum(control); !s) return s.error();
        const auto c = control[0];
        totalSteps = c[0].item<double>();
        sums.steps = totalSteps;
        sums.nll = c[1].item<double>();
        sums.correct = c[2].item<double>();
        sums.eventSteps = c[3].item<double>();
        sums.eventCorrect = c[4].item<double>();
        sums.noEventCorrect = sums.correct - sums.eventCorrect;
        stopAll = c[5].item<double>() > 0.0;
    }
    if (totalSteps <= 0) return core::Error{"step " + std::to_string(step) + ": an empty batch"};
    (lossSum / totalSteps).backward();
    if (m_group && world() > 1) {
        std::vector<torch::Tensor> grads;
        for (auto& [name, p] : m_adam->parameters()) {
            if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.grad());
        }
        if (core::Status s = m_group->allReduceSum(grads); !s) return s.error();
    }
    const double norm = m_adam->clipGradients(m_h.clipNorm);
    if (!std::isfinite(norm) || !std::isfinite(sums.nll))
        return core::Error{"the loss became NaN at step " + std::to_string(step + 1) +
                           " (the model diverged); try a lower learning_rate or clip_norm"};
    m_adam->step(m_h.learningRateAt(step));
    m_logSums.add(sums);
    m_logExamples += static_cast<int64_t>(global.size());
    return !stopAll;
}

core::Result<RnnMetrics> Run::evaluate() {
    return evaluateRnn(*m_net, *m_batcher, m_data.eval, std::max(m_h.batchSize, 64));
}

JsonValue Run::modelJson(const std::optional<RnnMetrics>& heldOut) const {
    JsonValue o = JsonValue::object();
    o.set("format", "toccata-model");
    o.set("formatVersion", 1);
    const std::string id =
        m_settings.modelId.empty() ? m_data.config.id + "_custom" : m_settings.modelId;
    o.set("id", id);
    o.set("family", "music_rnn");
    o.set("config", m_data.config.id);
    o.set("description", m_settings.description.empty()
                             ? m_data.config.id + " trained by Toccata on " + m_settings.corpus
                             : m_settings.description);
    JsonValue arch = JsonValue::object();
    arch.set("layerSizes", sizesJson(m_arch.layerSizes));
    arch.set("inputDepth", m_arch.inputDepth);
    arch.set("numClasses", m_arch.numClasses);
    arch.set("attentionLength", m_arch.attentionLength);
    arch.set("attentionQueryBias", m_arch.attentionQueryBias);
    o.set("architecture", arch);
    o.set("codec", m_data.config.toCodecJson());
    JsonValue p = JsonValue::object();
    p.set("trainedBy", "Toccata (toccata-cli train)");
    p.set("corpus", m_settings.corpus);
    if (!m_settings.dataFolder.empty()) p.set("dataFolder", m_settings.dataFolder);
    p.set("trainingSteps", m_state.step);
    p.set("batchSize", m_h.batchSize * world());
    p.set("processes", world());
    p.set("trainExamples", static_cast<int64_t>(m_data.train.size()));
    p.set("evalExamples", static_cast<int64_t>(m_data.eval.size()));
    p.set("filesRead", m_data.report.filesRead);
    p.set("filesSkipped", static_cast<int64_t>(m_data.report.skipped.size()));
    p.set("hparams", m_h.toJson());
    if (heldOut) {
        JsonValue metrics = heldOut->toJson();
        if (m_baselines) {
            metrics.set("unigram_nll_per_step", m_baselines->unigram);
            metrics.set("bigram_nll_per_step", m_baselines->bigram);
        }
        p.set("heldOut", metrics);
    }
    p.set("date", utcDate());
    p.set("libtorch", torchVersion());
    o.set("provenance", p);
    JsonValue license = JsonValue::object();
    license.set("weights", m_settings.weightsLicense);
    license.set("trainingData", m_settings.trainingDataLicense);
    o.set("license", license);
    o.set("weights", "weights_manifest.json");
    return o;
}

core::Status Run::checkpoint() {
    if (!master() || m_lastCheckpointStep == m_state.step) return {};
    m_lastCheckpointStep = m_state.step;
    CheckpointFiles files;
    files.modelJson = modelJson(m_state.bestEval);
    files.weights = m_net->namedTensors();
    for (auto& [name, t] : files.weights) t = t.detach();
    files.optimizer = m_adam->stateTensors();
    files.trainerState = m_state.toJson(m_h, m_data.key);
    auto path = m_folder.writeCheckpoint(m_state.step, files);
    if (!path) return path.error();
    m_folder.prune(m_h.keepCheckpoints, m_state.bestStep);
    JsonValue e = JsonValue::object();
    e.set("event", "checkpoint");
    e.set("step", m_state.step);
    e.set("path", *path);
    emit(e);
    return {};
}

core::Result<RnnTrainingOutcome> Run::run() {
    if (core::Status s = setUp(); !s) return s.error();
    if (core::Status s = restoreOrShare(); !s) return s.error();
    if (master() && !m_data.eval.empty()) {
        auto baselines = ngramBaselines(*m_batcher, m_data.train, m_data.eval);
        if (baselines) m_baselines = *baselines;
    }
    const int64_t startStep = m_state.step;
    {
        JsonValue e = JsonValue::object();
        e.set("event", startStep > 0 ? "resume" : "start");
        e.set("step", startStep);
        e.set("total_steps", m_settings.totalSteps);
        e.set("processes", world());
        e.set("hparams", m_h.toJson());
        emit(e);
    }
    const auto started = Clock::now();
    auto lastCheckpoint = Clock::now();
    const double trainedBefore = m_state.trainedSeconds;
    std::string reason = "finished";
    m_logStart = Clock::now();

    auto doEval = [&]() -> core::Result<bool> {  // true: early stopping says stop
        bool stopNow = false;
        if (master() && !m_data.eval.empty()) {
            auto metrics = evaluate();
            if (!metrics) return metrics.error();
            const bool best = metrics->nllPerStep < m_state.bestEvalLoss;
            if (best) {
                m_state.bestEvalLoss = metrics->nllPerStep;
                m_state.bestStep = m_state.step;
                m_state.bestEval = *metrics;
                m_state.evalsWithoutImprovement = 0;
            } else {
                ++m_state.evalsWithoutImprovement;
            }
            JsonValue e = metrics->toJson();
            e.set("event", "eval");
            e.set("step", m_state.step);
            e.set("loss", metrics->nllPerStep);
            e.set("best", best);
            if (m_baselines) {
                e.set("unigram_nll_per_step", m_baselines->unigram);
                e.set("bigram_nll_per_step", m_baselines->bigram);
            }
            emit(e);
            m_folder.appendCsv(std::to_string(m_state.step) + ",eval," +
                               std::to_string(metrics->nllPerStep) + "," +
                               std::to_string(metrics->perplexity) + "," +
                               std::to_string(metrics->accuracy) + ",,");
            // A new best is saved at once, so early stopping can always return to it.
            if (best) {
                if (core::Status s = checkpoint(); !s) return s.error();
                lastCheckpoint = Clock::now();
            }
            stopNow = m_h.earlyStoppingPatience > 0 &&
                      m_state.evalsWithoutImprovement >= m_h.earlyStoppingPatience;
        }
        if (m_group && world() > 1) {
            std::vector<torch::Tensor> flag = {torch::tensor({stopNow ? 1.0F : 0.0F})};
            if (core::Status s = m_group->broadcast(flag); !s) return s.error();
            stopNow = flag[0][0].item<float>() > 0.0F;
        }
        return stopNow;
    };

    while (m_state.step < m_settings.totalSteps) {
        auto go = trainStep(m_state.step);
        if (!go) return go.error();
        ++m_state.step;
        m_state.trainedSeconds = trainedBefore + secondsSince(started);
        const int64_t step = m_state.step;
        if (step % m_h.logEvery == 0 || step == m_settings.totalSteps || !*go) {
            const RnnMetrics m = m_logSums.metrics(m_logExamples);
            const double window = std::max(1e-9, secondsSince(m_logStart));
            const double perSecond = static_cast<double>(step - startStep) /
                                     std::max(1e-9, secondsSince(started));
            JsonValue e = JsonValue::object();
            e.set("event", "train");
            e.set("step", step);
            e.set("total_steps", m_settings.totalSteps);
            e.set("loss", m.nllPerStep);
            e.set("perplexity", m.perplexity);
            e.set("accuracy", m.accuracy);
            e.set("event_accuracy", m.eventAccuracy);
            e.set("no_event_accuracy", m.noEventAccuracy);
            e.set("learning_rate", m_h.learningRateAt(step - 1));
            e.set("examples_per_s", static_cast<double>(m_logExamples) / window);
            e.set("elapsed_s", m_state.trainedSeconds);
            e.set("eta_s", static_cast<double>(m_settings.totalSteps - step) / std::max(1e-9, perSecond));
            emit(e);
            if (master())
                m_folder.appendCsv(std::to_string(step) + ",train," + std::to_string(m.nllPerStep) +
                                   "," + std::to_string(m.perplexity) + "," +
                                   std::to_string(m.accuracy) + "," +
                                   std::to_string(m_h.learningRateAt(step - 1)) + "," +
                                   std::to_string(static_cast<double>(m_logExamples) / window));
            m_logSums = {};
            m_logExamples = 0;
            m_logStart = Clock::now();
        }
        if (!*go) {
            reason = "stopped";
            break;
        }
        if (m_h.evalEvery > 0 && step % m_h.evalEvery == 0 && step < m_settings.totalSteps) {
            auto early = doEval();
            if (!early) return early.error();
            if (*early) {
                reason = "early_stopping";
                break;
            }
        }
        const bool due = step % m_h.checkpointEvery == 0 ||
                         secondsSince(lastCheckpoint) >= m_h.checkpointMinutes * 60.0;
        if (due && step < m_settings.totalSteps) {
            if (core::Status s = checkpoint(); !s) return s.error();
            lastCheckpoint = Clock::now();
        }
    }
    if (reason == "finished" && m_state.step > startStep) {
        auto early = doEval();
        if (!early) return early.error();
    }
    if (core::Status s = checkpoint(); !s) return s.error();

    RnnTrainingOutcome outcome;
    outcome.step = m_state.step;
    outcome.reason = reason;
    outcome.bestEval = m_state.bestEval;
    if (master()) {
        // The export is the best eval checkpoint when there is one, else the last.
        const std::vector<int64_t> steps = m_folder.checkpointSteps();
        const bool haveBest = m_state.bestStep >= 0 &&
                              std::find(steps.begin(), steps.end(), m_state.bestStep) != steps.end();
        const int64_t chosen = haveBest ? m_state.bestStep : m_state.step;
        TrainerState saved = m_state;
        m_state.step = chosen;  // provenance: the steps the exported weights had
        const JsonValue exported = modelJson(m_state.bestEval);
        m_state = saved;
        auto folder = m_folder.exportModel(chosen, exported);
        if (!folder) return folder.error();
        outcome.modelFolder = *folder;
        JsonValue e = JsonValue::object();
        e.set("event", "done");
        e.set("step", m_state.step);
        e.set("reason", reason);
        e.set("model", *folder);
        e.set("model_step", chosen);
        if (m_state.bestEval) e.set("best_eval", m_state.bestEval->toJson());
        emit(e);
    }
    return outcome;
}

}  // namespace

core::Result<RnnTrainingOutcome> trainRnn(const RnnDataset& dataset,
                                          const RnnTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop, DistributedGroup* group) {
    Run run(dataset, settings, onEvent, stop, group);
    return run.run();
}

}  // namespace toccata::ml
