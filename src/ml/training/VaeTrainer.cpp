#include "ml/training/VaeTrainer.h"

#include <cmath>

#include "ml/generation/Rng.h"
#include "ml/models/music_vae/MusicVae.h"
#include "ml/training/VaeObjective.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

// A training step's sums; sums[0] is what the loss is averaged over (examples).
enum Sum {
    kExamples,
    kObjective,
    kReconstruction,
    kKl,
    kCells,
    kCorrect,
    kEventCells,
    kEventCorrect,
    kSumCount
};

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

/// The training set's mean hit velocity (0..1): the constant a "copy the quantized input"
/// groove would have to play.
double meanHitVelocity(const std::vector<VaeExample>& examples, int64_t drums) {
    double sum = 0.0, hits = 0.0;
    for (const VaeExample& e : examples) {
        const size_t width = static_cast<size_t>(3 * drums);
        for (size_t row = 0; row + width <= e.target.size(); row += width)
            for (size_t d = 0; d < static_cast<size_t>(drums); ++d)
                if (e.target[row + d] > 0.5F) {
                    sum += e.target[row + static_cast<size_t>(drums) + d];
                    hits += 1.0;
                }
    }
    return hits > 0 ? sum / hits : 0.5;
}

/// Free-running reconstructions from mu against the targets, summed (see evaluateVae).
struct ReconstructionSums {
    double cells = 0, correct = 0, eventCells = 0, eventCorrect = 0;  // categorical
    double trueHits = 0, predictedHits = 0, bothHits = 0;             // groove
    double velocityError = 0, offsetErrorMs = 0;
    double keptVelocityError = 0, keptOffsetErrorMs = 0;  // humanize with the hits kept
    double baselineVelocityError = 0, baselineOffsetErrorMs = 0, baselineBothHits = 0,
           baselinePredictedHits = 0;
};

void addReconstruction(const torch::Tensor& decoded, const VaeBatch& batch, VaeHead head,
                       double baselineVelocity, ReconstructionSums& s) {
    if (head == VaeHead::Categorical) {
        const torch::Tensor predicted = decoded.argmax(-1);
        const torch::Tensor correct = (predicted == batch.labels).to(torch::kDouble);
        const torch::Tensor events = (batch.labels != 0).to(torch::kDouble);
        s.cells += static_cast<double>(batch.labels.numel());
        s.correct += correct.sum().item<double>();
        s.eventCells += events.sum().item<double>();
        s.eventCorrect += (correct * events).sum().item<double>();
        return;
    }
    const int64_t drums = decoded.size(2) / 3;
    const torch::Tensor truth = batch.targets.narrow(2, 0, drums).to(torch::kDouble);
    const torch::Tensor predicted = decoded.narrow(2, 0, drums).to(torch::kDouble);
    const torch::Tensor velocity = batch.targets.narrow(2, drums, drums).to(torch::kDouble);
    const torch::Tensor offset = batch.targets.narrow(2, 2 * drums, drums).to(torch::kDouble);
    // Offsets are half-steps of deviation: |delta offset| / 2 * step length.
    const torch::Tensor stepMs = (batch.stepSeconds.to(torch::kDouble) * 1000.0).view({-1, 1, 1});
    s.trueHits += truth.sum().item<double>();
    s.predictedHits += predicted.sum().item<double>();
    s.bothHits += (truth * predicted).sum().item<double>();
    s.velocityError +=
        (truth * (decoded.narrow(2, drums, drums).to(torch::kDouble) - velocity).abs())
            .sum()
            .item<double>() *
        127.0;
    s.offsetErrorMs +=
        (truth * (decoded.narrow(2, 2 * drums, drums).to(torch::kDouble) - offset).abs() * 0.5 *
         stepMs)
            .sum()
            .item<double>();
    s.baselineVelocityError +=
        (truth * (velocity - baselineVelocity).abs()).sum().item<double>() * 127.0;
    s.baselineOffsetErrorMs += (truth * offset.abs() * 0.5 * stepMs).sum().item<double>();
    // The quantized input's own hits (humanize: the same hits; tapify: one class).
    const torch::Tensor inputHits = batch.inputs.narrow(2, 0, drums).to(torch::kDouble);
    s.baselinePredictedHits += inputHits.sum().item<double>();
    s.baselineBothHits += (truth * inputHits).sum().item<double>();
}

