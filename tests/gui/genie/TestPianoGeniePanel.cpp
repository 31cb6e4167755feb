// The Piano Genie panel in the real MainWindow (audio output off: the engine's silent clock),
// played with real key events on the panel: a press lights a key in its button's colour, sounds
// a live note and lands in the recorded take; auto-repeat is ignored; Space holds notes until
// it is let go; stopping a recording adds ONE track "Piano Genie take" in one undo step; at
// temperature 0 the key is the model's argmax, the same after Reset; the key/scale and range
// restriction is honoured; a MIDI controller's mapped notes play the buttons while the panel
// is open; without a model or with a bad folder the status line says why and nothing sounds.
// The model: the committed fixture checkpoint (tests/data/parity/piano_genie), else the
// tutorial's weights in ../shared; the test skips when there is neither.
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

#include "TestSupport.h"
#include "app/PianoGenieController.h"
#include "ui/MainWindow.h"
#include "ui/TrackList.h"
#include "ui/genie/FallingNotesView.h"
#include "ui/genie/GenieButtonsView.h"
#include "ui/genie/GenieColors.h"
#include "ui/genie/PianoGeniePanel.h"
#include "ui/genie/PianoKeyboardView.h"
#include "ui/genie/PitchSpinBox.h"
#if TOCCATA_HAVE_AUDIO
#include "app/PlaybackController.h"
#endif

using namespace toccata;
using app::PianoGenieController;
using ui::MainWindow;
using ui::PianoGeniePanel;

namespace {

/// A folder under `root` (or `root` itself) that holds weights_manifest.json, or "".
QString findModelFolder(const QString& root) {
    if (root.isEmpty() || !QDir(root).exists()) return {};
    if (QFileInfo::exists(root + "/weights_manifest.json")) return root;
    QDirIterator it(root, {"weights_manifest.json"}, QDir::Files, QDirIterator::Subdirectories);
    QStringList found;
    while (it.hasNext()) found << QFileInfo(it.next()).absolutePath();
    found.sort();
    return found.value(0);
}

QString modelFolder() {
    const QString fixture = findModelFolder(test::sourceDir() + "/tests/data/parity/piano_genie");
    if (!fixture.isEmpty()) return fixture;
    const QString shared = test::sharedDir();
    return shared.isEmpty() ? QString()
                            : findModelFolder(shared + "/reference/piano-genie-tutorial/tfjs");
}

void sendKey(QWidget* w, QEvent::Type type, Qt::Key key, const QString& text, bool autoRepeat) {
    QKeyEvent e(type, key, Qt::NoModifier, text, autoRepeat);
    QApplication::sendEvent(w, &e);
}

int argmax(const std::vector<float>& v) {
    return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

std::vector<core::Note> notesOf(const app::Document& doc, int instrument) {
    std::vector<core::Note> out;
    for (const core::Note& n : doc.sequence().notes)
        if (n.instrument == instrument) out.push_back(n);
    return out;
}

}  // namespace

class TestPianoGeniePanel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;

    /// A shown window with the genie open, focused and loaded with the test model.
    std::unique_ptr<MainWindow> window(bool loadModel = true) {
        auto w = std::make_unique<MainWindow>(nullptr, m_dir.filePath("recovery"));
        w->show();
        if (!QTest::qWaitForWindowActive(w.get())) return nullptr;
        w->openPianoGenie();
        PianoGeniePanel* panel = w->pianoGeniePanel();
        if (!QTest::qWaitFor([panel] { return panel->hasFocus(); }, 5000)) return nullptr;
        if (loadModel) {
            if (!panel->openFolder(m_model)) return nullptr;
            w->pianoGenie().setSeed(7);
        }
        return w;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ToccataTests");
        QCoreApplication::setApplicationName("TestPianoGeniePanel");
        QSettings settings;
        settings.clear();
        settings.setValue("audio/api", app::AudioSettings::kAudioOff);
        settings.setValue("audio/soundFont", test::buildDir() + "/soundfonts/toccata-test.sf2");
        settings.setValue("midi/virtualOutput", false);
        settings.setValue("midi/virtualInput", false);
        // No model from the library unless a test asks for one.
        qputenv("TOCCATA_MODELS_PATH", m_dir.filePath("no-models").toLocal8Bit());
        qputenv("TOCCATA_SHIPPED_MODELS", m_dir.filePath("no-shipped-models").toLocal8Bit());
        m_model = modelFolder();
    }

