// PianoGenieMidiMapping: off routes nothing; the C4..C5 white keys are buttons 0..7; learning
// swallows the first 8 distinct notes (repeats do not count) and maps them in pitch order or
// in the order played; other notes are not the genie's; learning again forgets.
#include <QtTest>

#include "app/PianoGenieMidiMapping.h"

using toccata::app::PianoGenieMidiMapping;
using Mode = PianoGenieMidiMapping::Mode;

class TestPianoGenieMidiMapping : public QObject {
    Q_OBJECT

private slots:
    void offRoutesNothing() {
        PianoGenieMidiMapping m;
        QVERIFY(!m.isOn());
        QVERIFY(!m.noteOn(60).consumed);
        QVERIFY(!m.noteOff(60).consumed);
        QCOMPARE(m.buttonOf(60), -1);
    }

    void whiteKeysAreButtons() {
        PianoGenieMidiMapping m;
        m.setMode(Mode::kWhiteKeys);
        QVERIFY(m.isOn());
        QVERIFY(!m.isLearning());
        const int pitches[8] = {60, 62, 64, 65, 67, 69, 71, 72};
        for (int b = 0; b < 8; ++b) {
            const auto on = m.noteOn(pitches[b]);
            QVERIFY(on.consumed);
            QCOMPARE(on.button, b);
            QCOMPARE(m.noteOff(pitches[b]).button, b);
        }
        QVERIFY(!m.noteOn(61).consumed);  // a black key plays as usual
        QVERIFY(!m.noteOn(59).consumed);
        QCOMPARE(m.noteOn(61).button, -1);
    }

    void learnInPitchOrder() {
        PianoGenieMidiMapping m;
        m.setMode(Mode::kLearnPitchOrder);
        QVERIFY(m.isLearning());
        const int played[] = {50, 40, 40, 70, 45, 60, 52, 41, 80};
        int swallowed = 0;
        for (int i = 0; i < 8; ++i) {  // 9 notes with one repeat: the 8th distinct is 41
            const auto r = m.noteOn(played[i]);
            QVERIFY(r.consumed);
            QCOMPARE(r.button, -1);
            QVERIFY(m.noteOff(played[i]).consumed);
            ++swallowed;
        }
        QCOMPARE(m.learnedCount(), 7);
        QVERIFY(m.isLearning());
        QVERIFY(m.noteOn(80).consumed);  // the 8th distinct note completes it
        QVERIFY(!m.isLearning());
        const std::array<int, 8> expect = {40, 41, 45, 50, 52, 60, 70, 80};
        QCOMPARE(m.pitches(), expect);
        QCOMPARE(m.noteOn(40).button, 0);
        QCOMPARE(m.noteOn(80).button, 7);
        QCOMPARE(m.noteOff(52).button, 4);
        QVERIFY(!m.noteOn(81).consumed);
        QCOMPARE(swallowed, 8);
    }

    void learnInPressOrderAndRelearn() {
        PianoGenieMidiMapping m;
        m.setMode(Mode::kLearnPressOrder);
        const int played[8] = {72, 60, 64, 67, 48, 50, 52, 53};
        for (int p : played) QVERIFY(m.noteOn(p).consumed);
        QVERIFY(!m.isLearning());
        for (int b = 0; b < 8; ++b) QCOMPARE(m.buttonOf(played[b]), b);
        m.relearn();
        QVERIFY(m.isLearning());
        QCOMPARE(m.learnedCount(), 0);
        QCOMPARE(m.buttonOf(72), -1);
        // Back to the white keys: no learning.
        m.setMode(Mode::kWhiteKeys);
        QVERIFY(!m.isLearning());
        QCOMPARE(m.buttonOf(60), 0);
        m.setMode(Mode::kOff);
        QCOMPARE(m.buttonOf(60), -1);
    }
};

QTEST_APPLESS_MAIN(TestPianoGenieMidiMapping)
#include "TestPianoGenieMidiMapping.moc"
