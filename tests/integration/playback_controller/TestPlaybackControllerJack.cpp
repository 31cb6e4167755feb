// The studio's playback and MIDI controllers under a private JACK server (dummy driver): the
// document plays and audio arrives at a JACK client; mute/solo change what plays; stop leaves
// no held notes; the metronome clicks on the beats; playback reaches a JACK MIDI client through
// "Toccata Out" (drums on channel 10, all notes off on stop); MIDI in is recorded into the
// current track as one undo step, quantized; a chosen port that disappears is reported and
// reconnected. Skips without jackd.
#include <QtTest>

#include <jack/jack.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "../../unit/audio/AudioTestSupport.h"
#include "../midi_ports/JackProbe.h"
#include "../midi_ports/JackServer.h"
#include "app/Document.h"
#include "app/MidiController.h"
#include "app/PlaybackController.h"
#include "integration/JackAudioRecorder.h"

using namespace toccata;
using namespace toccata::test;

namespace {

constexpr int kRate = 48000;

app::AudioSettings jackSettings() {
    app::AudioSettings s;
    s.api = "jack";
    s.sampleRate = kRate;
    s.bufferFrames = 256;
    s.soundFont = QString::fromStdString(testSoundFontPath());
    s.virtualOutput = false;
    s.virtualInput = false;
    return s;
}

/// Records `seconds` of the controller's output from the start of the document.
std::vector<float> recordPlayback(app::PlaybackController& playback, test::JackAudioRecorder& tap) {
    playback.rebuildNow();
    playback.seek(0.0);
    QTest::qWait(50);
    tap.start();
    playback.play();
    for (int i = 0; i < 400 && !tap.full(); ++i) QTest::qWait(20);
    playback.pause();
    return tap.samples();
}

}  // namespace

class TestPlaybackControllerJack : public QObject {
    Q_OBJECT
private:
    JackServer m_server;

