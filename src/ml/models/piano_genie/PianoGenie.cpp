// Piano Genie decoder: loading both weight layouts, creating a fresh one, and the inference
// step (docs/design/pianogenie.md; magentajs-checkpoints.md §2.4 and §4).
#include "ml/models/piano_genie/PianoGenie.h"

#include <algorithm>
#include <cmath>

#include "ml/layers/CpuKernels.h"
#include "ml/models/piano_genie/PianoGenieImpl.h"

namespace toccata::ml {

namespace {

using NetResult = core::Result<std::unique_ptr<PianoGenieNetwork>>;

constexpr const char* kOfficialPrefix = "phero_model/decoder/";
constexpr const char* kOfficialCells = "phero_model/decoder/rnn/rnn/multi_rnn_cell/";

/// PyTorch gate rows (i, f, g, o) -> TF column order (i, g=j, f, o), transposed to [in, 4H].
torch::Tensor torchGatesToTf(const torch::Tensor& w) {
    const auto g = w.chunk(4, 0);
    return torch::cat({g[0], g[2], g[1], g[3]}, 0).t().contiguous();
}
torch::Tensor torchBiasToTf(const torch::Tensor& b) {
    const auto g = b.chunk(4, 0);
    return torch::cat({g[0], g[2], g[1], g[3]}, 0).contiguous();
}

torch::Tensor owned(const torch::Tensor& t) {
    return t.detach().to(torch::kCPU, torch::kFloat).contiguous().clone();
}

/// Reads one PyTorch LSTM layer `<prefix>{weight_ih,weight_hh,bias_ih,bias_hh}_l<k><suffix>`.
core::Result<TorchLstmLayer> readTorchLayer(const WeightStore& w, const std::string& prefix,
                                            int layer, const std::string& suffix, int64_t in,
                                            int64_t hidden) {
    using R = core::Result<TorchLstmLayer>;
    const std::string k = "_l" + std::to_string(layer) + suffix;
    auto wIh = w.get(prefix + "weight_ih" + k, {4 * hidden, in});
    if (!wIh) return R::failure(wIh.errorMessage());
    auto wHh = w.get(prefix + "weight_hh" + k, {4 * hidden, hidden});
    if (!wHh) return R::failure(wHh.errorMessage());
    auto bIh = w.get(prefix + "bias_ih" + k, {4 * hidden});
    if (!bIh) return R::failure(bIh.errorMessage());
    auto bHh = w.get(prefix + "bias_hh" + k, {4 * hidden});
    if (!bHh) return R::failure(bHh.errorMessage());
    return TorchLstmLayer{owned(*wIh), owned(*wHh), owned(*bIh), owned(*bHh)};
}

void addTorchLayer(std::vector<std::pair<std::string, torch::Tensor>>& named,
                   const std::string& prefix, size_t layer, const std::string& suffix,
                   const TorchLstmLayer& l) {
    const std::string k = "_l" + std::to_string(layer) + suffix;
    named.emplace_back(prefix + "weight_ih" + k, l.wIh);
    named.emplace_back(prefix + "weight_hh" + k, l.wHh);
    named.emplace_back(prefix + "bias_ih" + k, l.bIh);
    named.emplace_back(prefix + "bias_hh" + k, l.bHh);
}

}  // namespace

int pianoGenieButtonOf(double real) {
    const double x = std::clamp((real + 1.0) / 2.0, 0.0, 1.0) * (kPianoGenieButtons - 1);
    return static_cast<int>(std::nearbyint(x) + 1e-6);  // half to even, as torch.round
}

double pianoGenieButtonReal(int button) { return 2.0 * button / (kPianoGenieButtons - 1) - 1.0; }

int pianoGenieDeltaTimeBin(double seconds) {
    if (!(seconds > 0.0)) return 0;
    float bin =
        std::nearbyint(static_cast<float>(seconds) * static_cast<float>(kPianoGenieTimeRate));
    bin = std::min(bin, static_cast<float>(kPianoGenieTimeBins - 1));
    return static_cast<int>(bin + 1e-4f);
}

PianoGenieNetwork::PianoGenieNetwork() : m(std::make_unique<Impl>()) {}
PianoGenieNetwork::~PianoGenieNetwork() = default;

NetResult PianoGenieNetwork::fromWeights(const WeightStore& w) {
    const std::string& src = w.source();
    std::unique_ptr<PianoGenieNetwork> net(new PianoGenieNetwork());
    Impl& p = *net->m;
    if (w.contains("dec.input.weight")) {
        p.layout = PianoGenieLayout::Tutorial;
        auto inW = w.get("dec.input.weight", {-1, -1});
        if (!inW) return NetResult::failure(inW.errorMessage());
        if (inW->size(1) != kPianoGenieTutorialInputs)
            return NetResult::failure(src + ": weight \"dec.input.weight\" takes " +
                                      std::to_string(inW->size(1)) +
                                      " inputs; the tutorial's "
                                      "Piano Genie decoder takes 91 (key one-hot 89, dt, button)");
        p.inputSize = inW->size(1);
        p.projected = inW->size(0);
        auto inB = w.get("dec.input.bias", {p.projected});
        if (!inB) return NetResult::failure(inB.errorMessage());
        p.inW = owned(*inW);
        p.inB = owned(*inB);
        auto hh = w.get("dec.lstm.weight_hh_l0", {-1, -1});
        if (!hh) return NetResult::failure(hh.errorMessage());
        p.rnnSize = hh->size(1);
        int64_t in = p.projected;
        for (int l = 0; w.contains("dec.lstm.weight_ih_l" + std::to_string(l)); ++l) {
            auto layer = readTorchLayer(w, "dec.lstm.", l, "", in, p.rnnSize);
            if (!layer) return NetResult::failure(layer.errorMessage());
            p.decLayers.push_back(std::move(*layer));
            in = p.rnnSize;
        }
        if (p.decLayers.empty())
            return NetResult::failure(src + ": weight \"dec.lstm.weight_ih_l0\" is missing");
        auto outW = w.get("dec.output.weight", {kPianoGenieKeys, p.rnnSize});
        if (!outW) return NetResult::failure(outW.errorMessage());
        auto outB = w.get("dec.output.bias", {kPianoGenieKeys});
        if (!outB) return NetResult::failure(outB.errorMessage());
        p.outW = owned(*outW);
        p.outB = owned(*outB);
        p.named = {{"dec.input.weight", p.inW}, {"dec.input.bias", p.inB}};
        for (size_t l = 0; l < p.decLayers.size(); ++l)
            addTorchLayer(p.named, "dec.lstm.", l, "", p.decLayers[l]);
        p.named.emplace_back("dec.output.weight", p.outW);
        p.named.emplace_back("dec.output.bias", p.outB);

        if (w.contains("enc.input.weight")) {
            auto eInW = w.get("enc.input.weight", {-1, kPianoGenieKeys + 1});
            if (!eInW) return NetResult::failure(eInW.errorMessage());
            auto eInB = w.get("enc.input.bias", {eInW->size(0)});
            if (!eInB) return NetResult::failure(eInB.errorMessage());
            auto eHh = w.get("enc.lstm.weight_hh_l0", {-1, -1});
            if (!eHh) return NetResult::failure(eHh.errorMessage());
            const int64_t eh = eHh->size(1);
            p.encInW = owned(*eInW);
            p.encInB = owned(*eInB);
            p.named.emplace_back("enc.input.weight", p.encInW);
            p.named.emplace_back("enc.input.bias", p.encInB);
            int64_t ein = eInW->size(0);
            for (int l = 0; w.contains("enc.lstm.weight_ih_l" + std::to_string(l)); ++l) {
                auto f = readTorchLayer(w, "enc.lstm.", l, "", ein, eh);
                if (!f) return NetResult::failure(f.errorMessage());
                auto b = readTorchLayer(w, "enc.lstm.", l, "_reverse", ein, eh);
                if (!b) return NetResult::failure(b.errorMessage());
                addTorchLayer(p.named, "enc.lstm.", l, "", *f);
                addTorchLayer(p.named, "enc.lstm.", l, "_reverse", *b);
                p.encForward.push_back(std::move(*f));
                p.encBackward.push_back(std::move(*b));
                ein = 2 * eh;
            }
            auto eOutW = w.get("enc.output.weight", {1, 2 * eh});
            if (!eOutW) return NetResult::failure(eOutW.errorMessage());
            auto eOutB = w.get("enc.output.bias", {1});
            if (!eOutB) return NetResult::failure(eOutB.errorMessage());
            p.encOutW = owned(*eOutW);
            p.encOutB = owned(*eOutB);
            p.named.emplace_back("enc.output.weight", p.encOutW);
            p.named.emplace_back("enc.output.bias", p.encOutB);
            p.hasEncoder = true;
        }
    } else if (w.contains(std::string(kOfficialPrefix) + "rnn_input/dense/kernel")) {
        p.layout = PianoGenieLayout::MagentaJs;
        const std::string prefix = kOfficialPrefix;
        auto in = Dense::fromWeights(w, prefix + "rnn_input/dense/kernel",
                                     prefix + "rnn_input/dense/bias", -1);
        if (!in) return NetResult::failure(in.errorMessage());
        if (in->inputSize() != kPianoGenieOfficialInputs)
            return NetResult::failure(
                src + ": weight \"" + prefix + "rnn_input/dense/kernel\" takes " +
                std::to_string(in->inputSize()) +
                " inputs: a conditioned Piano Genie (key signature / chord inputs) is not "
                "supported; only the plain 123-input PianoGenie runs");
        p.inDense = std::move(*in);
        p.inputSize = p.inDense.inputSize();
        p.projected = p.inDense.outputSize();
        auto stack = LstmStack::fromWeights(w, kOfficialCells, "lstm_cell/", p.projected);
        if (!stack) return NetResult::failure(stack.errorMessage());
        p.stack = std::move(*stack);
        p.rnnSize = p.stack.outputSize();
        for (const TfLstmCell& cell : p.stack.cells())
            if (cell.hiddenSize() != p.rnnSize)
                return NetResult::failure(src + ": the Piano Genie LSTM layers differ in size");
        auto out = Dense::fromWeights(w, prefix + "pitches/dense/kernel",
                                      prefix + "pitches/dense/bias", p.rnnSize);
        if (!out) return NetResult::failure(out.errorMessage());
        if (out->outputSize() != kPianoGenieKeys)
            return NetResult::failure(src + ": weight \"" + prefix + "pitches/dense/kernel\" has " +
                                      std::to_string(out->outputSize()) + " outputs, not 88");
        p.outDense = std::move(*out);
        p.named = {{prefix + "rnn_input/dense/kernel", p.inDense.kernel()},
                   {prefix + "rnn_input/dense/bias", p.inDense.bias()}};
        for (size_t l = 0; l < p.stack.numLayers(); ++l) {
            const std::string cell =
                std::string(kOfficialCells) + "cell_" + std::to_string(l) + "/lstm_cell/";
            p.named.emplace_back(cell + "kernel", p.stack.cells()[l].kernel());
            p.named.emplace_back(cell + "bias", p.stack.cells()[l].bias());
        }
        p.named.emplace_back(prefix + "pitches/dense/kernel", p.outDense.kernel());
        p.named.emplace_back(prefix + "pitches/dense/bias", p.outDense.bias());
    } else {
        return NetResult::failure(src +
                                  ": no Piano Genie weights (neither the tutorial's "
                                  "\"dec.input.weight\" nor Magenta.js's \"" +
                                  std::string(kOfficialPrefix) + "rnn_input/dense/kernel\")");
    }
    p.repack();
    return net;
}

std::unique_ptr<PianoGenieNetwork> PianoGenieNetwork::create(int64_t rnnSize, int64_t layers,
                                                             uint64_t seed) {
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    auto uniform = [&](std::vector<int64_t> shape, double bound) {
        return torch::empty(shape, torch::kFloat).uniform_(-bound, bound, generator);
    };
    WeightStore w("new Piano Genie");
    // nn.Linear's default: kaiming_uniform(a = sqrt(5)) on the weight, i.e. bound 1/sqrt(in),
    // and the bias uniform in the same bound.
    auto linear = [&](const std::string& name, int64_t in, int64_t out) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(in));
        w.insert(name + ".weight", uniform({out, in}, bound));
        w.insert(name + ".bias", uniform({out}, bound));
    };
    // nn.LSTM's default: every parameter uniform in 1/sqrt(H).
    const double lstmBound = 1.0 / std::sqrt(static_cast<double>(rnnSize));
    auto lstm = [&](const std::string& prefix, int64_t l, const std::string& suffix, int64_t in) {
        const std::string k = "_l" + std::to_string(l) + suffix;
        w.insert(prefix + "weight_ih" + k, uniform({4 * rnnSize, in}, lstmBound));
        w.insert(prefix + "weight_hh" + k, uniform({4 * rnnSize, rnnSize}, lstmBound));
        w.insert(prefix + "bias_ih" + k, uniform({4 * rnnSize}, lstmBound));
        w.insert(prefix + "bias_hh" + k, uniform({4 * rnnSize}, lstmBound));
    };
    linear("enc.input", kPianoGenieKeys + 1, rnnSize);
    for (int64_t l = 0; l < layers; ++l) {
        lstm("enc.lstm.", l, "", l == 0 ? rnnSize : 2 * rnnSize);
        lstm("enc.lstm.", l, "_reverse", l == 0 ? rnnSize : 2 * rnnSize);
    }
    linear("enc.output", 2 * rnnSize, 1);
    linear("dec.input", kPianoGenieTutorialInputs, rnnSize);
    for (int64_t l = 0; l < layers; ++l) lstm("dec.lstm.", l, "", rnnSize);
    linear("dec.output", rnnSize, kPianoGenieKeys);
    auto net = fromWeights(w);
    return net ? std::move(net.value()) : nullptr;
}

