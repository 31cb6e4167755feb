// Dense: TF's fully connected layer, y = x @ kernel + bias with kernel [in, out] (Magenta's
// `fully_connected/weights` + `biases`, or `<scope>/kernel` + `bias`). [any]
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "core/Result.h"
#include "ml/layers/CpuKernels.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

class Dense {
public:
    Dense() = default;
    Dense(torch::Tensor kernel, torch::Tensor bias)
        : m_kernel(std::move(kernel)), m_bias(std::move(bias)) {}

    /// Reads `kernelName` [inputSize, *] and `biasName` [out] (inputSize < 0: any).
    static core::Result<Dense> fromWeights(const WeightStore& weights,
                                           const std::string& kernelName,
                                           const std::string& biasName, int64_t inputSize);

    int64_t inputSize() const { return m_kernel.size(0); }
    int64_t outputSize() const { return m_kernel.size(1); }
    const torch::Tensor& kernel() const { return m_kernel; }
    const torch::Tensor& bias() const { return m_bias; }

    /// x [..., in] -> [..., out]; differentiable.
    torch::Tensor forward(const torch::Tensor& x) const {
        return x.dim() == 2 ? torch::addmm(m_bias, x, m_kernel)
                            : torch::matmul(x, m_kernel) + m_bias;
    }

    /// Inference: the same as forward() for x [batch, in]; float32 CPU goes through
    /// ml/layers/CpuKernels. No autograd.
    torch::Tensor step(const torch::Tensor& x) const;

private:
    torch::Tensor m_kernel, m_bias;
};

inline core::Result<Dense> Dense::fromWeights(const WeightStore& weights,
                                              const std::string& kernelName,
                                              const std::string& biasName, int64_t inputSize) {
    auto kernel = weights.get(kernelName, {inputSize, -1});
    if (!kernel) return core::Result<Dense>::failure(kernel.errorMessage());
    auto bias = weights.get(biasName, {kernel->size(1)});
    if (!bias) return core::Result<Dense>::failure(bias.errorMessage());
    return Dense(kernel->to(torch::kFloat), bias->to(torch::kFloat));
}

inline torch::Tensor Dense::step(const torch::Tensor& x) const {
    if (x.dim() != 2 || !x.device().is_cpu() || x.scalar_type() != torch::kFloat ||
        !m_kernel.device().is_cpu() || !m_kernel.is_contiguous())
        return forward(x);
    const torch::Tensor xc = x.contiguous();
    const int64_t batch = xc.size(0), in = inputSize(), out = outputSize();
    const torch::Tensor bias = m_bias.contiguous();
    torch::Tensor y = torch::empty({batch, out}, xc.options());
    for (int64_t b = 0; b < batch; ++b) {
        float* row = y.data_ptr<float>() + b * out;
        std::copy(bias.data_ptr<float>(), bias.data_ptr<float>() + out, row);
        cpu::addVectorTimesMatrix(xc.data_ptr<float>() + b * in, in, m_kernel.data_ptr<float>(),
                                  out, row);
    }
    return y;
}

}  // namespace toccata::ml
