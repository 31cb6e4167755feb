#include "ml/training/TrainingLoop.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>

#include "ml/MlVersion.h"
#include "ml/training/AdamOptimizer.h"

namespace toccata::ml {

namespace {

using core::JsonValue;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// "1.234567" for a metric the CSV has, "" for one it lacks.
std::string csvField(const JsonValue& metrics, const char* key) {
    const JsonValue* v = metrics.find(key);
    return v && v->isNumber() ? std::to_string(v->asNumber()) : std::string();
}

/// What a run remembers between checkpoints besides weights and optimizer state.
struct TrainerState {
    int64_t step = 0;
    double bestEvalLoss = std::numeric_limits<double>::infinity();
    int64_t bestStep = -1;
    int evalsWithoutImprovement = 0;
    double trainedSeconds = 0.0;
    std::optional<JsonValue> bestEval;

    JsonValue toJson(const JsonValue& hparams, uint64_t datasetKey) const {
        JsonValue o = JsonValue::object();
        o.set("step", step);
        o.set("best_eval_loss",
              std::isfinite(bestEvalLoss) ? JsonValue(bestEvalLoss) : JsonValue());
        o.set("best_step", bestStep);
        o.set("evals_without_improvement", evalsWithoutImprovement);
        o.set("trained_seconds", trainedSeconds);
        if (bestEval) o.set("best_eval", *bestEval);
        o.set("hparams", hparams);
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
        if (const JsonValue* b = o.find("best_eval"); b && b->isObject()) s.bestEval = *b;
        return s;
    }
};

class Loop {
public:
    Loop(TrainingTask& task, const TrainingLoopSettings& settings, const TrainingEventSink& sink,
         const std::atomic<bool>& stop, DistributedGroup* group)
        : m_task(task),
          m_s(settings),
          m_sink(sink),
          m_stop(stop),
          m_group(group),
          m_folder(settings.runFolder) {}

    core::Result<TrainingLoopOutcome> run();

private:
    bool master() const { return m_group == nullptr || m_group->rank() == 0; }
    int rank() const { return m_group ? m_group->rank() : 0; }
    int world() const { return m_group ? m_group->worldSize() : 1; }
    void emit(const JsonValue& event) const {
        if (!master()) return;
        m_folder.appendEvent(event);
        if (m_sink) m_sink(event);
    }
    core::Status restoreOrShare();
    core::Result<bool> trainStep(int64_t step);  // false: everyone stops (a rank was told to)
    core::Result<bool> evaluate(Clock::time_point& lastCheckpoint);  // true: early stopping
    void logTrain(int64_t startStep, Clock::time_point started);
    core::Status checkpoint();
    core::Result<std::string> exportBest();
    const std::vector<std::vector<uint32_t>>& batchesOfEpoch(int64_t epoch);

    TrainingTask& m_task;
    const TrainingLoopSettings& m_s;
    const TrainingEventSink& m_sink;
    const std::atomic<bool>& m_stop;
    DistributedGroup* m_group;
    RunFolder m_folder;

