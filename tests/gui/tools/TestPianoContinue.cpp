// The Continue tool with piano models in the real MainWindow: a Performance RNN
// (multiconditioned) and a Music Transformer, both tiny and untrained, made by the test through
// the ML API. The piano models are offered labelled by family; density and pitch-histogram
// controls show only for the conditioned model, top-k/top-p only for the transformer; each
// variation lands after the input as a ghost take on the same track with the model's
// velocities, within the requested length (seconds, or bars through the tempo map); the same
// seed gives the same notes; accepting is one undoable step; an empty track starts from
// silence; bad requests (all-zero histogram, broken model folder) say why; cancel stops.
// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <filesystem>
#include <set>

#include "TestSupport.h"
#include "app/GhostTakes.h"
#include "app/PianoGeneration.h"
#include "ui/MainWindow.h"
#include "ui/pianoroll/GhostBar.h"
#include "ui/pianoroll/PianoRollPanel.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/tools/PianoControls.h"
#include "ui/tools/RnnToolPanel.h"

using namespace toccata;
using ui::MainWindow;
using ui::PianoControls;
using ui::RnnToolPanel;

namespace {

constexpr int kTimeout = 60000;

core::JsonValue object(std::initializer_list<std::pair<const char*, const char*>> fields) {
    core::JsonValue o = core::JsonValue::object();
    for (auto [k, v] : fields) o.set(k, std::string(v));
    return o;
}

/// A tiny untrained Performance RNN of `config`, written as a model folder.
QString makePerformanceRnn(const QString& root, const std::string& id, const std::string& config) {
    auto cfg = ml::PerformanceRnnConfig::named(config);
    if (!cfg) qFatal("%s", cfg.errorMessage().c_str());
    ml::MusicRnnArchitecture arch;
    arch.layerSizes = {24};
    arch.inputDepth = cfg->inputDepth();
    arch.numClasses = cfg->numClasses();
    auto network = ml::MusicRnn::initialize(arch, 5);
    if (!network) qFatal("%s", network.errorMessage().c_str());
    ml::ModelSpec spec;
    spec.id = id;
    spec.family = "performance_rnn";
    spec.config = config;
    spec.description = "untrained test model";
    spec.provenance = object({{"corpus", "none (untrained)"}});
    spec.license = object({{"weights", "CC0-1.0"}, {"trainingData", "none"}});
    auto model = ml::PerformanceRnnGenerator::fromNetwork(spec, *cfg, std::move(*network));
    if (!model) qFatal("%s", model.errorMessage().c_str());
    const QString folder = root + "/" + QString::fromStdString(id);
    ml::ModelExportOptions options;
    options.overwrite = true;
    if (core::Status s = (*model)->exportTo(folder.toStdString(), options); !s)
        qFatal("%s", s.errorMessage().c_str());
    return folder;
}

/// A tiny untrained Polyphony RNN (259 classes).
QString makePolyphony(const QString& root, const std::string& id) {
    auto model = ml::PolyphonyRnnGenerator::initialize({24}, 5, id);
    if (!model) qFatal("%s", model.errorMessage().c_str());
    const QString folder = root + "/" + QString::fromStdString(id);
    ml::ModelExportOptions options;
    options.overwrite = true;
    if (core::Status s = (*model)->exportTo(folder.toStdString(), options); !s)
        qFatal("%s", s.errorMessage().c_str());
    return folder;
}

/// A tiny untrained Music Transformer over the 388 performance events.
QString makeTransformer(const QString& root, const std::string& id) {
    ml::MusicTransformerArchitecture arch;
    arch.vocabSize = 388 + ml::kTransformerReservedTokens;
    arch.dModel = 16;
    arch.numHeads = 2;
    arch.numLayers = 1;
    arch.ffSize = 32;
    arch.maxRelativeDistance = 32;
    arch.contextWindow = 64;
    auto network = ml::MusicTransformerNetwork::create(arch, 3);
    if (!network) qFatal("%s", network.errorMessage().c_str());
    core::JsonValue codec = core::JsonValue::object();
    codec.set("encoding", std::string("performance"));
    codec.set("numVelocityBins", int64_t{32});
    codec.set("maxShiftSteps", int64_t{100});
    codec.set("stepsPerSecond", int64_t{100});
    codec.set("tokenOffset", ml::kTransformerReservedTokens);
    const QString folder = root + "/" + QString::fromStdString(id);
    if (core::Status s = ml::saveMusicTransformer(
            folder.toStdString(), **network, id, codec, object({{"corpus", "none (untrained)"}}),
            object({{"weights", "CC0-1.0"}, {"trainingData", "none"}}), true);
        !s)
        qFatal("%s", s.errorMessage().c_str());
    return folder;
}

/// Two bars of a piano part at 120 QPM (4 s) with off-grid timing and varied velocities, then
/// 60 QPM from 4 s; an empty second track.
core::NoteSequence song() {
    core::NoteSequence seq;
    seq.tempos = {{0.0, 120.0}, {4.0, 60.0}};
    seq.timeSignatures.push_back({0.0, 4, 4});
    seq.instrumentInfos = {{0, "Piano", 0, 1}, {1, "Empty", 1, 2}};
    const int pitches[] = {60, 64, 67, 72, 71, 67, 62, 59};
    for (int i = 0; i < 8; ++i) {
        const double start = i * 0.47 + 0.013 * (i % 3);
        seq.notes.push_back({pitches[i], 40 + 10 * i, start, start + 0.61, 0, 0, false});
    }
    seq.recomputeTotalTime();
    return seq;
}

void settle(RnnToolPanel* panel, int variations, int seed) {
    panel->variationsBox()->setValue(variations);
    panel->temperatureBox()->setValue(1.0);
    panel->randomSeedBox()->setChecked(false);
    panel->seedBox()->setValue(seed);
    panel->playResultsBox()->setChecked(false);
}

struct Take {
    std::vector<std::tuple<int, int, double, double>> notes;  // pitch, velocity, start, end
    bool operator==(const Take&) const = default;
};

Take takeOf(const core::NoteSequence& seq) {
    Take t;
    for (const core::Note& n : seq.notes)
        t.notes.emplace_back(n.pitch, n.velocity, n.startTime, n.endTime);
    return t;
}

}  // namespace

