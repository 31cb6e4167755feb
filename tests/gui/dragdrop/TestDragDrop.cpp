// Drag and drop with the real MainWindow: files dropped on the window become tracks, files
// dropped on a track replace or merge its notes, bad files change nothing and say why, and a
// track dragged out is a readable .mid with a meaningful name.
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include "core/midi/MidiIO.h"
#include "ui/MainWindow.h"
#include "ui/TrackList.h"

using namespace toccata;
using ui::MainWindow;

class TestDragDrop : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeMidi(const QString& name, const core::NoteSequence& seq) {
        const QString path = m_dir.filePath(name);
        const core::Status status = core::writeMidiFile(seq, path.toStdString());
        if (!status) qWarning("%s", status.errorMessage().c_str());
        return path;
    }

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

    static core::NoteSequence beat() {
        core::NoteSequence seq;
        seq.instrumentInfos = {{0, "", 9, 1}};
        for (int i = 0; i < 3; ++i) seq.notes.push_back({36, 110, i * 0.5, i * 0.5 + 0.1, 0, 0, true});
        seq.recomputeTotalTime();
        return seq;
    }

    static void dropOn(QWidget* target, const QPoint& pos, const QStringList& paths) {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
        mime.setUrls(urls);
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &move);
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        QCoreApplication::processEvents();
    }

    static int errorBoxes(MainWindow& w) {
        int n = 0;
        for (QMessageBox* box : w.findChildren<QMessageBox*>("ErrorMessage")) {
            n += box->isVisible();
            box->close();
        }
        QCoreApplication::processEvents();
        return n;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void dropOnWindowAddsTracksInOneStep() {
        MainWindow window(nullptr, m_dir.filePath("recovery"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(writeMidi("song.mid", song())));
        const size_t before = window.document().sequence().notes.size();
        dropOn(&window, window.rect().center(), {writeMidi("beat.mid", beat())});
        QCOMPARE(window.document().sequence().notes.size(), before + 3);
        QCOMPARE(window.trackList()->topLevelItemCount(), 3);
        QCOMPARE(window.trackList()->topLevelItem(2)->text(ui::TrackList::kName), QString("beat"));
        QCOMPARE(window.trackList()->currentInstrument(), window.trackList()->instrumentAt(2));
        window.document().undoStack()->undo();
        QCOMPARE(window.document().sequence().notes.size(), before);
        QCOMPARE(window.trackList()->topLevelItemCount(), 2);
    }

    void badFilesChangeNothing() {
        MainWindow window(nullptr, m_dir.filePath("recovery"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(writeMidi("song2.mid", song())));
        const core::NoteSequence before = window.document().sequence();

        const QString garbage = m_dir.filePath("broken.mid");
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("MThd\x00\x00\x00\x06garbage", 15);
        file.close();
        // A good file and a corrupt one together: all or nothing.
        QVERIFY(!window.dropFiles({writeMidi("ok.mid", beat()), garbage}, -1));
        QCOMPARE(errorBoxes(window), 1);
        QVERIFY(window.document().sequence() == before);

        const QString text = m_dir.filePath("notes.txt");
        QFile txt(text);
        QVERIFY(txt.open(QIODevice::WriteOnly));
        txt.write("hello");
        txt.close();
        QVERIFY(!window.dropFiles({text}, -1));
        QCOMPARE(errorBoxes(window), 1);
        QVERIFY(window.document().sequence() == before);
        QVERIFY(!window.document().undoStack()->canUndo());
    }

    void dropOnTrackReplacesOrMerges() {
        MainWindow window(nullptr, m_dir.filePath("recovery"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(writeMidi("song3.mid", song())));
        ui::TrackList* list = window.trackList();
        const int bass = list->instrumentAt(1);
        auto notesOf = [&](int instrument) {
            int n = 0;
            for (const core::Note& note : window.document().sequence().notes)
                n += note.instrument == instrument;
            return n;
        };

        QString askedAbout;
        MainWindow::TrackDropChoice answer = MainWindow::TrackDropChoice::Merge;
        window.setTrackDropPrompt([&](const QString& track, const QStringList&) {
            askedAbout = track;
            return answer;
        });
        const QString beatPath = writeMidi("beat2.mid", beat());
        // Through the real widget: drop onto the Bass row.
        const QRect row = list->visualItemRect(list->topLevelItem(1));
        dropOn(list->viewport(), row.center(), {beatPath});
        QCOMPARE(askedAbout, QString("Bass"));
        QCOMPARE(notesOf(bass), 11);

        answer = MainWindow::TrackDropChoice::Replace;
        QVERIFY(window.dropFiles({beatPath}, bass));
        QCOMPARE(notesOf(bass), 3);
        QCOMPARE(notesOf(list->instrumentAt(0)), 8);
        window.document().undoStack()->undo();
        QCOMPARE(notesOf(bass), 11);

        answer = MainWindow::TrackDropChoice::Cancel;
        QVERIFY(!window.dropFiles({beatPath}, bass));
        QCOMPARE(notesOf(bass), 11);
    }

    void dragTrackOutWritesAMidiFile() {
        MainWindow window(nullptr, m_dir.filePath("recovery"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(writeMidi("groove.mid", song())));
        ui::TrackList* list = window.trackList();
        QString error;
        std::unique_ptr<QMimeData> mime(list->trackMimeData(list->instrumentAt(1), &error));
        QVERIFY2(mime, qPrintable(error));
        QCOMPARE(mime->urls().size(), 1);
        const QString path = mime->urls().first().toLocalFile();
        QCOMPARE(QFileInfo(path).fileName(), QString("groove - Bass.mid"));
        QVERIFY(!mime->data("audio/midi").isEmpty());
        auto back = core::readMidiFile(path.toStdString());
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        QCOMPARE(back->notes.size(), size_t(8));
        for (const core::Note& n : back->notes) {
            QCOMPARE(n.program, 33);
            QVERIFY(n.pitch >= 36 && n.pitch < 44);
        }
        // A second drag of the same track does not overwrite the first file.
        std::unique_ptr<QMimeData> again(list->trackMimeData(list->instrumentAt(1), &error));
        QCOMPARE(QFileInfo(again->urls().first().toLocalFile()).fileName(),
                 QString("groove - Bass (2).mid"));
    }
};

QTEST_MAIN(TestDragDrop)
#include "TestDragDrop.moc"
