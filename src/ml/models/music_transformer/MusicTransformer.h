// Music Transformer (Huang et al. 2018): a decoder-only transformer over performance events with
// learned relative position self-attention (Shaw et al. 2018) computed with the memory-efficient
// "skewing" of relative logits (RelativeAttention.h).
//
// Design choices (docs: this header is their home):
//  - Tokens: 0 = padding (never predicted, ignored by the loss), 1 = start (the first input of
//    every sequence, never sampled); event e of the codec (e.g. the 388-class performance
//    one-hot) is token e + 2, as Magenta's tensor2tensor models reserve PAD = 0 and EOS = 1.
//  - Pre-LayerNorm blocks (x += Attn(LN(x)); x += FFN(LN(x))) and a final LayerNorm: trains
//    without warm-up tricks, as tensor2tensor's Music Transformer ("n" pre-processing).
//  - Token embedding scaled by sqrt(dModel); ReLU feed-forward; dropout on the embedding,
//    the attention weights, the ReLU output and each residual branch (training only).
//  - Relative embeddings per layer AND per head, [heads, maxRelativeDistance + 1, headDim]:
//    row r is the relative distance j - i = r - maxRelativeDistance (only j <= i: causal);
//    farther keys use row 0 (Shaw's clipping).
//  - Output projection `output/kernel` [dModel, vocab] + bias, or, when the weights have no
//    `output/kernel`, tied to the embedding (logits = h . embedding^T + optional bias).
// Weights (TF.js manifest, float32; kernels [in, out] as TF's Dense), under `transformer/`:
//   embedding [vocab, d]; layer_<l>/attention/{layer_norm/{gamma,beta}, query|key|value|output/
//   {kernel [d, d], bias [d]}, relative_embeddings [heads, R + 1, d / heads]};
//   layer_<l>/ffn/{layer_norm/{gamma,beta}, dense_1/{kernel [d, ff], bias}, dense_2/{kernel
//   [ff, d], bias}}; final_layer_norm/{gamma,beta}; output/{kernel [d, vocab], bias [vocab]}.
// [any] for the const network once built; repack() and training updates on one thread.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

inline constexpr int64_t kTransformerPadToken = 0;
inline constexpr int64_t kTransformerStartToken = 1;
inline constexpr int64_t kTransformerReservedTokens = 2;  ///< event e <-> token e + 2

/// model.json "architecture" of family "music_transformer".
struct MusicTransformerArchitecture {
    int64_t vocabSize = 390;  ///< reserved tokens + codec events (388 performance events)
    int64_t dModel = 256;
    int64_t numHeads = 8;
    int64_t numLayers = 6;
    int64_t ffSize = 1024;
    int64_t maxRelativeDistance = 512;  ///< R: relative distances beyond R share one embedding
    int64_t contextWindow = 1024;       ///< W: training length and the KV cache's size
    bool tiedOutput = false;            ///< logits through the embedding matrix

    int64_t headDim() const { return dModel / numHeads; }
    int64_t numEvents() const { return vocabSize - kTransformerReservedTokens; }
    /// Errors name `where` and the bad field (sizes < 1, dModel not divisible by heads...).
    core::Status validate(const std::string& where) const;
    core::JsonValue toJson() const;
    /// Reads the fields present (others keep their defaults), then validates.
    static core::Result<MusicTransformerArchitecture> fromJson(const core::JsonValue& json,
                                                               const std::string& where);
};

class MusicTransformerNetwork {
public:
    /// Reads every size from the weight shapes (vocab, dModel, layers, heads, ffSize, R);
    /// contextWindow comes from `hint` (its other fields, when they disagree with the shapes,
    /// are an error naming the field). Errors name the source and the bad variable.
    static core::Result<std::unique_ptr<MusicTransformerNetwork>> fromWeights(
        const WeightStore& weights, const MusicTransformerArchitecture& hint);
    /// Fresh weights for training or benchmarks: Glorot-uniform kernels, zero biases, unit
    /// LayerNorms, embedding N(0, 1/d), relative embeddings N(0, 1/headDim); from `seed`.
    static core::Result<std::unique_ptr<MusicTransformerNetwork>> create(
        const MusicTransformerArchitecture& arch, uint64_t seed);

    const MusicTransformerArchitecture& architecture() const;

    /// Teacher-forced logits: tokens [B, L] (int64, L <= contextWindow; padding at the end
    /// only, as causality keeps it from reaching earlier positions) -> [B, L, vocab].
    /// Differentiable; dropout > 0 turns on training-time dropout.
    torch::Tensor forward(const torch::Tensor& tokens, double dropout = 0.0) const;
    /// The same without dropout or autograd, also returning each layer's keys and values
    /// [B, heads, L, headDim] (what a KV cache holds after these tokens).
    torch::Tensor forwardWithKeysValues(
        const torch::Tensor& tokens,
        std::vector<std::pair<torch::Tensor, torch::Tensor>>& keysValues) const;

    /// Every trainable tensor under its weights-file name, shared with the network (a
    /// trainer updating them in place trains it; call repack() before inference then).
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors() const;
    /// Rebuilds the packed inference copies the KV-cached step reads.
    void repack();

    struct Impl;
    const Impl& impl() const { return *m; }

    ~MusicTransformerNetwork();
    MusicTransformerNetwork(const MusicTransformerNetwork&) = delete;
    MusicTransformerNetwork& operator=(const MusicTransformerNetwork&) = delete;

private:
    MusicTransformerNetwork();
    std::unique_ptr<Impl> m;
};

/// Mean cross-entropy (nats per target token) of logits [B, L, V] against targets [B, L],
/// ignoring kTransformerPadToken targets; `count` receives the number of scored targets.
/// Differentiable. Returns 0 when nothing is scored.
torch::Tensor transformerLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                              int64_t* count = nullptr);

/// Teacher forcing for event windows (codec event indices, -1 = padding after the end):
/// inputs [B, L] = [start, t1 .. t(L-1)], targets [B, L] = [t1 .. tL] with t = event + 2.
std::pair<torch::Tensor, torch::Tensor> transformerTeacherForcing(
    const std::vector<std::vector<int>>& eventWindows);

/// A Music Transformer model folder (model.json family "music_transformer" + TF.js weights).
class MusicTransformerModel {
public:
    static core::Result<std::shared_ptr<const MusicTransformerModel>> load(
        const std::string& folder);
    MusicTransformerModel(core::JsonValue spec, std::unique_ptr<MusicTransformerNetwork> net);

    const MusicTransformerNetwork& network() const { return *m_network; }
    const core::JsonValue& modelJson() const { return m_modelJson; }

private:
    core::JsonValue m_modelJson;
    std::unique_ptr<MusicTransformerNetwork> m_network;
};

/// Writes `network` as a model folder (model.json + weights). `codec`, `provenance` and
/// `license` fill model.json (codec.encoding is required by the loader). [worker]
core::Status saveMusicTransformer(const std::string& folder, const MusicTransformerNetwork& network,
                                  const std::string& id, const core::JsonValue& codec,
                                  const core::JsonValue& provenance, const core::JsonValue& license,
                                  bool overwrite);

}  // namespace toccata::ml