class TestPianoContinue : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_models;
    QString m_perf, m_plain, m_transformer, m_broken, m_polyphony;

    std::unique_ptr<MainWindow> window() {
        auto w = std::make_unique<MainWindow>(nullptr, m_dir.filePath("recovery"));
        w->document().restoreUnsaved(song(), {}, {});
        w->pianoRoll()->setCurrentTrack(0);
        return w;
    }

    void choose(RnnToolPanel* panel, const QString& folder) {
        const int index = panel->modelBox()->findData(folder);
        QVERIFY2(index >= 0, qPrintable(folder + " is not offered"));
        panel->modelBox()->setCurrentIndex(index);
    }

    /// Every take: notes from `from` to `from + seconds`, velocities as the model's bins make
    /// them (or the primer's bin carried on), some notes, more than one velocity.
    void checkTakes(app::GhostTakes* ghosts, int count, double from, double seconds,
                    std::vector<Take>* out = nullptr) {
        std::set<int> velocities;
        int notes = 0;
        for (int i = 0; i < count; ++i) {
            ghosts->setCurrent(i);
            const core::NoteSequence& take = *ghosts->currentTake();
            for (const core::Note& n : take.notes) {
                const QString where = QString("take %1: note %2 (velocity %3) at %4..%5")
                                          .arg(i)
                                          .arg(n.pitch)
                                          .arg(n.velocity)
                                          .arg(n.startTime)
                                          .arg(n.endTime);
                QVERIFY2(n.startTime >= from - 1e-6, qPrintable(where));
                QVERIFY2(n.endTime <= from + seconds + 1e-6, qPrintable(where));
                QVERIFY2(n.endTime > n.startTime, qPrintable(where));
                // 32 bins decode to 1 + 4k; only a take without any VELOCITY gets 100.
                QVERIFY2((n.velocity - 1) % 4 == 0 || n.velocity == 100, qPrintable(where));
                velocities.insert(n.velocity);
            }
            notes += static_cast<int>(take.notes.size());
            if (out) out->push_back(takeOf(take));
        }
        QVERIFY(notes > 0);
        QVERIFY2(velocities.size() > 1, "the model's velocities should vary");
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_models = m_dir.filePath("models");
        m_perf = makePerformanceRnn(m_models, "perf_multi",
                                    "multiconditioned_performance_with_dynamics");
        m_plain = makePerformanceRnn(m_models, "perf_plain", "performance_with_dynamics");
        m_transformer = makeTransformer(m_models, "mt_tiny");
        m_polyphony = makePolyphony(m_models, "poly_tiny");
        // A copy whose weights are cut short: listed (model.json is fine), fails to load.
        m_broken = m_models + "/mt_broken";
        std::filesystem::copy(m_transformer.toStdString(), m_broken.toStdString(),
                              std::filesystem::copy_options::recursive);
        for (const auto& file : std::filesystem::directory_iterator(m_broken.toStdString()))
            if (file.path().extension() == ".bin") std::filesystem::resize_file(file.path(), 100);
        qputenv("TOCCATA_SHIPPED_MODELS", m_dir.filePath("no-shipped").toLocal8Bit());
        qputenv("TOCCATA_MODELS_PATH", m_models.toLocal8Bit());
    }

    void primerKeepsTimingVelocityAndPedal() {
        app::Document doc;
        core::NoteSequence seq = song();
        seq.controlChanges.push_back({1.5, 0, 64, 127, 0, 0, false});  // down before bar 2
        seq.controlChanges.push_back({2.9, 0, 64, 0, 0, 0, false});    // up inside it
        seq.controlChanges.push_back({3.0, 0, 64, 127, 1, 0, false});  // another track's
        doc.restoreUnsaved(seq, {}, {});
        const core::NoteSequence primer = app::pianoPrimerFor(doc, 0, {2.0, 4.0});
        QCOMPARE(primer.totalTime, 2.0);
        QVERIFY(!primer.isQuantized());
        QCOMPARE(primer.notes.size(), size_t{3});  // notes 6..8 start in bar 2
        QCOMPARE(primer.notes[0].velocity, 90);
        QVERIFY(std::abs(primer.notes[0].startTime - (5 * 0.47 + 0.026 - 2.0)) < 1e-9);
        QVERIFY(std::abs(primer.notes[0].endTime - primer.notes[0].startTime - 0.61) < 1e-9);
        QCOMPARE(primer.controlChanges.size(), size_t{2});
        QCOMPARE(primer.controlChanges[0].time, 0.0);  // the pedal is down as bar 2 starts
        QCOMPARE(primer.controlChanges[0].controlValue, 127);
        QVERIFY(std::abs(primer.controlChanges[1].time - 0.9) < 1e-9);
        QCOMPARE(primer.controlChanges[1].controlValue, 0);
        // Bars through the tempo map: 120 QPM before 4 s, 60 after.
        QCOMPARE(app::barsToSeconds(doc, 0.0, 2), 4.0);
        QCOMPARE(app::barsToSeconds(doc, 4.0, 1), 4.0);
        QCOMPARE(app::barsToSeconds(doc, 2.0, 2), 6.0);  // one bar at 120, one at 60
    }

    void controlsFollowTheModel() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        PianoControls* piano = panel->pianoControls();
        QVERIFY(piano);
        const int perf = panel->modelBox()->findData(m_perf);
        QVERIFY(perf >= 0);
        QVERIFY(panel->modelBox()->itemText(perf).contains("Performance RNN"));
        QVERIFY(panel->modelBox()
                    ->itemText(panel->modelBox()->findData(m_transformer))
                    .contains("Music Transformer"));

        choose(panel, m_perf);
        QVERIFY(piano->isVisibleTo(panel));
        QVERIFY(piano->densityBox()->isVisibleTo(panel));
        QVERIFY(piano->histogramEditor()->isVisibleTo(panel));
        QVERIFY(!piano->topKBox()->isVisibleTo(panel));
        QVERIFY(!panel->keyLockBox()->isEnabled());
        QCOMPARE(panel->variationsBox()->maximum(), 16);

        choose(panel, m_plain);
        QVERIFY(!piano->densityBox()->isVisibleTo(panel));
        QVERIFY(!piano->histogramEditor()->isVisibleTo(panel));

        choose(panel, m_transformer);
        QVERIFY(!piano->densityBox()->isVisibleTo(panel));
        QVERIFY(piano->topKBox()->isVisibleTo(panel));
        QVERIFY(piano->topPBox()->isVisibleTo(panel));

        // The seconds unit takes over from the bars box.
        piano->unitBox()->setCurrentIndex(1);
        QVERIFY(piano->secondsBox()->isVisibleTo(panel));
        QVERIFY(!panel->barsBox()->isEnabled());
        piano->unitBox()->setCurrentIndex(0);
        QVERIFY(panel->barsBox()->isEnabled());
    }

    void performanceRnnContinuesAndAccepts() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        choose(panel, m_perf);
        settle(panel, 3, 7);
        PianoControls* piano = panel->pianoControls();
        piano->unitBox()->setCurrentIndex(1);
        piano->secondsBox()->setValue(3.0);
        piano->densityBox()->setValue(4.0);
        piano->histogramKeyBox()->setCurrentIndex(7);     // G
        piano->histogramPresetBox()->setCurrentIndex(1);  // major
        QCOMPARE(piano->histogramSlider(7)->value(), 8);  // the tonic weighs most
        QCOMPARE(piano->histogramSlider(1)->value(), 0);  // C# is not in G major
        QVERIFY(panel->run());
        app::GhostTakes* ghosts = w->ghostTakes();
        QTRY_COMPARE_WITH_TIMEOUT(ghosts->count(), 3, kTimeout);
        QVERIFY2(panel->statusText().contains("seed 7"), qPrintable(panel->statusText()));
        QCOMPARE(ghosts->targetInstrument(), 0);
        // The input is bars 1-2 (0-4 s): the continuation is 3 s from 4 s.
        std::vector<Take> first;
        checkTakes(ghosts, 3, 4.0, 3.0, &first);
        if (QTest::currentTestFailed()) return;
        QVERIFY(first[0] != first[1]);  // seeds 7, 8, 9

        // Same seed, same takes.
        QVERIFY(panel->run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
        QCOMPARE(ghosts->count(), 3);
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            QVERIFY(takeOf(*ghosts->currentTake()) == first[static_cast<size_t>(i)]);
        }

        // Accept the third: one undo step adds exactly its notes, velocities and timing.
        ghosts->setCurrent(2);
        const size_t before = w->document().sequence().notes.size();
        const int undoBefore = w->document().undoStack()->count();
        QTest::mouseClick(w->pianoRollPanel()->ghostBar()->acceptButton(), Qt::LeftButton);
        QVERIFY(ghosts->isEmpty());
        const core::NoteSequence& seq = w->document().sequence();
        QCOMPARE(seq.notes.size(), before + first[2].notes.size());
        QCOMPARE(w->document().undoStack()->count(), undoBefore + 1);
        std::multiset<std::tuple<int, int, double, double>> accepted;
        for (const core::Note& n : seq.notes)
            if (n.startTime >= 4.0 - 1e-9)
                accepted.emplace(n.pitch, n.velocity, n.startTime, n.endTime);
        QVERIFY(accepted == std::multiset(first[2].notes.begin(), first[2].notes.end()));
        w->document().undoStack()->undo();
        QCOMPARE(w->document().sequence().notes.size(), before);

        // The controls reach the model: same seeds, other density and no histogram, other notes.
        piano->densityBox()->setValue(piano->densityBox()->minimum());  // off
        piano->histogramPresetBox()->setCurrentIndex(0);                // off
        QVERIFY(panel->run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
        QCOMPARE(ghosts->count(), 3);
        ghosts->setCurrent(0);
        QVERIFY(takeOf(*ghosts->currentTake()) != first[0]);
    }

    void transformerContinuesForBarsOfTheTempoMap() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        choose(panel, m_transformer);
        settle(panel, 2, 3);
        panel->barsBox()->setValue(1);  // one bar at 60 QPM after 4 s: 4 s
        panel->pianoControls()->topKBox()->setValue(40);
        panel->pianoControls()->topPBox()->setValue(0.95);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        app::GhostTakes* ghosts = w->ghostTakes();
        QTRY_COMPARE_WITH_TIMEOUT(ghosts->count(), 2, kTimeout);
        QCOMPARE(ghosts->targetInstrument(), 0);
        std::vector<Take> takes;
        checkTakes(ghosts, 2, 4.0, 4.0, &takes);
        if (QTest::currentTestFailed()) return;
        QVERIFY(takes[0] != takes[1]);  // seeds 3 and 4

        // top-k 1 leaves one choice per event: every seed gives the same take.
        panel->pianoControls()->topKBox()->setValue(1);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
        QCOMPARE(ghosts->count(), 2);
        ghosts->setCurrent(0);
        const Take greedy = takeOf(*ghosts->currentTake());
        ghosts->setCurrent(1);
        QVERIFY(takeOf(*ghosts->currentTake()) == greedy);
    }

    void polyphonyRnnContinuesOnItsGrid() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        choose(panel, m_polyphony);
        PianoControls* controls = panel->pianoControls();
        QVERIFY(controls->conditionBox()->isVisibleTo(panel));
        QVERIFY(controls->conditionBox()->isChecked());
        QVERIFY(!controls->injectBox()->isChecked());
        QVERIFY(!controls->densityBox()->isVisibleTo(panel));
        QVERIFY(!controls->topKBox()->isVisibleTo(panel));
        settle(panel, 2, 3);
        panel->barsBox()->setValue(1);  // one bar at 60 QPM after 4 s: 4 s
        for (const bool inject : {false, true}) {
            controls->injectBox()->setChecked(inject);
            QTest::mouseClick(panel->runButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
            app::GhostTakes* ghosts = w->ghostTakes();
            QCOMPARE(ghosts->count(), 2);
            int notes = 0;
            for (int i = 0; i < 2; ++i) {
                ghosts->setCurrent(i);
                for (const core::Note& n : ghosts->currentTake()->notes) {
                    const QString where = QString("inject %1, take %2: note %3 at %4..%5")
                                              .arg(inject)
                                              .arg(i)
                                              .arg(n.pitch)
                                              .arg(n.startTime)
                                              .arg(n.endTime);
                    QVERIFY2(n.startTime >= 4.0 - 1e-6 && n.endTime <= 8.0 + 1e-6,
                             qPrintable(where));
                    // On the primer's 16th-note grid: it was played at 120 QPM (0.125 s).
                    const double steps = (n.startTime - 4.0) / 0.125;
                    QVERIFY2(std::abs(steps - std::round(steps)) < 1e-6, qPrintable(where));
                    ++notes;
                }
            }
            QVERIFY2(notes > 0, inject ? "inject on" : "inject off");
        }
    }

    void emptyTrackStartsFromSilence() {
        auto w = window();
        w->pianoRoll()->setCurrentTrack(1);  // the empty track; the playhead is at 0
        RnnToolPanel* panel = w->continuePanel();
        for (const QString& folder : {m_plain, m_transformer}) {
            choose(panel, folder);
            settle(panel, 2, 11);
            panel->pianoControls()->unitBox()->setCurrentIndex(1);
            panel->pianoControls()->secondsBox()->setValue(4.0);
            QVERIFY2(panel->run(), qPrintable(panel->statusText()));
            QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
            QCOMPARE(w->ghostTakes()->count(), 2);
            QCOMPARE(w->ghostTakes()->targetInstrument(), 1);
            checkTakes(w->ghostTakes(), 2, 0.0, 4.0);
            if (QTest::currentTestFailed()) return;
        }
    }

    void badRequestsSayWhy() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        choose(panel, m_perf);
        settle(panel, 1, 1);
        PianoControls* piano = panel->pianoControls();
        piano->histogramPresetBox()->setCurrentIndex(1);
        for (int pc = 0; pc < 12; ++pc) piano->histogramSlider(pc)->setValue(0);
        QCOMPARE(piano->histogramPresetBox()->currentText(), QString("custom"));
        QVERIFY(!panel->run());
        QVERIFY2(panel->statusText().contains("all zeros"), qPrintable(panel->statusText()));
        QVERIFY(w->ghostTakes()->isEmpty());

        choose(panel, m_broken);
        QVERIFY(panel->run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
        QVERIFY2(
            panel->statusText().contains("failed") && panel->statusText().contains("mt_broken"),
            qPrintable(panel->statusText()));
        QVERIFY(w->ghostTakes()->isEmpty());
        QVERIFY(panel->runButton()->isEnabled());
    }

    void cancelStops() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        choose(panel, m_perf);
        settle(panel, 16, 5);
        panel->pianoControls()->unitBox()->setCurrentIndex(1);
        panel->pianoControls()->secondsBox()->setValue(600.0);
        QVERIFY(panel->run());
        QVERIFY(panel->cancelButton()->isEnabled());
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kTimeout);
        QCOMPARE(panel->statusText(), QString("Cancelled."));
        QVERIFY(w->ghostTakes()->isEmpty());
        QVERIFY(panel->runButton()->isEnabled());
    }
};

QTEST_MAIN(TestPianoContinue)
#include "TestPianoContinue.moc"
