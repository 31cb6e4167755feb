#include "ml/training/PerformanceRnnTrainer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/generation/Rng.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

// A training step's sums; sums[0] is what the loss is averaged over (predicted events).
enum Sum { kEvents, kNll, kCorrect, kSumCount };

/// Disabled control rows (Magenta's optional conditioning): flag 1, the rest 0.
void disableControls(PerformanceWindow& window, int controlDepth) {
    const auto width = static_cast<size_t>(controlDepth);
    std::fill(window.controls.begin(), window.controls.end(), 0.0F);
    for (size_t i = 0; i + width <= window.controls.size(); i += width) window.controls[i] = 1.0F;
}

/// Performance RNN on a PerformanceDataset, for the shared TrainingLoop.
class PerformanceRnnTask : public TrainingTask {
public:
    PerformanceRnnTask(const PerformanceDataset& data, const PerformanceRnnTrainingSettings& s,
                       PerformanceRnnConfig config)
        : m_data(data), m_settings(s), m_h(s.hparams), m_config(std::move(config)) {
        m_windowing = performanceWindowingFor(m_config, m_h);
        PerformanceWindowing fixed = m_windowing;
        fixed.transposeMax = 0;
        fixed.stretchFactors = {1.0};
        m_evalWindows =
            performanceEvalWindows(m_data.eval, fixed, m_h.evalMaxWindows);
        if (!m_evalWindows.empty()) {
            auto baselines = fitPerformanceBaselines(m_data.train, fixed);
            if (baselines) m_baselines = std::move(*baselines);
        }
    }

    core::Status createNetwork(uint64_t seed) override {
        m_arch.layerSizes = m_h.layerSizes;
        m_arch.inputDepth = m_config.inputDepth();
        m_arch.numClasses = m_config.numClasses();
        auto net = MusicRnn::initialize(m_arch, seed);
        if (!net) return net.error();
        m_net = std::move(*net);
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }

    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t, int64_t,
                                                    bool) const override {
        // Windows are drawn at random in forward() (a performance in proportion to its notes,
        // as PerformanceDataset samples), so an "epoch" is one batch of placeholders.
        std::vector<uint32_t> batch(static_cast<size_t>(globalBatch));
        for (size_t i = 0; i < batch.size(); ++i) batch[i] = static_cast<uint32_t>(i);
        return {batch};
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t) override {
        // Draws from torch's generator, which the loop seeded with (seed, step, rank): a
        // resumed run draws the same windows.
        Rng rng(static_cast<uint64_t>(
            torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, torch::kLong)
                .item<int64_t>()));
        std::vector<PerformanceWindow> windows;
        windows.reserve(indices.size());
        for (size_t i = 0; i < indices.size(); ++i) {
            auto window = samplePerformanceWindow(m_data.train, m_windowing, rng);
            if (!window) return window.error();
            if (m_config.controls.optional && (rng.next() & 1U) != 0U)
                disableControls(*window, m_config.controlDepth());
            windows.push_back(std::move(*window));
        }
        std::vector<const PerformanceWindow*> pointers;
        for (const PerformanceWindow& w : windows) pointers.push_back(&w);
        const PerformanceRnnTensors t =
            performanceRnnTensors(makePerformanceBatch(pointers, m_config.controlDepth()),
                                  m_config.numClasses(), m_config.controlDepth());
        auto logits = m_net->forwardSequence(t.inputs, m_h.dropoutKeepProb);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        const torch::Tensor nll = -logp.gather(-1, t.labels.unsqueeze(-1)).squeeze(-1) * t.mask;
        TrainingStepResult out;
        out.lossSum = nll.sum();
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

    bool hasEvalData() const override { return !m_evalWindows.empty(); }
    core::Result<JsonValue> evaluate() override {
        return evaluatePerformanceRnn(*m_net, m_config, m_evalWindows, std::max(m_h.batchSize, 32),
                                      m_baselines ? &*m_baselines : nullptr);
    }

    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }

    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_data.train.size()), static_cast<int64_t>(m_evalWindows.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "performance_rnn", m_config.id, info,
                                       m_h.batchSize, counts, m_h.toJson());
        o.set("architecture", performanceRnnArchitectureJson(m_arch));
        o.set("codec", m_config.toCodecJson());
        if (info.heldOut) {
            JsonValue provenance = *o.find("provenance");
            provenance.set("heldOut", *info.heldOut);
            provenance.set("trainNotes", m_data.trainNotes());
            provenance.set("evalNotes", m_data.evalNotes());
            o.set("provenance", provenance);
        }
        return o;
    }

private:
    const PerformanceDataset& m_data;
    const PerformanceRnnTrainingSettings& m_settings;
    const PerformanceRnnHParams& m_h;
    PerformanceRnnConfig m_config;
    PerformanceWindowing m_windowing;
    std::vector<PerformanceWindow> m_evalWindows;
    std::optional<EventBaselines> m_baselines;
    std::unique_ptr<MusicRnn> m_net;
    MusicRnnArchitecture m_arch;
};

}  // namespace

