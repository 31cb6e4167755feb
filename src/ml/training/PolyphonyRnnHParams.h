// Hyper-parameters of a Polyphony RNN training run: Magenta's polyphony config (3 x 256 LSTM,
// batch 64, dropout keep 0.5, clip norm 5, Adam 0.001) and its data pipeline (sequences of
// min_steps 80 .. max_steps 512 quantized steps, transposition up to a major third either
// way), plus Toccata's chunk_steps: piano pieces longer than max_steps, which Magenta drops, are
// cut into chunk_steps-step pieces (0 restores Magenta's discard). max_events cuts an example's
// stream for memory (0: whole). The schedule fields every family shares. Overridable with the
// --hparams syntax; stored in every checkpoint. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

struct PolyphonyRnnHParams {
    // Network (fixed for a run).
    std::vector<int64_t> layerSizes = {256, 256, 256};  // rnn_layer_sizes
    // Data.
    int64_t minSteps = 80;     // min_steps: shorter sequences are discarded
    int64_t maxSteps = 512;    // max_steps: longer ones are discarded (or cut, below)
    int64_t chunkSteps = 512;  // chunk_steps: cut longer sequences into pieces (0: discard)
    int64_t transposeMax = 4;  // transpose_max: +- semitones (Magenta: range(-4, 5))
    int64_t maxEvents = 0;     // max_events: events per example fed (0: all)
    // Optimisation.
    int batchSize = 64;             // batch_size (per process)
    double dropoutKeepProb = 0.5;   // dropout_keep_prob
    double clipNorm = 5.0;          // clip_norm (global norm)
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
    static core::Result<PolyphonyRnnHParams> fromJson(const core::JsonValue& json,
                                                      const PolyphonyRnnHParams& defaults);
    /// learning_rate * decay_rate^(step / decay_steps), floored at min_learning_rate.
    double learningRateAt(int64_t step) const;
};

}  // namespace toccata::ml
