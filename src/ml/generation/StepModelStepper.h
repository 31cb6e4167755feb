// StepModelStepper: adapts ml::StepModel (libtorch) to the torch-free BatchStepper that the
// generation code uses. The only generation file that touches tensors: it packs the input
// rows into a float32 [batch, inputDepth] tensor, unpacks the logits and reorders the
// StepState rows. [worker]
#pragma once

#include "ml/generation/BatchStepper.h"
#include "ml/models/StepModel.h"

namespace toccata::ml {

class StepModelStepper : public BatchStepper {
public:
    /// The model must outlive the stepper.
    explicit StepModelStepper(StepModel& model) : m_model(model) {}

    int64_t inputDepth() const override { return m_model.inputDepth(); }
    int64_t numClasses() const override { return m_model.numClasses(); }
    int64_t batch() const override { return m_batch; }

    core::Status reset(int64_t batch) override;
    core::Result<std::vector<float>> step(const std::vector<float>& inputs) override;
    core::Status selectRows(const std::vector<int64_t>& rows) override;

private:
    StepModel& m_model;
    StepState m_state;
    int64_t m_batch = 0;
};

}  // namespace toccata::ml
