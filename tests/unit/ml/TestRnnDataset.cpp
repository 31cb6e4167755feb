// Dataset pipelines for the event-RNN configs: Magenta's stages and counters on tiny
// synthetic MIDI, skipped files, the file-based eval split, chords read off block-chord
// files, and the on-disk cache (reuse, and rebuild when files or settings change).
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/data/ChordInference.h"
#include "ml/data/MidiFolder.h"
#include "ml/data/RnnDataset.h"
#include "ml/training/RnnBatcher.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <thread>

using namespace toccata;

class TestRnnDataset : public QObject {
    Q_OBJECT

private:
    static std::string path(const QTemporaryDir& dir, const std::string& name) {
        return dir.path().toStdString() + "/" + name;
    }

private slots:
    void chordFiguresFromPitches() {
        QCOMPARE(ml::chordFigureForPitches({55, 59, 62}), std::string("G"));
        QCOMPARE(ml::chordFigureForPitches({50, 53, 57}), std::string("Dm"));
        QCOMPARE(ml::chordFigureForPitches({50, 54, 57, 60}), std::string("D7"));
        QCOMPARE(ml::chordFigureForPitches({47, 50, 53}), std::string("Bdim"));
        QCOMPARE(ml::chordFigureForPitches({52, 55, 60}), std::string("C/E"));
        QCOMPARE(ml::chordFigureForPitches({60}), std::string("N.C."));
        for (const char* f : {"G", "Dm", "D7", "Bdim", "C/E"})
            QVERIFY2(ml::ChordSymbol::parse(f), f);
        const auto annotations = ml::inferChordAnnotations(test::synthChords(4));
        QCOMPARE(annotations.size(), size_t(4));
        QCOMPARE(annotations[1].text, std::string("D"));
        QCOMPARE(annotations[1].time, 2.0);
        QCOMPARE(annotations[2].text, std::string("Em"));
    }

    void melodyPipelineCountsAndSkipsBadFiles() {
        QTemporaryDir dir;
        for (int i = 0; i < 6; ++i)
            QVERIFY(test::writeMidi(test::synthMelody(8, 60, i), path(dir, "tune" + std::to_string(i) + ".mid")));
        QVERIFY(test::writeMidi(test::synthMelody(2), path(dir, "short.mid")));  // under 7 bars
        std::filesystem::create_directories(path(dir, "sub"));
        QVERIFY(test::writeMidi(test::synthMelody(9, 62, 3), path(dir, "sub/deep.MID")));
        QVERIFY(test::writeBytes(QString::fromStdString(path(dir, "broken.mid")), "MThd garbage"));
        QVERIFY(test::writeBytes(QString::fromStdString(path(dir, "notes.txt")), "not midi"));

        auto config = ml::RnnCodecConfig::named("basic_rnn");
        QVERIFY(config);
        ml::RnnDatasetOptions options;
        options.evalRatio = 0.0;
        auto dataset = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY2(dataset, dataset ? "" : dataset.errorMessage().c_str());
        const ml::RnnDatasetReport& r = dataset->report;
        QCOMPARE(r.filesFound, int64_t(9));  // the .txt file is not a MIDI file
        QCOMPARE(r.filesRead, int64_t(8));
        QCOMPARE(r.skipped.size(), size_t(1));
        QCOMPARE(r.skipped[0].file, std::string("broken.mid"));
        QVERIFY(!r.skipped[0].reason.empty());
        QCOMPARE(r.training.counter("melodies_discarded_too_short"), int64_t(1));
        QCOMPARE(dataset->train.size(), size_t(7));
        QVERIFY(dataset->eval.empty());
        QVERIFY(r.toString().find("broken.mid") != std::string::npos);
        // basic_rnn moves every melody into [48, 84) and key C: events are in range.
        for (const ml::RnnExample& e : dataset->train)
            for (int32_t ev : e.events) QVERIFY(ev == -2 || ev == -1 || (ev >= 48 && ev < 84));

        // Transposition copies are training-only and counted.
        auto mono = ml::RnnCodecConfig::named("mono_rnn");
        options.pipeline.transpositions = {-2, 0, 2};
        auto transposed = ml::buildRnnDataset(dir.path().toStdString(), *mono, options);
        QVERIFY(transposed);
        QCOMPARE(transposed->train.size(), size_t(21));
        QCOMPARE(transposed->report.training.counter("transpositions_generated"), int64_t(24));
    }

