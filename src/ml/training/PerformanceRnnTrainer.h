// Trains a Performance RNN (Magenta's performance_rnn_train, in process) on a
// PerformanceDataset: every step draws batch_size random windows of window_events events
// (transposed and time-stretched, PerformanceDataset's augmentation), feeds
// [control vector of event i + 1, one-hot of event i] through the MusicRnn stack (teacher
// forcing) and minimises the softmax cross-entropy of event i + 1. Optional-conditioning
// configs see half of their windows with the controls disabled. Held out: the fixed windows
// of the held-out files (at most eval_max_windows, spread evenly), scored as NLL per event
// (nats) beside the unigram and bigram baselines (EventBaselines, fitted on the training
// performances) on the same events; both go into the exported model.json
// (provenance.heldOut). The shared TrainingLoop does the rest (Adam, clipping, schedule,
// exact resume, early stopping, export of the best checkpoint). [worker]
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/EventBaselines.h"
#include "ml/data/PerformanceDataset.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/models/performance_rnn/PerformanceRnnConfig.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/PerformanceRnnHParams.h"
#include "ml/training/TrainingLoop.h"

namespace toccata::ml {

struct PerformanceRnnTrainingSettings : TrainingRunSettings {
    std::string configId = "performance_with_dynamics";
    PerformanceRnnHParams hparams;
};

struct PerformanceRnnTrainingOutcome {
    int64_t step = 0;
    std::string reason;                       ///< finished, stopped, early_stopping
    std::string modelFolder;                  ///< the exported model ("" on ranks other than 0)
    std::optional<core::JsonValue> bestEval;  ///< held-out metrics (see evaluatePerformanceRnn)
};

/// Runs training. Errors: bad hparams or config, no training performance of window_events
/// events, a run folder whose checkpoint belongs to another network, divergence, file errors.
core::Result<PerformanceRnnTrainingOutcome> trainPerformanceRnn(
    const PerformanceDataset& dataset, const PerformanceRnnTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop,
    DistributedGroup* group = nullptr);

/// How the config and hparams cut windows (velocity bins, controls, augmentation).
PerformanceWindowing performanceWindowingFor(const PerformanceRnnConfig& config,
                                             const PerformanceRnnHParams& h);

/// Teacher-forcing tensors of a batch: inputs [B, T-1, controls + classes] (controls of
/// position i + 1, one-hot of event i), labels [B, T-1] (event i + 1), mask [B, T-1] float.
struct PerformanceRnnTensors {
    torch::Tensor inputs, labels, mask;
};
PerformanceRnnTensors performanceRnnTensors(const PerformanceBatch& batch, int numClasses,
                                            int controlDepth);

/// Held-out metrics of `network` on `windows` (no dropout): "loss" = "nll_per_event" (nats),
/// "perplexity", "accuracy", "events" (predicted events), "windows". With `baselines`, also
/// "unigram_nll_per_event" and "bigram_nll_per_event" on the same events. Errors: no windows,
/// a network that does not fit the config.
core::Result<core::JsonValue> evaluatePerformanceRnn(const MusicRnn& network,
                                                     const PerformanceRnnConfig& config,
                                                     const std::vector<PerformanceWindow>& windows,
                                                     int batchSize,
                                                     const EventBaselines* baselines = nullptr);

/// The n-gram baselines fitted on the whole training performances (unaugmented).
core::Result<EventBaselines> fitPerformanceBaselines(const std::vector<PerformanceRecord>& train,
                                                     const PerformanceWindowing& w);

}  // namespace toccata::ml