PerformanceWindowing performanceWindowingFor(const PerformanceRnnConfig& config,
                                             const PerformanceRnnHParams& h) {
    PerformanceWindowing w;
    w.windowEvents = h.windowEvents;
    w.stepsPerSecond = config.stepsPerSecond;
    w.numVelocityBins = config.numVelocityBins;
    w.maxShiftSteps = config.maxShiftSteps;
    w.transposeMax = static_cast<int>(h.transposeMax);
    if (h.timeStretch == 0) w.stretchFactors = {1.0};
    w.controls = config.controls;
    return w;
}

PerformanceRnnTensors performanceRnnTensors(const PerformanceBatch& batch, int numClasses,
                                            int controlDepth) {
    const int64_t t = batch.events.size(1);
    PerformanceRnnTensors out;
    const torch::Tensor previous = batch.events.narrow(1, 0, t - 1);
    torch::Tensor inputs = torch::one_hot(previous, numClasses).to(torch::kFloat);
    if (controlDepth > 0 && batch.controls.defined())
        inputs = torch::cat({batch.controls.narrow(1, 1, t - 1), inputs}, -1);
    out.inputs = inputs;
    out.labels = batch.events.narrow(1, 1, t - 1);
    out.mask = (batch.mask.narrow(1, 1, t - 1) & batch.mask.narrow(1, 0, t - 1)).to(torch::kFloat);
    return out;
}

core::Result<JsonValue> evaluatePerformanceRnn(const MusicRnn& network,
                                               const PerformanceRnnConfig& config,
                                               const std::vector<PerformanceWindow>& windows,
                                               int batchSize, const EventBaselines* baselines) {
    if (windows.empty()) return core::Error{"no held-out windows to evaluate"};
    if (network.inputDepth() != config.inputDepth() || network.numClasses() != config.numClasses())
        return core::Error{
            "the network takes " + std::to_string(network.inputDepth()) + " inputs and gives " +
            std::to_string(network.numClasses()) + " classes, but " + config.id + " needs " +
            std::to_string(config.inputDepth()) + " and " + std::to_string(config.numClasses())};
    torch::NoGradGuard noGrad;
    double nll = 0.0, correct = 0.0, events = 0.0;
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t from = 0; from < windows.size(); from += size) {
        std::vector<const PerformanceWindow*> pointers;
        for (size_t i = from; i < std::min(windows.size(), from + size); ++i)
            pointers.push_back(&windows[i]);
        const PerformanceRnnTensors t =
            performanceRnnTensors(makePerformanceBatch(pointers, config.controlDepth()),
                                  config.numClasses(), config.controlDepth());
        if (t.labels.size(1) < 1) continue;
        auto logits = network.forwardSequence(t.inputs);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        nll -= (logp.gather(-1, t.labels.unsqueeze(-1)).squeeze(-1) * t.mask).sum().item<double>();
        correct += ((logp.argmax(-1) == t.labels).to(torch::kFloat) * t.mask).sum().item<double>();
        events += t.mask.sum().item<double>();
    }
    if (events <= 0) return core::Error{"the held-out windows have no events to predict"};
    JsonValue o = JsonValue::object();
    o.set("loss", nll / events);
    o.set("nll_per_event", nll / events);
    o.set("perplexity", std::exp(nll / events));
    o.set("accuracy", correct / events);
    o.set("events", static_cast<int64_t>(events));
    o.set("windows", static_cast<int64_t>(windows.size()));
    if (baselines) {
        std::vector<std::vector<int>> sequences;
        sequences.reserve(windows.size());
        for (const PerformanceWindow& w : windows) sequences.push_back(w.events);
        auto scores = baselines->evaluate(sequences);
        if (!scores) return scores.error();
        o.set("unigram_nll_per_event", scores->unigramNll);
        o.set("bigram_nll_per_event", scores->bigramNll);
    }
    return o;
}

core::Result<EventBaselines> fitPerformanceBaselines(const std::vector<PerformanceRecord>& train,
                                                     const PerformanceWindowing& w) {
    auto encoding = PerformanceOneHotEncoding::create(w.numVelocityBins, w.maxShiftSteps);
    if (!encoding) return encoding.error();
    return EventBaselines::fit(performanceEventSequences(train, w), encoding->numClasses());
}

core::Result<PerformanceRnnTrainingOutcome> trainPerformanceRnn(
    const PerformanceDataset& dataset, const PerformanceRnnTrainingSettings& settings,
    const TrainingEventSink& onEvent, const std::atomic<bool>& stop, DistributedGroup* group) {
    const PerformanceRnnHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    auto config = PerformanceRnnConfig::named(settings.configId);
    if (!config) return config.error();
    // Fail early, with the corpus figures, when no window can be drawn.
    Rng probe(h.seed);
    if (auto window =
            samplePerformanceWindow(dataset.train, performanceWindowingFor(*config, h), probe);
        !window)
        return core::Error{window.errorMessage() +
                           " (window_events=" + std::to_string(h.windowEvents) + "; " +
                           std::to_string(dataset.train.size()) + " training performances from " +
                           std::to_string(dataset.report.filesRead) + " files read)"};
    PerformanceRnnTask task(dataset, settings, *config);
    const TrainingLoopSettings loop = loopSettingsFor(settings, h);
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    return PerformanceRnnTrainingOutcome{outcome->step, outcome->reason, outcome->modelFolder,
                                         outcome->bestEval};
}

}  // namespace toccata::ml
