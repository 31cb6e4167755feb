#include "ml/generation/Sampling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace toccata::ml {

std::vector<double> temperedSoftmax(const float* logits, int64_t count, double temperature,
                                    const std::vector<bool>* allowed) {
    const double t = temperature > 0.0 ? temperature : 1.0;
    std::vector<double> p(static_cast<size_t>(count), 0.0);
    bool any = false;
    if (allowed != nullptr) {
        for (int64_t i = 0; i < count; ++i) any = any || (*allowed)[static_cast<size_t>(i)];
    }
    const bool useMask = allowed != nullptr && any;
    double maxValue = -std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < count; ++i) {
        if (useMask && !(*allowed)[static_cast<size_t>(i)]) continue;
        maxValue = std::max(maxValue, static_cast<double>(logits[i]) / t);
    }
    double sum = 0.0;
    for (int64_t i = 0; i < count; ++i) {
        if (useMask && !(*allowed)[static_cast<size_t>(i)]) continue;
        const double e = std::exp(static_cast<double>(logits[i]) / t - maxValue);
        p[static_cast<size_t>(i)] = e;
        sum += e;
    }
    if (sum > 0.0) {
        for (double& v : p) v /= sum;
    }
    return p;
}

int chooseIndex(const std::vector<double>& probabilities, double u) {
    double total = 0.0;
    for (double v : probabilities) total += v;
    if (!(total > 0.0)) return 0;
    double cumulative = 0.0;
    for (size_t i = 0; i < probabilities.size(); ++i) {
        cumulative += probabilities[i];
        if (cumulative / total > u) return static_cast<int>(i);
    }
    // u close to 1 and rounding: the last class with probability > 0.
    for (size_t i = probabilities.size(); i-- > 0;)
        if (probabilities[i] > 0.0) return static_cast<int>(i);
    return 0;
}

SampledClass sampleClass(const float* logits, int64_t count, double temperature, Rng& rng,
                         const std::vector<bool>* allowed) {
    const std::vector<double> p = temperedSoftmax(logits, count, temperature, allowed);
    SampledClass out;
    if (temperature > 0.0) {
        out.index = chooseIndex(p, rng.uniform());
    } else {
        out.index = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
    }
    out.logProbability = std::log(p[static_cast<size_t>(out.index)]);
    return out;
}

std::vector<int64_t> topK(const std::vector<double>& scores, int64_t k) {
    std::vector<int64_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
    });
    order.resize(
        static_cast<size_t>(std::clamp<int64_t>(k, 0, static_cast<int64_t>(order.size()))));
    return order;
}

}  // namespace toccata::ml
