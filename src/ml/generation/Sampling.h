// Sampling: temperature softmax and categorical sampling of one class from logits, as Magenta's
// generation does it: probabilities = softmax(logits / T), the class drawn like
// numpy.random.choice (first index whose cumulative probability exceeds a uniform number).
// T = 0 means greedy (argmax; its log-probability is taken at T = 1). A mask can forbid
// classes (key/scale constraints); the rest is renormalised. [any]
#pragma once

#include <cstdint>
#include <vector>

#include "ml/generation/Rng.h"

namespace toccata::ml {

/// softmax(logits / temperature) in double; temperature <= 0 is treated as 1.
std::vector<double> temperedSoftmax(const float* logits, int64_t count, double temperature,
                                    const std::vector<bool>* allowed = nullptr);

struct SampledClass {
    int index = 0;
    double logProbability = 0.0;  // log p(index) under the (masked) tempered softmax
};

/// Draws one class. `allowed` (optional, one flag per class) masks classes out; when it
/// allows none, it is ignored. Greedy when temperature == 0 (no random number is used).
SampledClass sampleClass(const float* logits, int64_t count, double temperature, Rng& rng,
                         const std::vector<bool>* allowed = nullptr);

/// numpy.random.choice(len(p), p=p) with the uniform number u in [0, 1).
int chooseIndex(const std::vector<double>& probabilities, double u);

/// Indices of the k largest scores, best first; equal scores keep their order (as Python's
/// heapq.nlargest, which beam search uses to prune).
std::vector<int64_t> topK(const std::vector<double>& scores, int64_t k);

}  // namespace toccata::ml
