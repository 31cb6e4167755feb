// CpuKernels: the few float32 loops that inference at batch 1..a few needs, written out so a
// step costs its arithmetic and not libtorch's per-op dispatch (a 1x128 by 128x512 addmm is
// ~20 us through Debian's reference BLAS, ~3 us here). Built with -O3 and an AVX2/FMA clone
// chosen at run time; used only by the layers' inference paths (TfLstmCell::step,
// Dense::step, AttentionCellWrapper's cached path), never for training. [any]
#pragma once

#include <cstdint>

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace toccata::ml::cpu {

/// While alive, this thread treats denormal floats as zero (x86 FTZ + DAZ); the previous mode
/// comes back at the end of the scope. Saturated LSTM gates make tiny activations whose
/// products are denormal, which x86 computes in microcode, many times slower: a Piano Genie
/// press with the tutorial's weights took ~30% longer without this. Values below 1e-38 are
/// lost, nothing a model's output can show. No-op off x86.
class ScopedFlushDenormals {
public:
#if defined(__SSE2__)
    ScopedFlushDenormals() : m_saved(_mm_getcsr()) { _mm_setcsr(m_saved | kFtzDaz); }
    ~ScopedFlushDenormals() { _mm_setcsr(m_saved); }
#else
    ScopedFlushDenormals() = default;
#endif
    ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
    ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

private:
#if defined(__SSE2__)
    static constexpr unsigned kFtzDaz = 0x8040;  // MXCSR flush-to-zero | denormals-are-zero
    unsigned m_saved;
#endif
};

/// z[0..cols) += sum_i x[i] * K[i][0..cols) for K row-major [n, cols]. Rows where x[i] == 0
/// are skipped, so one-hot inputs cost one row.
void addVectorTimesMatrix(const float* x, int64_t n, const float* K, int64_t cols, float* z);

/// TF's LSTM cell update from the pre-activations z = [i, j, f, o] (each `hidden` wide, the
/// forget bias already added to f): c' = c * sigmoid(f) + sigmoid(i) * tanh(j),
/// h' = tanh(c') * sigmoid(o).
void lstmGates(const float* z, const float* c, int64_t hidden, float* cOut, float* hOut);

}  // namespace toccata::ml::cpu
