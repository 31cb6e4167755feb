// The Continue and Generate tools and the model manager in the real MainWindow, with the
// committed Magenta.js fixture checkpoints as models: a continuation lands after the input's
// last bar as ghost variations, the same seed gives the same notes, accepting is one undoable
// step, Generate writes a new (drum) track, bad requests say why, and folders of models can be
// added in the model manager.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>
#include <set>

#include "TestSupport.h"
#include "app/GhostTakes.h"
#include "app/ModelLibrary.h"
#include "ui/MainWindow.h"
#include "ui/pianoroll/GhostBar.h"
#include "ui/pianoroll/PianoRollPanel.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/tools/ModelManagerDialog.h"
#include "ui/tools/RnnToolPanel.h"
#include "ui/tools/ToolsDock.h"

using namespace toccata;
using ui::MainWindow;
using ui::RnnToolPanel;

namespace {

QString fixtures() { return test::sourceDir() + "/tests/data/parity/music_rnn"; }

/// Two bars of C major quarter notes at 120 QPM (4 s), one melody track; an empty bass track.
core::NoteSequence song() {
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, 120.0});
    seq.timeSignatures.push_back({0.0, 4, 4});
    seq.instrumentInfos = {{0, "Melody", 0, 1}, {1, "Bass", 1, 2}};
    const int pitches[] = {60, 62, 64, 65, 67, 65, 64, 62};
    for (int i = 0; i < 8; ++i) seq.notes.push_back({pitches[i], 90, i * 0.5, i * 0.5 + 0.5, 0, 0, false});
    seq.recomputeTotalTime();
    return seq;
}

void chooseModel(RnnToolPanel* panel, const QString& id) {
    const int index = panel->modelBox()->findData(fixtures() + "/" + id);
    QVERIFY2(index >= 0, qPrintable("model " + id + " is not offered"));
    panel->modelBox()->setCurrentIndex(index);
}

void fixedSettings(RnnToolPanel* panel, int variations, int bars, int seed) {
    panel->variationsBox()->setValue(variations);
    panel->barsBox()->setValue(bars);
    panel->temperatureBox()->setValue(1.0);
    panel->randomSeedBox()->setChecked(false);
    panel->seedBox()->setValue(seed);
    panel->playResultsBox()->setChecked(false);
}

std::vector<std::pair<int, double>> notesOf(const core::NoteSequence& take) {
    std::vector<std::pair<int, double>> out;
    for (const core::Note& n : take.notes) out.emplace_back(n.pitch, n.startTime);
    return out;
}

}  // namespace

