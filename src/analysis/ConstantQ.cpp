#include "analysis/ConstantQ.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "analysis/RealFft.h"

namespace toccata::analysis {
namespace {

// An octave decimates while its top bin plus this many kernel bandwidths (f / Q each; a Hann
// main lobe is ±2 of them) stays below the decimated Nyquist: what the band-limiting cuts away
// is then far down the kernel's sidelobes.
constexpr double kNyquistMarginBandwidths = 6.0;
constexpr int kMaxDecimation = 1 << 12;
// Coefficients held at most (8 bytes each): about 20 minutes of 44.1 kHz audio at the defaults.
constexpr int64_t kMaxCells = int64_t(1) << 26;
constexpr int kCancelCheckFrames = 512;

int nextPowerOfTwo(double atLeast) {
    int n = 1;
    while (n < atLeast) n *= 2;
    return n;
}

// The sparse spectrum of one kernel sampled at `rate` in an fftSize-point frame.
ConstantQ::Octave::Kernel kernelSpectrum(double frequency, double q, double rate, int fftSize,
                                         double sparsity) {
    const double length = q * rate / frequency;          // samples, not an integer in general
    const int reach = int(std::ceil(length / 2.0)) - 1;  // |n| < length / 2
    AlignedBuffer<float> re{size_t(fftSize)}, im{size_t(fftSize)};
    double windowSum = 0.0;
    for (int n = -reach; n <= reach; ++n) {
        const double c = std::cos(std::numbers::pi * n / length);
        const double w = c * c;
        const double phase = 2.0 * std::numbers::pi * frequency * n / rate;
        re[size_t(fftSize / 2 + n)] = float(w * std::cos(phase));
        im[size_t(fftSize / 2 + n)] = float(w * std::sin(phase));
        windowSum += w;
    }
    // The kernel is complex: its spectrum is FFT(re) + i FFT(im), each Hermitian.
    const RealFft fft(fftSize, RealFft::Direction::kForward);
    AlignedBuffer<std::complex<float>> reSpectrum(size_t(fft.spectrumSize()));
    AlignedBuffer<std::complex<float>> imSpectrum(size_t(fft.spectrumSize()));
    fft.execute(re.data(), reSpectrum.data());
    fft.execute(im.data(), imSpectrum.data());
    std::vector<std::complex<double>> spectrum(static_cast<size_t>(fftSize));
    double largest = 0.0;
    for (int j = 0; j < fftSize; ++j) {
        const bool upper = j > fftSize / 2;
        const size_t h = size_t(upper ? fftSize - j : j);
        const std::complex<double> r = upper ? std::conj(std::complex<double>(reSpectrum[h]))
                                             : std::complex<double>(reSpectrum[h]);
        const std::complex<double> i = upper ? std::conj(std::complex<double>(imSpectrum[h]))
                                             : std::complex<double>(imSpectrum[h]);
        spectrum[size_t(j)] = (r + std::complex<double>(0.0, 1.0) * i) / windowSum;
        largest = std::max(largest, std::abs(spectrum[size_t(j)]));
    }
    int first = fftSize, last = -1;
    for (int j = 0; j < fftSize; ++j) {
        if (std::abs(spectrum[size_t(j)]) < sparsity * largest) continue;
        first = std::min(first, j);
        last = j;
    }
    // Parseval: Σ x conj(a) = (1/N) Σ X conj(A).
    ConstantQ::Octave::Kernel kernel;
    kernel.first = first;
    for (int j = first; j <= last; ++j) {
        const std::complex<double> w = std::conj(spectrum[size_t(j)]) / double(fftSize);
        kernel.re.push_back(float(w.real()));
        kernel.im.push_back(float(w.imag()));
    }
    return kernel;
}

}  // namespace

core::Result<ConstantQ> ConstantQ::create(const CqtSettings& settings, int sampleRate,
                                          double sparsity) {
    RainbowgramSettings check;
    check.cqt = settings;
    if (core::Status status = checkRainbowgramSettings(check, sampleRate); !status.ok())
        return status.error();
    ConstantQ cqt;
    cqt.m_settings = settings;
    cqt.m_sampleRate = sampleRate;
    cqt.m_q = settings.filterScale / (std::exp2(1.0 / settings.binsPerOctave) - 1.0);
    const int perOctave = settings.binsPerOctave;
    const int octaveCount = (settings.binCount + perOctave - 1) / perOctave;
    int64_t padding = 0;
    for (int o = 0; o < octaveCount; ++o) {
        Octave octave;
        octave.firstBin = o * perOctave;
        octave.binCount = std::min(perOctave, settings.binCount - octave.firstBin);
        const double top = cqt.binFrequency(octave.firstBin + octave.binCount - 1);
        const double needed = top * (1.0 + kNyquistMarginBandwidths / cqt.m_q);
        int d = 1;
        while (2 * d <= kMaxDecimation && settings.hopLength % (2 * d) == 0 &&
               double(sampleRate) / (2 * d) / 2.0 >= needed)
            d *= 2;
        octave.decimation = d;
        octave.hop = settings.hopLength / d;
        const double rate = double(sampleRate) / d;
        const double longest = cqt.m_q * rate / cqt.binFrequency(octave.firstBin);
        octave.fftSize = nextPowerOfTwo(2.0 * std::ceil(longest / 2.0));
        for (int b = 0; b < octave.binCount; ++b)
            octave.kernels.push_back(kernelSpectrum(cqt.binFrequency(octave.firstBin + b), cqt.m_q,
                                                    rate, octave.fftSize, sparsity));
        cqt.m_maxDecimation = std::max(cqt.m_maxDecimation, d);
        padding = std::max(padding, int64_t(octave.fftSize / 2) * d);
        cqt.m_octaves.push_back(std::move(octave));
    }
    // Decimated signals index the padded audio at multiples of every octave's decimation.
    const int64_t unit = cqt.m_maxDecimation;
    cqt.m_padding = (padding + unit - 1) / unit * unit;
    return cqt;
}

double ConstantQ::binFrequency(int bin) const {
    return m_settings.minFrequency * std::exp2(double(bin) / m_settings.binsPerOctave);
}

double ConstantQ::kernelLength(int bin) const { return m_q * m_sampleRate / binFrequency(bin); }

int ConstantQ::frameCount(int64_t audioFrames) const {
    return audioFrames <= 0 ? 0 : int(1 + audioFrames / m_settings.hopLength);
}

core::Result<CqtCoefficients> ConstantQ::transform(
    const float* mono, int64_t frames, const std::atomic<bool>* cancel,
    const std::function<void(double)>& progress) const {
    const auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    CqtCoefficients out;
    out.bins = m_settings.binCount;
    if (frames <= 0) return out;
    const int64_t frameCount64 = 1 + frames / m_settings.hopLength;
    if (frameCount64 * out.bins > kMaxCells)
        return core::Error{"audio of " + std::to_string(frames) + " samples is too long for a " +
                           std::to_string(out.bins) + "-bin constant-Q transform at hop " +
                           std::to_string(m_settings.hopLength) + " (more than " +
                           std::to_string(kMaxCells) + " cells)"};
    out.frames = int(frameCount64);
    out.values.assign(size_t(frameCount64 * out.bins), {});

    const size_t total = fastFftSize(size_t(frames + 2 * m_padding), size_t(m_maxDecimation));
    AlignedBuffer<float> padded(total);
    std::copy(mono, mono + frames, padded.data() + m_padding);
    AlignedBuffer<std::complex<float>> spectrum;
    if (m_maxDecimation > 1) {
        spectrum = AlignedBuffer<std::complex<float>>(total / 2 + 1);
        RealFft(int(total), RealFft::Direction::kForward, RealFft::Planning::kOneOff)
            .execute(padded.data(), spectrum.data());
    }
    if (progress) progress(0.05);

    for (size_t o = 0; o < m_octaves.size(); ++o) {
        if (cancelled()) return core::Error{kRainbowgramCancelled};
        const Octave& octave = m_octaves[o];
        // The octave's signal: band-limited by dropping the spectrum above its Nyquist.
        const size_t length = total / size_t(octave.decimation);
        AlignedBuffer<float> decimated;
        const float* signal = padded.data();
        if (octave.decimation > 1) {
            AlignedBuffer<std::complex<float>> band(length / 2 + 1);
            const float scale = 1.0f / float(total);
            for (size_t j = 0; j < band.size(); ++j) band[j] = spectrum[j] * scale;
            if (length % 2 == 0) band[length / 2] = 0.0f;  // no Hermitian partner to pair with
            decimated = AlignedBuffer<float>(length);
            RealFft(int(length), RealFft::Direction::kInverse, RealFft::Planning::kOneOff)
                .execute(decimated.data(), band.data());
            signal = decimated.data();
        }
        const RealFft fft(octave.fftSize, RealFft::Direction::kForward);
        const int n = octave.fftSize;
        AlignedBuffer<float> frame(static_cast<size_t>(n));
        AlignedBuffer<std::complex<float>> frameSpectrum(size_t(fft.spectrumSize()));
        // The whole spectrum, real and imaginary parts apart (X[j] = conj(X[N - j]) above
        // N / 2), so each bin is one contiguous multiply-accumulate over its kernel's band.
        std::vector<float> xr(static_cast<size_t>(n)), xi(static_cast<size_t>(n));
        const int64_t first = m_padding / octave.decimation - n / 2;
        for (int t = 0; t < out.frames; ++t) {
            if (t % kCancelCheckFrames == 0 && cancelled())
                return core::Error{kRainbowgramCancelled};
            const float* start = signal + first + int64_t(t) * octave.hop;
            std::copy(start, start + n, frame.data());
            fft.execute(frame.data(), frameSpectrum.data());
            for (int j = 0; j <= n / 2; ++j) {
                xr[size_t(j)] = frameSpectrum[size_t(j)].real();
                xi[size_t(j)] = frameSpectrum[size_t(j)].imag();
            }
            for (int j = n / 2 + 1; j < n; ++j) {
                xr[size_t(j)] = xr[size_t(n - j)];
                xi[size_t(j)] = -xi[size_t(n - j)];
            }
            std::complex<float>* row = out.values.data() + size_t(t) * size_t(out.bins);
            for (int b = 0; b < octave.binCount; ++b) {
                const Octave::Kernel& kernel = octave.kernels[size_t(b)];
                const float* ar = xr.data() + kernel.first;
                const float* ai = xi.data() + kernel.first;
                const float* wr = kernel.re.data();
                const float* wi = kernel.im.data();
                const int count = int(kernel.size());
                float re = 0.0f, im = 0.0f;
#pragma omp simd reduction(+ : re, im)
                for (int j = 0; j < count; ++j) {
                    re += ar[j] * wr[j] - ai[j] * wi[j];
                    im += ar[j] * wi[j] + ai[j] * wr[j];
                }
                row[octave.firstBin + b] = {re, im};
            }
        }
        if (progress) progress(0.05 + 0.95 * double(o + 1) / double(m_octaves.size()));
    }
    return out;
}

}  // namespace toccata::analysis