PianoGenieLayout PianoGenieNetwork::layout() const { return m->layout; }
int64_t PianoGenieNetwork::rnnSize() const { return m->rnnSize; }
int64_t PianoGenieNetwork::numLayers() const { return static_cast<int64_t>(m->numLayers()); }
bool PianoGenieNetwork::hasEncoder() const { return m->hasEncoder; }

std::vector<std::pair<std::string, torch::Tensor>> PianoGenieNetwork::namedTensors() const {
    return m->named;
}

void PianoGenieNetwork::repack() {
    m->repack();
    if (m->layout == PianoGenieLayout::MagentaJs) m->stack.repack();
}

void PianoGenieNetwork::Impl::repack() {
    torch::NoGradGuard noGrad;
    pKx.clear();
    pKh.clear();
    pB.clear();
    if (layout == PianoGenieLayout::Tutorial) {
        pInK = owned(inW).t().contiguous();
        pInB = owned(inB);
        for (const TorchLstmLayer& l : decLayers) {
            pKx.push_back(torchGatesToTf(owned(l.wIh)));
            pKh.push_back(torchGatesToTf(owned(l.wHh)));
            pB.push_back(torchBiasToTf(owned(l.bIh) + owned(l.bHh)));  // no forget bias
        }
        pOutK = owned(outW).t().contiguous();
        pOutB = owned(outB);
    } else {
        pInK = owned(inDense.kernel());
        pInB = owned(inDense.bias());
        for (const TfLstmCell& cell : stack.cells()) {
            const torch::Tensor k = owned(cell.kernel());
            const int64_t in = cell.inputSize(), h = cell.hiddenSize();
            pKx.push_back(k.narrow(0, 0, in).contiguous());
            pKh.push_back(k.narrow(0, in, h).contiguous());
            torch::Tensor b = owned(cell.bias());
            b.narrow(0, 2 * h, h).add_(1.0);  // LSTMBlockCell's forget bias
            pB.push_back(b);
        }
        pOutK = owned(outDense.kernel());
        pOutB = owned(outDense.bias());
    }
}

