// Held-out metrics of an event-RNN, as Magenta's events_rnn_graph reports them: loss (mean
// softmax cross-entropy per step = NLL per step, nats), perplexity = exp(loss), accuracy,
// and the accuracies on event and no-event steps; plus the unigram and bigram baselines
// over the same labels, which a trained model must beat. [worker]
#pragma once

#include <cstdint>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/training/RnnBatcher.h"

namespace toccata::ml {

struct RnnMetrics {
    double nllPerStep = 0.0;
    double perplexity = 1.0;
    double accuracy = 0.0;
    double eventAccuracy = 0.0;    ///< on steps whose label is an event
    double noEventAccuracy = 0.0;  ///< on steps whose label is "no event"
    int64_t steps = 0;
    int64_t examples = 0;

    core::JsonValue toJson() const;
};

/// Sums of a batch's results, to be added up over batches (and processes).
struct RnnMetricSums {
    double nll = 0.0;
    double correct = 0.0, eventSteps = 0.0, eventCorrect = 0.0, noEventCorrect = 0.0;
    double steps = 0.0;
    void add(const RnnMetricSums& o);
    RnnMetrics metrics(int64_t examples) const;
};

/// Log-probabilities [B, T, C] (log_softmax of the logits), the batch's labels and mask ->
/// the batch's sums (no gradient). The trainer passes the ones its loss used.
RnnMetricSums batchMetricSums(const torch::Tensor& logProbs, const RnnBatch& batch,
                              int noEventLabel);

/// The model's metrics on `examples` (no dropout, batches of batchSize).
core::Result<RnnMetrics> evaluateRnn(const MusicRnn& model, const RnnBatcher& batcher,
                                     const std::vector<RnnExample>& examples, int batchSize);

/// Unigram and bigram (previous label as context) models with add-one smoothing, fitted on
/// `train` and scored on `eval`: NLL per step in nats.
struct BaselineNll {
    double unigram = 0.0;
    double bigram = 0.0;
};
core::Result<BaselineNll> ngramBaselines(const RnnBatcher& batcher,
                                         const std::vector<RnnExample>& train,
                                         const std::vector<RnnExample>& eval);

}  // namespace toccata::ml
