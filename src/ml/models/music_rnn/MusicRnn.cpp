// MusicRNN network: weights -> LSTM stack (+ attention) -> dense logits.
#include "ml/models/music_rnn/MusicRnn.h"

#include <cmath>
#include <filesystem>

#include "ml/weights/WeightsReader.h"

namespace toccata::ml {

namespace {

constexpr const char* kRnnPrefix = "rnn/multi_rnn_cell/";
constexpr const char* kAttentionPrefix = "rnn/attention_cell_wrapper/";
constexpr const char* kCellScope = "basic_lstm_cell/";
constexpr const char* kDenseKernel = "fully_connected/weights";
constexpr const char* kDenseBias = "fully_connected/biases";

using ModelResult = core::Result<std::unique_ptr<MusicRnn>>;

std::string sizesToString(const std::vector<int64_t>& sizes) { return shapeToString(sizes); }

}  // namespace

ModelResult MusicRnn::fromWeights(const WeightStore& weights,
                                  const MusicRnnArchitecture& expected) {
    std::unique_ptr<MusicRnn> net(new MusicRnn());
    const bool wrapped = weights.contains(std::string(kAttentionPrefix) + "kernel");
    const int64_t wantInput = expected.inputDepth > 0 ? expected.inputDepth : -1;
    if (wrapped != (expected.attentionLength > 0))
        return ModelResult::failure(
            weights.source() +
            (wrapped ? ": the weights have attention variables but the "
                       "model's attentionLength is 0"
                     : ": attentionLength is " + std::to_string(expected.attentionLength) +
                           " but the weights have no \"" + kAttentionPrefix + "kernel\""));
    if (wrapped) {
        auto attn = AttentionCellWrapper::fromWeights(weights, kAttentionPrefix, kCellScope,
                                                      wantInput, expected.attentionLength,
                                                      expected.attentionQueryBias);
        if (!attn) return ModelResult::failure(attn.errorMessage());
        net->m_attention = std::move(attn.value());
        net->m_inputDepth = net->m_attention->inputSize();
    } else {
        auto stack = LstmStack::fromWeights(weights, kRnnPrefix, kCellScope, wantInput);
        if (!stack) return ModelResult::failure(stack.errorMessage());
        net->m_stack = std::move(stack.value());
        net->m_inputDepth = net->m_stack->inputSize();
    }
    const int64_t denseIn = wrapped ? net->m_attention->outputSize() : net->stack().outputSize();
    auto dense = Dense::fromWeights(weights, kDenseKernel, kDenseBias, denseIn);
    if (!dense) return ModelResult::failure(dense.errorMessage());
    net->m_dense = std::move(dense.value());

    MusicRnnArchitecture& arch = net->m_arch;
    for (const auto& cell : net->stack().cells()) arch.layerSizes.push_back(cell.hiddenSize());
    arch.inputDepth = net->m_inputDepth;
    arch.numClasses = net->m_dense.outputSize();
    arch.attentionLength = expected.attentionLength;
    arch.attentionQueryBias = expected.attentionQueryBias;
    if (!expected.layerSizes.empty() && expected.layerSizes != arch.layerSizes)
        return ModelResult::failure(weights.source() + ": the weights have LSTM layers " +
                                    sizesToString(arch.layerSizes) + " but the model says " +
                                    sizesToString(expected.layerSizes));
    if (expected.numClasses > 0 && expected.numClasses != arch.numClasses)
        return ModelResult::failure(
            weights.source() + ": \"" + kDenseKernel + "\" has " + std::to_string(arch.numClasses) +
            " outputs but the model says numClasses = " + std::to_string(expected.numClasses));
    return net;
}

ModelResult MusicRnn::load(const ModelSpec& spec) {
    if (spec.family != "music_rnn")
        return ModelResult::failure(spec.folder + ": model family is \"" + spec.family +
                                    "\", not music_rnn");
    auto weights = readTfjsWeights(spec.folder, spec.weightsManifest);
    if (!weights) return ModelResult::failure(weights.errorMessage());
    return fromWeights(*weights, spec.musicRnn);
}

ModelResult MusicRnn::initialize(const MusicRnnArchitecture& arch, uint64_t seed) {
    if (arch.layerSizes.empty() || arch.inputDepth <= 0 || arch.numClasses <= 0)
        return ModelResult::failure("MusicRnn::initialize: layer sizes, input depth and number "
                                    "of classes must be set");
    for (int64_t size : arch.layerSizes)
        if (size <= 0)
            return ModelResult::failure("MusicRnn::initialize: layer sizes must be positive, got " +
                                        sizesToString(arch.layerSizes));
    auto generator = at::detail::createCPUGenerator(seed);
    // TF's glorot_uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).
    auto glorot = [&](std::vector<int64_t> shape) {
        const int64_t fanIn = shape.size() == 4 ? shape[2] : shape[0];
        const int64_t fanOut = shape.size() == 4 ? shape[3] : shape.back();
        const double limit = std::sqrt(6.0 / static_cast<double>(fanIn + fanOut));
        return torch::empty(shape, torch::kFloat).uniform_(-limit, limit, generator);
    };
    auto zeros = [](int64_t n) { return torch::zeros({n}, torch::kFloat); };
    WeightStore weights("new " + sizesToString(arch.layerSizes) + " MusicRNN");
    const bool wrapped = arch.attentionLength > 0;
    const std::string cells = wrapped ? std::string(kAttentionPrefix) + "multi_rnn_cell/"
                                      : std::string(kRnnPrefix);
    const int64_t attnSize = arch.layerSizes.front();
    int64_t in = arch.inputDepth;
    for (size_t l = 0; l < arch.layerSizes.size(); ++l) {
        const int64_t h = arch.layerSizes[l];
        const std::string cell = cells + "cell_" + std::to_string(l) + "/" + kCellScope;
        weights.insert(cell + "kernel", glorot({in + h, 4 * h}));
        weights.insert(cell + "bias", zeros(4 * h));
        in = h;
    }
    int64_t denseIn = arch.layerSizes.back();
    if (wrapped) {
        int64_t stateWidth = 0;
        for (int64_t h : arch.layerSizes) stateWidth += 2 * h;
        const std::string p = kAttentionPrefix;
        weights.insert(p + "kernel", glorot({arch.inputDepth + attnSize, arch.inputDepth}));
        weights.insert(p + "bias", zeros(arch.inputDepth));
        weights.insert(p + "attention/attn_w", glorot({1, 1, attnSize, attnSize}));
        weights.insert(p + "attention/attn_v", glorot({attnSize, 1}).view({attnSize}));
        weights.insert(p + "attention/kernel", glorot({stateWidth, attnSize}));
        if (arch.attentionQueryBias) weights.insert(p + "attention/bias", zeros(attnSize));
        weights.insert(p + "attention_output_projection/kernel",
                       glorot({arch.layerSizes.back() + attnSize, attnSize}));
        weights.insert(p + "attention_output_projection/bias", zeros(attnSize));
        denseIn = attnSize;
    }
    weights.insert(kDenseKernel, glorot({denseIn, arch.numClasses}));
    weights.insert(kDenseBias, zeros(arch.numClasses));
    return fromWeights(weights, arch);
}

StepState MusicRnn::initialState(int64_t batch) const {
    StepState state;
    for (const LstmState& s : stack().zeroState(batch)) {
        state.tensors.push_back(s.c);
        state.tensors.push_back(s.h);
    }
    if (m_attention) {
        AttentionState a = m_attention->zeroState(batch);
        state.tensors.push_back(a.attns);
        state.tensors.push_back(a.hidden);
        state.tensors.push_back(a.features);
    }
    return state;
}

core::Result<torch::Tensor> MusicRnn::step(const torch::Tensor& inputs, StepState& state) {
    using R = core::Result<torch::Tensor>;
    const size_t layers = stack().numLayers();
    const size_t wantTensors = 2 * layers + (m_attention ? 3 : 0);
    if (!inputs.defined() || inputs.dim() != 2 || inputs.size(1) != m_inputDepth)
        return R::failure("MusicRnn::step: inputs must be [batch, " + std::to_string(m_inputDepth) +
                          "], got " +
                          (inputs.defined() ? shapeToString(inputs.sizes()) : "nothing"));
    if (state.tensors.size() != wantTensors || state.batch() != inputs.size(0))
        return R::failure("MusicRnn::step: the state does not belong to this model or batch (" +
                          std::to_string(state.tensors.size()) + " tensors for batch " +
                          std::to_string(state.batch()) + "; expected " +
                          std::to_string(wantTensors) + " for batch " +
                          std::to_string(inputs.size(0)) + ")");
    c10::InferenceMode guard;
    const torch::Tensor x = inputs.to(torch::kFloat);
    std::vector<LstmState> lstm(layers);
    for (size_t l = 0; l < layers; ++l) lstm[l] = {state.tensors[2 * l], state.tensors[2 * l + 1]};
    torch::Tensor out;
    AttentionState attn;
    if (m_attention) {
        attn = {state.tensors[2 * layers], state.tensors[2 * layers + 1],
                state.tensors[2 * layers + 2]};
        out = m_attention->forward(x, lstm, attn, /*fast=*/true);
    } else {
        out = m_stack->step(x, lstm);
    }
    for (size_t l = 0; l < layers; ++l) {
        state.tensors[2 * l] = lstm[l].c;
        state.tensors[2 * l + 1] = lstm[l].h;
    }
    if (m_attention) {
        state.tensors[2 * layers] = attn.attns;
        state.tensors[2 * layers + 1] = attn.hidden;
        state.tensors[2 * layers + 2] = attn.features;
    }
    return m_dense.step(out);
}

core::Result<torch::Tensor> MusicRnn::forwardSequence(const torch::Tensor& inputs,
                                                      double keepProb) const {
    using R = core::Result<torch::Tensor>;
    if (!inputs.defined() || inputs.dim() != 3 || inputs.size(2) != m_inputDepth)
        return R::failure("MusicRnn::forwardSequence: inputs must be [batch, time, " +
                          std::to_string(m_inputDepth) + "], got " +
                          (inputs.defined() ? shapeToString(inputs.sizes()) : "nothing"));
    const torch::Tensor x = inputs.to(torch::kFloat);
    std::vector<LstmState> lstm = stack().zeroState(x.size(0));
    if (!m_attention) return m_dense.forward(m_stack->forwardSequence(x, lstm, keepProb));
    AttentionState attn = m_attention->zeroState(x.size(0));
    return m_dense.forward(m_attention->forwardSequenceTraining(x, lstm, attn, keepProb));
}

std::vector<std::pair<std::string, torch::Tensor>> MusicRnn::namedTensors() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    if (m_attention) {
        out = m_attention->namedTensors(kAttentionPrefix, kCellScope);
    } else {
        for (size_t l = 0; l < m_stack->numLayers(); ++l) {
            const std::string cell =
                std::string(kRnnPrefix) + "cell_" + std::to_string(l) + "/" + kCellScope;
            out.emplace_back(cell + "kernel", m_stack->cells()[l].kernel());
            out.emplace_back(cell + "bias", m_stack->cells()[l].bias());
        }
    }
    out.emplace_back(kDenseKernel, m_dense.kernel());
    out.emplace_back(kDenseBias, m_dense.bias());
    return out;
}

void MusicRnn::repack() {
    if (m_attention)
        m_attention->stack().repack();
    else
        m_stack->repack();
}

}  // namespace toccata::ml
