// AttentionCellWrapper: TF's contrib AttentionCellWrapper around a whole LstmStack, with the
// semantics Magenta.js's MusicRNN implements (magentajs-checkpoints.md §2.2):
//   x' = concat([x, attns]) @ K_in + b_in;  (c, h) = stack(x')
//   y  = concat([c0, h0, c1, h1, ...]) @ K_q  (+ b_q only when useQueryBias: TF adds it,
//        Magenta.js does not; checkpoints keep `attention/bias` either way)
//   s_t = sum_u v[u] tanh((hidden[t] @ W)[u] + y[u]);  a = softmax(s);  attns = sum_t a_t hidden[t]
//   out = concat([h_last, attns]) @ K_out + b_out;  hidden = drop_first(hidden) ++ out
// Magenta.js hard-codes h[2] for h_last (only 3-layer stacks work there); this uses the last
// layer, which is the same for 3 layers and what TF computes for any depth. [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/layers/LstmStack.h"

namespace toccata::ml {

struct AttentionState {
    torch::Tensor attns;   ///< [batch, A]: last attention read-out
    torch::Tensor hidden;  ///< [batch, attnLength, A]: the last attnLength outputs, oldest first
    /// [batch, attnLength, A]: hidden @ W, kept by the inference path so each output is
    /// projected once instead of the whole window every step (undefined in training).
    torch::Tensor features;
};

class AttentionCellWrapper {
public:
    /// Reads the stack under `<prefix>multi_rnn_cell/` and the wrapper's own variables under
    /// `<prefix>` (prefix e.g. "rnn/attention_cell_wrapper/"); A is layer 0's hidden size.
    static core::Result<AttentionCellWrapper> fromWeights(const WeightStore& weights,
                                                          const std::string& prefix,
                                                          const std::string& cellScope,
                                                          int64_t inputSize, int64_t attnLength,
                                                          bool useQueryBias);

    const LstmStack& stack() const { return m_stack; }
    LstmStack& stack() { return m_stack; }
    int64_t attnLength() const { return m_attnLength; }
    int64_t attnSize() const { return m_attnSize; }
    int64_t inputSize() const { return m_inKernel.size(1); }
    int64_t outputSize() const { return m_attnSize; }

    AttentionState zeroState(int64_t batch) const;

    /// One step; replaces `lstm` and `attn`; returns the wrapper output [batch, A].
    /// `fast` selects the inference path (call it under InferenceMode): the cells' fast step,
    /// and for float32 CPU tensors raw loops with the projected window cached in
    /// attn.features (computed when missing).
    torch::Tensor forward(const torch::Tensor& x, std::vector<LstmState>& lstm,
                          AttentionState& attn, bool fast = false) const;
    /// Training pass over whole sequences: inputs [batch, time, IN] → outputs [batch, time, A],
    /// the same maths as forward() step by step, with dropout on the stack's layer outputs
    /// (keepProb, see LstmStack::forward). Differentiable. Starts from `lstm` and `attn` (whose
    /// features are rebuilt from its window) and leaves the final states in them. The inputs'
    /// share of the input projection is one product for all steps, and each output is
    /// projected through attn_w once, as the window slides.
    torch::Tensor forwardSequenceTraining(const torch::Tensor& inputs,
                                          std::vector<LstmState>& lstm, AttentionState& attn,
                                          double keepProb) const;

    /// Every variable under its checkpoint name (for export), the stack's included.
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors(
        const std::string& prefix, const std::string& cellScope) const;

private:
    /// forward()'s tensor maths (any device, differentiable): the stack's training forward
    /// with dropout, or its inference step.
    torch::Tensor forwardTensors(const torch::Tensor& x, std::vector<LstmState>& lstm,
                                 AttentionState& attn, bool inferenceStep, double keepProb) const;
    /// The step after the input projection: xIn = [x, attns] @ K_in + b_in, [batch, IN].
    torch::Tensor attendProjected(const torch::Tensor& xIn, std::vector<LstmState>& lstm,
                                  AttentionState& attn, bool inferenceStep, double keepProb) const;
    torch::Tensor forwardCached(const torch::Tensor& x, std::vector<LstmState>& lstm,
                                AttentionState& attn) const;

    LstmStack m_stack;
    int64_t m_attnLength = 0, m_attnSize = 0;
    bool m_useQueryBias = false;
    torch::Tensor m_inKernel, m_inBias;        // [IN + A, IN], [IN]
    torch::Tensor m_attnW4, m_attnW, m_attnV;  // [1,1,A,A] as stored, [A, A] view, [A]
    torch::Tensor m_queryKernel, m_queryBias;  // [2 sum H, A], [A]
    torch::Tensor m_outKernel, m_outBias;      // [H_last + A, A], [A]
};

}  // namespace toccata::ml
