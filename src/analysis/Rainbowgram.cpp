#include "analysis/Rainbowgram.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

#include "analysis/ConstantQ.h"

namespace toccata::analysis {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kLongestKernelSamples = double(1 << 22);

std::string number(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// The principal value of an angle, as numpy.unwrap's difference: [-π, π), but +π when the
// raw difference was positive (so a jump of exactly +π stays +π).
double principal(double angle) {
    double wrapped = angle - 2.0 * kPi * std::floor((angle + kPi) / (2.0 * kPi));
    if (wrapped >= kPi) wrapped -= 2.0 * kPi;  // rounding at the top edge
    if (wrapped == -kPi && angle > 0.0) wrapped = kPi;
    return wrapped;
}

}  // namespace

double Rainbowgram::binFrequency(double bin) const {
    return minFrequency * std::exp2(bin / binsPerOctave);
}

double Rainbowgram::binForFrequency(double hz) const {
    return hz > 0.0 ? std::log2(hz / minFrequency) * binsPerOctave : -1e9;
}

core::Status checkRainbowgramSettings(const RainbowgramSettings& settings, int sampleRate) {
    const CqtSettings& cqt = settings.cqt;
    if (sampleRate < 1000 || sampleRate > 384000)
        return core::Status::failure("sample rate " + std::to_string(sampleRate) +
                                     " Hz is outside 1000..384000 Hz");
    if (!std::isfinite(cqt.minFrequency) || cqt.minFrequency <= 0.0)
        return core::Status::failure("minimum frequency " + number(cqt.minFrequency) +
                                     " Hz must be above 0");
    if (cqt.binsPerOctave < 1 || cqt.binsPerOctave > 192)
        return core::Status::failure("bins per octave " + std::to_string(cqt.binsPerOctave) +
                                     " is outside 1..192");
    if (cqt.binCount < 1 || cqt.binCount > 4096)
        return core::Status::failure("bin count " + std::to_string(cqt.binCount) +
                                     " is outside 1..4096");
    if (cqt.hopLength < 1 || cqt.hopLength > 65536)
        return core::Status::failure("hop length " + std::to_string(cqt.hopLength) +
                                     " is outside 1..65536 samples");
    if (!std::isfinite(cqt.filterScale) || cqt.filterScale <= 0.0 || cqt.filterScale > 4.0)
        return core::Status::failure("filter scale " + number(cqt.filterScale) +
                                     " is outside (0, 4]");
    if (!std::isfinite(settings.rangeDb) || settings.rangeDb <= 0.0 || settings.rangeDb > 400.0)
        return core::Status::failure("dB range " + number(settings.rangeDb) +
                                     " is outside (0, 400]");
    const double top = cqt.minFrequency * std::exp2(double(cqt.binCount - 1) / cqt.binsPerOctave);
    if (top >= sampleRate / 2.0)
        return core::Status::failure(
            "the top bin (" + std::to_string(cqt.binCount - 1) + ") at " + number(top) +
            " Hz is not below the Nyquist frequency " + number(sampleRate / 2.0) + " Hz of " +
            std::to_string(sampleRate) + " Hz audio (fewer bins or a lower minimum frequency)");
    const double q = cqt.filterScale / (std::exp2(1.0 / cqt.binsPerOctave) - 1.0);
    if (q * sampleRate / cqt.minFrequency > kLongestKernelSamples)
        return core::Status::failure("minimum frequency " + number(cqt.minFrequency) +
                                     " Hz needs a kernel longer than " +
                                     number(kLongestKernelSamples) + " samples");
    return {};
}

core::Result<Rainbowgram> computeRainbowgram(const float* mono, int64_t frames, int sampleRate,
                                             const RainbowgramSettings& settings,
                                             const std::atomic<bool>* cancel,
                                             const std::function<void(double)>& progress) {
    if (core::Status status = checkRainbowgramSettings(settings, sampleRate); !status.ok())
        return status.error();
    // A NaN would spread through every FFT it touches; name it rather than draw garbage.
    for (int64_t i = 0; i < frames; ++i) {
        if (!std::isfinite(mono[i]))
            return core::Error{"audio sample " + std::to_string(i) + " is not a finite number (" +
                               number(double(mono[i])) + ")"};
    }
    core::Result<ConstantQ> cqt = ConstantQ::create(settings.cqt, sampleRate);
    if (!cqt.ok()) return cqt.error();
    const auto scaled = [&progress](double p) {
        if (progress) progress(0.95 * p);
    };
    core::Result<CqtCoefficients> coefficients = cqt->transform(mono, frames, cancel, scaled);
    if (!coefficients.ok()) return coefficients.error();

    Rainbowgram gram;
    gram.sampleRate = sampleRate;
    gram.hopLength = settings.cqt.hopLength;
    gram.frames = coefficients->frames;
    gram.bins = coefficients->bins;
    gram.binsPerOctave = settings.cqt.binsPerOctave;
    gram.minFrequency = settings.cqt.minFrequency;
    gram.rangeDb = settings.rangeDb;
    const std::vector<std::complex<float>>& c = coefficients->values;
    const size_t cells = c.size();
    gram.magnitudeDb.assign(cells, float(-settings.rangeDb));
    gram.phaseAdvance.assign(cells, 0.0f);
    gram.frequencyHz.assign(cells, 0.0f);

    // Frame by frame (the arrays' order) in float: atan2/log10 per cell are most of the work
    // after the transform, and float keeps far more precision than the 70 dB shown.
    float peakSquared = 0.0f;
    for (const std::complex<float>& value : c)
        peakSquared = std::max(peakSquared, std::norm(value));
    gram.peakMagnitude = std::sqrt(peakSquared);
    const double hopSeconds = double(gram.hopLength) / sampleRate;
    std::vector<double> binHz(size_t(gram.bins)), expected(size_t(gram.bins));
    for (int k = 0; k < gram.bins; ++k) {
        binHz[size_t(k)] = gram.binFrequency(k);
        expected[size_t(k)] = 2.0 * kPi * binHz[size_t(k)] * hopSeconds;  // a sine at f_k
    }
    const float floor = float(-settings.rangeDb);
    const float silentSquared = 1e-26f * peakSquared;  // keeps log10 finite, 260 dB down
    std::vector<float> previous(size_t(gram.bins), 0.0f);
    for (int t = 0; t < gram.frames; ++t) {
        for (int k = 0; k < gram.bins; ++k) {
            const size_t i = gram.index(t, k);
            const float power = std::norm(c[i]);
            if (peakSquared > 0.0f)
                gram.magnitudeDb[i] = std::max(
                    10.0f * std::log10(std::max(power, silentSquared) / peakSquared), floor);
            const float phase = std::atan2(c[i].imag(), c[i].real());
            const double advance = t == 0 ? phase : principal(double(phase) - previous[size_t(k)]);
            gram.phaseAdvance[i] = float(advance / kPi);
            const bool measurable = t > 0 && power > 0.0f && c[i - size_t(gram.bins)] != 0.0f;
            gram.frequencyHz[i] =
                float(measurable ? binHz[size_t(k)] + principal(advance - expected[size_t(k)]) /
                                                          (2.0 * kPi * hopSeconds)
                                 : binHz[size_t(k)]);
            previous[size_t(k)] = phase;
        }
    }
    if (progress) progress(1.0);
    return gram;
}

std::vector<float> mixToMono(const std::vector<const float*>& channels, int64_t frames) {
    std::vector<float> mono(size_t(std::max<int64_t>(frames, 0)), 0.0f);
    if (channels.empty()) return mono;
    const float scale = 1.0f / float(channels.size());
    for (const float* channel : channels)
        for (size_t i = 0; i < mono.size(); ++i) mono[i] += channel[i] * scale;
    return mono;
}

}  // namespace toccata::analysis
