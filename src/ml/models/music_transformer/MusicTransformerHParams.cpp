// Music Transformer hyper-parameters: --hparams text, JSON and the learning-rate schedule.
#include <algorithm>
#include <map>

#include "ml/models/music_transformer/MusicTransformerTrainer.h"
#include "ml/training/HParamText.h"

namespace toccata::ml {

core::Status MusicTransformerHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"num_layers", integer(numLayers, 1)},
        {"d_model", integer(dModel, 1)},
        {"num_heads", integer(numHeads, 1)},
        {"ff_size", integer(ffSize, 1)},
        {"max_relative_distance", integer(maxRelativeDistance, 1)},
        {"window_events", integer(windowEvents, 2)},
        {"transpose_max", integer(transposeMax, 0)},
        {"dropout", real(dropout, 0.0, 0.9)},
        {"batch_size", integer(batchSize, 1)},
        {"lr", real(learningRate, 1e-9, 10.0)},
        {"warmup_steps", integer(warmupSteps, 0)},
        {"clip_norm", real(clipNorm, 0.0, 1e9)},
        {"eval_windows", integer(evalWindows, 0)},
    };
    hparams::addLoopSetters(setters, *this);
    if (core::Status s = hparams::apply(overrides, setters); !s) return s;
    return validate();
}

core::Status MusicTransformerHParams::validate() const {
    if (dModel % numHeads != 0)
        return core::Status::failure("hparams: d_model " + std::to_string(dModel) +
                                     " must be divisible by num_heads " + std::to_string(numHeads));
    if (numLayers > 64 || dModel > 8192 || ffSize > 65536 || windowEvents > 65536)
        return core::Status::failure(
            "hparams: at most 64 layers, d_model 8192, ff_size 65536, window_events 65536");
    if (transposeMax > 24) return core::Status::failure("hparams: transpose_max must be <= 24");
    return {};
}

core::JsonValue MusicTransformerHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    o.set("num_layers", numLayers);
    o.set("d_model", dModel);
    o.set("num_heads", numHeads);
    o.set("ff_size", ffSize);
    o.set("max_relative_distance", maxRelativeDistance);
    o.set("window_events", windowEvents);
    o.set("transpose_max", transposeMax);
    o.set("dropout", dropout);
    o.set("batch_size", batchSize);
    o.set("lr", learningRate);
    o.set("warmup_steps", warmupSteps);
    o.set("clip_norm", clipNorm);
    o.set("eval_windows", evalWindows);
    hparams::setLoopJson(o, *this);
    return o;
}

core::Result<MusicTransformerHParams> MusicTransformerHParams::fromJson(
    const core::JsonValue& json, const MusicTransformerHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

double MusicTransformerHParams::learningRateAt(int64_t step) const {
    if (warmupSteps <= 0 || step >= warmupSteps) return learningRate;
    return learningRate * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
}

MusicTransformerArchitecture MusicTransformerHParams::architecture(int64_t numEvents) const {
    MusicTransformerArchitecture a;
    a.vocabSize = numEvents + kTransformerReservedTokens;
    a.dModel = dModel;
    a.numHeads = numHeads;
    a.numLayers = numLayers;
    a.ffSize = ffSize;
    a.maxRelativeDistance = maxRelativeDistance;
    a.contextWindow = windowEvents;
    return a;
}

}  // namespace toccata::ml
