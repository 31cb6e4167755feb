#include "ml/training/PianoGenieTrainer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/generation/Rng.h"
#include "ml/models/piano_genie/PianoGenie.h"

namespace toccata::ml {

namespace {

using core::JsonValue;

// A training step's sums; sums[0] is what the loss is averaged over (notes).
enum Sum { kNotes, kNll, kCorrect, kMargin, kContour, kObjective, kSumCount };

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

/// The decoder's previous-key input: SOS (88) then the keys shifted right by one.
torch::Tensor previousKeys(const torch::Tensor& keys) {
    const torch::Tensor sos = torch::full({keys.size(0), 1}, kPianoGenieKeys, torch::kLong);
    return torch::cat({sos, keys.narrow(1, 0, keys.size(1) - 1)}, 1);
}

/// Piano Genie on a PianoGenieDataset, for the shared TrainingLoop.
class PianoGenieTask : public TrainingTask {
public:
    PianoGenieTask(const PianoGenieDataset& data, const PianoGenieTrainingSettings& settings,
                   std::vector<uint32_t> trainable)
        : m_data(data),
          m_settings(settings),
          m_h(settings.hparams),
          m_trainable(std::move(trainable)),
          m_evalWindows(pianoGenieEvalWindows(data.eval, m_h.seqLen, m_h.dataDeltaTimeMax)),
          m_keyFrequencies(pianoGenieKeyFrequencies(data.train)) {
        m_windowing.seqLen = m_h.seqLen;
        m_windowing.deltaTimeMax = m_h.dataDeltaTimeMax;
        m_windowing.timeStretchMax = m_h.dataAugmentTimeStretchMax;
        m_windowing.transposeMax = m_h.dataAugmentTransposeMax;
    }

    core::Status createNetwork(uint64_t seed) override {
        m_net = PianoGenieNetwork::create(m_h.modelRnnDim, m_h.modelRnnNumLayers, seed);
        if (!m_net) return core::Status::failure("could not create the Piano Genie network");
        return {};
    }
    NamedTensors parameters() const override { return m_net->namedTensors(); }

    std::vector<std::vector<uint32_t>> epochBatches(int globalBatch, uint64_t seed, int64_t epoch,
                                                    bool dropLast) const override {
        // The tutorial picks a performance at random for every window. An epoch lists every
        // trainable performance (repeated to fill at least one batch), shuffled; the window
        // inside it is drawn in forward().
        const size_t n = m_trainable.size();
        const size_t copies = std::max<size_t>(1, (static_cast<size_t>(globalBatch) + n - 1) / n);
        const size_t count = n * copies;
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
                batch.push_back(m_trainable[static_cast<size_t>(shuffled[i]) % n]);
            batches.push_back(std::move(batch));
        }
        return batches;
    }

    core::Result<TrainingStepResult> forward(const std::vector<uint32_t>& indices,
                                             int64_t) override {
        // Offsets, stretches and shifts from torch's generator, which the loop seeded with
        // (seed, step, rank): a resumed run draws the same windows.
        Rng rng(static_cast<uint64_t>(
            torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, torch::kLong)
                .item<int64_t>()));
        std::vector<PianoGenieWindow> windows;
        windows.reserve(indices.size());
        for (uint32_t i : indices)
            windows.push_back(pianoGenieTrainingWindow(m_data.train[i], m_windowing, rng));
        std::vector<const PianoGenieWindow*> pointers;
        for (const PianoGenieWindow& w : windows) pointers.push_back(&w);
        const PianoGenieBatch batch = makePianoGenieBatch(pointers);
        auto f = pianoGenieForward(*m_net, batch);
        if (!f) return f.error();
        const double notes = static_cast<double>(batch.keys.numel());
        TrainingStepResult out;
        out.lossSum =
            f->nllSum +
            (m_h.lossMarginMultiplier * f->margin + m_h.lossContourMultiplier * f->contour) * notes;
        const double correct = (f->logits.argmax(-1) == batch.keys).sum().item<double>();
        out.sums = {notes,
                    f->nllSum.item<double>(),
                    correct,
                    f->margin.item<double>() * notes,
                    f->contour.item<double>() * notes,
                    out.lossSum.item<double>()};
        return out;
    }
    size_t metricSumCount() const override { return kSumCount; }

    JsonValue trainMetrics(const std::vector<double>& sums, int64_t) const override {
        const double n = std::max(1.0, sums[kNotes]);
        JsonValue e = JsonValue::object();
        // "loss" is the key NLL per note, as in the held-out evaluation; the objective the
        // optimizer sees adds the margin and contour terms.
        e.set("loss", sums[kNll] / n);
        e.set("perplexity", std::exp(sums[kNll] / n));
        e.set("accuracy", sums[kCorrect] / n);
        e.set("objective", sums[kObjective] / n);
        e.set("margin", sums[kMargin] / n);
        e.set("contour", sums[kContour] / n);
        return e;
    }
    double learningRateAt(int64_t step) const override { return m_h.learningRateAt(step); }

