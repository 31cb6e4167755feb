// ConstantQ: the constant-Q transform behind the rainbowgram (Brown & Puckette's sparse spectral
// kernels, with per-octave decimation as librosa does).
//
// Definition (what tools/analysis/rainbowgram_reference.py computes directly, slowly):
//   bin k: f_k = fmin · 2^(k/B),  Q = filterScale / (2^(1/B) − 1),  kernel length L_k = Q / f_k s;
//   kernel a_k(τ) = w(τ) · e^{+2πi f_k τ} / Σ w,  w(τ) = cos²(π τ / L_k) for |τ| < L_k / 2
//   (a Hann window centred on τ = 0, sampled at τ = n / rate);
//   C[t, k] = Σ_n x[t·hop + n] · conj(a_k(n / rate)), the audio zero-padded at both ends.
// So frame t is centred on sample t·hop, a full-scale sine at f_k gives |C| ≈ 0.5 (L1-normalised
// kernels, like librosa's cqt(scale=False)), and a stationary sine of frequency f advances the
// coefficient's phase by 2π f hop / rate per frame.
//
// Fast path: one FFT of the whole padded signal; each octave reads a copy band-limited by
// truncating that spectrum (exact: no aliasing) and decimated by 2^d, the most that keeps the
// octave's top kernel well below the new Nyquist and the hop an integer; there every frame takes
// one short FFT and each bin is a sparse dot product with its kernel's spectrum.
#pragma once

#include <atomic>
#include <complex>
#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/Rainbowgram.h"
#include "core/Result.h"

namespace toccata::analysis {

/// Frames × bins complex coefficients, index = frame * bins + bin.
struct CqtCoefficients {
    int frames = 0;
    int bins = 0;
    std::vector<std::complex<float>> values;
};

class ConstantQ {
public:
    /// One octave's processing: bins [firstBin, firstBin + binCount) at rate / decimation.
    struct Octave {
        int firstBin = 0;
        int binCount = 0;
        int decimation = 1;  // a power of two
        int hop = 0;         // hop at the decimated rate
        int fftSize = 0;     // samples per frame FFT
        /// The band of one kernel's spectrum that matters: conj(A[j]) / fftSize for
        /// j = first .. first + size - 1, indices past fftSize / 2 being negative frequencies.
        struct Kernel {
            int first = 0;
            std::vector<float> re, im;
            size_t size() const { return re.size(); }
            bool empty() const { return re.empty(); }
        };
        std::vector<Kernel> kernels;  // one per bin
    };

    /// Plans kernels for `settings` at `sampleRate` (checked as checkRainbowgramSettings does).
    /// `sparsity`: the kernel's spectrum is kept from its first to its last value at or above
    /// this fraction of its largest (Brown & Puckette's sparse kernel). [any] thread.
    static core::Result<ConstantQ> create(const CqtSettings& settings, int sampleRate,
                                          double sparsity = 1e-4);

    const CqtSettings& settings() const { return m_settings; }
    int sampleRate() const { return m_sampleRate; }
    double q() const { return m_q; }
    double binFrequency(int bin) const;
    /// Kernel length of `bin` in samples at the input rate (L_k · rate).
    double kernelLength(int bin) const;
    const std::vector<Octave>& octaves() const { return m_octaves; }
    /// 1 + frames / hop, or 0 for no audio.
    int frameCount(int64_t audioFrames) const;

    /// The coefficients of `frames` finite mono samples. Fails only when cancelled
    /// (kRainbowgramCancelled) or when the audio is too long to hold. [any] thread.
    core::Result<CqtCoefficients> transform(const float* mono, int64_t frames,
                                            const std::atomic<bool>* cancel = nullptr,
                                            const std::function<void(double)>& progress = {}) const;

private:
    ConstantQ() = default;

    CqtSettings m_settings;
    int m_sampleRate = 0;
    double m_q = 0.0;
    int m_maxDecimation = 1;
    int64_t m_padding = 0;  // zeros before (and at least after) the audio, multiple of decimation
    std::vector<Octave> m_octaves;
};

}  // namespace toccata::analysis
