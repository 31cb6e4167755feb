// MusicTransformerCache: incremental decoding with a key/value cache per layer, for a batch of
// sequences (variations) fed in lock step. step() feeds one token per sequence and returns the
// next-token logits without re-running the prefix: the new token's query attends over the
// cached keys, and its relative logits q . Er[clip(j - i)] are computed directly (one dot per
// distinct distance, no skewing needed for a single query).
//
// Sliding context: the cache holds at most W = contextWindow positions, as a ring buffer.
//  - kShift (default): when full, the oldest entry is overwritten. Relative positions make
//    this valid without recomputation (only distances matter), but it approximates re-running
//    the last W tokens: the cached keys/values of the lower layers were computed while the
//    dropped tokens were still visible. O(1) per token.
//  - kReprime: when full, the cache is rebuilt from the last W/2 tokens in one batched forward
//    (exactly what a fresh run on those tokens gives), then decoding goes on; costs one
//    W/2-token forward every W/2 tokens.
// One thread at a time ([worker]); the network must outlive the cache.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/Result.h"
#include "ml/models/music_transformer/MusicTransformer.h"

namespace toccata::ml {

enum class SlidingContext { kShift, kReprime };

class MusicTransformerCache {
public:
    MusicTransformerCache(const MusicTransformerNetwork& network, int64_t batch,
                          SlidingContext sliding = SlidingContext::kShift);

    int64_t batch() const { return m_batch; }
    int64_t window() const { return m_window; }
    /// Positions held (<= window()).
    int64_t cached() const { return std::min(m_position, m_window); }
    /// Tokens fed since reset() (all of them, also those that slid out).
    int64_t fed() const { return m_fed; }
    /// Forgets everything.
    void reset();

    /// Feeds tokens[b] (0 <= token < vocab) to sequence b; returns the logits of the next
    /// token, [batch * vocab] floats valid until the next call.
    const float* step(const int64_t* tokens);
    /// The same as a tensor [batch, vocab] (a copy). Errors: wrong count, token out of range.
    core::Result<torch::Tensor> step(const std::vector<int64_t>& tokens);

    /// reset(), then feeds tokens [batch, P] (int64) as P step() calls would, the first
    /// min(P, W) of them in one batched forward. Returns the last logits [batch, vocab].
    core::Result<torch::Tensor> prime(const torch::Tensor& tokens);

private:
    void fillFromForward(const torch::Tensor& tokens, torch::Tensor* lastLogits);
    void reprime();

    const MusicTransformerNetwork& m_net;
    int64_t m_batch, m_window;
    SlidingContext m_sliding;
    int64_t m_position = 0;  ///< position of the next token since the cache was (re)filled
    int64_t m_fed = 0;
    std::vector<std::vector<float>> m_keys, m_values;  ///< per layer [B, H, W, D]
    std::vector<int64_t> m_history;                    ///< [B, W] ring of fed tokens
    // Scratch, sized once.
    std::vector<float> m_x, m_h, m_qkv, m_att, m_tmp, m_ff, m_logits, m_scores, m_relRow, m_rel;
    std::vector<int64_t> m_age;  ///< per slot: distance back, clipped to R
    std::vector<int32_t> m_nonZero;
};

}  // namespace toccata::ml