    bool hasEvalData() const override { return !m_evalWindows.empty(); }
    core::Result<JsonValue> evaluate() override {
        // Adam updated the weights in place; the inference kernels read packed copies.
        m_net->repack();
        return evaluatePianoGenie(*m_net, m_evalWindows, std::max(m_h.batchSize, 64),
                                  m_keyFrequencies, m_h.lossMarginMultiplier,
                                  m_h.lossContourMultiplier);
    }

    JsonValue hparamsJson() const override { return m_h.toJson(); }
    uint64_t datasetKey() const override { return m_data.key; }

    JsonValue modelJson(const TrainingRunInfo& info) const override {
        const TrainingDataCounts counts{
            static_cast<int64_t>(m_trainable.size()), static_cast<int64_t>(m_evalWindows.size()),
            m_data.report.filesRead, static_cast<int64_t>(m_data.report.skipped.size())};
        JsonValue o = trainedModelJson(m_settings, "piano_genie", "piano_genie", info,
                                       m_h.batchSize, counts, m_h.toJson());
        o.set("architecture", pianoGenieArchitectureJson(*m_net));
        o.set("codec", pianoGenieCodecJson(m_h.dataDeltaTimeMax));
        JsonValue provenance = *o.find("provenance");
        provenance.set("trainNotes", m_data.trainNotes());
        provenance.set("evalNotes", m_data.evalNotes());
        provenance.set("trainExamplesAre", "performances (a random window of each per batch)");
        provenance.set("evalExamplesAre", "non-overlapping windows of seq_len notes");
        if (info.heldOut) provenance.set("heldOut", *info.heldOut);
        o.set("provenance", provenance);
        return o;
    }

private:
    const PianoGenieDataset& m_data;
    const PianoGenieTrainingSettings& m_settings;
    const PianoGenieHParams& m_h;
    std::vector<uint32_t> m_trainable;  ///< training performances with seq_len notes
    std::vector<PianoGenieWindow> m_evalWindows;
    std::vector<double> m_keyFrequencies;
    PianoGenieWindowing m_windowing;
    std::unique_ptr<PianoGenieNetwork> m_net;
};

}  // namespace

torch::Tensor pianoGenieButtons(const torch::Tensor& reals) {
    // torch::round rounds half to even, as the tutorial's torch.round.
    return torch::round(torch::clamp((reals.detach() + 1.0) / 2.0, 0.0, 1.0) *
                        (kPianoGenieButtons - 1))
        .to(torch::kLong);
}

torch::Tensor pianoGenieQuantize(const torch::Tensor& reals) {
    const torch::Tensor levels =
        pianoGenieButtons(reals).to(reals.scalar_type()) * (2.0 / (kPianoGenieButtons - 1)) - 1.0;
    return reals + (levels - reals).detach();
}

core::Result<PianoGenieForward> pianoGenieForward(const PianoGenieNetwork& network,
                                                  const PianoGenieBatch& batch) {
    if (batch.keys.dim() != 2 || batch.keys.size(1) < 1)
        return core::Error{"Piano Genie: a batch needs windows of at least one note"};
    auto encoded = network.encode(batch.keys, batch.deltas);
    if (!encoded) return encoded.error();
    PianoGenieForward f;
    f.encoded = *encoded;
    f.buttons = pianoGenieButtons(f.encoded);
    f.logits = network.decodeSequence(previousKeys(batch.keys), batch.deltas,
                                      pianoGenieQuantize(f.encoded));
    const torch::Tensor logp = torch::log_softmax(f.logits, -1);
    f.nllSum = -logp.gather(-1, batch.keys.unsqueeze(-1)).sum();
    f.margin = torch::clamp_min(f.encoded.abs() - 1.0, 0.0).pow(2).mean();
    const int64_t t = batch.keys.size(1);
    if (t < 2) {
        f.contour = torch::zeros({}, f.encoded.options());
    } else {
        const torch::Tensor dk =
            (batch.keys.narrow(1, 1, t - 1) - batch.keys.narrow(1, 0, t - 1)).to(torch::kFloat);
        const torch::Tensor de = f.encoded.narrow(1, 1, t - 1) - f.encoded.narrow(1, 0, t - 1);
        f.contour = torch::clamp_min(1.0 - dk * de, 0.0).pow(2).mean();
    }
    return f;
}

