// Music Transformer training on performances (see MusicTransformerTrainer.h).
#include "ml/models/music_transformer/MusicTransformerTrainer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/data/EventBaselines.h"
#include "ml/generation/Rng.h"
#include "ml/models/music_transformer/TransformerContinuation.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

enum Sum { kEvents, kNll, kCorrect, kSumCount };

/// The windows' events as teacher-forcing tensors.
std::pair<torch::Tensor, torch::Tensor> batchOf(const std::vector<const std::vector<int>*>& w) {
    std::vector<std::vector<int>> copies;
    copies.reserve(w.size());
    for (const auto* events : w) copies.push_back(*events);
    return transformerTeacherForcing(copies);
}

class MusicTransformerTask : public TrainingTask {
public:
    MusicTransformerTask(const PerformanceDataset& data,
                         const MusicTransformerTrainingSettings& settings, int numEvents,
                         std::vector<std::vector<int>> evalWindows,
                         std::optional<EventBaselines> baselines)
        : m_data(data),
          m_settings(settings),
          m_h(settings.hparams),
          m_numEvents(numEvents),
          m_evalWindows(std::move(evalWindows)),
          m_baselines(std::move(baselines)) {
        m_windowing.windowEvents = m_h.windowEvents;
        m_windowing.transposeMax = static_cast<int>(m_h.transposeMax);
        const int64_t events = std::max<int64_t>(1, m_data.trainNotes() * 3);  // ~3 per note
        m_epochWindows = std::max<int64_t>(1, events / m_h.windowEvents);
    }

    core::Status createNetwork(uint64_t seed) override {
        auto net = MusicTransformerNetwork::create(m_h.architecture(m_numEvents), seed);
        if (!net) return net.error();
        m_net = std::move(net.value());
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }

    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t, int64_t,
                                                    bool dropLast) const override {
        // Windows are drawn at random in forward() (in proportion to each performance's
        // length, by the dataset); an epoch is about one pass worth of windows.
        const auto count = static_cast<size_t>(std::max<int64_t>(m_epochWindows, globalBatch));
        const auto size = static_cast<size_t>(globalBatch);
        std::vector<std::vector<uint32_t>> batches;
        for (size_t start = 0; start < count; start += size) {
            if (dropLast && start + size > count) break;
            std::vector<uint32_t> batch;
            for (size_t i = start; i < std::min(count, start + size); ++i)
                batch.push_back(static_cast<uint32_t>(i));
            batches.push_back(std::move(batch));
        }
        return batches;
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t) override {
        // Draws from torch's generator, which the loop seeded with (seed, step, rank).
        Rng rng(static_cast<uint64_t>(
            torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, torch::kLong)
                .item<int64_t>()));
        std::vector<PerformanceWindow> windows;
        for (size_t i = 0; i < indices.size(); ++i) {
            auto w = samplePerformanceWindow(m_data.train, m_windowing, rng);
            if (!w) return w.error();
            windows.push_back(std::move(w.value()));
        }
        std::vector<const std::vector<int>*> events;
        for (const PerformanceWindow& w : windows) events.push_back(&w.events);
        const auto [inputs, targets] = batchOf(events);
        const torch::Tensor logits = m_net->forward(inputs, m_h.dropout);
        int64_t count = 0;
        const torch::Tensor mean = transformerLoss(logits, targets, &count);
        TrainingStepResult out;
        out.lossSum = mean * static_cast<double>(count);
        const torch::Tensor correct =
            (logits.argmax(-1) == targets).logical_and(targets != kTransformerPadToken).sum();
        out.sums = {static_cast<double>(count), out.lossSum.item<double>(), correct.item<double>()};
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
    bool hasEvalData() const override { return !m_evalWindows.empty(); }
    core::Result<JsonValue> evaluate() override {
        m_net->repack();  // Adam updated the weights in place; the cached step reads copies
        return evaluateMusicTransformer(*m_net, m_evalWindows, std::max(m_h.batchSize, 8),
                                        m_baselines ? &*m_baselines : nullptr);
    }
    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }
    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_data.train.size()), static_cast<int64_t>(m_evalWindows.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "music_transformer", "music_transformer", info,
                                       m_h.batchSize, counts, m_h.toJson());
        o.set("architecture", m_net->architecture().toJson());
        // The form TransformerCodec::fromJson reads back (generation, eval, the studio).
        TransformerCodec codec;
        codec.numVelocityBins = m_windowing.numVelocityBins;
        codec.maxShiftSteps = m_windowing.maxShiftSteps;
        codec.stepsPerSecond = m_windowing.stepsPerSecond;
        o.set("codec", codec.toJson());
        JsonValue provenance = *o.find("provenance");
        provenance.set("trainNotes", m_data.trainNotes());
        provenance.set("evalNotes", m_data.evalNotes());
        provenance.set("trainExamplesAre", "random windows of window_events events");
        provenance.set("evalExamplesAre", "consecutive windows of the held-out performances");
        if (info.heldOut) provenance.set("heldOut", *info.heldOut);
        o.set("provenance", provenance);
        return o;
    }

