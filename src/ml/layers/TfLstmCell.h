// TfLstmCell: an LSTM cell with TensorFlow's layout and maths (BasicLSTMCell / LSTMBlockCell),
// so Magenta and Magenta.js checkpoints run unchanged:
//   z = concat([x, h]) @ kernel + bias   (kernel [in+H, 4H], bias [4H], column blocks i, j, f, o)
//   c' = c * sigmoid(f + forgetBias) + sigmoid(i) * tanh(j);  h' = tanh(c') * sigmoid(o)
// forgetBias (1.0 in Magenta) is added at run time, never stored in the bias.
// Two modes: forward() is plain differentiable tensor maths (training, any device);
// step() is the inference fast path with pre-packed weights and fused gate maths. [any]
#pragma once

#include <torch/torch.h>

#include <string>

#include "core/Result.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

struct LstmState {
    torch::Tensor c;  ///< [batch, H]
    torch::Tensor h;  ///< [batch, H]
};

class TfLstmCell {
public:
    TfLstmCell() = default;
    /// `kernel` [in+H, 4H] and `bias` [4H] as TF stores them; they stay shared (not copied),
    /// so a trainer that updates them in place trains this cell (call repack() afterwards).
    TfLstmCell(torch::Tensor kernel, torch::Tensor bias, double forgetBias = 1.0);

    /// Reads `<prefix>kernel` and `<prefix>bias` (prefix ends with '/'), checking that the
    /// kernel has `inputSize` + H rows (inputSize < 0: any).
    static core::Result<TfLstmCell> fromWeights(const WeightStore& weights,
                                                const std::string& prefix, int64_t inputSize);

    int64_t inputSize() const { return m_inputSize; }
    int64_t hiddenSize() const { return m_hiddenSize; }
    const torch::Tensor& kernel() const { return m_kernel; }
    const torch::Tensor& bias() const { return m_bias; }

    LstmState zeroState(int64_t batch, const torch::TensorOptions& options = {}) const;

    /// Differentiable step: x [batch, in] -> next state.
    LstmState forward(const torch::Tensor& x, const LstmState& state) const;
    /// Differentiable step from x's part of z already computed (x @ kernel[:in] + bias, e.g.
    /// for every time step at once): training on whole sequences.
    LstmState forwardProjected(const torch::Tensor& xProjected, const LstmState& state) const;
    /// kernel[:in] (x's rows) and kernel[in:] (h's rows), as differentiable views.
    torch::Tensor inputKernel() const { return m_kernel.narrow(0, 0, m_inputSize); }
    torch::Tensor recurrentKernel() const { return m_kernel.narrow(0, m_inputSize, m_hiddenSize); }

    /// Inference step (no autograd): same maths as forward() with the x and h halves of the
    /// kernel pre-split and the forget bias folded into the bias; float32 CPU tensors go
    /// through ml/layers/CpuKernels (no per-op dispatch; zero inputs skipped).
    LstmState step(const torch::Tensor& x, const LstmState& state) const;

    /// Rebuilds the packed copies used by step() after the kernel or bias changed.
    void repack();

private:
    torch::Tensor m_kernel, m_bias;
    double m_forgetBias = 1.0;
    int64_t m_inputSize = 0, m_hiddenSize = 0;
    torch::Tensor m_kernelX, m_kernelH, m_packedBias;  // [in,4H], [H,4H], bias with f += 1
};

}  // namespace toccata::ml
