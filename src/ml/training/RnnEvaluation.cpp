#include "ml/training/RnnEvaluation.h"

#include <cmath>

namespace toccata::ml {

core::JsonValue RnnMetrics::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    o.set("nll_per_step", nllPerStep);
    o.set("perplexity", perplexity);
    o.set("accuracy", accuracy);
    o.set("event_accuracy", eventAccuracy);
    o.set("no_event_accuracy", noEventAccuracy);
    o.set("steps", steps);
    o.set("examples", examples);
    return o;
}

void RnnMetricSums::add(const RnnMetricSums& o) {
    nll += o.nll;
    correct += o.correct;
    eventSteps += o.eventSteps;
    eventCorrect += o.eventCorrect;
    noEventCorrect += o.noEventCorrect;
    steps += o.steps;
}

RnnMetrics RnnMetricSums::metrics(int64_t examples) const {
    RnnMetrics m;
    m.steps = static_cast<int64_t>(steps);
    m.examples = examples;
    if (steps <= 0) return m;
    m.nllPerStep = nll / steps;
    m.perplexity = std::exp(m.nllPerStep);
    m.accuracy = correct / steps;
    m.eventAccuracy = eventSteps > 0 ? eventCorrect / eventSteps : 0.0;
    const double noEventSteps = steps - eventSteps;
    m.noEventAccuracy = noEventSteps > 0 ? noEventCorrect / noEventSteps : 0.0;
    return m;
}

RnnMetricSums batchMetricSums(const torch::Tensor& logProbs, const RnnBatch& batch,
                              int noEventLabel) {
    torch::NoGradGuard noGrad;
    const torch::Tensor logp = logProbs.detach();
    const torch::Tensor nll = -logp.gather(-1, batch.labels.unsqueeze(-1)).squeeze(-1);
    const torch::Tensor hit = (logp.argmax(-1) == batch.labels).to(torch::kFloat) * batch.mask;
    const torch::Tensor isEvent = (batch.labels != noEventLabel).to(torch::kFloat) * batch.mask;
    RnnMetricSums s;
    s.nll = (nll * batch.mask).sum().item<double>();
    s.correct = hit.sum().item<double>();
    s.eventSteps = isEvent.sum().item<double>();
    s.eventCorrect = (hit * isEvent).sum().item<double>();
    s.noEventCorrect = s.correct - s.eventCorrect;
    s.steps = batch.mask.sum().item<double>();
    return s;
}

core::Result<RnnMetrics> evaluateRnn(const MusicRnn& model, const RnnBatcher& batcher,
                                     const std::vector<RnnExample>& examples, int batchSize) {
    torch::NoGradGuard noGrad;
    // Similar lengths together: less padding, same result.
    std::vector<const RnnExample*> sorted;
    for (const RnnExample& e : examples) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [](const RnnExample* a, const RnnExample* b) {
        return a->events.size() < b->events.size();
    });
    RnnMetricSums sums;
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t start = 0; start < sorted.size(); start += size) {
        const std::vector<const RnnExample*> part(
            sorted.begin() + static_cast<std::ptrdiff_t>(start),
            sorted.begin() + static_cast<std::ptrdiff_t>(std::min(sorted.size(), start + size)));
        auto batch = batcher.batch(part);
        if (!batch) return batch.error();
        auto logits = model.forwardSequence(batch->inputs);
        if (!logits) return logits.error();
        sums.add(batchMetricSums(torch::log_softmax(*logits, -1), *batch, batcher.noEventLabel()));
    }
    return sums.metrics(static_cast<int64_t>(examples.size()));
}

core::Result<BaselineNll> ngramBaselines(const RnnBatcher& batcher,
                                         const std::vector<RnnExample>& train,
                                         const std::vector<RnnExample>& eval) {
    const auto classes = static_cast<size_t>(batcher.numClasses());
    std::vector<double> unigram(classes, 1.0);
    std::vector<double> bigram(classes * (classes + 1), 1.0);  // row `classes` = sequence start
    auto labelsOf = [&](const RnnExample& e) -> core::Result<std::vector<int64_t>> {
        auto b = batcher.batch({&e});
        if (!b) return b.error();
        const int64_t n = b->steps;
        const int64_t* p = b->labels.data_ptr<int64_t>();
        return std::vector<int64_t>(p, p + n);
    };
    for (const RnnExample& e : train) {
        auto labels = labelsOf(e);
        if (!labels) return labels.error();
        size_t previous = classes;
        for (int64_t l : *labels) {
            unigram[static_cast<size_t>(l)] += 1.0;
            bigram[previous * classes + static_cast<size_t>(l)] += 1.0;
            previous = static_cast<size_t>(l);
        }
    }
    double uniTotal = 0.0;
    for (double c : unigram) uniTotal += c;
    std::vector<double> rowTotals(classes + 1, 0.0);
    for (size_t r = 0; r <= classes; ++r)
        for (size_t c = 0; c < classes; ++c) rowTotals[r] += bigram[r * classes + c];
    BaselineNll out;
    double steps = 0.0;
    for (const RnnExample& e : eval) {
        auto labels = labelsOf(e);
        if (!labels) return labels.error();
        size_t previous = classes;
        for (int64_t l : *labels) {
            const auto label = static_cast<size_t>(l);
            out.unigram -= std::log(unigram[label] / uniTotal);
            out.bigram -= std::log(bigram[previous * classes + label] / rowTotals[previous]);
            previous = label;
            steps += 1.0;
        }
    }
    if (steps > 0) {
        out.unigram /= steps;
        out.bigram /= steps;
    }
    return out;
}

}  // namespace toccata::ml
