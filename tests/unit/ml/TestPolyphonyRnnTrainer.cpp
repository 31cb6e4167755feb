// Polyphony RNN data and training: Magenta's pipeline filters on real MIDI files (min/max
// steps, Toccata's chunking of long pieces, one program, drums dropped, the held-out split),
// transposition of class streams, the teacher-forcing tensors, the hparams' names and bounds,
// and a run on synthetic chorales whose loss falls, whose held-out NLL beats the n-gram
// baselines and whose export loads and generates a valid stream.
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/data/MidiFolder.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"
#include "ml/training/PolyphonyRnnTrainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace toccata;
using namespace toccata::ml;

namespace {

/// A four-voice "chorale": `bars` 4/4 bars at 120 QPM, a chord per quarter from a fixed
/// progression, the soprano held for two quarters; `variant` shifts the key.
core::NoteSequence chorale(int bars, int variant = 0, int program = 0) {
    static const int kChords[][4] = {{48, 55, 64, 72}, {53, 57, 65, 72}, {55, 59, 62, 71},
                                     {48, 55, 64, 67}, {45, 57, 64, 69}, {50, 57, 65, 69},
                                     {43, 55, 62, 71}, {48, 52, 60, 72}};
    core::NoteSequence s;
    s.tempos.push_back({0.0, 120.0});
    s.timeSignatures.push_back({0.0, 4, 4});
    for (int q = 0; q < bars * 4; ++q) {
        const int* chord = kChords[q % 8];
        for (int v = 0; v < 4; ++v) {
            if (v == 3 && q % 2 == 1) continue;  // the soprano holds
            core::Note n;
            n.pitch = chord[v] + variant;
            n.velocity = 80;
            n.program = program;
            n.startTime = q * 0.5;
            n.endTime = q * 0.5 + (v == 3 ? 1.0 : 0.5);
            s.notes.push_back(n);
        }
    }
    s.recomputeTotalTime();
    return s;
}

PolyphonyDataset toyDataset(int files, int bars) {
    PolyphonyDataset d;
    d.key = 23;
    PolyphonyDatasetOptions o;
    o.minSteps = 16;
    for (int v = 0; v < files; ++v) {
        core::PipelineStatistics stats;
        auto examples = polyphonyExamples(chorale(bars, v % 3), o, stats);
        Q_ASSERT(examples);
        for (PolyphonyExample& e : *examples) {
            e.file = static_cast<uint32_t>(v);
            (v + 1 < files ? d.train : d.eval).push_back(std::move(e));
        }
        d.files.push_back("chorale" + std::to_string(v) + ".mid");
    }
    d.report.filesRead = files;
    return d;
}

}  // namespace

