// Relative self-attention with skewing (see RelativeAttention.h).
#include "ml/models/music_transformer/RelativeAttention.h"

#include <cmath>
#include <limits>

namespace toccata::ml {

torch::Tensor relativeEmbeddingsForLength(const torch::Tensor& relative, int64_t length) {
    const int64_t maxDistance = relative.size(1) - 1;
    // Index of distance m - (length - 1) in the clipped table: R + distance, at least 0.
    const torch::Tensor index =
        (torch::arange(length,
                       torch::TensorOptions().dtype(torch::kLong).device(relative.device())) -
         (length - 1) + maxDistance)
            .clamp_min(0);
    return relative.index_select(1, index);
}

torch::Tensor skewRelativeLogits(const torch::Tensor& qe) {
    const int64_t L = qe.size(-1);
    std::vector<int64_t> padded(qe.sizes().begin(), qe.sizes().end());
    torch::Tensor x = torch::constant_pad_nd(qe, {1, 0});  // [..., L, L + 1]
    padded[padded.size() - 2] = L + 1;
    padded[padded.size() - 1] = L;
    return x.reshape(padded).narrow(-2, 1, L);
}

torch::Tensor relativeSelfAttention(const torch::Tensor& q, const torch::Tensor& k,
                                    const torch::Tensor& v, const torch::Tensor& relative,
                                    double dropout) {
    const int64_t L = q.size(2);
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    const torch::Tensor er = relativeEmbeddingsForLength(relative, L);  // [H, L, D]
    // [B, H, L, D] x [H, D, L] broadcast over B -> [B, H, L, L]
    const torch::Tensor qe = torch::matmul(q, er.transpose(1, 2).unsqueeze(0));
    torch::Tensor logits = (torch::matmul(q, k.transpose(2, 3)) + skewRelativeLogits(qe)) * scale;
    const torch::Tensor future =
        torch::ones({L, L}, torch::TensorOptions().dtype(torch::kBool).device(q.device())).triu(1);
    logits = logits.masked_fill(future, -std::numeric_limits<float>::infinity());
    torch::Tensor weights = torch::softmax(logits, -1);
    if (dropout > 0.0) weights = torch::dropout(weights, dropout, true);
    return torch::matmul(weights, v);
}

}  // namespace toccata::ml
