#include "ml/codecs/PerformanceControls.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace toccata::ml {

namespace {

int64_t windowSteps(double seconds, int stepsPerSecond) {
    return static_cast<int64_t>(std::llround(seconds * stepsPerSecond));
}

// True when the value at `i` is computed afresh: the first event, or one after a time shift
// (Magenta repeats the previous value after any other event, as time did not move).
bool freshAt(const std::vector<PerformanceEvent>& events, size_t i) {
    return i == 0 || events[i - 1].type == PerformanceEvent::kTimeShift;
}

}  // namespace

const std::vector<double>& defaultNoteDensityBinEdges() {
    static const std::vector<double> kEdges = {1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0};
    return kEdges;
}

std::vector<double> noteDensities(const std::vector<PerformanceEvent>& events, int stepsPerSecond,
                                  double windowSeconds) {
    const int64_t window = windowSteps(windowSeconds, stepsPerSecond);
    std::vector<double> out(events.size(), 0.0);
    for (size_t i = 0; i < events.size(); ++i) {
        if (!freshAt(events, i)) {
            out[i] = out[i - 1];
            continue;
        }
        int64_t offset = 0, notes = 0;
        for (size_t j = i; offset < window && j < events.size(); ++j) {
            if (events[j].type == PerformanceEvent::kNoteOn) {
                ++notes;
            } else if (events[j].type == PerformanceEvent::kTimeShift) {
                offset += events[j].value;
            }
        }
        // Near the end only the part of the window that exists counts.
        const int64_t actual = std::min(offset, window);
        out[i] = actual > 0 ? static_cast<double>(notes) * stepsPerSecond / actual : 0.0;
    }
    return out;
}

int noteDensityClass(double density, const std::vector<double>& binEdges) {
    for (size_t i = 0; i < binEdges.size(); ++i)
        if (density < binEdges[i]) return static_cast<int>(i);
    return static_cast<int>(binEdges.size());
}

double noteDensityClassValue(int densityClass, const std::vector<double>& binEdges) {
    if (densityClass <= 0 || binEdges.empty()) return 0.0;
    return binEdges[static_cast<size_t>(std::min<int>(densityClass, binEdges.size())) - 1];
}

std::vector<PitchClassHistogram> pitchClassHistograms(const std::vector<PerformanceEvent>& events,
                                                      int stepsPerSecond, double windowSeconds,
                                                      double priorCount) {
    const int64_t window = windowSteps(windowSeconds, stepsPerSecond);
    std::vector<PitchClassHistogram> out(events.size());
    std::array<int, 128> base{};  // pitches sounding after event i (a set: 0/1)
    for (size_t i = 0; i < events.size(); ++i) {
        const PerformanceEvent& e = events[i];
        if (e.type == PerformanceEvent::kNoteOn && e.value >= 0 && e.value < 128)
            base[static_cast<size_t>(e.value)] = 1;
        else if (e.type == PerformanceEvent::kNoteOff && e.value >= 0 && e.value < 128)
            base[static_cast<size_t>(e.value)] = 0;
        if (!freshAt(events, i)) {
            out[i] = out[i - 1];
            continue;
        }
        std::array<int, 128> active = base;
        PitchClassHistogram h;
        h.fill(priorCount);
        int64_t offset = 0;
        for (size_t j = i; offset < window && j < events.size(); ++j) {
            const PerformanceEvent& f = events[j];
            if (f.type == PerformanceEvent::kNoteOn && f.value >= 0 && f.value < 128) {
                active[static_cast<size_t>(f.value)] = 1;
            } else if (f.type == PerformanceEvent::kNoteOff && f.value >= 0 && f.value < 128) {
                active[static_cast<size_t>(f.value)] = 0;
            } else if (f.type == PerformanceEvent::kTimeShift) {
                const double seconds = static_cast<double>(f.value) / stepsPerSecond;
                for (int p = 0; p < 128; ++p)
                    if (active[static_cast<size_t>(p)] != 0)
                        h[static_cast<size_t>(p % 12)] += seconds;
                offset += f.value;
            }
        }
        out[i] = h;
    }
    return out;
}

