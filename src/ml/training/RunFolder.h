// The folder of one training run:
//   run.json            what was asked for (family, config, data, hparams), written at start
//   metrics.jsonl       one JSON event per line (the same events the CLI prints)
//   metrics.csv         step, split, loss, perplexity, accuracy, learning rate, examples/s
//   checkpoints/step-000200/  a model folder (model.json + weights) plus optimizer/ (Adam
//                       moments in the TF.js weights format) and trainer_state.json
//   model/              the exported model (best eval checkpoint, else the last one)
// A checkpoint is written into "step-N.partial" and renamed when complete, so a crash or
// kill -9 at any moment leaves the previous checkpoints intact; partial folders are removed
// on the next start. [worker]
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct CheckpointFiles {
    core::JsonValue modelJson;     ///< model.json document (a loadable model folder)
    NamedTensors weights;          ///< the model's variables
    NamedTensors optimizer;        ///< optimizer state
    core::JsonValue trainerState;  ///< step, epoch, best eval, ... (written last)
};

struct LoadedCheckpoint {
    std::string folder;
    int64_t step = 0;
    core::JsonValue trainerState;
    NamedTensors weights;
    NamedTensors optimizer;
};

class RunFolder {
public:
    explicit RunFolder(std::string root) : m_root(std::move(root)) {}
    const std::string& root() const { return m_root; }
    std::string checkpointsFolder() const;
    std::string modelFolder() const;
    std::string metricsJsonl() const;
    std::string metricsCsv() const;
    std::string runJson() const;
    static std::string checkpointName(int64_t step);  ///< "step-000200"

    /// Creates the folders; removes "*.partial" checkpoints a crash left behind.
    core::Status prepare() const;
    /// Writes a complete checkpoint for `step` (replacing one of the same step).
    core::Result<std::string> writeCheckpoint(int64_t step, const CheckpointFiles& files) const;
    /// Steps of the complete checkpoints, ascending.
    std::vector<int64_t> checkpointSteps() const;
    /// The newest complete checkpoint, nothing when there is none; errors for one that
    /// exists but cannot be read.
    core::Result<std::optional<LoadedCheckpoint>> loadLatest() const;
    /// Deletes all but the newest `keep` checkpoints and `protectStep` (the best one).
    void prune(int keep, int64_t protectStep) const;
    /// Copies checkpoint `step`'s model (model.json + weights, no optimizer state) to
    /// modelFolder(), replacing what was there as one rename.
    core::Result<std::string> exportModel(int64_t step, const core::JsonValue& modelJson) const;

    /// Appends one line to metrics.jsonl (flushed; a torn last line is skipped by readers).
    void appendEvent(const core::JsonValue& event) const;
    void appendCsv(const std::string& row) const;

private:
    std::string m_root;
};

}  // namespace toccata::ml
