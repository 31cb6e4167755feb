// Helpers shared by the analysis tests: test signals with known pitch, and look-ups in a
// Rainbowgram / CqtCoefficients.
#pragma once

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "analysis/ConstantQ.h"
#include "analysis/Rainbowgram.h"

namespace toccata::test {

inline std::vector<float> sine(double frequency, int sampleRate, double seconds,
                               double amplitude = 1.0, double phase = 0.0) {
    std::vector<float> x(size_t(seconds * sampleRate));
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = float(amplitude *
                     std::sin(2.0 * std::numbers::pi * frequency * double(i) / sampleRate + phase));
    return x;
}

/// A sine sweeping from f0 to f1 exponentially (constant octaves per second) over `seconds`.
inline std::vector<float> logChirp(double f0, double f1, int sampleRate, double seconds) {
    std::vector<float> x(size_t(seconds * sampleRate));
    const double rate = std::log(f1 / f0) / seconds;  // d ln f / dt
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / sampleRate;
        x[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * f0 * std::expm1(rate * t) / rate));
    }
    return x;
}

inline double logChirpFrequency(double f0, double f1, double seconds, double t) {
    return f0 * std::pow(f1 / f0, t / seconds);
}

/// The nearest bin to `hz` (bin k at fmin 2^(k/B)).
inline int nearestBin(const analysis::CqtSettings& settings, double hz) {
    return int(std::lround(std::log2(hz / settings.minFrequency) * settings.binsPerOctave));
}

/// The loudest bin of frame t.
inline int peakBin(const analysis::CqtCoefficients& c, int t) {
    int best = 0;
    for (int k = 1; k < c.bins; ++k)
        if (std::abs(c.values[size_t(t * c.bins + k)]) >
            std::abs(c.values[size_t(t * c.bins + best)]))
            best = k;
    return best;
}

inline int peakBin(const analysis::Rainbowgram& g, int t) {
    int best = 0;
    for (int k = 1; k < g.bins; ++k)
        if (g.magnitudeDb[g.index(t, k)] > g.magnitudeDb[g.index(t, best)]) best = k;
    return best;
}

inline analysis::ConstantQ makeCqt(int sampleRate, const analysis::CqtSettings& settings = {}) {
    core::Result<analysis::ConstantQ> cqt = analysis::ConstantQ::create(settings, sampleRate);
    if (!cqt.ok()) qFatal("ConstantQ::create: %s", cqt.errorMessage().c_str());
    return std::move(cqt).value();
}

inline analysis::CqtCoefficients transformed(const analysis::ConstantQ& cqt,
                                             const std::vector<float>& x) {
    core::Result<analysis::CqtCoefficients> c = cqt.transform(x.data(), int64_t(x.size()));
    if (!c.ok()) qFatal("ConstantQ::transform: %s", c.errorMessage().c_str());
    return std::move(c).value();
}

}  // namespace toccata::test