    void evalSplitIsByFileAndStable() {
        int evalCount = 0;
        for (int i = 0; i < 2000; ++i) evalCount += ml::isEvalFile("tune" + std::to_string(i) + ".mid", 0.1) ? 1 : 0;
        QVERIFY2(evalCount > 150 && evalCount < 250, qPrintable(QString::number(evalCount)));
        QCOMPARE(ml::isEvalFile("a/b.mid", 0.1), ml::isEvalFile("a/b.mid", 0.1));
        QVERIFY(!ml::isEvalFile("a/b.mid", 0.0));
    }

    void drumsAndBatches() {
        QTemporaryDir dir;
        for (int i = 0; i < 3; ++i)
            QVERIFY(test::writeMidi(test::synthDrums(8, i), path(dir, "groove" + std::to_string(i) + ".mid")));
        auto config = ml::RnnCodecConfig::named("drum_kit");
        ml::RnnDatasetOptions options;
        options.evalRatio = 0.0;
        auto dataset = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(dataset);
        QCOMPARE(dataset->train.size(), size_t(3));
        const ml::RnnExample& e = dataset->train[0];
        QCOMPARE(e.events.size(), size_t(8 * 16 - 1));  // ends after the last onset (step 126)
        // Step 0: kick + closed hat = classes 0 and 2 -> 1 + 4.
        QCOMPARE(e.events[0], 5);
        QCOMPARE(e.events[1], 0);
        QCOMPARE(e.events[4], 2 + 4);  // snare + hat

        auto batcher = ml::RnnBatcher::create(*config, {}, 64);
        QVERIFY(batcher);
        QCOMPARE(batcher->inputDepth(), 518);
        auto batch = batcher->batch({&dataset->train[0], &dataset->train[1]});
        QVERIFY(batch);
        QCOMPARE(batch->inputs.sizes(), (c10::IntArrayRef{2, 64, 518}));
        QCOMPARE(batch->steps, int64_t(128));
        QCOMPARE(batch->labels[0][0].item<int64_t>(), int64_t(0));  // step 1: nothing
        QCOMPARE(batch->inputs[0][0][5].item<float>(), 1.0F);       // one-hot of step 0

        // Bucketing: every example once per epoch, reproducible.
        std::vector<ml::RnnExample> many(100);
        for (size_t i = 0; i < many.size(); ++i) many[i].events.assign(2 + i % 17, 0);
        const auto a = ml::epochBatches(many, 8, 7, 3, false), b = ml::epochBatches(many, 8, 7, 3, false);
        QCOMPARE(a, b);
        size_t total = 0;
        for (const auto& batchIdx : a) total += batchIdx.size();
        QCOMPARE(total, size_t(100));
        QVERIFY(ml::epochBatches(many, 8, 7, 4, false) != a);
    }

