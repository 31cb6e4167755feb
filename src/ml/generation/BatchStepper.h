// BatchStepper: the torch-free view of a recurrent network that beam search drives — a batch
// of rows, each with its own recurrent state, stepped together; rows can be reordered or
// replicated (branching and pruning). StepModelStepper adapts ml::StepModel to it; tests may
// implement it directly. All calls on one thread. [worker]
#pragma once

#include <cstdint>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

class BatchStepper {
public:
    virtual ~BatchStepper() = default;

    virtual int64_t inputDepth() const = 0;
    virtual int64_t numClasses() const = 0;
    /// Rows in the current state.
    virtual int64_t batch() const = 0;

    /// Zero state for `batch` rows.
    virtual core::Status reset(int64_t batch) = 0;
    /// One step for every row: `inputs` is row-major [batch, inputDepth]; returns the logits
    /// row-major [batch, numClasses] and advances every row's state.
    virtual core::Result<std::vector<float>> step(const std::vector<float>& inputs) = 0;
    /// New state made of the given rows of the current one (indices may repeat).
    virtual core::Status selectRows(const std::vector<int64_t>& rows) = 0;
};

}  // namespace toccata::ml
