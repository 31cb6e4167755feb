// The performance corpus of Performance RNN and the Music Transformer: reading a folder (bad
// files counted, not fatal), the file-based split, windows of N events (exact length, valid
// classes, seeded augmentation within Magenta's transposition and stretch ranges), fixed
// evaluation windows, control vectors, batches, and a real ASAP + POP909 subset when
// ../shared is present.
#include "MlTestSupport.h"
#include "TrainingTestSupport.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"
#include "ml/data/EventBaselines.h"
#include "ml/data/MidiFolder.h"
#include "ml/data/PerformanceDataset.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

using namespace toccata;
using namespace toccata::ml;

namespace {

// A random "piano piece": about 40 notes per 10 s, velocities and lengths varied, pedalled.
core::NoteSequence synthPiece(int seed, double seconds = 60.0) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    core::NoteSequence s;
    for (double t = 0.0; t < seconds; t += std::uniform_real_distribution<double>(0.05, 0.4)(rng)) {
        core::Note n;
        n.pitch = 40 + static_cast<int>(rng() % 50);
        n.velocity = 20 + static_cast<int>(rng() % 100);
        n.startTime = t;
        n.endTime = t + std::uniform_real_distribution<double>(0.05, 1.5)(rng);
        s.notes.push_back(n);
    }
    for (double t = 1.0; t < seconds; t += 4.0) {
        core::ControlChange down;
        down.time = t;
        down.controlNumber = 64;
        down.controlValue = 100;
        core::ControlChange up = down;
        up.time = t + 2.0;
        up.controlValue = 0;
        s.controlChanges.push_back(down);
        s.controlChanges.push_back(up);
    }
    s.recomputeTotalTime();
    return s;
}

std::string writePieces(const QTemporaryDir& dir, int count, const std::string& sub = "") {
    const std::string folder = dir.path().toStdString() + (sub.empty() ? "" : "/" + sub);
    std::filesystem::create_directories(folder);
    for (int i = 0; i < count; ++i)
        if (!test::writeMidi(synthPiece(i + static_cast<int>(sub.size()) * 100),
                             folder + "/piece" + std::to_string(i) + ".mid"))
            return {};
    return folder;
}

bool sameWindows(const PerformanceWindow& a, const PerformanceWindow& b) {
    return a.events == b.events && a.file == b.file && a.transpose == b.transpose &&
           a.stretch == b.stretch && a.controls == b.controls;
}

}  // namespace

class TestPerformanceDataset : public QObject {
    Q_OBJECT

private slots:
    void buildSplitsByFileAndCountsBadFiles() {
        QTemporaryDir dir;
        const std::string folder = writePieces(dir, 12);
        QVERIFY(!folder.empty());
        QVERIFY(test::writeBytes(QString::fromStdString(folder + "/broken.mid"), "MThd garbage"));
        PerformanceDatasetOptions options;
        options.evalRatio = 0.3;
        options.threads = 2;
        auto a = buildPerformanceDataset(folder, options);
        QVERIFY2(a, a ? "" : a.errorMessage().c_str());
        QCOMPARE(a->report.filesFound, int64_t{13});
        QCOMPARE(a->report.filesRead, int64_t{12});
        QCOMPARE(a->report.skipped.size(), size_t{1});
        QCOMPARE(a->report.skipped[0].file, std::string("broken.mid"));
        QVERIFY(!a->report.skipped[0].reason.empty());
        QCOMPARE(a->train.size() + a->eval.size(), size_t{12});
        QVERIFY(!a->train.empty() && !a->eval.empty());
        for (const PerformanceRecord& r : a->eval) QVERIFY(isEvalFile(a->files[r.file], 0.3));
        for (const PerformanceRecord& r : a->train) QVERIFY(!isEvalFile(a->files[r.file], 0.3));
        QVERIFY(a->report.training.counter("notes") > 0);
        QCOMPARE(a->trainNotes(), a->report.training.counter("notes"));

        // Deterministic: a second build gives the same sides, notes and key.
        auto b = buildPerformanceDataset(folder, options);
        QCOMPARE(b->key, a->key);
        QCOMPARE(b->train.size(), a->train.size());
        for (size_t i = 0; i < a->train.size(); ++i) {
            QCOMPARE(b->train[i].file, a->train[i].file);
            QCOMPARE(b->train[i].notes.size(), a->train[i].notes.size());
            QCOMPARE(b->train[i].notes.back().end, a->train[i].notes.back().end);
        }
        // Notes are sorted by (start, pitch) and the pedal made some of them longer.
        PerformanceDatasetOptions dry = options;
        dry.applySustain = false;
        auto c = buildPerformanceDataset(folder, dry);
        QVERIFY(c->key != a->key);
        double pedalled = 0.0, plain = 0.0;
        for (const PerformanceNote& n : a->train[0].notes) pedalled += n.end - n.start;
        for (const PerformanceNote& n : c->train[0].notes) plain += n.end - n.start;
        QVERIFY(pedalled > plain);
        const auto& notes = a->train[0].notes;
        QVERIFY(std::is_sorted(notes.begin(), notes.end(), [](const auto& x, const auto& y) {
            return x.start < y.start || (x.start == y.start && x.pitch < y.pitch);
        }));

        options.evalRatio = 1.0;
        QVERIFY(!buildPerformanceDataset(folder, options).ok());
        QVERIFY(!buildPerformanceDataset(folder + "/missing", {}).ok());
    }

