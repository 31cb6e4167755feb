// Performance RNN training: the hparams' names and bounds, the teacher-forcing tensors
// (controls of position i + 1 beside the one-hot of event i), a run on tiny synthetic
// performances whose loss falls below the n-gram baselines and whose export loads and
// generates, exact resume, and a smoke run on a few ASAP files when ../shared is present.
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/data/MidiFolder.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"
#include "ml/training/PerformanceRnnTrainer.h"
#include "ml/weights/WeightsReader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <filesystem>

using namespace toccata;
using namespace toccata::ml;

namespace {

/// A very regular "performance": a broken chord cycling every 8 notes, one note every 0.12 s
/// lasting 0.1 s, two alternating velocities; `variant` moves it to another key.
core::NoteSequence regularPerformance(int notes, int variant) {
    static const int kOffsets[] = {0, 4, 7, 12, 16, 12, 7, 4};
    core::NoteSequence s;
    for (int i = 0; i < notes; ++i) {
        core::Note n;
        n.pitch = 48 + variant + kOffsets[i % 8];
        n.velocity = i % 2 == 0 ? 90 : 60;
        n.startTime = 0.12 * i;
        n.endTime = n.startTime + 0.1;
        s.notes.push_back(n);
    }
    s.recomputeTotalTime();
    return s;
}

PerformanceDataset toyDataset(int files, int notes) {
    PerformanceDataset d;
    d.key = 17;
    for (int v = 0; v < files; ++v) {
        core::PipelineStatistics stats;
        auto record = performanceRecord(regularPerformance(notes, v % 5), true, false, stats);
        Q_ASSERT(record);
        record->file = static_cast<uint32_t>(v);
        d.files.push_back("toy" + std::to_string(v) + ".mid");
        (v + 1 < files ? d.train : d.eval).push_back(std::move(*record));
    }
    d.report.filesRead = files;
    return d;
}

PerformanceRnnTrainingSettings tinySettings(
    const QString& folder, int64_t steps, const std::string& config = "performance_with_dynamics") {
    PerformanceRnnTrainingSettings s;
    s.configId = config;
    const core::Status applied = s.hparams.apply(
        "rnn_layer_sizes=[48],window_events=64,batch_size=8,learning_rate=0.01,log_every=10,"
        "eval_every=40,checkpoint_every=40,keep_checkpoints=2,seed=4,eval_max_windows=8");
    Q_ASSERT(applied);
    s.runFolder = folder.toStdString();
    s.totalSteps = steps;
    s.corpus = "synthetic broken chords";
    return s;
}

}  // namespace

class TestPerformanceRnnTrainer : public QObject {
    Q_OBJECT

private slots:
    void hparamsNamesAndBounds() {
        PerformanceRnnHParams h;
        QCOMPARE(h.layerSizes, (std::vector<int64_t>{256, 256, 256}));
        QCOMPARE(h.windowEvents, int64_t{512});
        QCOMPARE(h.clipNorm, 3.0);
        QVERIFY(h.apply("rnn_layer_sizes=[32,32],window_events=128,transpose_max=0"));
        QCOMPARE(h.layerSizes, (std::vector<int64_t>{32, 32}));
        const core::Status stretch = h.apply("time_stretch=2");
        QVERIFY(!stretch);
        QVERIFY(stretch.errorMessage().find("time_stretch") != std::string::npos);
        const core::Status unknown = h.apply("lr=0.1");
        QVERIFY(!unknown);
        QVERIFY(unknown.errorMessage().find("lr") != std::string::npos);
        // A failed apply may have set fields before validation refused them: start again.
        h = PerformanceRnnHParams{};
        QVERIFY(h.apply("rnn_layer_sizes=[32,32],window_events=128,transpose_max=0"));
        auto back = PerformanceRnnHParams::fromJson(h.toJson(), PerformanceRnnHParams{});
        QVERIFY(back);
        QCOMPARE(back->layerSizes, h.layerSizes);
        QCOMPARE(back->windowEvents, int64_t{128});
        QCOMPARE(back->transposeMax, int64_t{0});
    }

