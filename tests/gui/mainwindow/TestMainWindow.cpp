// The main window opens MIDI files, shows their tracks and notes, and survives bad files.
#include <QMessageBox>
#include <QTemporaryDir>
#include <QtTest>

#include "TestSupport.h"
#include "core/midi/MidiIO.h"
#include "ui/MainWindow.h"
#include "ui/TrackList.h"
#include "ui/pianoroll/PianoRollView.h"

using namespace toccata;

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static core::NoteSequence twoTrackSong() {
        core::NoteSequence seq;
        seq.tempos.push_back({0.0, 100.0});
        seq.timeSignatures.push_back({0.0, 3, 4});
        seq.instrumentInfos = {{0, "Melody", 0, 1}, {1, "Drums", 9, 2}};
        for (int i = 0; i < 12; ++i) {
            seq.notes.push_back({60 + i, 90, i * 0.6, i * 0.6 + 0.5, 0, 73, false});
            seq.notes.push_back({36 + (i % 3) * 2, 110, i * 0.6, i * 0.6 + 0.1, 1, 0, true});
        }
        seq.recomputeTotalTime();
        return seq;
    }

    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) return {};
        return path;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensMidiAndShowsTracksAndNotes() {
        const QString path = m_dir.filePath("song.mid");
        QVERIFY(core::writeMidiFile(twoTrackSong(), path.toStdString()).ok());

        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(path));

        QCOMPARE(window.document().sequence().notes.size(), size_t(24));
        QCOMPARE(window.trackList()->topLevelItemCount(), 2);
        QCOMPARE(window.trackList()->topLevelItem(0)->text(ui::TrackList::kName),
                 QString("Melody"));
        QVERIFY(window.trackList()
                    ->topLevelItem(0)
                    ->text(ui::TrackList::kInstrument)
                    .contains("Flute"));
        QCOMPARE(window.trackList()->topLevelItem(1)->text(ui::TrackList::kInstrument),
                 QString("Drums"));
        QCOMPARE(window.trackList()->topLevelItem(1)->text(ui::TrackList::kNotes), QString("12"));
        QVERIFY(window.windowTitle().startsWith("song.mid"));

        // The roll paints the notes that are on screen (the view centres on the pitch range).
        window.pianoRoll()->viewport()->repaint();
        QVERIFY(window.pianoRoll()->lastPaintedNoteCount() > 0);
        QVERIFY(window.pianoRoll()->lastPaintedNoteCount() <= 24);
    }

    void badFileKeepsDocumentAndSaysWhy() {
        const QString good = m_dir.filePath("good.mid");
        QVERIFY(core::writeMidiFile(twoTrackSong(), good.toStdString()).ok());
        const QString bad = writeFile("broken.mid", QByteArray("MThd\x00\x00\x00\x06\x00\x01", 10));
        QVERIFY(!bad.isEmpty());

        ui::MainWindow window;
        window.show();
        QVERIFY(window.openFile(good));
        QVERIFY(!window.openFile(bad));

        // Document unchanged, window still showing it.
        QCOMPARE(window.document().sequence().notes.size(), size_t(24));
        QCOMPARE(window.trackList()->topLevelItemCount(), 2);
        auto* box = window.findChild<QMessageBox*>("ErrorMessage");
        QVERIFY(box != nullptr);
        QVERIFY2(box->text().contains("broken.mid"), qPrintable(box->text()));
        QVERIFY2(box->text().contains("offset"), qPrintable(box->text()));
        box->close();
    }

    void unknownFileTypeIsRejected() {
        const QString path = writeFile("notes.txt", "hello");
        ui::MainWindow window;
        QVERIFY(!window.openFile(path));
        QVERIFY(window.document().sequence().notes.empty());
        auto* box = window.findChild<QMessageBox*>("ErrorMessage");
        QVERIFY(box != nullptr);
        QVERIFY(box->text().contains("notes.txt"));
    }

    void zoomChangesScale() {
        ui::MainWindow window;
        const double before = window.pianoRoll()->rollGeometry().pixelsPerSecond();
        window.pianoRoll()->zoomTime(2.0);
        QCOMPARE(window.pianoRoll()->rollGeometry().pixelsPerSecond(), before * 2.0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