/// Velocity and timing errors on the real hits of a decode with those hits forced.
void addKeptHits(const torch::Tensor& decoded, const VaeBatch& batch, ReconstructionSums& s) {
    const int64_t drums = decoded.size(2) / 3;
    const torch::Tensor truth = batch.targets.narrow(2, 0, drums).to(torch::kDouble);
    const torch::Tensor velocity = batch.targets.narrow(2, drums, drums).to(torch::kDouble);
    const torch::Tensor offset = batch.targets.narrow(2, 2 * drums, drums).to(torch::kDouble);
    const torch::Tensor stepMs = (batch.stepSeconds.to(torch::kDouble) * 1000.0).view({-1, 1, 1});
    s.keptVelocityError +=
        (truth * (decoded.narrow(2, drums, drums).to(torch::kDouble) - velocity).abs())
            .sum()
            .item<double>() *
        127.0;
    s.keptOffsetErrorMs +=
        (truth * (decoded.narrow(2, 2 * drums, drums).to(torch::kDouble) - offset).abs() * 0.5 *
         stepMs)
            .sum()
            .item<double>();
}

JsonValue reconstructionJson(const ReconstructionSums& s, VaeHead head) {
    JsonValue o = JsonValue::object();
    if (head == VaeHead::Categorical) {
        o.set("reconstruction_accuracy", ratio(s.correct, s.cells));
        o.set("reconstruction_event_accuracy", ratio(s.eventCorrect, s.eventCells));
        return o;
    }
    const double precision = ratio(s.bothHits, s.predictedHits);
    const double recall = ratio(s.bothHits, s.trueHits);
    o.set("hit_precision", precision);
    o.set("hit_recall", recall);
    o.set("hit_f1", ratio(2 * precision * recall, precision + recall));
    o.set("velocity_mae", ratio(s.velocityError, s.trueHits));
    o.set("offset_mae_ms", ratio(s.offsetErrorMs, s.trueHits));
    if (s.keptVelocityError > 0 || s.keptOffsetErrorMs > 0) {
        o.set("velocity_mae_kept_hits", ratio(s.keptVelocityError, s.trueHits));
        o.set("offset_mae_ms_kept_hits", ratio(s.keptOffsetErrorMs, s.trueHits));
    }
    const double bp = ratio(s.baselineBothHits, s.baselinePredictedHits);
    const double br = ratio(s.baselineBothHits, s.trueHits);
    o.set("baseline_hit_f1", ratio(2 * bp * br, bp + br));
    o.set("baseline_velocity_mae", ratio(s.baselineVelocityError, s.trueHits));
    o.set("baseline_offset_mae_ms", ratio(s.baselineOffsetErrorMs, s.trueHits));
    return o;
}

/// MusicVae on a VaeDataset, for the shared TrainingLoop.
class VaeTask : public TrainingTask {
public:
    VaeTask(const VaeDataset& data, const VaeTrainingSettings& settings)
        : m_data(data), m_settings(settings), m_h(settings.hparams) {}

