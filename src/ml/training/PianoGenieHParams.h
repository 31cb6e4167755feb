// Hyper-parameters of a Piano Genie training run, with the names and defaults of the
// tutorial's cfg.json (chrisdonahue/music-cocreation-tutorial: seed 0, batch 32, 128-note
// windows, Adam 3e-4, 2 x 128 LSTMs, margin and contour losses weighted 1, dt clipped to 1 s,
// +-5% time stretch, +-6 semitone transposition), plus the trainer's own schedule settings
// as the other families name them. Overridable with the --hparams syntax
// ("batch_size=16,model_rnn_dim=64"). Stored in every checkpoint, so a resumed run keeps the
// network. [any]
#pragma once

#include <cstdint>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

struct PianoGenieHParams {
    // Network (fixed for a run).
    int64_t modelRnnDim = 128;      // model_rnn_dim
    int64_t modelRnnNumLayers = 2;  // model_rnn_num_layers
    // Data.
    int64_t seqLen = 128;                     // seq_len: notes per training window
    double dataDeltaTimeMax = 1.0;            // data_delta_time_max (seconds)
    double dataAugmentTimeStretchMax = 0.05;  // data_augment_time_stretch_max (+-)
    int64_t dataAugmentTransposeMax = 6;      // data_augment_transpose_max (semitones, +-)
    // Objective and optimisation.
    double lossMarginMultiplier = 1.0;   // loss_margin_multiplier
    double lossContourMultiplier = 1.0;  // loss_contour_multiplier
    int batchSize = 32;                  // batch_size (per process)
    double learningRate = 3e-4;          // lr (constant, Adam)
    double clipNorm = 0.0;               // clip_norm (global norm; 0: none, as the tutorial)
    // Schedule of the run (eval_frequency / summarize_frequency are accepted as aliases of
    // eval_every / log_every, num_buttons must be 8).
    int64_t evalEvery = 128;
    int64_t checkpointEvery = 512;
    double checkpointMinutes = 10.0;
    int keepCheckpoints = 3;
    int earlyStoppingPatience = 0;
    int64_t logEvery = 32;
    uint64_t seed = 0;

    /// Applies "key=value,..." (the names above). Errors name the key or value.
    core::Status apply(const std::string& overrides);
    core::Status validate() const;
    core::JsonValue toJson() const;
    /// Reads toJson()'s object; missing keys keep `defaults`.
    static core::Result<PianoGenieHParams> fromJson(const core::JsonValue& json,
                                                    const PianoGenieHParams& defaults);

    double learningRateAt(int64_t) const { return learningRate; }
};

}  // namespace toccata::ml
