// StepModel: the seam between a network (MusicRNN, ...) and the torch-free generation code
// (sampling, beam search, primers). A network turns one step's input vector plus an explicit
// recurrent state into logits; the generation code owns the loop, the encodings and the state.
// All calls of one model and its states happen on one thread (the generation worker). [worker]
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/Result.h"

namespace toccata::ml {

/// Recurrent state of a StepModel for a batch: every tensor has the batch as its first
/// dimension (LSTM c/h per layer, attention state...). Its meaning belongs to the model; the
/// generation code only copies it and reorders its rows (beam search).
struct StepState {
    std::vector<torch::Tensor> tensors;

    /// Rows of the batch (0 when the state is empty).
    int64_t batch() const { return tensors.empty() ? 0 : tensors.front().size(0); }

    /// A state made of rows `rows` (int64 indices, may repeat) of this one: beam reordering.
    StepState selectRows(const torch::Tensor& rows) const {
        StepState out;
        out.tensors.reserve(tensors.size());
        for (const auto& t : tensors) out.tensors.push_back(t.index_select(0, rows));
        return out;
    }

    /// A deep copy (step() replaces the tensors of the state it is given, never writes
    /// into them in place, so plain copies of StepState are also safe to keep).
    StepState clone() const {
        StepState out;
        out.tensors.reserve(tensors.size());
        for (const auto& t : tensors) out.tensors.push_back(t.clone());
        return out;
    }
};

/// One step of a recurrent network with explicit state. [worker]
class StepModel {
public:
    virtual ~StepModel() = default;

    /// Width of the input vector of one step (one-hot + conditioning + aux inputs).
    virtual int64_t inputDepth() const = 0;
    /// Number of output classes (width of the logits).
    virtual int64_t numClasses() const = 0;

    /// Zero state for `batch` sequences.
    virtual StepState initialState(int64_t batch) const = 0;

    /// Feeds `inputs` ([batch, inputDepth], float32) through the network, replaces the
    /// tensors of `state` with the next state and returns the logits [batch, numClasses]
    /// (before softmax/temperature). Runs without autograd. Fails (state untouched) when the
    /// input shape does not match the model or the state.
    virtual core::Result<torch::Tensor> step(const torch::Tensor& inputs, StepState& state) = 0;
};

}  // namespace toccata::ml
