// Causal self-attention with learned relative position embeddings (Shaw et al. 2018) in the
// memory-efficient form of Huang et al. 2018 ("Music Transformer", section 3.4.1): instead of
// gathering an [L, L, D] tensor of embeddings, compute Q . Er^T once ([L, L] per head, Er
// holding the embeddings of distances -(L-1)..0) and "skew" it so that entry (i, j) holds
// q_i . Er[j - i]: pad one zero column on the left, reshape [L, L+1] -> [L+1, L], drop the
// first row. Logits = (Q K^T + S_rel) / sqrt(headDim), causal mask, softmax, times V.
// Differentiable; used for training and for priming the KV cache. [any]
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace toccata::ml {

/// Rows of the clipped table `relative` [H, R + 1, D] (row r = distance r - R) for the
/// distances -(length-1)..0 in that order: [H, length, D]; distances beyond R use row 0.
torch::Tensor relativeEmbeddingsForLength(const torch::Tensor& relative, int64_t length);

/// qe [..., L, L] with qe[i][m] = q_i . E(distance m - (L-1)) -> s [..., L, L] with
/// s[i][j] = qe[i][j - i + L - 1] for j <= i (entries with j > i are not meaningful).
torch::Tensor skewRelativeLogits(const torch::Tensor& qe);

/// q, k, v [B, H, L, D], `relative` [H, R + 1, D] -> [B, H, L, D]. `dropout` > 0 drops
/// attention weights (training).
torch::Tensor relativeSelfAttention(const torch::Tensor& q, const torch::Tensor& k,
                                    const torch::Tensor& v, const torch::Tensor& relative,
                                    double dropout = 0.0);

}  // namespace toccata::ml