class TestGenerationTools : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<MainWindow> window() {
        auto w = std::make_unique<MainWindow>(nullptr, m_dir.filePath("recovery"));
        w->document().restoreUnsaved(song(), {}, {});
        w->trackList();  // created with the window
        w->pianoRoll()->setCurrentTrack(0);
        return w;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(QDir(fixtures()).exists());
        qputenv("TOCCATA_MODELS_PATH", fixtures().toLocal8Bit());
    }

    void continueLandsAfterTheInputAndAccepts() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        QVERIFY(panel);
        QVERIFY(!w->toolsDock()->isPlaceholder(ui::ToolsDock::kContinue));
        chooseModel(panel, "basic_rnn");
        fixedSettings(panel, 3, 2, 7);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        app::GhostTakes* ghosts = w->ghostTakes();
        QTRY_COMPARE_WITH_TIMEOUT(ghosts->count(), 3, 20000);
        QVERIFY2(panel->statusText().contains("seed 7"), qPrintable(panel->statusText()));
        QVERIFY(panel->runButton()->isEnabled());
        QCOMPARE(ghosts->targetInstrument(), 0);
        // The input is bars 1-2 (0-4 s): the continuation fills bars 3-4 (4-8 s).
        std::vector<std::vector<std::pair<int, double>>> first;
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            const core::NoteSequence& take = *ghosts->currentTake();
            QVERIFY(!take.notes.empty());
            for (const core::Note& n : take.notes) {
                QVERIFY2(n.startTime >= 4.0 - 1e-9 && n.endTime <= 8.0 + 1e-9,
                         qPrintable(QString("note at %1..%2").arg(n.startTime).arg(n.endTime)));
                QVERIFY(n.pitch >= 48 && n.pitch <= 83);
            }
            first.push_back(notesOf(take));
        }
        QVERIFY(first[0] != first[1]);  // seeds 7, 8, 9

        // Same seed, same variations.
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 20000);
        QCOMPARE(ghosts->count(), 3);
        for (int i = 0; i < 3; ++i) {
            ghosts->setCurrent(i);
            QCOMPARE(notesOf(*ghosts->currentTake()), first[static_cast<size_t>(i)]);
        }

        // Accept the second one: one undo step adds exactly its notes to the melody track.
        ghosts->setCurrent(1);
        const size_t before = w->document().sequence().notes.size();
        const int undoBefore = w->document().undoStack()->count();
        QTest::mouseClick(w->pianoRollPanel()->ghostBar()->acceptButton(), Qt::LeftButton);
        QVERIFY(ghosts->isEmpty());
        QCOMPARE(w->document().sequence().notes.size(), before + first[1].size());
        QCOMPARE(w->document().undoStack()->count(), undoBefore + 1);
        for (const core::Note& n : w->document().sequence().notes) QCOMPARE(n.instrument, 0);
        w->document().undoStack()->undo();
        QCOMPARE(w->document().sequence().notes.size(), before);
    }

    void selectionAndKeyLock() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        chooseModel(panel, "attention_rnn");
        fixedSettings(panel, 2, 1, 3);
        // Only the first bar selected: the continuation starts at bar 2 (2 s).
        app::NoteIds firstBar;
        const auto& ids = w->document().noteIds();
        for (size_t i = 0; i < 4; ++i) firstBar << ids[i];
        w->pianoRoll()->setSelectedNotes(firstBar);
        panel->keyLockBox()->setChecked(true);
        panel->keyBox()->setCurrentIndex(2);  // D
        panel->scaleBox()->setCurrentIndex(panel->scaleBox()->findText("dorian"));
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->ghostTakes()->count(), 2, 20000);
        const std::set<int> dorian = {2, 4, 5, 7, 9, 11, 0};
        for (int i = 0; i < 2; ++i) {
            w->ghostTakes()->setCurrent(i);
            for (const core::Note& n : w->ghostTakes()->currentTake()->notes) {
                QVERIFY(n.startTime >= 2.0 - 1e-9 && n.endTime <= 4.0 + 1e-9);
                QVERIFY2(dorian.count(n.pitch % 12), "a pitch outside D dorian");
            }
        }
    }

    void generateWritesANewDrumTrack() {
        auto w = window();
        RnnToolPanel* panel = w->generatePanel();
        chooseModel(panel, "drum_kit_rnn");
        QVERIFY(!panel->keyLockBox()->isEnabled());  // drums have no key
        fixedSettings(panel, 2, 1, 11);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->ghostTakes()->count(), 2, 20000);
        QCOMPARE(w->ghostTakes()->targetInstrument(), -1);
        const core::NoteSequence take = *w->ghostTakes()->currentTake();
        for (const core::Note& n : take.notes) {
            QVERIFY(n.isDrum);
            QVERIFY(n.startTime >= -1e-9 && n.startTime < 2.0);  // bar 1 at the playhead (0)
        }
        QVERIFY(w->ghostTakes()->accept(w->document()));
        const core::NoteSequence& seq = w->document().sequence();
        QCOMPARE(seq.instrumentInfos.size(), size_t{3});
        const int drums = seq.instrumentInfos.back().instrument;
        QCOMPARE(QString::fromStdString(seq.instrumentInfos.back().name), QString("drum_kit_rnn"));
        QVERIFY(w->document().trackState(drums).isDrum);
        int onTrack = 0;
        for (const core::Note& n : seq.notes) onTrack += n.instrument == drums;
        QCOMPARE(onTrack, static_cast<int>(take.notes.size()));
        w->document().undoStack()->undo();  // track and notes go in one step
        QCOMPARE(w->document().sequence().instrumentInfos.size(), size_t{2});
    }

    void badRequestsSayWhy() {
        auto w = window();
        RnnToolPanel* panel = w->continuePanel();
        chooseModel(panel, "basic_rnn");
        w->pianoRoll()->setCurrentTrack(1);  // the empty bass track
        QVERIFY(!panel->run());
        QVERIFY2(panel->statusText().contains("no notes"), qPrintable(panel->statusText()));
        panel->inputBox()->setCurrentIndex(2);  // loop region, none set
        QVERIFY(!panel->run());
        QVERIFY2(panel->statusText().contains("loop region"), qPrintable(panel->statusText()));

        w->pianoRoll()->setCurrentTrack(0);
        panel->inputBox()->setCurrentIndex(0);
        chooseModel(panel, "chord_pitches_improv");
        QVERIFY(panel->chordsEdit()->isVisibleTo(panel));
        QVERIFY(!panel->run());
        QVERIFY2(panel->statusText().contains("chords"), qPrintable(panel->statusText()));
        panel->chordsEdit()->setText("C Zm9");
        QVERIFY(!panel->run());
        QVERIFY2(panel->statusText().contains("Zm9"), qPrintable(panel->statusText()));
        panel->chordsEdit()->setText("C G Am F");
        fixedSettings(panel, 1, 4, 1);
        QVERIFY(panel->run());
        QTRY_COMPARE_WITH_TIMEOUT(w->ghostTakes()->count(), 1, 20000);
        for (const core::Note& n : w->ghostTakes()->currentTake()->notes)
            QVERIFY(n.startTime >= 4.0 - 1e-9 && n.endTime <= 12.0 + 1e-9);
    }

    void modelManagerAddsFolders() {
        auto w = window();
        QTemporaryDir models;
        const std::string copy = models.filePath("mine/my_drums").toStdString();
        std::filesystem::create_directories(copy);
        std::filesystem::copy((fixtures() + "/drum_kit_rnn").toStdString(), copy,
                              std::filesystem::copy_options::recursive);
        QTemporaryDir empty;
        w->openModelManager();
        auto* dialog = w->findChild<ui::ModelManagerDialog*>("ModelManagerDialog");
        QVERIFY(dialog);
        const int listed = dialog->list()->topLevelItemCount();
        QVERIFY(listed >= 5);

        dialog->setFolderPrompt([&] { return empty.path(); });
        dialog->addFolder();
        QVERIFY2(dialog->messageText().contains("holds no model"), qPrintable(dialog->messageText()));
        QCOMPARE(dialog->list()->topLevelItemCount(), listed);

        dialog->setFolderPrompt([&] { return models.path(); });
        dialog->addFolder();
        QCOMPARE(dialog->list()->topLevelItemCount(), listed + 1);
        QVERIFY(w->models().addedFolders().contains(QDir::cleanPath(models.path())));
        QVERIFY(w->continuePanel()->modelBox()->findData(QString::fromStdString(copy)) >= 0);
        // Removing the folder takes its models away again.
        auto* item = dialog->list()->findItems("my_drums", Qt::MatchExactly).value(0);
        QVERIFY(item);
        dialog->list()->setCurrentItem(item);
        QVERIFY(dialog->removeButton()->isEnabled());
        dialog->removeSelectedFolder();
        QCOMPARE(dialog->list()->topLevelItemCount(), listed);
        QVERIFY(w->continuePanel()->modelBox()->findData(QString::fromStdString(copy)) < 0);
    }
};

QTEST_MAIN(TestGenerationTools)
#include "TestGenerationTools.moc"
