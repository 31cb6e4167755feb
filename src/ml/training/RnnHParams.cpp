#include "ml/training/RnnHParams.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ml/training/HParamText.h"

namespace toccata::ml {

RnnHParams RnnHParams::defaultsFor(const std::string& configId) {
    RnnHParams h;
    if (configId == "attention_rnn") {
        h.attnLength = 40;
        h.clipNorm = 3.0;
    } else if (configId == "drum_kit") {
        h.layerSizes = {256, 256, 256};
        h.attnLength = 32;
        h.clipNorm = 3.0;
    } else if (configId == "basic_rnn" || configId == "lookback_rnn" || configId == "mono_rnn" ||
               configId == "one_drum") {
        h.clipNorm = 5.0;
    }
    return h;
}

core::Status RnnHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"rnn_layer_sizes", hparams::sizes(layerSizes, 8)},
        {"attn_length", integer(attnLength, 0)},
        {"batch_size", integer(batchSize, 1)},
        {"dropout_keep_prob", real(dropoutKeepProb, 0.01, 1.0)},
        {"clip_norm", real(clipNorm, 0.0, 1e9)},
        {"learning_rate", real(learningRate, 1e-9, 10.0)},
        {"decay_rate", real(decayRate, 0.01, 1.0)},
        {"decay_steps", integer(decaySteps, 1)},
        {"min_learning_rate", real(minLearningRate, 0.0, 10.0)},
        {"max_steps", integer(maxSteps, 2)},
    };
    hparams::addLoopSetters(setters, *this);
    if (core::Status s = hparams::apply(overrides, setters); !s) return s;
    return validate();
}

core::Status RnnHParams::validate() const {
    if (layerSizes.empty()) return core::Status::failure("hparams: rnn_layer_sizes is empty");
    if (attnLength == 1)
        return core::Status::failure("hparams: attn_length must be 0 (off) or at least 2");
    if (batchSize < 1) return core::Status::failure("hparams: batch_size must be at least 1");
    return {};
}

core::JsonValue RnnHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : layerSizes) sizes.push(s);
    o.set("rnn_layer_sizes", sizes);
    o.set("attn_length", attnLength);
    o.set("batch_size", batchSize);
    o.set("dropout_keep_prob", dropoutKeepProb);
    o.set("clip_norm", clipNorm);
    o.set("learning_rate", learningRate);
    o.set("decay_rate", decayRate);
    o.set("decay_steps", decaySteps);
    o.set("min_learning_rate", minLearningRate);
    o.set("max_steps", maxSteps);
    hparams::setLoopJson(o, *this);
    return o;
}

core::Result<RnnHParams> RnnHParams::fromJson(const core::JsonValue& json,
                                              const RnnHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

double RnnHParams::learningRateAt(int64_t step) const {
    const double decayed = learningRate * std::pow(decayRate, static_cast<double>(step) /
                                                                  static_cast<double>(decaySteps));
    return std::max(decayed, std::min(minLearningRate, learningRate));
}

}  // namespace toccata::ml
