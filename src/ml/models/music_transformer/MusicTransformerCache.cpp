// KV-cached incremental decoding of the Music Transformer (see MusicTransformerCache.h).
#include "ml/models/music_transformer/MusicTransformerCache.h"

#include <cmath>
#include <cstring>

#include "ml/layers/CpuKernels.h"
#include "ml/models/music_transformer/MusicTransformerImpl.h"

namespace toccata::ml {

namespace {
constexpr float kLayerNormEps = 1e-5F;
}

MusicTransformerCache::MusicTransformerCache(const MusicTransformerNetwork& network, int64_t batch,
                                             SlidingContext sliding)
    : m_net(network),
      m_batch(std::max<int64_t>(batch, 1)),
      m_window(network.architecture().contextWindow),
      m_sliding(sliding) {
    const MusicTransformerArchitecture& a = network.architecture();
    const auto perLayer = static_cast<size_t>(m_batch * a.dModel * m_window);
    m_keys.assign(static_cast<size_t>(a.numLayers), std::vector<float>(perLayer));
    m_values.assign(static_cast<size_t>(a.numLayers), std::vector<float>(perLayer));
    m_history.assign(static_cast<size_t>(m_batch * m_window), 0);
    const auto B = static_cast<size_t>(m_batch);
    m_x.resize(B * a.dModel);
    m_h.resize(B * a.dModel);
    m_qkv.resize(B * 3 * a.dModel);
    m_att.resize(B * a.dModel);
    m_tmp.resize(B * a.dModel);
    m_ff.resize(B * a.ffSize);
    m_logits.resize(B * a.vocabSize);
    m_scores.resize(static_cast<size_t>(m_window));
    m_relRow.resize(static_cast<size_t>(a.maxRelativeDistance + 1));
    m_rel.resize(static_cast<size_t>(m_window));
    m_age.resize(static_cast<size_t>(m_window));
}

void MusicTransformerCache::reset() {
    m_position = 0;
    m_fed = 0;
}

const float* MusicTransformerCache::step(const int64_t* tokens) {
    const cpu::ScopedFlushDenormals flushDenormals;
    const MusicTransformerNetwork::Impl& p = m_net.impl();
    const MusicTransformerArchitecture& a = p.arch;
    if (m_position >= m_window && m_sliding == SlidingContext::kReprime) reprime();
    const int64_t d = a.dModel, H = a.numHeads, D = d / H, B = m_batch, W = m_window;
    const int64_t R = a.maxRelativeDistance;
    const int64_t pos = m_position, slot = pos % W, count = std::min(pos + 1, W);
    const auto scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
    const auto embScale = static_cast<float>(std::sqrt(static_cast<double>(d)));
    const float* emb = p.pEmbedding.data_ptr<float>();
    for (int64_t b = 0; b < B; ++b) {
        const float* e = emb + tokens[b] * d;
        for (int64_t i = 0; i < d; ++i) m_x[b * d + i] = e[i] * embScale;
        m_history[b * W + m_fed % W] = tokens[b];
    }
    // Relative logit index per slot: age = distance back from this position (ring order).
    const int64_t maxAge = std::min(count - 1, R);
    for (int64_t s = 0; s < count; ++s) m_age[s] = std::min(((pos - s) % W + W) % W, R);

    for (size_t l = 0; l < p.packed.size(); ++l) {
        const PackedTransformerLayer& L = p.packed[l];
        for (int64_t b = 0; b < B; ++b)
            cpu::layerNorm(&m_x[b * d], d, L.ln1Gamma.data_ptr<float>(),
                           L.ln1Beta.data_ptr<float>(), kLayerNormEps, &m_h[b * d]);
        cpu::denseForward(L.wqkv, L.bqkv.data_ptr<float>(), m_h.data(), B, m_qkv.data(), m_nonZero);
        float* keys = m_keys[l].data();
        float* values = m_values[l].data();
        const float* rel = L.relative.data_ptr<float>();
        for (int64_t b = 0; b < B; ++b) {
            const float* q = &m_qkv[b * 3 * d];
            for (int64_t h = 0; h < H; ++h) {
                float* kh = keys + ((b * H + h) * W) * D;
                float* vh = values + ((b * H + h) * W) * D;
                std::memcpy(kh + slot * D, q + d + h * D, sizeof(float) * D);
                std::memcpy(vh + slot * D, q + 2 * d + h * D, sizeof(float) * D);
                const float* qh = q + h * D;
                const float* relH = rel + h * (R + 1) * D;
                for (int64_t age = 0; age <= maxAge; ++age)
                    m_relRow[age] = cpu::dot(qh, relH + (R - age) * D, D);
                for (int64_t s = 0; s < count; ++s) m_rel[s] = m_relRow[m_age[s]];
                cpu::attendCached(qh, kh, vh, D, count, D, m_rel.data(), scale, m_scores.data(),
                                  &m_att[b * d + h * D]);
            }
        }
        cpu::denseForward(L.wo, L.bo.data_ptr<float>(), m_att.data(), B, m_tmp.data(), m_nonZero);
        for (int64_t i = 0; i < B * d; ++i) m_x[i] += m_tmp[i];
        for (int64_t b = 0; b < B; ++b)
            cpu::layerNorm(&m_x[b * d], d, L.ln2Gamma.data_ptr<float>(),
                           L.ln2Beta.data_ptr<float>(), kLayerNormEps, &m_h[b * d]);
        cpu::denseForward(L.w1, L.b1.data_ptr<float>(), m_h.data(), B, m_ff.data(), m_nonZero);
        for (float& v : m_ff) v = v > 0.0F ? v : 0.0F;
        cpu::denseForward(L.w2, L.b2.data_ptr<float>(), m_ff.data(), B, m_tmp.data(), m_nonZero);
        for (int64_t i = 0; i < B * d; ++i) m_x[i] += m_tmp[i];
    }
    for (int64_t b = 0; b < B; ++b)
        cpu::layerNorm(&m_x[b * d], d, p.pFinalGamma.data_ptr<float>(),
                       p.pFinalBeta.data_ptr<float>(), kLayerNormEps, &m_h[b * d]);
    cpu::denseForward(p.pOut, p.pOutB.data_ptr<float>(), m_h.data(), B, m_logits.data(), m_nonZero);
    ++m_position;
    ++m_fed;
    return m_logits.data();
}

core::Result<torch::Tensor> MusicTransformerCache::step(const std::vector<int64_t>& tokens) {
    using R = core::Result<torch::Tensor>;
    const int64_t V = m_net.architecture().vocabSize;
    if (static_cast<int64_t>(tokens.size()) != m_batch)
        return R::failure("Music Transformer step: " + std::to_string(tokens.size()) +
                          " tokens for a batch of " + std::to_string(m_batch));
    for (int64_t t : tokens)
        if (t < 0 || t >= V)
            return R::failure("Music Transformer step: token " + std::to_string(t) +
                              " is outside the vocabulary 0.." + std::to_string(V - 1));
    const float* logits = step(tokens.data());
    return torch::from_blob(const_cast<float*>(logits), {m_batch, V}, torch::kFloat).clone();
}

void MusicTransformerCache::fillFromForward(const torch::Tensor& tokens,
                                            torch::Tensor* lastLogits) {
    const MusicTransformerArchitecture& a = m_net.architecture();
    const int64_t P = tokens.size(1), H = a.numHeads, D = a.headDim(), W = m_window;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> kv;
    const torch::Tensor logits = m_net.forwardWithKeysValues(tokens, kv);
    for (size_t l = 0; l < kv.size(); ++l) {
        const torch::Tensor k = kv[l].first.to(torch::kCPU, torch::kFloat).contiguous();
        const torch::Tensor v = kv[l].second.to(torch::kCPU, torch::kFloat).contiguous();
        for (int64_t bh = 0; bh < m_batch * H; ++bh) {
            std::memcpy(m_keys[l].data() + bh * W * D, k.data_ptr<float>() + bh * P * D,
                        sizeof(float) * P * D);
            std::memcpy(m_values[l].data() + bh * W * D, v.data_ptr<float>() + bh * P * D,
                        sizeof(float) * P * D);
        }
    }
    m_position = P;
    if (lastLogits) *lastLogits = logits.select(1, P - 1).to(torch::kCPU).contiguous().clone();
}

void MusicTransformerCache::reprime() {
    const int64_t W = m_window, keep = std::max<int64_t>(W / 2, 1);
    torch::Tensor tokens = torch::empty({m_batch, keep}, torch::kLong);
    auto acc = tokens.accessor<int64_t, 2>();
    for (int64_t b = 0; b < m_batch; ++b)
        for (int64_t i = 0; i < keep; ++i) acc[b][i] = m_history[b * W + (m_fed - keep + i) % W];
    fillFromForward(tokens, nullptr);
}

core::Result<torch::Tensor> MusicTransformerCache::prime(const torch::Tensor& tokens) {
    using R = core::Result<torch::Tensor>;
    const int64_t V = m_net.architecture().vocabSize;
    if (tokens.dim() != 2 || tokens.size(0) != m_batch || tokens.size(1) < 1)
        return R::failure("Music Transformer prime: expected tokens [" + std::to_string(m_batch) +
                          ", P >= 1], got " + shapeToString(tokens.sizes()));
    const torch::Tensor t = tokens.to(torch::kCPU, torch::kLong).contiguous();
    if (t.min().item<int64_t>() < 0 || t.max().item<int64_t>() >= V)
        return R::failure("Music Transformer prime: a token is outside the vocabulary 0.." +
                          std::to_string(V - 1));
    reset();
    const int64_t P = t.size(1), first = std::min(P, m_window);
    torch::Tensor last;
    fillFromForward(t.narrow(1, 0, first), &last);
    auto acc = t.accessor<int64_t, 2>();
    for (int64_t b = 0; b < m_batch; ++b)
        for (int64_t i = 0; i < first; ++i) m_history[b * m_window + i] = acc[b][i];
    m_fed = first;
    std::vector<int64_t> column(static_cast<size_t>(m_batch));
    for (int64_t i = first; i < P; ++i) {
        for (int64_t b = 0; b < m_batch; ++b) column[b] = acc[b][i];
        auto logits = step(column);
        if (!logits) return logits;
        last = *logits;
    }
    return last;
}

}  // namespace toccata::ml