private:
    const PerformanceDataset& m_data;
    const MusicTransformerTrainingSettings& m_settings;
    const MusicTransformerHParams& m_h;
    int m_numEvents;
    std::vector<std::vector<int>> m_evalWindows;
    std::optional<EventBaselines> m_baselines;
    PerformanceWindowing m_windowing;
    int64_t m_epochWindows = 1;
    std::unique_ptr<MusicTransformerNetwork> m_net;
};

}  // namespace

core::Result<JsonValue> evaluateMusicTransformer(const MusicTransformerNetwork& network,
                                                 const std::vector<std::vector<int>>& windows,
                                                 int batchSize, const EventBaselines* baselines) {
    if (windows.empty()) return core::Error{"Music Transformer evaluation: no windows to score"};
    torch::NoGradGuard noGrad;
    double events = 0, nll = 0, correct = 0;
    const auto size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t start = 0; start < windows.size(); start += size) {
        std::vector<const std::vector<int>*> part;
        for (size_t i = start; i < std::min(windows.size(), start + size); ++i)
            part.push_back(&windows[i]);
        const auto [inputs, targets] = batchOf(part);
        const torch::Tensor logits = network.forward(inputs);
        int64_t count = 0;
        nll += transformerLoss(logits, targets, &count).item<double>() * static_cast<double>(count);
        events += static_cast<double>(count);
        correct += (logits.argmax(-1) == targets)
                       .logical_and(targets != kTransformerPadToken)
                       .sum()
                       .item<double>();
    }
    JsonValue o = JsonValue::object();
    o.set("loss", nll / events);
    o.set("nll_per_event", nll / events);
    o.set("perplexity", std::exp(nll / events));
    o.set("accuracy", correct / events);
    o.set("events", static_cast<int64_t>(events));
    o.set("windows", static_cast<int64_t>(windows.size()));
    if (baselines) {
        auto scores = baselines->evaluate(windows);
        if (!scores) return scores.error();
        // The baselines score positions 1..n-1 of each window (the first only conditions);
        // the model also predicts the first event from the start token.
        o.set("unigram_nll_per_event", scores->unigramNll);
        o.set("bigram_nll_per_event", scores->bigramNll);
    }
    return o;
}

core::Result<MusicTransformerTrainingOutcome> trainMusicTransformer(
    const PerformanceDataset& dataset, const MusicTransformerTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop, DistributedGroup* group) {
    const MusicTransformerHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    PerformanceWindowing windowing;
    windowing.windowEvents = h.windowEvents;
    auto encoding =
        PerformanceOneHotEncoding::create(windowing.numVelocityBins, windowing.maxShiftSteps);
    if (!encoding) return encoding.error();
    const int numEvents = encoding->numClasses();
    // Fails early (with the dataset's message) when no performance is long enough.
    Rng probe(h.seed);
    if (auto w = samplePerformanceWindow(dataset.train, windowing, probe); !w)
        return core::Error{"no training window of window_events=" + std::to_string(h.windowEvents) +
                           " events: " + w.errorMessage()};
    std::vector<std::vector<int>> evalWindows;
    for (PerformanceWindow& w : performanceEvalWindows(dataset.eval, windowing, h.evalWindows))
        evalWindows.push_back(std::move(w.events));
    std::optional<EventBaselines> baselines;
    if (!evalWindows.empty()) {
        auto fitted =
            EventBaselines::fit(performanceEventSequences(dataset.train, windowing), numEvents);
        if (!fitted) return fitted.error();
        baselines = std::move(fitted.value());
    }
    MusicTransformerTask task(dataset, settings, numEvents, std::move(evalWindows),
                              std::move(baselines));
    const TrainingLoopSettings loop = loopSettingsFor(settings, h);
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    return MusicTransformerTrainingOutcome{outcome->step, outcome->reason, outcome->modelFolder,
                                           outcome->bestEval};
}

}  // namespace toccata::ml