    void extraFoldersArePrefixed() {
        QTemporaryDir dir;
        const std::string first = writePieces(dir, 2, "first");
        const std::string second = writePieces(dir, 3, "second");
        PerformanceDatasetOptions options;
        options.extraFolders = {second};
        auto d = buildPerformanceDataset(first, options);
        QVERIFY2(d, d ? "" : d.errorMessage().c_str());
        QCOMPARE(d->files.size(), size_t{5});
        QCOMPARE(d->files[0], std::string("piece0.mid"));
        QCOMPARE(d->files[2], std::string("second/piece0.mid"));
    }

    void trainingWindowsAreExactValidAndSeeded() {
        QTemporaryDir dir;
        auto d = buildPerformanceDataset(writePieces(dir, 6), {.evalRatio = 0.0});
        QVERIFY(d);
        PerformanceWindowing w;
        w.windowEvents = 200;
        const PerformanceOneHotEncoding enc = PerformanceOneHotEncoding::standard();
        Rng rng(42), again(42), other(43);
        bool differs = false;
        for (int i = 0; i < 40; ++i) {
            auto win = samplePerformanceWindow(d->train, w, rng);
            QVERIFY2(win, win ? "" : win.errorMessage().c_str());
            QCOMPARE(win->events.size(), size_t{200});
            QVERIFY(std::abs(win->transpose) <= 3);
            QVERIFY(std::find(w.stretchFactors.begin(), w.stretchFactors.end(), win->stretch) !=
                    w.stretchFactors.end());
            auto events = enc.decodeEvents(win->events);
            QVERIFY(events.ok());
            Performance p;
            p.events() = *events;
            QVERIFY(p.toSequence().ok());
            QVERIFY(win->controls.empty());
            auto twin = samplePerformanceWindow(d->train, w, again);
            QVERIFY(sameWindows(*win, *twin));
            differs = differs || !sameWindows(*win, *samplePerformanceWindow(d->train, w, other));
        }
        QVERIFY(differs);
        // A window longer than any performance is an error, not a hang.
        w.windowEvents = 1000000;
        QVERIFY(!samplePerformanceWindow(d->train, w, rng).ok());
        QVERIFY(!samplePerformanceWindow({}, PerformanceWindowing{}, rng).ok());
    }

    void augmentationTransposesAndStretches() {
        QTemporaryDir dir;
        auto d = buildPerformanceDataset(writePieces(dir, 1), {.evalRatio = 0.0});
        const PerformanceRecord& r = d->train.front();
        PerformanceWindowing w;
        auto plain = encodePerformanceNotes(r, 0, 1.0, 0, w);
        auto up = encodePerformanceNotes(r, 0, 1.0, 2, w);
        auto slow = encodePerformanceNotes(r, 0, 1.05, 0, w);
        QVERIFY(plain && up && slow);
        QCOMPARE(up->size(), plain->size());
        for (size_t i = 0; i < plain->size(); ++i) {
            const PerformanceEvent& p = (*plain)[i];
            const bool pitched =
                p.type == PerformanceEvent::kNoteOn || p.type == PerformanceEvent::kNoteOff;
            QCOMPARE((*up)[i].value, pitched ? p.value + 2 : p.value);
        }
        Performance a, b;
        a.events() = *plain;
        b.events() = *slow;
        const double ratio = static_cast<double>(b.numSteps()) / static_cast<double>(a.numSteps());
        QVERIFY2(std::abs(ratio - 1.05) < 0.002, qPrintable(QString::number(ratio)));
        // The first note's onset is the window's start; maxEvents truncates.
        auto first = encodePerformanceNotes(r, 0, 1.0, 0, w, 10);
        QCOMPARE(first->size(), size_t{10});
        QVERIFY(std::equal(first->begin(), first->end(), plain->begin()));
        QVERIFY(!encodePerformanceNotes(r, 0, 1.0, 200, w).ok());
    }

