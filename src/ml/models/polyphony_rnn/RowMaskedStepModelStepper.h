// RowMaskedStepModelStepper: ml::StepModel (libtorch) as the RowMaskedStepper of polyphony
// generation — StepModelStepper's packing plus stepRows(), which runs the whole batch and then
// keeps the old state of the rows that were not asked to move (torch::where per state
// tensor, whose first dimension is always the batch). [worker]
#pragma once

#include "ml/models/StepModel.h"
#include "ml/models/polyphony_rnn/PolyphonyGeneration.h"

namespace toccata::ml {

class RowMaskedStepModelStepper final : public RowMaskedStepper {
public:
    /// The model must outlive the stepper.
    explicit RowMaskedStepModelStepper(StepModel& model) : m_model(model) {}

    int64_t inputDepth() const override { return m_model.inputDepth(); }
    int64_t numClasses() const override { return m_model.numClasses(); }
    int64_t batch() const override { return m_batch; }

    core::Status reset(int64_t batch) override;
    core::Result<std::vector<float>> step(const std::vector<float>& inputs) override;
    core::Result<std::vector<float>> stepRows(const std::vector<float>& inputs,
                                              const std::vector<uint8_t>& active) override;
    core::Status selectRows(const std::vector<int64_t>& rows) override;

private:
    StepModel& m_model;
    StepState m_state;
    int64_t m_batch = 0;
};

}  // namespace toccata::ml