    void tensorsPairControlsWithTheNextEvent() {
        PerformanceWindow w;
        w.events = {300, 60, 260, 188, 62};
        w.controls.resize(5 * 2);
        for (int i = 0; i < 5; ++i) {
            w.controls[static_cast<size_t>(2 * i)] = static_cast<float>(i);
            w.controls[static_cast<size_t>(2 * i + 1)] = -1.0F;
        }
        const PerformanceBatch batch = makePerformanceBatch({&w}, 2);
        const PerformanceRnnTensors t = performanceRnnTensors(batch, 388, 2);
        QVERIFY(t.inputs.sizes().vec() == (std::vector<int64_t>{1, 4, 390}));
        for (int64_t i = 0; i < 4; ++i) {
            QCOMPARE(t.inputs[0][i][0].item<float>(), static_cast<float>(i + 1));
            QCOMPARE(t.inputs[0][i][2 + w.events[static_cast<size_t>(i)]].item<float>(), 1.0F);
            // control (i + 1) + control (-1) + the one-hot's 1
            QCOMPARE(t.inputs[0][i].sum().item<float>(), static_cast<float>(i + 1));
            QCOMPARE(t.labels[0][i].item<int64_t>(), int64_t{w.events[static_cast<size_t>(i + 1)]});
        }
        QCOMPARE(t.mask.sum().item<float>(), 4.0F);
    }