    void evalWindowsAreFixed() {
        QTemporaryDir dir;
        auto d = buildPerformanceDataset(writePieces(dir, 3), {.evalRatio = 0.0});
        PerformanceWindowing w;
        w.windowEvents = 128;
        const auto windows = performanceEvalWindows(d->train, w);
        QVERIFY(windows.size() > 6);
        const auto again = performanceEvalWindows(d->train, w);
        QCOMPARE(again.size(), windows.size());
        for (size_t i = 0; i < windows.size(); ++i) {
            QCOMPARE(windows[i].events.size(), size_t{128});
            QVERIFY(sameWindows(windows[i], again[i]));
            QCOMPARE(windows[i].transpose, 0);
        }
        auto head = encodePerformanceNotes(d->train[0], 0, 1.0, 0, w, 128);
        QCOMPARE(windows[0].events, *PerformanceOneHotEncoding::standard().encodeEvents(*head));
        // Consecutive windows do not overlap: their onsets add up to at most the notes.
        int64_t onsets = 0;
        for (const PerformanceWindow& win : windows)
            if (win.file == d->train[0].file)
                onsets += std::count_if(win.events.begin(), win.events.end(),
                                        [](int c) { return c < 128; });
        QVERIFY(onsets <= static_cast<int64_t>(d->train[0].notes.size()));
        QVERIFY(onsets > static_cast<int64_t>(d->train[0].notes.size()) / 2);
        const auto whole = performanceEventSequences(d->train, w);
        QCOMPARE(whole.size(), d->train.size());
        QVERIFY(whole[0].size() > 128);
    }

    void controlsAndBatches() {
        QTemporaryDir dir;
        auto d = buildPerformanceDataset(writePieces(dir, 2), {.evalRatio = 0.0});
        PerformanceWindowing w;
        w.windowEvents = 64;
        w.controls.noteDensity = true;
        w.controls.pitchHistogram = true;
        QCOMPARE(w.controls.inputSize(), 20);
        Rng rng(3);
        auto a = samplePerformanceWindow(d->train, w, rng);
        auto b = samplePerformanceWindow(d->train, w, rng);
        QVERIFY(a && b);
        QCOMPARE(a->controls.size(), size_t{64 * 20});
        for (size_t i = 0; i < 64; ++i) {
            const float* row = a->controls.data() + i * 20;
            QCOMPARE(std::count(row, row + 8, 1.0F), std::ptrdiff_t{1});
            double sum = 0.0;
            for (int k = 8; k < 20; ++k) sum += row[k];
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        }
        PerformanceWindow shorter = *b;
        shorter.events.resize(50);
        shorter.controls.resize(50 * 20);
        auto batch = makePerformanceBatch({&*a, &shorter}, 20, 355);
        QCOMPARE(batch.events.sizes(), (torch::IntArrayRef{2, 64}));
        QCOMPARE(batch.controls.sizes(), (torch::IntArrayRef{2, 64, 20}));
        QCOMPARE(batch.mask.sum().item<int64_t>(), int64_t{114});
        QCOMPARE(batch.events[1][60].item<int64_t>(), int64_t{355});
        QCOMPARE(batch.events[0][5].item<int64_t>(), int64_t{a->events[5]});
        QCOMPARE(batch.controls[0][3][2].item<float>(), a->controls[3 * 20 + 2]);
    }