core::Result<JsonValue> evaluatePianoGenie(const PianoGenieNetwork& network,
                                           const std::vector<PianoGenieWindow>& windows,
                                           int batchSize, const std::vector<double>& keyFrequencies,
                                           double marginMultiplier, double contourMultiplier) {
    if (windows.empty()) return core::Error{"Piano Genie evaluation: no windows to score"};
    if (!network.hasEncoder())
        return core::Error{
            "Piano Genie evaluation needs the encoder (enc.* weights); this model has only "
            "the decoder"};
    torch::NoGradGuard noGrad;
    double notes = 0, nll = 0, correct = 0, margin = 0, contour = 0, unigram = 0;
    double movingPairs = 0, agreeing = 0;
    std::vector<double> usage(kPianoGenieButtons, 0.0);
    std::vector<double> logFrequency;
    for (double p : keyFrequencies) logFrequency.push_back(std::log(p));
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    for (size_t start = 0; start < windows.size(); start += size) {
        std::vector<const PianoGenieWindow*> part;
        for (size_t i = start; i < std::min(windows.size(), start + size); ++i)
            part.push_back(&windows[i]);
        const PianoGenieBatch batch = makePianoGenieBatch(part);
        auto f = pianoGenieForward(network, batch);
        if (!f) return f.error();
        const double n = static_cast<double>(batch.keys.numel());
        notes += n;
        nll += f->nllSum.item<double>();
        correct += (f->logits.argmax(-1) == batch.keys).sum().item<double>();
        margin += f->margin.item<double>() * n;
        contour += f->contour.item<double>() * n;
        const torch::Tensor counts = torch::bincount(f->buttons.flatten(), {}, kPianoGenieButtons);
        for (int b = 0; b < kPianoGenieButtons; ++b)
            usage[static_cast<size_t>(b)] += counts[b].item<double>();
        const int64_t t = batch.keys.size(1);
        if (t >= 2) {
            const torch::Tensor dk =
                batch.keys.narrow(1, 1, t - 1) - batch.keys.narrow(1, 0, t - 1);
            const torch::Tensor db =
                f->buttons.narrow(1, 1, t - 1) - f->buttons.narrow(1, 0, t - 1);
            const torch::Tensor moving = dk != 0;
            movingPairs += moving.sum().item<double>();
            agreeing += (moving & (torch::sign(dk) == torch::sign(db))).sum().item<double>();
        }
        if (logFrequency.size() == static_cast<size_t>(kPianoGenieKeys))
            for (const PianoGenieWindow* w : part)
                for (int64_t k : w->keys) unigram -= logFrequency[static_cast<size_t>(k)];
    }
    JsonValue o = JsonValue::object();
    o.set("loss", nll / notes);
    o.set("nll_per_note", nll / notes);
    o.set("perplexity", std::exp(nll / notes));
    o.set("accuracy", correct / notes);
    if (logFrequency.size() == static_cast<size_t>(kPianoGenieKeys)) {
        o.set("unigram_nll_per_note", unigram / notes);
        o.set("unigram_perplexity", std::exp(unigram / notes));
    }
    o.set("margin", margin / notes);
    o.set("contour", contour / notes);
    o.set("objective", (nll + marginMultiplier * margin + contourMultiplier * contour) / notes);
    o.set("contour_agreement", ratio(agreeing, movingPairs));
    JsonValue buttons = JsonValue::array();
    for (double u : usage) buttons.push(u / notes);
    o.set("button_usage", buttons);
    o.set("notes", static_cast<int64_t>(notes));
    o.set("windows", static_cast<int64_t>(windows.size()));
    return o;
}

JsonValue pianoGenieArchitectureJson(const PianoGenieNetwork& network) {
    JsonValue a = JsonValue::object();
    a.set("layout", "tutorial");
    a.set("rnnSize", network.rnnSize());
    a.set("layers", network.numLayers());
    a.set("encoder", network.hasEncoder());
    return a;
}

JsonValue pianoGenieCodecJson(double deltaTimeMax) {
    JsonValue c = JsonValue::object();
    c.set("encoding", "piano_genie");
    c.set("numButtons", kPianoGenieButtons);
    c.set("numKeys", kPianoGenieKeys);
    c.set("lowestPitch", kPianoGenieLowestPitch);
    c.set("deltaTimeMax", deltaTimeMax);
    return c;
}

core::Result<PianoGenieTrainingOutcome> trainPianoGenie(const PianoGenieDataset& dataset,
                                                        const PianoGenieTrainingSettings& settings,
                                                        const TrainingEventSink& onEvent,
                                                        const std::atomic<bool>& stop,
                                                        DistributedGroup* group) {
    const PianoGenieHParams& h = settings.hparams;
    if (core::Status s = h.validate(); !s) return s.error();
    std::vector<uint32_t> trainable;
    for (size_t i = 0; i < dataset.train.size(); ++i)
        if (dataset.train[i].size() >= static_cast<size_t>(h.seqLen))
            trainable.push_back(static_cast<uint32_t>(i));
    if (trainable.empty())
        return core::Error{"no training performance has seq_len=" + std::to_string(h.seqLen) +
                           " notes (" + std::to_string(dataset.train.size()) +
                           " performances from " + std::to_string(dataset.report.filesRead) +
                           " files read); see the dataset statistics"};
    PianoGenieTask task(dataset, settings, std::move(trainable));
    const TrainingLoopSettings loop = loopSettingsFor(settings, h);
    auto outcome = runTrainingLoop(task, loop, onEvent, stop, group);
    if (!outcome) return outcome.error();
    return PianoGenieTrainingOutcome{outcome->step, outcome->reason, outcome->modelFolder,
                                     outcome->bestEval};
}

}  // namespace toccata::ml
