// Performance RNN generation: the configs' widths and codec JSON, Magenta's RNN step budget,
// the control vector fed at every step (a recording stepper), early stop once the length is
// filled, the 5 s cap on hanging notes, the length of a 10 s continuation, seeds, beam
// search, cancellation, errors that name the bad value, and export -> load -> same output.
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/generation/Rng.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <stop_token>

using namespace toccata;
using namespace toccata::ml;

namespace {

/// Two seconds of piano: a C major arpeggio, velocities rising.
core::NoteSequence primerSequence() {
    core::NoteSequence s;
    s.tempos.push_back({0.0, 90.0});
    const int pitches[] = {60, 64, 67, 72, 67, 64, 60, 55};
    for (int i = 0; i < 8; ++i) {
        core::Note n;
        n.pitch = pitches[i];
        n.velocity = 40 + 8 * i;
        n.startTime = 0.25 * i;
        n.endTime = n.startTime + 0.2;
        s.notes.push_back(n);
    }
    s.recomputeTotalTime();
    return s;
}

/// A stepper that always predicts one class and records every input row.
class FixedStepper : public BatchStepper {
public:
    FixedStepper(int64_t depth, int64_t classes, int favourite)
        : m_depth(depth), m_classes(classes), m_favourite(favourite) {}
    int64_t inputDepth() const override { return m_depth; }
    int64_t numClasses() const override { return m_classes; }
    int64_t batch() const override { return m_batch; }
    core::Status reset(int64_t batch) override {
        m_batch = batch;
        return {};
    }
    core::Result<std::vector<float>> step(const std::vector<float>& inputs) override {
        for (int64_t r = 0; r < m_batch; ++r)
            rows.emplace_back(inputs.begin() + r * m_depth, inputs.begin() + (r + 1) * m_depth);
        std::vector<float> logits(static_cast<size_t>(m_batch * m_classes), -30.0F);
        for (int64_t r = 0; r < m_batch; ++r)
            logits[static_cast<size_t>(r * m_classes + m_favourite)] = 30.0F;
        return logits;
    }
    core::Status selectRows(const std::vector<int64_t>& r) override {
        m_batch = static_cast<int64_t>(r.size());
        return {};
    }
    std::vector<std::vector<float>> rows;

private:
    int64_t m_depth, m_classes;
    int m_favourite;
    int64_t m_batch = 0;
};

std::unique_ptr<PerformanceRnnGenerator> tinyGenerator(const std::string& configId,
                                                       uint64_t seed = 3) {
    auto config = PerformanceRnnConfig::named(configId);
    if (!config) return nullptr;
    MusicRnnArchitecture arch;
    arch.layerSizes = {24, 24};
    arch.inputDepth = config->inputDepth();
    arch.numClasses = config->numClasses();
    auto net = MusicRnn::initialize(arch, seed);
    if (!net) return nullptr;
    ModelSpec spec;
    spec.folder = "tiny";
    spec.id = "tiny_" + configId;
    spec.family = "performance_rnn";
    spec.provenance = core::JsonValue::object();
    spec.license = core::JsonValue::object();
    spec.license.set("trainingData", "none (random weights)");
    auto generator = PerformanceRnnGenerator::fromNetwork(spec, *config, std::move(*net));
    return generator ? std::move(*generator) : nullptr;
}

double lastEnd(const core::NoteSequence& s) {
    double end = 0.0;
    for (const core::Note& n : s.notes) end = std::max(end, n.endTime);
    return end;
}

}  // namespace

