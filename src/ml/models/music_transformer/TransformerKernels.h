// TransformerKernels: the float32 loops of the Music Transformer's KV-cached step, so a token
// costs its memory traffic and not ~20 libtorch dispatches per layer. Weight matrices are
// repacked into column tiles of kTileWidth floats ([tiles][rows][kTileWidth]): one tile's
// accumulators stay in registers while its rows stream through in order. Built with -O3 and
// an x86-64-v3 (AVX2 + FMA) clone chosen at run time. Inference only, never training. [any]
#pragma once

#include <cstdint>
#include <vector>

namespace toccata::ml::cpu {

inline constexpr int64_t kTileWidth = 32;

/// K [rows, cols] (row-major, TF kernel layout) in column tiles, the last one zero-padded.
struct TiledMatrix {
    int64_t rows = 0, cols = 0, tiles = 0;
    std::vector<float> data;  ///< [tiles][rows][kTileWidth]

    static TiledMatrix pack(const float* kernel, int64_t rows, int64_t cols);
};

/// z[b][0..cols) = bias + x[b] . K for b < batch; x [batch, K.rows], z [batch, K.cols].
/// Zeros of x are skipped (a ReLU output costs only its active rows). `nonZero` is scratch.
void denseForward(const TiledMatrix& K, const float* bias, const float* x, int64_t batch, float* z,
                  std::vector<int32_t>& nonZero);

/// y = (x - mean) / sqrt(var + eps) * gamma + beta over n values.
void layerNorm(const float* x, int64_t n, const float* gamma, const float* beta, float eps,
               float* y);

/// sum_i a[i] * b[i]
float dot(const float* a, const float* b, int64_t n);

/// One query over `count` cached key/value slots (slot s at keys + s * stride): scores
/// s -> (q . k_s + relative[s]) * scale, softmax, out[0..dim) = sum_s p_s v_s.
/// `scores` has room for count floats.
void attendCached(const float* q, const float* keys, const float* values, int64_t stride,
                  int64_t count, int64_t dim, const float* relative, float scale, float* scores,
                  float* out);

}  // namespace toccata::ml::cpu
