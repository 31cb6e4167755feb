#include "ml/data/EventBaselines.h"

#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace toccata::ml {

core::Result<EventBaselines> EventBaselines::fit(const std::vector<std::vector<int>>& sequences,
                                                 int numClasses) {
    if (numClasses < 1)
        return core::Error{"EventBaselines: number of classes must be >= 1, got " +
                           std::to_string(numClasses)};
    EventBaselines b;
    b.m_numClasses = numClasses;
    const size_t k = static_cast<size_t>(numClasses);
    std::vector<int64_t> counts(k, 0);
    b.m_bigrams.assign(k, std::vector<int64_t>(k, 0));
    b.m_previousTotals.assign(k, 0);
    b.m_distinctNext.assign(k, 0);
    int64_t total = 0;
    for (size_t s = 0; s < sequences.size(); ++s) {
        const std::vector<int>& seq = sequences[s];
        for (size_t i = 0; i < seq.size(); ++i) {
            if (seq[i] < 0 || seq[i] >= numClasses)
                return core::Error{"EventBaselines: class " + std::to_string(seq[i]) +
                                   " (sequence " + std::to_string(s) + ", position " +
                                   std::to_string(i) + ") is outside 0.." +
                                   std::to_string(numClasses - 1)};
            ++counts[static_cast<size_t>(seq[i])];
            ++total;
            if (i == 0) continue;
            int64_t& c = b.m_bigrams[static_cast<size_t>(seq[i - 1])][static_cast<size_t>(seq[i])];
            if (c == 0) ++b.m_distinctNext[static_cast<size_t>(seq[i - 1])];
            ++c;
            ++b.m_previousTotals[static_cast<size_t>(seq[i - 1])];
        }
    }
    b.m_unigram.resize(k);
    for (size_t c = 0; c < k; ++c)
        b.m_unigram[c] =
            static_cast<double>(counts[c] + 1) / static_cast<double>(total + numClasses);
    return b;
}

double EventBaselines::unigramProbability(int next) const {
    if (next < 0 || next >= m_numClasses) return 0.0;
    return m_unigram[static_cast<size_t>(next)];
}

double EventBaselines::bigramProbability(int previous, int next) const {
    if (next < 0 || next >= m_numClasses) return 0.0;
    if (previous < 0 || previous >= m_numClasses) return unigramProbability(next);
    const size_t v = static_cast<size_t>(previous);
    const double cv = static_cast<double>(m_previousTotals[v]);
    const double tv = static_cast<double>(m_distinctNext[v]);
    if (cv == 0.0) return unigramProbability(next);
    const double cvw = static_cast<double>(m_bigrams[v][static_cast<size_t>(next)]);
    return (cvw + tv * unigramProbability(next)) / (cv + tv);
}

core::Result<EventBaselines::Scores> EventBaselines::evaluate(
    const std::vector<std::vector<int>>& sequences) const {
    Scores scores;
    double uni = 0.0, bi = 0.0;
    for (size_t s = 0; s < sequences.size(); ++s) {
        const std::vector<int>& seq = sequences[s];
        for (size_t i = 0; i < seq.size(); ++i) {
            if (seq[i] < 0 || seq[i] >= m_numClasses)
                return core::Error{"EventBaselines: class " + std::to_string(seq[i]) +
                                   " (sequence " + std::to_string(s) + ", position " +
                                   std::to_string(i) + ") is outside 0.." +
                                   std::to_string(m_numClasses - 1)};
            if (i == 0) continue;
            uni -= std::log(unigramProbability(seq[i]));
            bi -= std::log(bigramProbability(seq[i - 1], seq[i]));
            ++scores.events;
        }
    }
    if (scores.events == 0)
        return core::Error{"EventBaselines: no event to score (sequences need 2+ events)"};
    scores.unigramNll = uni / static_cast<double>(scores.events);
    scores.bigramNll = bi / static_cast<double>(scores.events);
    return scores;
}

std::string EventBaselines::Scores::toString() const {
    char text[160];
    std::snprintf(text, sizeof text,
                  "unigram %.4f nats/event, bigram %.4f nats/event (%lld events)", unigramNll,
                  bigramNll, static_cast<long long>(events));
    return text;
}

}  // namespace toccata::ml
