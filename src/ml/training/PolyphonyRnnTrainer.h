// Trains a Polyphony RNN (Magenta's polyphony_rnn_train, in process) on a PolyphonyDataset:
// teacher forcing on whole example streams (inputs: one-hot of event i, labels: event i + 1;
// Magenta's event RNN), each example transposed by a shift drawn from -transpose_max ..
// transpose_max within its pitch range, masked softmax cross-entropy, dropout, the hparams'
// learning-rate schedule; batches group examples of similar length. Held out: every held-out
// example, scored as NLL per event (nats) beside the unigram and bigram baselines
// (EventBaselines, fitted on the training streams) on the same events; both go into the
// exported model.json (provenance.heldOut). The shared TrainingLoop does the rest (Adam,
// clipping, schedule, exact resume, early stopping, export of the best checkpoint). [worker]
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/EventBaselines.h"
#include "ml/data/PolyphonyDataset.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/PolyphonyRnnHParams.h"
#include "ml/training/TrainingLoop.h"

namespace toccata::ml {

struct PolyphonyRnnTrainingSettings : TrainingRunSettings {
    PolyphonyRnnHParams hparams;
};

struct PolyphonyRnnTrainingOutcome {
    int64_t step = 0;
    std::string reason;                       ///< finished, stopped, early_stopping
    std::string modelFolder;                  ///< the exported model ("" on ranks other than 0)
    std::optional<core::JsonValue> bestEval;  ///< held-out metrics (see evaluatePolyphonyRnn)
};

/// Runs training. Errors: bad hparams, no training example, a run folder whose checkpoint
/// belongs to another network, divergence, file errors.
core::Result<PolyphonyRnnTrainingOutcome> trainPolyphonyRnn(
    const PolyphonyDataset& dataset, const PolyphonyRnnTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop,
    DistributedGroup* group = nullptr);

/// The dataset options the hparams ask for (min/max/chunk steps).
PolyphonyDatasetOptions polyphonyDatasetOptionsFor(const PolyphonyRnnHParams& h);

/// Teacher-forcing tensors of example streams (already transposed, at least 2 events each):
/// inputs [B, T-1, 259] one-hot of event i, labels [B, T-1] event i + 1, mask [B, T-1] float.
struct PolyphonyRnnTensors {
    torch::Tensor inputs, labels, mask;
};
PolyphonyRnnTensors polyphonyRnnTensors(const std::vector<std::vector<int64_t>>& streams);

/// Held-out metrics of `network` on `examples` (untransposed, no dropout): "loss" =
/// "nll_per_event" (nats), "perplexity", "accuracy", "events" (predicted events),
/// "examples". With `baselines`, also "unigram_nll_per_event" and "bigram_nll_per_event" on the
/// same events. Errors: no example, a network that is not 259 -> 259.
core::Result<core::JsonValue> evaluatePolyphonyRnn(const MusicRnn& network,
                                                   const std::vector<PolyphonyExample>& examples,
                                                   int batchSize,
                                                   const EventBaselines* baselines = nullptr);

/// The n-gram baselines fitted on the training streams (untransposed).
core::Result<EventBaselines> fitPolyphonyBaselines(const std::vector<PolyphonyExample>& train);

}  // namespace toccata::ml