    std::unique_ptr<AdamOptimizer> m_adam;
    TrainerState m_state;
    int64_t m_cachedEpoch = -1;
    int64_t m_batchesPerEpoch = 0;  // the same for every epoch
    int64_t m_lastCheckpointStep = -1;
    std::vector<std::vector<uint32_t>> m_epochBatches;
    // Running sums since the last log line.
    std::vector<double> m_logSums;
    int64_t m_logExamples = 0;
    Clock::time_point m_logStart = Clock::now();
    JsonValue m_doneEvent = JsonValue::object();
};

const std::vector<std::vector<uint32_t>>& Loop::batchesOfEpoch(int64_t epoch) {
    if (epoch != m_cachedEpoch) {
        const int global = m_s.batchSize * world();
        m_epochBatches = m_task.epochBatches(global, m_s.seed, epoch, true);
        if (m_epochBatches.empty())  // fewer examples than one batch: use what there is
            m_epochBatches = m_task.epochBatches(global, m_s.seed, epoch, false);
        m_cachedEpoch = epoch;
    }
    return m_epochBatches;
}

core::Status Loop::restoreOrShare() {
    if (core::Status s = m_task.createNetwork(m_s.seed); !s) return s;
    m_adam = std::make_unique<AdamOptimizer>(m_task.parameters());

    if (m_s.resume && master()) {
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
                        name +
                        "\" is missing or has another shape); use the run's own hparams "
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
        std::vector<torch::Tensor> counters = {torch::tensor(
            {static_cast<float>(m_state.step >> 24), static_cast<float>(m_state.step & 0xFFFFFF)})};
        if (core::Status s = m_group->broadcast(shared); !s) return s;
        if (core::Status s = m_group->broadcast(counters); !s) return s;
        m_state.step = (static_cast<int64_t>(counters[0][0].item<float>()) << 24) +
                       static_cast<int64_t>(counters[0][1].item<float>());
        // stateTensors() returns the moments themselves; the step count travels here.
        m_adam->setSteps(m_state.step);
    }
    return {};
}

core::Result<bool> Loop::trainStep(int64_t step) {
    if (m_batchesPerEpoch == 0) m_batchesPerEpoch = static_cast<int64_t>(batchesOfEpoch(0).size());
    const auto& batches = batchesOfEpoch(step / m_batchesPerEpoch);
    const auto& global = batches[static_cast<size_t>(step % static_cast<int64_t>(batches.size()))];
    // This process's slice of the global batch.
    const size_t per = static_cast<size_t>(m_s.batchSize);
    const size_t from = std::min(global.size(), per * static_cast<size_t>(rank()));
    const size_t to = std::min(global.size(), from + per);
    const std::vector<uint32_t> examples(global.begin() + static_cast<std::ptrdiff_t>(from),
                                         global.begin() + static_cast<std::ptrdiff_t>(to));

    // Dropout masks and the task's random draws are a function of (seed, step, rank):
    // resuming replays them exactly.
    torch::manual_seed(m_s.seed * 1000003ULL + static_cast<uint64_t>(step) * 131ULL +
                       static_cast<uint64_t>(rank()));
    torch::Tensor lossSum = torch::zeros({}, torch::kFloat);
    std::vector<double> sums;
    if (!examples.empty()) {
        auto result = m_task.forward(examples, step);
        if (!result) return result.error();
        lossSum = result->lossSum;
        sums = std::move(result->sums);
    }
    // One small collective carries the sums (sums[0] normalises the loss) and the stop
    // request, so every process stops at the same step.
    if (sums.empty()) sums.assign(m_task.metricSumCount(), 0.0);
    bool stopAll = m_stop.load();
    if (m_group && world() > 1) {
        std::vector<float> packed(sums.begin(), sums.end());
        packed.push_back(stopAll ? 1.0F : 0.0F);
        std::vector<torch::Tensor> control = {torch::tensor(packed)};
        if (core::Status s = m_group->allReduceSum(control); !s) return s.error();
        for (size_t i = 0; i < sums.size(); ++i)
            sums[i] = control[0][static_cast<int64_t>(i)].item<double>();
        stopAll = control[0][static_cast<int64_t>(sums.size())].item<double>() > 0.0;
    }
    const double normaliser = sums.empty() ? 0.0 : sums[0];
    if (normaliser <= 0) return core::Error{"step " + std::to_string(step) + ": an empty batch"};
    (lossSum / normaliser).backward();
    if (m_group && world() > 1) {
        std::vector<torch::Tensor> grads;
        for (auto& [name, p] : m_adam->parameters()) {
            if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.grad());
        }
        if (core::Status s = m_group->allReduceSum(grads); !s) return s.error();
    }
    const double norm = m_adam->clipGradients(m_s.clipNorm);
    bool finite = std::isfinite(norm);
    for (double v : sums) finite = finite && std::isfinite(v);
    if (!finite)
        return core::Error{"the loss became NaN at step " + std::to_string(step + 1) +
                           " (the model diverged); try a lower learning_rate or clip_norm"};
    if (m_s.zeroGradientsAbove > 0.0 && norm >= m_s.zeroGradientsAbove) m_adam->zeroGradients();
    m_adam->step(m_task.learningRateAt(step));
    if (m_logSums.size() < sums.size()) m_logSums.resize(sums.size(), 0.0);
    for (size_t i = 0; i < sums.size(); ++i) m_logSums[i] += sums[i];
    m_logExamples += static_cast<int64_t>(global.size());
    return !stopAll;
}

void Loop::logTrain(int64_t startStep, Clock::time_point started) {
    const int64_t step = m_state.step;
    JsonValue e = m_task.trainMetrics(m_logSums, m_logExamples);
    const double window = std::max(1e-9, secondsSince(m_logStart));
    const double perSecond =
        static_cast<double>(step - startStep) / std::max(1e-9, secondsSince(started));
    const double rate = m_task.learningRateAt(step - 1);
    const double examplesPerSecond = static_cast<double>(m_logExamples) / window;
    e.set("event", "train");
    e.set("step", step);
    e.set("total_steps", m_s.totalSteps);
    e.set("learning_rate", rate);
    e.set("examples_per_s", examplesPerSecond);
    e.set("elapsed_s", m_state.trainedSeconds);
    e.set("eta_s", static_cast<double>(m_s.totalSteps - step) / std::max(1e-9, perSecond));
    emit(e);
    if (master())
        m_folder.appendCsv(std::to_string(step) + ",train," + csvField(e, "loss") + "," +
                           csvField(e, "perplexity") + "," + csvField(e, "accuracy") + "," +
                           std::to_string(rate) + "," + std::to_string(examplesPerSecond));
    m_logSums.assign(m_logSums.size(), 0.0);
    m_logExamples = 0;
    m_logStart = Clock::now();
}

core::Result<bool> Loop::evaluate(Clock::time_point& lastCheckpoint) {
    bool stopNow = false;
    if (master() && m_task.hasEvalData()) {
        auto metrics = m_task.evaluate();
        if (!metrics) return metrics.error();
        const JsonValue* lossValue = metrics->find("loss");
        const double loss = lossValue && lossValue->isNumber()
                                ? lossValue->asNumber()
                                : std::numeric_limits<double>::quiet_NaN();
        const bool best = loss < m_state.bestEvalLoss;
        if (best) {
            m_state.bestEvalLoss = loss;
            m_state.bestStep = m_state.step;
            m_state.bestEval = *metrics;
            m_state.evalsWithoutImprovement = 0;
        } else {
            ++m_state.evalsWithoutImprovement;
        }
        JsonValue e = *metrics;
        e.set("event", "eval");
        e.set("step", m_state.step);
        e.set("best", best);
        emit(e);
        m_folder.appendCsv(std::to_string(m_state.step) + ",eval," + csvField(e, "loss") + "," +
                           csvField(e, "perplexity") + "," + csvField(e, "accuracy") + ",,");
        // A new best is saved at once, so early stopping can always return to it.
        if (best) {
            if (core::Status s = checkpoint(); !s) return s.error();
            lastCheckpoint = Clock::now();
        }
        stopNow = m_s.earlyStoppingPatience > 0 &&
                  m_state.evalsWithoutImprovement >= m_s.earlyStoppingPatience;
    }
    if (m_group && world() > 1) {
        std::vector<torch::Tensor> flag = {torch::tensor({stopNow ? 1.0F : 0.0F})};
        if (core::Status s = m_group->broadcast(flag); !s) return s.error();
        stopNow = flag[0][0].item<float>() > 0.0F;
    }
    return stopNow;
}

core::Status Loop::checkpoint() {
    if (!master() || m_lastCheckpointStep == m_state.step) return {};
    m_lastCheckpointStep = m_state.step;
    CheckpointFiles files;
    files.modelJson = m_task.modelJson({m_state.step, world(), m_state.bestEval});
    files.weights = m_task.parameters();
    for (auto& [name, t] : files.weights) t = t.detach();
    files.optimizer = m_adam->stateTensors();
    files.trainerState = m_state.toJson(m_task.hparamsJson(), m_task.datasetKey());
    auto path = m_folder.writeCheckpoint(m_state.step, files);
    if (!path) return path.error();
    m_folder.prune(m_s.keepCheckpoints, m_state.bestStep);
    JsonValue e = JsonValue::object();
    e.set("event", "checkpoint");
    e.set("step", m_state.step);
    e.set("path", *path);
    emit(e);
    return {};
}

core::Result<std::string> Loop::exportBest() {
    // The export is the best eval checkpoint when there is one, else the last.
    const std::vector<int64_t> steps = m_folder.checkpointSteps();
    const bool haveBest = m_state.bestStep >= 0 &&
                          std::find(steps.begin(), steps.end(), m_state.bestStep) != steps.end();
    const int64_t chosen = haveBest ? m_state.bestStep : m_state.step;
    // Provenance: the steps the exported weights had.
    auto folder =
        m_folder.exportModel(chosen, m_task.modelJson({chosen, world(), m_state.bestEval}));
    if (!folder) return folder.error();
    JsonValue e = JsonValue::object();
    e.set("event", "done");
    e.set("step", m_state.step);
    e.set("model", *folder);
    e.set("model_step", chosen);
    if (m_state.bestEval) e.set("best_eval", *m_state.bestEval);
    m_doneEvent = e;
    return *folder;
}

core::Result<TrainingLoopOutcome> Loop::run() {
    if (master()) {
        if (core::Status s = m_folder.prepare(); !s) return s.error();
    }
    if (core::Status s = restoreOrShare(); !s) return s.error();
    const int64_t startStep = m_state.step;
    {
        JsonValue e = JsonValue::object();
        e.set("event", startStep > 0 ? "resume" : "start");
        e.set("step", startStep);
        e.set("total_steps", m_s.totalSteps);
        e.set("processes", world());
        e.set("hparams", m_task.hparamsJson());
        emit(e);
    }
    const auto started = Clock::now();
    auto lastCheckpoint = Clock::now();
    const double trainedBefore = m_state.trainedSeconds;
    std::string reason = "finished";
    m_logStart = Clock::now();

    while (m_state.step < m_s.totalSteps) {
        auto go = trainStep(m_state.step);
        if (!go) return go.error();
        ++m_state.step;
        m_state.trainedSeconds = trainedBefore + secondsSince(started);
        const int64_t step = m_state.step;
        if (step % m_s.logEvery == 0 || step == m_s.totalSteps || !*go)
            logTrain(startStep, started);
        if (!*go) {
            reason = "stopped";
            break;
        }
        if (m_s.evalEvery > 0 && step % m_s.evalEvery == 0 && step < m_s.totalSteps) {
            auto early = evaluate(lastCheckpoint);
            if (!early) return early.error();
            if (*early) {
                reason = "early_stopping";
                break;
            }
        }
        const bool due = step % m_s.checkpointEvery == 0 ||
                         secondsSince(lastCheckpoint) >= m_s.checkpointMinutes * 60.0;
        if (due && step < m_s.totalSteps) {
            if (core::Status s = checkpoint(); !s) return s.error();
            lastCheckpoint = Clock::now();
        }
    }
    if (reason == "finished" && m_state.step > startStep) {
        auto early = evaluate(lastCheckpoint);
        if (!early) return early.error();
    }
    if (core::Status s = checkpoint(); !s) return s.error();

    TrainingLoopOutcome outcome;
    outcome.step = m_state.step;
    outcome.reason = reason;
    outcome.bestEval = m_state.bestEval;
    if (master()) {
        auto folder = exportBest();
        if (!folder) return folder.error();
        outcome.modelFolder = *folder;
        m_doneEvent.set("reason", reason);
        emit(m_doneEvent);
    }
    return outcome;
}

}  // namespace

