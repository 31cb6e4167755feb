// Recording timestamped note on/off + sustain into notes: timing, re-strikes, pedal,
// quantization, hanging notes closed at stop, channel filter.
#include <QtTest>

#include "midi/MidiRecorder.h"

using namespace toccata::midi;
using toccata::core::NoteSequence;

namespace {
constexpr double kWall = 1000.0;  // an arbitrary midiNow() at which recording starts
TimedMidiMessage at(double t, MidiMessage m) { return {kWall + t, m}; }
bool near(double a, double b) { return qAbs(a - b) < 1e-9; }
}  // namespace

class TestMidiRecorder : public QObject {
    Q_OBJECT
private slots:
    void recordsNotesInSongTime() {
        MidiRecorderOptions options;
        options.instrument = 2;
        options.program = 40;
        MidiRecorder r(options);
        r.start(kWall, 4.0);
        r.process(at(0.1, noteOn(0, 60, 80)));
        r.process(at(0.6, noteOff(0, 60)));
        r.process(at(0.7, noteOn(0, 64, 70)));
        r.process(at(0.9, noteOn(0, 64, 0)));  // velocity-0 note-on is a note-off
        QCOMPARE(r.finishedNotes().size(), size_t(2));
        const NoteSequence s = r.stop(kWall + 1.0);
        QCOMPARE(s.notes.size(), size_t(2));
        QVERIFY(near(s.notes[0].startTime, 4.1));
        QVERIFY(near(s.notes[0].endTime, 4.6));
        QCOMPARE(s.notes[0].velocity, 80);
        QCOMPARE(s.notes[0].instrument, 2);
        QCOMPARE(s.notes[0].program, 40);
        QCOMPARE(s.notes[1].pitch, 64);
        QVERIFY(near(s.totalTime, 4.9));
        QVERIFY(!r.isRecording());
    }
    void closesHangingNotesAtStop() {
        MidiRecorder r;
        r.start(kWall);
        r.process(at(0.2, noteOn(0, 60, 100)));
        QCOMPARE(r.openNoteCount(), 1);
        const NoteSequence s = r.stop(kWall + 1.5);
        QCOMPARE(s.notes.size(), size_t(1));
        QVERIFY(near(s.notes[0].endTime, 1.5));
    }
    void restrikeEndsPreviousNote() {
        MidiRecorder r;
        r.start(kWall);
        r.process(at(0.0, noteOn(0, 60, 100)));
        r.process(at(0.5, noteOn(0, 60, 100)));
        r.process(at(0.8, noteOff(0, 60)));
        const NoteSequence s = r.stop(kWall + 1.0);
        QCOMPARE(s.notes.size(), size_t(2));
        QVERIFY(near(s.notes[0].endTime, 0.5));
        QVERIFY(near(s.notes[1].endTime, 0.8));
    }
    void sustainPedalLengthensNotes() {
        MidiRecorder r;
        r.start(kWall);
        r.process(at(0.0, controlChange(0, 64, 127)));
        r.process(at(0.1, noteOn(0, 60, 100)));
        r.process(at(0.2, noteOff(0, 60)));
        r.process(at(0.3, noteOn(0, 62, 100)));
        r.process(at(1.0, controlChange(0, 64, 0)));  // releases 60; 62 is still down
        r.process(at(1.2, noteOff(0, 62)));
        const NoteSequence s = r.stop(kWall + 2.0);
        QCOMPARE(s.notes.size(), size_t(2));
        QVERIFY(near(s.notes[0].endTime, 1.0));
        QVERIFY(near(s.notes[1].endTime, 1.2));
        QVERIFY(s.controlChanges.empty());
    }
    void pedalKeptAsControlChangesWhenNotApplied() {
        MidiRecorderOptions options;
        options.applySustain = false;
        MidiRecorder r(options);
        r.start(kWall);
        r.process(at(0.0, controlChange(0, 64, 127)));
        r.process(at(0.1, noteOn(0, 60, 100)));
        r.process(at(0.2, noteOff(0, 60)));
        r.process(at(0.5, controlChange(0, 64, 0)));
        const NoteSequence s = r.stop(kWall + 1.0);
        QVERIFY(near(s.notes[0].endTime, 0.2));
        QCOMPARE(s.controlChanges.size(), size_t(2));
        QCOMPARE(s.controlChanges[0].controlNumber, 64);
        QCOMPARE(s.controlChanges[1].controlValue, 0);
    }
    void quantizesToGrid() {
        MidiRecorderOptions options;
        options.stepsPerQuarter = 4;  // 0.125 s at 120 QPM
        MidiRecorder r(options);
        r.start(kWall);
        r.process(at(0.13, noteOn(0, 60, 100)));
        r.process(at(0.36, noteOff(0, 60)));
        r.process(at(0.51, noteOn(0, 62, 100)));
        r.process(at(0.53, noteOff(0, 62)));  // shorter than a step: one step long
        const NoteSequence s = r.stop(kWall + 1.0);
        QVERIFY(near(s.notes[0].startTime, 0.125));
        QVERIFY(near(s.notes[0].endTime, 0.375));
        QVERIFY(near(s.notes[1].startTime, 0.5));
        QVERIFY(near(s.notes[1].endTime, 0.625));
    }
    void filtersChannelAndIgnoresOtherMessages() {
        MidiRecorderOptions options;
        options.channel = 1;
        MidiRecorder r(options);
        r.process(at(0.0, noteOn(1, 60, 100)));  // not recording yet
        r.start(kWall);
        r.process(at(0.1, noteOn(0, 61, 100)));
        r.process(at(0.1, noteOn(1, 62, 100)));
        r.process(at(0.15, timingClock()));
        r.process(at(0.2, noteOff(1, 62)));
        r.process(at(0.2, pitchBend(1, 100)));
        const NoteSequence s = r.stop(kWall + 1.0);
        QCOMPARE(s.notes.size(), size_t(1));
        QCOMPARE(s.notes[0].pitch, 62);
    }
};

QTEST_APPLESS_MAIN(TestMidiRecorder)
#include "TestMidiRecorder.moc"
