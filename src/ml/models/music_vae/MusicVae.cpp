// MusicVAE network: encoder -> (mu, sigma); z -> (conductor) -> core decoder(s) -> head.
// Layout and maths: docs/design/musicvae.md §1.3, §3.1–3.3.
#include "ml/models/music_vae/MusicVae.h"

#include <cmath>

#include "ml/generation/Sampling.h"
#include "ml/weights/WeightsReader.h"

namespace toccata::ml {

namespace {

using NetResult = core::Result<std::unique_ptr<MusicVae>>;

constexpr const char* kCellScope = "lstm_cell/";
constexpr const char* kFlatEncoder = "encoder/cell_0/bidirectional_rnn/";
constexpr const char* kMu = "encoder/mu/";
constexpr const char* kSigma = "encoder/sigma/";
constexpr const char* kConductor = "decoder/hierarchical_level_0/";
constexpr const char* kZToState = "z_to_initial_state/";
constexpr const char* kOutputProjection = "output_projection/";
constexpr int kMaxSplitDecoders = 8;

std::string hierarchicalEncoderPrefix(int level) {
    return "encoder/hierarchical_level_" + std::to_string(level) + "/cell_0/bidirectional_rnn/";
}

std::string directionPrefix(const std::string& rnn, const char* direction) {
    return rnn + direction + "/multi_rnn_cell/cell_0/" + kCellScope;
}

core::JsonValue sizesJson(const std::vector<int64_t>& sizes) {
    core::JsonValue out = core::JsonValue::array();
    for (int64_t s : sizes) out.push(s);
    return out;
}

}  // namespace

int64_t MusicVaeArchitecture::outputDepth() const {
    int64_t total = 0;
    for (int64_t d : outputDepths) total += d;
    return total;
}

core::JsonValue MusicVaeArchitecture::toJson() const {
    core::JsonValue out = core::JsonValue::object();
    out.set("head", head == VaeHead::Groove ? "groove" : "categorical");
    out.set("inputDepth", inputDepth);
    out.set("latentSize", latentSize);
    out.set("encoderSizes", sizesJson(encoderSizes));
    out.set("conductorSizes", sizesJson(conductorSizes));
    out.set("decoderSizes", sizesJson(decoderSizes));
    out.set("outputDepths", sizesJson(outputDepths));
    out.set("numSegments", numSegments);
    return out;
}

core::Result<MusicVaeArchitecture> MusicVaeArchitecture::fromJson(const core::JsonValue& json,
                                                                  const std::string& where) {
    using R = core::Result<MusicVaeArchitecture>;
    if (!json.isObject()) return R::failure(where + ": \"architecture\" must be an object");
    MusicVaeArchitecture arch;
    auto sizes = [&](const char* key, std::vector<int64_t>& out, bool required) -> bool {
        const core::JsonValue* v = json.find(key);
        if (!v) return !required;
        if (!v->isArray()) return false;
        for (const core::JsonValue& x : v->items()) {
            if (!x.isNumber() || x.asInt() <= 0) return false;
            out.push_back(x.asInt());
        }
        return true;
    };
    auto number = [&](const char* key, int64_t& out) -> bool {
        const core::JsonValue* v = json.find(key);
        if (!v) return true;
        if (!v->isNumber() || v->asInt() < 0) return false;
        out = v->asInt();
        return true;
    };
    if (!sizes("encoderSizes", arch.encoderSizes, true) ||
        !sizes("decoderSizes", arch.decoderSizes, true) ||
        !sizes("outputDepths", arch.outputDepths, true) ||
        !sizes("conductorSizes", arch.conductorSizes, false))
        return R::failure(where +
                          ": architecture needs positive integer lists encoderSizes, "
                          "decoderSizes and outputDepths (conductorSizes optional)");
    if (!number("inputDepth", arch.inputDepth) || !number("latentSize", arch.latentSize) ||
        !number("numSegments", arch.numSegments))
        return R::failure(where +
                          ": architecture inputDepth, latentSize and numSegments must "
                          "be non-negative integers");
    const core::JsonValue* head = json.find("head");
    if (head && head->isString() && head->asString() == "groove") arch.head = VaeHead::Groove;
    return arch;
}

// ---- loading -------------------------------------------------------------------------------

NetResult MusicVae::fromWeights(const WeightStore& weights, VaeHead head, int64_t numSegments) {
    std::unique_ptr<MusicVae> net(new MusicVae());
    MusicVaeArchitecture& arch = net->m_arch;
    arch.head = head;
    arch.numSegments = numSegments;
    const std::string& src = weights.source();

    // Encoder: flat (one BiLSTM) or two hierarchical levels.
    auto readBi = [&](const std::string& rnn, int64_t inputSize) -> core::Result<BiLstm> {
        auto fw = TfLstmCell::fromWeights(weights, directionPrefix(rnn, "fw"), inputSize);
        if (!fw) return core::Result<BiLstm>::failure(fw.errorMessage());
        auto bw = TfLstmCell::fromWeights(weights, directionPrefix(rnn, "bw"), fw->inputSize());
        if (!bw) return core::Result<BiLstm>::failure(bw.errorMessage());
        return BiLstm{std::move(fw.value()), std::move(bw.value())};
    };
    const bool hierEncoder =
        weights.contains(directionPrefix(hierarchicalEncoderPrefix(0), "fw") + "kernel");
    if (hierEncoder) {
        if (numSegments <= 0)
            return NetResult::failure(src +
                                      ": the checkpoint has a hierarchical encoder but its "
                                      "data converter sets no numSegments");
        auto level0 = readBi(hierarchicalEncoderPrefix(0), -1);
        if (!level0) return NetResult::failure(level0.errorMessage());
        auto level1 = readBi(hierarchicalEncoderPrefix(1), level0->outputSize());
        if (!level1) return NetResult::failure(level1.errorMessage());
        net->m_encoder.push_back(std::move(level0.value()));
        net->m_encoder.push_back(std::move(level1.value()));
    } else {
        auto flat = readBi(kFlatEncoder, -1);
        if (!flat) return NetResult::failure(flat.errorMessage());
        net->m_encoder.push_back(std::move(flat.value()));
    }
    arch.inputDepth = net->m_encoder.front().fw.inputSize();
    for (const BiLstm& level : net->m_encoder) arch.encoderSizes.push_back(level.fw.hiddenSize());
    const int64_t encoded = net->m_encoder.back().outputSize();

    auto mu = Dense::fromWeights(weights, std::string(kMu) + "kernel", std::string(kMu) + "bias",
                                 encoded);
    if (!mu) return NetResult::failure(mu.errorMessage());
    net->m_mu = std::move(mu.value());
    arch.latentSize = net->m_mu.outputSize();
    if (weights.contains(std::string(kSigma) + "kernel")) {
        auto sigma = Dense::fromWeights(weights, std::string(kSigma) + "kernel",
                                        std::string(kSigma) + "bias", encoded);
        if (!sigma) return NetResult::failure(sigma.errorMessage());
        if (sigma->outputSize() != arch.latentSize)
            return NetResult::failure(
                src + ": encoder/sigma has " + std::to_string(sigma->outputSize()) +
                " outputs but encoder/mu has " + std::to_string(arch.latentSize));
        net->m_sigma = std::move(sigma.value());
    }

    // Conductor (hierarchical decoder).
    std::string corePrefix;
    int64_t embedding = arch.latentSize;
    if (weights.contains(std::string(kConductor) + "cell_0/" + kCellScope + "kernel")) {
        if (numSegments <= 0)
            return NetResult::failure(src +
                                      ": the checkpoint has a conductor but its data "
                                      "converter sets no numSegments");
        auto conductor = LstmStack::fromWeights(weights, kConductor, kCellScope, 1);
        if (!conductor) return NetResult::failure(conductor.errorMessage());
        net->m_conductor = std::move(conductor.value());
        auto init =
            Dense::fromWeights(weights, std::string(kConductor) + "initial_state/kernel",
                               std::string(kConductor) + "initial_state/bias", arch.latentSize);
        if (!init) return NetResult::failure(init.errorMessage());
        if (init->outputSize() != 2 * net->m_conductor->totalHidden())
            return NetResult::failure(src + ": conductor initial_state has " +
                                      std::to_string(init->outputSize()) + " outputs, expected " +
                                      std::to_string(2 * net->m_conductor->totalHidden()));
        net->m_conductorInitialState = std::move(init.value());
        for (const auto& cell : net->m_conductor->cells())
            arch.conductorSizes.push_back(cell.hiddenSize());
        embedding = net->m_conductor->outputSize();
        corePrefix = "core_decoder/";
    }

    // Core decoder(s): one, or split (trio) as core_decoder_<i>.
    std::vector<std::string> prefixes;
    if (weights.contains(corePrefix + "decoder/multi_rnn_cell/cell_0/lstm_cell/kernel")) {
        prefixes.push_back(corePrefix + "decoder/");
    } else {
        for (int i = 0; i < kMaxSplitDecoders; ++i) {
            const std::string p = corePrefix + "core_decoder_" + std::to_string(i) + "/decoder/";
            if (!weights.contains(p + "multi_rnn_cell/cell_0/lstm_cell/kernel")) break;
            prefixes.push_back(p);
        }
    }
    if (prefixes.empty())
        return NetResult::failure(src + ": no MusicVAE decoder found (weight \"" + corePrefix +
                                  "decoder/multi_rnn_cell/cell_0/lstm_cell/kernel\" is missing)");
    for (const std::string& prefix : prefixes) {
        CoreDecoder dec;
        dec.prefix = prefix;
        auto stack = LstmStack::fromWeights(weights, prefix + "multi_rnn_cell/", kCellScope, -1);
        if (!stack) return NetResult::failure(stack.errorMessage());
        dec.stack = std::move(stack.value());
        auto out = Dense::fromWeights(weights, prefix + kOutputProjection + "kernel",
                                      prefix + kOutputProjection + "bias", dec.stack.outputSize());
        if (!out) return NetResult::failure(out.errorMessage());
        dec.output = std::move(out.value());
        const int64_t depth = dec.output.outputSize();
        if (dec.stack.inputSize() != depth + embedding)
            return NetResult::failure(
                src + ": \"" + prefix + "multi_rnn_cell/cell_0/lstm_cell/kernel\" takes " +
                std::to_string(dec.stack.inputSize()) + " inputs, expected " +
                std::to_string(depth) + " (previous output) + " + std::to_string(embedding) +
                (arch.conductorSizes.empty() ? " (z)" : " (conductor)") +
                "; control-conditioned checkpoints are not supported");
        auto init = Dense::fromWeights(weights, prefix + kZToState + "kernel",
                                       prefix + kZToState + "bias", embedding);
        if (!init) return NetResult::failure(init.errorMessage());
        if (init->outputSize() != 2 * dec.stack.totalHidden())
            return NetResult::failure(src + ": \"" + prefix + kZToState + "kernel\" has " +
                                      std::to_string(init->outputSize()) + " outputs, expected " +
                                      std::to_string(2 * dec.stack.totalHidden()));
        dec.initialState = std::move(init.value());
        if (arch.decoderSizes.empty())
            for (const auto& cell : dec.stack.cells())
                arch.decoderSizes.push_back(cell.hiddenSize());
        arch.outputDepths.push_back(depth);
        net->m_decoders.push_back(std::move(dec));
    }
    if (head == VaeHead::Groove && (net->m_decoders.size() != 1 || arch.outputDepth() % 3 != 0))
        return NetResult::failure(src +
                                  ": a GrooVAE decoder needs one output of 3 x drums "
                                  "columns, got " +
                                  shapeToString(arch.outputDepths));
    return net;
}

NetResult MusicVae::load(const ModelSpec& spec) {
    if (spec.family != "music_vae")
        return NetResult::failure(spec.folder + ": model family is \"" + spec.family +
                                  "\", not music_vae");
    const core::JsonValue* encoding = spec.codec.find("encoding");
    const VaeHead head =
        encoding && encoding->isString() && encoding->asString() == "GrooveConverter"
            ? VaeHead::Groove
            : VaeHead::Categorical;
    int64_t segments = 0;
    if (const core::JsonValue* args = spec.codec.find("args"))
        if (const core::JsonValue* n = args->find("numSegments"); n && n->isNumber())
            segments = n->asInt();
    auto weights = readTfjsWeights(spec.folder, spec.weightsManifest);
    if (!weights) return NetResult::failure(weights.errorMessage());
    return fromWeights(*weights, head, segments);
}

NetResult MusicVae::initialize(const MusicVaeArchitecture& arch, uint64_t seed) {
    auto positive = [](const std::vector<int64_t>& v) {
        if (v.empty()) return false;
        for (int64_t x : v)
            if (x <= 0) return false;
        return true;
    };
    if (arch.inputDepth <= 0 || arch.latentSize <= 0 || !positive(arch.encoderSizes) ||
        arch.encoderSizes.size() > 2 || !positive(arch.decoderSizes) ||
        !positive(arch.outputDepths) ||
        (!arch.conductorSizes.empty() && !positive(arch.conductorSizes)))
        return NetResult::failure(
            "MusicVae::initialize: inputDepth, latentSize, 1 or 2 encoder "
            "sizes, decoder sizes and output depths must be positive");
    if ((arch.hierarchicalEncoder() || !arch.conductorSizes.empty()) && arch.numSegments <= 0)
        return NetResult::failure("MusicVae::initialize: hierarchical models need numSegments");
    auto generator = at::detail::createCPUGenerator(seed);
    auto glorot = [&](int64_t fanIn, int64_t fanOut) {
        const double limit = std::sqrt(6.0 / static_cast<double>(fanIn + fanOut));
        return torch::empty({fanIn, fanOut}, torch::kFloat).uniform_(-limit, limit, generator);
    };
    auto small = [&](int64_t in, int64_t out) {
        return torch::empty({in, out}, torch::kFloat).normal_(0.0, 0.001, generator);
    };
    auto zeros = [](int64_t n) { return torch::zeros({n}, torch::kFloat); };
    WeightStore w("new MusicVAE");
    auto lstm = [&](const std::string& prefix, int64_t in, int64_t h) {
        w.insert(prefix + "kernel", glorot(in + h, 4 * h));
        w.insert(prefix + "bias", zeros(4 * h));
    };
    auto dense = [&](const std::string& prefix, torch::Tensor kernel) {
        const int64_t out = kernel.size(1);
        w.insert(prefix + "kernel", std::move(kernel));
        w.insert(prefix + "bias", zeros(out));
    };
    int64_t in = arch.inputDepth;
    for (size_t level = 0; level < arch.encoderSizes.size(); ++level) {
        const std::string rnn = arch.hierarchicalEncoder()
                                    ? hierarchicalEncoderPrefix(static_cast<int>(level))
                                    : std::string(kFlatEncoder);
        for (const char* dir : {"fw", "bw"})
            lstm(directionPrefix(rnn, dir), in, arch.encoderSizes[level]);
        in = 2 * arch.encoderSizes[level];
    }
    dense(kMu, small(in, arch.latentSize));
    dense(kSigma, small(in, arch.latentSize));
    int64_t embedding = arch.latentSize;
    std::string corePrefix;
    if (!arch.conductorSizes.empty()) {
        int64_t cin = 1, total = 0;
        for (size_t l = 0; l < arch.conductorSizes.size(); ++l) {
            lstm(std::string(kConductor) + "cell_" + std::to_string(l) + "/" + kCellScope, cin,
                 arch.conductorSizes[l]);
            cin = arch.conductorSizes[l];
            total += arch.conductorSizes[l];
        }
        dense(std::string(kConductor) + "initial_state/", small(arch.latentSize, 2 * total));
        embedding = arch.conductorSizes.back();
        corePrefix = "core_decoder/";
    }
    for (size_t j = 0; j < arch.outputDepths.size(); ++j) {
        const std::string prefix =
            arch.outputDepths.size() == 1
                ? corePrefix + "decoder/"
                : corePrefix + "core_decoder_" + std::to_string(j) + "/decoder/";
        int64_t din = arch.outputDepths[j] + embedding, total = 0;
        for (size_t l = 0; l < arch.decoderSizes.size(); ++l) {
            lstm(prefix + "multi_rnn_cell/cell_" + std::to_string(l) + "/" + kCellScope, din,
                 arch.decoderSizes[l]);
            din = arch.decoderSizes[l];
            total += arch.decoderSizes[l];
        }
        dense(prefix + kZToState, small(embedding, 2 * total));
        dense(prefix + kOutputProjection, glorot(arch.decoderSizes.back(), arch.outputDepths[j]));
    }
    return fromWeights(w, arch.head, arch.numSegments);
}

// ---- encoder -------------------------------------------------------------------------------

torch::Tensor MusicVae::runBiLstm(const BiLstm& rnn, const torch::Tensor& inputs, double keepProb) {
    const int64_t batch = inputs.size(0), time = inputs.size(1), depth = inputs.size(2);
    auto run = [&](const TfLstmCell& cell, bool backwards) {
        // Each direction's cell drops its own inputs (two DropoutWrappers in Magenta).
        const torch::Tensor x =
            keepProb < 1.0 ? torch::dropout(inputs, 1.0 - keepProb, true) : inputs;
        const torch::Tensor projected =
            torch::addmm(cell.bias(), x.reshape({batch * time, depth}), cell.inputKernel())
                .view({batch, time, 4 * cell.hiddenSize()});
        const std::vector<torch::Tensor> steps = projected.unbind(1);
        LstmState state = cell.zeroState(batch);
        for (int64_t i = 0; i < time; ++i) {
            const int64_t t = backwards ? time - 1 - i : i;
            state = cell.forwardProjected(steps[static_cast<size_t>(t)], state);
        }
        return state.h;
    };
    return torch::cat({run(rnn.fw, false), run(rnn.bw, true)}, 1);
}

core::Result<VaePosterior> MusicVae::encode(const torch::Tensor& inputs, double keepProb) const {
    using R = core::Result<VaePosterior>;
    if (!inputs.defined() || inputs.dim() != 3 || inputs.size(2) != m_arch.inputDepth ||
        inputs.size(1) == 0)
        return R::failure("MusicVae::encode: inputs must be [batch, time, " +
                          std::to_string(m_arch.inputDepth) + "], got " +
                          (inputs.defined() ? shapeToString(inputs.sizes()) : "nothing"));
    const torch::Tensor x = inputs.to(torch::kFloat);
    torch::Tensor encoded;
    if (m_encoder.size() == 2) {
        const int64_t batch = x.size(0), time = x.size(1), segs = m_arch.numSegments;
        if (time % segs != 0)
            return R::failure("MusicVae::encode: " + std::to_string(time) +
                              " steps do not split into " + std::to_string(segs) + " segments");
        const torch::Tensor chunks = x.reshape({batch * segs, time / segs, x.size(2)});
        const torch::Tensor summaries = runBiLstm(m_encoder[0], chunks, keepProb)
                                            .view({batch, segs, m_encoder[0].outputSize()});
        encoded = runBiLstm(m_encoder[1], summaries, keepProb);
    } else {
        encoded = runBiLstm(m_encoder[0], x, keepProb);
    }
    VaePosterior out;
    out.mu = m_mu.forward(encoded);
    if (m_sigma) out.sigma = torch::softplus(m_sigma->forward(encoded));
    return out;
}

// ---- decoder -------------------------------------------------------------------------------

std::vector<LstmState> MusicVae::stateFrom(const Dense& layer, const LstmStack& stack,
                                           const torch::Tensor& embedding, bool inference) {
    const torch::Tensor flat =
        torch::tanh(inference ? layer.step(embedding.contiguous()) : layer.forward(embedding));
    std::vector<LstmState> state;
    int64_t offset = 0;
    for (const auto& cell : stack.cells()) {
        const int64_t h = cell.hiddenSize();
        LstmState s{flat.narrow(1, offset, h), flat.narrow(1, offset + h, h)};
        if (inference) s = {s.c.contiguous(), s.h.contiguous()};
        state.push_back(std::move(s));
        offset += 2 * h;
    }
    return state;
}

torch::Tensor MusicVae::applyHead(const torch::Tensor& projection, double temperature, Rng& rng,
                                  const torch::Tensor& forced) const {
    const int64_t batch = projection.size(0), depth = projection.size(1);
    const torch::Tensor o = projection.contiguous();
    torch::Tensor out = torch::zeros({batch, depth}, torch::kFloat);
    const float* in = o.data_ptr<float>();
    float* dst = out.data_ptr<float>();
    if (m_arch.head == VaeHead::Categorical) {
        for (int64_t b = 0; b < batch; ++b) {
            const SampledClass c = sampleClass(in + b * depth, depth, temperature, rng);
            dst[b * depth + c.index] = 1.0f;
        }
        return out;
    }
    const int64_t drums = depth / 3;
    const torch::Tensor forcedRows = forced.defined() ? forced.contiguous() : torch::Tensor();
    const float* force = forced.defined() ? forcedRows.data_ptr<float>() : nullptr;
    for (int64_t b = 0; b < batch; ++b) {
        const float* row = in + b * depth;
        float* res = dst + b * depth;
        for (int64_t d = 0; d < drums; ++d) {
            if (force != nullptr) {
                const bool hit = force[b * drums + d] > 0.5F;
                const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(row[d])));
                const double v = 1.0 / (1.0 + std::exp(-static_cast<double>(row[drums + d])));
                res[d] = hit ? 1.0f : 0.0f;
                res[drums + d] =
                    hit ? static_cast<float>(std::min(1.0, v / std::max(p, 1e-3))) : 0.0f;
                res[2 * drums + d] = hit ? std::tanh(row[2 * drums + d]) : 0.0f;
                continue;
            }
            bool hit;
            if (temperature > 0.0) {
                const double p = 1.0 / (1.0 + std::exp(-row[d] / temperature));
                hit = p > rng.uniform();
            } else {
                hit = 1.0 / (1.0 + std::exp(-static_cast<double>(row[d]))) > 0.5;
            }
            res[d] = hit ? 1.0f : 0.0f;
            res[drums + d] = static_cast<float>(1.0 / (1.0 + std::exp(-row[drums + d])));
            res[2 * drums + d] = std::tanh(row[2 * drums + d]);
        }
    }
    return out;
}

