// The MusicVAE / GrooVAE tools in the real MainWindow, with the committed Magenta.js fixture
// checkpoints (random weights) as models: Generate offers MusicVAE models and gives N takes of
// the asked length, the same seed the same notes, a trio lands on three tracks; Interpolate
// between tracks (and a dropped MIDI file) gives `steps` takes or one clip of steps × the clip
// length; Groove gives the generator's own velocities and timing, accepting replaces the drum
// notes in one undo step and undo restores them exactly, amount 0 gives the input back;
// Drumify (a tap2drum copy of the groove fixture) makes a drum track from a rhythm track or
// taps; bad requests (polyphony, 3/4, no model, empty or non-drum track) say why and change
// nothing.
// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "ml/models/music_vae/MusicVaeGenerator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUrl>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "TestSupport.h"
#include "app/GhostTakes.h"
#include "app/ModelLibrary.h"
#include "core/SequenceFile.h"
#include "ml/ModelSpec.h"
#include "ui/MainWindow.h"
#include "ui/pianoroll/GhostBar.h"
#include "ui/pianoroll/PianoRollPanel.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/tools/ClipSourceField.h"
#include "ui/tools/DrumifyPanel.h"
#include "ui/tools/GroovePanel.h"
#include "ui/tools/InterpolatePanel.h"
#include "ui/tools/RnnToolPanel.h"
#include "ui/tools/TapPad.h"
#include "ui/tools/ToolsDock.h"

using namespace toccata;
using ui::MainWindow;

namespace {

QString fixtures() { return test::sourceDir() + "/tests/data/parity/music_vae"; }

constexpr int kMelody = 0, kTuneB = 1, kDrums = 2, kChords = 3, kEmptyDrums = 4;

/// Two bars at 120 QPM (4 s): two single-line melodies, a quantized drum beat, block chords,
/// and an empty drum track.
core::NoteSequence song(int numerator = 4) {
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, 120.0});
    seq.timeSignatures.push_back({0.0, numerator, 4});
    seq.instrumentInfos = {{kMelody, "Melody", 0, 1},
                           {kTuneB, "Tune B", 1, 2},
                           {kDrums, "Drums", 9, 3},
                           {kChords, "Chords", 2, 4},
                           {kEmptyDrums, "Spare kit", 9, 5}};
    const int a[] = {60, 62, 64, 65, 67, 65, 64, 62};
    const int b[] = {72, 71, 69, 67, 65, 64, 62, 60};
    for (int i = 0; i < 8; ++i) {
        seq.notes.push_back({a[i], 90, i * 0.5, i * 0.5 + 0.5, kMelody, 0, false});
        seq.notes.push_back({b[i], 80, i * 0.5, i * 0.5 + 0.25, kTuneB, 0, false});
    }
    for (int s = 0; s < 32; s += 2) {  // eighth-note hats, kick on 1 and 3, snare on 2 and 4
        const double t = s * 0.125;
        seq.notes.push_back({42, 70, t, t + 0.1, kDrums, 0, true});
        if (s % 8 == 0) seq.notes.push_back({36, 110, t, t + 0.1, kDrums, 0, true});
        if (s % 8 == 4) seq.notes.push_back({38, 100, t, t + 0.1, kDrums, 0, true});
    }
    for (int bar = 0; bar < 2; ++bar)
        for (int p : {60, 64, 67})
            seq.notes.push_back({p, 70, bar * 2.0, bar * 2.0 + 2.0, kChords, 0, false});
    seq.recomputeTotalTime();
    return seq;
}

void choose(QComboBox* box, const QString& id) {
    const int index = box->findData(fixtures() + "/" + id);
    QVERIFY2(index >= 0, qPrintable("model " + id + " is not offered"));
    box->setCurrentIndex(index);
}

void fixSeed(ui::VaeToolPanel* panel, int seed) {
    panel->randomSeedBox()->setChecked(false);
    panel->seedBox()->setValue(seed);
    panel->playResultsBox()->setChecked(false);
}

using Hit = std::tuple<int, double, int>;  // pitch, start, velocity

std::vector<Hit> hits(const std::vector<core::Note>& notes, double shift = 0.0) {
    std::vector<Hit> out;
    for (const core::Note& n : notes)
        out.emplace_back(n.pitch, std::round((n.startTime + shift) * 1e6) / 1e6, n.velocity);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<core::Note> notesOn(const core::NoteSequence& seq, int instrument) {
    std::vector<core::Note> out;
    for (const core::Note& n : seq.notes)
        if (n.instrument == instrument) out.push_back(n);
    return out;
}

}  // namespace

