// The pieces of MusicVAE's training objective that the trainer and the evaluation share:
// batches of VaeExamples as tensors, the reconstruction term per example, and the KL
// divergence of q(z|x) from N(0, I) per example (docs/design/musicvae.md §4.1). [any]
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/VaeConverter.h"
#include "ml/data/VaeDataset.h"
#include "ml/models/music_vae/MusicVae.h"

namespace toccata::ml {

struct VaeBatch {
    torch::Tensor inputs;       ///< [B, T, inputDepth] float
    torch::Tensor targets;      ///< [B, T, outputDepth] float
    torch::Tensor labels;       ///< [B, T] int64 (categorical converters; undefined for groove)
    torch::Tensor stepSeconds;  ///< [B] float
};

/// Tensors of `examples`. Melody windows are shifted by a random -transposeRange..+range
/// semitones each (Magenta's NoteSequenceAugmenter), drawn from torch's default generator;
/// a shift that would leave the pitch range is replaced by none. Errors: an example that
/// does not fit the converter (wrong length or width).
core::Result<VaeBatch> makeVaeBatch(const VaeConverterConfig& config,
                                    const std::vector<const VaeExample*>& examples,
                                    int64_t transposeRange = 0);

/// Reconstruction term per example [B], summed over steps: softmax cross-entropy for
/// categorical heads; GrooVAE: hit log-loss + (v - sigmoid)^2 + (o - tanh)^2 over 9 drums.
torch::Tensor reconstructionLoss(VaeHead head, const torch::Tensor& logits, const VaeBatch& batch);

/// KL(N(mu, sigma^2) || N(0, I)) per example [B], in nats.
torch::Tensor klDivergence(const VaePosterior& posterior);

/// Teacher-forced prediction counts of a batch: [cells, correct, eventCells, eventCorrect].
/// Categorical: a cell is a step, the prediction the argmax, an event any class but 0 (no
/// event / no drums). Groove: a cell is one drum on one step, the prediction hit = logit > 0,
/// an event a real hit.
std::vector<double> predictionCounts(VaeHead head, const torch::Tensor& logits,
                                     const VaeBatch& batch);

}  // namespace toccata::ml