void MusicVae::decodeSegment(const torch::Tensor& embedding, int64_t steps, double temperature,
                             Rng& rng, const std::vector<torch::Tensor>& biases,
                             const torch::Tensor& forcedHits, std::vector<torch::Tensor>& previous,
                             std::vector<torch::Tensor>& outputs) const {
    const int64_t batch = embedding.size(0);
    std::vector<std::vector<LstmState>> states;
    for (const CoreDecoder& dec : m_decoders)
        states.push_back(stateFrom(dec.initialState, dec.stack, embedding, true));
    for (int64_t t = 0; t < steps; ++t) {
        std::vector<torch::Tensor> parts;
        for (size_t j = 0; j < m_decoders.size(); ++j) {
            const CoreDecoder& dec = m_decoders[j];
            if (!previous[j].defined())
                previous[j] = torch::zeros({batch, m_arch.outputDepths[j]}, torch::kFloat);
            const torch::Tensor in = torch::cat({previous[j], embedding}, 1);
            const torch::Tensor h = dec.stack.step(in, states[j]);
            torch::Tensor projection = dec.output.step(h);
            if (biases[j].defined()) projection = projection + biases[j];
            const int64_t step = static_cast<int64_t>(outputs.size());
            const torch::Tensor y =
                applyHead(projection, temperature, rng,
                          forcedHits.defined() ? forcedHits.select(1, step) : torch::Tensor());
            previous[j] = y;
            parts.push_back(y);
        }
        outputs.push_back(parts.size() == 1 ? parts.front() : torch::cat(parts, 1));
    }
}