    core::Status createNetwork(uint64_t seed) override {
        const VaeConverterConfig& cfg = m_data.config;
        m_arch.head = cfg.type == VaeConverterType::Groove ? VaeHead::Groove : VaeHead::Categorical;
        m_arch.inputDepth = cfg.inputDepth();
        m_arch.latentSize = m_h.zSize;
        m_arch.encoderSizes = m_h.encRnnSize;
        m_arch.decoderSizes = m_h.decRnnSize;
        m_arch.outputDepths = {cfg.outputDepth()};
        auto net = MusicVae::initialize(m_arch, seed);
        if (!net) return net.error();
        m_net = std::move(*net);
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }

    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t seed, int64_t epoch,
                                                    bool dropLast) const override {
        // Windows all have the model's length: a plain shuffle per epoch.
        const size_t count = m_data.train.size();
        auto generator =
            at::detail::createCPUGenerator(seed * 7919ULL + static_cast<uint64_t>(epoch));
        const torch::Tensor perm =
            torch::randperm(static_cast<int64_t>(count), generator, torch::kLong);
        const int64_t* shuffled = perm.data_ptr<int64_t>();
        std::vector<std::vector<uint32_t>> batches;
        const size_t size = static_cast<size_t>(globalBatch);
        for (size_t start = 0; start < count; start += size) {
            if (dropLast && start + size > count) break;
            std::vector<uint32_t> batch;
            for (size_t i = start; i < std::min(count, start + size); ++i)
                batch.push_back(static_cast<uint32_t>(shuffled[i]));
            batches.push_back(std::move(batch));
        }
        return batches;
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t step) override {
        std::vector<const VaeExample*> examples;
        for (uint32_t i : indices) examples.push_back(&m_data.train[i]);
        auto batch = makeVaeBatch(m_data.config, examples, m_h.transposeRange);
        if (!batch) return batch.error();
        auto posterior = m_net->encode(batch->inputs, m_h.dropoutKeepProb);
        if (!posterior) return posterior.error();
        const torch::Tensor z = posterior->mu + posterior->sigma * torch::randn_like(posterior->mu);
        auto logits = m_net->decoderLogits(z, batch->targets, m_h.dropoutKeepProb,
                                           m_h.samplingProbabilityAt(step));
        if (!logits) return logits.error();
        const torch::Tensor r = reconstructionLoss(m_arch.head, *logits, *batch);
        const torch::Tensor kl = klDivergence(*posterior);
        const double freeNats = m_h.freeBits * std::log(2.0);
        const torch::Tensor objective = r + m_h.betaAt(step) * torch::clamp_min(kl - freeNats, 0.0);
        TrainingStepResult out;
        out.lossSum = objective.sum();
        const std::vector<double> counts = predictionCounts(m_arch.head, *logits, *batch);
        out.sums = {static_cast<double>(examples.size()),
                    out.lossSum.item<double>(),
                    r.sum().item<double>(),
                    kl.sum().item<double>(),
                    counts[0],
                    counts[1],
                    counts[2],
                    counts[3]};
        m_lastStep = step;
        return out;
    }
    size_t metricSumCount() const override { return kSumCount; }

    JsonValue trainMetrics(const std::vector<double>& sums, int64_t) const override {
        const double n = std::max(1.0, sums[kExamples]);
        const double steps = static_cast<double>(m_data.config.numSteps);
        JsonValue e = JsonValue::object();
        // The objective per step (this step's beta), and -ELBO per step beside it.
        e.set("loss", sums[kObjective] / n / steps);
        e.set("neg_elbo_per_step", (sums[kReconstruction] + sums[kKl]) / n / steps);
        e.set("reconstruction_per_step", sums[kReconstruction] / n / steps);
        if (m_arch.head == VaeHead::Categorical)
            e.set("perplexity", std::exp(sums[kReconstruction] / n / steps));
        e.set("kl_bits", sums[kKl] / n / std::log(2.0));
        e.set("beta", m_h.betaAt(m_lastStep));
        e.set("sampling_probability", m_h.samplingProbabilityAt(m_lastStep));
        e.set("accuracy", ratio(sums[kCorrect], sums[kCells]));
        e.set("event_accuracy", ratio(sums[kEventCorrect], sums[kEventCells]));
        return e;
    }
    double learningRateAt(int64_t step) const override { return m_h.learningRateAt(step); }

    bool hasEvalData() const override { return !m_data.eval.empty(); }
    core::Result<JsonValue> evaluate() override {
        // Adam updated the weights in place; the inference kernels read packed copies.
        m_net->repack();
        // The objective at its final weight, so evaluations along a beta schedule compare.
        return evaluateVae(*m_net, m_data, m_data.eval, std::max(m_h.batchSize, 128),
                           {m_h.maxBeta, m_h.freeBits});
    }

    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }

    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_data.train.size()), static_cast<int64_t>(m_data.eval.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "music_vae", m_settings.configId, info,
                                       m_h.batchSize, counts, m_h.toJson());
        o.set("architecture", m_arch.toJson());
        const JsonValue converter = m_data.config.toMagentaJs();
        JsonValue codec = JsonValue::object();
        codec.set("encoding", *converter.find("type"));
        codec.set("args", converter.find("args") ? *converter.find("args") : JsonValue::object());
        o.set("codec", codec);
        if (info.heldOut) {
            JsonValue provenance = *o.find("provenance");
            provenance.set("heldOut", *info.heldOut);
            o.set("provenance", provenance);
        }
        return o;
    }

private:
    const VaeDataset& m_data;
    const VaeTrainingSettings& m_settings;
    const VaeHParams& m_h;
    std::unique_ptr<MusicVae> m_net;
    MusicVaeArchitecture m_arch;
    int64_t m_lastStep = 0;
};

}  // namespace