    /// Opens `playback` on JACK with the test SoundFont loaded; false (with a QVERIFY) if not.
    static void openOnJack(app::PlaybackController& playback, const app::AudioSettings& s) {
        const core::Status opened = playback.applySettings(s);
        QVERIFY2(opened.ok(), opened.errorMessage().c_str());
        QTRY_VERIFY(!playback.engine().soundFontPath().empty());
        QCOMPARE(playback.engine().engineState().state, audio::EngineState::kRunning);
        QVERIFY2(playback.engineStatusText().startsWith("Audio: Jack"),
                 qPrintable(playback.engineStatusText()));
        QVERIFY(playback.latencyMs() > 0.0);
    }

private slots:
    void initTestCase() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        const QString why = m_server.start();
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }
    void cleanupTestCase() { m_server.stop(); }

    void playsMuteSoloAndStop() {
        app::Document doc;
        const int piano = doc.addTrack("Piano");
        const int second = doc.addTrack("Second");
        doc.addNotes({makeNote(60, 0.1, 0.3, 0, false, piano)});
        doc.addNotes({makeNote(67, 0.6, 0.9, 0, false, second)});
        app::PlaybackController playback(doc);
        openOnJack(playback, jackSettings());
        test::JackAudioRecorder tap;
        QVERIFY(tap.open("toccata-tap", size_t(kRate)));
        QVERIFY(tap.connectFrom("Toccata"));

        const std::vector<float> both = recordPlayback(playback, tap);
        QVERIFY2(peak(both, 0, int64_t(both.size())) > 1e-2, "no audio arrived");

        // Muting both tracks silences the document; soloing one brings only it back.
        for (int instrument : {piano, second}) {
            app::TrackState t = doc.trackState(instrument);
            t.muted = true;
            QVERIFY(doc.setTrackState(t));
        }
        QTest::qWait(1500);  // the reverb tail of the last take
        const std::vector<float> muted = recordPlayback(playback, tap);
        QVERIFY2(peak(muted, 0, int64_t(muted.size())) < 0.01 * peak(both, 0, int64_t(both.size())),
                 qPrintable(QString("muted tracks still sound: peak %1")
                                .arg(peak(muted, 0, int64_t(muted.size())))));
        app::TrackState solo = doc.trackState(piano);
        solo.muted = false;
        solo.soloed = true;
        QVERIFY(doc.setTrackState(solo));
        QTest::qWait(1500);
        const std::vector<float> soloed = recordPlayback(playback, tap);
        QVERIFY(peak(soloed, 0, int64_t(soloed.size())) > 1e-2);
        // The second track's note (0.6..0.9 s) is gone; the piano's (0.1..0.3 s) is there.
        const int64_t from = kRate * 65 / 100, to = kRate * 85 / 100;
        QVERIFY2(rms(soloed, from, to) < 0.2 * rms(both, from, to),
                 qPrintable(
                     QString("rms %1 vs %2").arg(rms(soloed, from, to)).arg(rms(both, from, to))));
        QVERIFY(rms(soloed, kRate / 10, kRate * 3 / 10) >
                0.5 * rms(both, kRate / 10, kRate * 3 / 10));

        // Stop in the middle of a long note: no note stays held, silence follows.
        doc.addNotes({makeNote(48, 0.0, 30.0, 0, false, piano)});
        playback.rebuildNow();
        playback.seek(0.0);
        playback.play();
        QTRY_VERIFY(playback.engine().renderer().heldNoteCount() > 0);
        playback.stop();
        QVERIFY(!playback.isPlaying());
        QTRY_COMPARE(playback.engine().renderer().heldNoteCount(), 0);
        tap.start();
        QTRY_VERIFY(tap.full());
        const std::vector<float>& after = tap.samples();
        QVERIFY2(peak(after, kRate / 2, int64_t(after.size())) < 1e-3, "a note kept sounding");
    }

    void auditionSilencesTheNotesItReplaces() {
        app::Document doc;
        const int drums = doc.addTrack("Drums");
        const app::NoteIds original = doc.addNotes({makeNote(67, 0.6, 0.9, 0, false, drums)});
        app::PlaybackController playback(doc);
        openOnJack(playback, jackSettings());
        test::JackAudioRecorder tap;
        QVERIFY(tap.open("toccata-tap-audition", size_t(kRate)));
        QVERIFY(tap.connectFrom("Toccata"));
        // A take that would replace the document's note, heard earlier (0.1..0.3 s).
        core::NoteSequence take;
        take.notes.push_back(makeNote(60, 0.1, 0.3, 0, false, drums));
        take.totalTime = 1.0;
        playback.setAuditionSequence(take, original);
        const std::vector<float> replaced = recordPlayback(playback, tap);
        const int64_t from = kRate * 65 / 100, to = kRate * 85 / 100;
        QVERIFY2(rms(replaced, kRate / 10, kRate * 3 / 10) > 1e-3, "the take is not heard");
        // Without silencing, both play: the original note sounds at 0.65..0.85 s.
        QTest::qWait(1500);
        playback.setAuditionSequence(take);
        const std::vector<float> layered = recordPlayback(playback, tap);
        QVERIFY2(
            rms(replaced, from, to) < 0.2 * rms(layered, from, to),
            qPrintable(
                QString("rms %1 vs %2").arg(rms(replaced, from, to)).arg(rms(layered, from, to))));
    }

    void metronomeClicksOnTheBeats() {
        app::Document doc;
        // A muted track keeps the document 3 s long; only the clicks sound.
        const int silent = doc.addTrack("Silent");
        doc.addNotes({makeNote(60, 2.9, 3.0, 0, false, silent)});
        app::TrackState t = doc.trackState(silent);
        t.muted = true;
        doc.setTrackState(t);
        app::PlaybackController playback(doc);
        openOnJack(playback, jackSettings());
        // The test SoundFont's kit has a side stick (37) but no wood blocks.
        app::MetronomeSound sound;
        sound.accentPitch = sound.beatPitch = 37;
        playback.setMetronomeSound(sound);
        playback.setMetronomeEnabled(true);
        test::JackAudioRecorder tap;
        QVERIFY(tap.open("toccata-tap-click", size_t(kRate * 2.2)));
        QVERIFY(tap.connectFrom("Toccata"));
        // A take with xruns (dummy-driver cycles the loaded machine missed) is measured again.
        std::vector<float> audio;
        std::vector<int64_t> onsets;
        bool clean = false;
        for (int take = 0; take < 3 && !clean; ++take) {
            const long long xrunsBefore = playback.engine().xrunCount();
            audio = recordPlayback(playback, tap);
            clean = playback.engine().xrunCount() == xrunsBefore;
            onsets.clear();
            for (int64_t from = 0; onsets.size() < 4;) {
                const int64_t onset = firstAbove(audio, 1e-2, from);
                QVERIFY2(onset >= 0,
                         qPrintable(QString("click %1 missing").arg(onsets.size() + 1)));
                onsets.push_back(onset);
                from = onset + kRate * 3 / 10;
            }
        }
        if (!clean) QSKIP("every take had xruns: this machine is too loaded to time the clicks");
        // 120 QPM: a click every 0.5 s (FluidSynth starts voices on its 64-frame grid).
        for (size_t i = 1; i < onsets.size(); ++i)
            QVERIFY2(std::abs((onsets[i] - onsets[0]) - int64_t(i) * kRate / 2) <= 2 * 64,
                     qPrintable(QString("click %1 at %2").arg(i).arg(onsets[i] - onsets[0])));
        // The bar's first click is the accented one (louder than the next).
        QVERIFY(peak(audio, onsets[0], onsets[0] + 2400) >
                peak(audio, onsets[1], onsets[1] + 2400));
    }

    void metronomeFollowsTempoAndMeter() {
        // 3/4 at 120 QPM, then 6/8 from bar 3 (3 s) at 90 QPM from 4 s.
        core::NoteSequence timing;
        timing.tempos = {{0.0, 120.0}, {4.0, 90.0}};
        timing.timeSignatures = {{0.0, 3, 4}, {3.0, 6, 8}};
        const std::vector<core::Note> clicks = app::metronomeClicks(timing, 0.0, 5.0, 7);
        std::vector<double> expected = {0.0, 0.5, 1.0, 1.5, 2.0, 2.5};        // two bars of 3/4
        for (int i = 0; i < 6; ++i) expected.push_back(3.0 + i * 0.25);       // 6/8: eighths
        for (int i = 0; i < 3; ++i) expected.push_back(4.5 + i * 1.0 / 6.0);  // ...at 90 QPM
        // The bar from 3.0 s: 3 quarters; 2 of them at 120 QPM (to 4.0 s), 1 at 90 QPM.
        expected.resize(6 + 4);
        for (double t = 4.0; t < 5.0 - 1e-9; t += 1.0 / 3.0) expected.push_back(t);
        QCOMPARE(clicks.size(), expected.size());
        for (size_t i = 0; i < clicks.size(); ++i) {
            QVERIFY2(std::abs(clicks[i].startTime - expected[i]) < 1e-9,
                     qPrintable(QString("click %1 at %2, expected %3")
                                    .arg(i)
                                    .arg(clicks[i].startTime)
                                    .arg(expected[i])));
            QVERIFY(clicks[i].isDrum);
            QCOMPARE(clicks[i].instrument, 7);
        }
        // Accents on bar starts only: 0, 1.5 (3/4), 3.0 and 4.667 s (6/8 bars).
        for (size_t i = 0; i < clicks.size(); ++i) {
            const bool barStart = i == 0 || i == 3 || i == 6 || i == 12;  // 4.667 s: bar 4
            QCOMPARE(clicks[i].pitch == app::MetronomeSound{}.accentPitch, barStart);
        }
    }

    void midiOutAndRecordingAndHotplug() {
        app::Document doc;
        const int piano = doc.addTrack("Piano");
        const int drums = doc.addTrack("Drums", 0, true);
        doc.addNotes({makeNote(60, 0.05, 0.3, 0, false, piano)});
        doc.addNotes({makeNote(36, 0.05, 0.2, 0, true, drums)});
        app::PlaybackController playback(doc);
        app::AudioSettings s = jackSettings();
        s.virtualOutput = true;
        openOnJack(playback, s);
        JackProbe probe("toccata-probe");
        QVERIFY(probe.ok());
        app::MidiController midi(doc, playback);
        s.midiInputPort = QString::fromStdString(probe.outName());
        s.recordQuantizeSteps = 4;
        midi.applySettings(s);
        QVERIFY2(midi.isVirtualOutputOpen(), qPrintable(midi.statusText()));
        QVERIFY2(midi.isInputConnected(), qPrintable(midi.statusText()));
        const std::string toccataOut = probe.findPort("Toccata Out", JackPortIsOutput);
        QVERIFY(!toccataOut.empty());
        QVERIFY(probe.connect(toccataOut, probe.inName()));

        // Playback reaches the JACK client: the melody on its channel, drums on 10.
        playback.seek(0.0);
        playback.play();
        const auto has = [&](auto predicate) {
            for (const midi::MidiMessage& m : probe.received())
                if (predicate(m)) return true;
            return false;
        };
        QTRY_VERIFY(has([](const midi::MidiMessage& m) {
            return m.isNoteOn() && m.data1() == 60 && m.channel() != 9;
        }));
        QTRY_VERIFY(has([](const midi::MidiMessage& m) {
            return m.isNoteOn() && m.data1() == 36 && m.channel() == 9;
        }));
        playback.pause();
        QTRY_VERIFY(has([](const midi::MidiMessage& m) {
            return m.isControlChange() && m.data1() == midi::kAllNotesOffController;
        }));

        // Recording: armed, play, two notes from the probe, stop -> one undo step, quantized.
        const int undoBefore = doc.undoStack()->count();
        const size_t notesBefore = doc.sequence().notes.size();
        midi.setCurrentTrack(piano);
        midi.setRecordArmed(true);
        playback.seek(1.0);
        playback.play();
        QVERIFY(midi.isRecording());
        QTest::qWait(110);
        probe.send(midi::noteOn(0, 72, 90));
        QTest::qWait(230);
        probe.send(midi::noteOff(0, 72));
        probe.send(midi::noteOn(0, 74, 80));
        QTest::qWait(170);
        probe.send(midi::noteOff(0, 74));
        QTRY_VERIFY(midi.messagesIn() >= 4);
        playback.pause();
        QVERIFY(!midi.isRecording());
        QCOMPARE(doc.undoStack()->count(), undoBefore + 1);
        QCOMPARE(doc.sequence().notes.size(), notesBefore + 2);
        for (const core::Note& n : doc.sequence().notes) {
            if (n.pitch != 72 && n.pitch != 74) continue;
            QCOMPARE(n.instrument, piano);
            const double steps = n.startTime / 0.125;  // sixteenths at 120 QPM
            QVERIFY2(std::abs(steps - std::round(steps)) < 1e-6,
                     qPrintable(QString("start %1 is off the grid").arg(n.startTime)));
            QVERIFY(n.startTime >= 1.0 && n.endTime > n.startTime);
        }
        doc.undoStack()->undo();  // the take goes away as one
        QCOMPARE(doc.sequence().notes.size(), notesBefore);
        midi.setRecordArmed(false);

        // The chosen output disappears: reported, the app keeps playing; it comes back.
        auto device = std::make_unique<JackProbe>("toccata-device");
        QVERIFY(device->ok());
        s.midiOutputPort = QString::fromStdString(device->inName());
        midi.applySettings(s);
        QVERIFY(midi.isOutputConnected());
        device.reset();
        midi.rescanNow();
        QVERIFY(!midi.isOutputConnected());
        QVERIFY2(midi.statusText().contains("disconnected"), qPrintable(midi.statusText()));
        playback.seek(0.0);
        playback.play();
        QTest::qWait(100);
        playback.pause();
        device = std::make_unique<JackProbe>("toccata-device");
        midi.rescanNow();
        QVERIFY2(midi.isOutputConnected(), qPrintable(midi.statusText()));
        QVERIFY(!midi.statusText().contains("disconnected"));
    }
};

QTEST_MAIN(TestPlaybackControllerJack)
#include "TestPlaybackControllerJack.moc"