core::Result<torch::Tensor> MusicVae::decode(const torch::Tensor& z, int64_t numSteps,
                                             double temperature, Rng& rng) const {
    return decode(z, numSteps, temperature, rng, VaeDecodeControls{});
}

core::Result<torch::Tensor> MusicVae::decode(const torch::Tensor& z, int64_t numSteps,
                                             double temperature, Rng& rng,
                                             const VaeDecodeControls& controls) const {
    const torch::Tensor& initialInput = controls.initialInput;
    const torch::Tensor& logitBias = controls.logitBias;
    using R = core::Result<torch::Tensor>;
    if (!z.defined() || z.dim() != 2 || z.size(1) != m_arch.latentSize || z.size(0) == 0)
        return R::failure("MusicVae::decode: z must be [batch, " +
                          std::to_string(m_arch.latentSize) + "], got " +
                          (z.defined() ? shapeToString(z.sizes()) : "nothing"));
    if (numSteps <= 0)
        return R::failure("MusicVae::decode: the length must be at least one step, got " +
                          std::to_string(numSteps));
    if (!std::isfinite(temperature))
        return R::failure("MusicVae::decode: the temperature must be a finite number");
    c10::InferenceMode guard;
    const torch::Tensor latent = z.to(torch::kFloat).contiguous();
    const int64_t batch = latent.size(0);
    std::vector<torch::Tensor> previous(m_decoders.size()), outputs;
    outputs.reserve(static_cast<size_t>(numSteps));
    if (initialInput.defined()) {
        if (initialInput.dim() != 2 || initialInput.size(0) != batch ||
            initialInput.size(1) != outputDepth())
            return R::failure("MusicVae::decode: the initial input must be [" +
                              std::to_string(batch) + ", " + std::to_string(outputDepth()) +
                              "], got " + shapeToString(initialInput.sizes()));
        const torch::Tensor first = initialInput.to(torch::kFloat);
        int64_t offset = 0;
        for (size_t j = 0; j < m_decoders.size(); ++j) {
            previous[j] = first.narrow(1, offset, m_arch.outputDepths[j]).contiguous();
            offset += m_arch.outputDepths[j];
        }
    }
    std::vector<torch::Tensor> biases(m_decoders.size());
    if (logitBias.defined()) {
        if (m_arch.head != VaeHead::Categorical || logitBias.dim() != 1 ||
            logitBias.size(0) != outputDepth())
            return R::failure("MusicVae::decode: a logit bias needs a categorical model and [" +
                              std::to_string(outputDepth()) + "] entries, got " +
                              shapeToString(logitBias.sizes()));
        const torch::Tensor bias = logitBias.to(torch::kFloat);
        int64_t offset = 0;
        for (size_t j = 0; j < m_decoders.size(); ++j) {
            biases[j] = bias.narrow(0, offset, m_arch.outputDepths[j]).contiguous();
            offset += m_arch.outputDepths[j];
        }
    }
    torch::Tensor forced;
    if (controls.forcedHits.defined()) {
        const torch::Tensor& f = controls.forcedHits;
        if (m_arch.head != VaeHead::Groove || f.dim() != 3 || f.size(0) != batch ||
            f.size(1) != numSteps || f.size(2) != outputDepth() / 3)
            return R::failure("MusicVae::decode: forced hits need a groove model and [" +
                              std::to_string(batch) + ", " + std::to_string(numSteps) + ", " +
                              std::to_string(outputDepth() / 3) + "] entries, got " +
                              shapeToString(f.sizes()));
        forced = f.to(torch::kFloat).contiguous();
    }
    if (!m_conductor) {
        decodeSegment(latent, numSteps, temperature, rng, biases, forced, previous, outputs);
    } else {
        const int64_t segs = m_arch.numSegments;
        if (numSteps % segs != 0)
            return R::failure("MusicVae::decode: this hierarchical model decodes " +
                              std::to_string(segs) + " equal segments; " +
                              std::to_string(numSteps) + " steps do not split into them");
        std::vector<LstmState> state =
            stateFrom(m_conductorInitialState, *m_conductor, latent, true);
        const torch::Tensor none = torch::zeros({batch, 1}, torch::kFloat);
        for (int64_t s = 0; s < segs; ++s) {
            const torch::Tensor embedding = m_conductor->step(none, state).contiguous();
            decodeSegment(embedding, numSteps / segs, temperature, rng, biases, forced, previous,
                          outputs);
        }
    }
    return torch::stack(outputs, 1);
}

