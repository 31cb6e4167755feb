// Magenta.js-compatible attention wrapper (see the header for the maths).
#include "ml/layers/AttentionCellWrapper.h"

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
            torch::zeros({batch, m_attnLength, m_attnSize}, opts)};
}

torch::Tensor AttentionCellWrapper::forward(const torch::Tensor& x, std::vector<LstmState>& lstm,
                                            AttentionState& attn, bool fast) const {
    const torch::Tensor xIn = torch::addmm(m_inBias, torch::cat({x, attn.attns}, 1), m_inKernel);
    const torch::Tensor cellOut = fast ? m_stack.step(xIn, lstm) : m_stack.forward(xIn, lstm);

    std::vector<torch::Tensor> queryParts;
    queryParts.reserve(2 * lstm.size());
    for (const LstmState& s : lstm) {
        queryParts.push_back(s.c);
        queryParts.push_back(s.h);
    }
    torch::Tensor y = torch::matmul(torch::cat(queryParts, 1), m_queryKernel);
    if (m_useQueryBias) y = y + m_queryBias;

    const torch::Tensor features = torch::matmul(attn.hidden, m_attnW);  // [B, L, A]
    const torch::Tensor scores = (torch::tanh(features + y.unsqueeze(1)) * m_attnV).sum(-1);
    const torch::Tensor weightsT = torch::softmax(scores, 1);                   // [B, L]
    const torch::Tensor attns = (weightsT.unsqueeze(-1) * attn.hidden).sum(1);  // [B, A]

    const torch::Tensor output =
        torch::addmm(m_outBias, torch::cat({cellOut, attns}, 1), m_outKernel);
    attn.hidden = torch::cat({attn.hidden.narrow(1, 1, m_attnLength - 1), output.unsqueeze(1)}, 1);
    attn.attns = attns;
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
