// TF-layout LSTM cell (magentajs-checkpoints.md §2.1).
#include "ml/layers/TfLstmCell.h"

#include <algorithm>
#include <vector>

#include "ml/layers/CpuKernels.h"

namespace toccata::ml {

TfLstmCell::TfLstmCell(torch::Tensor kernel, torch::Tensor bias, double forgetBias)
    : m_kernel(std::move(kernel)), m_bias(std::move(bias)), m_forgetBias(forgetBias) {
    m_hiddenSize = m_bias.size(0) / 4;
    m_inputSize = m_kernel.size(0) - m_hiddenSize;
    repack();
}

core::Result<TfLstmCell> TfLstmCell::fromWeights(const WeightStore& weights,
                                                 const std::string& prefix, int64_t inputSize) {
    using R = core::Result<TfLstmCell>;
    auto bias = weights.get(prefix + "bias", {-1});
    if (!bias) return R::failure(bias.errorMessage());
    const int64_t fourH = bias->size(0);
    if (fourH == 0 || fourH % 4 != 0)
        return R::failure(weights.source() + ": weight \"" + prefix + "bias\" has " +
                          std::to_string(fourH) + " values, not a positive multiple of 4");
    const int64_t hidden = fourH / 4;
    auto kernel = weights.get(prefix + "kernel", {inputSize < 0 ? -1 : inputSize + hidden, fourH});
    if (!kernel) return R::failure(kernel.errorMessage());
    if (kernel->size(0) <= hidden)
        return R::failure(weights.source() + ": weight \"" + prefix + "kernel\" has " +
                          std::to_string(kernel->size(0)) + " rows, no room for an input beside " +
                          std::to_string(hidden) + " hidden units");
    return TfLstmCell(kernel->to(torch::kFloat), bias->to(torch::kFloat));
}

void TfLstmCell::repack() {
    torch::NoGradGuard noGrad;
    m_kernelX = m_kernel.narrow(0, 0, m_inputSize).detach().contiguous().clone();
    m_kernelH = m_kernel.narrow(0, m_inputSize, m_hiddenSize).detach().contiguous().clone();
    m_packedBias = m_bias.detach().clone();
    m_packedBias.narrow(0, 2 * m_hiddenSize, m_hiddenSize).add_(m_forgetBias);
}

LstmState TfLstmCell::zeroState(int64_t batch, const torch::TensorOptions& options) const {
    const auto opts = options.dtype(torch::kFloat).device(m_kernel.device());
    return {torch::zeros({batch, m_hiddenSize}, opts), torch::zeros({batch, m_hiddenSize}, opts)};
}

LstmState TfLstmCell::forward(const torch::Tensor& x, const LstmState& state) const {
    const torch::Tensor z = torch::matmul(torch::cat({x, state.h}, 1), m_kernel) + m_bias;
    const auto gates = z.chunk(4, 1);  // i, j, f, o
    const torch::Tensor c = state.c * torch::sigmoid(gates[2] + m_forgetBias) +
                            torch::sigmoid(gates[0]) * torch::tanh(gates[1]);
    return {c, torch::tanh(c) * torch::sigmoid(gates[3])};
}

LstmState TfLstmCell::forwardProjected(const torch::Tensor& xProjected,
                                       const LstmState& state) const {
    const torch::Tensor z = torch::addmm(xProjected, state.h, recurrentKernel());
    const auto gates = z.chunk(4, 1);  // i, j, f, o
    const torch::Tensor c = state.c * torch::sigmoid(gates[2] + m_forgetBias) +
                            torch::sigmoid(gates[0]) * torch::tanh(gates[1]);
    return {c, torch::tanh(c) * torch::sigmoid(gates[3])};
}

LstmState TfLstmCell::step(const torch::Tensor& x, const LstmState& state) const {
    const bool fast = x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
                      state.c.scalar_type() == torch::kFloat &&
                      state.h.scalar_type() == torch::kFloat && m_kernelX.device().is_cpu();
    if (!fast) {
        torch::Tensor z = torch::addmm(m_packedBias, x, m_kernelX);
        z.addmm_(state.h, m_kernelH);
        const auto gates = z.chunk(4, 1);
        const torch::Tensor c =
            state.c * torch::sigmoid(gates[2]) + torch::sigmoid(gates[0]) * torch::tanh(gates[1]);
        return {c, torch::tanh(c) * torch::sigmoid(gates[3])};
    }
    const int64_t batch = x.size(0), hidden = m_hiddenSize, fourH = 4 * hidden;
    const torch::Tensor xc = x.contiguous(), hc = state.h.contiguous(), cc = state.c.contiguous();
    torch::Tensor c = torch::empty({batch, hidden}, xc.options());
    torch::Tensor h = torch::empty({batch, hidden}, xc.options());
    std::vector<float> z(static_cast<size_t>(fourH));
    const float* bias = m_packedBias.data_ptr<float>();
    for (int64_t b = 0; b < batch; ++b) {
        std::copy(bias, bias + fourH, z.begin());
        cpu::addVectorTimesMatrix(xc.data_ptr<float>() + b * m_inputSize, m_inputSize,
                                  m_kernelX.data_ptr<float>(), fourH, z.data());
        cpu::addVectorTimesMatrix(hc.data_ptr<float>() + b * hidden, hidden,
                                  m_kernelH.data_ptr<float>(), fourH, z.data());
        cpu::lstmGates(z.data(), cc.data_ptr<float>() + b * hidden, hidden,
                       c.data_ptr<float>() + b * hidden, h.data_ptr<float>() + b * hidden);
    }
    return {c, h};
}

}  // namespace toccata::ml
