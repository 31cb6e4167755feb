#include "ml/training/RnnTrainer.h"

#include <cmath>

#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/training/RnnBatcher.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

JsonValue sizesJson(const std::vector<int64_t>& sizes) {
    JsonValue a = JsonValue::array();
    for (int64_t s : sizes) a.push(s);
    return a;
}

// The order of a training step's sums (sums[0] is what the loss is averaged over).
enum Sum { kSteps, kNll, kCorrect, kEventSteps, kEventCorrect, kSumCount };

RnnMetrics metricsFrom(const std::vector<double>& sums, int64_t examples) {
    RnnMetricSums s;
    s.steps = sums[kSteps];
    s.nll = sums[kNll];
    s.correct = sums[kCorrect];
    s.eventSteps = sums[kEventSteps];
    s.eventCorrect = sums[kEventCorrect];
    s.noEventCorrect = s.correct - s.eventCorrect;
    return s.metrics(examples);
}

RnnMetrics metricsFromJson(const JsonValue& b) {
    auto get = [&](const char* k) {
        const JsonValue* v = b.find(k);
        return v && v->isNumber() ? v->asNumber() : 0.0;
    };
    RnnMetrics m;
    m.nllPerStep = get("nll_per_step");
    m.perplexity = get("perplexity");
    m.accuracy = get("accuracy");
    m.eventAccuracy = get("event_accuracy");
    m.noEventAccuracy = get("no_event_accuracy");
    m.steps = static_cast<int64_t>(get("steps"));
    m.examples = static_cast<int64_t>(get("examples"));
    return m;
}

/// MusicRnn on an RnnDataset, for the shared TrainingLoop.
class RnnTask : public TrainingTask {
public:
    RnnTask(const RnnDataset& data, const RnnTrainingSettings& settings, RnnBatcher batcher)
        : m_data(data), m_settings(settings), m_h(settings.hparams), m_batcher(std::move(batcher)) {
        if (!m_data.eval.empty()) {
            auto baselines = ngramBaselines(m_batcher, m_data.train, m_data.eval);
            if (baselines) m_baselines = *baselines;
        }
    }

    core::Status createNetwork(uint64_t seed) override {
        m_arch.layerSizes = m_h.layerSizes;
        m_arch.inputDepth = m_batcher.inputDepth();
        m_arch.numClasses = m_batcher.numClasses();
        m_arch.attentionLength = m_h.attnLength;
        m_arch.attentionQueryBias = false;  // Magenta.js's attention, so exports run there too
        auto net = MusicRnn::initialize(m_arch, seed);
        if (!net) return net.error();
        m_net = std::move(*net);
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }
    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t seed, int64_t epoch,
                                                    bool dropLast) const override {
        return ml::epochBatches(m_data.train, globalBatch, seed, epoch, dropLast);
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t) override {
        std::vector<const RnnExample*> examples;
        for (uint32_t i : indices) examples.push_back(&m_data.train[i]);
        auto batch = m_batcher.batch(examples);
        if (!batch) return batch.error();
        auto logits = m_net->forwardSequence(batch->inputs, m_h.dropoutKeepProb);
        if (!logits) return logits.error();
        const torch::Tensor logp = torch::log_softmax(*logits, -1);
        TrainingStepResult out;
        out.lossSum =
            -(logp.gather(-1, batch->labels.unsqueeze(-1)).squeeze(-1) * batch->mask).sum();
        const RnnMetricSums s = batchMetricSums(logp, *batch, m_batcher.noEventLabel());
        out.sums = {s.steps, s.nll, s.correct, s.eventSteps, s.eventCorrect};
        return out;
    }
    size_t metricSumCount() const override { return kSumCount; }

    JsonValue trainMetrics(const std::vector<double>& sums, int64_t examples) const override {
        const RnnMetrics m = metricsFrom(sums, examples);
        JsonValue e = JsonValue::object();
        e.set("loss", m.nllPerStep);
        e.set("perplexity", m.perplexity);
        e.set("accuracy", m.accuracy);
        e.set("event_accuracy", m.eventAccuracy);
        e.set("no_event_accuracy", m.noEventAccuracy);
        return e;
    }
    double learningRateAt(int64_t step) const override { return m_h.learningRateAt(step); }

    bool hasEvalData() const override { return !m_data.eval.empty(); }
    core::Result<JsonValue> evaluate() override {
        auto metrics = evaluateRnn(*m_net, m_batcher, m_data.eval, std::max(m_h.batchSize, 64));
        if (!metrics) return metrics.error();
        JsonValue e = metrics->toJson();
        e.set("loss", metrics->nllPerStep);
        if (m_baselines) {
            e.set("unigram_nll_per_step", m_baselines->unigram);
            e.set("bigram_nll_per_step", m_baselines->bigram);
        }
        return e;
    }

    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }

    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_data.train.size()), static_cast<int64_t>(m_data.eval.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "music_rnn", m_data.config.id, info,
                                       m_h.batchSize, counts, m_h.toJson());
        JsonValue arch = JsonValue::object();
        arch.set("layerSizes", sizesJson(m_arch.layerSizes));
        arch.set("inputDepth", m_arch.inputDepth);
        arch.set("numClasses", m_arch.numClasses);
        arch.set("attentionLength", m_arch.attentionLength);
        arch.set("attentionQueryBias", m_arch.attentionQueryBias);
        o.set("architecture", arch);
        o.set("codec", m_data.config.toCodecJson());
        if (info.heldOut) {
            JsonValue metrics = metricsFromJson(*info.heldOut).toJson();
            if (m_baselines) {
                metrics.set("unigram_nll_per_step", m_baselines->unigram);
                metrics.set("bigram_nll_per_step", m_baselines->bigram);
            }
            JsonValue provenance = *o.find("provenance");
            provenance.set("heldOut", metrics);
            o.set("provenance", provenance);
        }
        return o;
    }

private:
    const RnnDataset& m_data;
    const RnnTrainingSettings& m_settings;
    const RnnHParams& m_h;
    RnnBatcher m_batcher;
    std::unique_ptr<MusicRnn> m_net;
    MusicRnnArchitecture m_arch;
    std::optional<BaselineNll> m_baselines;
};

}  // namespace

core::Result<RnnTrainingOutcome> trainRnn(const RnnDataset& dataset,
                                          const RnnTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop, DistributedGroup* group) {
    const RnnHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    if (dataset.train.empty())
        return core::Error{"the training side of the dataset has no examples (" +
                           std::to_string(dataset.report.filesRead) +
                           " files read); see the dataset statistics"};
    auto batcher = RnnBatcher::create(dataset.config, dataset.chordTable, h.maxSteps);
    if (!batcher) return batcher.error();
    RnnTask task(dataset, settings, std::move(*batcher));

    const TrainingLoopSettings loop = loopSettingsFor(settings, h);
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    RnnTrainingOutcome out;
    out.step = outcome->step;
    out.reason = outcome->reason;
    out.modelFolder = outcome->modelFolder;
    if (outcome->bestEval) out.bestEval = metricsFromJson(*outcome->bestEval);
    return out;
}

}  // namespace toccata::ml