PianoGenieNetwork::State PianoGenieNetwork::zeroState(int64_t batch) const {
    State s;
    for (size_t l = 0; l < m->numLayers(); ++l) {
        s.c.push_back(torch::zeros({batch, m->rnnSize}, torch::kFloat));
        s.h.push_back(torch::zeros({batch, m->rnnSize}, torch::kFloat));
    }
    return s;
}

torch::Tensor PianoGenieNetwork::stepLogits(int button, double deltaSeconds, int lastKey,
                                            State& state) const {
    torch::NoGradGuard noGrad;
    const cpu::ScopedFlushDenormals flushDenormals;
    const Impl& p = *m;
    const size_t layers = p.numLayers();
    if (state.c.size() != layers || state.h.size() != layers) state = zeroState(1);
    // The feature vector: one-hots cost one kernel row each (zeros are skipped).
    float x[kPianoGenieOfficialInputs] = {};
    const float buttonReal =
        2.0f * (static_cast<float>(button) / static_cast<float>(kPianoGenieButtons - 1)) - 1.0f;
    const bool noKey = lastKey < 0 || lastKey >= kPianoGenieKeys;
    if (p.layout == PianoGenieLayout::Tutorial) {
        x[noKey ? kPianoGenieKeys : lastKey] = 1.0f;
        x[kPianoGenieKeys + 1] = static_cast<float>(std::clamp(deltaSeconds, 0.0, 1.0));
        x[kPianoGenieKeys + 2] = buttonReal;
    } else {
        x[0] = buttonReal;
        x[1 + (noKey ? 0 : lastKey + 1)] = 1.0f;
        x[1 + kPianoGenieKeys + 1 + pianoGenieDeltaTimeBin(deltaSeconds)] = 1.0f;
    }
    const int64_t H = p.rnnSize, fourH = 4 * H;
    std::vector<float> a(p.pInB.data_ptr<float>(), p.pInB.data_ptr<float>() + p.projected);
    cpu::addVectorTimesMatrix(x, p.inputSize, p.pInK.data_ptr<float>(), p.projected, a.data());
    std::vector<float> z(static_cast<size_t>(fourH));
    for (size_t l = 0; l < layers; ++l) {
        const torch::Tensor c = state.c[l].to(torch::kCPU, torch::kFloat).contiguous();
        const torch::Tensor h = state.h[l].to(torch::kCPU, torch::kFloat).contiguous();
        const float* bias = p.pB[l].data_ptr<float>();
        std::copy(bias, bias + fourH, z.begin());
        cpu::addVectorTimesMatrix(a.data(), static_cast<int64_t>(a.size()),
                                  p.pKx[l].data_ptr<float>(), fourH, z.data());
        cpu::addVectorTimesMatrix(h.data_ptr<float>(), H, p.pKh[l].data_ptr<float>(), fourH,
                                  z.data());
        torch::Tensor cOut = torch::empty({1, H}, torch::kFloat);
        torch::Tensor hOut = torch::empty({1, H}, torch::kFloat);
        cpu::lstmGates(z.data(), c.data_ptr<float>(), H, cOut.data_ptr<float>(),
                       hOut.data_ptr<float>());
        a.assign(hOut.data_ptr<float>(), hOut.data_ptr<float>() + H);
        state.c[l] = std::move(cOut);
        state.h[l] = std::move(hOut);
    }
    torch::Tensor logits = p.pOutB.clone();
    cpu::addVectorTimesMatrix(a.data(), H, p.pOutK.data_ptr<float>(), kPianoGenieKeys,
                              logits.data_ptr<float>());
    return logits;
}

}  // namespace toccata::ml
