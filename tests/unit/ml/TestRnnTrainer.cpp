// The trainer on a tiny in-memory melody corpus: the loss falls, a resumed run continues
// exactly where an uninterrupted one would be, a stop request ends with a checkpoint, torn
// checkpoints from a crash are ignored, and the export is a model the generator loads.
#include "MlTestSupport.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"
#include "ml/training/RnnTrainer.h"
#include "ml/training/RunFolder.h"
#include "ml/weights/WeightsReader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace toccata;

namespace {

/// Melodies that repeat short motifs: learnable in a few dozen steps.
ml::RnnDataset tinyDataset() {
    ml::RnnDataset d;
    d.config = *ml::RnnCodecConfig::named("basic_rnn");
    d.key = 42;
    const std::vector<std::vector<int32_t>> motifs = {
        {60, -2, 62, -2, 64, -2, 65, -2}, {67, -2, -2, -2, 65, -2, 64, -1}, {60, 64, 67, 72, -1, -2, 67, -2}};
    for (int i = 0; i < 24; ++i) {
        ml::RnnExample e;
        for (int r = 0; r < 6; ++r)
            e.events.insert(e.events.end(), motifs[i % 3].begin(), motifs[i % 3].end());
        e.events.resize(e.events.size() - static_cast<size_t>(i % 5));  // varied lengths
        (i < 20 ? d.train : d.eval).push_back(e);
    }
    d.report.filesRead = 24;
    return d;
}

ml::RnnTrainingSettings tinySettings(const QString& folder, int64_t steps) {
    ml::RnnTrainingSettings s;
    s.hparams = ml::RnnHParams::defaultsFor("basic_rnn");
    const core::Status applied = s.hparams.apply(
        "batch_size=4,rnn_layer_sizes=[16],learning_rate=0.01,log_every=5,eval_every=10,"
        "checkpoint_every=10,keep_checkpoints=2,seed=3");
    Q_ASSERT(applied);
    s.runFolder = folder.toStdString();
    s.totalSteps = steps;
    s.corpus = "synthetic motifs";
    return s;
}

std::map<std::string, torch::Tensor> modelWeights(const std::string& folder) {
    auto store = ml::readTfjsWeights(folder);
    return store ? store->tensors() : std::map<std::string, torch::Tensor>{};
}

}  // namespace

