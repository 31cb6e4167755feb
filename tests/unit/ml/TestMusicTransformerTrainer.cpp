// Music Transformer training on a tiny synthetic PerformanceDataset: hparams text and JSON,
// a short run whose training NLL falls, whose held-out metrics carry the unigram / bigram
// baselines and beat the unigram one, and whose export loads and generates.
#include "MlTestSupport.h"
#include "ml/models/music_transformer/MusicTransformerGenerator.h"
#include "ml/models/music_transformer/MusicTransformerTrainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace toccata;

namespace {

/// Repeating arpeggios, one note every 0.1 s lasting 0.25 s; `variant` shifts the pitches.
ml::PerformanceRecord arpeggio(int notes, int variant, uint32_t file) {
    static const int kSteps[] = {0, 4, 7, 12, 7, 4};
    ml::PerformanceRecord r;
    r.file = file;
    for (int i = 0; i < notes; ++i) {
        ml::PerformanceNote n;
        n.start = 0.1F * static_cast<float>(i);
        n.end = n.start + 0.25F;
        n.pitch = static_cast<uint8_t>(55 + variant + kSteps[i % 6]);
        n.velocity = static_cast<uint8_t>(i % 6 == 0 ? 96 : 64);
        r.notes.push_back(n);
    }
    return r;
}

ml::PerformanceDataset toyDataset() {
    ml::PerformanceDataset d;
    for (uint32_t f = 0; f < 4; ++f) {
        d.files.push_back("toy" + std::to_string(f) + ".mid");
        (f < 3 ? d.train : d.eval).push_back(arpeggio(120, static_cast<int>(f) * 2, f));
    }
    d.report.filesRead = 4;
    d.key = 77;
    return d;
}

ml::MusicTransformerTrainingSettings tinySettings(const QString& folder, int64_t steps) {
    ml::MusicTransformerTrainingSettings s;
    const core::Status applied = s.hparams.apply(
        "num_layers=1,d_model=32,num_heads=4,ff_size=64,max_relative_distance=16,"
        "window_events=48,batch_size=4,lr=0.003,warmup_steps=5,dropout=0.0,log_every=10,"
        "eval_every=20,checkpoint_every=20,keep_checkpoints=1,transpose_max=2,seed=3");
    if (!applied) qFatal("%s", applied.errorMessage().c_str());
    s.runFolder = folder.toStdString();
    s.totalSteps = steps;
    s.corpus = "synthetic arpeggios";
    return s;
}

}  // namespace

class TestMusicTransformerTrainer : public QObject {
    Q_OBJECT

private slots:
    void hparams() {
        ml::MusicTransformerHParams h;
        QVERIFY(h.apply("d_model=64,num_heads=4,lr=0.001,eval_every=7").ok());
        QCOMPARE(h.dModel, 64);
        auto back = ml::MusicTransformerHParams::fromJson(h.toJson(), {});
        QVERIFY(back.ok());
        QCOMPARE(back->learningRate, 0.001);
        QCOMPARE(back->evalEvery, 7);
        const core::Status bad = h.apply("num_heads=5");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("num_heads 5") != std::string::npos,
                 bad.errorMessage().c_str());
        QVERIFY(!h.apply("no_such_key=1").ok());
        ml::MusicTransformerHParams w;
        w.warmupSteps = 10;
        w.learningRate = 1.0;
        QCOMPARE(w.learningRateAt(0), 0.1);
        QCOMPARE(w.learningRateAt(50), 1.0);
        QCOMPARE(w.architecture(388).vocabSize, 390);
    }

    void learnsAndTheExportGenerates() {
        QTemporaryDir dir;
        const ml::PerformanceDataset data = toyDataset();
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        auto outcome = ml::trainMusicTransformer(
            data, tinySettings(dir.path(), 60),
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.errorMessage().c_str());
        QCOMPARE(outcome->reason, std::string("finished"));
        QCOMPARE(losses.size(), size_t(6));
        qInfo("NLL per event: first window %.3f, last %.3f", losses.front(), losses.back());
        QVERIFY(losses.back() < losses.front() * 0.7);
        QVERIFY(outcome->bestEval.has_value());
        const core::JsonValue& m = *outcome->bestEval;
        for (const char* key : {"loss", "nll_per_event", "perplexity", "accuracy",
                                "unigram_nll_per_event", "bigram_nll_per_event", "windows"})
            QVERIFY2(m.find(key), key);
        qInfo("held-out NLL %.3f (unigram %.3f, bigram %.3f), accuracy %.3f",
              m.find("nll_per_event")->asNumber(), m.find("unigram_nll_per_event")->asNumber(),
              m.find("bigram_nll_per_event")->asNumber(), m.find("accuracy")->asNumber());
        QVERIFY(m.find("nll_per_event")->asNumber() < m.find("unigram_nll_per_event")->asNumber());

        auto model = ml::MusicTransformerModel::load(outcome->modelFolder);
        QVERIFY2(model.ok(), model.ok() ? "" : model.errorMessage().c_str());
        QCOMPARE((*model)->network().architecture().contextWindow, 48);
        QCOMPARE((*model)->network().architecture().vocabSize, 390);
        const core::JsonValue* codec = (*model)->modelJson().find("codec");
        QVERIFY(codec && codec->find("encoding")->asString() == "performance");
        ml::TransformerGenerationRequest r;
        r.maxEvents = 20;
        r.seed = 4;
        auto g = ml::generateMusicTransformer((*model)->network(), r);
        QVERIFY(g.ok());
        QCOMPARE(g->events[0].size(), size_t(20));
    }

    void tooShortData() {
        QTemporaryDir dir;
        ml::PerformanceDataset data = toyDataset();
        for (auto& r : data.train) r.notes.resize(5);
        std::atomic<bool> stop{false};
        auto outcome = ml::trainMusicTransformer(data, tinySettings(dir.path(), 5), {}, stop);
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.errorMessage().find("window_events=48") != std::string::npos,
                 outcome.errorMessage().c_str());
    }
};

QTEST_GUILESS_MAIN(TestMusicTransformerTrainer)
#include "TestMusicTransformerTrainer.moc"
