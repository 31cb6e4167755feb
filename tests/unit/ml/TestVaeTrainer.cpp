// MusicVAE training on tiny synthetic corpora: the windows the dataset cuts (bar hops,
// duplicates, 4/4 only, groove timing), the hparams schedules, a run whose -ELBO falls and
// whose export the generator loads, exact resume, and GrooVAE's held-out velocity and timing
// errors next to the "copy the quantized input" baseline.
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/data/VaeDataset.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"
#include "ml/training/VaeHParams.h"
#include "ml/training/VaeObjective.h"
#include "ml/training/VaeTrainer.h"
#include "ml/weights/WeightsReader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace toccata;

namespace {

ml::VaeConverterConfig configFor(const std::string& id) {
    return ml::VaeConfig::named(id)->converter;
}

/// Windows of several synthetic melodies (train) and one more (eval).
ml::VaeDataset melodyDataset() {
    ml::VaeDataset d;
    d.config = configFor("cat-mel_2bar_small");
    d.key = 7;
    const ml::VaeConverter converter(d.config);
    for (int v = 0; v < 4; ++v) {
        auto windows = ml::vaeWindowsFromSequence(test::synthMelody(6, 60, v), converter);
        Q_ASSERT(windows);
        for (auto& e : windows->examples) (v < 3 ? d.train : d.eval).push_back(e);
    }
    d.report.filesRead = 4;
    return d;
}

/// A played groove: the synthetic beat with micro-timing and velocity accents.
core::NoteSequence playedDrums(int bars, int variant) {
    core::NoteSequence s = test::synthDrums(bars, variant);
    for (size_t i = 0; i < s.notes.size(); ++i) {
        core::Note& n = s.notes[i];
        const double push = ((i * 7 + static_cast<size_t>(variant)) % 5) * 0.006 - 0.012;
        n.startTime = std::max(0.0, n.startTime + push);
        n.endTime = n.startTime + 0.05;
        n.velocity = n.pitch == 42 ? 50 + static_cast<int>(i % 4) * 15 : 110;
    }
    return s;
}

ml::VaeTrainingSettings tinySettings(const std::string& config, const QString& folder,
                                     int64_t steps, const std::string& extra = "") {
    ml::VaeTrainingSettings s;
    s.configId = config;
    s.hparams = ml::VaeHParams::defaultsFor(config);
    const core::Status applied = s.hparams.apply(
        "z_size=8,enc_rnn_size=[16],dec_rnn_size=[16],batch_size=8,learning_rate=0.01,"
        "log_every=5,eval_every=10,checkpoint_every=10,keep_checkpoints=2,seed=5" +
        extra);
    Q_ASSERT(applied);
    s.runFolder = folder.toStdString();
    s.totalSteps = steps;
    s.corpus = "synthetic";
    return s;
}

}  // namespace

class TestVaeTrainer : public QObject {
    Q_OBJECT

private slots:
    void melodyWindowsStartOnEveryBar() {
        const ml::VaeConverter converter(configFor("cat-mel_2bar_small"));
        auto windows = ml::vaeWindowsFromSequence(test::synthMelody(6), converter);
        QVERIFY2(windows, windows ? "" : windows.errorMessage().c_str());
        // A 6-bar melody gives 2-bar windows starting on bars 0..4.
        QCOMPARE(windows->examples.size(), size_t(5));
        const ml::VaeExample& first = windows->examples.front();
        QCOMPARE(first.labels.size(), size_t(32));
        QCOMPARE(int(first.labels[0]), 2 + 60 - 21);  // C4 note-on
        QCOMPARE(int(first.labels[1]), 0);            // held
        QVERIFY(std::abs(first.stepSeconds - 0.125F) < 1e-6F);
        // The converter reads the same window the same way.
        auto encoded = converter.toOutputTensor(
            ml::quantizedWindow(*core::quantizeNoteSequence(test::synthMelody(6), 4), 0, 32));
        QVERIFY(encoded);
        for (int t = 0; t < 32; ++t)
            QCOMPARE(encoded->argmax(1)[t].item<int64_t>(), int64_t(first.labels[size_t(t)]));

        core::NoteSequence waltz = test::synthMelody(6);
        waltz.timeSignatures = {{0.0, 3, 4}};
        auto none = ml::vaeWindowsFromSequence(waltz, converter);
        QVERIFY(none);
        QCOMPARE(none->examples.size(), size_t(0));
        QCOMPARE(none->statistics.counter("sequences_discarded_not_4_4"), int64_t(1));
    }