core::Result<JsonValue> evaluateVae(const MusicVae& model, const VaeDataset& dataset,
                                    const std::vector<VaeExample>& examples, int batchSize,
                                    const VaeLossWeights& weights) {
    torch::NoGradGuard noGrad;
    const VaeHead head = model.architecture().head;
    const int64_t steps = dataset.config.numSteps;
    const double baselineVelocity =
        head == VaeHead::Groove ? meanHitVelocity(dataset.train, dataset.config.numClasses()) : 0.0;
    const VaeConverterConfig& cfg = dataset.config;
    const bool keepsHits =
        head == VaeHead::Groove && cfg.humanize && !cfg.tapify && cfg.addInstruments.empty();
    const int64_t drums = cfg.numClasses();
    auto generator = at::detail::createCPUGenerator(0);
    Rng rng(0);
    double reconstruction = 0, kl = 0, penalty = 0;
    bool withoutSigma = false;
    std::vector<double> counts(4, 0.0);
    ReconstructionSums free;
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t start = 0; start < examples.size(); start += size) {
        std::vector<const VaeExample*> part;
        for (size_t i = start; i < std::min(examples.size(), start + size); ++i)
            part.push_back(&examples[i]);
        auto batch = makeVaeBatch(dataset.config, part);
        if (!batch) return batch.error();
        auto posterior = model.encode(batch->inputs);
        if (!posterior) return posterior.error();
        // Checkpoints without encoder/sigma (Magenta.js never reads it) decode from mu and
        // have no KL term.
        const bool hasSigma = posterior->sigma.defined();
        const torch::Tensor z =
            hasSigma
                ? posterior->mu + posterior->sigma * at::randn(posterior->mu.sizes(), generator,
                                                               posterior->mu.options())
                : posterior->mu;
        auto logits = model.decoderLogits(z, batch->targets);
        if (!logits) return logits.error();
        reconstruction += reconstructionLoss(head, *logits, *batch).sum().item<double>();
        if (hasSigma) {
            const torch::Tensor d = klDivergence(*posterior);
            kl += d.sum().item<double>();
            penalty +=
                torch::clamp_min(d - weights.freeBits * std::log(2.0), 0.0).sum().item<double>();
        }
        withoutSigma = withoutSigma || !hasSigma;
        const std::vector<double> c = predictionCounts(head, *logits, *batch);
        for (size_t i = 0; i < 4; ++i) counts[i] += c[i];
        auto decoded = model.decode(posterior->mu, steps, 0.0, rng);
        if (!decoded) return decoded.error();
        addReconstruction(*decoded, *batch, head, baselineVelocity, free);
        if (keepsHits) {
            // The Groove tool's default: the input's hits, the model's timing and dynamics.
            VaeDecodeControls controls;
            controls.forcedHits = batch->inputs.narrow(2, 0, drums);
            auto kept = model.decode(posterior->mu, steps, 0.0, rng, controls);
            if (!kept) return kept.error();
            addKeptHits(*kept, *batch, free);
        }
    }
    const double n = std::max<double>(1.0, static_cast<double>(examples.size()));
    JsonValue o = reconstructionJson(free, head);
    o.set("loss", (reconstruction + weights.beta * penalty) / n / static_cast<double>(steps));
    o.set("neg_elbo_per_step", (reconstruction + kl) / n / static_cast<double>(steps));
    o.set("reconstruction_per_step", reconstruction / n / static_cast<double>(steps));
    if (head == VaeHead::Categorical)
        o.set("perplexity", std::exp(reconstruction / n / static_cast<double>(steps)));
    if (!withoutSigma) o.set("kl_bits", kl / n / std::log(2.0));
    o.set("accuracy", ratio(counts[1], counts[0]));
    o.set("event_accuracy", ratio(counts[3], counts[2]));
    o.set("examples", static_cast<int64_t>(examples.size()));
    return o;
}

core::Result<VaeTrainingOutcome> trainVae(const VaeDataset& dataset,
                                          const VaeTrainingSettings& settings,
                                          const TrainingEventSink& onEvent,
                                          const std::atomic<bool>& stop, DistributedGroup* group) {
    const VaeHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    if (dataset.train.empty())
        return core::Error{"the training side of the dataset has no windows (" +
                           std::to_string(dataset.report.filesRead) +
                           " files read); see the dataset statistics"};
    VaeTask task(dataset, settings);
    TrainingLoopSettings loop = loopSettingsFor(settings, h);
    loop.zeroGradientsAbove = h.gradNormClipToZero;
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    return VaeTrainingOutcome{outcome->step, outcome->reason, outcome->modelFolder,
                              outcome->bestEval};
}

}  // namespace toccata::ml