    void improvReadsChordsFromTheChordsFolder() {
        QTemporaryDir dir;
        std::filesystem::create_directories(path(dir, "melody"));
        std::filesystem::create_directories(path(dir, "chords"));
        for (int i = 0; i < 3; ++i) {
            const std::string name = "tune" + std::to_string(i) + ".mid";
            QVERIFY(test::writeMidi(test::synthMelody(8, 67, i), path(dir, "melody/" + name)));
            if (i < 2) QVERIFY(test::writeMidi(test::synthChords(8), path(dir, "chords/" + name)));
        }
        auto config = ml::RnnCodecConfig::named("chord_pitches_improv");
        ml::RnnDatasetOptions options;
        options.evalRatio = 0.0;
        auto dataset = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY2(dataset, dataset ? "" : dataset.errorMessage().c_str());
        QCOMPARE(dataset->report.skipped.size(), size_t(1));  // tune2 has no chords file
        // Improv keeps each tune's key and learns every key: 12 copies (-5..+6) per tune on
        // the training side, melody and chords moved together.
        QCOMPARE(dataset->train.size(), size_t(24));
        QCOMPARE(dataset->report.training.counter("transpositions_generated"), int64_t(24));
        const ml::RnnExample& original = dataset->train[5];  // tune0, shift 0
        for (int k = 0; k < 12; ++k) {
            const ml::RnnExample& e = dataset->train[static_cast<size_t>(k)];
            const int shift = k - 5;
            QCOMPARE(e.chords.size(), e.events.size());
            QCOMPARE(e.events.size(), original.events.size());
            const ml::ChordSymbol& first = dataset->chordTable[e.chords[0]];
            QCOMPARE(first.root, (7 + shift + 12) % 12);  // the tunes' chords start on G
            for (size_t i = 0; i < e.events.size(); ++i) {
                if (original.events[i] < 0) {
                    QCOMPARE(e.events[i], original.events[i]);
                } else {
                    QVERIFY(e.events[i] >= 48 && e.events[i] < 84);
                    QCOMPARE((e.events[i] - original.events[i] + 24) % 12, (shift + 12) % 12);
                }
            }
        }
        // G, D, C and Em in 12 keys: every major and every minor triad once.
        QCOMPARE(dataset->chordTable.size(), size_t(24));
        auto batcher = ml::RnnBatcher::create(*config, dataset->chordTable, 512);
        QVERIFY(batcher);
        QCOMPARE(batcher->inputDepth(), 75);
        QVERIFY(batcher->batch({&original}));

        // Explicit shifts win over the config's default; the eval side is never transposed.
        options.pipeline.transpositions = std::vector<int>{0};
        auto plain = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(plain);
        QCOMPARE(plain->train.size(), size_t(2));
        QCOMPARE(plain->chordTable[plain->train[0].chords[0]].root, 7);  // still G
        options.pipeline.transpositions.reset();
        options.evalRatio = 0.9;  // some tunes land on the eval side
        auto split = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(split);
        QCOMPARE(split->train.size() + 12 * split->eval.size(), size_t(24));
    }

    void cacheIsReusedAndInvalidated() {
        QTemporaryDir dir, cache;
        for (int i = 0; i < 4; ++i)
            QVERIFY(test::writeMidi(test::synthMelody(8, 60, i), path(dir, "t" + std::to_string(i) + ".mid")));
        auto config = ml::RnnCodecConfig::named("lookback_rnn");
        ml::RnnDatasetOptions options;
        options.evalRatio = 0.25;
        options.cacheFolder = cache.path().toStdString();
        auto first = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(first);
        QVERIFY(!first->report.fromCache);
        auto second = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(second);
        QVERIFY(second->report.fromCache);
        QCOMPARE(second->train, first->train);
        QCOMPARE(second->eval, first->eval);
        QCOMPARE(second->files, first->files);
        QCOMPARE(second->report.training.toString(), first->report.training.toString());

        // Another setting, another key.
        ml::RnnDatasetOptions other = options;
        other.pipeline.melody.minBars = 2;
        auto third = ml::buildRnnDataset(dir.path().toStdString(), *config, other);
        QVERIFY(third && !third->report.fromCache);
        // A changed file: rebuilt.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(test::writeMidi(test::synthMelody(12, 60, 1), path(dir, "t1.mid")));
        auto fourth = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(fourth && !fourth->report.fromCache);
        // A damaged cache file is ignored.
        for (const auto& f : std::filesystem::directory_iterator(cache.path().toStdString()))
            QVERIFY(test::writeBytes(QString::fromStdString(f.path().string()), "TCDSET01 torn"));
        auto fifth = ml::buildRnnDataset(dir.path().toStdString(), *config, options);
        QVERIFY(fifth && !fifth->report.fromCache);
        QCOMPARE(fifth->train, fourth->train);
    }

    void clearErrors() {
        auto config = ml::RnnCodecConfig::named("basic_rnn");
        auto missing = ml::buildRnnDataset("/no/such/folder", *config, {});
        QVERIFY(!missing);
        QVERIFY(missing.errorMessage().find("/no/such/folder") != std::string::npos);
        QTemporaryDir empty;
        auto none = ml::buildRnnDataset(empty.path().toStdString(), *config, {});
        QVERIFY(!none);
        QVERIFY(none.errorMessage().find("no MIDI files") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRnnDataset)
#include "TestRnnDataset.moc"
