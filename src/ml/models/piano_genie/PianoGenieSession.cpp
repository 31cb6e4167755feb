// Piano Genie model folders, key sampling (as Magenta.js) and the live session.
#include <algorithm>
#include <cmath>

#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/weights/WeightsReader.h"

namespace toccata::ml {

// ---- model folders -------------------------------------------------------------------------

PianoGenieModel::PianoGenieModel(ModelSpec spec, std::unique_ptr<PianoGenieNetwork> network)
    : m_spec(std::move(spec)), m_network(std::move(network)) {}

core::Result<std::shared_ptr<const PianoGenieModel>> PianoGenieModel::load(
    const std::string& folder) {
    using R = core::Result<std::shared_ptr<const PianoGenieModel>>;
    auto spec = loadModelSpec(folder);
    if (!spec) return R::failure(spec.errorMessage());
    if (spec->family != "piano_genie")
        return R::failure(folder + ": model family is \"" + spec->family + "\", not piano_genie");
    auto weights = readTfjsWeights(folder, spec->weightsManifest);
    if (!weights) return R::failure(weights.errorMessage());
    auto network = PianoGenieNetwork::fromWeights(*weights);
    if (!network) return R::failure(network.errorMessage());
    // A model.json that names a layout or sizes must agree with the weights.
    const PianoGenieNetwork& net = **network;
    if (const core::JsonValue* layout = spec->architecture.find("layout");
        layout && layout->isString()) {
        const std::string have =
            net.layout() == PianoGenieLayout::Tutorial ? "tutorial" : "magentajs";
        if (layout->asString() != have)
            return R::failure(folder + ": architecture.layout is \"" + layout->asString() +
                              "\" but the weights have the " + have + " layout");
    }
    for (const auto& [key, value] :
         {std::pair<const char*, int64_t>{"rnnSize", net.rnnSize()}, {"layers", net.numLayers()}}) {
        const core::JsonValue* v = spec->architecture.find(key);
        if (v && v->isInteger() && v->asInt() != value)
            return R::failure(folder + ": architecture." + key + " is " +
                              std::to_string(v->asInt()) + " but the weights have " +
                              std::to_string(value));
    }
    return R(std::make_shared<const PianoGenieModel>(std::move(*spec), std::move(network.value())));
}

// ---- sampling --------------------------------------------------------------------------------

core::Result<int> pianoGenieSample(const torch::Tensor& logits, const PianoGenieSampling& sampling,
                                   Rng& rng) {
    using R = core::Result<int>;
    const double t = sampling.temperature;
    if (!(t >= 0.0 && t <= 2.0))
        return R::failure("Piano Genie temperature " + std::to_string(t) +
                          " is out of range (0..2)");
    if (!sampling.allowedKeys.empty() &&
        sampling.allowedKeys.size() != static_cast<size_t>(kPianoGenieKeys))
        return R::failure("Piano Genie allowed keys: expected 88 entries (one per key), got " +
                          std::to_string(sampling.allowedKeys.size()));
    if (logits.numel() != kPianoGenieKeys)
        return R::failure("Piano Genie: expected 88 logits, got " + std::to_string(logits.numel()));
    const torch::Tensor l = logits.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const float* all = l.data_ptr<float>();
    std::vector<int> keys;
    for (int k = 0; k < kPianoGenieKeys; ++k)
        if (sampling.allowedKeys.empty() || sampling.allowedKeys[static_cast<size_t>(k)])
            keys.push_back(k);
    if (keys.empty())
        return R::failure("Piano Genie: no key is allowed (the key/scale and range leave none)");
    const size_t n = keys.size();
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = all[keys[i]];
    if (t == 0.0)
        return keys[static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin())];
    // float32 throughout, as tfjs's CPU kernels (div, softmax, multinomial's cumulative sum);
    // the softmax sum is accumulated in double there, and so here.
    if (t != 1.0) {
        const float tf = static_cast<float>(t);
        for (float& x : v) x = x / tf;
    }
    const float maxValue = *std::max_element(v.begin(), v.end());
    double sum = 0.0;
    for (float& x : v) {
        x = static_cast<float>(std::exp(static_cast<double>(x - maxValue)));
        sum += x;
    }
    const float sumF = static_cast<float>(sum);
    const double r = sampling.fixedUniform ? *sampling.fixedUniform : rng.uniform();
    float cdf = 0.0f;
    for (size_t i = 0; i + 1 < n; ++i) {
        const float p = static_cast<float>(static_cast<double>(v[i]) / sumF);
        cdf = i == 0 ? p : cdf + p;
        if (r < cdf) return keys[i];
    }
    return keys[n - 1];
}

// ---- session ---------------------------------------------------------------------------------

PianoGenieSession::PianoGenieSession(std::shared_ptr<const PianoGenieModel> model, uint64_t seed)
    : m_model(std::move(model)), m_rng(seed) {
    reset();
}

void PianoGenieSession::reset() {
    m_state = m_model->network().zeroState(1);
    m_lastKey = -1;
    m_lastTime.reset();
    m_lastLogits = torch::Tensor();
}

core::Result<int> PianoGenieSession::press(int button, double timeSeconds,
                                           const PianoGenieSampling& sampling) {
    const double dt =
        m_lastTime ? std::max(0.0, timeSeconds - *m_lastTime) : kPianoGenieFirstDeltaSeconds;
    auto key = pressAfter(button, dt, sampling);
    if (key) m_lastTime = timeSeconds;
    return key;
}

core::Result<int> PianoGenieSession::pressAfter(int button, double deltaSeconds,
                                                const PianoGenieSampling& sampling) {
    using R = core::Result<int>;
    if (button < 0 || button >= kPianoGenieButtons)
        return R::failure("Piano Genie button " + std::to_string(button) +
                          " is out of range (0..7)");
    if (!(sampling.temperature >= 0.0 && sampling.temperature <= 2.0))
        return R::failure("Piano Genie temperature " + std::to_string(sampling.temperature) +
                          " is out of range (0..2)");
    if (!sampling.allowedKeys.empty()) {
        if (sampling.allowedKeys.size() != static_cast<size_t>(kPianoGenieKeys))
            return R::failure("Piano Genie allowed keys: expected 88 entries (one per key), got " +
                              std::to_string(sampling.allowedKeys.size()));
        if (std::none_of(sampling.allowedKeys.begin(), sampling.allowedKeys.end(),
                         [](bool b) { return b; }))
            return R::failure(
                "Piano Genie: no key is allowed (the key/scale and range leave none)");
    }
    if (std::isnan(deltaSeconds)) deltaSeconds = 0.0;
    deltaSeconds = std::max(0.0, deltaSeconds);
    // Checked above, so the state only advances for a press that sounds.
    m_lastLogits = m_model->network().stepLogits(button, deltaSeconds, m_lastKey, m_state);
    auto key = pianoGenieSample(m_lastLogits, sampling, m_rng);
    if (key) m_lastKey = *key;
    return key;
}

}  // namespace toccata::ml
