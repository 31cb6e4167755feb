#include "ml/training/PolyphonyRnnHParams.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ml/training/HParamText.h"

namespace toccata::ml {

core::Status PolyphonyRnnHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"rnn_layer_sizes", hparams::sizes(layerSizes, 8)},
        {"min_steps", integer(minSteps, 1)},
        {"max_steps", integer(maxSteps, 1)},
        {"chunk_steps", integer(chunkSteps, 0)},
        {"transpose_max", integer(transposeMax, 0)},
        {"max_events", integer(maxEvents, 0)},
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

core::Status PolyphonyRnnHParams::validate() const {
    if (layerSizes.empty()) return core::Status::failure("hparams: rnn_layer_sizes is empty");
    if (minSteps > maxSteps)
        return core::Status::failure("hparams: min_steps (" + std::to_string(minSteps) +
                                     ") must not exceed max_steps (" + std::to_string(maxSteps) +
                                     ")");
    if (chunkSteps != 0 && (chunkSteps < minSteps || chunkSteps > maxSteps))
        return core::Status::failure("hparams: chunk_steps (" + std::to_string(chunkSteps) +
                                     ") must be 0 or within min_steps..max_steps");
    if (transposeMax > 24)
        return core::Status::failure("hparams: transpose_max must be at most 24");
    if (maxEvents == 1) return core::Status::failure("hparams: max_events must be 0 or at least 2");
    if (batchSize < 1) return core::Status::failure("hparams: batch_size must be at least 1");
    return {};
}

core::JsonValue PolyphonyRnnHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : layerSizes) sizes.push(s);
    o.set("rnn_layer_sizes", sizes);
    o.set("min_steps", minSteps);
    o.set("max_steps", maxSteps);
    o.set("chunk_steps", chunkSteps);
    o.set("transpose_max", transposeMax);
    o.set("max_events", maxEvents);
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

core::Result<PolyphonyRnnHParams> PolyphonyRnnHParams::fromJson(
    const core::JsonValue& json, const PolyphonyRnnHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

double PolyphonyRnnHParams::learningRateAt(int64_t step) const {
    const double decayed = learningRate * std::pow(decayRate, static_cast<double>(step) /
                                                                  static_cast<double>(decaySteps));
    return std::max(decayed, std::min(minLearningRate, learningRate));
}

}  // namespace toccata::ml
