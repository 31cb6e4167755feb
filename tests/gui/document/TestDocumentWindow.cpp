// The real MainWindow with its Document: open MIDI, edit and undo, save/load the project,
// export MIDI, restore after a crash, and ask before dropping unsaved changes.
#include <QAction>
#include <QFile>
#include <QMenu>
#include <QTemporaryDir>
#include <QtTest>

#include "app/Autosaver.h"
#include "app/ProjectFile.h"
#include "app/RecentFiles.h"
#include "app/RecoveryManager.h"
#include "core/midi/MidiIO.h"
#include "ui/MainWindow.h"
#include "ui/TrackList.h"

using namespace toccata;
using ui::MainWindow;

class TestDocumentWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString recoveryDir() const { return m_dir.filePath("recovery"); }

    static core::NoteSequence song() {
        core::NoteSequence seq;
        seq.tempos.push_back({0.0, 100.0});
        seq.instrumentInfos = {{0, "Melody", 0, 1}, {1, "Bass", 1, 2}};
        for (int i = 0; i < 8; ++i) {
            seq.notes.push_back({60 + i, 90, i * 0.6, i * 0.6 + 0.5, 0, 0, false});
            seq.notes.push_back({36 + i, 100, i * 0.6, i * 0.6 + 0.3, 1, 33, false});
        }
        seq.recomputeTotalTime();
        return seq;
    }

    QString songPath() {
        const QString path = m_dir.filePath("song.mid");
        if (!QFile::exists(path)) {
            const core::Status status = core::writeMidiFile(song(), path.toStdString());
            if (!status) qWarning("%s", status.errorMessage().c_str());
        }
        return path;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void editUndoAndTitle() {
        MainWindow window(nullptr, recoveryDir());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(songPath()));
        app::Document& doc = window.document();
        QCOMPARE(doc.sequence().notes.size(), size_t(16));
        QVERIFY(!window.isWindowModified());
        QVERIFY(app::RecentFiles::list().contains(songPath()));

        const core::NoteSequence original = doc.sequence();
        const app::NoteId first = doc.noteIds()[0];
        QVERIFY(doc.transpose({first}, 5));
        QVERIFY(window.isWindowModified());
        QVERIFY(window.windowTitle().contains("[*]"));
        app::NoteId bassNote = 0;
        for (size_t i = 0; i < doc.noteIds().size(); ++i)
            if (doc.sequence().notes[i].instrument == doc.sequence().instrumentInfos[1].instrument)
                bassNote = doc.noteIds()[i];
        QVERIFY(doc.removeNotes({bassNote}));
        QCOMPARE(window.trackList()->topLevelItem(1)->text(ui::TrackList::kNotes), QString("7"));

        auto* undo = window.findChild<QAction*>("UndoAction");
        QVERIFY(undo);
        QVERIFY(undo->isEnabled());
        QVERIFY(undo->text().contains("Delete Notes"));
        undo->trigger();
        undo->trigger();
        QCOMPARE(doc.sequence(), original);
        QVERIFY(!window.isWindowModified());
        QVERIFY(!undo->isEnabled());
        window.setSavePrompt([](const QString&) { return MainWindow::SaveChoice::Cancel; });
        QVERIFY(window.close());  // clean: no prompt needed
    }

    void saveLoadAndExportRoundTrip() {
        MainWindow window(nullptr, recoveryDir());
        QVERIFY(window.openFile(songPath()));
        app::Document& doc = window.document();
        doc.setVelocity({doc.noteIds()[0]}, 33);
        app::TrackState state = doc.trackState(1);
        state.muted = true;
        doc.setTrackState(state);
        const core::NoteSequence edited = doc.sequence();

        // Save goes through the (injected) Save As prompt since a MIDI import has no project.
        const QString project = m_dir.filePath("saved");
        window.setPathPrompt([&](const QString&, const QString&) { return project; });
        QVERIFY(window.save());
        QCOMPARE(doc.filePath(), project + ".toccata");
        QVERIFY(!window.isWindowModified());

        MainWindow other(nullptr, recoveryDir());
        QVERIFY(other.openFile(project + ".toccata"));
        QCOMPARE(other.document().sequence(), edited);
        QVERIFY(other.document().trackState(1).muted);

        const QString midi = m_dir.filePath("export.mid");
        QVERIFY(other.exportMidi(midi));
        auto reread = core::readMidiFile(midi.toStdString());
        QVERIFY(reread.ok());
        QCOMPARE(reread->notes.size(), edited.notes.size());
        QCOMPARE(reread->notes[0].velocity, 33);
        QVERIFY(!other.document().isModified());  // export does not save the project
    }

    void crashRecoveryRestores() {
        // A "crashed" session: recovery file written by an Autosaver, lock with a dead PID.
        QDir().mkpath(recoveryDir());
        const QString recoveryFile = recoveryDir() + "/session-crashed.toccata-recovery";
        {
            app::Document crashed;
            QString error;
            QVERIFY(crashed.load(songPath(), &error));
            crashed.removeNotes({crashed.noteIds()[0]});
            app::Autosaver saver(crashed, recoveryFile);
            QVERIFY(saver.autosaveNow());
        }
        QFile lock(recoveryDir() + "/session-crashed.lock");
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write("2000000000\n");
        lock.close();

        MainWindow window(nullptr, recoveryDir());
        QStringList offered;
        window.setRecoveryPrompt([&](const QStringList& files) {
            offered = files;
            return true;
        });
        QVERIFY(window.offerRecovery());
        QCOMPARE(offered, QStringList{recoveryFile});
        QCOMPARE(window.document().sequence().notes.size(), size_t(15));
        QVERIFY(window.isWindowModified());
        QVERIFY(!QFile::exists(recoveryFile));  // now held by this window's own autosave
        QVERIFY(QFile::exists(window.autosaver().recoveryFile()));
        QVERIFY(QFile::exists(window.recovery().lockFilePath()));

        // A second window finds nothing: the restoring window is alive.
        MainWindow second(nullptr, recoveryDir());
        second.setRecoveryPrompt([](const QStringList&) { return true; });
        QVERIFY(!second.offerRecovery());

        window.setSavePrompt([](const QString&) { return MainWindow::SaveChoice::Discard; });
        QVERIFY(window.close());
        QVERIFY(!QFile::exists(window.autosaver().recoveryFile()));
        QVERIFY(!QFile::exists(window.recovery().lockFilePath()));
    }

    void autosaveTimerWritesRecoveryWithLock() {
        MainWindow window(nullptr, recoveryDir());
        QVERIFY(window.openFile(songPath()));
        QVERIFY(!QFile::exists(window.recovery().lockFilePath()));  // nothing to protect yet
        window.autosaver().setInterval(20);
        window.autosaver().start();
        window.document().transpose({window.document().noteIds()[0]}, 1);
        QVERIFY(QFile::exists(window.recovery().lockFilePath()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(window.autosaver().recoveryFile()), 2000);
        auto data = app::ProjectFile::read(window.autosaver().recoveryFile());
        QVERIFY(data.ok());
        QCOMPARE(data->sequence, window.document().sequence());
        window.document().undoStack()->undo();  // back to the opened state: nothing to recover
        QVERIFY(!QFile::exists(window.autosaver().recoveryFile()));
    }

    void closeWithUnsavedChangesAsks() {
        MainWindow window(nullptr, recoveryDir());
        window.show();
        QVERIFY(window.openFile(songPath()));
        window.document().addNotes({core::Note{}});
        int asked = 0;
        QString askedName;
        window.setSavePrompt([&](const QString& name) {
            ++asked;
            askedName = name;
            return MainWindow::SaveChoice::Cancel;
        });
        QVERIFY(!window.close());  // cancelled: stays open, nothing lost
        QCOMPARE(asked, 1);
        QCOMPARE(askedName, QString("song.mid"));
        QVERIFY(window.isVisible());
        QCOMPARE(window.document().sequence().notes.size(), size_t(17));

        const QString project = m_dir.filePath("closing.toccata");
        window.setPathPrompt([&](const QString&, const QString&) { return project; });
        window.setSavePrompt([&](const QString&) {
            ++asked;
            return MainWindow::SaveChoice::Save;
        });
        QVERIFY(window.close());
        QCOMPARE(asked, 2);
        QVERIFY(QFile::exists(project));
    }

    void openRecentMenuListsOpenedFiles() {
        app::RecentFiles::clear();
        MainWindow window(nullptr, recoveryDir());
        QVERIFY(window.openFile(songPath()));
        emit window.recentMenu()->aboutToShow();
        const QList<QAction*> actions = window.recentMenu()->actions();
        QVERIFY(actions.size() >= 1);
        QCOMPARE(actions.first()->text(), QString("song.mid"));
        window.newDocument();
        QVERIFY(window.document().sequence().notes.empty());
        actions.first()->trigger();  // clean document: opens without asking
        QCOMPARE(window.document().sequence().notes.size(), size_t(16));
    }

    void declinedRecoveryDiscardsFiles() {
        QDir().mkpath(recoveryDir());
        const QString file = recoveryDir() + "/session-old.toccata-recovery";
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{}");
        f.close();
        MainWindow window(nullptr, recoveryDir());
        window.setRecoveryPrompt([](const QStringList&) { return false; });
        QVERIFY(!window.offerRecovery());
        QVERIFY(!QFile::exists(file));
    }
};

QTEST_MAIN(TestDocumentWindow)
#include "TestDocumentWindow.moc"
