// FakeStepModel: a tiny deterministic StepModel for generation tests. Its logits come from a
// function of the step's input row (so tests can work the expected search results out by
// hand); its state counts the steps each row has taken, so row reordering is observable.
#pragma once

#include <functional>
#include <vector>

#include "ml/models/StepModel.h"

namespace toccata::test {

class FakeStepModel : public toccata::ml::StepModel {
public:
    using LogitsFn = std::function<std::vector<float>(const std::vector<float>& input)>;

    FakeStepModel(int64_t inputDepth, int64_t numClasses, LogitsFn fn)
        : m_inputDepth(inputDepth), m_numClasses(numClasses), m_fn(std::move(fn)) {}

    int64_t inputDepth() const override { return m_inputDepth; }
    int64_t numClasses() const override { return m_numClasses; }

    toccata::ml::StepState initialState(int64_t batch) const override {
        toccata::ml::StepState state;
        state.tensors.push_back(torch::zeros({batch, 1}));
        return state;
    }

    toccata::core::Result<torch::Tensor> step(const torch::Tensor& inputs,
                                              toccata::ml::StepState& state) override {
        if (inputs.dim() != 2 || inputs.size(1) != m_inputDepth ||
            inputs.size(0) != state.batch()) {
            return toccata::core::Error{"FakeStepModel: bad input shape"};
        }
        ++calls;
        const torch::Tensor x = inputs.contiguous();
        torch::Tensor logits = torch::zeros({x.size(0), m_numClasses});
        for (int64_t r = 0; r < x.size(0); ++r) {
            const float* row = x[r].data_ptr<float>();
            const std::vector<float> out = m_fn(std::vector<float>(row, row + m_inputDepth));
            for (int64_t c = 0; c < m_numClasses; ++c) logits[r][c] = out[static_cast<size_t>(c)];
        }
        state.tensors[0] = state.tensors[0] + 1;
        return logits;
    }

    int calls = 0;

private:
    int64_t m_inputDepth;
    int64_t m_numClasses;
    LogitsFn m_fn;
};

}  // namespace toccata::test