    void learnsBeatsBaselinesAndTheExportPlays() {
        QTemporaryDir dir;
        const PerformanceDataset data = toyDataset(6, 300);
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        // Without augmentation the windows come from the distribution the baselines see.
        PerformanceRnnTrainingSettings settings = tinySettings(dir.path(), 300);
        QVERIFY(settings.hparams.apply("transpose_max=0,time_stretch=0"));
        const auto started = std::chrono::steady_clock::now();
        auto outcome = trainPerformanceRnn(
            data, settings,
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QCOMPARE(outcome->reason, std::string("finished"));
        QCOMPARE(losses.size(), size_t(30));
        qInfo("training NLL per event: first window %.3f, last window %.3f (300 steps, %.1f s)",
              losses.front(), losses.back(), seconds);
        QVERIFY(losses.back() < losses.front() * 0.5);
        QVERIFY(outcome->bestEval.has_value());
        const core::JsonValue& m = *outcome->bestEval;
        for (const char* key : {"loss", "nll_per_event", "perplexity", "accuracy", "events",
                                "windows", "unigram_nll_per_event", "bigram_nll_per_event"})
            QVERIFY2(m.find(key), key);
        const double nll = m.find("nll_per_event")->asNumber();
        qInfo("held-out NLL per event %.3f (unigram %.3f, bigram %.3f), accuracy %.3f", nll,
              m.find("unigram_nll_per_event")->asNumber(),
              m.find("bigram_nll_per_event")->asNumber(), m.find("accuracy")->asNumber());
        QVERIFY(nll < m.find("unigram_nll_per_event")->asNumber());
        QVERIFY(nll < m.find("bigram_nll_per_event")->asNumber());

        // The export: family, codec and held-out metrics in model.json; it loads and plays.
        auto spec = loadModelSpec(outcome->modelFolder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(QString::fromStdString(spec->family), QString("performance_rnn"));
        QCOMPARE(QString::fromStdString(spec->config), QString("performance_with_dynamics"));
        const core::JsonValue* heldOut = spec->provenance.find("heldOut");
        QVERIFY(heldOut && heldOut->find("nll_per_event") && heldOut->find("bigram_nll_per_event"));
        auto generator = PerformanceRnnGenerator::load(*spec);
        QVERIFY2(generator, generator ? "" : generator.errorMessage().c_str());
        PerformanceGenerationOptions options;
        options.seed = 1;
        options.steps = 300;
        options.temperature = 0.5;
        auto generated = (*generator)->generate(regularPerformance(16, 0), options);
        QVERIFY2(generated, generated ? "" : generated.errorMessage().c_str());
        const core::NoteSequence part = performanceGeneratedPart(*generated);
        qInfo("3 s continuation: %zu notes from %lld events", part.notes.size(),
              static_cast<long long>(generated->eventsGenerated));
        QVERIFY(!part.notes.empty());
        // Evaluating the exported weights again gives the recorded number.
        PerformanceWindowing fixed =
            performanceWindowingFor((*generator)->config(), tinySettings(dir.path(), 1).hparams);
        fixed.transposeMax = 0;
        fixed.stretchFactors = {1.0};
        auto again =
            evaluatePerformanceRnn((*generator)->network(), (*generator)->config(),
                                   performanceEvalWindows(data.eval, fixed, 8), 32);
        QVERIFY(again);
        QVERIFY(std::abs(again->find("nll_per_event")->asNumber() -
                         heldOut->find("nll_per_event")->asNumber()) < 1e-4);
    }

    void conditionedConfigTrainsAndResumesExactly() {
        QTemporaryDir a, b;
        const PerformanceDataset data = toyDataset(4, 200);
        std::atomic<bool> stop{false};
        const std::string config = "multiconditioned_performance_with_dynamics";
        auto straight = trainPerformanceRnn(data, tinySettings(a.path(), 40, config), {}, stop);
        QVERIFY2(straight, straight ? "" : straight.errorMessage().c_str());
        auto first = trainPerformanceRnn(data, tinySettings(b.path(), 20, config), {}, stop);
        QVERIFY(first);
        PerformanceRnnTrainingSettings more = tinySettings(b.path(), 40, config);
        more.resume = true;
        auto second = trainPerformanceRnn(data, more, {}, stop);
        QVERIFY2(second, second ? "" : second.errorMessage().c_str());
        auto x = readTfjsWeights(a.path().toStdString() + "/checkpoints/step-000040");
        auto y = readTfjsWeights(b.path().toStdString() + "/checkpoints/step-000040");
        QVERIFY(x && y);
        double maxDiff = 0;
        for (const auto& [name, t] : x->tensors())
            maxDiff = std::max(maxDiff, (t - y->tensors().at(name)).abs().max().item<double>());
        QCOMPARE(maxDiff, 0.0);
        auto spec = loadModelSpec(straight->modelFolder);
        QVERIFY(spec);
        auto generator = PerformanceRnnGenerator::load(*spec);
        QVERIFY2(generator, generator ? "" : generator.errorMessage().c_str());
        QCOMPARE((*generator)->network().inputDepth(), int64_t{408});
    }

    void refusesDataWithoutAWindow() {
        QTemporaryDir dir;
        const PerformanceDataset data = toyDataset(3, 10);  // 10 notes: ~40 events < 64
        std::atomic<bool> stop{false};
        auto outcome = trainPerformanceRnn(data, tinySettings(dir.path(), 5), {}, stop);
        QVERIFY(!outcome);
        QVERIFY(outcome.errorMessage().find("window_events=64") != std::string::npos);
        PerformanceRnnTrainingSettings bad = tinySettings(dir.path(), 5, "performance_xl");
        auto unknown = trainPerformanceRnn(toyDataset(3, 100), bad, {}, stop);
        QVERIFY(!unknown);
        QVERIFY(unknown.errorMessage().find("performance_xl") != std::string::npos);
    }

    void asapSmokeRun() {
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        const std::string shared = test::toStd(test::sharedDir()) + "/datasets/asap";
        auto files = listMidiFiles(shared);
        QVERIFY(files && files->size() > 8);
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString() + "/asap";
        std::filesystem::create_directories(folder);
        for (size_t i = 0; i < 6; ++i)
            std::filesystem::copy_file((*files)[i * files->size() / 6].path,
                                       folder + "/" + std::to_string(i) + ".mid");
        PerformanceDatasetOptions options;
        options.evalRatio = 0.3;
        auto data = buildPerformanceDataset(folder, options);
        QVERIFY2(data, data ? "" : data.errorMessage().c_str());
        QVERIFY(!data->train.empty());
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        PerformanceRnnTrainingSettings s = tinySettings(dir.path() + "/run", 30);
        QVERIFY(
            s.hparams.apply("rnn_layer_sizes=[64],window_events=128,log_every=5,eval_every=30"));
        auto outcome = trainPerformanceRnn(
            *data, s,
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        qInfo("ASAP (%zu train / %zu held-out files): NLL per event %.3f -> %.3f in 30 steps",
              data->train.size(), data->eval.size(), losses.front(), losses.back());
        QVERIFY(losses.back() < losses.front());
        auto spec = loadModelSpec(outcome->modelFolder);
        QVERIFY(spec);
        QVERIFY(PerformanceRnnGenerator::load(*spec));
    }
};

QTEST_GUILESS_MAIN(TestPerformanceRnnTrainer)
#include "TestPerformanceRnnTrainer.moc"