class TestVaeTools : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_tapRoot;

    std::unique_ptr<MainWindow> window(int numerator = 4) {
        auto w = std::make_unique<MainWindow>(nullptr, m_dir.filePath("recovery"));
        const core::NoteSequence seq = song(numerator);
        std::vector<app::TrackState> tracks(5);
        for (int i = 0; i < 5; ++i) tracks[static_cast<size_t>(i)].instrument = i;
        tracks[kDrums].isDrum = tracks[kEmptyDrums].isDrum = true;
        w->document().restoreUnsaved(seq, tracks, {});
        w->pianoRoll()->setCurrentTrack(kMelody);
        return w;
    }

    static bool waitIdle(ui::VaeToolPanel* panel) {
        return QTest::qWaitFor([panel] { return !panel->isRunning(); }, 30000);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(QDir(fixtures()).exists());
        // A tap2drum model: the humanize fixture with tapify on (the same weight shapes).
        m_tapRoot = m_dir.filePath("tap");
        const std::string tap = (m_tapRoot + "/groovae_tap2drum_2bar").toStdString();
        std::filesystem::create_directories(tap);
        std::filesystem::copy((fixtures() + "/groovae_2bar_humanize").toStdString(), tap,
                              std::filesystem::copy_options::recursive);
        QFile config(QString::fromStdString(tap) + "/config.json");
        QVERIFY(config.open(QIODevice::ReadOnly));
        QByteArray text = config.readAll();
        config.close();
        text.replace("\"humanize\": true", "\"tapify\": true");
        QVERIFY(text.contains("tapify"));
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(text);
        config.close();
        auto spec = ml::loadModelSpec(tap);
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
        auto model = ml::MusicVaeGenerator::load(*spec);
        QVERIFY2(model.ok(), model.ok() ? "" : model.errorMessage().c_str());
        core::NoteSequence rhythm = song();
        rhythm.notes.resize(4);
        QVERIFY((*model)->drumify(rhythm, {}).ok());
        QVERIFY(!(*model)->groove(rhythm, {}).ok());  // not a humanize model
        qputenv("TOCCATA_MODELS_PATH", (fixtures() + ":" + m_tapRoot).toLocal8Bit());
    }

    void panelsReplaceThePlaceholders() {
        auto w = window();
        for (auto tool :
             {ui::ToolsDock::kInterpolate, ui::ToolsDock::kGroove, ui::ToolsDock::kDrumify})
            QVERIFY(!w->toolsDock()->isPlaceholder(tool));
        // Each tool offers only the models that serve it.
        QVERIFY(w->interpolatePanel()->modelBox()->findData(fixtures() + "/trio_4bar_hier") >= 0);
        QVERIFY(w->interpolatePanel()->modelBox()->findData(fixtures() + "/groovae_2bar_humanize") <
                0);
        const QString tap = m_tapRoot + "/groovae_tap2drum_2bar";
        QVERIFY(w->groovePanel()->modelBox()->findData(fixtures() + "/groovae_2bar_humanize") >= 0);
        QVERIFY(w->groovePanel()->modelBox()->findData(tap) < 0);
        QVERIFY(w->drumifyPanel()->modelBox()->findData(tap) >= 0);
        QVERIFY(w->drumifyPanel()->modelBox()->findData(fixtures() + "/groovae_2bar_humanize") < 0);
        QVERIFY(w->generatePanel()->modelBox()->findData(fixtures() + "/groovae_2bar_humanize") <
                0);
        QVERIFY(w->continuePanel()->modelBox()->findData(fixtures() + "/mel_2bar_flat") < 0);
    }

    void generateSamplesAndRepeats() {
        auto w = window();
        ui::RnnToolPanel* panel = w->generatePanel();
        choose(panel->modelBox(), "mel_2bar_flat");
        QVERIFY(panel->modelBox()->currentText().contains("MusicVAE"));
        QVERIFY(panel->keyLockBox()->isEnabled());
        QVERIFY(!panel->chordsEdit()->isVisibleTo(panel));
        panel->variationsBox()->setValue(3);
        panel->barsBox()->setValue(3);  // longer than the model's 2 bars: chained
        panel->temperatureBox()->setValue(0.5);
        panel->randomSeedBox()->setChecked(false);
        panel->seedBox()->setValue(5);
        panel->playResultsBox()->setChecked(false);
        w->pianoRoll()->setPlayheadSeconds(2.5);  // bar 2: results start at 2 s
        QVERIFY(panel->run());
        app::GhostTakes* ghosts = w->ghostTakes();
        QTRY_COMPARE_WITH_TIMEOUT(ghosts->count(), 3, 30000);
        QCOMPARE(ghosts->targetInstrument(), -1);
        std::vector<std::vector<Hit>> first;
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            const core::NoteSequence& take = *ghosts->currentTake();
            QVERIFY(qAbs(take.totalTime - 8.0) < 1e-6);  // 2 s + 3 bars of 2 s
            for (const core::Note& n : take.notes) {
                QVERIFY(n.startTime >= 2.0 - 1e-9 && n.startTime < 8.0);
                QVERIFY(n.pitch >= 48 && n.pitch <= 83);
            }
            first.push_back(hits(take.notes));
        }
        QVERIFY(first[0] != first[1]);  // seeds 5, 6, 7
        QVERIFY(panel->run());          // same seed: the same takes
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 30000);
        QCOMPARE(ghosts->count(), 3);
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            QCOMPARE(hits(ghosts->currentTake()->notes), first[static_cast<size_t>(i)]);
        }
        // The ghost bar drags the take out as MIDI from its first bar.
        ui::GhostBar* bar = w->pianoRollPanel()->ghostBar();
        QVERIFY(bar->dragHandle());
        const core::NoteSequence dragged = bar->dragSequence();
        QCOMPARE(dragged.notes.size(), ghosts->currentTake()->notes.size());
        for (const core::Note& n : dragged.notes)
            QVERIFY(n.startTime >= -1e-9 && n.startTime < 6.0);
        QVERIFY(bar->dragFileName().endsWith(".mid"));
        // Accepting writes one new track in one undo step.
        const int undo = w->document().undoStack()->count();
        const size_t tracks = w->document().tracks().size();
        QVERIFY(ghosts->accept(w->document()));
        QCOMPARE(w->document().tracks().size(), tracks + 1);
        QCOMPARE(w->document().undoStack()->count(), undo + 1);
        w->document().undoStack()->undo();
        QCOMPARE(w->document().tracks().size(), tracks);

        // Key lock: only pitches of D dorian.
        panel->keyLockBox()->setChecked(true);
        panel->keyBox()->setCurrentIndex(2);
        panel->scaleBox()->setCurrentIndex(panel->scaleBox()->findText("dorian"));
        panel->variationsBox()->setValue(2);
        QVERIFY(panel->run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 30000);
        QCOMPARE(ghosts->count(), 2);
        const std::set<int> dorian = {2, 4, 5, 7, 9, 11, 0};
        for (int i = 0; i < 2; ++i) {
            ghosts->setCurrent(i);
            QVERIFY(!ghosts->currentTake()->notes.empty());
            for (const core::Note& n : ghosts->currentTake()->notes)
                QVERIFY2(dorian.count(n.pitch % 12), "a pitch outside D dorian");
        }

        choose(panel->modelBox(), "drums_2bar_flat");
        QVERIFY(!panel->keyLockBox()->isEnabled());  // drums have no key
    }

    void generateTrioLandsOnThreeTracks() {
        auto w = window();
        ui::RnnToolPanel* panel = w->generatePanel();
        choose(panel->modelBox(), "trio_4bar_hier");
        panel->variationsBox()->setValue(1);
        panel->barsBox()->setValue(4);
        panel->temperatureBox()->setValue(1.0);
        panel->randomSeedBox()->setChecked(false);
        panel->seedBox()->setValue(3);
        panel->playResultsBox()->setChecked(false);
        QVERIFY(panel->run());
        QTRY_COMPARE_WITH_TIMEOUT(w->ghostTakes()->count(), 1, 30000);
        QCOMPARE(w->ghostTakes()->parts().size(), size_t{3});
        const core::NoteSequence take = *w->ghostTakes()->currentTake();
        std::set<int> parts;
        for (const core::Note& n : take.notes) parts.insert(n.instrument);
        const size_t before = w->document().tracks().size();
        QVERIFY(w->ghostTakes()->accept(w->document()));
        const auto& tracks = w->document().tracks();
        QCOMPARE(tracks.size(), before + parts.size());  // a track per part that played
        for (size_t i = before; i < tracks.size(); ++i) {
            const std::vector<core::Note> notes =
                notesOn(w->document().sequence(), tracks[i].instrument);
            QVERIFY(!notes.empty());
            for (const core::Note& n : notes) QCOMPARE(n.isDrum, tracks[i].isDrum);
        }
        if (parts.count(9)) QVERIFY(tracks.back().isDrum);  // melody, bass, then drums
        w->document().undoStack()->undo();
        QCOMPARE(w->document().tracks().size(), before);
    }

    void interpolateSeparateAndOneClip() {
        auto w = window();
        ui::InterpolatePanel* panel = w->interpolatePanel();
        choose(panel->modelBox(), "mel_2bar_flat");
        QVERIFY(panel->fromField()->setTrack(kMelody));
        QVERIFY(panel->toField()->setTrack(kTuneB));
        panel->stepsBox()->setValue(3);
        panel->placeBox()->setCurrentIndex(1);  // after the song: bar 3, 4 s
        fixSeed(panel, 1);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        app::GhostTakes* ghosts = w->ghostTakes();
        QTRY_COMPARE_WITH_TIMEOUT(ghosts->count(), 3, 30000);
        QVERIFY(waitIdle(panel));
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            QVERIFY(qAbs(ghosts->currentTake()->totalTime - 8.0) < 1e-6);
            for (const core::Note& n : ghosts->currentTake()->notes)
                QVERIFY(n.startTime >= 4.0 - 1e-9 && n.startTime < 8.0);
        }
        ghosts->setCurrent(0);
        const std::vector<Hit> firstTake = hits(ghosts->currentTake()->notes);

        panel->layoutBox()->setCurrentIndex(1);  // one clip
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        QCOMPARE(ghosts->count(), 1);
        const core::NoteSequence& clip = *ghosts->currentTake();
        QVERIFY2(qAbs(clip.totalTime - (4.0 + 3 * 4.0)) < 1e-6,
                 qPrintable(QString::number(clip.totalTime)));
        std::vector<core::Note> opening;
        for (const core::Note& n : clip.notes) {
            QVERIFY(n.startTime >= 4.0 - 1e-9 && n.startTime < 16.0);
            if (n.startTime < 8.0) opening.push_back(n);
        }
        QCOMPARE(hits(opening), firstTake);  // the clip starts with the first result

        // B as a MIDI file dropped onto its field.
        const QString file = m_dir.filePath("tune_b.mid");
        core::NoteSequence tune = song();
        std::erase_if(tune.notes, [](const core::Note& n) { return n.instrument != kTuneB; });
        tune.instrumentInfos = {{kTuneB, "Tune B", 1, 1}};
        QVERIFY(core::writeSequenceFile(tune, file.toStdString()).ok());
        auto* mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(file)});
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(panel->toField(), &enter);
        QVERIFY(enter.isAccepted());
        QCoreApplication::sendEvent(panel->toField(), &drop);
        QVERIFY(panel->toField()->isFile());
        QVERIFY(panel->toField()->sourceBox()->currentText().contains("tune_b.mid"));
        panel->layoutBox()->setCurrentIndex(0);
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        QCOMPARE(ghosts->count(), 3);
        ghosts->setCurrent(0);
        QCOMPARE(hits(ghosts->currentTake()->notes), firstTake);  // A is still the melody
        delete mime;
    }

    void interpolateTrioFromAllTracks() {
        auto w = window();
        ui::InterpolatePanel* panel = w->interpolatePanel();
        choose(panel->modelBox(), "trio_4bar_hier");
        QVERIFY(panel->fromField()->setTrack(app::kAllTracks));  // melody, drums (and chords)
        QVERIFY(panel->toField()->setTrack(kMelody));
        panel->stepsBox()->setValue(2);
        fixSeed(panel, 1);
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        QVERIFY2(w->ghostTakes()->count() == 2, qPrintable(panel->statusText()));
        QCOMPARE(w->ghostTakes()->parts().size(), size_t{3});  // accept makes a track per part
        QVERIFY(qAbs(w->ghostTakes()->currentTake()->totalTime - 8.0) < 1e-6);  // 4 bars at 0
    }

    void grooveReplacesInOneStepAndAmountZeroKeepsTheInput() {
        auto w = window();
        ui::GroovePanel* panel = w->groovePanel();
        choose(panel->modelBox(), "groovae_2bar_humanize");
        w->pianoRoll()->setCurrentTrack(kDrums);
        panel->inputBox()->setCurrentIndex(1);  // whole track
        fixSeed(panel, 9);
        const core::NoteSequence original = w->document().sequence();
        const std::vector<core::Note> drums = notesOn(original, kDrums);
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        app::GhostTakes* ghosts = w->ghostTakes();
        QCOMPARE(ghosts->count(), 1);
        QCOMPARE(ghosts->targetInstrument(), kDrums);
        QCOMPARE(ghosts->replaces().size(), static_cast<qsizetype>(drums.size()));
        const core::NoteSequence take = *ghosts->currentTake();
        QVERIFY(!take.notes.empty());

        // The take is exactly the generator's answer: its velocities and micro-timing.
        auto spec = ml::loadModelSpec((fixtures() + "/groovae_2bar_humanize").toStdString());
        QVERIFY(spec.ok());
        auto model = ml::MusicVaeGenerator::load(*spec);
        QVERIFY(model.ok());
        core::NoteSequence input = original;
        input.notes = drums;
        input.instrumentInfos.clear();
        ml::VaeGrooveOptions options;
        options.seed = 9;
        auto expected = (*model)->groove(input, options);
        QVERIFY(expected.ok());
        QCOMPARE(hits(take.notes), hits(expected->notes));
        std::set<int> velocities;
        for (const core::Note& n : take.notes) velocities.insert(n.velocity);
        QVERIFY(velocities.size() > 1);

        // Accept: the drum track holds the take instead, one undo step; undo restores it all.
        const int undo = w->document().undoStack()->count();
        QTest::mouseClick(w->pianoRollPanel()->ghostBar()->acceptButton(), Qt::LeftButton);
        QVERIFY(ghosts->isEmpty());
        QCOMPARE(w->document().undoStack()->count(), undo + 1);
        QCOMPARE(hits(notesOn(w->document().sequence(), kDrums)), hits(take.notes));
        QCOMPARE(notesOn(w->document().sequence(), kMelody), notesOn(original, kMelody));
        w->document().undoStack()->undo();
        QVERIFY(w->document().sequence() == original);

        panel->amountBox()->setValue(0.0);
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        QCOMPARE(ghosts->count(), 1);
        QCOMPARE(hits(ghosts->currentTake()->notes), hits(drums));
    }

    void drumifyMakesADrumTrack() {
        auto w = window();
        ui::DrumifyPanel* panel = w->drumifyPanel();
        const int tap = panel->modelBox()->findData(m_tapRoot + "/groovae_tap2drum_2bar");
        QVERIFY(tap >= 0);
        panel->modelBox()->setCurrentIndex(tap);
        w->pianoRoll()->setCurrentTrack(kMelody);
        panel->inputBox()->setCurrentIndex(1);  // whole track
        fixSeed(panel, 2);
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        app::GhostTakes* ghosts = w->ghostTakes();
        QVERIFY2(ghosts->count() == 1, qPrintable(panel->statusText()));
        QCOMPARE(ghosts->targetInstrument(), -1);
        const size_t takeNotes = ghosts->currentTake()->notes.size();
        const size_t tracks = w->document().tracks().size();
        QVERIFY(ghosts->accept(w->document()));
        QCOMPARE(w->document().tracks().size(), tracks + 1);
        const app::TrackState drums = w->document().tracks().back();
        QVERIFY(drums.isDrum);
        QCOMPARE(notesOn(w->document().sequence(), drums.instrument).size(), takeNotes);

        // A tapped rhythm: four taps, Enter stops; it runs like a track. In a shown, active
        // window, so that Space (the transport's shortcut) has to reach the pad as a tap.
        w->toolsDock()->setCurrentIndex(ui::ToolsDock::kDrumify);
        w->show();
        w->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QTest::mouseClick(panel->tapButton(), Qt::LeftButton);
        QVERIFY(panel->tapPad()->isRecording());
        QCOMPARE(panel->inputBox()->currentData().toInt(), ui::DrumifyPanel::kTapped);
        for (Qt::Key key : {Qt::Key_Space, Qt::Key_A, Qt::Key_Space, Qt::Key_K})
            QTest::keyClick(panel->tapPad(), key, Qt::NoModifier, 60);
        QTest::keyClick(panel->tapPad(), Qt::Key_Return);
        QVERIFY(!panel->tapPad()->isRecording());
        QVERIFY(!panel->tapButton()->isChecked());
        QCOMPARE(panel->tapPad()->taps().size(), size_t{4});
        QVERIFY(panel->run());
        QVERIFY(waitIdle(panel));
        QVERIFY2(!panel->statusText().contains("failed"), qPrintable(panel->statusText()));
        QVERIFY(ghosts->count() == 1 || panel->statusText().contains("silence"));
    }

    void badRequestsSayWhyAndChangeNothing() {
        auto w = window();
        const core::NoteSequence original = w->document().sequence();
        const int undo = w->document().undoStack()->count();
        // A melody model given block chords.
        ui::InterpolatePanel* interp = w->interpolatePanel();
        choose(interp->modelBox(), "mel_2bar_flat");
        QVERIFY(interp->fromField()->setTrack(kChords));
        QVERIFY(interp->toField()->setTrack(kMelody));
        fixSeed(interp, 1);
        QVERIFY(interp->run());
        QVERIFY(waitIdle(interp));
        QVERIFY2(
            interp->statusText().contains("polyphonic") && interp->statusText().contains("Chords"),
            qPrintable(interp->statusText()));
        QVERIFY(w->ghostTakes()->isEmpty());
        // Only the selected notes of A, with none selected.
        interp->fromField()->setTrack(kMelody);
        interp->fromField()->setScope(app::ClipScope::kSelection);
        QVERIFY(!interp->run());
        QVERIFY2(interp->statusText().contains("selected"), qPrintable(interp->statusText()));

        // Groove: an empty drum track, then a melody track.
        ui::GroovePanel* groove = w->groovePanel();
        choose(groove->modelBox(), "groovae_2bar_humanize");
        w->pianoRoll()->setCurrentTrack(kEmptyDrums);
        QVERIFY(!groove->run());
        QVERIFY2(groove->statusText().contains("no notes"), qPrintable(groove->statusText()));
        w->pianoRoll()->setCurrentTrack(kMelody);
        QVERIFY(!groove->run());
        QVERIFY2(groove->statusText().contains("not a drum track"),
                 qPrintable(groove->statusText()));
        QVERIFY(w->document().sequence() == original);
        QCOMPARE(w->document().undoStack()->count(), undo);

        w.reset();

        // A song in 3/4.
        auto waltz = window(3);
        waltz->pianoRoll()->setCurrentTrack(kDrums);
        QVERIFY(!waltz->groovePanel()->run());
        QVERIFY2(waltz->groovePanel()->statusText().contains("3/4"),
                 qPrintable(waltz->groovePanel()->statusText()));
        choose(waltz->generatePanel()->modelBox(), "mel_2bar_flat");
        QVERIFY(!waltz->generatePanel()->run());
        QVERIFY(waltz->generatePanel()->statusText().contains("4/4"));
        QVERIFY(!waltz->interpolatePanel()->run());
        QVERIFY(waltz->interpolatePanel()->statusText().contains("3/4"));
        QVERIFY(waltz->ghostTakes()->isEmpty());
        QCOMPARE(waltz->document().undoStack()->count(), 0);
    }

    void noModelSaysWhichKindIsNeeded() {
        auto w = window();
        // Only a melody model: neither the shipped GrooVAEs nor the fixtures' are seen.
        QTemporaryDir noShipped;
        qputenv("TOCCATA_SHIPPED_MODELS", noShipped.path().toLocal8Bit());
        qputenv("TOCCATA_MODELS_PATH", (fixtures() + "/mel_2bar_flat").toLocal8Bit());
        w->models().refresh();
        qunsetenv("TOCCATA_SHIPPED_MODELS");
        qputenv("TOCCATA_MODELS_PATH", (fixtures() + ":" + m_tapRoot).toLocal8Bit());
        ui::GroovePanel* groove = w->groovePanel();
        QCOMPARE(groove->modelBox()->count(), 0);
        QCOMPARE(w->drumifyPanel()->modelBox()->count(), 0);
        QVERIFY(!groove->runButton()->isEnabled());
        QVERIFY(!groove->run());
        QVERIFY2(groove->statusText().contains("GrooVAE humanize"),
                 qPrintable(groove->statusText()));
        QVERIFY(w->drumifyPanel()->statusText().contains("tap2drum"));
    }
};

QTEST_MAIN(TestVaeTools)
#include "TestVaeTools.moc"
