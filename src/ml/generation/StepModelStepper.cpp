#include "ml/generation/StepModelStepper.h"

#include <string>

namespace toccata::ml {

core::Status StepModelStepper::reset(int64_t batch) {
    if (batch <= 0) {
        return core::Status::failure("StepModelStepper: batch must be positive, got " +
                                     std::to_string(batch));
    }
    m_state = m_model.initialState(batch);
    m_batch = batch;
    return {};
}

core::Result<std::vector<float>> StepModelStepper::step(const std::vector<float>& inputs) {
    const int64_t depth = inputDepth();
    if (m_batch <= 0 || static_cast<int64_t>(inputs.size()) != m_batch * depth) {
        return core::Error{"StepModelStepper: expected " + std::to_string(m_batch) + " x " +
                           std::to_string(depth) + " inputs, got " + std::to_string(inputs.size()) +
                           " values"};
    }
    torch::NoGradGuard noGrad;
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(inputs.data()), {m_batch, depth}, torch::kFloat32)
            .clone();
    if (!m_state.tensors.empty()) x = x.to(m_state.tensors.front().device());
    auto logits = m_model.step(x, m_state);
    if (!logits) return logits.error();
    const torch::Tensor out = logits->to(torch::kCPU, torch::kFloat32).contiguous();
    if (out.dim() != 2 || out.size(0) != m_batch || out.size(1) != numClasses()) {
        return core::Error{"StepModelStepper: the model returned logits of the wrong shape"};
    }
    const float* data = out.data_ptr<float>();
    return std::vector<float>(data, data + out.numel());
}

core::Status StepModelStepper::selectRows(const std::vector<int64_t>& rows) {
    for (int64_t row : rows) {
        if (row < 0 || row >= m_batch) {
            return core::Status::failure("StepModelStepper: row " + std::to_string(row) +
                                         " is outside the batch of " + std::to_string(m_batch));
        }
    }
    if (rows.empty()) return core::Status::failure("StepModelStepper: no rows selected");
    const torch::Tensor index =
        torch::tensor(std::vector<int64_t>(rows.begin(), rows.end()), torch::kInt64);
    if (!m_state.tensors.empty()) {
        const auto device = m_state.tensors.front().device();
        m_state = m_state.selectRows(index.to(device));
    }
    m_batch = static_cast<int64_t>(rows.size());
    return {};
}

}  // namespace toccata::ml
