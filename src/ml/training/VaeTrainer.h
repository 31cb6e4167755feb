// Trains a MusicVAE / GrooVAE on a VaeDataset (Magenta's music_vae_train, in process), on the
// shared TrainingLoop. The objective is Magenta's: z = mu + sigma * eps (reparameterised),
// reconstruction summed over the window (softmax cross-entropy; GrooVAE: hit log-loss +
// velocity and offset squared errors), plus beta * max(KL - free_bits * ln 2, 0), with beta's
// schedule, dropout, scheduled sampling, Magenta's learning-rate decay, global-norm clipping
// and zeroed gradients above grad_norm_clip_to_zero (docs/design/musicvae.md §4).
// Held-out metrics: the objective per step at the final beta (the "loss" the best checkpoint
// goes by; -ELBO when beta = 1 and no free bits), -ELBO per step, reconstruction, KL in bits,
// teacher-forced accuracy, and what users hear: the free-running argmax reconstruction from
// mu (accuracy on all steps and on steps with an event). GrooVAE adds hit
// precision/recall, velocity and timing error on the drummers' real hits, beside the "copy
// the quantized input" baseline (no offset, the training set's mean velocity). [worker]
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/VaeDataset.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/TrainingLoop.h"
#include "ml/training/VaeHParams.h"

namespace toccata::ml {

struct VaeTrainingSettings : TrainingRunSettings {
    std::string configId;  ///< e.g. cat-mel_2bar_small (recorded in model.json)
    VaeHParams hparams;
};

struct VaeTrainingOutcome {
    int64_t step = 0;
    std::string reason;  ///< finished, stopped, early_stopping
    std::string modelFolder;
    std::optional<core::JsonValue> bestEval;  ///< the held-out metrics (see above)
};

core::Result<VaeTrainingOutcome> trainVae(const VaeDataset& dataset,
                                          const VaeTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop,
                                          DistributedGroup* group = nullptr);

class MusicVae;

/// How the KL term counts in the held-out "loss": beta * max(KL - freeBits * ln 2, 0).
struct VaeLossWeights {
    double beta = 1.0;
    double freeBits = 0.0;
};

/// Held-out metrics of a MusicVAE on `examples` (batches of batchSize; eps drawn from a
/// generator seeded with 0, so two calls agree). The same object trainVae reports (with the
/// run's max_beta and free_bits as weights).
core::Result<core::JsonValue> evaluateVae(const MusicVae& model, const VaeDataset& dataset,
                                          const std::vector<VaeExample>& examples, int batchSize,
                                          const VaeLossWeights& weights = {});

}  // namespace toccata::ml
