#include "ml/training/PolyphonyRnnTrainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/generation/Rng.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

// A training step's sums; sums[0] is what the loss is averaged over (predicted events).
enum Sum { kEvents, kNll, kCorrect, kSumCount };
// Batches per length-sorted chunk (as RnnBatcher's epochBatches).
constexpr size_t kBatchesPerChunk = 32;

std::vector<int64_t> streamOf(const PolyphonyExample& e, int shift, int64_t maxEvents) {
    std::vector<int64_t> s = transposeClasses(e.classes, shift);
    if (maxEvents > 1 && static_cast<int64_t>(s.size()) > maxEvents)
        s.resize(static_cast<size_t>(maxEvents));
    return s;
}

/// A shift in -max..max that keeps the example's pitches in 0..127 (uniform over those).
int drawShift(const PolyphonyExample& e, int64_t max, Rng& rng) {
    if (max <= 0 || e.minPitch > e.maxPitch) return 0;
    const int lo = std::max<int>(-static_cast<int>(max), -static_cast<int>(e.minPitch));
    const int hi = std::min<int>(static_cast<int>(max), 127 - static_cast<int>(e.maxPitch));
    if (lo > hi) return 0;
    return lo + static_cast<int>(rng.next() % static_cast<uint64_t>(hi - lo + 1));
}

class PolyphonyRnnTask : public TrainingTask {
public:
    PolyphonyRnnTask(const PolyphonyDataset& data, const PolyphonyRnnTrainingSettings& s)
        : m_data(data), m_settings(s), m_h(s.hparams) {
        if (!m_data.eval.empty()) {
            auto baselines = fitPolyphonyBaselines(m_data.train);
            if (baselines) m_baselines = std::move(*baselines);
        }
    }

    core::Status createNetwork(uint64_t seed) override {
        m_arch.layerSizes = m_h.layerSizes;
        m_arch.inputDepth = kPolyphonyNumClasses;
        m_arch.numClasses = kPolyphonyNumClasses;
        auto net = MusicRnn::initialize(m_arch, seed);
        if (!net) return net.error();
        m_net = std::move(*net);
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }

    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t seed, int64_t epoch,
                                                    bool dropLast) const override {
        std::vector<uint32_t> order(m_data.train.size());
        std::iota(order.begin(), order.end(), 0U);
        Rng rng(seed * 1000003ULL + static_cast<uint64_t>(epoch));
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next() % i]);
        const size_t batch = static_cast<size_t>(std::max(1, globalBatch));
        const size_t chunk = batch * kBatchesPerChunk;
        std::vector<std::vector<uint32_t>> batches;
        for (size_t from = 0; from < order.size(); from += chunk) {
            const auto end =
                order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), from + chunk));
            std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(from), end,
                             [&](uint32_t a, uint32_t b) {
                                 return m_data.train[a].classes.size() <
                                        m_data.train[b].classes.size();
                             });
            for (auto it = order.begin() + static_cast<std::ptrdiff_t>(from); it < end;) {
                const auto stop = std::min(end, it + static_cast<std::ptrdiff_t>(batch));
                if (static_cast<size_t>(stop - it) == batch || !dropLast)
                    batches.emplace_back(it, stop);
                it = stop;
            }
        }
        for (size_t i = batches.size(); i > 1; --i)
            std::swap(batches[i - 1], batches[rng.next() % i]);
        return batches;
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t) override {
        // Shifts come from torch's generator, which the loop seeded with (seed, step, rank).
        Rng rng(static_cast<uint64_t>(
            torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, torch::kLong)
                .item<int64_t>()));
        std::vector<std::vector<int64_t>> streams;
        streams.reserve(indices.size());
        for (uint32_t i : indices) {
            const PolyphonyExample& e = m_data.train[i];
            streams.push_back(streamOf(e, drawShift(e, m_h.transposeMax, rng), m_h.maxEvents));
        }
        const PolyphonyRnnTensors t = polyphonyRnnTensors(streams);
        auto logits = m_net->forwardSequence(t.inputs, m_h.dropoutKeepProb);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        TrainingStepResult out;
        out.lossSum = -(logp.gather(-1, t.labels.unsqueeze(-1)).squeeze(-1) * t.mask).sum();
        torch::NoGradGuard noGrad;
        const double correct =
            ((logp.argmax(-1) == t.labels).to(torch::kFloat) * t.mask).sum().item<double>();
        out.sums = {t.mask.sum().item<double>(), out.lossSum.item<double>(), correct};
        return out;
    }
    size_t metricSumCount() const override { return kSumCount; }

    JsonValue trainMetrics(const std::vector<double>& sums, int64_t) const override {
        const double n = std::max(1.0, sums[kEvents]);
        JsonValue e = JsonValue::object();
        e.set("loss", sums[kNll] / n);
        e.set("perplexity", std::exp(sums[kNll] / n));
        e.set("accuracy", sums[kCorrect] / n);
        return e;
    }
    double learningRateAt(int64_t step) const override { return m_h.learningRateAt(step); }

    bool hasEvalData() const override { return !m_data.eval.empty(); }
    core::Result<JsonValue> evaluate() override {
        return evaluatePolyphonyRnn(*m_net, m_data.eval, std::max(m_h.batchSize, 32),
                                    m_baselines ? &*m_baselines : nullptr);
    }

    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }

    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_data.train.size()), static_cast<int64_t>(m_data.eval.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "polyphony_rnn", "polyphony", info,
                                       m_h.batchSize, counts, m_h.toJson());
        o.set("architecture", polyphonyArchitectureJson(m_arch));
        o.set("codec", polyphonyCodecJson());
        JsonValue provenance = *o.find("provenance");
        provenance.set("trainEvents", m_data.trainEvents());
        provenance.set("evalEvents", m_data.evalEvents());
        if (info.heldOut) provenance.set("heldOut", *info.heldOut);
        o.set("provenance", provenance);
        return o;
    }