class TestPolyphonyRnnTrainer : public QObject {
    Q_OBJECT

private slots:
    void pipelineFiltersOnFiles() {
        QTemporaryDir dir;
        const std::string root = test::toStd(dir.path());
        QVERIFY(test::writeMidi(chorale(8), root + "/a_ok.mid"));     // 128 steps: kept
        QVERIFY(test::writeMidi(chorale(2), root + "/b_short.mid"));  // 32 steps: too short
        QVERIFY(test::writeMidi(chorale(40), root + "/c_long.mid"));  // 640 steps: cut
        core::NoteSequence mixed = chorale(8);
        mixed.notes[0].program = 40;
        mixed.notes[0].instrument = 1;
        QVERIFY(test::writeMidi(mixed, root + "/d_programs.mid"));  // two programs: dropped
        core::NoteSequence drums = chorale(8);
        core::Note hit;
        hit.pitch = 36;
        hit.isDrum = true;
        hit.instrument = 9;
        hit.endTime = 0.1;
        drums.notes.push_back(hit);
        QVERIFY(test::writeMidi(drums, root + "/e_drums.mid"));  // drums dropped, kept
        QVERIFY(test::writeBytes(dir.path() + "/f_broken.mid", "not midi"));

        PolyphonyDatasetOptions o;
        o.evalRatio = 0.0;
        o.threads = 2;
        auto d = buildPolyphonyDataset(root, o);
        QVERIFY2(d, d ? "" : d.errorMessage().c_str());
        QCOMPARE(d->report.filesFound, int64_t{6});
        QCOMPARE(d->report.skipped.size(), size_t{1});
        const auto& c = d->report.training.counters;
        QCOMPARE(c.at("polyphonic_tracks_discarded_too_short"), int64_t{1});
        QCOMPARE(c.at("polyphonic_tracks_discarded_more_than_1_program"), int64_t{1});
        QCOMPARE(c.at("notes_discarded_drums"), int64_t{1});
        // a, e, and c as 512 + 128 steps.
        QCOMPARE(d->train.size(), size_t{4});
        for (const PolyphonyExample& e : d->train) {
            QCOMPARE(int(e.classes.front()), 0);
            QCOMPARE(int(e.classes.back()), 1);
            int64_t steps = 0;
            for (uint16_t cls : e.classes) steps += cls == 2 ? 1 : 0;
            QVERIFY(steps == 128 || steps == 512);
        }
        // Magenta's discard instead of the cut.
        o.chunkSteps = 0;
        auto magenta = buildPolyphonyDataset(root, o);
        QVERIFY(magenta);
        QCOMPARE(magenta->train.size(), size_t{2});
        QCOMPARE(magenta->report.training.counters.at("polyphonic_tracks_discarded_too_long"),
                 int64_t{1});
        // Bad options name the value.
        o.minSteps = 600;
        auto bad = buildPolyphonyDataset(root, o);
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("600") != std::string::npos);
        auto missing = buildPolyphonyDataset(root + "/nothing", PolyphonyDatasetOptions{});
        QVERIFY(!missing);
    }

    void transpositionAndTensors() {
        const std::vector<uint16_t> classes = {0, 3 + 60, 131 + 64, 2, 1};
        const auto up = transposeClasses(classes, 2);
        QCOMPARE(up, (std::vector<int64_t>{0, 3 + 62, 131 + 66, 2, 1}));
        const PolyphonyRnnTensors t = polyphonyRnnTensors({up, {0, 2, 1}});
        QVERIFY(t.inputs.sizes().vec() == (std::vector<int64_t>{2, 4, 259}));
        QCOMPARE(t.inputs[0][1][3 + 62].item<float>(), 1.0F);
        QCOMPARE(t.labels[0][1].item<int64_t>(), int64_t{131 + 66});
        QCOMPARE(t.mask.sum().item<float>(), 6.0F);
        QCOMPARE(t.mask[1][2].item<float>(), 0.0F);
    }

    void hparamsNamesAndBounds() {
        PolyphonyRnnHParams h;
        QCOMPARE(h.layerSizes, (std::vector<int64_t>{256, 256, 256}));
        QCOMPARE(h.dropoutKeepProb, 0.5);
        QCOMPARE(h.clipNorm, 5.0);
        QCOMPARE(h.minSteps, int64_t{80});
        QCOMPARE(h.maxSteps, int64_t{512});
        QCOMPARE(h.transposeMax, int64_t{4});
        QVERIFY(h.apply("rnn_layer_sizes=[32],chunk_steps=0,transpose_max=0"));
        const core::Status bad = h.apply("chunk_steps=20");
        QVERIFY(!bad);
        QVERIFY(bad.errorMessage().find("chunk_steps") != std::string::npos);
        h = PolyphonyRnnHParams{};
        QVERIFY(h.apply("rnn_layer_sizes=[32],max_events=300"));
        auto back = PolyphonyRnnHParams::fromJson(h.toJson(), PolyphonyRnnHParams{});
        QVERIFY(back);
        QCOMPARE(back->layerSizes, (std::vector<int64_t>{32}));
        QCOMPARE(back->maxEvents, int64_t{300});
    }

    void learnsBeatsBaselinesAndTheExportPlays() {
        QTemporaryDir dir;
        const PolyphonyDataset data = toyDataset(5, 8);
        QVERIFY(!data.train.empty() && !data.eval.empty());
        PolyphonyRnnTrainingSettings s;
        QVERIFY(s.hparams.apply(
            "rnn_layer_sizes=[64],batch_size=4,learning_rate=0.01,dropout_keep_prob=1.0,"
            "transpose_max=0,log_every=10,eval_every=50,checkpoint_every=100,seed=3"));
        s.runFolder = test::toStd(dir.path());
        s.totalSteps = 150;
        s.corpus = "synthetic chorales";
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        auto outcome = trainPolyphonyRnn(
            data, s,
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        QCOMPARE(outcome->reason, std::string("finished"));
        qInfo("training NLL per event: first window %.3f, last window %.3f", losses.front(),
              losses.back());
        QVERIFY(losses.back() < losses.front() * 0.5);
        QVERIFY(outcome->bestEval.has_value());
        const core::JsonValue& m = *outcome->bestEval;
        const double nll = m.find("nll_per_event")->asNumber();
        qInfo("held-out NLL per event %.3f (unigram %.3f, bigram %.3f), accuracy %.3f", nll,
              m.find("unigram_nll_per_event")->asNumber(),
              m.find("bigram_nll_per_event")->asNumber(), m.find("accuracy")->asNumber());
        QVERIFY(nll < m.find("unigram_nll_per_event")->asNumber());
        QVERIFY(nll < m.find("bigram_nll_per_event")->asNumber());

        auto spec = loadModelSpec(outcome->modelFolder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(QString::fromStdString(spec->family), QString("polyphony_rnn"));
        const core::JsonValue* heldOut = spec->provenance.find("heldOut");
        QVERIFY(heldOut && heldOut->find("nll_per_event") && heldOut->find("bigram_nll_per_event"));
        auto generator = PolyphonyRnnGenerator::load(*spec);
        QVERIFY2(generator, generator ? "" : generator.errorMessage().c_str());
        PolyphonyGenerationOptions o;
        o.seed = 2;
        o.steps = 32;
        o.temperature = 0.5;
        auto generated = (*generator)->generate(chorale(1), o);
        QVERIFY2(generated, generated ? "" : generated.errorMessage().c_str());
        QVERIFY(checkPolyphonicStream(generated->events.events()));
        QVERIFY(generated->sequence.notes.size() > chorale(1).notes.size());
        // The exported weights score the held-out data as recorded.
        auto again = evaluatePolyphonyRnn((*generator)->network(), data.eval, 32);
        QVERIFY(again);
        QVERIFY(std::abs(again->find("nll_per_event")->asNumber() -
                         heldOut->find("nll_per_event")->asNumber()) < 1e-4);
    }

    // Real piano pieces: longer than 512 steps, so Magenta's pipeline would keep none of them;
    // chunking does, and a few training steps lower the loss.
    void asapSmokeRun() {
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        const std::string shared = test::toStd(test::sharedDir()) + "/datasets/asap";
        auto files = listMidiFiles(shared);
        QVERIFY(files && files->size() > 8);
        QTemporaryDir dir;
        const std::string folder = test::toStd(dir.path()) + "/asap";
        std::filesystem::create_directories(folder);
        for (size_t i = 0; i < 4; ++i)
            std::filesystem::copy_file((*files)[i * files->size() / 4].path,
                                       folder + "/" + std::to_string(i) + ".mid");
        PolyphonyDatasetOptions options;
        options.evalRatio = 0.0;
        auto data = buildPolyphonyDataset(folder, options);
        QVERIFY2(data, data ? "" : data.errorMessage().c_str());
        options.chunkSteps = 0;
        auto magenta = buildPolyphonyDataset(folder, options);
        QVERIFY(magenta);
        qInfo("ASAP, 4 files: %zu sequences chunked (%lld events), %zu with Magenta's discard",
              data->train.size(), static_cast<long long>(data->trainEvents()),
              magenta->train.size());
        QVERIFY(data->train.size() > magenta->train.size());
        PolyphonyRnnTrainingSettings s;
        QVERIFY(
            s.hparams.apply("rnn_layer_sizes=[64],batch_size=8,learning_rate=0.01,"
                            "max_events=256,log_every=5"));
        s.runFolder = test::toStd(dir.path()) + "/run";
        s.totalSteps = 20;
        std::vector<double> losses;
        std::atomic<bool> stop{false};
        auto outcome = trainPolyphonyRnn(
            *data, s,
            [&](const core::JsonValue& e) {
                if (e.find("event")->asString() == "train")
                    losses.push_back(e.find("loss")->asNumber());
            },
            stop);
        QVERIFY2(outcome, outcome ? "" : outcome.errorMessage().c_str());
        qInfo("NLL per event %.3f -> %.3f in 20 steps", losses.front(), losses.back());
        QVERIFY(losses.back() < losses.front());
    }

    void noExamplesIsAnError() {
        QTemporaryDir dir;
        PolyphonyDataset empty;
        PolyphonyRnnTrainingSettings s;
        s.runFolder = test::toStd(dir.path());
        std::atomic<bool> stop{false};
        auto outcome = trainPolyphonyRnn(empty, s, {}, stop);
        QVERIFY(!outcome);
        QVERIFY(outcome.errorMessage().find("80..512") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestPolyphonyRnnTrainer)
#include "TestPolyphonyRnnTrainer.moc"