class TestPerformanceRnnGenerator : public QObject {
    Q_OBJECT

private slots:
    void configWidths() {
        const std::vector<std::pair<std::string, std::pair<int, int>>> want = {
            {"performance", {356, 356}},
            {"performance_with_dynamics", {388, 388}},
            {"density_conditioned_performance_with_dynamics", {396, 388}},
            {"pitch_conditioned_performance_with_dynamics", {400, 388}},
            {"multiconditioned_performance_with_dynamics", {408, 388}},
            {"optional_multiconditioned_performance_with_dynamics", {409, 388}}};
        for (const auto& [id, widths] : want) {
            auto c = PerformanceRnnConfig::named(id);
            QVERIFY2(c, c ? "" : c.errorMessage().c_str());
            QCOMPARE(c->inputDepth(), widths.first);
            QCOMPARE(c->numClasses(), widths.second);
            auto back = PerformanceRnnConfig::fromCodecJson(c->toCodecJson(), "model.json");
            QVERIFY(back);
            QCOMPARE(back->inputDepth(), widths.first);
        }
        auto bad = PerformanceRnnConfig::named("performance_rnn_xl");
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("performance_rnn_xl") != std::string::npos);
        core::JsonValue codec = PerformanceRnnConfig::named("performance")->toCodecJson();
        codec.set("numVelocityBins", 32);
        auto mismatch = PerformanceRnnConfig::fromCodecJson(codec, "x/model.json");
        QVERIFY(!mismatch);
        QVERIFY(mismatch.errorMessage().find("numVelocityBins") != std::string::npos);
    }

    void budgetIsMagentas() {
        QCOMPARE(performanceEventBudget(15.0, 1000, 100), int64_t{600});
        QCOMPARE(performanceEventBudget(0.0, 1000, 100), int64_t{40});  // density floored at 1
        QCOMPARE(performanceEventBudget(8.0, 1, 100), int64_t{1});
    }

    void controlVectorFedAtEveryStep() {
        auto config = *PerformanceRnnConfig::named("multiconditioned_performance_with_dynamics");
        const int shift50 = 256 + 49;  // TIME_SHIFT of 50 steps
        FixedStepper stepper(config.inputDepth(), config.numClasses(), shift50);
        PerformanceGenerationOptions options;
        options.seed = 1;
        options.steps = 1000;
        options.density = 5.0;
        options.pitchHistogram = std::vector<double>{2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1};
        auto result = generatePerformance(stepper, config, primerSequence(), options);
        QVERIFY2(result, result ? "" : result.errorMessage().c_str());
        auto desired = config.controls.desired(5.0, options.pitchHistogram);
        QVERIFY(desired);
        QCOMPARE(static_cast<int>(desired->size()), 20);
        QVERIFY(!stepper.rows.empty());
        for (const auto& row : stepper.rows) {
            QCOMPARE(static_cast<int64_t>(row.size()), static_cast<int64_t>(config.inputDepth()));
            QVERIFY(std::equal(desired->begin(), desired->end(), row.begin()));
            float ones = 0.0F;
            for (size_t i = desired->size(); i < row.size(); ++i) ones += row[i];
            QCOMPARE(ones, 1.0F);
        }
        // Density 5 selects one-hot class 3 (edges 1, 2, 4 are <= 5); C has weight 2/8.
        QCOMPARE((*desired)[3], 1.0F);
        QVERIFY(std::abs((*desired)[8] - 0.25F) < 1e-6);
        // Shifts of 0.5 s fill 10 s in 20 events, well inside the budget of 200: it stops there.
        QCOMPARE(result->eventBudget, int64_t{200});
        QCOMPARE(result->eventsGenerated, int64_t{20});
        QVERIFY(result->filled);
        QCOMPARE(result->endStep - result->startStep, int64_t{1000});
        // The primer's last note ends at 1.95 s: generation starts at step 195.
        QCOMPARE(result->startStep, int64_t{195});
        QCOMPARE(static_cast<int64_t>(stepper.rows.size()), result->primerEvents + 19);
    }

    void hangingNotesEndAfterFiveSeconds() {
        auto config = *PerformanceRnnConfig::named("performance_with_dynamics");
        FixedStepper stepper(config.inputDepth(), config.numClasses(), 62);  // NOTE_ON 62 forever
        PerformanceGenerationOptions options;
        options.seed = 2;
        options.steps = 1000;
        options.density = 1.0;
        auto result = generatePerformance(stepper, config, primerSequence(), options);
        QVERIFY2(result, result ? "" : result.errorMessage().c_str());
        QCOMPARE(result->eventsGenerated, result->eventBudget);  // never filled: whole budget
        QVERIFY(!result->filled);
        const core::NoteSequence part = performanceGeneratedPart(*result);
        QCOMPARE(static_cast<int64_t>(part.notes.size()), result->eventBudget);
        for (const core::Note& n : part.notes) {
            QCOMPARE(n.pitch, 62);
            QVERIFY(std::abs(n.endTime - n.startTime - 5.0) < 1e-6);  // cut at 5 s, not 10
        }
    }

    void tenSecondContinuation() {
        auto generator = tinyGenerator("performance_with_dynamics");
        QVERIFY(generator);
        const core::NoteSequence primer = primerSequence();
        PerformanceGenerationOptions options;
        options.seed = 7;
        options.steps = 1000;
        auto result = generator->generate(primer, options);
        QVERIFY2(result, result ? "" : result.errorMessage().c_str());
        QVERIFY(result->eventsGenerated > 0);
        QVERIFY(result->eventsGenerated <= result->eventBudget);
        const double primerEnd = lastEnd(primer);
        for (const core::Note& n : result->sequence.notes) {
            QVERIFY(n.endTime <= primerEnd + 10.0 + 0.011);
            QVERIFY(n.endTime - n.startTime <= 5.0 + 1e-6);
            QVERIFY(n.velocity >= 1 && n.velocity <= 127);
        }
        // The primer comes back (velocities on the 32-bin grid), then the continuation.
        QVERIFY(result->sequence.notes.size() >= primer.notes.size());
        QCOMPARE(result->sequence.notes.front().pitch, 60);
        QCOMPARE(result->sequence.tempos.front().qpm, 90.0);
        for (const core::Note& n : performanceGeneratedPart(*result).notes)
            QVERIFY(n.startTime >= result->startStep / 100.0 - 1e-6);
        const core::NoteSequence alone = performanceContinuationOnly(*result);
        QCOMPARE(alone.totalTime, 10.0);
        for (const core::Note& n : alone.notes) QVERIFY(n.startTime >= 0.0 && n.endTime <= 10.011);
    }

    void sameSeedSameOutput() {
        auto generator = tinyGenerator("density_conditioned_performance_with_dynamics");
        QVERIFY(generator);
        PerformanceGenerationOptions options;
        options.seed = 42;
        options.steps = 300;
        options.density = 8.0;
        auto a = generator->generate(primerSequence(), options);
        auto b = generator->generate(primerSequence(), options);
        QVERIFY(a && b);
        QVERIFY(a->sequence == b->sequence);
        QCOMPARE(a->logLikelihood, b->logLikelihood);
        options.seed = 43;
        auto c = generator->generate(primerSequence(), options);
        QVERIFY(c);
        QVERIFY(!(a->sequence == c->sequence));
        // From nothing: Magenta's second of silence first, then the generated part.
        auto empty = generator->generate(core::NoteSequence{}, options);
        QVERIFY2(empty, empty ? "" : empty.errorMessage().c_str());
        QCOMPARE(empty->startStep, int64_t{0});
        QCOMPARE(empty->endStep, int64_t{300});
        for (const core::Note& n : empty->sequence.notes) QVERIFY(n.startTime >= 1.0 - 1e-9);
    }

    void beamSearchAndCancellation() {
        auto generator = tinyGenerator("performance");
        QVERIFY(generator);
        PerformanceGenerationOptions options;
        options.seed = 5;
        options.steps = 200;
        options.density = 2.0;
        options.beamSize = 2;
        options.branchFactor = 2;
        auto beam = generator->generate(primerSequence(), options);
        QVERIFY2(beam, beam ? "" : beam.errorMessage().c_str());
        QCOMPARE(beam->eventsGenerated, beam->eventBudget);
        for (const core::Note& n : beam->sequence.notes) {
            QCOMPARE(n.velocity, 100);  // no velocity events in "performance"
            QVERIFY(n.endTime <= beam->endStep / 100.0 + 1e-9);
        }
        std::stop_source stop;
        int64_t calls = 0;
        options.beamSize = 1;
        options.branchFactor = 1;
        options.steps = 2000;
        options.density = 15.0;
        options.stopToken = stop.get_token();
        options.progress = [&](int64_t done, int64_t total) {
            QVERIFY(done <= total);
            if (++calls == 3) stop.request_stop();
        };
        auto cancelled = generator->generate(primerSequence(), options);
        QVERIFY(!cancelled);
        QVERIFY(cancelled.errorMessage().find("cancelled") != std::string::npos);
        QCOMPARE(calls, int64_t{3});
    }

    void errorsNameTheValue() {
        auto density = tinyGenerator("density_conditioned_performance_with_dynamics");
        QVERIFY(density);
        PerformanceGenerationOptions options;
        options.seed = 1;
        options.steps = 100;
        options.pitchHistogram = std::vector<double>(12, 1.0);
        auto refused = density->generate(primerSequence(), options);
        QVERIFY(!refused);
        QVERIFY(refused.errorMessage().find("pitch histogram") != std::string::npos);
        QVERIFY(refused.errorMessage().find("density_conditioned") != std::string::npos);

        auto pitch = tinyGenerator("pitch_conditioned_performance_with_dynamics");
        QVERIFY(pitch);
        options.pitchHistogram = std::vector<double>{1, 0, 1};
        auto few = pitch->generate(primerSequence(), options);
        QVERIFY(!few);
        QVERIFY(few.errorMessage().find("got 3") != std::string::npos);
        options.pitchHistogram.reset();
        options.density = -2.0;
        auto negative = pitch->generate(primerSequence(), options);
        QVERIFY(!negative);
        QVERIFY(negative.errorMessage().find("-2") != std::string::npos);
        options.density.reset();
        options.steps.reset();
        options.numSteps = 100;  // the primer already lasts 1.95 s
        auto tooShort = pitch->generate(primerSequence(), options);
        QVERIFY(!tooShort);
        QVERIFY(tooShort.errorMessage().find("longer than") != std::string::npos);

        // A network whose width does not fit the config is refused with both numbers.
        MusicRnnArchitecture arch{{8}, 388, 388, 0, false};
        auto net = MusicRnn::initialize(arch, 1);
        QVERIFY(net);
        ModelSpec spec;
        spec.folder = "m";
        auto wrong = PerformanceRnnGenerator::fromNetwork(
            spec, *PerformanceRnnConfig::named("pitch_conditioned_performance_with_dynamics"),
            std::move(*net));
        QVERIFY(!wrong);
        QVERIFY(wrong.errorMessage().find("400") != std::string::npos);
        QVERIFY(wrong.errorMessage().find("388") != std::string::npos);
    }

    void exportLoadsAndGeneratesTheSame() {
        auto generator = tinyGenerator("multiconditioned_performance_with_dynamics", 9);
        QVERIFY(generator);
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString() + "/model";
        QVERIFY(generator->exportTo(folder, {}));
        auto spec = loadModelSpec(folder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(QString::fromStdString(spec->family), QString("performance_rnn"));
        auto loaded = PerformanceRnnGenerator::load(*spec);
        QVERIFY2(loaded, loaded ? "" : loaded.errorMessage().c_str());
        QCOMPARE((*loaded)->config().inputDepth(), 408);
        PerformanceGenerationOptions options;
        options.seed = 11;
        options.steps = 250;
        options.temperature = 0.8;
        options.pitchHistogram = std::vector<double>{1, 0, 1, 0, 1, 2, 0, 1, 0, 1, 1, 0};
        auto a = generator->generate(primerSequence(), options);
        auto b = (*loaded)->generate(primerSequence(), options);
        QVERIFY(a && b);
        QVERIFY(a->sequence == b->sequence);
        // Magenta.js has no Performance RNN.
        ModelExportOptions js;
        js.format = ModelFolderFormat::kMagentaJs;
        QVERIFY(!generator->exportTo(dir.path().toStdString() + "/js", js));
    }
};

QTEST_GUILESS_MAIN(TestPerformanceRnnGenerator)
#include "TestPerformanceRnnGenerator.moc"
