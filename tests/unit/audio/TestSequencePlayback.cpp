// SequencePlayback: event frames, ordering at equal frames, channel assignment (drums on 9),
// program changes, controllers, pitch bends and overlapping notes.
#include <QtTest>

#include "AudioTestSupport.h"
#include "audio/SequencePlayback.h"

using namespace toccata;
using namespace toccata::test;
using audio::SynthEvent;
using Type = audio::SynthEventType;

namespace {

std::vector<SynthEvent> ofType(const audio::SequencePlayback& p, Type type) {
    std::vector<SynthEvent> out;
    for (const SynthEvent& e : p.events)
        if (e.type == type) out.push_back(e);
    return out;
}

SynthEvent synthEvent(int64_t frame, Type type, int channel, int data1, int data2 = 0) {
    return SynthEvent{frame, type, uint8_t(channel), int16_t(data1), int16_t(data2)};
}

}  // namespace

class TestSequencePlayback : public QObject {
    Q_OBJECT

private slots:
    void framesFollowTheSampleRate() {
        const auto seq = makeSequence({makeNote(60, 0.5, 1.25)});
        const auto p = audio::SequencePlayback::fromSequence(seq, 48000.0);
        QCOMPARE(p.sampleRate, 48000.0);
        const std::vector<SynthEvent> expected = {synthEvent(0, Type::kProgramChange, 0, 0),
                                                  synthEvent(24000, Type::kNoteOn, 0, 60, 100),
                                                  synthEvent(60000, Type::kNoteOff, 0, 60)};
        QCOMPARE(p.events, expected);
        QCOMPARE(p.endFrame, int64_t(60000));
    }

    void eventsAreSortedAndNoteOffsPrecedeNoteOnsAtTheSameFrame() {
        // Notes given out of order; note 2 starts exactly where note 1 ends (same key).
        const auto seq =
            makeSequence({makeNote(62, 1.0, 2.0), makeNote(62, 0.0, 1.0), makeNote(64, 1.0, 1.5)});
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        for (size_t i = 1; i < p.events.size(); ++i) {
            QVERIFY(p.events[i - 1].frame <= p.events[i].frame);
            if (p.events[i - 1].frame == p.events[i].frame)
                QVERIFY(p.events[i - 1].type <= p.events[i].type);
        }
        std::vector<SynthEvent> atOneSecond;
        for (const SynthEvent& e : p.events)
            if (e.frame == 1000) atOneSecond.push_back(e);
        QCOMPARE(atOneSecond.size(), size_t(3));
        QCOMPARE(atOneSecond[0], synthEvent(1000, Type::kNoteOff, 0, 62));
        QCOMPARE(atOneSecond[1].type, Type::kNoteOn);
        QCOMPARE(atOneSecond[2].type, Type::kNoteOn);
    }

    void controllersAndProgramsPrecedeNoteOnsAtTheSameFrame() {
        auto seq = makeSequence({makeNote(60, 0.0, 1.0, 0), makeNote(60, 1.0, 2.0, 5)});
        core::ControlChange sustain;
        sustain.time = 1.0;
        sustain.controlNumber = 64;
        sustain.controlValue = 127;
        seq.controlChanges.push_back(sustain);
        core::PitchBend bend;
        bend.time = 1.0;
        bend.bend = -8192;
        seq.pitchBends.push_back(bend);
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        const std::vector<SynthEvent> expected = {
            synthEvent(0, Type::kProgramChange, 0, 0),
            synthEvent(0, Type::kNoteOn, 0, 60, 100),
            synthEvent(1000, Type::kNoteOff, 0, 60),
            synthEvent(1000, Type::kControlChange, 0, 64, 127),
            synthEvent(1000, Type::kProgramChange, 0, 5),
            synthEvent(1000, Type::kPitchBend, 0, -8192),
            synthEvent(1000, Type::kNoteOn, 0, 60, 100),
            synthEvent(2000, Type::kNoteOff, 0, 60)};
        QCOMPARE(p.events, expected);
    }

    void drumsGoToChannel9AndInstrumentsTakeFreeChannels() {
        std::vector<core::Note> notes;
        notes.push_back(makeNote(36, 0.0, 0.1, 0, true, 3));  // drums, instrument 3
        for (int instrument = 0; instrument < 11; ++instrument)
            if (instrument != 3)
                notes.push_back(makeNote(60, 0.0, 1.0, instrument, false, instrument));
        const auto p = audio::SequencePlayback::fromSequence(makeSequence(notes), 44100.0);
        QCOMPARE(p.channelFor(3, true), 9);
        QCOMPARE(p.channelFor(0, false), 0);
        QCOMPARE(p.channelFor(2, false), 2);
        QCOMPARE(p.channelFor(4, false), 3);    // channel 3 was free
        QCOMPARE(p.channelFor(10, false), 10);  // 9 skipped: 0,1,2,4..10 -> 0..8, 10
        QCOMPARE(p.drumChannelMask, 1u << 9);
        for (const SynthEvent& e : ofType(p, Type::kNoteOn))
            QCOMPARE(e.channel == 9, e.data1 == 36);
        // Each melodic channel starts with its instrument's program at frame 0.
        const auto programs = ofType(p, Type::kProgramChange);
        QCOMPARE(programs.size(), size_t(11));
        for (const SynthEvent& e : programs) QCOMPARE(e.frame, int64_t(0));
        QVERIFY(p.warnings.empty());
    }

