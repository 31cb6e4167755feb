// MIDI clock timing: 24 PPQN at the tempo in force, Song Position Pointer, Start/Continue/Stop.
#include <QtTest>

#include "midi/MidiClock.h"

using namespace toccata::midi;
using toccata::core::Tempo;
using toccata::core::TempoMap;

class TestMidiClock : public QObject {
    Q_OBJECT
private slots:
    void pulsePeriodIs2point5OverQpm() {
        QVERIFY(qAbs(MidiClock::pulseSeconds(120.0) - 2.5 / 120.0) < 1e-12);
        QVERIFY(qAbs(MidiClock::pulseTime(TempoMap(), 24) - 0.5) < 1e-12);
    }
    void fromZeroSendsSongPositionThenStart() {
        const auto m = MidiClock::messages(TempoMap(), 0.0, 1.0);
        QVERIFY(m.size() >= 3);
        QCOMPARE(m[0].message, songPosition(0));
        QCOMPARE(m[1].message, startMessage());
        int pulses = 0;
        for (const auto& t : m) pulses += t.message == timingClock() ? 1 : 0;
        QCOMPARE(pulses, 49);  // 48 per second at 120 QPM, both ends included
        QCOMPARE(m.back().message, stopMessage());
        QCOMPARE(m.back().time, 1.0);
        QVERIFY(qAbs(m[3].time - m[2].time - 2.5 / 120.0) < 1e-12);
    }
    void midSongUsesContinueAtNextSixteenth() {
        // 0.3 s at 120 QPM = 0.6 quarters = 2.4 sixteenths -> position 3 at 0.375 s.
        const auto m = MidiClock::messages(TempoMap(), 0.3, 1.0, false);
        QCOMPARE(m[0].message, songPosition(3));
        QCOMPARE(m[1].message, continueMessage());
        QVERIFY(qAbs(m[0].time - 0.375) < 1e-12);
        QCOMPARE(m[2].message, timingClock());
        QVERIFY(qAbs(m[2].time - 0.375) < 1e-12);
        QVERIFY(m.back().message == timingClock());
    }
    void followsTempoChanges() {
        const TempoMap tempo(std::vector<Tempo>{{0.0, 120.0}, {1.0, 60.0}});
        // 2 quarters in the first second; after it a pulse lasts 1/24 s.
        QVERIFY(qAbs(MidiClock::pulseTime(tempo, 48) - 1.0) < 1e-9);
        QVERIFY(qAbs(MidiClock::pulseTime(tempo, 49) - (1.0 + 1.0 / 24)) < 1e-9);
        QCOMPARE(MidiClock::firstPulseAtOrAfter(tempo, 1.0), int64_t(48));
        QCOMPARE(MidiClock::songPositionAtOrAfter(tempo, 1.0), int64_t(8));
    }
};

QTEST_APPLESS_MAIN(TestMidiClock)
#include "TestMidiClock.moc"