    void realCorpusSubset() {
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        TOCCATA_REQUIRE_SHARED("datasets/pop909");
        const std::string shared = test::toStd(test::sharedDir()) + "/datasets/";
        QTemporaryDir dir;
        const std::string asap = dir.path().toStdString() + "/asap";
        const std::string pop = dir.path().toStdString() + "/pop909";
        std::filesystem::create_directories(asap);
        auto files = listMidiFiles(shared + "asap");
        QVERIFY(files && files->size() > 8);
        for (size_t i = 0; i < 8; ++i)
            std::filesystem::copy_file((*files)[i * files->size() / 8].path,
                                       asap + "/" + std::to_string(i) + ".mid");
        for (const char* song : {"001", "002", "003"}) {
            std::filesystem::create_directories(pop + "/" + song);
            std::filesystem::copy_file(shared + "pop909/" + song + "/" + song + ".mid",
                                       pop + "/" + song + "/" + song + ".mid");
        }
        PerformanceDatasetOptions options;
        options.extraFolders = {pop};
        options.evalRatio = 0.0;
        auto d = buildPerformanceDataset(asap, options);
        QVERIFY2(d, d ? "" : d.errorMessage().c_str());
        QCOMPARE(d->report.filesRead, int64_t{11});
        QVERIFY(d->report.skipped.empty());
        qInfo("11 real files read in %.3f s (%lld notes)", d->loadSeconds,
              static_cast<long long>(d->trainNotes()));
        // POP909: MELODY, BRIDGE and PIANO merged into one stream.
        auto song = core::readMidiFile(shared + "pop909/001/001.mid");
        QVERIFY(song);
        const auto merged = std::find_if(d->train.begin(), d->train.end(), [&](const auto& r) {
            return d->files[r.file] == "pop909/001/001.mid";
        });
        QVERIFY(merged != d->train.end());
        QCOMPARE(merged->notes.size(), song->notes.size());
        PerformanceWindowing w;
        Rng rng(1);
        for (int i = 0; i < 10; ++i) {
            auto win = samplePerformanceWindow(d->train, w, rng);
            QVERIFY2(win, win ? "" : win.errorMessage().c_str());
            QCOMPARE(win->events.size(), size_t{512});
        }
    }

    // The whole ASAP + POP909 corpus, for the load time: run with
    // TOCCATA_PERFORMANCE_CORPUS_TIMING=1 (about a minute of CPU; skipped otherwise).
    void fullCorpusLoad() {
        if (qgetenv("TOCCATA_PERFORMANCE_CORPUS_TIMING").isEmpty())
            QSKIP("set TOCCATA_PERFORMANCE_CORPUS_TIMING=1 to time the full corpus");
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        const std::string shared = test::toStd(test::sharedDir()) + "/datasets/";
        PerformanceDatasetOptions options;
        options.extraFolders = {shared + "pop909"};
        auto d = buildPerformanceDataset(shared + "asap", options);
        QVERIFY2(d, d ? "" : d.errorMessage().c_str());
        qInfo(
            "%lld files read (%zu skipped) in %.2f s: %zu train / %zu eval performances, "
            "%lld / %lld notes",
            static_cast<long long>(d->report.filesRead), d->report.skipped.size(), d->loadSeconds,
            d->train.size(), d->eval.size(), static_cast<long long>(d->trainNotes()),
            static_cast<long long>(d->evalNotes()));
        QVERIFY(d->report.filesRead > 1500);

        PerformanceWindowing w;  // 512 events, Magenta's augmentation
        Rng rng(1);
        const auto began = std::chrono::steady_clock::now();
        for (int i = 0; i < 1000; ++i) QVERIFY(samplePerformanceWindow(d->train, w, rng).ok());
        const double sampling =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        const auto evalWindows = performanceEvalWindows(d->eval, w);
        std::vector<std::vector<int>> heldOut;
        for (const PerformanceWindow& win : evalWindows) heldOut.push_back(win.events);
        auto baselines = EventBaselines::fit(performanceEventSequences(d->train, w), 388);
        QVERIFY(baselines);
        auto scores = baselines->evaluate(heldOut);
        QVERIFY(scores);
        qInfo("1000 training windows of 512 events in %.3f s; %zu held-out windows: %s", sampling,
              evalWindows.size(), scores->toString().c_str());
        QVERIFY(scores->bigramNll < scores->unigramNll);
    }
};

QTEST_GUILESS_MAIN(TestPerformanceDataset)
#include "TestPerformanceDataset.moc"
