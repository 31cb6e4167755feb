// PerformanceRnnConfig: Magenta's Performance RNN configurations (performance_model.py's
// default_configs) as one value: the 10 ms grid, the velocity bins (0 for "performance"), the
// longest time shift and the controls the network is conditioned on. The model input of one
// event is [control vector, one-hot of the event] (controls first, Magenta's
// ConditionalEventSequenceEncoderDecoder), the output is the event classes (388, or 356
// without velocity). Read from and written to model.json's "codec" object:
//   { "encoding": "performance_one_hot", "config": "density_conditioned_performance_with_
//     dynamics", "stepsPerSecond": 100, "numVelocityBins": 32, "maxShiftSteps": 100,
//     "noteDensity": true, "pitchHistogram": false, "optionalConditioning": false,
//     "densityBinEdges": [1, 2, 4, 8, 16, 32, 64] }
// "config" picks the defaults; the other keys, when present, must agree with them. [any]
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/codecs/EventSequenceEncoder.h"
#include "ml/codecs/Performance.h"
#include "ml/codecs/PerformanceControls.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"

namespace toccata::ml {

struct PerformanceRnnConfig {
    std::string id = "performance_with_dynamics";
    int stepsPerSecond = kPerformanceStepsPerSecond;
    int numVelocityBins = kPerformanceVelocityBins;
    int maxShiftSteps = kPerformanceMaxShiftSteps;
    PerformanceControls controls;

    /// performance, performance_with_dynamics, density_conditioned_performance_with_dynamics,
    /// pitch_conditioned_performance_with_dynamics, multiconditioned_performance_with_dynamics,
    /// optional_multiconditioned_performance_with_dynamics.
    static const std::vector<std::string>& names();
    /// Error: an unknown id (the message lists the known ones).
    static core::Result<PerformanceRnnConfig> named(const std::string& id);

    /// model.json's codec object; `source` (the file) is named in errors.
    static core::Result<PerformanceRnnConfig> fromCodecJson(const core::JsonValue& codec,
                                                            const std::string& source);
    core::JsonValue toCodecJson() const;

    /// The event classes (388 with 32 velocity bins, 356 without).
    PerformanceOneHotEncoding encoding() const;
    /// The one-hot event encoder the generation loop and the trainer share.
    std::shared_ptr<const OneHotEventSequenceEncoder<PerformanceEvent>> eventEncoder() const;
    int numClasses() const;
    int controlDepth() const { return controls.inputSize(); }
    /// controlDepth() + numClasses(): the network's input width.
    int inputDepth() const { return controlDepth() + numClasses(); }
    /// How a NoteSequence becomes this config's Performance (sustain folded, drums dropped).
    PerformanceOptions performanceOptions() const;
};

}  // namespace toccata::ml
