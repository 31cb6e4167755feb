#include "ml/training/PerformanceRnnHParams.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ml/training/HParamText.h"

namespace toccata::ml {

core::Status PerformanceRnnHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"rnn_layer_sizes", hparams::sizes(layerSizes, 8)},
        {"window_events", integer(windowEvents, 2)},
        {"transpose_max", integer(transposeMax, 0)},
        {"time_stretch", integer(timeStretch, 0)},
        {"eval_max_windows", integer(evalMaxWindows, 0)},
        {"batch_size", integer(batchSize, 1)},
        {"dropout_keep_prob", real(dropoutKeepProb, 0.01, 1.0)},
        {"clip_norm", real(clipNorm, 0.0, 1e9)},
        {"learning_rate", real(learningRate, 1e-9, 10.0)},
        {"decay_rate", real(decayRate, 0.01, 1.0)},
        {"decay_steps", integer(decaySteps, 1)},
        {"min_learning_rate", real(minLearningRate, 0.0, 10.0)},
    };
    hparams::addLoopSetters(setters, *this);
    if (core::Status s = hparams::apply(overrides, setters); !s) return s;
    return validate();
}

core::Status PerformanceRnnHParams::validate() const {
    if (layerSizes.empty()) return core::Status::failure("hparams: rnn_layer_sizes is empty");
    if (windowEvents > 100000)
        return core::Status::failure("hparams: window_events must be at most 100000");
    if (transposeMax > 24)
        return core::Status::failure("hparams: transpose_max must be at most 24");
    if (timeStretch > 1)
        return core::Status::failure(
            "hparams: time_stretch must be 0 (off) or 1 (Magenta's factors)");
    if (batchSize < 1) return core::Status::failure("hparams: batch_size must be at least 1");
    return {};
}

core::JsonValue PerformanceRnnHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : layerSizes) sizes.push(s);
    o.set("rnn_layer_sizes", sizes);
    o.set("window_events", windowEvents);
    o.set("transpose_max", transposeMax);
    o.set("time_stretch", timeStretch);
    o.set("eval_max_windows", evalMaxWindows);
    o.set("batch_size", batchSize);
    o.set("dropout_keep_prob", dropoutKeepProb);
    o.set("clip_norm", clipNorm);
    o.set("learning_rate", learningRate);
    o.set("decay_rate", decayRate);
    o.set("decay_steps", decaySteps);
    o.set("min_learning_rate", minLearningRate);
    hparams::setLoopJson(o, *this);
    return o;
}

core::Result<PerformanceRnnHParams> PerformanceRnnHParams::fromJson(
    const core::JsonValue& json, const PerformanceRnnHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

double PerformanceRnnHParams::learningRateAt(int64_t step) const {
    const double decayed = learningRate * std::pow(decayRate, static_cast<double>(step) /
                                                                  static_cast<double>(decaySteps));
    return std::max(decayed, std::min(minLearningRate, learningRate));
}

}  // namespace toccata::ml
