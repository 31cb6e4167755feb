// The training loop every model family shares: TF Adam with global-norm clipping, batches of
// batch_size x processes (each process takes its slice, gradients are summed), logging every
// N steps, held-out evaluation every N steps with the best one kept and early stopping,
// checkpoints every N steps or minutes (last K + best), exact resume (batch order, dropout
// masks and every other random draw are functions of the seed and the step), the export of
// the best checkpoint as a model folder, and the CLI's JSON-lines events (start/resume,
// train, eval, checkpoint, done). Only rank 0 writes files and reports events.
// What a model family brings is a TrainingTask: its network, batches, loss, metrics and
// model.json (RnnTrainer.cpp for MusicRnn, VaeTrainer.cpp for MusicVae). [worker]
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/RunFolder.h"

namespace toccata::ml {

/// Receives the events of the CLI's JSON-lines contract ({"event": "train", ...}). [worker]
using TrainingEventSink = std::function<void(const core::JsonValue&)>;

/// One process's share of a training step.
struct TrainingStepResult {
    /// Sum of this process's loss terms (differentiable); the loop divides it by the global
    /// sums[0] before backward.
    torch::Tensor lossSum;
    /// Metric sums, added up over processes and log windows. sums[0] is what the loss is
    /// averaged over (predicted steps, or examples); the task reads the rest.
    std::vector<double> sums;
};

/// What the export's model.json needs to know about the run.
struct TrainingRunInfo {
    int64_t step = 0;  ///< the steps the exported weights have
    int processes = 1;
    std::optional<core::JsonValue> heldOut;  ///< the best evaluation's metrics
};

class TrainingTask {
public:
    virtual ~TrainingTask() = default;

    /// Builds a fresh network from the seed (its weights are then restored on resume).
    virtual core::Status createNetwork(uint64_t seed) = 0;
    /// The trained tensors under their checkpoint names (requires_grad set by the loop).
    virtual NamedTensors parameters() const = 0;
    /// The batches of one pass over the training examples, deterministic in (seed, epoch);
    /// each lists example indices. The last may be short unless dropLast.
    virtual std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t seed,
                                                            int64_t epoch, bool dropLast) const = 0;
    /// The forward pass over `examples` at `step` (the loop has seeded torch's generator).
    virtual core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& examples,
                                                     int64_t step) = 0;
    /// The length of forward()'s sums (every call, every process, returns this many).
    virtual size_t metricSumCount() const = 0;
    /// Log fields from sums added over a window of `examples` examples: at least "loss".
    virtual core::JsonValue trainMetrics(const std::vector<double>& sums,
                                         int64_t examples) const = 0;
    virtual double learningRateAt(int64_t step) const = 0;

    /// Whether there are held-out examples to evaluate.
    virtual bool hasEvalData() const = 0;
    /// Held-out metrics (rank 0 only): at least "loss", the number the best checkpoint and
    /// early stopping go by (lower is better). May add baselines to the object.
    virtual core::Result<core::JsonValue> evaluate() = 0;

    virtual core::JsonValue hparamsJson() const = 0;
    /// Identifies the data, so a checkpoint records what it was trained on.
    virtual uint64_t datasetKey() const = 0;
    virtual core::JsonValue modelJson(const TrainingRunInfo& info) const = 0;
};

/// What every family's training run is told besides its hparams: where, how long, and the
/// provenance its model.json records.
struct TrainingRunSettings {
    std::string runFolder;
    int64_t totalSteps = 1000;  ///< train until this global step
    bool resume = false;        ///< continue from the run folder's newest checkpoint
    std::string modelId;        ///< model.json id of the export ("" = config + "_custom")
    std::string description;    ///< "" = "<config> trained by Toccata on <corpus>"
    std::string corpus;         ///< e.g. "Nottingham folk tunes (../shared/...)"
    std::string trainingDataLicense = "the user's own MIDI files";
    std::string weightsLicense = "trained by the user with Toccata";
    std::string dataFolder;
};

/// The dataset figures a model.json records.
struct TrainingDataCounts {
    int64_t trainExamples = 0, evalExamples = 0, filesRead = 0, filesSkipped = 0;
};

/// The model.json every family exports, but for "architecture", "codec" and
/// provenance.heldOut, which the family adds: format, id, family, config, description,
/// provenance (trainer, corpus, data folder, steps, batch, processes, data counts, hparams,
/// date, libtorch), licence, weights.
core::JsonValue trainedModelJson(const TrainingRunSettings& run, const std::string& family,
                                 const std::string& config, const TrainingRunInfo& info,
                                 int batchSize, const TrainingDataCounts& data,
                                 const core::JsonValue& hparams);

struct TrainingLoopSettings {
    std::string runFolder;
    int64_t totalSteps = 1000;  ///< train until this global step
    bool resume = false;        ///< continue from the run folder's newest checkpoint
    int batchSize = 64;         ///< per process
    double clipNorm = 0.0;      ///< global-norm clipping (0: none)
    /// Magenta's grad_norm_clip_to_zero: a step whose gradient norm reaches this has its
    /// gradients zeroed (Adam still steps). 0: off.
    double zeroGradientsAbove = 0.0;
    int64_t evalEvery = 100;          ///< steps; 0: only at the end
    int64_t checkpointEvery = 500;    ///< steps
    double checkpointMinutes = 10.0;  ///< wall clock, whichever comes first
    int keepCheckpoints = 3;          ///< the best one is kept as well
    int earlyStoppingPatience = 0;    ///< evaluations without improvement; 0: off
    int64_t logEvery = 10;
    uint64_t seed = 1;
};

struct TrainingLoopOutcome {
    int64_t step = 0;
    std::string reason;       ///< finished, stopped, early_stopping
    std::string modelFolder;  ///< the exported model ("" on ranks other than 0)
    std::optional<core::JsonValue> bestEval;
};

/// The loop settings of `run` with the schedule fields every family's hparams share
/// (batchSize, clipNorm, evalEvery, checkpointEvery, checkpointMinutes, keepCheckpoints,
/// earlyStoppingPatience, logEvery, seed).
template <typename HParams>
TrainingLoopSettings loopSettingsFor(const TrainingRunSettings& run, const HParams& h) {
    TrainingLoopSettings loop;
    loop.runFolder = run.runFolder;
    loop.totalSteps = run.totalSteps;
    loop.resume = run.resume;
    loop.batchSize = h.batchSize;
    loop.clipNorm = h.clipNorm;
    loop.evalEvery = h.evalEvery;
    loop.checkpointEvery = h.checkpointEvery;
    loop.checkpointMinutes = h.checkpointMinutes;
    loop.keepCheckpoints = h.keepCheckpoints;
    loop.earlyStoppingPatience = h.earlyStoppingPatience;
    loop.logEvery = h.logEvery;
    loop.seed = h.seed;
    return loop;
}

/// Runs training. `stop` (e.g. set by SIGTERM) ends it after the current step with a
/// checkpoint and the export. Errors: a run folder whose checkpoint belongs to another
/// network, divergence ("the loss became NaN at step N"), file errors, collectives, and
/// whatever the task reports.
core::Result<TrainingLoopOutcome> runTrainingLoop(TrainingTask& task,
                                                  const TrainingLoopSettings& settings,
                                                  const TrainingEventSink& onEvent,
                                                  const std::atomic<bool>& stop,
                                                  DistributedGroup* group = nullptr);

/// "2026-12-07T10:00:00Z" (model.json dates).
std::string utcDateNow();

}  // namespace toccata::ml