    void explicitMidiChannelsAreKept() {
        auto seq = makeSequence({makeNote(60, 0, 1, 0, false, 0), makeNote(62, 0, 1, 0, false, 1),
                                 makeNote(38, 0, 1, 0, true, 2)});
        seq.instrumentInfos = {{0, "lead", 5, 1}, {1, "no channel", -1, 2}, {2, "kit", 10, 3}};
        const auto p = audio::SequencePlayback::fromSequence(seq, 44100.0);
        QCOMPARE(p.channelFor(0, false), 5);
        QCOMPARE(p.channelFor(1, false), 0);
        QCOMPARE(p.channelFor(2, true), 10);
        QVERIFY(p.isDrumChannel(10));
        QVERIFY(p.isDrumChannel(9));
        QVERIFY(!p.isDrumChannel(5));
    }

    void programChangesFollowTheNotes() {
        const auto seq = makeSequence({makeNote(60, 0.5, 1.0, 33), makeNote(60, 1.0, 1.5, 33),
                                       makeNote(60, 2.0, 2.5, 80), makeNote(60, 3.0, 3.5, 33)});
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        const std::vector<SynthEvent> expected = {synthEvent(0, Type::kProgramChange, 0, 33),
                                                  synthEvent(2000, Type::kProgramChange, 0, 80),
                                                  synthEvent(3000, Type::kProgramChange, 0, 33)};
        QCOMPARE(ofType(p, Type::kProgramChange), expected);
    }

    void overlappingNotesOfOneKeyReleaseOnlyAtTheLastEnd() {
        const auto seq = makeSequence({makeNote(60, 0.0, 2.0), makeNote(60, 1.0, 3.0)});
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        const auto offs = ofType(p, Type::kNoteOff);
        QCOMPARE(offs.size(), size_t(1));
        QCOMPARE(offs[0].frame, int64_t(3000));
        QCOMPARE(ofType(p, Type::kNoteOn).size(), size_t(2));
    }

    void zeroLengthNotesStillEndAfterTheyStart() {
        const auto seq = makeSequence({makeNote(60, 1.0, 1.0, 0, false, 0, 0)});
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        const auto ons = ofType(p, Type::kNoteOn);
        const auto offs = ofType(p, Type::kNoteOff);
        QCOMPARE(ons.size(), size_t(1));
        QCOMPARE(offs.size(), size_t(1));
        QVERIFY(offs[0].frame > ons[0].frame);
        QCOMPARE(int(ons[0].data2), 100);  // velocity 0 ("unset") plays at 100
    }

    void tooManyInstrumentsShareChannelsWithAWarning() {
        std::vector<core::Note> notes;
        for (int instrument = 0; instrument < 20; ++instrument)
            notes.push_back(makeNote(60, 0, 1, instrument, false, instrument));
        const auto p = audio::SequencePlayback::fromSequence(makeSequence(notes), 44100.0);
        QCOMPARE(p.warnings.size(), size_t(1));
        for (const auto& a : p.channels) {
            QVERIFY(a.channel >= 0 && a.channel < 16);
            QVERIFY(a.channel != 9);
        }
        QCOMPARE(p.channelFor(8, false), 8);
        QCOMPARE(p.channelFor(9, false), 10);
        QCOMPARE(p.channelFor(14, false), 15);
        QCOMPARE(p.channelFor(15, false), 0);  // shared from here on
        QCOMPARE(p.channelFor(16, false), 1);
    }

    void invalidValuesAreSkippedOrClamped() {
        auto seq = makeSequence({makeNote(200, 0, 1), makeNote(60, -1.0, 1.0, 300)});
        core::ControlChange cc;
        cc.controlNumber = 7;
        cc.controlValue = 500;
        seq.controlChanges.push_back(cc);
        const auto p = audio::SequencePlayback::fromSequence(seq, 1000.0);
        QCOMPARE(ofType(p, Type::kNoteOn).size(), size_t(1));
        QCOMPARE(ofType(p, Type::kNoteOn)[0].frame, int64_t(0));
        QCOMPARE(int(ofType(p, Type::kProgramChange)[0].data1), 127);
        QCOMPARE(int(ofType(p, Type::kControlChange)[0].data2), 127);
        QCOMPARE(p.warnings.size(), size_t(1));
    }

    void emptySequenceHasNoEvents() {
        const auto p = audio::SequencePlayback::fromSequence(core::NoteSequence{}, 44100.0);
        QVERIFY(p.events.empty());
        QCOMPARE(p.endFrame, int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestSequencePlayback)
#include "TestSequencePlayback.moc"
