// MultiRNNCell of TF-layout LSTM cells.
#include "ml/layers/LstmStack.h"

namespace toccata::ml {

core::Result<LstmStack> LstmStack::fromWeights(const WeightStore& weights,
                                               const std::string& prefix,
                                               const std::string& cellScope, int64_t inputSize) {
    using R = core::Result<LstmStack>;
    std::vector<TfLstmCell> cells;
    int64_t in = inputSize;
    for (int layer = 0;; ++layer) {
        const std::string cellPrefix = prefix + "cell_" + std::to_string(layer) + "/" + cellScope;
        if (!weights.contains(cellPrefix + "kernel")) {
            if (layer == 0)
                return R::failure(weights.source() + ": no LSTM layer found (weight \"" +
                                  cellPrefix + "kernel\" is missing)");
            break;
        }
        auto cell = TfLstmCell::fromWeights(weights, cellPrefix, in);
        if (!cell) return R::failure(cell.errorMessage());
        in = cell->hiddenSize();
        cells.push_back(std::move(cell.value()));
    }
    return LstmStack(std::move(cells));
}

int64_t LstmStack::totalHidden() const {
    int64_t total = 0;
    for (const auto& cell : m_cells) total += cell.hiddenSize();
    return total;
}

std::vector<LstmState> LstmStack::zeroState(int64_t batch) const {
    std::vector<LstmState> state;
    state.reserve(m_cells.size());
    for (const auto& cell : m_cells) state.push_back(cell.zeroState(batch));
    return state;
}

torch::Tensor LstmStack::forward(const torch::Tensor& x, std::vector<LstmState>& state,
                                 double keepProb) const {
    torch::Tensor in = x;
    for (size_t l = 0; l < m_cells.size(); ++l) {
        state[l] = m_cells[l].forward(in, state[l]);
        in = keepProb < 1.0 ? torch::dropout(state[l].h, 1.0 - keepProb, /*train=*/true)
                            : state[l].h;
    }
    return in;
}

torch::Tensor LstmStack::step(const torch::Tensor& x, std::vector<LstmState>& state) const {
    torch::Tensor in = x;
    for (size_t l = 0; l < m_cells.size(); ++l) {
        state[l] = m_cells[l].step(in, state[l]);
        in = state[l].h;
    }
    return in;
}

torch::Tensor LstmStack::forwardSequence(const torch::Tensor& inputs,
                                         std::vector<LstmState>& state, double keepProb) const {
    const int64_t batch = inputs.size(0), time = inputs.size(1);
    torch::Tensor layerInput = inputs;
    for (size_t l = 0; l < m_cells.size(); ++l) {
        const TfLstmCell& cell = m_cells[l];
        // x's share of every step's gates at once: [batch * time, 4H].
        const torch::Tensor projected =
            torch::addmm(cell.bias(), layerInput.reshape({batch * time, layerInput.size(2)}),
                         cell.inputKernel())
                .view({batch, time, 4 * cell.hiddenSize()});
        // unbind, not select per step: select's backward writes a full-size zero gradient
        // for every step (quadratic in the length); unbind's stacks them once.
        const std::vector<torch::Tensor> steps = projected.unbind(1);
        std::vector<torch::Tensor> outputs;
        outputs.reserve(static_cast<size_t>(time));
        for (int64_t t = 0; t < time; ++t) {
            state[l] = cell.forwardProjected(steps[static_cast<size_t>(t)], state[l]);
            outputs.push_back(state[l].h);
        }
        layerInput = torch::stack(outputs, 1);
        if (keepProb < 1.0) layerInput = torch::dropout(layerInput, 1.0 - keepProb, true);
    }
    return layerInput;
}

void LstmStack::repack() {
    for (auto& cell : m_cells) cell.repack();
}

}  // namespace toccata::ml
