// Trains a Music Transformer on a PerformanceDataset (the 388-event performance encoding with
// velocity) on the shared TrainingLoop: random windows of window_events events (time-stretched
// and transposed by the dataset), teacher forcing from the start token, cross-entropy per
// event, dropout, TF Adam with global-norm clipping, a linear warm-up then a constant rate.
// Held-out metrics on the fixed windows of the held-out files (at most eval_windows of them,
// spread over the files, as the Performance RNN's): NLL per event in nats ("loss"),
// perplexity, accuracy, and the unigram / bigram baselines (EventBaselines, fitted on the
// training performances) on the same windows. The export is a model folder of family
// music_transformer. [worker]
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/PerformanceDataset.h"
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/training/TrainingLoop.h"

namespace toccata::ml {

class EventBaselines;

/// Hyper-parameters ("--hparams num_layers=4,d_model=128"). Stored in every checkpoint.
struct MusicTransformerHParams {
    // Network (fixed for a run).
    int64_t numLayers = 6;              // num_layers
    int64_t dModel = 256;               // d_model
    int64_t numHeads = 8;               // num_heads
    int64_t ffSize = 1024;              // ff_size
    int64_t maxRelativeDistance = 512;  // max_relative_distance
    int64_t windowEvents = 512;         // window_events: training length = context window
    // Data, objective, optimisation.
    int64_t transposeMax = 3;    // transpose_max (semitones, +-)
    double dropout = 0.1;        // dropout
    int batchSize = 8;           // batch_size (per process)
    double learningRate = 2e-4;  // lr (after warm-up)
    int64_t warmupSteps = 500;   // warmup_steps (linear from 0)
    double clipNorm = 1.0;       // clip_norm
    int64_t evalWindows = 64;    // eval_windows: held-out windows scored (0: all)
    // Loop schedule.
    int64_t evalEvery = 200;
    int64_t checkpointEvery = 500;
    double checkpointMinutes = 10.0;
    int keepCheckpoints = 3;
    int earlyStoppingPatience = 0;
    int64_t logEvery = 20;
    uint64_t seed = 1;

    core::Status apply(const std::string& overrides);
    core::Status validate() const;
    core::JsonValue toJson() const;
    static core::Result<MusicTransformerHParams> fromJson(const core::JsonValue& json,
                                                          const MusicTransformerHParams& defaults);
    double learningRateAt(int64_t step) const;
    /// The network these hparams describe, for `numEvents` codec events.
    MusicTransformerArchitecture architecture(int64_t numEvents) const;
};

struct MusicTransformerTrainingSettings : TrainingRunSettings {
    MusicTransformerHParams hparams;
};

struct MusicTransformerTrainingOutcome {
    int64_t step = 0;
    std::string reason;
    std::string modelFolder;
    std::optional<core::JsonValue> bestEval;
};

/// Errors: bad hparams, no training performance with window_events events, run folder and
/// file errors, divergence.
core::Result<MusicTransformerTrainingOutcome> trainMusicTransformer(
    const PerformanceDataset& dataset, const MusicTransformerTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop,
    DistributedGroup* group = nullptr);

/// NLL per event (and accuracy) of `network` on event windows, in batches; with `baselines`
/// fitted, their NLL on the same windows too. Errors: no windows.
core::Result<core::JsonValue> evaluateMusicTransformer(const MusicTransformerNetwork& network,
                                                       const std::vector<std::vector<int>>& windows,
                                                       int batchSize,
                                                       const EventBaselines* baselines);

}  // namespace toccata::ml
