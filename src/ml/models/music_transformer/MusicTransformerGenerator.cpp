// Sampling filters and the generation loop of the Music Transformer.
#include "ml/models/music_transformer/MusicTransformerGenerator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ml/generation/Sampling.h"

namespace toccata::ml {

core::Status TransformerSampling::validate() const {
    if (!std::isfinite(temperature) || temperature < 0.0)
        return core::Status::failure("temperature " + std::to_string(temperature) +
                                     " must be a finite number >= 0");
    if (topK < 0) return core::Status::failure("top-k " + std::to_string(topK) + " must be >= 0");
    if (!(topP > 0.0 && topP <= 1.0))
        return core::Status::failure("top-p " + std::to_string(topP) + " must be in (0, 1]");
    return core::Status::success();
}

std::vector<double> filteredProbabilities(const float* logits, int64_t count,
                                          const TransformerSampling& sampling,
                                          const std::vector<bool>* allowed) {
    std::vector<double> p;
    if (sampling.temperature <= 0.0) {
        p.assign(static_cast<size_t>(count), 0.0);
        int64_t best = -1;
        for (int64_t i = 0; i < count; ++i) {
            if (allowed && !(*allowed)[static_cast<size_t>(i)]) continue;
            if (best < 0 || logits[i] > logits[best]) best = i;
        }
        if (best >= 0) p[static_cast<size_t>(best)] = 1.0;
        return p;
    }
    p = temperedSoftmax(logits, count, sampling.temperature, allowed);
    const bool cutK = sampling.topK > 0 && sampling.topK < count;
    if (!cutK && sampling.topP >= 1.0) return p;
    std::vector<int64_t> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return p[size_t(a)] > p[size_t(b)]; });
    const int64_t keepK = cutK ? sampling.topK : count;
    double mass = 0.0;
    int64_t kept = 0;
    for (; kept < keepK; ++kept) {
        if (kept > 0 && mass >= sampling.topP) break;
        mass += p[static_cast<size_t>(order[static_cast<size_t>(kept)])];
    }
    double total = 0.0;
    for (int64_t i = 0; i < count; ++i) {
        if (i < kept)
            total += p[static_cast<size_t>(order[static_cast<size_t>(i)])];
        else
            p[static_cast<size_t>(order[static_cast<size_t>(i)])] = 0.0;
    }
    if (total > 0.0)
        for (double& v : p) v /= total;
    return p;
}

int sampleFiltered(const float* logits, int64_t count, const TransformerSampling& sampling,
                   Rng& rng, const std::vector<bool>* allowed) {
    const std::vector<double> p = filteredProbabilities(logits, count, sampling, allowed);
    if (sampling.temperature <= 0.0)
        return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
    return chooseIndex(p, rng.uniform());
}

std::function<double(int event)> performanceEventSeconds(const PerformanceOneHotEncoding& encoding,
                                                         int stepsPerSecond) {
    std::vector<double> seconds(static_cast<size_t>(encoding.numClasses()), 0.0);
    for (const PerformanceEventRange& r : encoding.ranges())
        if (r.type == PerformanceEvent::kTimeShift)
            for (int v = r.minValue; v <= r.maxValue; ++v)
                seconds[static_cast<size_t>(r.offset + v - r.minValue)] =
                    static_cast<double>(v) / static_cast<double>(stepsPerSecond);
    return [seconds = std::move(seconds)](int event) {
        return event >= 0 && static_cast<size_t>(event) < seconds.size()
                   ? seconds[static_cast<size_t>(event)]
                   : 0.0;
    };
}

core::Result<TransformerGenerationResult> generateMusicTransformer(
    const MusicTransformerNetwork& network, const TransformerGenerationRequest& request) {
    using R = core::Result<TransformerGenerationResult>;
    if (core::Status s = request.sampling.validate(); !s) return R::failure(s.errorMessage());
    if (request.maxEvents < 1)
        return R::failure("events " + std::to_string(request.maxEvents) + " must be >= 1");
    if (request.variations < 1)
        return R::failure("variations " + std::to_string(request.variations) + " must be >= 1");
    if (request.seconds && (!(*request.seconds > 0.0) || !request.eventSeconds))
        return R::failure("a time budget needs seconds > 0 and the codec's event lengths");
    const MusicTransformerArchitecture& a = network.architecture();
    const int64_t B = request.variations, V = a.vocabSize;
    std::vector<int64_t> primer = {kTransformerStartToken};
    for (int e : request.primerEvents) {
        if (e < 0 || e >= a.numEvents())
            return R::failure("primer event " + std::to_string(e) + " is outside the codec's 0.." +
                              std::to_string(a.numEvents() - 1));
        primer.push_back(e + kTransformerReservedTokens);
    }

    TransformerGenerationResult result;
    result.seed = request.seed ? *request.seed : Rng::randomSeed();
    Rng rng(result.seed);
    result.events.assign(static_cast<size_t>(B), {});
    result.seconds.assign(static_cast<size_t>(B), 0.0);
    MusicTransformerCache cache(network, B, request.sliding);
    const auto P = static_cast<int64_t>(primer.size());
    torch::Tensor primerTokens = torch::empty({B, P}, torch::kLong);
    for (int64_t b = 0; b < B; ++b)
        std::copy(primer.begin(), primer.end(), primerTokens.data_ptr<int64_t>() + b * P);
    auto first = cache.prime(primerTokens);
    if (!first) return R::failure(first.errorMessage());
    std::vector<float> logits(first->data_ptr<float>(), first->data_ptr<float>() + B * V);
    // Padding and start are never generated.
    std::vector<bool> allowed(static_cast<size_t>(V), true);
    allowed[kTransformerPadToken] = allowed[kTransformerStartToken] = false;
    std::vector<bool> done(static_cast<size_t>(B), false);
    std::vector<int64_t> next(static_cast<size_t>(B), kTransformerStartToken);
    for (int64_t n = 0; n < request.maxEvents; ++n) {
        if (request.stopToken.stop_requested()) return R::failure("cancelled");
        bool allDone = true;
        for (int64_t b = 0; b < B; ++b) {
            if (done[size_t(b)]) continue;
            const int token =
                sampleFiltered(&logits[size_t(b * V)], V, request.sampling, rng, &allowed);
            const int event = token - static_cast<int>(kTransformerReservedTokens);
            next[size_t(b)] = token;
            result.events[size_t(b)].push_back(event);
            if (request.seconds) {
                result.seconds[size_t(b)] += request.eventSeconds(event);
                if (result.seconds[size_t(b)] >= *request.seconds - 1e-9) done[size_t(b)] = true;
            }
            allDone = allDone && done[size_t(b)];
        }
        if (request.progress) request.progress(n + 1, request.maxEvents);
        if (allDone || n + 1 == request.maxEvents) break;
        const float* out = cache.step(next.data());
        std::copy(out, out + B * V, logits.begin());
    }
    if (!request.seconds && request.eventSeconds)
        for (int64_t b = 0; b < B; ++b)
            for (int e : result.events[size_t(b)])
                result.seconds[size_t(b)] += request.eventSeconds(e);
    return result;
}

}  // namespace toccata::ml
