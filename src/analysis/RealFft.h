// RealFft: one real-input FFT size and direction on FFTW3 (single precision). FFTW's planner is
// not thread-safe, so plans are made (and freed at exit) under one process-wide mutex and cached
// per (size, direction); executing a plan on distinct arrays is thread-safe, so execute() takes
// no lock. Buffers passed to execute() must come from AlignedBuffer (FFTW's allocator) so they
// have the alignment the plan was made with.
#pragma once

#include <complex>
#include <cstddef>

namespace toccata::analysis {

/// A fixed-size array from fftwf_malloc (SIMD-aligned), zero-initialised. Move-only.
template <typename T>
class AlignedBuffer {
public:
    AlignedBuffer() = default;
    explicit AlignedBuffer(size_t count);
    ~AlignedBuffer();
    AlignedBuffer(AlignedBuffer&& other) noexcept : m_data(other.m_data), m_size(other.m_size) {
        other.m_data = nullptr;
        other.m_size = 0;
    }
    AlignedBuffer& operator=(AlignedBuffer&& other) noexcept;
    AlignedBuffer(const AlignedBuffer&) = delete;
    AlignedBuffer& operator=(const AlignedBuffer&) = delete;

    T* data() { return m_data; }
    const T* data() const { return m_data; }
    size_t size() const { return m_size; }
    T& operator[](size_t i) { return m_data[i]; }
    const T& operator[](size_t i) const { return m_data[i]; }

private:
    T* m_data = nullptr;
    size_t m_size = 0;
};

extern template class AlignedBuffer<float>;
extern template class AlignedBuffer<std::complex<float>>;

class RealFft {
public:
    enum class Direction { kForward, kInverse };

    /// kCached: the plan is kept for the process: for the short frame sizes used over and
    /// over. kOneOff: this object owns (and frees) its plan: for whole-signal sizes that differ
    /// with every input. Both are FFTW_ESTIMATE plans: measuring cost ~0.1 s per process and
    /// gained nothing measurable on the rainbowgram's 256..1024-point frames.
    enum class Planning { kCached, kOneOff };

    /// Finds or makes the plan. [any] thread. size >= 1.
    RealFft(int size, Direction direction, Planning planning = Planning::kCached);
    ~RealFft();
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;

    int size() const { return m_size; }
    /// size / 2 + 1: the non-negative-frequency bins of the half spectrum.
    int spectrumSize() const { return m_size / 2 + 1; }

    /// Forward: real[size] -> spectrum[size/2+1], X[j] = Σ x[n] e^{-2πi jn/size}.
    /// Inverse: spectrum -> real, unnormalised (a forward + inverse pair scales by size); the
    /// spectrum is overwritten. [any] thread.
    void execute(float* real, std::complex<float>* spectrum) const;

private:
    int m_size = 0;
    Direction m_direction = Direction::kForward;
    bool m_owned = false;    // kOneOff: this object destroys the plan
    void* m_plan = nullptr;  // fftwf_plan
};

/// The smallest n >= minimum whose only prime factors are 2, 3, 5 and 7 (fast FFTW sizes)
/// and that is a multiple of `multiple` (a power of two).
size_t fastFftSize(size_t minimum, size_t multiple = 1);

}  // namespace toccata::analysis
