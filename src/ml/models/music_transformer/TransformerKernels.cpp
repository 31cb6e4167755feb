#include "ml/models/music_transformer/TransformerKernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace toccata::ml::cpu {

namespace {
// GCC/Clang vector extension; aligned(4) allows unaligned loads and stores.
typedef float v8 __attribute__((vector_size(32), aligned(4)));
static_assert(kTileWidth == 32, "the tile loop holds four v8 accumulators");

inline v8 load8(const float* p) { return *reinterpret_cast<const v8*>(p); }
inline void store8(float* p, v8 v) { *reinterpret_cast<v8*>(p) = v; }
inline v8 splat(float x) { return v8{x, x, x, x, x, x, x, x}; }
}  // namespace

TiledMatrix TiledMatrix::pack(const float* kernel, int64_t rows, int64_t cols) {
    TiledMatrix m;
    m.rows = rows;
    m.cols = cols;
    m.tiles = (cols + kTileWidth - 1) / kTileWidth;
    m.data.assign(static_cast<size_t>(m.tiles * rows * kTileWidth), 0.0F);
    for (int64_t t = 0; t < m.tiles; ++t) {
        const int64_t c0 = t * kTileWidth, width = std::min(kTileWidth, cols - c0);
        for (int64_t r = 0; r < rows; ++r)
            std::memcpy(&m.data[static_cast<size_t>((t * rows + r) * kTileWidth)],
                        kernel + r * cols + c0, static_cast<size_t>(width) * sizeof(float));
    }
    return m;
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void denseForward(
    const TiledMatrix& K, const float* bias, const float* x, int64_t batch, float* z,
    std::vector<int32_t>& nonZero) {
    const int64_t rows = K.rows, cols = K.cols;
    // Each row's non-zero inputs first ([b][rows], counts after them), then tile by tile so
    // that a tile read for one row is still in cache for the next ones.
    nonZero.resize(static_cast<size_t>(batch * (rows + 1)));
    int32_t* counts = nonZero.data() + batch * rows;
    for (int64_t b = 0; b < batch; ++b) {
        const float* xb = x + b * rows;
        int32_t* list = nonZero.data() + b * rows;
        int32_t n = 0;
        for (int64_t i = 0; i < rows; ++i)
            if (xb[i] != 0.0F) list[n++] = static_cast<int32_t>(i);
        counts[b] = n;
    }
    for (int64_t t = 0; t < K.tiles; ++t) {
        const float* tile = K.data.data() + t * rows * kTileWidth;
        const int64_t c0 = t * kTileWidth;
        for (int64_t b = 0; b < batch; ++b) {
            const float* xb = x + b * rows;
            const int32_t* nz = nonZero.data() + b * rows;
            const int64_t count = counts[b];
            float* zb = z + b * cols;
            // Two sets of accumulators (even and odd non-zero rows): eight independent FMA
            // chains hide the FMA latency.
            v8 a0 = splat(0.0F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int64_t j = 0;
            for (; j + 2 <= count; j += 2) {
                const v8 xi = splat(xb[nz[j]]), xk = splat(xb[nz[j + 1]]);
                const float* ri = tile + static_cast<int64_t>(nz[j]) * kTileWidth;
                const float* rk = tile + static_cast<int64_t>(nz[j + 1]) * kTileWidth;
                a0 += xi * load8(ri);
                a1 += xi * load8(ri + 8);
                a2 += xi * load8(ri + 16);
                a3 += xi * load8(ri + 24);
                b0 += xk * load8(rk);
                b1 += xk * load8(rk + 8);
                b2 += xk * load8(rk + 16);
                b3 += xk * load8(rk + 24);
            }
            if (j < count) {
                const v8 xi = splat(xb[nz[j]]);
                const float* ri = tile + static_cast<int64_t>(nz[j]) * kTileWidth;
                a0 += xi * load8(ri);
                a1 += xi * load8(ri + 8);
                a2 += xi * load8(ri + 16);
                a3 += xi * load8(ri + 24);
            }
            a0 += b0;
            a1 += b1;
            a2 += b2;
            a3 += b3;
            if (c0 + kTileWidth <= cols) {
                store8(zb + c0, a0 + load8(bias + c0));
                store8(zb + c0 + 8, a1 + load8(bias + c0 + 8));
                store8(zb + c0 + 16, a2 + load8(bias + c0 + 16));
                store8(zb + c0 + 24, a3 + load8(bias + c0 + 24));
            } else {
                float tmp[kTileWidth];
                store8(tmp, a0);
                store8(tmp + 8, a1);
                store8(tmp + 16, a2);
                store8(tmp + 24, a3);
                for (int64_t c = c0; c < cols; ++c) zb[c] = tmp[c - c0] + bias[c];
            }
        }
    }
}

void layerNorm(const float* x, int64_t n, const float* gamma, const float* beta, float eps,
               float* y) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += x[i];
    const double mean = sum / static_cast<double>(n);
    double sq = 0.0;
    for (int64_t i = 0; i < n; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const auto inv = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(n) + eps));
    const auto m = static_cast<float>(mean);
    for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) * inv * gamma[i] + beta[i];
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) float dot(const float* a,
                                                                      const float* b, int64_t n) {
    v8 acc = splat(0.0F);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) acc += load8(a + i) * load8(b + i);
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; i < n; ++i) s += a[i] * b[i];
    return s;
}