std::array<float, 12> normalizedPitchHistogram(const PitchClassHistogram& histogram) {
    std::array<float, 12> out{};
    const double total = std::accumulate(histogram.begin(), histogram.end(), 0.0);
    for (size_t k = 0; k < 12; ++k)
        out[k] = total > 0.0 ? static_cast<float>(histogram[k] / total) : 1.0F / 12.0F;
    return out;
}

int PerformanceControls::inputSize() const {
    if (!any()) return 0;
    int size = optional ? 1 : 0;
    if (noteDensity) size += static_cast<int>(densityBinEdges.size()) + 1;
    if (pitchHistogram) size += 12;
    return size;
}

std::vector<float> PerformanceControls::vectors(const std::vector<PerformanceEvent>& events,
                                                int stepsPerSecond, bool disabled) const {
    const size_t width = static_cast<size_t>(inputSize());
    std::vector<float> out(events.size() * width, 0.0F);
    if (width == 0) return out;
    if (disabled) {
        for (size_t i = 0; i < events.size(); ++i) out[i * width] = 1.0F;
        return out;
    }
    std::vector<double> densities;
    std::vector<PitchClassHistogram> histograms;
    if (noteDensity) densities = noteDensities(events, stepsPerSecond, densityWindowSeconds);
    if (pitchHistogram)
        histograms = pitchClassHistograms(events, stepsPerSecond, histogramWindowSeconds);
    for (size_t i = 0; i < events.size(); ++i) {
        float* row = out.data() + i * width;
        size_t at = optional ? 1 : 0;
        if (noteDensity) {
            row[at + static_cast<size_t>(noteDensityClass(densities[i], densityBinEdges))] = 1.0F;
            at += densityBinEdges.size() + 1;
        }
        if (pitchHistogram) {
            const std::array<float, 12> h = normalizedPitchHistogram(histograms[i]);
            std::copy(h.begin(), h.end(), row + at);
        }
    }
    return out;
}

core::Result<std::vector<float>> PerformanceControls::desired(
    std::optional<double> density, std::optional<std::vector<double>> weights,
    bool disabled) const {
    std::vector<float> out(static_cast<size_t>(inputSize()), 0.0F);
    if (out.empty()) return out;
    if (disabled) {
        out[0] = 1.0F;
        return out;
    }
    size_t at = optional ? 1 : 0;
    if (noteDensity) {
        const double d = density.value_or(kDefaultNoteDensity);
        if (!std::isfinite(d) || d < 0.0)
            return core::Error{"note density must be a number >= 0 (notes per second), got " +
                               std::to_string(d)};
        out[at + static_cast<size_t>(noteDensityClass(d, densityBinEdges))] = 1.0F;
        at += densityBinEdges.size() + 1;
    }
    if (pitchHistogram) {
        PitchClassHistogram h;
        h.fill(1.0);
        if (weights) {
            if (weights->size() != 12)
                return core::Error{"pitch-class histogram needs 12 weights (C .. B), got " +
                                   std::to_string(weights->size())};
            double total = 0.0;
            for (size_t k = 0; k < 12; ++k) {
                const double w = (*weights)[k];
                if (!std::isfinite(w) || w < 0.0)
                    return core::Error{"pitch-class histogram weight " + std::to_string(k) +
                                       " must be a number >= 0, got " + std::to_string(w)};
                h[k] = w;
                total += w;
            }
            if (total <= 0.0) return core::Error{"pitch-class histogram weights are all 0"};
        }
        const std::array<float, 12> n = normalizedPitchHistogram(h);
        std::copy(n.begin(), n.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return out;
}

}  // namespace toccata::ml
