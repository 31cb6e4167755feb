#include "ml/training/VaeHParams.h"

#include <cmath>
#include <map>

#include "ml/training/HParamText.h"

namespace toccata::ml {

namespace {

core::JsonValue sizesJson(const std::vector<int64_t>& sizes) {
    core::JsonValue a = core::JsonValue::array();
    for (int64_t s : sizes) a.push(s);
    return a;
}

}  // namespace

VaeHParams VaeHParams::defaultsFor(const std::string& configId) {
    VaeHParams h;
    // Every config here is a "small" 2-bar model: z 256, encoder 512, decoder 2 x 256, and
    // KL weight 0.2 (design doc §4.4).
    h.maxBeta = 0.2;
    if (configId == "cat-mel_2bar_small") {
        h.betaRate = 0.99999;
        h.samplingSchedule = "inverse_sigmoid";
        h.samplingRate = 1000;
        h.transposeRange = 5;
    } else if (configId == "cat-drums_2bar_small") {
        h.freeBits = 48;
        h.samplingSchedule = "inverse_sigmoid";
        h.samplingRate = 1000;
    } else if (configId == "groovae_2bar_humanize" ||
               configId == "groovae_2bar_tap_fixed_velocity" ||
               configId == "groovae_2bar_add_closed_hh") {
        h.freeBits = 48;
        h.dropoutKeepProb = 0.3;
    }
    return h;
}

core::Status VaeHParams::apply(const std::string& overrides) {
    using hparams::integer;
    using hparams::real;
    std::map<std::string, hparams::Setter> setters = {
        {"z_size", integer(zSize, 1)},
        {"enc_rnn_size", hparams::sizes(encRnnSize, 1)},
        {"dec_rnn_size", hparams::sizes(decRnnSize, 8)},
        {"free_bits", real(freeBits, 0.0, 1e6)},
        {"max_beta", real(maxBeta, 0.0, 100.0)},
        {"beta_rate", real(betaRate, 0.0, 1.0)},
        {"dropout_keep_prob", real(dropoutKeepProb, 0.01, 1.0)},
        {"sampling_schedule",
         [this](const std::string& k, const std::string& v) -> core::Status {
             std::string name = v;
             if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
                 name = name.substr(1, name.size() - 2);
             if (name != "constant" && name != "inverse_sigmoid")
                 return core::Status::failure(k + "=" + v +
                                              ": expected constant or inverse_sigmoid");
             samplingSchedule = name;
             return {};
         }},
        {"sampling_rate", real(samplingRate, 0.0, 1e9)},
        {"transpose_range", integer(transposeRange, 0)},
        {"batch_size", integer(batchSize, 1)},
        {"learning_rate", real(learningRate, 1e-9, 10.0)},
        {"decay_rate", real(decayRate, 0.01, 1.0)},
        {"min_learning_rate", real(minLearningRate, 0.0, 10.0)},
        {"grad_clip", real(clipNorm, 0.0, 1e9)},
        {"grad_norm_clip_to_zero", real(gradNormClipToZero, 0.0, 1e12)},
    };
    hparams::addLoopSetters(setters, *this);
    if (core::Status s = hparams::apply(overrides, setters); !s) return s;
    return validate();
}

core::Status VaeHParams::validate() const {
    if (encRnnSize.size() != 1)
        return core::Status::failure(
            "hparams: enc_rnn_size must be one size (one bidirectional "
            "layer, as Magenta.js loads)");
    if (decRnnSize.empty()) return core::Status::failure("hparams: dec_rnn_size is empty");
    if (samplingSchedule == "constant" && samplingRate > 1.0)
        return core::Status::failure(
            "hparams: a constant sampling_rate is a probability (0..1), got " +
            std::to_string(samplingRate));
    if (samplingSchedule == "inverse_sigmoid" && samplingRate < 1.0)
        return core::Status::failure(
            "hparams: an inverse_sigmoid sampling_rate must be at least 1");
    if (transposeRange > 24)
        return core::Status::failure("hparams: transpose_range must be at most 24 semitones");
    return {};
}

core::JsonValue VaeHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    o.set("z_size", zSize);
    o.set("enc_rnn_size", sizesJson(encRnnSize));
    o.set("dec_rnn_size", sizesJson(decRnnSize));
    o.set("free_bits", freeBits);
    o.set("max_beta", maxBeta);
    o.set("beta_rate", betaRate);
    o.set("dropout_keep_prob", dropoutKeepProb);
    o.set("sampling_schedule", samplingSchedule);
    o.set("sampling_rate", samplingRate);
    o.set("transpose_range", transposeRange);
    o.set("batch_size", batchSize);
    o.set("learning_rate", learningRate);
    o.set("decay_rate", decayRate);
    o.set("min_learning_rate", minLearningRate);
    o.set("grad_clip", clipNorm);
    o.set("grad_norm_clip_to_zero", gradNormClipToZero);
    hparams::setLoopJson(o, *this);
    return o;
}

core::Result<VaeHParams> VaeHParams::fromJson(const core::JsonValue& json,
                                              const VaeHParams& defaults) {
    return hparams::fromJson(json, defaults);
}

double VaeHParams::learningRateAt(int64_t step) const {
    return (learningRate - minLearningRate) * std::pow(decayRate, static_cast<double>(step)) +
           minLearningRate;
}

double VaeHParams::betaAt(int64_t step) const {
    return (1.0 - std::pow(betaRate, static_cast<double>(step))) * maxBeta;
}

double VaeHParams::samplingProbabilityAt(int64_t step) const {
    if (samplingSchedule == "constant") return samplingRate;
    // Magenta's inverse sigmoid: 1 - k / (k + exp(step / k)); 0.5 at step k ln k.
    const double k = samplingRate;
    const double e = std::exp(std::min(700.0, static_cast<double>(step) / k));
    return 1.0 - k / (k + e);
}

// ---- configs -----------------------------------------------------------------------------

const std::vector<std::string>& VaeConfig::names() {
    static const std::vector<std::string> kNames = {
        "cat-mel_2bar_small", "cat-drums_2bar_small", "groovae_2bar_humanize",
        "groovae_2bar_tap_fixed_velocity", "groovae_2bar_add_closed_hh"};
    return kNames;
}

core::Result<VaeConfig> VaeConfig::named(const std::string& id) {
    VaeConfig c;
    c.id = id;
    c.converter.numSteps = 32;
    if (id == "cat-mel_2bar_small") {
        c.converter.type = VaeConverterType::Melody;
        c.converter.minPitch = 21;
        c.converter.maxPitch = 108;
    } else if (id == "cat-drums_2bar_small") {
        c.converter.type = VaeConverterType::Drums;
    } else if (id == "groovae_2bar_humanize") {
        c.converter.type = VaeConverterType::Groove;
        c.converter.humanize = true;
    } else if (id == "groovae_2bar_tap_fixed_velocity") {
        c.converter.type = VaeConverterType::Groove;
        c.converter.tapify = true;
    } else if (id == "groovae_2bar_add_closed_hh") {
        c.converter.type = VaeConverterType::Groove;
        c.converter.addInstruments = {2};  // closed hi-hat
    } else {
        std::string known;
        for (const std::string& n : names()) known += (known.empty() ? "" : ", ") + n;
        return core::Error{"unknown MusicVAE config \"" + id + "\" (known: " + known + ")"};
    }
    if (core::Status s = c.converter.validate(); !s) return s.error();
    return c;
}

}  // namespace toccata::ml
