// EventBaselines: unigram and bigram models of event-class sequences, fitted on training
// sequences and scored on held-out ones, to report next to a model's NLL per event. Unigram:
// add-one smoothed counts. Bigram: Witten-Bell interpolation with that unigram,
// P(w | v) = (c(v, w) + T(v) P1(w)) / (c(v) + T(v)), T(v) = distinct successors of v (an
// unseen v falls back to P1). Positions scored are those a next-event model predicts: 1 .. n-1
// of each sequence (the first event of a sequence only conditions). NLL in nats per event. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

class EventBaselines {
public:
    /// Errors: numClasses < 1, a class outside 0..numClasses-1 (names sequence and position).
    static core::Result<EventBaselines> fit(const std::vector<std::vector<int>>& sequences,
                                            int numClasses);

    struct Scores {
        double unigramNll = 0.0;  ///< nats per scored event
        double bigramNll = 0.0;
        int64_t events = 0;  ///< events scored
        std::string toString() const;
    };
    /// Errors: a class outside the range, no position to score.
    core::Result<Scores> evaluate(const std::vector<std::vector<int>>& sequences) const;

    double unigramProbability(int next) const;
    double bigramProbability(int previous, int next) const;
    int numClasses() const { return m_numClasses; }

private:
    EventBaselines() = default;
    int m_numClasses = 0;
    std::vector<double> m_unigram;                // add-one probabilities
    std::vector<std::vector<int64_t>> m_bigrams;  // [previous][next] counts
    std::vector<int64_t> m_previousTotals;        // c(v)
    std::vector<int64_t> m_distinctNext;          // T(v)
};

}  // namespace toccata::ml
