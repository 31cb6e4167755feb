// Trains a MusicRnn on an RnnDataset (Magenta's melody_rnn_train / drums_rnn_train /
// improv_rnn_train, in process): teacher forcing on whole sequences, masked softmax
// cross-entropy, TF Adam with global-norm clipping and the hparams' learning-rate schedule,
// dropout, length-bucketed batches; eval every N steps, checkpoints every N steps or minutes
// (last K kept + the best eval one), exact resume (batch order and dropout masks are
// functions of the seed and the step), early stopping on eval loss, export of the best
// checkpoint as a model folder. Distributed: with a DistributedGroup every process takes its
// slice of a global batch of batch_size x processes and gradients are summed, so N processes
// compute what one process computes with N times the batch. Only rank 0 writes files and
// reports events. [worker]
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/RnnDataset.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/RnnEvaluation.h"
#include "ml/training/RnnHParams.h"

namespace toccata::ml {

struct RnnTrainingSettings {
    RnnHParams hparams;
    std::string runFolder;
    int64_t totalSteps = 1000;  ///< train until this global step
    bool resume = false;        ///< continue from the run folder's newest checkpoint
    std::string modelId;        ///< model.json id of the export ("" = config + "_custom")
    std::string description;
    // Provenance recorded in model.json.
    std::string corpus;              ///< e.g. "Nottingham folk tunes (../shared/...)"
    std::string trainingDataLicense = "the user's own MIDI files";
    std::string weightsLicense = "trained by the user with Toccata";
    std::string dataFolder;
};

struct RnnTrainingOutcome {
    int64_t step = 0;
    std::string reason;        ///< finished, stopped, early_stopping
    std::string modelFolder;   ///< the exported model ("" on ranks other than 0)
    std::optional<RnnMetrics> bestEval;
};

/// Receives the events of the CLI's JSON-lines contract ({"event": "train", ...}). [worker]
using TrainingEventSink = std::function<void(const core::JsonValue&)>;

/// Runs training. `stop` (e.g. set by SIGTERM) ends it after the current step with a
/// checkpoint and the export. Errors: bad hparams, a run folder whose checkpoint belongs to
/// another network, divergence ("the loss became NaN at step N"), file errors, collectives.
core::Result<RnnTrainingOutcome> trainRnn(const RnnDataset& dataset,
                                          const RnnTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop,
                                          DistributedGroup* group = nullptr);

}  // namespace toccata::ml