    void cleanupTestCase() { QSettings().clear(); }

    void init() {
        QSettings().remove(PianoGeniePanel::kFolderKey);
        if (m_model.isEmpty() && QString(QTest::currentTestFunction()) != "errorsWithoutModel")
            QSKIP(
                "no Piano Genie model: neither tests/data/parity/piano_genie nor "
                "../shared/reference/piano-genie-tutorial/tfjs is on this machine");
    }

    void errorsWithoutModel() {
        auto w = window(false);
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        QVERIFY(!w->pianoGenie().hasModel());
        QTest::keyPress(panel, Qt::Key_1);
        QTest::keyRelease(panel, Qt::Key_1);
        QVERIFY2(panel->statusText().contains("No Piano Genie model"),
                 qPrintable(panel->statusText()));
        QCOMPARE(panel->keyboard()->litCount(), 0);
        QVERIFY(w->pianoGenie().sounding().empty());
        // A folder that is not there, and one that holds no model: named, nothing changes.
        const QString missing = m_dir.filePath("missing-model");
        QVERIFY(!panel->openFolder(missing));
        QVERIFY2(panel->statusText().contains("missing-model"), qPrintable(panel->statusText()));
        QDir().mkpath(m_dir.filePath("junk"));
        QFile junk(m_dir.filePath("junk/weights_manifest.json"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{ not json");
        junk.close();
        QVERIFY(!panel->openFolder(m_dir.filePath("junk")));
        QVERIFY2(panel->statusText().contains("junk"), qPrintable(panel->statusText()));
        QVERIFY(!w->pianoGenie().hasModel());
        // The model list still offers only "Open folder…".
        QCOMPARE(panel->modelBox()->count(), 1);
        // The tools dock's page and the menu action open the same panel.
        QVERIFY(w->pianoGenieAction()->isChecked());
        w->pianoGenieDock()->hide();
        QVERIFY(!w->pianoGenieAction()->isChecked());
        auto* open = w->findChild<QPushButton*>("OpenPianoGenie");
        QVERIFY(open);
        open->click();
        QVERIFY(w->pianoGenieDock()->isVisible());
    }

    void libraryModelsAreOffered() {
        // A piano_genie model of the library is offered and loads when the panel opens.
        qputenv("TOCCATA_MODELS_PATH", m_model.toLocal8Bit());
        auto w = window(false);
        qputenv("TOCCATA_MODELS_PATH", m_dir.filePath("no-models").toLocal8Bit());
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        QCOMPARE(panel->modelBox()->count(), 2);  // the model and "Open folder…"
        QCOMPARE(QDir::cleanPath(panel->modelBox()->itemData(0).toString()),
                 QDir::cleanPath(m_model));
        QVERIFY(w->pianoGenie().hasModel());
        QCOMPARE(QDir::cleanPath(w->pianoGenie().modelFolder()), QDir::cleanPath(m_model));
        QTest::keyClick(panel, Qt::Key_A);
        QVERIFY(!panel->statusText().contains("No Piano Genie model"));
        QCOMPARE(panel->fallingNotes()->noteCount(), 1);
    }

    void pressLightsKeyAndRecords() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        QVERIFY(genie.hasModel());
        QCOMPARE(panel->modelBox()->currentData().toString(), genie.modelFolder());
        panel->recordButton()->click();
        QVERIFY(genie.isRecording());
        QVERIFY(panel->hasFocus());  // the record button takes no focus

        QTest::keyPress(panel, Qt::Key_1);
        const int key = genie.keyOfButton(0);
        QVERIFY(key >= 0 && key < 88);
        QVERIFY(panel->keyboard()->isLit(key));
        QCOMPARE(panel->keyboard()->litColour(key), ui::genieButtonColour(0));
        QVERIFY(panel->buttons()->isDown(0));
        QCOMPARE(panel->fallingNotes()->soundingCount(), 1);
        QCOMPARE(genie.take().size(), size_t(1));
        QCOMPARE(genie.take()[0].pitch, key + 21);
        QCOMPARE(genie.take()[0].velocity, PianoGeniePanel::kLoudVelocity);
#if TOCCATA_HAVE_AUDIO
        // The note reaches the synth's live queue (the silent clock applies it).
        QTRY_COMPARE(w->playback().engine().renderer().heldLiveNoteCount(), 1);
#endif
        QTest::qWait(60);
        QTest::keyRelease(panel, Qt::Key_1);
        QVERIFY(!panel->keyboard()->isLit(key));
        QVERIFY(!panel->buttons()->isDown(0));
        QCOMPARE(panel->fallingNotes()->soundingCount(), 0);
        QCOMPARE(panel->fallingNotes()->noteCount(), 1);  // still floating away
        QVERIFY(genie.sounding().empty());
#if TOCCATA_HAVE_AUDIO
        QTRY_COMPARE(w->playback().engine().renderer().heldLiveNoteCount(), 0);
#endif
        QVERIFY(genie.take()[0].endTime - genie.take()[0].startTime >= 0.05);

        // Soft: the home-row key of button 4, at the soft velocity.
        panel->loudBox()->setChecked(false);
        QTest::keyClick(panel, Qt::Key_J);
        QCOMPARE(genie.take().size(), size_t(2));
        QCOMPARE(genie.take()[1].velocity, PianoGeniePanel::kSoftVelocity);
        QVERIFY(genie.take()[1].startTime >= genie.take()[0].startTime);

        // L is button 6 here, not the window's loop shortcut.
#if TOCCATA_HAVE_AUDIO
        const bool loop = w->playback().isLoopEnabled();
        QTest::keyClick(panel, Qt::Key_L);
        QCOMPARE(w->playback().isLoopEnabled(), loop);
        QCOMPARE(genie.take().size(), size_t(3));
#endif
    }

    void autoRepeatIgnored() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        genie.setRecording(true);
        sendKey(panel, QEvent::KeyPress, Qt::Key_2, "2", false);
        const int key = genie.keyOfButton(1);
        QVERIFY(key >= 0);
        for (int i = 0; i < 5; ++i) {  // what a held key sends
            sendKey(panel, QEvent::KeyRelease, Qt::Key_2, "2", true);
            sendKey(panel, QEvent::KeyPress, Qt::Key_2, "2", true);
        }
        QCOMPARE(genie.keyOfButton(1), key);
        QCOMPARE(genie.sounding().size(), size_t(1));
        QCOMPARE(genie.take().size(), size_t(1));
        QVERIFY(panel->keyboard()->isLit(key));
        sendKey(panel, QEvent::KeyRelease, Qt::Key_2, "2", false);
        QVERIFY(genie.sounding().empty());
        QCOMPARE(panel->fallingNotes()->noteCount(), 1);
        const int undo = w->document().undoStack()->count();
        panel->recordButton()->click();  // stop
        QVERIFY(!genie.isRecording());
        QCOMPARE(w->document().undoStack()->count(), undo + 1);
        QCOMPARE(w->document().sequence().notes.size(), size_t(1));
    }

    void sustainHoldsNotes() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        genie.setRecording(true);
        QTest::keyPress(panel, Qt::Key_Space);
        QVERIFY(genie.isSustainDown());
#if TOCCATA_HAVE_AUDIO
        QVERIFY(!w->playback().isPlaying());  // Space is the pedal here, not play
#endif
        QTest::keyClick(panel, Qt::Key_1);
        QTest::keyClick(panel, Qt::Key_Semicolon);  // button 7
        QCOMPARE(genie.take().size(), size_t(2));
        // Released but held by the pedal (unless the model picked the same key twice).
        const std::set<int> keys = {genie.take()[0].pitch - 21, genie.take()[1].pitch - 21};
        QCOMPARE(genie.sounding().size(), keys.size());
        for (int key : keys) QVERIFY(panel->keyboard()->isLit(key));
        QVERIFY(!panel->buttons()->isDown(0));
        QTest::qWait(120);
        QTest::keyRelease(panel, Qt::Key_Space);
        QVERIFY(!genie.isSustainDown());
        QVERIFY(genie.sounding().empty());
        QCOMPARE(panel->keyboard()->litCount(), 0);
        // The second note lasted until the pedal came up.
        QVERIFY(genie.take()[1].endTime - genie.take()[1].startTime >= 0.1);

        // Without the pedal a release ends the note at once.
        QTest::keyPress(panel, Qt::Key_3);
        QCOMPARE(genie.sounding().size(), size_t(1));
        QTest::keyRelease(panel, Qt::Key_3);
        QVERIFY(genie.sounding().empty());
        genie.setRecording(false);
    }