core::JsonValue trainedModelJson(const TrainingRunSettings& run, const std::string& family,
                                 const std::string& config, const TrainingRunInfo& info,
                                 int batchSize, const TrainingDataCounts& data,
                                 const core::JsonValue& hparams) {
    JsonValue o = JsonValue::object();
    o.set("format", "toccata-model");
    o.set("formatVersion", 1);
    o.set("id", run.modelId.empty() ? config + "_custom" : run.modelId);
    o.set("family", family);
    o.set("config", config);
    o.set("description", run.description.empty() ? config + " trained by Toccata on " + run.corpus
                                                 : run.description);
    JsonValue p = JsonValue::object();
    p.set("trainedBy", "Toccata (toccata-cli train --family " + family + ")");
    p.set("corpus", run.corpus);
    if (!run.dataFolder.empty()) p.set("dataFolder", run.dataFolder);
    p.set("trainingSteps", info.step);
    p.set("batchSize", batchSize * info.processes);
    p.set("processes", info.processes);
    p.set("trainExamples", data.trainExamples);
    p.set("evalExamples", data.evalExamples);
    p.set("filesRead", data.filesRead);
    p.set("filesSkipped", data.filesSkipped);
    p.set("hparams", hparams);
    p.set("date", utcDateNow());
    p.set("libtorch", torchVersion());
    o.set("provenance", p);
    JsonValue license = JsonValue::object();
    license.set("weights", run.weightsLicense);
    license.set("trainingData", run.trainingDataLicense);
    o.set("license", license);
    o.set("weights", "weights_manifest.json");
    return o;
}

std::string utcDateNow() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

core::Result<TrainingLoopOutcome> runTrainingLoop(TrainingTask& task,
                                                  const TrainingLoopSettings& settings,
                                                  const TrainingEventSink& onEvent,
                                                  const std::atomic<bool>& stop,
                                                  DistributedGroup* group) {
    Loop loop(task, settings, onEvent, stop, group);
    return loop.run();
}

}  // namespace toccata::ml
