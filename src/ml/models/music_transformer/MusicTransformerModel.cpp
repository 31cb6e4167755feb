// Music Transformer: the architecture's model.json form, the training loss, and model folders.
#include <algorithm>

#include "ml/ModelExport.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/weights/WeightsReader.h"

namespace toccata::ml {

namespace {

struct IntField {
    const char* name;
    int64_t MusicTransformerArchitecture::*member;
};

constexpr IntField kIntFields[] = {
    {"vocabSize", &MusicTransformerArchitecture::vocabSize},
    {"dModel", &MusicTransformerArchitecture::dModel},
    {"numHeads", &MusicTransformerArchitecture::numHeads},
    {"numLayers", &MusicTransformerArchitecture::numLayers},
    {"ffSize", &MusicTransformerArchitecture::ffSize},
    {"maxRelativeDistance", &MusicTransformerArchitecture::maxRelativeDistance},
    {"contextWindow", &MusicTransformerArchitecture::contextWindow},
};

}  // namespace

core::Status MusicTransformerArchitecture::validate(const std::string& where) const {
    for (const IntField& f : kIntFields)
        if (this->*f.member < 1)
            return core::Status::failure(where + ": architecture." + f.name + " is " +
                                         std::to_string(this->*f.member) + ", must be >= 1");
    if (vocabSize <= kTransformerReservedTokens)
        return core::Status::failure(where + ": architecture.vocabSize " +
                                     std::to_string(vocabSize) +
                                     " leaves no event tokens (2 are reserved: pad, start)");
    if (dModel % numHeads != 0)
        return core::Status::failure(where + ": architecture.dModel " + std::to_string(dModel) +
                                     " is not divisible by numHeads " + std::to_string(numHeads));
    return core::Status::success();
}

core::JsonValue MusicTransformerArchitecture::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    for (const IntField& f : kIntFields) o.set(f.name, this->*f.member);
    o.set("tiedOutput", tiedOutput);
    o.set("reservedTokens", kTransformerReservedTokens);
    return o;
}

core::Result<MusicTransformerArchitecture> MusicTransformerArchitecture::fromJson(
    const core::JsonValue& json, const std::string& where) {
    using R = core::Result<MusicTransformerArchitecture>;
    if (!json.isObject()) return R::failure(where + ": architecture must be an object");
    MusicTransformerArchitecture a;
    for (const IntField& f : kIntFields) {
        const core::JsonValue* v = json.find(f.name);
        if (!v) continue;
        if (!v->isInteger())
            return R::failure(where + ": architecture." + f.name + " must be an integer");
        a.*f.member = v->asInt();
    }
    if (const core::JsonValue* v = json.find("tiedOutput")) {
        if (!v->isBool()) return R::failure(where + ": architecture.tiedOutput must be true/false");
        a.tiedOutput = v->asBool();
    }
    if (const core::JsonValue* v = json.find("reservedTokens");
        v && (!v->isInteger() || v->asInt() != kTransformerReservedTokens))
        return R::failure(where + ": architecture.reservedTokens must be 2 (pad, start)");
    if (core::Status s = a.validate(where); !s) return R::failure(s.errorMessage());
    return a;
}

torch::Tensor transformerLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                              int64_t* count) {
    const torch::Tensor flatTargets = targets.reshape({-1});
    const torch::Tensor logp = torch::log_softmax(logits.reshape({-1, logits.size(-1)}), -1);
    const torch::Tensor mask = flatTargets.ne(kTransformerPadToken).to(logp.scalar_type());
    const torch::Tensor nll = -logp.gather(1, flatTargets.unsqueeze(1)).squeeze(1) * mask;
    const double n = mask.sum().item<double>();
    if (count) *count = static_cast<int64_t>(n);
    return n > 0 ? nll.sum() / n : nll.sum() * 0.0;
}

std::pair<torch::Tensor, torch::Tensor> transformerTeacherForcing(
    const std::vector<std::vector<int>>& eventWindows) {
    size_t length = 0;
    for (const auto& w : eventWindows) length = std::max(length, w.size());
    const auto B = static_cast<int64_t>(eventWindows.size());
    const auto L = static_cast<int64_t>(length);
    torch::Tensor inputs = torch::full({B, L}, kTransformerPadToken, torch::kLong);
    torch::Tensor targets = torch::full({B, L}, kTransformerPadToken, torch::kLong);
    auto in = inputs.accessor<int64_t, 2>();
    auto out = targets.accessor<int64_t, 2>();
    for (int64_t b = 0; b < B; ++b) {
        const auto& w = eventWindows[static_cast<size_t>(b)];
        if (L > 0) in[b][0] = kTransformerStartToken;
        for (int64_t t = 0; t < static_cast<int64_t>(w.size()); ++t) {
            const int e = w[static_cast<size_t>(t)];
            if (e < 0) break;  // padding: the rest stays pad
            out[b][t] = e + kTransformerReservedTokens;
            if (t + 1 < L) in[b][t + 1] = e + kTransformerReservedTokens;
        }
    }
    return {inputs, targets};
}

MusicTransformerModel::MusicTransformerModel(core::JsonValue spec,
                                             std::unique_ptr<MusicTransformerNetwork> net)
    : m_modelJson(std::move(spec)), m_network(std::move(net)) {}

core::Result<std::shared_ptr<const MusicTransformerModel>> MusicTransformerModel::load(
    const std::string& folder) {
    using R = core::Result<std::shared_ptr<const MusicTransformerModel>>;
    auto spec = loadModelSpec(folder);
    if (!spec) return R::failure(spec.errorMessage());
    if (spec->family != "music_transformer")
        return R::failure(folder + ": model family is \"" + spec->family +
                          "\", not music_transformer");
    auto arch = MusicTransformerArchitecture::fromJson(spec->architecture, folder + "/model.json");
    if (!arch) return R::failure(arch.errorMessage());
    auto weights = readTfjsWeights(folder, spec->weightsManifest);
    if (!weights) return R::failure(weights.errorMessage());
    auto net = MusicTransformerNetwork::fromWeights(*weights, *arch);
    if (!net) return R::failure(net.errorMessage());
    if ((*net)->architecture().tiedOutput != arch->tiedOutput)
        return R::failure(folder + ": architecture.tiedOutput disagrees with the weights (" +
                          std::string((*net)->architecture().tiedOutput ? "no" : "an") +
                          " transformer/output/kernel)");
    return R(
        std::make_shared<const MusicTransformerModel>(spec->toModelJson(), std::move(net.value())));
}

core::Status saveMusicTransformer(const std::string& folder, const MusicTransformerNetwork& network,
                                  const std::string& id, const core::JsonValue& codec,
                                  const core::JsonValue& provenance, const core::JsonValue& license,
                                  bool overwrite) {
    ModelSpec spec;
    spec.id = id;
    spec.family = "music_transformer";
    spec.config = "music_transformer";
    spec.description = "Music Transformer (relative attention), " +
                       std::to_string(network.architecture().numLayers) + " layers, d " +
                       std::to_string(network.architecture().dModel);
    spec.architecture = network.architecture().toJson();
    spec.codec = codec;
    spec.provenance = provenance;
    spec.license = license;
    std::vector<std::pair<std::string, torch::Tensor>> weights;
    for (auto& [name, t] : network.namedTensors())
        weights.emplace_back(name, t.detach().to(torch::kCPU).contiguous());
    ModelExportOptions options;
    options.overwrite = overwrite;
    return writeModelFolder(folder, spec.toModelJson(), weights, options);
}

}  // namespace toccata::ml