// ---- weights -------------------------------------------------------------------------------

std::vector<std::pair<std::string, torch::Tensor>> MusicVae::namedTensors() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    auto cell = [&](const std::string& prefix, const TfLstmCell& c) {
        out.emplace_back(prefix + "kernel", c.kernel());
        out.emplace_back(prefix + "bias", c.bias());
    };
    auto dense = [&](const std::string& prefix, const Dense& d) {
        out.emplace_back(prefix + "kernel", d.kernel());
        out.emplace_back(prefix + "bias", d.bias());
    };
    for (size_t level = 0; level < m_encoder.size(); ++level) {
        const std::string rnn = m_encoder.size() == 2
                                    ? hierarchicalEncoderPrefix(static_cast<int>(level))
                                    : std::string(kFlatEncoder);
        cell(directionPrefix(rnn, "fw"), m_encoder[level].fw);
        cell(directionPrefix(rnn, "bw"), m_encoder[level].bw);
    }
    dense(kMu, m_mu);
    if (m_sigma) dense(kSigma, *m_sigma);
    if (m_conductor) {
        for (size_t l = 0; l < m_conductor->numLayers(); ++l)
            cell(std::string(kConductor) + "cell_" + std::to_string(l) + "/" + kCellScope,
                 m_conductor->cells()[l]);
        dense(std::string(kConductor) + "initial_state/", m_conductorInitialState);
    }
    for (const CoreDecoder& dec : m_decoders) {
        for (size_t l = 0; l < dec.stack.numLayers(); ++l)
            cell(dec.prefix + "multi_rnn_cell/cell_" + std::to_string(l) + "/" + kCellScope,
                 dec.stack.cells()[l]);
        dense(dec.prefix + kZToState, dec.initialState);
        dense(dec.prefix + kOutputProjection, dec.output);
    }
    return out;
}

void MusicVae::repack() {
    for (BiLstm& level : m_encoder) {
        level.fw.repack();
        level.bw.repack();
    }
    if (m_conductor) m_conductor->repack();
    for (CoreDecoder& dec : m_decoders) dec.stack.repack();
}

}  // namespace toccata::ml
