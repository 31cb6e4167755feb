// Byte encoding of the messages Toccata sends, and decoding helpers.
#include <QtTest>

#include "midi/MidiMessage.h"

using namespace toccata::midi;

class TestMidiMessage : public QObject {
    Q_OBJECT
private slots:
    void encodesChannelVoiceMessages() {
        QCOMPARE(noteOn(9, 36, 100), (MidiMessage{{0x99, 36, 100}, 3}));
        QCOMPARE(noteOff(0, 60), (MidiMessage{{0x80, 60, 0}, 3}));
        QCOMPARE(controlChange(15, 64, 127), (MidiMessage{{0xBF, 64, 127}, 3}));
        QCOMPARE(programChange(3, 33), (MidiMessage{{0xC3, 33, 0}, 2}));
        QCOMPARE(allNotesOff(2), (MidiMessage{{0xB2, 123, 0}, 3}));
    }
    void clampsDataBytes() { QCOMPARE(noteOn(0, 200, -5), (MidiMessage{{0x90, 127, 0}, 3})); }
    void encodesPitchBendLsbFirst() {
        QCOMPARE(pitchBend(0, 0), (MidiMessage{{0xE0, 0x00, 0x40}, 3}));
        QCOMPARE(pitchBend(1, -8192), (MidiMessage{{0xE1, 0x00, 0x00}, 3}));
        QCOMPARE(pitchBend(1, 8191), (MidiMessage{{0xE1, 0x7F, 0x7F}, 3}));
    }
    void encodesTransport() {
        QCOMPARE(songPosition(0), (MidiMessage{{0xF2, 0, 0}, 3}));
        QCOMPARE(songPosition(200), (MidiMessage{{0xF2, 200 & 0x7F, 200 >> 7}, 3}));
        QCOMPARE(timingClock(), (MidiMessage{{0xF8, 0, 0}, 1}));
        QCOMPARE(startMessage().status(), uint8_t(0xFA));
        QCOMPARE(continueMessage().status(), uint8_t(0xFB));
        QCOMPARE(stopMessage().status(), uint8_t(0xFC));
    }
    void decodes() {
        const uint8_t raw[] = {0x93, 61, 0};
        const MidiMessage m = MidiMessage::fromBytes(raw, 3);
        QCOMPARE(m.type(), kNoteOn);
        QCOMPARE(m.channel(), 3);
        QVERIFY(m.isNoteOff());  // note-on with velocity 0
        QVERIFY(!m.isNoteOn());
        QCOMPARE(MidiMessage::fromBytes(raw, 0).size, uint8_t(0));
        QCOMPARE(timingClock().type(), kTimingClock);
    }
};

QTEST_APPLESS_MAIN(TestMidiMessage)
#include "TestMidiMessage.moc"