class TestRnnTrainer : public QObject {
    Q_OBJECT

private slots:
    void lossFallsAndTheExportLoads() {
        QTemporaryDir dir;
        const ml::RnnDataset data = tinyDataset();
        std::vector<double> losses;
        std::vector<std::string> kinds;
        std::atomic<bool> stop{false};
        auto outcome = ml::trainRnn(data, tinySettings(dir.path(), 60),
                                    [&](const core::JsonValue& e) {
                                        kinds.push_back(e.find("event")->asString());
                                        if (kinds.back() == "train") losses.push_back(e.find("loss")->asNumber());
                                    },
                                    stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        QCOMPARE(outcome->reason, std::string("finished"));
        QCOMPARE(outcome->step, int64_t(60));
        QCOMPARE(losses.size(), size_t(12));
        qInfo("train loss: first window %.3f, last window %.3f", losses.front(), losses.back());
        QVERIFY(losses.back() < losses.front() * 0.6);
        QVERIFY(outcome->bestEval.has_value());
        QVERIFY(outcome->bestEval->nllPerStep < std::log(38.0));  // better than uniform
        QCOMPARE(kinds.front(), std::string("start"));
        QCOMPARE(kinds.back(), std::string("done"));

        // The export is a model folder the generator runs, with provenance.
        auto spec = ml::loadModelSpec(outcome->modelFolder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(spec->family, std::string("music_rnn"));
        QVERIFY(spec->provenance.find("heldOut") != nullptr);
        QVERIFY(spec->provenance.find("heldOut")->find("bigram_nll_per_step") != nullptr);
        auto generator = ml::MusicRnnGenerator::load(*spec);
        QVERIFY2(generator, generator ? "" : generator.errorMessage().c_str());
        ml::GenerationOptions options;
        options.steps = 32;
        options.seed = 1;
        auto generated = (*generator)->generate(core::NoteSequence{}, options);
        QVERIFY2(generated, generated ? "" : generated.errorMessage().c_str());
        QVERIFY(!generated->sequence.notes.empty());

        // Checkpoints: the last two and the best one at most.
        const ml::RunFolder run(dir.path().toStdString());
        QVERIFY(run.checkpointSteps().size() <= 3);
        QCOMPARE(run.checkpointSteps().back(), int64_t(60));
    }

    void resumeContinuesExactly() {
        QTemporaryDir straight, interrupted;
        const ml::RnnDataset data = tinyDataset();
        std::atomic<bool> stop{false};
        auto a = ml::trainRnn(data, tinySettings(straight.path(), 30), {}, stop);
        QVERIFY(a);
        auto b1 = ml::trainRnn(data, tinySettings(interrupted.path(), 17), {}, stop);
        QVERIFY(b1);
        ml::RnnTrainingSettings more = tinySettings(interrupted.path(), 30);
        more.resume = true;
        int64_t resumedFrom = -1;
        auto b2 = ml::trainRnn(data, more,
                               [&](const core::JsonValue& e) {
                                   if (e.find("event")->asString() == "resume")
                                       resumedFrom = e.find("step")->asInt();
                               },
                               stop);
        QVERIFY2(b2, b2 ? "" : b2.errorMessage().c_str());
        QCOMPARE(resumedFrom, int64_t(17));
        const std::string last = "/checkpoints/" + ml::RunFolder::checkpointName(30);
        const auto wa = modelWeights(straight.path().toStdString() + last);
        const auto wb = modelWeights(interrupted.path().toStdString() + last);
        QVERIFY(!wa.empty());
        QCOMPARE(wa.size(), wb.size());
        for (const auto& [name, tensor] : wa) {
            QVERIFY2(wb.count(name), name.c_str());
            QVERIFY2(test::maxAbsDiff(tensor, wb.at(name)) == 0.0, name.c_str());
        }
    }

    void stopRequestAndTornCheckpoints() {
        QTemporaryDir dir;
        const ml::RnnDataset data = tinyDataset();
        std::atomic<bool> stop{false};
        int trainEvents = 0;
        auto outcome = ml::trainRnn(data, tinySettings(dir.path(), 1000),
                                    [&](const core::JsonValue& e) {
                                        if (e.find("event")->asString() == "train" && ++trainEvents == 2)
                                            stop = true;
                                    },
                                    stop);
        QVERIFY(outcome);
        QCOMPARE(outcome->reason, std::string("stopped"));
        QCOMPARE(outcome->step, int64_t(11));  // stopped after the step that saw the request
        const ml::RunFolder run(dir.path().toStdString());
        QCOMPARE(run.checkpointSteps().back(), int64_t(11));
        QVERIFY(std::filesystem::exists(run.modelFolder() + "/model.json"));

        // A crash in the middle of writing leaves a partial folder: ignored, then removed.
        const std::string torn = run.checkpointsFolder() + "/" + ml::RunFolder::checkpointName(500) + ".partial";
        std::filesystem::create_directories(torn);
        QVERIFY(test::writeBytes(QString::fromStdString(torn + "/model.json"), "{"));
        auto latest = run.loadLatest();
        QVERIFY(latest && *latest);
        QCOMPARE((*latest)->step, int64_t(11));
        QVERIFY(run.prepare());
        QVERIFY(!std::filesystem::exists(torn));
    }

    void resumeWithAnotherNetworkIsRefused() {
        QTemporaryDir dir;
        const ml::RnnDataset data = tinyDataset();
        std::atomic<bool> stop{false};
        QVERIFY(ml::trainRnn(data, tinySettings(dir.path(), 5), {}, stop));
        ml::RnnTrainingSettings other = tinySettings(dir.path(), 10);
        QVERIFY(other.hparams.apply("rnn_layer_sizes=[8]"));
        other.resume = true;
        auto refused = ml::trainRnn(data, other, {}, stop);
        QVERIFY(!refused);
        QVERIFY2(refused.errorMessage().find("another network") != std::string::npos,
                 refused.errorMessage().c_str());
    }

    void hparamsParseAndComplain() {
        ml::RnnHParams h = ml::RnnHParams::defaultsFor("attention_rnn");
        QCOMPARE(h.attnLength, int64_t(40));
        QVERIFY(h.apply("batch_size=8, rnn_layer_sizes=[32,16],learning_rate=0.002"));
        QCOMPARE(h.batchSize, 8);
        QCOMPARE(h.layerSizes, (std::vector<int64_t>{32, 16}));
        QCOMPARE(h.learningRate, 0.002);
        auto roundTrip = ml::RnnHParams::fromJson(h.toJson(), ml::RnnHParams{});
        QVERIFY(roundTrip);
        QCOMPARE(roundTrip->layerSizes, h.layerSizes);
        core::Status bad = h.apply("batch_size=0");
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("batch_size") != std::string::npos);
        core::Status unknown = h.apply("lr=1");
        QVERIFY(!unknown);
        QVERIFY(unknown.errorMessage().find("'lr'") != std::string::npos);
        QVERIFY(!h.apply("rnn_layer_sizes=128"));
    }
};

QTEST_GUILESS_MAIN(TestRnnTrainer)
#include "TestRnnTrainer.moc"
