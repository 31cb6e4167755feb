// Private to src/ml/models/music_transformer: the tensors behind a MusicTransformerNetwork,
// shared by the network maths (MusicTransformer.cpp) and the KV-cached step
// (MusicTransformerCache.cpp). [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/models/music_transformer/TransformerKernels.h"

namespace toccata::ml {

/// One pre-LayerNorm decoder block; kernels [in, out].
struct TransformerLayer {
    torch::Tensor ln1Gamma, ln1Beta;
    torch::Tensor wq, bq, wk, bk, wv, bv, wo, bo;
    torch::Tensor relative;  ///< [heads, R + 1, headDim]
    torch::Tensor ln2Gamma, ln2Beta;
    torch::Tensor w1, b1, w2, b2;
};

/// Contiguous float32 CPU copies for the cached step; the q, k, v kernels side by side and
/// every kernel in column tiles (TransformerKernels.h).
struct PackedTransformerLayer {
    torch::Tensor ln1Gamma, ln1Beta, bqkv, bo, relative, ln2Gamma, ln2Beta, b1, b2;
    cpu::TiledMatrix wqkv, wo, w1, w2;
};

struct MusicTransformerNetwork::Impl {
    MusicTransformerArchitecture arch;
    torch::Tensor embedding;  ///< [vocab, d]
    std::vector<TransformerLayer> layers;
    torch::Tensor finalGamma, finalBeta;
    torch::Tensor outW, outB;  ///< [d, vocab], [vocab]; outW undefined when tied
    std::vector<std::pair<std::string, torch::Tensor>> named;

    std::vector<PackedTransformerLayer> packed;
    torch::Tensor pEmbedding, pFinalGamma, pFinalBeta, pOutB;
    cpu::TiledMatrix pOut;  ///< [d, vocab]

    /// Runs the blocks on embedded input x [B, L, d]; fills `keysValues` when not null.
    torch::Tensor blocks(torch::Tensor x, double dropout,
                         std::vector<std::pair<torch::Tensor, torch::Tensor>>* keysValues) const;
};

/// "transformer/layer_<l>/<suffix>"
std::string transformerLayerName(int64_t layer, const std::string& suffix);

}  // namespace toccata::ml