private:
    const PolyphonyDataset& m_data;
    const PolyphonyRnnTrainingSettings& m_settings;
    const PolyphonyRnnHParams& m_h;
    std::optional<EventBaselines> m_baselines;
    std::unique_ptr<MusicRnn> m_net;
    MusicRnnArchitecture m_arch;
};

}  // namespace

PolyphonyDatasetOptions polyphonyDatasetOptionsFor(const PolyphonyRnnHParams& h) {
    PolyphonyDatasetOptions o;
    o.minSteps = h.minSteps;
    o.maxSteps = h.maxSteps;
    o.chunkSteps = h.chunkSteps;
    return o;
}

PolyphonyRnnTensors polyphonyRnnTensors(const std::vector<std::vector<int64_t>>& streams) {
    size_t longest = 2;
    for (const auto& s : streams) longest = std::max(longest, s.size());
    const auto b = static_cast<int64_t>(streams.size());
    const auto t = static_cast<int64_t>(longest) - 1;
    torch::Tensor previous = torch::zeros({b, t}, torch::kLong);
    torch::Tensor labels = torch::zeros({b, t}, torch::kLong);
    torch::Tensor mask = torch::zeros({b, t}, torch::kFloat);
    auto p = previous.accessor<int64_t, 2>();
    auto l = labels.accessor<int64_t, 2>();
    auto m = mask.accessor<float, 2>();
    for (int64_t r = 0; r < b; ++r) {
        const auto& s = streams[static_cast<size_t>(r)];
        for (int64_t i = 0; i + 1 < static_cast<int64_t>(s.size()); ++i) {
            p[r][i] = s[static_cast<size_t>(i)];
            l[r][i] = s[static_cast<size_t>(i + 1)];
            m[r][i] = 1.0F;
        }
    }
    return {torch::one_hot(previous, kPolyphonyNumClasses).to(torch::kFloat), labels, mask};
}

core::Result<JsonValue> evaluatePolyphonyRnn(const MusicRnn& network,
                                             const std::vector<PolyphonyExample>& examples,
                                             int batchSize, const EventBaselines* baselines) {
    if (examples.empty()) return core::Error{"no held-out examples to evaluate"};
    if (network.inputDepth() != kPolyphonyNumClasses ||
        network.numClasses() != kPolyphonyNumClasses)
        return core::Error{"the network takes " + std::to_string(network.inputDepth()) +
                           " inputs and gives " + std::to_string(network.numClasses()) +
                           " classes; Polyphony RNN needs 259 and 259"};
    torch::NoGradGuard noGrad;
    // Similar lengths together, so little of each batch is padding.
    std::vector<size_t> order(examples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return examples[a].classes.size() < examples[b].classes.size();
    });
    double nll = 0.0, correct = 0.0, events = 0.0;
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t from = 0; from < order.size(); from += size) {
        std::vector<std::vector<int64_t>> streams;
        for (size_t i = from; i < std::min(order.size(), from + size); ++i)
            streams.push_back(transposeClasses(examples[order[i]].classes, 0));
        const PolyphonyRnnTensors t = polyphonyRnnTensors(streams);
        auto logits = network.forwardSequence(t.inputs);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        nll -= (logp.gather(-1, t.labels.unsqueeze(-1)).squeeze(-1) * t.mask).sum().item<double>();
        correct += ((logp.argmax(-1) == t.labels).to(torch::kFloat) * t.mask).sum().item<double>();
        events += t.mask.sum().item<double>();
    }
    if (events <= 0) return core::Error{"the held-out examples have no events to predict"};
    JsonValue o = JsonValue::object();
    o.set("loss", nll / events);
    o.set("nll_per_event", nll / events);
    o.set("perplexity", std::exp(nll / events));
    o.set("accuracy", correct / events);
    o.set("events", static_cast<int64_t>(events));
    o.set("examples", static_cast<int64_t>(examples.size()));
    if (baselines) {
        std::vector<std::vector<int>> sequences;
        sequences.reserve(examples.size());
        for (const PolyphonyExample& e : examples)
            sequences.emplace_back(e.classes.begin(), e.classes.end());
        auto scores = baselines->evaluate(sequences);
        if (!scores) return scores.error();
        o.set("unigram_nll_per_event", scores->unigramNll);
        o.set("bigram_nll_per_event", scores->bigramNll);
    }
    return o;
}

core::Result<EventBaselines> fitPolyphonyBaselines(const std::vector<PolyphonyExample>& train) {
    std::vector<std::vector<int>> sequences;
    sequences.reserve(train.size());
    for (const PolyphonyExample& e : train)
        sequences.emplace_back(e.classes.begin(), e.classes.end());
    return EventBaselines::fit(sequences, kPolyphonyNumClasses);
}

core::Result<PolyphonyRnnTrainingOutcome> trainPolyphonyRnn(
    const PolyphonyDataset& dataset, const PolyphonyRnnTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop, DistributedGroup* group) {
    const PolyphonyRnnHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    if (dataset.train.empty())
        return core::Error{"the training side of the dataset has no polyphonic sequence of " +
                           std::to_string(h.minSteps) + ".." + std::to_string(h.maxSteps) +
                           " steps (" + std::to_string(dataset.report.filesRead) +
                           " files read); see the dataset statistics"};
    PolyphonyRnnTask task(dataset, settings);
    const TrainingLoopSettings loop = loopSettingsFor(settings, h);
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    return PolyphonyRnnTrainingOutcome{outcome->step, outcome->reason, outcome->modelFolder,
                                       outcome->bestEval};
}

}  // namespace toccata::ml
