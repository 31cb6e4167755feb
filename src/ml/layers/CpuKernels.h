// CpuKernels: the few float32 loops that inference at batch 1..a few needs, written out so a
// step costs its arithmetic and not libtorch's per-op dispatch (a 1x128 by 128x512 addmm is
// ~20 us through Debian's reference BLAS, ~3 us here). Built with -O3 and an AVX2/FMA clone
// chosen at run time; used only by the layers' inference paths (TfLstmCell::step,
// Dense::step, AttentionCellWrapper's cached path), never for training. [any]
#pragma once

#include <cstdint>

namespace toccata::ml::cpu {

/// z[0..cols) += sum_i x[i] * K[i][0..cols) for K row-major [n, cols]. Rows where x[i] == 0
/// are skipped, so one-hot inputs cost one row.
void addVectorTimesMatrix(const float* x, int64_t n, const float* K, int64_t cols, float* z);

/// TF's LSTM cell update from the pre-activations z = [i, j, f, o] (each `hidden` wide, the
/// forget bias already added to f): c' = c * sigmoid(f) + sigmoid(i) * tanh(j),
/// h' = tanh(c') * sigmoid(o).
void lstmGates(const float* z, const float* c, int64_t hidden, float* cOut, float* hOut);

}  // namespace toccata::ml::cpu
