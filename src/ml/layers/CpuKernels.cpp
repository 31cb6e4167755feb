#include "ml/layers/CpuKernels.h"

#include <cmath>

namespace toccata::ml::cpu {

namespace {
inline float sigmoid(float x) { return 1.0F / (1.0F + std::exp(-x)); }
}  // namespace

// The row loop is an axpy over contiguous memory; GCC vectorizes it (this file is built with
// -O3), and the avx2/fma clone doubles the width where the CPU has it.
__attribute__((target_clones("avx2,fma", "default"))) void addVectorTimesMatrix(
    const float* __restrict x, int64_t n, const float* __restrict K, int64_t cols,
    float* __restrict z) {
    for (int64_t i = 0; i < n; ++i) {
        const float xi = x[i];
        if (xi == 0.0F) continue;
        const float* __restrict row = K + i * cols;
        for (int64_t j = 0; j < cols; ++j) z[j] += xi * row[j];
    }
}

void lstmGates(const float* z, const float* c, int64_t hidden, float* cOut, float* hOut) {
    const float* zi = z;
    const float* zj = z + hidden;
    const float* zf = z + 2 * hidden;
    const float* zo = z + 3 * hidden;
    for (int64_t k = 0; k < hidden; ++k) {
        const float cNew = c[k] * sigmoid(zf[k]) + sigmoid(zi[k]) * std::tanh(zj[k]);
        cOut[k] = cNew;
        hOut[k] = std::tanh(cNew) * sigmoid(zo[k]);
    }
}

}  // namespace toccata::ml::cpu
