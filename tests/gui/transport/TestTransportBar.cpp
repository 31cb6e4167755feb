// The transport bar inside the real MainWindow with audio output off (the engine in kNoDevice,
// driven by its silent clock): Space toggles play, the position labels follow the playhead,
// Home returns to the start, L/R and the metronome toggle what they name, and the status bar
// says there is no device. Asserts on the controllers' state, not on pixels.
#include <QLabel>
#include <QSettings>
#include <QtTest>

#include "TestSupport.h"
#include "app/MidiController.h"
#include "app/PlaybackController.h"
#include "ui/MainWindow.h"
#include "ui/TransportBar.h"

using namespace toccata;

class TestTransportBar : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ToccataTests");
        QCoreApplication::setApplicationName("TestTransportBar");
        QSettings settings;
        settings.clear();
        settings.setValue("audio/api", app::AudioSettings::kAudioOff);
        settings.setValue("audio/soundFont", test::buildDir() + "/soundfonts/toccata-test.sf2");
        settings.setValue("midi/virtualOutput", false);
        settings.setValue("midi/virtualInput", false);
    }

    void cleanupTestCase() { QSettings().clear(); }

    void spaceTogglesPlayAndPositionFollows() {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        app::PlaybackController& playback = window.playback();
        QCOMPARE(playback.engine().engineState().state, audio::EngineState::kNoDevice);
        QVERIFY2(window.engineStatusText().startsWith("Audio: no device — "),
                 qPrintable(window.engineStatusText()));

        core::Note note;
        note.pitch = 60;
        note.velocity = 100;
        note.startTime = 0.0;
        note.endTime = 8.0;
        QVERIFY(!window.document().addNotes({note}).isEmpty());
        ui::TransportBar* bar = window.transportBar();
        QVERIFY(bar);
        QCOMPARE(bar->positionText(), QString("1:1:000"));
        QCOMPARE(bar->tempoText(), QString("120.0 BPM"));
        QCOMPARE(bar->signatureText(), QString("4/4"));

        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(playback.isPlaying());
        QVERIFY(bar->playAction()->isChecked());
        // The silent clock moves the playhead; the labels follow at ~30 Hz.
        QTRY_VERIFY(bar->timeText() != QString("0:00.000"));
        QTRY_VERIFY(playback.playheadSeconds() > 0.1);
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!playback.isPlaying());
        QVERIFY(!bar->playAction()->isChecked());
        const double pausedAt = playback.playheadSeconds();
        QVERIFY(pausedAt > 0.0);

        // 2.5 s at 120 QPM in 4/4 = 5 beats = bar 2, beat 2.
        playback.seek(2.5);
        QCOMPARE(bar->positionText(), QString("2:2:000"));
        QCOMPARE(bar->timeText(), QString("0:02.500"));
        playback.seek(2.5 + 0.25);  // half a beat later: tick 240
        QCOMPARE(bar->positionText(), QString("2:2:240"));
        QTest::keyClick(&window, Qt::Key_Home);
        QCOMPARE(bar->positionText(), QString("1:1:000"));
        QTRY_COMPARE(playback.engine().playheadSeconds(), 0.0);

        QTest::keyClick(&window, Qt::Key_L);
        QVERIFY(playback.isLoopEnabled());
        QCOMPARE(playback.loopStart(), 0.0);
        QCOMPARE(playback.loopEnd(), 8.0);  // four bars of 4/4 at 120 QPM
        QTest::keyClick(&window, Qt::Key_L);
        QVERIFY(!playback.isLoopEnabled());

        QVERIFY(window.midi());
        QTest::keyClick(&window, Qt::Key_R);
        QVERIFY(window.midi()->isRecordArmed());
        QTest::keyClick(&window, Qt::Key_R);
        QVERIFY(!window.midi()->isRecordArmed());

        bar->metronomeAction()->trigger();
        QVERIFY(playback.isMetronomeEnabled());
        bar->metronomeAction()->trigger();
        QVERIFY(!playback.isMetronomeEnabled());

        // Stop when stopped returns to the start.
        playback.seek(3.0);
        bar->stopAction()->trigger();
        QCOMPARE(bar->positionText(), QString("1:1:000"));
    }

    void timingChangesShowAtThePlayhead() {
        ui::MainWindow window;
        core::NoteSequence seq;
        seq.tempos = {{0.0, 90.0}, {4.0, 150.0}};
        seq.timeSignatures = {{0.0, 3, 4}};
        core::Note note;
        note.pitch = 64;
        note.startTime = 0.0;
        note.endTime = 6.0;
        seq.notes = {note};
        seq.recomputeTotalTime();
        window.document().replaceSequence(seq, "test");
        window.playback().seek(1.0);
        QCOMPARE(window.transportBar()->tempoText(), QString("90.0 BPM"));
        QCOMPARE(window.transportBar()->signatureText(), QString("3/4"));
        // 1 s at 90 QPM = 1.5 beats: bar 1, beat 2, half a beat.
        QCOMPARE(window.transportBar()->positionText(), QString("1:2:240"));
        window.playback().seek(5.0);
        QCOMPARE(window.transportBar()->tempoText(), QString("150.0 BPM"));
    }
};

QTEST_MAIN(TestTransportBar)
#include "TestTransportBar.moc"