    void grooveWindowsKeepTimingAndVelocity() {
        const ml::VaeConverter converter(configFor("groovae_2bar_humanize"));
        auto windows = ml::vaeWindowsFromSequence(playedDrums(5, 1), converter);
        QVERIFY(windows);
        // 5 bars: windows at bars 0-1, 2-3, and 4 (half played: kept, padded).
        QCOMPARE(windows->examples.size(), size_t(3));
        const ml::VaeExample& e = windows->examples.front();
        QCOMPARE(e.input.size(), size_t(32 * 27));
        QCOMPARE(e.target.size(), size_t(32 * 27));
        double offsets = 0, inputVelocities = 0;
        for (int t = 0; t < 32; ++t)
            for (int d = 0; d < 9; ++d) {
                offsets += std::abs(e.target[size_t(t * 27 + 18 + d)]);
                inputVelocities += e.input[size_t(t * 27 + 9 + d)];
            }
        QVERIFY(offsets > 0.1);          // the drummer's timing is in the target
        QCOMPARE(inputVelocities, 0.0);  // humanize hides it from the encoder
    }

    void drumWindowsDropDuplicates() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        QVERIFY(test::writeMidi(test::synthDrums(8), folder + "/a.mid"));
        auto data = ml::buildVaeDataset(folder, configFor("cat-drums_2bar_small"), {0.0, 1});
        QVERIFY2(data, data ? "" : data.errorMessage().c_str());
        // A repeated one-bar beat: windows on bars 0..6 are one and the same; the one on bar 7
        // (half played) is the other.
        QCOMPARE(data->train.size(), size_t(2));
        QCOMPARE(data->report.training.counter("windows_discarded_duplicate"), int64_t(6));
        auto batch = ml::makeVaeBatch(data->config, {&data->train[0]});
        QVERIFY(batch);
        QCOMPARE(batch->inputs.size(2), int64_t(10));
        QCOMPARE(batch->targets.size(2), int64_t(512));
        // Step 0: kick + closed hat = classes 0 and 2 -> label 5; "no hit" column off.
        QCOMPARE(batch->labels[0][0].item<int64_t>(), int64_t(5));
        QCOMPARE(batch->inputs[0][0][9].item<float>(), 0.0F);
        QCOMPARE(batch->inputs[0][1][9].item<float>(), 1.0F);
    }

    void hparamsFollowMagenta() {
        const ml::VaeHParams mel = ml::VaeHParams::defaultsFor("cat-mel_2bar_small");
        QCOMPARE(mel.betaAt(0), 0.0);
        QVERIFY(std::abs(mel.betaAt(100000) - 0.2 * (1 - std::pow(0.99999, 100000))) < 1e-12);
        // Inverse sigmoid with k = 1000 passes 0.5 at k ln k.
        QVERIFY(std::abs(mel.samplingProbabilityAt(6908) - 0.5) < 1e-3);
        QVERIFY(std::abs(mel.learningRateAt(0) - 0.001) < 1e-15);
        const ml::VaeHParams groove = ml::VaeHParams::defaultsFor("groovae_2bar_humanize");
        QCOMPARE(groove.freeBits, 48.0);
        QCOMPARE(groove.dropoutKeepProb, 0.3);
        QCOMPARE(groove.samplingProbabilityAt(5000), 0.0);
        ml::VaeHParams h;
        const core::Status bad = h.apply("enc_rnn_size=[16,16]");
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("enc_rnn_size") != std::string::npos);
        QVERIFY(!h.apply("sampling_schedule=linear"));
        auto back = ml::VaeHParams::fromJson(mel.toJson(), ml::VaeHParams{});
        QVERIFY2(back, back ? "" : back.errorMessage().c_str());
        QCOMPARE(back->samplingSchedule, std::string("inverse_sigmoid"));
        QVERIFY(!ml::VaeConfig::named("cat-mel_16bar"));
    }

    void melodyVaeLearnsAndTheExportLoads() {
        QTemporaryDir dir;
        const ml::VaeDataset data = melodyDataset();
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        auto outcome = ml::trainVae(
            data, tinySettings("cat-mel_2bar_small", dir.path(), 150),
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("reconstruction_per_step")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        QCOMPARE(outcome->reason, std::string("finished"));
        QCOMPARE(losses.size(), size_t(30));
        qInfo("reconstruction per step: first window %.3f, last window %.3f", losses.front(),
              losses.back());
        QVERIFY(losses.back() < losses.front() * 0.7);
        QVERIFY(outcome->bestEval.has_value());
        for (const char* key : {"loss", "kl_bits", "accuracy", "reconstruction_accuracy",
                                "reconstruction_event_accuracy", "perplexity"})
            QVERIFY2(outcome->bestEval->find(key), key);

        auto spec = ml::loadModelSpec(outcome->modelFolder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(spec->family, std::string("music_vae"));
        QVERIFY(spec->provenance.find("heldOut"));
        auto generator = ml::MusicVaeGenerator::load(*spec);
        QVERIFY2(generator, generator ? "" : generator.errorMessage().c_str());
        // The run's held-out numbers are the exported model's: evaluated afresh, they agree
        // (the trainer's decoding saw the trained weights, not stale inference copies).
        const ml::VaeHParams& h = tinySettings("cat-mel_2bar_small", dir.path(), 1).hparams;
        auto fresh =
            ml::evaluateVae((*generator)->network(), data, data.eval, 128, {h.maxBeta, h.freeBits});
        QVERIFY2(fresh, fresh ? "" : fresh.errorMessage().c_str());
        for (const char* key : {"loss", "reconstruction_accuracy", "reconstruction_event_accuracy"})
            QVERIFY2(std::abs(fresh->find(key)->asNumber() -
                              outcome->bestEval->find(key)->asNumber()) < 1e-9,
                     key);
        ml::VaeSampleOptions options;
        options.count = 2;
        options.seed = 3;
        auto samples = (*generator)->sample(options);
        QVERIFY2(samples, samples ? "" : samples.errorMessage().c_str());
        QCOMPARE(samples->size(), size_t(2));
        // The trained model plays a training window's notes back from its mu, far above
        // chance (1 in 88 pitches for a note-on step).
        ml::Rng rng(0);
        std::vector<const ml::VaeExample*> windows;
        for (const ml::VaeExample& e : data.train) windows.push_back(&e);
        auto batch = ml::makeVaeBatch(data.config, windows);
        auto mu = (*generator)->network().encode(batch->inputs);
        auto decoded = (*generator)->network().decode(mu->mu, 32, 0.0, rng);
        const torch::Tensor notes = batch->labels >= 2;
        const double noteAccuracy =
            ((decoded->argmax(-1) == batch->labels) & notes).sum().item<double>() /
            notes.sum().item<double>();
        qInfo("note-on reconstruction accuracy on the training windows: %.3f", noteAccuracy);
        QVERIFY(noteAccuracy > 0.05);

        // Exported as a Magenta.js checkpoint, the model encodes the same.
        ml::ModelExportOptions magentaJs;
        magentaJs.format = ml::ModelFolderFormat::kMagentaJs;
        const std::string exported = dir.path().toStdString() + "/magentajs";
        QVERIFY(static_cast<bool>((*generator)->exportTo(exported, magentaJs)));
        QVERIFY(!(*generator)->exportTo(exported, magentaJs));  // never over a model
        auto jsSpec = ml::loadModelSpec(exported);
        QVERIFY2(jsSpec, jsSpec ? "" : jsSpec.errorMessage().c_str());
        QVERIFY(jsSpec->format == ml::ModelSpec::Format::MagentaJs);
        auto reloaded = ml::MusicVaeGenerator::load(*jsSpec);
        QVERIFY2(reloaded, reloaded ? "" : reloaded.errorMessage().c_str());
        auto again = (*reloaded)->network().encode(batch->inputs);
        QCOMPARE((again->mu - mu->mu).abs().max().item<float>(), 0.0F);
    }

    void resumeContinuesExactly() {
        QTemporaryDir a, b;
        const ml::VaeDataset data = melodyDataset();
        std::atomic<bool> stop{false};
        auto straight =
            ml::trainVae(data, tinySettings("cat-mel_2bar_small", a.path(), 20), {}, stop);
        QVERIFY(straight);
        auto first = ml::trainVae(data, tinySettings("cat-mel_2bar_small", b.path(), 10), {}, stop);
        QVERIFY(first);
        ml::VaeTrainingSettings more = tinySettings("cat-mel_2bar_small", b.path(), 20);
        more.resume = true;
        auto second = ml::trainVae(data, more, {}, stop);
        QVERIFY2(second, second ? "" : second.errorMessage().c_str());
        auto x = ml::readTfjsWeights(a.path().toStdString() + "/checkpoints/step-000020");
        auto y = ml::readTfjsWeights(b.path().toStdString() + "/checkpoints/step-000020");
        QVERIFY(x && y);
        double maxDiff = 0;
        for (const auto& [name, t] : x->tensors())
            maxDiff = std::max(maxDiff, (t - y->tensors().at(name)).abs().max().item<double>());
        QCOMPARE(maxDiff, 0.0);
    }

    void grooveReportsTimingAgainstTheBaseline() {
        QTemporaryDir dir;
        ml::VaeDataset data;
        data.config = configFor("groovae_2bar_humanize");
        const ml::VaeConverter converter(data.config);
        for (int v = 0; v < 6; ++v) {
            auto windows = ml::vaeWindowsFromSequence(playedDrums(8, v), converter);
            QVERIFY(windows);
            for (auto& e : windows->examples) (v < 5 ? data.train : data.eval).push_back(e);
        }
        std::atomic<bool> stop{false};
        auto outcome = ml::trainVae(
            data, tinySettings("groovae_2bar_humanize", dir.path(), 40, ",dropout_keep_prob=0.8"),
            {}, stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        const core::JsonValue& m = *outcome->bestEval;
        for (const char* key : {"velocity_mae", "offset_mae_ms", "hit_f1", "baseline_velocity_mae",
                                "baseline_offset_mae_ms", "baseline_hit_f1"})
            QVERIFY2(m.find(key), key);
        qInfo(
            "velocity MAE %.1f (baseline %.1f), offset MAE %.1f ms (baseline %.1f ms), hit F1 %.3f",
            m.find("velocity_mae")->asNumber(), m.find("baseline_velocity_mae")->asNumber(),
            m.find("offset_mae_ms")->asNumber(), m.find("baseline_offset_mae_ms")->asNumber(),
            m.find("hit_f1")->asNumber());
        // The humanize input has exactly the real hits: the baseline's hits are perfect, its
        // timing is the drummer's deviation from the grid.
        QCOMPARE(m.find("baseline_hit_f1")->asNumber(), 1.0);
        QVERIFY(m.find("baseline_offset_mae_ms")->asNumber() > 1.0);
    }
};

QTEST_GUILESS_MAIN(TestVaeTrainer)
#include "TestVaeTrainer.moc"
