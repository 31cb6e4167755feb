#include "ml/training/PianoGenieHParams.h"

#include <map>

#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/training/HParamText.h"

namespace toccata::ml {

core::Status PianoGenieHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"model_rnn_dim", integer(modelRnnDim, 1)},
        {"model_rnn_num_layers", integer(modelRnnNumLayers, 1)},
        {"seq_len", integer(seqLen, 2)},
        {"data_delta_time_max", real(dataDeltaTimeMax, 1e-3, 1e6)},
        {"data_augment_time_stretch_max", real(dataAugmentTimeStretchMax, 0.0, 0.9)},
        {"data_augment_transpose_max", integer(dataAugmentTransposeMax, 0)},
        {"loss_margin_multiplier", real(lossMarginMultiplier, 0.0, 1e6)},
        {"loss_contour_multiplier", real(lossContourMultiplier, 0.0, 1e6)},
        {"batch_size", integer(batchSize, 1)},
        {"lr", real(learningRate, 1e-9, 10.0)},
        {"clip_norm", real(clipNorm, 0.0, 1e9)},
        {"num_buttons",
         [](const std::string& k, const std::string& v) -> core::Status {
             auto n = hparams::parseInteger(k, v);
             if (!n) return n.error();
             if (*n != kPianoGenieButtons)
                 return core::Status::failure(k + "=" + v + ": Piano Genie has " +
                                              std::to_string(kPianoGenieButtons) + " buttons");
             return {};
         }},
        {"eval_frequency", integer(evalEvery, 0)},
        {"summarize_frequency", integer(logEvery, 1)},
    };
    hparams::addLoopSetters(setters, *this);
    if (core::Status s = hparams::apply(overrides, setters); !s) return s;
    return validate();
}

core::Status PianoGenieHParams::validate() const {
    if (modelRnnDim > 8192)
        return core::Status::failure("hparams: model_rnn_dim must be at most 8192");
    if (modelRnnNumLayers > 8)
        return core::Status::failure("hparams: model_rnn_num_layers must be at most 8");
    if (seqLen > 100000) return core::Status::failure("hparams: seq_len must be at most 100000");
    if (dataAugmentTransposeMax > 87)
        return core::Status::failure("hparams: data_augment_transpose_max must be at most 87");
    if (batchSize < 1) return core::Status::failure("hparams: batch_size must be at least 1");
    return {};
}

core::JsonValue PianoGenieHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    o.set("model_rnn_dim", modelRnnDim);
    o.set("model_rnn_num_layers", modelRnnNumLayers);
    o.set("seq_len", seqLen);
    o.set("data_delta_time_max", dataDeltaTimeMax);
    o.set("data_augment_time_stretch_max", dataAugmentTimeStretchMax);
    o.set("data_augment_transpose_max", dataAugmentTransposeMax);
    o.set("loss_margin_multiplier", lossMarginMultiplier);
    o.set("loss_contour_multiplier", lossContourMultiplier);
    o.set("batch_size", batchSize);
    o.set("lr", learningRate);
    o.set("clip_norm", clipNorm);
    hparams::setLoopJson(o, *this);
    return o;
}

core::Result<PianoGenieHParams> PianoGenieHParams::fromJson(const core::JsonValue& json,
                                                            const PianoGenieHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

}  // namespace toccata::ml
