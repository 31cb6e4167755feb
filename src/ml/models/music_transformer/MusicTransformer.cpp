// Music Transformer network: loading from weights, fresh initialisation and the
// teacher-forced forward pass (see MusicTransformer.h for the design and the weight names).
#include "ml/models/music_transformer/MusicTransformer.h"

#include <cmath>

#include "ml/models/music_transformer/MusicTransformerImpl.h"
#include "ml/models/music_transformer/RelativeAttention.h"

namespace toccata::ml {

namespace {

using NetResult = core::Result<std::unique_ptr<MusicTransformerNetwork>>;

constexpr const char* kPrefix = "transformer/";
constexpr double kLayerNormEps = 1e-5;

torch::Tensor owned(const torch::Tensor& t) {
    return t.detach().to(torch::kCPU, torch::kFloat).contiguous().clone();
}

/// The inference copies are owned float32 CPU tensors too.
torch::Tensor packedCopy(const torch::Tensor& t) { return owned(t); }

cpu::TiledMatrix tiled(const torch::Tensor& kernel) {
    const torch::Tensor k = packedCopy(kernel);
    return cpu::TiledMatrix::pack(k.data_ptr<float>(), k.size(0), k.size(1));
}

/// The architecture field `name` read from the shapes must agree with a non-default hint.
core::Status agree(const std::string& where, const char* name, int64_t fromShapes, int64_t hint,
                   int64_t defaultValue) {
    if (hint != defaultValue && hint != fromShapes)
        return core::Status::failure(where + ": architecture." + name + " is " +
                                     std::to_string(hint) + " but the weights have " +
                                     std::to_string(fromShapes));
    return core::Status::success();
}

}  // namespace

std::string transformerLayerName(int64_t layer, const std::string& suffix) {
    return std::string(kPrefix) + "layer_" + std::to_string(layer) + "/" + suffix;
}

MusicTransformerNetwork::MusicTransformerNetwork() : m(std::make_unique<Impl>()) {}
MusicTransformerNetwork::~MusicTransformerNetwork() = default;

const MusicTransformerArchitecture& MusicTransformerNetwork::architecture() const {
    return m->arch;
}

NetResult MusicTransformerNetwork::fromWeights(const WeightStore& w,
                                               const MusicTransformerArchitecture& hint) {
    const std::string& src = w.source();
    std::unique_ptr<MusicTransformerNetwork> net(new MusicTransformerNetwork());
    Impl& p = *net->m;
    auto get = [&](const std::string& name, std::vector<int64_t> shape,
                   torch::Tensor& out) -> core::Status {
        auto t = w.get(name, shape);
        if (!t) return core::Status::failure(t.errorMessage());
        out = owned(*t);
        return core::Status::success();
    };
#define TOCCATA_TRY(expr)                                                                \
    do {                                                                                 \
        if (core::Status s_ = (expr); !s_) return NetResult::failure(s_.errorMessage()); \
    } while (false)
    TOCCATA_TRY(get(std::string(kPrefix) + "embedding", {-1, -1}, p.embedding));
    MusicTransformerArchitecture& a = p.arch;
    a.vocabSize = p.embedding.size(0);
    a.dModel = p.embedding.size(1);
    if (!w.contains(transformerLayerName(0, "attention/relative_embeddings")))
        return NetResult::failure(src + ": weight \"" +
                                  transformerLayerName(0, "attention/relative_embeddings") +
                                  "\" is missing (not a Music Transformer checkpoint?)");
    auto rel0 = w.get(transformerLayerName(0, "attention/relative_embeddings"), {-1, -1, -1});
    if (!rel0) return NetResult::failure(rel0.errorMessage());
    a.numHeads = rel0->size(0);
    a.maxRelativeDistance = rel0->size(1) - 1;
    if (a.numHeads * rel0->size(2) != a.dModel)
        return NetResult::failure(
            src + ": weight \"" + transformerLayerName(0, "attention/relative_embeddings") +
            "\" has shape " + shapeToString(rel0->sizes()) + ": heads x " +
            "headDim must equal the embedding width " + std::to_string(a.dModel));
    auto ff0 = w.get(transformerLayerName(0, "ffn/dense_1/kernel"), {a.dModel, -1});
    if (!ff0) return NetResult::failure(ff0.errorMessage());
    a.ffSize = ff0->size(1);
    a.contextWindow = hint.contextWindow;
    const int64_t d = a.dModel, H = a.numHeads, D = d / H;
    for (int64_t l = 0; w.contains(transformerLayerName(l, "attention/query/kernel")); ++l) {
        TransformerLayer L;
        auto n = [&](const std::string& s) { return transformerLayerName(l, s); };
        TOCCATA_TRY(get(n("attention/layer_norm/gamma"), {d}, L.ln1Gamma));
        TOCCATA_TRY(get(n("attention/layer_norm/beta"), {d}, L.ln1Beta));
        TOCCATA_TRY(get(n("attention/query/kernel"), {d, d}, L.wq));
        TOCCATA_TRY(get(n("attention/query/bias"), {d}, L.bq));
        TOCCATA_TRY(get(n("attention/key/kernel"), {d, d}, L.wk));
        TOCCATA_TRY(get(n("attention/key/bias"), {d}, L.bk));
        TOCCATA_TRY(get(n("attention/value/kernel"), {d, d}, L.wv));
        TOCCATA_TRY(get(n("attention/value/bias"), {d}, L.bv));
        TOCCATA_TRY(get(n("attention/output/kernel"), {d, d}, L.wo));
        TOCCATA_TRY(get(n("attention/output/bias"), {d}, L.bo));
        TOCCATA_TRY(
            get(n("attention/relative_embeddings"), {H, a.maxRelativeDistance + 1, D}, L.relative));
        TOCCATA_TRY(get(n("ffn/layer_norm/gamma"), {d}, L.ln2Gamma));
        TOCCATA_TRY(get(n("ffn/layer_norm/beta"), {d}, L.ln2Beta));
        TOCCATA_TRY(get(n("ffn/dense_1/kernel"), {d, a.ffSize}, L.w1));
        TOCCATA_TRY(get(n("ffn/dense_1/bias"), {a.ffSize}, L.b1));
        TOCCATA_TRY(get(n("ffn/dense_2/kernel"), {a.ffSize, d}, L.w2));
        TOCCATA_TRY(get(n("ffn/dense_2/bias"), {d}, L.b2));
        p.layers.push_back(std::move(L));
    }
    a.numLayers = static_cast<int64_t>(p.layers.size());
    TOCCATA_TRY(get(std::string(kPrefix) + "final_layer_norm/gamma", {d}, p.finalGamma));
    TOCCATA_TRY(get(std::string(kPrefix) + "final_layer_norm/beta", {d}, p.finalBeta));
    const std::string outKernel = std::string(kPrefix) + "output/kernel";
    const std::string outBias = std::string(kPrefix) + "output/bias";
    a.tiedOutput = !w.contains(outKernel);
    if (!a.tiedOutput) {
        TOCCATA_TRY(get(outKernel, {d, a.vocabSize}, p.outW));
    }
    if (!a.tiedOutput || w.contains(outBias)) {
        TOCCATA_TRY(get(outBias, {a.vocabSize}, p.outB));
    } else {
        p.outB = torch::zeros({a.vocabSize}, torch::kFloat);
    }

    const MusicTransformerArchitecture defaults;
    TOCCATA_TRY(agree(src, "vocabSize", a.vocabSize, hint.vocabSize, defaults.vocabSize));
    TOCCATA_TRY(agree(src, "dModel", a.dModel, hint.dModel, defaults.dModel));
    TOCCATA_TRY(agree(src, "numHeads", a.numHeads, hint.numHeads, defaults.numHeads));
    TOCCATA_TRY(agree(src, "numLayers", a.numLayers, hint.numLayers, defaults.numLayers));
    TOCCATA_TRY(agree(src, "ffSize", a.ffSize, hint.ffSize, defaults.ffSize));
    TOCCATA_TRY(agree(src, "maxRelativeDistance", a.maxRelativeDistance, hint.maxRelativeDistance,
                      defaults.maxRelativeDistance));
    TOCCATA_TRY(a.validate(src));
#undef TOCCATA_TRY

    p.named.emplace_back(std::string(kPrefix) + "embedding", p.embedding);
    for (size_t i = 0; i < p.layers.size(); ++i) {
        const TransformerLayer& L = p.layers[i];
        const auto l = static_cast<int64_t>(i);
        auto add = [&](const std::string& s, const torch::Tensor& t) {
            p.named.emplace_back(transformerLayerName(l, s), t);
        };
        add("attention/layer_norm/gamma", L.ln1Gamma);
        add("attention/layer_norm/beta", L.ln1Beta);
        add("attention/query/kernel", L.wq);
        add("attention/query/bias", L.bq);
        add("attention/key/kernel", L.wk);
        add("attention/key/bias", L.bk);
        add("attention/value/kernel", L.wv);
        add("attention/value/bias", L.bv);
        add("attention/output/kernel", L.wo);
        add("attention/output/bias", L.bo);
        add("attention/relative_embeddings", L.relative);
        add("ffn/layer_norm/gamma", L.ln2Gamma);
        add("ffn/layer_norm/beta", L.ln2Beta);
        add("ffn/dense_1/kernel", L.w1);
        add("ffn/dense_1/bias", L.b1);
        add("ffn/dense_2/kernel", L.w2);
        add("ffn/dense_2/bias", L.b2);
    }
    p.named.emplace_back(std::string(kPrefix) + "final_layer_norm/gamma", p.finalGamma);
    p.named.emplace_back(std::string(kPrefix) + "final_layer_norm/beta", p.finalBeta);
    if (!a.tiedOutput) p.named.emplace_back(outKernel, p.outW);
    p.named.emplace_back(outBias, p.outB);
    net->repack();
    return net;
}

NetResult MusicTransformerNetwork::create(const MusicTransformerArchitecture& arch, uint64_t seed) {
    if (core::Status s = arch.validate("new Music Transformer"); !s)
        return NetResult::failure(s.errorMessage());
    torch::NoGradGuard noGrad;
    auto gen = at::detail::createCPUGenerator(seed);
    const int64_t d = arch.dModel, H = arch.numHeads, D = arch.headDim();
    WeightStore w("new Music Transformer");
    auto glorot = [&](const std::string& name, int64_t in, int64_t out) {
        const double bound = std::sqrt(6.0 / static_cast<double>(in + out));
        w.insert(name, torch::empty({in, out}, torch::kFloat).uniform_(-bound, bound, gen));
    };
    auto constant = [&](const std::string& name, int64_t n, float v) {
        w.insert(name, torch::full({n}, v, torch::kFloat));
    };
    w.insert(std::string(kPrefix) + "embedding",
             torch::empty({arch.vocabSize, d}, torch::kFloat)
                 .normal_(0.0, 1.0 / std::sqrt(static_cast<double>(d)), gen));
    for (int64_t l = 0; l < arch.numLayers; ++l) {
        auto n = [&](const std::string& s) { return transformerLayerName(l, s); };
        constant(n("attention/layer_norm/gamma"), d, 1.0F);
        constant(n("attention/layer_norm/beta"), d, 0.0F);
        for (const char* part : {"query", "key", "value", "output"}) {
            glorot(n(std::string("attention/") + part + "/kernel"), d, d);
            constant(n(std::string("attention/") + part + "/bias"), d, 0.0F);
        }
        w.insert(n("attention/relative_embeddings"),
                 torch::empty({H, arch.maxRelativeDistance + 1, D}, torch::kFloat)
                     .normal_(0.0, 1.0 / std::sqrt(static_cast<double>(D)), gen));
        constant(n("ffn/layer_norm/gamma"), d, 1.0F);
        constant(n("ffn/layer_norm/beta"), d, 0.0F);
        glorot(n("ffn/dense_1/kernel"), d, arch.ffSize);
        constant(n("ffn/dense_1/bias"), arch.ffSize, 0.0F);
        glorot(n("ffn/dense_2/kernel"), arch.ffSize, d);
        constant(n("ffn/dense_2/bias"), d, 0.0F);
    }
    constant(std::string(kPrefix) + "final_layer_norm/gamma", d, 1.0F);
    constant(std::string(kPrefix) + "final_layer_norm/beta", d, 0.0F);
    if (!arch.tiedOutput) glorot(std::string(kPrefix) + "output/kernel", d, arch.vocabSize);
    constant(std::string(kPrefix) + "output/bias", arch.vocabSize, 0.0F);
    return fromWeights(w, arch);
}

std::vector<std::pair<std::string, torch::Tensor>> MusicTransformerNetwork::namedTensors() const {
    return m->named;
}

void MusicTransformerNetwork::repack() {
    torch::NoGradGuard noGrad;
    Impl& p = *m;
    p.packed.clear();
    for (const TransformerLayer& L : p.layers) {
        PackedTransformerLayer q;
        q.ln1Gamma = packedCopy(L.ln1Gamma);
        q.ln1Beta = packedCopy(L.ln1Beta);
        q.wqkv = tiled(torch::cat({L.wq, L.wk, L.wv}, 1));
        q.bqkv = packedCopy(torch::cat({L.bq, L.bk, L.bv}, 0));
        q.wo = tiled(L.wo);
        q.bo = packedCopy(L.bo);
        q.relative = packedCopy(L.relative);
        q.ln2Gamma = packedCopy(L.ln2Gamma);
        q.ln2Beta = packedCopy(L.ln2Beta);
        q.w1 = tiled(L.w1);
        q.b1 = packedCopy(L.b1);
        q.w2 = tiled(L.w2);
        q.b2 = packedCopy(L.b2);
        p.packed.push_back(std::move(q));
    }
    p.pEmbedding = packedCopy(p.embedding);
    p.pFinalGamma = packedCopy(p.finalGamma);
    p.pFinalBeta = packedCopy(p.finalBeta);
    p.pOut = tiled(p.arch.tiedOutput ? p.embedding.t() : p.outW);
    p.pOutB = packedCopy(p.outB);
}

torch::Tensor MusicTransformerNetwork::Impl::blocks(
    torch::Tensor x, double dropout,
    std::vector<std::pair<torch::Tensor, torch::Tensor>>* keysValues) const {
    const bool training = dropout > 0.0;
    const int64_t B = x.size(0), L = x.size(1), d = arch.dModel, H = arch.numHeads;
    const int64_t D = d / H;
    auto heads = [&](const torch::Tensor& t) {  // [B, L, d] -> [B, H, L, D]
        return t.view({B, L, H, D}).transpose(1, 2);
    };
    for (const TransformerLayer& layer : layers) {
        const torch::Tensor h =
            torch::layer_norm(x, {d}, layer.ln1Gamma, layer.ln1Beta, kLayerNormEps);
        const torch::Tensor q = heads(torch::matmul(h, layer.wq) + layer.bq);
        const torch::Tensor k = heads(torch::matmul(h, layer.wk) + layer.bk);
        const torch::Tensor v = heads(torch::matmul(h, layer.wv) + layer.bv);
        if (keysValues) keysValues->emplace_back(k.contiguous(), v.contiguous());
        const torch::Tensor attended = relativeSelfAttention(q, k, v, layer.relative, dropout)
                                           .transpose(1, 2)
                                           .reshape({B, L, d});
        x = x + torch::dropout(torch::matmul(attended, layer.wo) + layer.bo, dropout, training);
        const torch::Tensor h2 =
            torch::layer_norm(x, {d}, layer.ln2Gamma, layer.ln2Beta, kLayerNormEps);
        const torch::Tensor f =
            torch::dropout(torch::relu(torch::matmul(h2, layer.w1) + layer.b1), dropout, training);
        x = x + torch::dropout(torch::matmul(f, layer.w2) + layer.b2, dropout, training);
    }
    const torch::Tensor h = torch::layer_norm(x, {d}, finalGamma, finalBeta, kLayerNormEps);
    return arch.tiedOutput ? torch::matmul(h, embedding.t()) + outB : torch::matmul(h, outW) + outB;
}

torch::Tensor MusicTransformerNetwork::forward(const torch::Tensor& tokens, double dropout) const {
    const double scale = std::sqrt(static_cast<double>(m->arch.dModel));
    torch::Tensor x = m->embedding.index_select(0, tokens.reshape({-1}))
                          .view({tokens.size(0), tokens.size(1), m->arch.dModel}) *
                      scale;
    if (dropout > 0.0) x = torch::dropout(x, dropout, true);
    return m->blocks(x, dropout, nullptr);
}

torch::Tensor MusicTransformerNetwork::forwardWithKeysValues(
    const torch::Tensor& tokens,
    std::vector<std::pair<torch::Tensor, torch::Tensor>>& keysValues) const {
    torch::NoGradGuard noGrad;
    keysValues.clear();
    const double scale = std::sqrt(static_cast<double>(m->arch.dModel));
    const torch::Tensor x = m->embedding.index_select(0, tokens.reshape({-1}))
                                .view({tokens.size(0), tokens.size(1), m->arch.dModel}) *
                            scale;
    return m->blocks(x, 0.0, &keysValues);
}

}  // namespace toccata::ml
