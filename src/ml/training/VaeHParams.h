// Hyper-parameters of a MusicVAE / GrooVAE training run, with Magenta's names and per-config
// defaults (music_vae/configs.py and base_model.py; docs/design/musicvae.md §4.4), plus the
// trainer's own schedule settings, overridable with the --hparams syntax
// ("batch_size=64,enc_rnn_size=[256],free_bits=48"). A named config also fixes the data
// converter (VaeConfig). Stored in every checkpoint, so a resumed run keeps the network. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/codecs/VaeConverter.h"

namespace toccata::ml {

struct VaeHParams {
    // Network (fixed for a run): flat encoder and decoder.
    int64_t zSize = 256;                           // z_size
    std::vector<int64_t> encRnnSize = {512};       // enc_rnn_size (one bidirectional layer)
    std::vector<int64_t> decRnnSize = {256, 256};  // dec_rnn_size
    // Objective.
    double freeBits = 0.0;         // free_bits: nats = bits * ln 2 of KL that cost nothing
    double maxBeta = 1.0;          // max_beta
    double betaRate = 0.0;         // beta_rate: beta = (1 - beta_rate^step) * max_beta
    double dropoutKeepProb = 1.0;  // dropout_keep_prob (decoder inputs and layers)
    std::string samplingSchedule = "constant";  // sampling_schedule: constant | inverse_sigmoid
    double samplingRate = 0.0;                  // sampling_rate (constant: probability; else k)
    int64_t transposeRange = 0;  // transpose_range: melody windows shifted +-N at random
    // Optimisation.
    int batchSize = 64;                   // batch_size (per process; Magenta: 512)
    double learningRate = 0.001;          // learning_rate
    double decayRate = 0.9999;            // decay_rate (per step)
    double minLearningRate = 1e-5;        // min_learning_rate
    double clipNorm = 1.0;                // grad_clip (global norm)
    double gradNormClipToZero = 10000.0;  // grad_norm_clip_to_zero
    // Schedule of the run.
    int64_t evalEvery = 200;
    int64_t checkpointEvery = 500;
    double checkpointMinutes = 10.0;
    int keepCheckpoints = 3;
    int earlyStoppingPatience = 0;
    int64_t logEvery = 10;
    uint64_t seed = 1;

    /// Magenta's defaults for a named config (see VaeConfig::named), batch 64.
    static VaeHParams defaultsFor(const std::string& configId);

    /// Applies "key=value,..." (the names above). Errors name the key or value.
    core::Status apply(const std::string& overrides);
    core::Status validate() const;
    core::JsonValue toJson() const;
    static core::Result<VaeHParams> fromJson(const core::JsonValue& json,
                                             const VaeHParams& defaults);

    /// Magenta: (learning_rate - min) * decay_rate^step + min.
    double learningRateAt(int64_t step) const;
    /// KL weight at a step: (1 - beta_rate^step) * max_beta.
    double betaAt(int64_t step) const;
    /// Scheduled sampling: the chance that a decoder input is the model's own sample.
    double samplingProbabilityAt(int64_t step) const;
};

/// A trainable MusicVAE config: Magenta's name and its data converter.
struct VaeConfig {
    std::string id;
    VaeConverterConfig converter;

    /// cat-mel_2bar_small (melody 21..108, 2 bars), cat-drums_2bar_small (drums, 9 classes,
    /// 512-way output), groovae_2bar_humanize, groovae_2bar_tap_fixed_velocity (tap2drum),
    /// groovae_2bar_add_closed_hh (the encoder never sees the closed hi-hat: it adds one).
    static core::Result<VaeConfig> named(const std::string& id);
    static const std::vector<std::string>& names();
};

}  // namespace toccata::ml
