// Piano Genie training on tiny synthetic performances: the notes the dataset keeps (sorted,
// piano range, no drums), the held-out split by file, the windows' delta times and their
// augmentation, the quantizer's straight-through gradient, the tutorial's hparams, a run
// whose key NLL falls and whose export loads and plays, and exact resume.
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/data/PianoGenieDataset.h"
#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/training/PianoGenieHParams.h"
#include "ml/training/PianoGenieTrainer.h"
#include "ml/weights/WeightsReader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace toccata;

namespace {

/// A "performance": a melody that walks up and down in small steps (so the contour a
/// button sequence gives predicts the keys well), one note every 0.15 s with a little
/// swing, and every 8th note doubled an octave below at the same onset.
core::NoteSequence synthPerformance(int notes, int variant) {
    static const int kSteps[] = {2, 2, 1, 2, -1, -2, -2, 3, -1, -2, 2, -2};
    core::NoteSequence s;
    s.tempos.push_back({0.0, 120.0});
    int pitch = 60 + variant;
    for (int i = 0; i < notes; ++i) {
        core::Note n;
        n.pitch = pitch;
        n.velocity = 80;
        n.startTime = i * 0.15 + (i % 2 == 1 ? 0.03 : 0.0);
        n.endTime = n.startTime + 0.1;
        s.notes.push_back(n);
        if (i % 8 == 0) {
            core::Note low = n;
            low.pitch = pitch - 12;
            s.notes.push_back(low);
        }
        pitch += kSteps[(i + variant) % 12];
        if (pitch > 84 || pitch < 48) pitch = 60;
    }
    s.recomputeTotalTime();
    return s;
}

ml::PianoGenieDataset toyDataset(int files, int notes) {
    ml::PianoGenieDataset d;
    d.key = 11;
    for (int v = 0; v < files; ++v) {
        core::PipelineStatistics stats;
        ml::PianoGeniePerformance p = ml::pianoGeniePerformance(synthPerformance(notes, v), stats);
        p.file = static_cast<uint32_t>(v);
        d.files.push_back("toy" + std::to_string(v) + ".mid");
        (v + 1 < files ? d.train : d.eval).push_back(std::move(p));
    }
    d.report.filesRead = files;
    return d;
}

ml::PianoGenieTrainingSettings tinySettings(const QString& folder, int64_t steps) {
    ml::PianoGenieTrainingSettings s;
    const core::Status applied = s.hparams.apply(
        "model_rnn_dim=16,seq_len=32,batch_size=8,lr=0.01,log_every=10,eval_every=20,"
        "checkpoint_every=20,keep_checkpoints=2,seed=3");
    Q_ASSERT(applied);
    s.runFolder = folder.toStdString();
    s.totalSteps = steps;
    s.corpus = "synthetic";
    return s;
}

}  // namespace

