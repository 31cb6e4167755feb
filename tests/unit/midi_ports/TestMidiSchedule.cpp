// NoteSequence -> MIDI messages: channel rules (drums on 10, explicit channels, per-track
// channel), program changes, ordering, overlapped note-offs, clock merged in.
#include <QtTest>

#include <algorithm>

#include "midi/MidiSchedule.h"

using namespace toccata::midi;
using toccata::core::Note;
using toccata::core::NoteSequence;

namespace {
Note note(int pitch, double start, double end, int instrument = 0, bool drum = false,
          int program = 0) {
    Note n;
    n.pitch = pitch;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    n.isDrum = drum;
    n.program = program;
    n.velocity = 90;
    return n;
}
}  // namespace

class TestMidiSchedule : public QObject {
    Q_OBJECT
private slots:
    void drumsGoToChannel10AndMelodicTakeFreeChannels() {
        NoteSequence s;
        s.notes = {note(36, 0, 0.5, 1, true), note(60, 0, 0.5, 0), note(48, 0, 0.5, 2, false, 33)};
        const auto channels = assignChannels(s);
        QCOMPARE(channels.size(), size_t(3));
        QCOMPARE(channels[0], (ChannelAssignment{0, false, 0}));
        QCOMPARE(channels[1], (ChannelAssignment{1, true, 9}));
        QCOMPARE(channels[2], (ChannelAssignment{2, false, 1}));
    }
    void explicitChannelIsKept() {
        NoteSequence s;
        s.notes = {note(60, 0, 1, 0)};
        s.instrumentInfos.push_back({0, "lead", 5, 1});
        QCOMPARE(assignChannels(s)[0].channel, 5);
    }
    void trackChannelOverridesMelodicButNotDrums() {
        NoteSequence s;
        s.notes = {note(60, 0, 1, 0), note(62, 0, 1, 3), note(38, 0, 1, 4, true)};
        const MidiSchedule schedule = MidiSchedule::fromSequence(s, 6);
        for (const ChannelAssignment& a : schedule.channels) QCOMPARE(a.channel, a.isDrum ? 9 : 6);
        QCOMPARE(schedule.channelMask, uint16_t((1u << 6) | (1u << 9)));
    }
    void sixteenMelodicInstrumentsShareWithWarning() {
        NoteSequence s;
        for (int i = 0; i < 17; ++i) s.notes.push_back(note(60, 0, 1, i));
        const MidiSchedule schedule = MidiSchedule::fromSequence(s);
        QCOMPARE(schedule.warnings.size(), size_t(1));
        for (const ChannelAssignment& a : schedule.channels) QVERIFY(a.channel != 9);
    }
    void messagesAreOrderedWithProgramsFirst() {
        NoteSequence s;
        s.notes = {note(60, 0, 0.5, 0, false, 5), note(60, 0.5, 1.0, 0, false, 5),
                   note(36, 0.25, 0.3, 1, true)};
        s.totalTime = 1.0;
        const MidiSchedule schedule = MidiSchedule::fromSequence(s);
        const auto& m = schedule.messages;
        QCOMPARE(m[0].message, programChange(0, 5));
        QCOMPARE(m[0].time, 0.0);
        QVERIFY(std::is_sorted(m.begin(), m.end(), [](const auto& a, const auto& b) {
            return a.time != b.time ? a.time < b.time
                                    : messageOrder(a.message) < messageOrder(b.message);
        }));
        // At 0.5 the note-off of the first C comes before the second note-on.
        const size_t at = schedule.firstIndexAt(0.5);
        QCOMPARE(m[at].message, noteOff(0, 60));
        QCOMPARE(m[at + 1].message, noteOn(0, 60, 90));
        QCOMPARE(schedule.endTime, 1.0);
    }
    void overlappedNoteOffIsDropped() {
        NoteSequence s;
        s.notes = {note(60, 0, 1.0), note(60, 0.5, 2.0)};
        const MidiSchedule schedule = MidiSchedule::fromSequence(s);
        int offs = 0;
        for (const auto& t : schedule.messages) offs += t.message.isNoteOff() ? 1 : 0;
        QCOMPARE(offs, 1);
        QCOMPARE(schedule.messages.back().time, 2.0);
    }
    void clockIsMerged() {
        NoteSequence s;
        s.notes = {note(60, 0, 1.0)};
        s.totalTime = 1.0;
        MidiSchedule schedule = MidiSchedule::fromSequence(s);
        schedule.addClock(s, 0.0);
        QCOMPARE(schedule.messages[0].message, songPosition(0));
        QCOMPARE(schedule.messages[1].message, startMessage());
        QCOMPARE(schedule.messages.back().message, stopMessage());
        int pulses = 0;
        for (const auto& t : schedule.messages) pulses += t.message == timingClock() ? 1 : 0;
        QCOMPARE(pulses, 49);
    }
};

QTEST_APPLESS_MAIN(TestMidiSchedule)
#include "TestMidiSchedule.moc"
