// The rainbowgram dock in the real main window (audio output off, the generated test
// SoundFont): the current track's render analysed with the right shape and length; the view's
// time axis lands on the roll's at the same screen x, also after zooming and scrolling; Ctrl+wheel
// zooms the roll and the wheel scrolls it; the playhead follows; a 440 Hz sine WAV reads out
// near 440 Hz (A4) at its peak; a corrupt WAV is an error naming it that keeps the picture; a
// newer request cancels the running one. Asserts on values, not pixels.
#include <QAction>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "TestSupport.h"
#include "app/PlaybackController.h"
#include "audio/WavWriter.h"
#include "ui/MainWindow.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/rainbowgram/RainbowgramDock.h"
#include "ui/rainbowgram/RainbowgramLegend.h"
#include "ui/rainbowgram/RainbowgramPanel.h"
#include "ui/rainbowgram/RainbowgramView.h"

using namespace toccata;
using Source = ui::RainbowgramPanel::Source;

namespace {

core::Note note(int pitch, double start, double end) {
    core::Note n;
    n.pitch = pitch;
    n.velocity = 110;
    n.startTime = start;
    n.endTime = end;
    return n;
}

core::NoteSequence melody(int count) {
    core::NoteSequence seq;
    seq.instrumentInfos = {{0, "Piano", -1, -1}};
    for (int i = 0; i < count; ++i)
        seq.notes.push_back(note(57 + (i * 5) % 24, i * 0.5, i * 0.5 + 0.45));
    seq.recomputeTotalTime();
    return seq;
}

/// Global x of the roll's viewport x for `seconds`.
double rollGlobalX(ui::PianoRollView* roll, double seconds) {
    const QPointF local(roll->viewportPosition(seconds, 60).x(), 0.0);
    return roll->viewport()->mapToGlobal(local).x();
}

double viewGlobalX(ui::RainbowgramView* view, double seconds) {
    return view->mapToGlobal(QPointF(view->xForTime(seconds), 0.0)).x();
}

}  // namespace