    void recordingAddsOneUndoableTrack() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        app::Document& doc = w->document();
        const size_t tracks = doc.tracks().size();
        const int undo = doc.undoStack()->count();
        panel->recordButton()->click();
        const Qt::Key keys[] = {Qt::Key_1, Qt::Key_4, Qt::Key_8, Qt::Key_S, Qt::Key_K};
        for (Qt::Key k : keys) {
            QTest::keyPress(panel, k);
            QTest::qWait(15);
            QTest::keyRelease(panel, k);
        }
        QTest::keyPress(panel, Qt::Key_5);  // still held at stop: ends there
        QCOMPARE(genie.take().size(), size_t(6));
        QSignalSpy added(&genie, &PianoGenieController::takeAdded);
        panel->recordButton()->click();
        QVERIFY(!panel->recordButton()->isChecked());
        QCOMPARE(added.count(), 1);
        QCOMPARE(doc.tracks().size(), tracks + 1);
        QCOMPARE(doc.undoStack()->count(), undo + 1);
        const int instrument = added.first().at(0).toInt();
        QCOMPARE(added.first().at(1).toInt(), 6);
        QCOMPARE(QString::fromStdString(
                     doc.sequence().instrumentInfos[size_t(doc.trackIndex(instrument))].name),
                 PianoGenieController::takeTrackName());
        const std::vector<core::Note> notes = notesOf(doc, instrument);
        QCOMPARE(notes.size(), size_t(6));
        double last = -1.0;
        for (const core::Note& n : notes) {
            QVERIFY(n.pitch >= 21 && n.pitch <= 108);
            QVERIFY(n.endTime > n.startTime);
            QVERIFY(n.startTime >= last);
            QCOMPARE(n.program, 0);
            QVERIFY(!n.isDrum);
            last = n.startTime;
        }
        QTest::keyRelease(panel, Qt::Key_5);
        QCOMPARE(doc.sequence().notes.size(), size_t(6));  // after the stop: not recorded
        doc.undoStack()->undo();
        QCOMPARE(doc.tracks().size(), tracks);
        QVERIFY(notesOf(doc, instrument).empty());
        doc.undoStack()->redo();
        QCOMPARE(notesOf(doc, instrument).size(), size_t(6));
        // An empty take adds nothing.
        panel->recordButton()->click();
        panel->recordButton()->click();
        QCOMPARE(doc.undoStack()->count(), undo + 1);
    }

    void temperatureZeroIsArgmax() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        panel->temperatureBox()->setValue(0.0);
        QCOMPARE(genie.temperature(), 0.0);
        QVERIFY(genie.lastLogits().empty());  // nothing pressed yet
        QTest::keyClick(panel, Qt::Key_4);
        QCOMPARE(genie.lastLogits().size(), size_t(88));
        std::vector<int> played;
        const Qt::Key keys[] = {Qt::Key_4, Qt::Key_2, Qt::Key_7, Qt::Key_2};
        panel->resetButton()->click();
        for (Qt::Key k : keys) {
            QTest::keyPress(panel, k);
            const int button = PianoGeniePanel::buttonOfKey(k);
            played.push_back(genie.keyOfButton(button));
            QCOMPARE(played.back(), argmax(genie.lastLogits()));
            QTest::keyRelease(panel, k);
        }
        // The first press after Reset does not depend on time: the same key again.
        panel->resetButton()->click();
        QTest::keyPress(panel, Qt::Key_4);
        QCOMPARE(genie.keyOfButton(3), played.front());
        QTest::keyRelease(panel, Qt::Key_4);
    }

    void allowedKeysHonoured() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        panel->temperatureBox()->setValue(1.5);  // wild: every key is likely somewhere
        panel->keyBox()->setCurrentIndex(panel->keyBox()->findData(2));  // D
        panel->scaleBox()->setCurrentIndex(panel->scaleBox()->findText("dorian"));
        panel->lowestBox()->setValue(60);
        panel->highestBox()->setValue(84);
        QCOMPARE(panel->lowestBox()->text(), QString("C4"));
        const std::set<int> dorian = {2, 4, 5, 7, 9, 11, 0};
        genie.setRecording(true);
        for (int i = 0; i < 40; ++i) {
            const Qt::Key k = static_cast<Qt::Key>(Qt::Key_1 + i % 8);
            QTest::keyClick(panel, k);
        }
        QCOMPARE(genie.take().size(), size_t(40));
        for (const core::Note& n : genie.take()) {
            QVERIFY2(n.pitch >= 60 && n.pitch <= 84, qPrintable(QString::number(n.pitch)));
            QVERIFY2(dorian.count(n.pitch % 12), "a pitch outside D dorian");
        }
        genie.setRecording(false);
        // No key left: the press says why, nothing sounds, nothing crashes.
        panel->lowestBox()->setValue(84);
        panel->highestBox()->setValue(61);
        QVERIFY(panel->statusText().contains("No key is allowed"));
        QTest::keyPress(panel, Qt::Key_1);
        QCOMPARE(genie.keyOfButton(0), -1);
        QCOMPARE(panel->keyboard()->litCount(), 0);
        QTest::keyRelease(panel, Qt::Key_1);
        QVERIFY(panel->statusText().contains("Piano Genie") ||
                panel->statusText().contains("No key"));
        // Widening again plays.
        panel->highestBox()->setValue(108);
        QTest::keyPress(panel, Qt::Key_1);
        QVERIFY(genie.keyOfButton(0) + 21 >= 84);
        QTest::keyRelease(panel, Qt::Key_1);
    }

    void midiControllerPlaysButtons() {
        auto w = window();
        QVERIFY(w);
        PianoGeniePanel* panel = w->pianoGeniePanel();
        PianoGenieController& genie = w->pianoGenie();
        QVERIFY(!genie.handleMidiNote(60, 90, true));  // mapping off: monitored as usual
        panel->midiModeBox()->setCurrentIndex(1);      // C4–C5 white keys
        QVERIFY(genie.isMidiRoutingActive());
        QVERIFY(genie.handleMidiNote(64, 90, true));  // E4 = button 2
        const int key = genie.keyOfButton(2);
        QVERIFY(key >= 0);
        QVERIFY(panel->buttons()->isDown(2));
        QCOMPARE(genie.sounding().front().velocity, 90);  // the controller's velocity
        QVERIFY(!genie.handleMidiNote(61, 90, true));     // not a button
        QVERIFY(genie.handleMidiNote(64, 0, false));
        QVERIFY(genie.sounding().empty());
        // The controller's pedal holds the note.
        QVERIFY(genie.handleMidiSustain(true));
        QVERIFY(genie.handleMidiNote(72, 100, true));
        QVERIFY(genie.handleMidiNote(72, 0, false));
        QCOMPARE(genie.sounding().size(), size_t(1));
        QVERIFY(genie.handleMidiSustain(false));
        QVERIFY(genie.sounding().empty());

        // Learn the lowest 8 notes played.
        panel->midiModeBox()->setCurrentIndex(2);
        for (int p : {50, 48, 55, 53, 52, 57, 59, 60}) {
            QVERIFY(genie.handleMidiNote(p, 80, true));
            QVERIFY(genie.handleMidiNote(p, 0, false));
        }
        QVERIFY(genie.sounding().empty());  // learning is silent
        QVERIFY(!genie.midiMapping().isLearning());
        QVERIFY(genie.handleMidiNote(48, 70, true));
        QVERIFY(genie.keyOfButton(0) >= 0);
        QVERIFY(genie.handleMidiNote(48, 0, false));

        // Hidden: the controller is the usual MIDI input again.
        w->pianoGenieDock()->hide();
        QVERIFY(!genie.isMidiRoutingActive());
        QVERIFY(!genie.handleMidiNote(48, 70, true));
        QVERIFY(!genie.handleMidiSustain(true));
        QVERIFY(genie.sounding().empty());
    }
};

QTEST_MAIN(TestPianoGeniePanel)
#include "TestPianoGeniePanel.moc"
