// Music Transformer generation: a primer of codec events is fed (one batched forward), then
// events are sampled one at a time through the KV cache (MusicTransformerCache) with
// temperature, top-k and top-p (nucleus) filtering, for a number of events or until a time
// budget (seconds advanced by TIME_SHIFT events) is filled; several variations decode in one
// batch. Seeded: the same seed, model and request give the same events. [worker]
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/models/music_transformer/MusicTransformerCache.h"

namespace toccata::ml {

struct TransformerSampling {
    double temperature = 1.0;  ///< 0 = greedy (argmax)
    int64_t topK = 0;          ///< keep the k most likely tokens; 0 = all
    double topP = 1.0;         ///< keep the smallest most-likely set with mass >= p; 1 = all

    /// Errors name the field: temperature < 0 or not finite, topK < 0, topP outside (0, 1].
    core::Status validate() const;
};

/// softmax(logits / T) over the allowed classes (nullptr: all), then top-k, then top-p, then
/// renormalised; classes cut are 0. Equal probabilities keep their index order. T = 0: the
/// first maximum gets 1.
std::vector<double> filteredProbabilities(const float* logits, int64_t count,
                                          const TransformerSampling& sampling,
                                          const std::vector<bool>* allowed = nullptr);
/// Draws a class from filteredProbabilities (greedy T = 0 draws no random number).
int sampleFiltered(const float* logits, int64_t count, const TransformerSampling& sampling,
                   Rng& rng, const std::vector<bool>* allowed = nullptr);

struct TransformerGenerationRequest {
    std::vector<int> primerEvents;  ///< codec events (0 .. numEvents-1); may be empty
    int64_t maxEvents = 1024;       ///< events to generate (the cap when `seconds` is set)
    /// Stop a variation once its generated events advance this many seconds.
    std::optional<double> seconds;
    /// Seconds an event advances time (a TIME_SHIFT's length, 0 for others); required with
    /// `seconds`.
    std::function<double(int event)> eventSeconds;
    int64_t variations = 1;
    TransformerSampling sampling;
    std::optional<uint64_t> seed;  ///< none: a random seed
    SlidingContext sliding = SlidingContext::kShift;
    std::stop_token stopToken;  ///< checked between steps: a stop ends with error "cancelled"
    std::function<void(int64_t done, int64_t total)> progress;  ///< after each step [worker]
};

struct TransformerGenerationResult {
    std::vector<std::vector<int>> events;  ///< per variation, the generated events only
    std::vector<double> seconds;           ///< per variation, time they advance
    uint64_t seed = 0;
};

/// TransformerGenerationRequest::eventSeconds for a performance encoding: a TIME_SHIFT class
/// advances value / stepsPerSecond seconds, every other class 0.
std::function<double(int event)> performanceEventSeconds(const PerformanceOneHotEncoding& encoding,
                                                         int stepsPerSecond);

/// Errors: bad sampling, maxEvents < 1, variations < 1, seconds <= 0 or without
/// eventSeconds, a primer event outside the codec, "cancelled".
core::Result<TransformerGenerationResult> generateMusicTransformer(
    const MusicTransformerNetwork& network, const TransformerGenerationRequest& request);

}  // namespace toccata::ml
