// Hyper-parameters of an event-RNN training run: Magenta's per-config defaults (melody_rnn,
// drums_rnn, improv_rnn model configs and the book's table) plus the trainer's own settings,
// overridable with Magenta's --hparams syntax ("batch_size=64,rnn_layer_sizes=[64,64]").
// Stored in every checkpoint, so a resumed run keeps the network shape. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/codecs/RnnCodecConfig.h"

namespace toccata::ml {

struct RnnHParams {
    // Network (fixed for a run).
    std::vector<int64_t> layerSizes = {128, 128};  // rnn_layer_sizes
    int64_t attnLength = 0;                        // attn_length (0: no attention)
    // Optimisation.
    int batchSize = 64;             // batch_size (per process when distributed)
    double dropoutKeepProb = 0.5;   // dropout_keep_prob
    double clipNorm = 3.0;          // clip_norm (global norm)
    double learningRate = 0.001;    // learning_rate
    double decayRate = 1.0;         // learning rate x decay_rate every decay_steps steps
    int64_t decaySteps = 1000;      // decay_steps
    double minLearningRate = 1e-5;  // min_learning_rate (floor of the decay)
    int64_t maxSteps = 512;         // max_steps: examples are cut to this many steps
    // Schedule of the run.
    int64_t evalEvery = 100;             // eval_every (steps; 0: only at the end)
    int64_t checkpointEvery = 500;       // checkpoint_every (steps)
    double checkpointMinutes = 10.0;     // checkpoint_minutes (wall clock, whichever first)
    int keepCheckpoints = 3;             // keep_checkpoints (the best one is kept as well)
    int earlyStoppingPatience = 0;       // early_stopping_patience (evals; 0: off)
    int64_t logEvery = 10;               // log_every (steps)
    uint64_t seed = 1;                   // seed (weights, batch order, dropout)

    /// Magenta's defaults for a named config (attention_rnn: attn 40, clip 3; basic/lookback/
    /// mono: clip 5; drum_kit: 3x256, attn 32; one_drum: clip 5; improv: 2x128 clip 3), with
    /// the batch size at 64 (Magenta: 128) to suit CPUs.
    static RnnHParams defaultsFor(const std::string& configId);

    /// Applies "key=value,key=[a,b],..." (Magenta's names, listed above). Errors name the key
    /// or value ("batch_size=0: must be at least 1", "unknown hparam 'lr'").
    core::Status apply(const std::string& overrides);
    core::Status validate() const;

    core::JsonValue toJson() const;
    /// Reads toJson()'s object; missing keys keep `defaults`' values.
    static core::Result<RnnHParams> fromJson(const core::JsonValue& json,
                                             const RnnHParams& defaults);

    /// learning_rate * decay_rate^(step / decay_steps), floored at min_learning_rate.
    double learningRateAt(int64_t step) const;
};

}  // namespace toccata::ml
