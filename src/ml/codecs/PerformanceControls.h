// PerformanceControls: Magenta's performance control signals (note_seq.performance_controls)
// as the conditioned Performance RNN configs use them: note density (notes per second over a
// 3 s window, one-hot over the bin edges [1, 2, 4, 8, 16, 32, 64] = 8 classes) and the
// pitch-class histogram (12 weights over a 5 s window, prior count 0.01, normalised to sum 1,
// uniform when empty). A value is computed where the previous event was a TIME_SHIFT (or at
// the start) over the window starting there; other events repeat the previous value, as in
// Magenta. Near the end the density divides by the part of the window that exists.
// Model input of the conditioned configs (Magenta's ConditionalEventSequenceEncoderDecoder):
// [control vector of position i + 1, one-hot of event i] to predict event i + 1; the controls
// come first. [any]
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/Performance.h"
#include "ml/codecs/PerformanceEvent.h"

namespace toccata::ml {

inline constexpr double kNoteDensityWindowSeconds = 3.0;
inline constexpr double kPitchHistogramWindowSeconds = 5.0;
inline constexpr double kDefaultNoteDensity = 15.0;  ///< Magenta's DEFAULT_NOTE_DENSITY
inline constexpr double kPitchHistogramPriorCount = 0.01;

/// Pitch-class weights C, C#, ..., B.
using PitchClassHistogram = std::array<double, 12>;

/// Magenta's density bin edges {1, 2, 4, 8, 16, 32, 64}.
const std::vector<double>& defaultNoteDensityBinEdges();

/// Notes per second at every event (NoteDensityPerformanceControlSignal.extract).
std::vector<double> noteDensities(const std::vector<PerformanceEvent>& events, int stepsPerSecond,
                                  double windowSeconds = kNoteDensityWindowSeconds);
/// Number of edges <= density (Magenta's NoteDensityOneHotEncoding.encode_event).
int noteDensityClass(double density,
                     const std::vector<double>& binEdges = defaultNoteDensityBinEdges());
/// The lowest density of a class (0 for class 0), Magenta's decode_event.
double noteDensityClassValue(int densityClass,
                             const std::vector<double>& binEdges = defaultNoteDensityBinEdges());

/// Seconds each pitch class sounds in the window at every event, plus priorCount
/// (PitchHistogramPerformanceControlSignal.extract), not normalised.
std::vector<PitchClassHistogram> pitchClassHistograms(
    const std::vector<PerformanceEvent>& events, int stepsPerSecond,
    double windowSeconds = kPitchHistogramWindowSeconds,
    double priorCount = kPitchHistogramPriorCount);
/// Divided by its sum; uniform (1/12 each) when the sum is not positive (Magenta's encoder).
std::array<float, 12> normalizedPitchHistogram(const PitchClassHistogram& histogram);

/// Which controls a model is conditioned on, and how its control vector is laid out:
/// [disable flag if optional] [density one-hot if noteDensity] [12 weights if pitchHistogram].
struct PerformanceControls {
    bool noteDensity = false;
    bool pitchHistogram = false;
    /// Magenta's optional_conditioning: a leading flag, 1 = controls disabled (rest zeros).
    bool optional = false;
    std::vector<double> densityBinEdges = defaultNoteDensityBinEdges();
    double densityWindowSeconds = kNoteDensityWindowSeconds;
    double histogramWindowSeconds = kPitchHistogramWindowSeconds;

    bool any() const { return noteDensity || pitchHistogram; }
    /// Width of one control vector (0 when no control is on).
    int inputSize() const;

    /// The control vector of every position, row-major [events.size() x inputSize()], computed
    /// from the events themselves (training). `disabled` writes Magenta's disabled rows.
    std::vector<float> vectors(const std::vector<PerformanceEvent>& events, int stepsPerSecond,
                               bool disabled = false) const;

    /// The vector of a desired value (generation): density -> its one-hot (default 15),
    /// 12 weights -> normalised (default uniform). Errors: a negative or non-finite density,
    /// not 12 weights, a negative or non-finite weight, or all weights 0.
    core::Result<std::vector<float>> desired(std::optional<double> density = {},
                                             std::optional<std::vector<double>> weights = {},
                                             bool disabled = false) const;
};

}  // namespace toccata::ml
