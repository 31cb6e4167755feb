// Magenta.js-compatible attention wrapper (see the header for the maths).
#include "ml/layers/AttentionCellWrapper.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "ml/layers/CpuKernels.h"

namespace toccata::ml {

core::Result<AttentionCellWrapper> AttentionCellWrapper::fromWeights(
    const WeightStore& weights, const std::string& prefix, const std::string& cellScope,
    int64_t inputSize, int64_t attnLength, bool useQueryBias) {
    using R = core::Result<AttentionCellWrapper>;
    if (attnLength <= 0)
        return R::failure(weights.source() + ": the attention variables under \"" + prefix +
                          "\" need a positive attention length, got " + std::to_string(attnLength));
    AttentionCellWrapper w;
    w.m_attnLength = attnLength;
    w.m_useQueryBias = useQueryBias;
    auto inKernel = weights.get(prefix + "kernel", {-1, inputSize < 0 ? -1 : inputSize});
    if (!inKernel) return R::failure(inKernel.errorMessage());
    const int64_t in = inKernel->size(1);
    auto stack = LstmStack::fromWeights(weights, prefix + "multi_rnn_cell/", cellScope, in);
    if (!stack) return R::failure(stack.errorMessage());
    w.m_stack = std::move(stack.value());
    const int64_t a = w.m_stack.cells().front().hiddenSize();
    w.m_attnSize = a;

    struct Need {
        torch::Tensor* target;
        std::string name;
        std::vector<int64_t> shape;
    };
    const std::vector<Need> needs = {
        {&w.m_inKernel, "kernel", {in + a, in}},
        {&w.m_inBias, "bias", {in}},
        {&w.m_attnW4, "attention/attn_w", {1, 1, a, a}},
        {&w.m_attnV, "attention/attn_v", {a}},
        {&w.m_queryKernel, "attention/kernel", {2 * w.m_stack.totalHidden(), a}},
        {&w.m_outKernel, "attention_output_projection/kernel", {w.m_stack.outputSize() + a, a}},
        {&w.m_outBias, "attention_output_projection/bias", {a}},
    };
    for (const Need& need : needs) {
        auto t = weights.get(prefix + need.name, need.shape);
        if (!t) return R::failure(t.errorMessage());
        *need.target = t->to(torch::kFloat);
    }
    if (weights.contains(prefix + "attention/bias")) {
        auto bias = weights.get(prefix + "attention/bias", {a});
        if (!bias) return R::failure(bias.errorMessage());
        w.m_queryBias = bias->to(torch::kFloat);
    } else if (useQueryBias) {
        return R::failure(weights.source() + ": weight \"" + prefix +
                          "attention/bias\" is missing but the model uses the query bias");
    }
    w.m_attnW = w.m_attnW4.view({a, a});
    return w;
}

AttentionState AttentionCellWrapper::zeroState(int64_t batch) const {
    const auto opts = m_inKernel.options();
    return {torch::zeros({batch, m_attnSize}, opts),
            torch::zeros({batch, m_attnLength, m_attnSize}, opts),
            torch::zeros({batch, m_attnLength, m_attnSize}, opts)};
}

torch::Tensor AttentionCellWrapper::forward(const torch::Tensor& x, std::vector<LstmState>& lstm,
                                            AttentionState& attn, bool fast) const {
    const bool cpuFloat = x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
                          attn.hidden.device().is_cpu() &&
                          attn.hidden.scalar_type() == torch::kFloat && m_inKernel.is_cpu();
    if (fast && cpuFloat) return forwardCached(x, lstm, attn);
    return forwardTensors(x, lstm, attn, fast, 1.0);
}

torch::Tensor AttentionCellWrapper::forwardSequenceTraining(const torch::Tensor& inputs,
                                                            std::vector<LstmState>& lstm,
                                                            AttentionState& attn,
                                                            double keepProb) const {
    const int64_t batch = inputs.size(0), time = inputs.size(1), in = inputs.size(2);
    // [x_t, attns] @ K_in splits into x_t @ K_in[:IN] (all steps in one product, with the bias)
    // and attns @ K_in[IN:] (per step: attns depends on the previous step).
    const torch::Tensor xShare =
        torch::addmm(m_inBias, inputs.reshape({batch * time, in}), m_inKernel.narrow(0, 0, in))
            .view({batch, time, in});
    const torch::Tensor attnsKernel = m_inKernel.narrow(0, in, m_attnSize);
    attn.features = torch::Tensor();  // rebuilt from the window, differentiably
    std::vector<torch::Tensor> outputs;
    outputs.reserve(static_cast<size_t>(time));
    for (const torch::Tensor& xt : xShare.unbind(1))
        outputs.push_back(attendProjected(torch::addmm(xt, attn.attns, attnsKernel), lstm, attn,
                                          /*inferenceStep=*/false, keepProb));
    return torch::stack(outputs, 1);
}

torch::Tensor AttentionCellWrapper::forwardTensors(const torch::Tensor& x,
                                                   std::vector<LstmState>& lstm,
                                                   AttentionState& attn, bool inferenceStep,
                                                   double keepProb) const {
    const torch::Tensor xIn = torch::addmm(m_inBias, torch::cat({x, attn.attns}, 1), m_inKernel);
    return attendProjected(xIn, lstm, attn, inferenceStep, keepProb);
}

torch::Tensor AttentionCellWrapper::attendProjected(const torch::Tensor& xIn,
                                                    std::vector<LstmState>& lstm,
                                                    AttentionState& attn, bool inferenceStep,
                                                    double keepProb) const {
    // A fresh view each call, so gradients reach the stored [1, 1, A, A] variable.
    const torch::Tensor attnW = m_attnW4.view({m_attnSize, m_attnSize});
    const torch::Tensor cellOut =
        inferenceStep ? m_stack.step(xIn, lstm) : m_stack.forward(xIn, lstm, keepProb);

    std::vector<torch::Tensor> queryParts;
    queryParts.reserve(2 * lstm.size());
    for (const LstmState& s : lstm) {
        queryParts.push_back(s.c);
        queryParts.push_back(s.h);
    }
    torch::Tensor y = torch::matmul(torch::cat(queryParts, 1), m_queryKernel);
    if (m_useQueryBias) y = y + m_queryBias;

    // features = hidden @ W, carried window by window (each output is projected once). The
    // reductions over A and over the window are products (matmul, bmm): no [B, L, A]
    // intermediate for them, forward or backward.
    const torch::Tensor features =
        attn.features.defined() ? attn.features : torch::matmul(attn.hidden, attnW);
    const torch::Tensor scores = torch::matmul(torch::tanh(features + y.unsqueeze(1)), m_attnV);
    const torch::Tensor weights = torch::softmax(scores, 1);                          // [B, L]
    const torch::Tensor attns = torch::bmm(weights.unsqueeze(1), attn.hidden).squeeze(1);  // [B, A]

    const torch::Tensor output =
        torch::addmm(m_outBias, torch::cat({cellOut, attns}, 1), m_outKernel);
    const int64_t keep = m_attnLength - 1;
    attn.hidden = torch::cat({attn.hidden.narrow(1, 1, keep), output.unsqueeze(1)}, 1);
    attn.features =
        torch::cat({features.narrow(1, 1, keep), torch::matmul(output, attnW).unsqueeze(1)}, 1);
    attn.attns = attns;
    return output;
}

// The same maths as forward() on raw float32 rows, with `features` = hidden @ W carried in the
// state: the newest output is projected once and the window slides.
torch::Tensor AttentionCellWrapper::forwardCached(const torch::Tensor& x,
                                                  std::vector<LstmState>& lstm,
                                                  AttentionState& attn) const {
    const int64_t batch = x.size(0), in = x.size(1), a = m_attnSize, len = m_attnLength;
    const int64_t wide = m_inKernel.size(1);
    const torch::Tensor xc = x.contiguous(), attns = attn.attns.contiguous();
    const torch::Tensor hidden = attn.hidden.contiguous();
    const torch::Tensor features = attn.features.defined()
                                       ? attn.features.contiguous()
                                       : torch::matmul(hidden, m_attnW).contiguous();
    const float* inKernel = m_inKernel.data_ptr<float>();

    // x' = concat([x, attns]) @ K_in + b_in
    torch::Tensor xIn = torch::empty({batch, wide}, xc.options());
    for (int64_t b = 0; b < batch; ++b) {
        float* row = xIn.data_ptr<float>() + b * wide;
        std::copy(m_inBias.data_ptr<float>(), m_inBias.data_ptr<float>() + wide, row);
        cpu::addVectorTimesMatrix(xc.data_ptr<float>() + b * in, in, inKernel, wide, row);
        cpu::addVectorTimesMatrix(attns.data_ptr<float>() + b * a, a, inKernel + in * wide, wide,
                                  row);
    }
    const torch::Tensor cellOut = m_stack.step(xIn, lstm).contiguous();
    const int64_t hLast = cellOut.size(1);

    torch::Tensor newAttns = torch::empty({batch, a}, xc.options());
    torch::Tensor output = torch::empty({batch, a}, xc.options());
    torch::Tensor newHidden = torch::empty({batch, len, a}, xc.options());
    torch::Tensor newFeatures = torch::empty({batch, len, a}, xc.options());
    std::vector<float> y(static_cast<size_t>(a)), scores(static_cast<size_t>(len));
    const float* v = m_attnV.data_ptr<float>();
    const float* outKernel = m_outKernel.data_ptr<float>();
    const torch::Tensor attnW = m_attnW.contiguous();
    // The query's parts in order: c0, h0, c1, h1, ... (rows of [batch, H_l]).
    std::vector<torch::Tensor> queryParts;
    for (const LstmState& s : lstm) {
        queryParts.push_back(s.c.contiguous());
        queryParts.push_back(s.h.contiguous());
    }
    for (int64_t b = 0; b < batch; ++b) {
        // y = concat([c0, h0, c1, h1, ...]) @ K_q (+ b_q)
        std::fill(y.begin(), y.end(), 0.0F);
        if (m_useQueryBias)
            std::copy(m_queryBias.data_ptr<float>(), m_queryBias.data_ptr<float>() + a, y.begin());
        const float* query = m_queryKernel.data_ptr<float>();
        for (const torch::Tensor& part : queryParts) {
            const int64_t h = part.size(1);
            cpu::addVectorTimesMatrix(part.data_ptr<float>() + b * h, h, query, a, y.data());
            query += h * a;
        }
        // a = softmax_t(sum_u v[u] tanh(features[t][u] + y[u])); attns = sum_t a_t hidden[t]
        const float* f = features.data_ptr<float>() + b * len * a;
        const float* hid = hidden.data_ptr<float>() + b * len * a;
        float best = -INFINITY;
        for (int64_t t = 0; t < len; ++t) {
            float s = 0.0F;
            for (int64_t u = 0; u < a; ++u) s += v[u] * std::tanh(f[t * a + u] + y[u]);
            scores[t] = s;
            best = std::max(best, s);
        }
        float sum = 0.0F;
        for (float& s : scores) sum += (s = std::exp(s - best));
        float* read = newAttns.data_ptr<float>() + b * a;
        std::fill(read, read + a, 0.0F);
        for (int64_t t = 0; t < len; ++t)
            cpu::addVectorTimesMatrix(&scores[t], 1, hid + t * a, a, read);
        for (int64_t u = 0; u < a; ++u) read[u] /= sum;
        // out = concat([h_last, attns]) @ K_out + b_out
        float* out = output.data_ptr<float>() + b * a;
        std::copy(m_outBias.data_ptr<float>(), m_outBias.data_ptr<float>() + a, out);
        cpu::addVectorTimesMatrix(cellOut.data_ptr<float>() + b * hLast, hLast, outKernel, a, out);
        cpu::addVectorTimesMatrix(read, a, outKernel + hLast * a, a, out);
        // Slide the window by one: drop the oldest entry, append out and out @ W.
        float* nh = newHidden.data_ptr<float>() + b * len * a;
        float* nf = newFeatures.data_ptr<float>() + b * len * a;
        std::copy(hid + a, hid + len * a, nh);
        std::copy(out, out + a, nh + (len - 1) * a);
        std::copy(f + a, f + len * a, nf);
        std::fill(nf + (len - 1) * a, nf + len * a, 0.0F);
        cpu::addVectorTimesMatrix(out, a, attnW.data_ptr<float>(), a,
                                  nf + (len - 1) * a);
    }
    attn.attns = newAttns;
    attn.hidden = newHidden;
    attn.features = newFeatures;
    return output;
}

std::vector<std::pair<std::string, torch::Tensor>> AttentionCellWrapper::namedTensors(
    const std::string& prefix, const std::string& cellScope) const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (size_t l = 0; l < m_stack.numLayers(); ++l) {
        const std::string cell =
            prefix + "multi_rnn_cell/cell_" + std::to_string(l) + "/" + cellScope;
        out.emplace_back(cell + "kernel", m_stack.cells()[l].kernel());
        out.emplace_back(cell + "bias", m_stack.cells()[l].bias());
    }
    out.emplace_back(prefix + "kernel", m_inKernel);
    out.emplace_back(prefix + "bias", m_inBias);
    out.emplace_back(prefix + "attention/attn_w", m_attnW4);
    out.emplace_back(prefix + "attention/attn_v", m_attnV);
    out.emplace_back(prefix + "attention/kernel", m_queryKernel);
    if (m_queryBias.defined()) out.emplace_back(prefix + "attention/bias", m_queryBias);
    out.emplace_back(prefix + "attention_output_projection/kernel", m_outKernel);
    out.emplace_back(prefix + "attention_output_projection/bias", m_outBias);
    return out;
}

}  // namespace toccata::ml