namespace {

inline float sum8(v8 a) {
    return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

typedef int32_t i8v __attribute__((vector_size(32)));

/// exp(x) for x <= 0 on eight lanes: Cephes' expf (2^n times a degree-6 polynomial on
/// [-ln2/2, ln2/2]), ~1 ulp; below -87 it flushes to 0. libm's scalar expf was half the
/// attention's time.
inline v8 expNonPositive(v8 x) {
    x = x < splat(-87.0F) ? splat(-87.0F) : x;
    const v8 y = x * splat(1.44269504088896341F) + splat(0.5F);
    v8 n = __builtin_convertvector(__builtin_convertvector(y, i8v), v8);  // toward zero
    n = y < n ? n - splat(1.0F) : n;                                      // floor
    x = x - n * splat(0.693359375F) + n * splat(2.12194440e-4F);
    v8 p = splat(1.9875691500E-4F);
    p = p * x + splat(1.3981999507E-3F);
    p = p * x + splat(8.3334519073E-3F);
    p = p * x + splat(4.1665795894E-2F);
    p = p * x + splat(1.6666665459E-1F);
    p = p * x + splat(5.0000001201E-1F);
    p = p * x * x + x + splat(1.0F);
    const i8v bits = (__builtin_convertvector(n, i8v) + 127) << 23;
    v8 scaleBy;
    __builtin_memcpy(&scaleBy, &bits, sizeof scaleBy);
    return p * scaleBy;
}

}  // namespace

__attribute__((target_clones("arch=x86-64-v3", "default"))) void attendCached(
    const float* q, const float* keys, const float* values, int64_t stride, int64_t count,
    int64_t dim, const float* relative, float scale, float* scores, float* out) {
    const int64_t full = dim - dim % 8;
    float best = -INFINITY;
    for (int64_t s = 0; s < count; ++s) {
        const float* k = keys + s * stride;
        v8 c = splat(0.0F);
        for (int64_t i = 0; i < full; i += 8) c += load8(q + i) * load8(k + i);
        float d = sum8(c);
        for (int64_t i = full; i < dim; ++i) d += q[i] * k[i];
        scores[s] = (d + relative[s]) * scale;
        best = std::max(best, scores[s]);
    }
    v8 sums = splat(0.0F);
    int64_t j = 0;
    for (; j + 8 <= count; j += 8) {
        const v8 e = expNonPositive(load8(scores + j) - splat(best));
        store8(scores + j, e);
        sums += e;
    }
    float total = sum8(sums);
    for (; j < count; ++j) total += (scores[j] = std::exp(scores[j] - best));
    const float inv = 1.0F / total;
    // out = sum_s p_s v_s, 32 columns (four registers) at a time with the slots inside, so
    // each value row is read once per 32 columns.
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        v8 a0 = splat(0.0F), a1 = a0, a2 = a0, a3 = a0;
        for (int64_t s = 0; s < count; ++s) {
            const v8 p = splat(scores[s]);
            const float* v = values + s * stride + i;
            a0 += p * load8(v);
            a1 += p * load8(v + 8);
            a2 += p * load8(v + 16);
            a3 += p * load8(v + 24);
        }
        store8(out + i, a0 * splat(inv));
        store8(out + i + 8, a1 * splat(inv));
        store8(out + i + 16, a2 * splat(inv));
        store8(out + i + 24, a3 * splat(inv));
    }
    for (; i < dim; ++i) {
        float acc = 0.0F;
        for (int64_t s = 0; s < count; ++s) acc += scores[s] * values[s * stride + i];
        out[i] = acc * inv;
    }
}

}  // namespace toccata::ml::cpu
