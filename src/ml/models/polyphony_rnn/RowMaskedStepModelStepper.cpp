#include "ml/models/polyphony_rnn/RowMaskedStepModelStepper.h"

#include <string>

namespace toccata::ml {

core::Status RowMaskedStepModelStepper::reset(int64_t batch) {
    if (batch <= 0)
        return core::Status::failure("RowMaskedStepModelStepper: batch must be positive, got " +
                                     std::to_string(batch));
    m_state = m_model.initialState(batch);
    m_batch = batch;
    return {};
}

core::Result<std::vector<float>> RowMaskedStepModelStepper::step(const std::vector<float>& inputs) {
    return stepRows(inputs, {});
}

core::Result<std::vector<float>> RowMaskedStepModelStepper::stepRows(
    const std::vector<float>& inputs, const std::vector<uint8_t>& active) {
    const int64_t depth = inputDepth();
    if (m_batch <= 0 || static_cast<int64_t>(inputs.size()) != m_batch * depth)
        return core::Error{"RowMaskedStepModelStepper: expected " + std::to_string(m_batch) +
                           " x " + std::to_string(depth) + " inputs, got " +
                           std::to_string(inputs.size()) + " values"};
    if (!active.empty() && static_cast<int64_t>(active.size()) != m_batch)
        return core::Error{"RowMaskedStepModelStepper: " + std::to_string(active.size()) +
                           " row flags for a batch of " + std::to_string(m_batch)};
    torch::NoGradGuard noGrad;
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(inputs.data()), {m_batch, depth}, torch::kFloat32)
            .clone();
    if (!m_state.tensors.empty()) x = x.to(m_state.tensors.front().device());
    // step() replaces the state's tensors, so this shallow copy keeps the old ones.
    const StepState before = m_state;
    auto logits = m_model.step(x, m_state);
    if (!logits) return logits.error();
    if (!active.empty()) {
        std::vector<uint8_t> flags(active.begin(), active.end());
        const torch::Tensor mask =
            torch::from_blob(flags.data(), {m_batch}, torch::kUInt8).to(torch::kBool).clone();
        for (size_t i = 0; i < m_state.tensors.size(); ++i) {
            torch::Tensor& now = m_state.tensors[i];
            std::vector<int64_t> shape(static_cast<size_t>(now.dim()), 1);
            shape[0] = m_batch;
            now = torch::where(mask.to(now.device()).view(shape), now, before.tensors[i]);
        }
    }
    const torch::Tensor out = logits->to(torch::kCPU, torch::kFloat32).contiguous();
    if (out.dim() != 2 || out.size(0) != m_batch || out.size(1) != numClasses())
        return core::Error{
            "RowMaskedStepModelStepper: the model returned logits of the wrong shape"};
    const float* data = out.data_ptr<float>();
    return std::vector<float>(data, data + out.numel());
}

core::Status RowMaskedStepModelStepper::selectRows(const std::vector<int64_t>& rows) {
    if (rows.empty()) return core::Status::failure("RowMaskedStepModelStepper: no rows selected");
    for (int64_t row : rows)
        if (row < 0 || row >= m_batch)
            return core::Status::failure("RowMaskedStepModelStepper: row " + std::to_string(row) +
                                         " is outside the batch of " + std::to_string(m_batch));
    const torch::Tensor index = torch::tensor(rows, torch::kInt64);
    if (!m_state.tensors.empty())
        m_state = m_state.selectRows(index.to(m_state.tensors.front().device()));
    m_batch = static_cast<int64_t>(rows.size());
    return {};
}

}  // namespace toccata::ml
