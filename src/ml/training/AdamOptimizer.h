// Adam as TensorFlow's tf.train.AdamOptimizer computes it (what Magenta trained with):
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
// with global-norm gradient clipping (tf.clip_by_global_norm). Its state is plain named
// tensors, so checkpoints store it in the TF.js weights format like the model itself. [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

class AdamOptimizer {
public:
    /// `params` are the trained tensors under their checkpoint names (requires_grad is set).
    explicit AdamOptimizer(std::vector<std::pair<std::string, torch::Tensor>> params,
                           double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8);

    /// Scales every gradient so their global norm is at most clipNorm (0: no clipping);
    /// returns the norm before clipping (NaN/inf when a gradient is not finite).
    double clipGradients(double clipNorm);
    /// One update with the current gradients, then the gradients are cleared.
    void step(double learningRate);
    void zeroGradients();

    int64_t steps() const { return m_steps; }
    void setSteps(int64_t steps) { m_steps = steps; }
    const std::vector<std::pair<std::string, torch::Tensor>>& parameters() const { return m_params; }

    /// "adam/m/<name>", "adam/v/<name>" for every parameter, plus "adam/step" (int32 would lose
    /// long runs, so the step count is stored as a float32 [2]: high and low 24-bit halves).
    std::vector<std::pair<std::string, torch::Tensor>> stateTensors() const;
    /// Restores stateTensors() output; errors name a missing or misshapen tensor.
    core::Status loadState(const std::vector<std::pair<std::string, torch::Tensor>>& state);

private:
    std::vector<std::pair<std::string, torch::Tensor>> m_params;
    std::vector<torch::Tensor> m_m, m_v;
    double m_beta1, m_beta2, m_epsilon;
    int64_t m_steps = 0;
};

}  // namespace toccata::ml