class TestPianoGenieTrainer : public QObject {
    Q_OBJECT

private slots:
    void datasetKeepsSortedPianoNotes() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        core::NoteSequence s;
        auto add = [&](int pitch, double start, bool drum = false) {
            core::Note n;
            n.pitch = pitch;
            n.startTime = start;
            n.endTime = start + 0.2;
            n.isDrum = drum;
            n.instrument = drum ? 9 : 0;
            s.notes.push_back(n);
        };
        add(64, 0.5);
        add(60, 0.5);        // same onset, lower key: comes first
        add(20, 0.1);        // below A0: dropped
        add(109, 0.2);       // above C8: dropped
        add(21, 1.0);        // A0: key 0
        add(108, 1.25);      // C8: key 87
        add(38, 0.7, true);  // a drum: dropped
        s.recomputeTotalTime();
        QVERIFY(test::writeMidi(s, folder + "/one.mid"));
        auto data = ml::buildPianoGenieDataset(folder, {0.0, 1});
        QVERIFY2(data, data ? "" : data.errorMessage().c_str());
        QCOMPARE(data->train.size(), size_t(1));
        const ml::PianoGeniePerformance& p = data->train[0];
        QCOMPARE(std::vector<int>(p.keys.begin(), p.keys.end()),
                 (std::vector<int>{60 - 21, 64 - 21, 0, 87}));
        QVERIFY(std::abs(p.onsets[0] - 0.5) < 1e-3 && std::abs(p.onsets[1] - 0.5) < 1e-3);
        QVERIFY(std::abs(p.onsets[3] - 1.25) < 1e-3);
        QCOMPARE(data->report.training.counter("notes_discarded_outside_piano"), int64_t(2));
        QCOMPARE(data->report.training.counter("notes_discarded_drums"), int64_t(1));
        QCOMPARE(data->trainNotes(), int64_t(4));
    }

    void heldOutFilesAreTheSharedSplit() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        for (int v = 0; v < 12; ++v)
            QVERIFY(test::writeMidi(synthPerformance(20, v),
                                    folder + "/perf" + std::to_string(v) + ".mid"));
        auto data = ml::buildPianoGenieDataset(folder, {0.3, 2});
        QVERIFY2(data, data ? "" : data.errorMessage().c_str());
        QCOMPARE(data->train.size() + data->eval.size(), size_t(12));
        QVERIFY(!data->eval.empty() && !data->train.empty());
        for (const auto& p : data->eval) QVERIFY(ml::isEvalFile(data->files[p.file], 0.3));
        for (const auto& p : data->train) QVERIFY(!ml::isEvalFile(data->files[p.file], 0.3));
        // The same folder gives the same split and key.
        auto again = ml::buildPianoGenieDataset(folder, {0.3, 1});
        QVERIFY(again);
        QCOMPARE(again->key, data->key);
        QCOMPARE(again->eval.size(), data->eval.size());
    }

    void windowsHaveTheTutorialsDeltas() {
        core::PipelineStatistics stats;
        const ml::PianoGeniePerformance p =
            ml::pianoGeniePerformance(synthPerformance(100, 0), stats);
        const std::vector<float> d = ml::pianoGenieDeltas(p.onsets, 3, 10, 1.0, 1.0);
        QCOMPARE(d.size(), size_t(10));
        QCOMPARE(d[0], 1.0F);  // the first is 1e8, clipped
        for (size_t i = 1; i < d.size(); ++i)
            QVERIFY(std::abs(d[i] - (p.onsets[3 + i] - p.onsets[2 + i])) < 1e-6);
        QCOMPARE(ml::pianoGenieDeltas({0.0, 5.0}, 0, 2, 1.0, 1.0)[1], 1.0F);  // clipped to max

        // Evaluation: consecutive, non-overlapping windows, a short last run dropped.
        const auto eval = ml::pianoGenieEvalWindows({p}, 32, 1.0);
        QCOMPARE(eval.size(), p.size() / 32);
        for (size_t w = 0; w < eval.size(); ++w) {
            QCOMPARE(eval[w].keys.size(), size_t(32));
            QCOMPARE(eval[w].keys[5], int64_t(p.keys[w * 32 + 5]));
            QCOMPARE(eval[w].deltas[0], 1.0F);
        }

        // Training windows: a run of the performance, shifted and stretched as one.
        ml::PianoGenieWindowing w;
        w.seqLen = 32;
        ml::Rng rng(5), same(5);
        std::set<int64_t> shifts;
        for (int i = 0; i < 200; ++i) {
            const ml::PianoGenieWindow win = ml::pianoGenieTrainingWindow(p, w, rng);
            QCOMPARE(ml::pianoGenieTrainingWindow(p, w, same).keys, win.keys);
            QCOMPARE(win.keys.size(), size_t(32));
            // Find the offset: the deltas match the performance's times a stretch factor.
            bool found = false;
            for (size_t from = 0; from + 32 <= p.size() && !found; ++from) {
                double played = 0;
                for (size_t i = 1; i < 32; ++i) played += win.deltas[i];
                const double stretch = played / (p.onsets[from + 31] - p.onsets[from]);
                if (stretch < 0.95 - 1e-6 || stretch > 1.05 + 1e-6) continue;
                const int64_t shift = win.keys[0] - p.keys[from];
                bool match = std::abs(shift) <= 6;
                for (size_t i = 1; i < 32 && match; ++i) {
                    const double dt = (p.onsets[from + i] - p.onsets[from + i - 1]) * stretch;
                    match = std::abs(win.deltas[i] - dt) < 1e-4 &&
                            win.keys[i] == std::clamp<int64_t>(p.keys[from + i] + shift, 0, 87);
                }
                if (match) {
                    found = true;
                    shifts.insert(shift);
                }
            }
            QVERIFY2(found, "a training window is not a stretched, shifted run of notes");
        }
        QCOMPARE(shifts.size(), size_t(13));  // -6..6 all drawn
    }

    void quantizerIsStraightThrough() {
        const torch::Tensor x =
            torch::tensor({-1.5F, -1.0F, -0.5F, 0.0F, 1.0F / 14.0F, 0.4F, 1.0F, 2.0F})
                .requires_grad_(true);
        const torch::Tensor b = ml::pianoGenieButtons(x);
        // round(clamp((x + 1) / 2, 0, 1) * 7): 0 -> 3.5 -> 4, 1/14 -> 3.75, 0.4 -> 4.9.
        const std::vector<int64_t> expected = {0, 0, 2, 4, 4, 5, 7, 7};
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(b[static_cast<int64_t>(i)].item<int64_t>(), expected[i]);
            QCOMPARE(int64_t(ml::pianoGenieButtonOf(x[static_cast<int64_t>(i)].item<double>())),
                     expected[i]);
        }
        const torch::Tensor q = ml::pianoGenieQuantize(x);
        QVERIFY(std::abs(q[2].item<float>() - static_cast<float>(ml::pianoGenieButtonReal(2))) <
                1e-6);
        q.sum().backward();
        QCOMPARE(x.grad().sum().item<float>(), 8.0F);  // the gradient passes unchanged
    }

    void hparamsHaveTheTutorialsNames() {
        const ml::PianoGenieHParams d;
        QCOMPARE(d.batchSize, 32);
        QCOMPARE(d.seqLen, int64_t(128));
        QCOMPARE(d.learningRate, 3e-4);
        QCOMPARE(d.modelRnnDim, int64_t(128));
        QCOMPARE(d.dataAugmentTransposeMax, int64_t(6));
        ml::PianoGenieHParams h;
        QVERIFY(static_cast<bool>(h.apply("num_buttons=8,eval_frequency=64,seq_len=64,lr=0.001")));
        QCOMPARE(h.evalEvery, int64_t(64));
        QVERIFY(!h.apply("num_buttons=4"));
        const core::Status bad = h.apply("learning_rate=0.1");
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("learning_rate") != std::string::npos);
        auto back = ml::PianoGenieHParams::fromJson(h.toJson(), {});
        QVERIFY2(back, back ? "" : back.errorMessage().c_str());
        QCOMPARE(back->seqLen, int64_t(64));
        QCOMPARE(back->learningRate, 0.001);
    }

    void learnsAndTheExportPlays() {
        QTemporaryDir dir;
        const ml::PianoGenieDataset data = toyDataset(5, 200);
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        auto outcome = ml::trainPianoGenie(
            data, tinySettings(dir.path(), 240),
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        QCOMPARE(outcome->reason, std::string("finished"));
        QCOMPARE(losses.size(), size_t(24));
        qInfo("key NLL per note: first window %.3f, last window %.3f", losses.front(),
              losses.back());
        QVERIFY(losses.back() < losses.front() * 0.8);
        QVERIFY(outcome->bestEval.has_value());
        const core::JsonValue& m = *outcome->bestEval;
        for (const char* key :
             {"loss", "nll_per_note", "perplexity", "accuracy", "unigram_nll_per_note",
              "contour_agreement", "button_usage", "margin", "contour", "windows"})
            QVERIFY2(m.find(key), key);
        QCOMPARE(m.find("button_usage")->items().size(), size_t(8));
        double usage = 0;
        for (const auto& u : m.find("button_usage")->items()) usage += u.asNumber();
        QVERIFY(std::abs(usage - 1.0) < 1e-9);
        QCOMPARE(m.find("windows")->asInt(), int64_t(data.eval[0].size() / 32));
        qInfo("held-out NLL %.3f (unigram %.3f), accuracy %.3f, contour agreement %.3f",
              m.find("nll_per_note")->asNumber(), m.find("unigram_nll_per_note")->asNumber(),
              m.find("accuracy")->asNumber(), m.find("contour_agreement")->asNumber());
        QVERIFY(m.find("nll_per_note")->asNumber() < m.find("unigram_nll_per_note")->asNumber());

        // The export: a piano_genie model folder with the tutorial's names, encoder included.
        auto model = ml::PianoGenieModel::load(outcome->modelFolder);
        QVERIFY2(model, model ? "" : model.errorMessage().c_str());
        QCOMPARE((*model)->spec().family, std::string("piano_genie"));
        QVERIFY((*model)->spec().provenance.find("heldOut"));
        const ml::PianoGenieNetwork& net = (*model)->network();
        QVERIFY(net.hasEncoder());
        QCOMPARE(net.rnnSize(), int64_t(16));
        auto weights = ml::readTfjsWeights(outcome->modelFolder);
        QVERIFY(weights);
        QVERIFY(weights->contains("dec.input.weight") && weights->contains("enc.output.weight"));
        // Scored afresh, the exported weights give the run's best held-out numbers.
        const auto windows = ml::pianoGenieEvalWindows(data.eval, 32, 1.0);
        auto fresh =
            ml::evaluatePianoGenie(net, windows, 64, ml::pianoGenieKeyFrequencies(data.train));
        QVERIFY2(fresh, fresh ? "" : fresh.errorMessage().c_str());
        for (const char* key : {"nll_per_note", "accuracy", "unigram_nll_per_note"})
            QVERIFY2(std::abs(fresh->find(key)->asNumber() - m.find(key)->asNumber()) < 1e-6, key);
        // And it plays: eight presses, keys on the piano, the step logits as the sequence's.
        ml::PianoGenieSession session(*model, 7);
        ml::PianoGenieSampling sampling;
        sampling.temperature = 0.0;
        for (int b = 0; b < 8; ++b) {
            auto key = session.press(b, 0.2 * b, sampling);
            QVERIFY2(key, key ? "" : key.errorMessage().c_str());
            QVERIFY(*key >= 0 && *key < 88);
        }
    }

    void resumeContinuesExactly() {
        QTemporaryDir a, b;
        const ml::PianoGenieDataset data = toyDataset(4, 100);
        std::atomic<bool> stop{false};
        auto straight = ml::trainPianoGenie(data, tinySettings(a.path(), 40), {}, stop);
        QVERIFY2(straight, straight ? "" : straight.errorMessage().c_str());
        auto first = ml::trainPianoGenie(data, tinySettings(b.path(), 20), {}, stop);
        QVERIFY(first);
        ml::PianoGenieTrainingSettings more = tinySettings(b.path(), 40);
        more.resume = true;
        auto second = ml::trainPianoGenie(data, more, {}, stop);
        QVERIFY2(second, second ? "" : second.errorMessage().c_str());
        auto x = ml::readTfjsWeights(a.path().toStdString() + "/checkpoints/step-000040");
        auto y = ml::readTfjsWeights(b.path().toStdString() + "/checkpoints/step-000040");
        QVERIFY(x && y);
        double maxDiff = 0;
        for (const auto& [name, t] : x->tensors())
            maxDiff = std::max(maxDiff, (t - y->tensors().at(name)).abs().max().item<double>());
        QCOMPARE(maxDiff, 0.0);
    }

    void refusesDataWithoutAWindow() {
        QTemporaryDir dir;
        const ml::PianoGenieDataset data = toyDataset(3, 10);  // shorter than seq_len 32
        std::atomic<bool> stop{false};
        auto outcome = ml::trainPianoGenie(data, tinySettings(dir.path(), 5), {}, stop);
        QVERIFY(!outcome);
        QVERIFY(outcome.errorMessage().find("seq_len=32") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestPianoGenieTrainer)
#include "TestPianoGenieTrainer.moc"
