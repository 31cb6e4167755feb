// Hyper-parameters of a Performance RNN training run: Magenta's performance_model.py values
// (batch 64, Adam 0.001, clip norm 3, no dropout; Magenta's network is 3 x 512, our CPU
// default 3 x 256 — rnn_layer_sizes=[512,512,512] gives Magenta's), the data pipeline's
// windows of 512 events with transposition by up to +-3 semitones and time stretch by
// {0.95 .. 1.05}, plus the trainer's own schedule settings as every family names them.
// Overridable with the --hparams syntax ("batch_size=16,rnn_layer_sizes=[128,128]").
// Stored in every checkpoint, so a resumed run keeps the network. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

struct PerformanceRnnHParams {
    // Network (fixed for a run).
    std::vector<int64_t> layerSizes = {256, 256, 256};  // rnn_layer_sizes
    // Data.
    int64_t windowEvents = 512;  // window_events: events per training window (Magenta max_events)
    int64_t transposeMax = 3;    // transpose_max: +- semitones (Magenta: range(-3, 4))
    int64_t timeStretch = 1;     // time_stretch: 1 = Magenta's {0.95, 0.975, 1, 1.025, 1.05}, 0 off
    int64_t evalMaxWindows = 200;  // eval_max_windows: held-out windows scored (0: all)
    // Optimisation.
    int batchSize = 64;             // batch_size (per process)
    double dropoutKeepProb = 1.0;   // dropout_keep_prob
    double clipNorm = 3.0;          // clip_norm (global norm)
    double learningRate = 0.001;    // learning_rate
    double decayRate = 1.0;         // decay_rate every decay_steps steps (1: constant)
    int64_t decaySteps = 1000;      // decay_steps
    double minLearningRate = 1e-5;  // min_learning_rate
    // Schedule of the run.
    int64_t evalEvery = 100;
    int64_t checkpointEvery = 500;
    double checkpointMinutes = 10.0;
    int keepCheckpoints = 3;
    int earlyStoppingPatience = 0;
    int64_t logEvery = 10;
    uint64_t seed = 1;

    /// Applies "key=value,..." (the names above). Errors name the key or value.
    core::Status apply(const std::string& overrides);
    core::Status validate() const;
    core::JsonValue toJson() const;
    /// Reads toJson()'s object; missing keys keep `defaults`.
    static core::Result<PerformanceRnnHParams> fromJson(const core::JsonValue& json,
                                                        const PerformanceRnnHParams& defaults);

    /// learning_rate * decay_rate^(step / decay_steps), floored at min_learning_rate.
    double learningRateAt(int64_t step) const;
};

}  // namespace toccata::ml