class TestRainbowgramView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// Shows the window with `seq` and the dock, once the SoundFont is in.
    static ui::RainbowgramPanel* open(ui::MainWindow& window, const core::NoteSequence& seq) {
        window.resize(1200, 800);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) return nullptr;
        window.document().replaceSequence(seq, "test");
        if (!QTest::qWaitFor([&] { return !window.playback().engine().soundFontPath().empty(); },
                             20000))
            return nullptr;
        ui::RainbowgramDock* dock = window.rainbowgramDock();
        if (!dock || dock->isVisible()) return nullptr;  // hidden until asked for
        dock->toggleAction()->trigger();
        if (!dock->isVisible()) return nullptr;
        return dock->panel();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ToccataTests");
        QCoreApplication::setApplicationName("TestRainbowgramView");
        QSettings settings;
        settings.clear();
        settings.setValue("audio/api", app::AudioSettings::kAudioOff);
        settings.setValue("audio/soundFont", test::buildDir() + "/soundfonts/toccata-test.sf2");
        settings.setValue("midi/virtualOutput", false);
        settings.setValue("midi/virtualInput", false);
    }

    void cleanupTestCase() { QSettings().clear(); }

    void rendersTheCurrentTrack() {
        ui::MainWindow window;
        ui::RainbowgramPanel* panel = open(window, melody(8));  // notes end at 3.95 s
        QVERIFY(panel);
        QCOMPARE(window.rainbowgramDock()->toggleAction()->shortcut(),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QSignalSpy shown(panel, &ui::RainbowgramPanel::pictureChanged);
        panel->setSource(Source::kCurrentTrack);
        QVERIFY(shown.wait(30000));
        const ui::RainbowgramPicturePtr picture = panel->picture();
        QVERIFY(picture);
        const analysis::Rainbowgram& g = picture->gram;
        QCOMPARE(g.sampleRate, ui::RainbowgramPanel::kAnalysisRate);
        QCOMPARE(g.bins, 240);
        QCOMPARE(g.binsPerOctave, 40);
        QVERIFY2(picture->audioSeconds >= 3.95 && picture->audioSeconds <= 6.0,
                 qPrintable(QString::number(picture->audioSeconds)));
        const int64_t samples = std::llround(picture->audioSeconds * g.sampleRate);
        QCOMPARE(int64_t(g.frames), 1 + samples / g.hopLength);
        QCOMPARE(picture->image.width(), g.frames);
        QCOMPARE(picture->image.height(), g.bins);
        QCOMPARE(picture->startSeconds, 0.0);
        QVERIFY(picture->source.contains("Piano"));
        QVERIFY(panel->statusText().contains(QString::number(g.frames)));
        QVERIFY(panel->legend()->explanation().contains("instantaneous frequency"));
        QCOMPARE(panel->legend()->rangeDb(), 70.0);
        // Something sounds: the loudest cell is 0 dB, within the notes' time.
        const auto loudest = std::max_element(g.magnitudeDb.begin(), g.magnitudeDb.end());
        QCOMPARE(*loudest, 0.0f);
        QVERIFY(g.frameSeconds(int((loudest - g.magnitudeDb.begin()) / g.bins)) < 4.5);

        // The selection is placed at its song time: frame 0 sits under its first note.
        const app::NoteIds ids = {window.document().noteIds()[2], window.document().noteIds()[3]};
        window.pianoRoll()->setSelectedNotes(ids);
        QCOMPARE(window.pianoRoll()->selectedNotes().size(), 2);
        panel->setSource(Source::kSelection);
        QVERIFY(shown.wait(30000));
        QCOMPARE(panel->picture()->startSeconds, 1.0);  // note 2 starts at 1 s
        QVERIFY(panel->picture()->audioSeconds < 3.0);
        QCOMPARE(viewGlobalX(panel->view(), panel->picture()->frameTime(0)),
                 rollGlobalX(window.pianoRoll(), 1.0));
    }

    void timeAxisMatchesTheRoll() {
        ui::MainWindow window;
        ui::RainbowgramPanel* panel = open(window, melody(40));  // 20 s
        QVERIFY(panel);
        ui::PianoRollView* roll = window.pianoRoll();
        ui::RainbowgramView* view = panel->view();
        QCOMPARE(view->gutterWidth(), roll->gutterWidth());
        const auto aligned = [&] {
            for (double t : {0.0, 0.75, 2.5, 7.0}) {
                const double a = viewGlobalX(view, t);
                const double b = rollGlobalX(roll, t);
                if (std::abs(a - b) > 1e-6) {
                    qWarning("t=%g: rainbowgram x %g, roll x %g", t, a, b);
                    return false;
                }
                if (std::abs(view->timeForX(view->xForTime(t)) - t) > 1e-9) return false;
            }
            return true;
        };
        QVERIFY(aligned());
        roll->zoomTime(2.0);
        QVERIFY(aligned());
        roll->horizontalScrollBar()->setValue(roll->horizontalScrollBar()->value() + 137);
        QVERIFY(roll->horizontalScrollBar()->value() > 0);
        QVERIFY(aligned());

        // Ctrl+wheel over the rainbowgram zooms the roll; the plain wheel scrolls it.
        const double pps = roll->rollGeometry().pixelsPerSecond();
        const QPointF at(view->plotRect().center());
        QWheelEvent zoom(at, view->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton,
                         Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &zoom);
        QCOMPARE(roll->rollGeometry().pixelsPerSecond(), pps * 1.25);
        QVERIFY(aligned());
        const int scroll = roll->horizontalScrollBar()->value();
        QWheelEvent wheel(at, view->mapToGlobal(at), {}, QPoint(0, -120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &wheel);
        QVERIFY(roll->horizontalScrollBar()->value() > scroll);
        QVERIFY(aligned());

        // The playhead follows the transport.
        window.playback().seek(3.25);
        QCOMPARE(roll->playheadSeconds(), 3.25);
        QCOMPARE(view->mapToGlobal(QPointF(view->playheadX(), 0)).x(), rollGlobalX(roll, 3.25));
        window.playback().seek(1.0);
        QCOMPARE(view->mapToGlobal(QPointF(view->playheadX(), 0)).x(), rollGlobalX(roll, 1.0));
    }

    void sineFileReadsOutItsPitch() {
        // 2 s of a 440 Hz sine at half scale.
        audio::AudioBuffer sine(44100, 1, 88200);
        for (int64_t i = 0; i < sine.frameCount(); ++i)
            sine.channels[0][size_t(i)] = float(0.5 * std::sin(2.0 * M_PI * 440.0 * i / 44100.0));
        const QString path = m_dir.filePath("sine.wav");
        QVERIFY(audio::writeWavFile(path.toStdString(), sine, audio::WavSampleFormat::kPcm16).ok());

        ui::MainWindow window;
        ui::RainbowgramPanel* panel = open(window, melody(4));
        QVERIFY(panel);
        QString prompted;
        panel->setOpenPrompt([&] { return prompted = path; });
        QSignalSpy shown(panel, &ui::RainbowgramPanel::pictureChanged);
        panel->setSource(Source::kAudioFile);  // asks through the prompt
        QCOMPARE(prompted, path);
        QVERIFY(shown.wait(30000));
        QCOMPARE(panel->source(), Source::kAudioFile);
        const ui::RainbowgramPicturePtr picture = panel->picture();
        QVERIFY(picture);
        QCOMPARE(picture->startSeconds, 0.0);  // a file is placed from time 0
        QCOMPARE(picture->source, QString("sine.wav"));

        // Down the column at 1 s: the loudest cell is the bin of 440 Hz, and its readout says so.
        ui::RainbowgramView* view = panel->view();
        const double x = view->xForTime(1.0);
        QVERIFY(view->plotRect().contains(QPoint(int(x), view->plotRect().center().y())));
        ui::RainbowgramView::Cell best;
        QPointF bestAt;
        // Quarter-pixel steps: a short view gives a bin less than a pixel.
        for (double y = view->plotRect().top(); y <= view->plotRect().bottom(); y += 0.25) {
            const ui::RainbowgramView::Cell c = view->cellAt(QPointF(x, y));
            if (c.valid && (!best.valid || c.magnitudeDb > best.magnitudeDb)) {
                best = c;
                bestAt = QPointF(x, y);
            }
        }
        QVERIFY(best.valid);
        QVERIFY2(std::abs(std::log2(best.frequencyHz / 440.0)) * 40 <= 1.0,
                 qPrintable(QString::number(best.frequencyHz)));
        QVERIFY2(std::abs(best.instantaneousHz - 440.0) < 2.0,
                 qPrintable(QString::number(best.instantaneousHz)));
        QVERIFY2(best.magnitudeDb > -3.0, qPrintable(QString("%1 dB in bin %2, plot %3 px high")
                                                         .arg(best.magnitudeDb)
                                                         .arg(best.bin)
                                                         .arg(view->plotRect().height())));
        QCOMPARE(best.noteName, QString("A4"));
        QTest::mouseMove(view, bestAt.toPoint());
        QTRY_VERIFY(view->readout().contains("(A4)"));
        QVERIFY2(view->readout().contains("IF 44"), qPrintable(view->readout()));

        // A corrupt file: an error naming it, and the sine stays.
        const QString bad = m_dir.filePath("broken.wav");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", 20);
        f.close();
        QSignalSpy failed(panel, &ui::RainbowgramPanel::requestFailed);
        panel->openAudioFile(bad);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains("broken.wav"),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(panel->statusText().contains("broken.wav"));
        QCOMPARE(panel->picture(), picture);
        QCOMPARE(shown.size(), 1);
    }

    void newerRequestCancelsTheRunningOne() {
        ui::MainWindow window;
        ui::RainbowgramPanel* panel = open(window, melody(240));  // two minutes
        QVERIFY(panel);
        QSignalSpy cancelled(&panel->job(), &app::AudioRenderJob::cancelled);
        QSignalSpy shown(panel, &ui::RainbowgramPanel::pictureChanged);
        panel->setSource(Source::kSong);
        const quint64 first = panel->job().currentId();
        QVERIFY(first != 0);
        QTest::qWait(20);
        const quint64 second = panel->refresh();
        QVERIFY(second > first);
        QVERIFY(shown.wait(60000));
        QCOMPARE(shown.size(), 1);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(cancelled.first().first().toULongLong(), first);
        QVERIFY(!panel->isBusy());
        QVERIFY(panel->picture()->audioSeconds > 119.0);

        // Edits while shown refresh after a pause; the dock hidden, they do not.
        window.document().addNotes({note(80, 1.0, 1.5)});
        QVERIFY(panel->isRefreshPending());
        QVERIFY(shown.wait(60000));
        window.rainbowgramDock()->toggleAction()->trigger();
        QVERIFY(!window.rainbowgramDock()->isVisible());
        window.document().addNotes({note(81, 2.0, 2.5)});
        QVERIFY(!panel->isRefreshPending());
    }
};

QTEST_MAIN(TestRainbowgramView)
#include "TestRainbowgramView.moc"
