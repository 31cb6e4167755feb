// Trains a MusicRnn on an RnnDataset (Magenta's melody_rnn_train / drums_rnn_train /
// improv_rnn_train, in process): teacher forcing on whole sequences, masked softmax
// cross-entropy, the hparams' learning-rate schedule, dropout, length-bucketed batches; held-out
// NLL per step against unigram/bigram baselines. The shared TrainingLoop does the rest
// (Adam, clipping, eval and checkpoint schedule, exact resume, early stopping, export,
// distributed data parallelism). [worker]
#pragma once

#include <atomic>
#include <string>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/RnnDataset.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/RnnEvaluation.h"
#include "ml/training/RnnHParams.h"
#include "ml/training/TrainingLoop.h"

namespace toccata::ml {

struct RnnTrainingSettings : TrainingRunSettings {
    RnnHParams hparams;
};

struct RnnTrainingOutcome {
    int64_t step = 0;
    std::string reason;       ///< finished, stopped, early_stopping
    std::string modelFolder;  ///< the exported model ("" on ranks other than 0)
    std::optional<RnnMetrics> bestEval;
};

/// Runs training. `stop` (e.g. set by SIGTERM) ends it after the current step with a
/// checkpoint and the export. Errors: bad hparams, a run folder whose checkpoint belongs to
/// another network, divergence ("the loss became NaN at step N"), file errors, collectives.
core::Result<RnnTrainingOutcome> trainRnn(const RnnDataset& dataset,
                                          const RnnTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop,
                                          DistributedGroup* group = nullptr);

}  // namespace toccata::ml
