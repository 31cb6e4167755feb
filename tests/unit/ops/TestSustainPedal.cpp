// applySustainControlChanges, with Magenta's sequences_lib sustain test cases.
#include <QtTest>

#include "OpsTestSupport.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"

using namespace toccata::core;
using toccata::test::addControlChanges;
using toccata::test::addTrack;
using toccata::test::fixtureSequence;

class TestSustainPedal : public QObject {
    Q_OBJECT

private slots:
    void extendsNotesUntilPedalUp() {  // Magenta's testApplySustainControlChanges
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0,
                          {{0.0, 64, 127},
                           {0.75, 64, 0},
                           {2.0, 64, 127},
                           {3.0, 64, 0},
                           {3.75, 64, 127},
                           {4.5, 64, 127},
                           {4.8, 64, 0},
                           {4.9, 64, 127},
                           {6.0, 64, 0}});
        addTrack(s, 1, {{12, 100, 0.01, 10.0}, {52, 99, 4.75, 5.0}});  // no pedal on inst 1
        NoteSequence expected = s;
        addTrack(s, 0, {{11, 55, 0.22, 0.50}, {40, 45, 2.50, 3.50}, {55, 120, 4.0, 4.01}});
        addTrack(expected, 0, {{11, 55, 0.22, 0.75}, {40, 45, 2.50, 3.50}, {55, 120, 4.0, 4.8}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);
    }

    void repeatedNotesEndAtTheRestrike() {  // Magenta's ...WithRepeatedNotes
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {4.0, 64, 0}});
        NoteSequence expected = s;
        addTrack(s, 0,
                 {{60, 100, 0.25, 1.50},
                  {60, 100, 1.25, 1.50},
                  {72, 100, 2.00, 3.50},
                  {60, 100, 2.0, 3.00},
                  {60, 100, 3.50, 4.50}});
        addTrack(expected, 0,
                 {{60, 100, 0.25, 1.25},
                  {60, 100, 1.25, 2.00},
                  {72, 100, 2.00, 4.00},
                  {60, 100, 2.0, 3.50},
                  {60, 100, 3.50, 4.50}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);
    }

    void repeatedNotesBeforeThePedal() {  // Magenta's ...WithRepeatedNotesBeforeSustain
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {4.0, 64, 0}});
        NoteSequence expected = s;
        addTrack(s, 0, {{60, 100, 0.25, 1.50}, {60, 100, 0.50, 1.50}, {60, 100, 1.25, 2.0}});
        addTrack(expected, 0,
                 {{60, 100, 0.25, 1.25}, {60, 100, 0.50, 1.25}, {60, 100, 1.25, 4.00}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);
    }

    void simultaneousPedalDownAndUp() {  // Magenta's ...SimultaneousOnOff: up wins, no-op
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {1.0, 64, 0}});
        addTrack(s, 0, {{60, 100, 0.50, 1.50}, {60, 100, 2.0, 3.0}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, s);
    }

    void notesHeldAtTheEndEndAtTheLastEvent() {  // Magenta's ...ExtendNotesToEnd
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {4.0, 64, 0}});
        NoteSequence expected = s;
        addTrack(s, 0, {{60, 100, 0.50, 1.50}, {72, 100, 2.0, 3.0}});
        addTrack(expected, 0, {{60, 100, 0.50, 4.00}, {72, 100, 2.0, 4.0}});
        expected.totalTime = 4.0;
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);

        // A pedal never released: held notes end at the last event (here the last note-off).
        NoteSequence open = fixtureSequence(60.0);
        addControlChanges(open, 0, {{0.5, 64, 100}});
        addTrack(open, 0, {{60, 100, 1.0, 1.5}, {64, 100, 2.0, 2.5}});
        auto held = applySustainControlChanges(open);
        TOCCATA_VERIFY_OK(held);
        QCOMPARE(held->notes[0].endTime, 2.5);
        QCOMPARE(held->notes[1].endTime, 2.5);
        QCOMPARE(held->totalTime, 2.5);
    }

    void extraneousPedalAfterTheNotes() {  // Magenta's ...ExtraneousSustain
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{4.0, 64, 127}, {5.0, 64, 0}});
        addTrack(s, 0, {{60, 100, 0.50, 1.50}, {72, 100, 2.0, 3.0}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, s);
        QCOMPARE(sustained->totalTime, 3.0);
    }

    void identicalNotesUnderThePedal() {  // Magenta's ...WithIdenticalNotes: one is dropped
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {4.0, 64, 0}});
        NoteSequence expected = s;
        addTrack(s, 0, {{60, 100, 2.00, 2.50}, {60, 100, 2.00, 2.50}});
        addTrack(expected, 0, {{60, 100, 2.00, 4.00}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);
    }

    void drumNotesAreUntouched() {  // Magenta's ...WithDrumNotes
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{1.0, 64, 127}, {4.0, 64, 0}});
        NoteSequence expected = s;
        addTrack(s, 0, {{60, 100, 2.00, 2.50}});
        addTrack(s, 0, {{38, 100, 2.00, 2.50}}, true);
        addTrack(expected, 0, {{60, 100, 2.00, 4.00}});
        addTrack(expected, 0, {{38, 100, 2.0, 2.5}}, true);
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, expected);
    }

    void pedalChangesBeforeNotesAtTheSameTime() {  // Magenta's ...ProcessSustainBeforeNotes
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{0.0, 64, 127}, {0.75, 64, 0}, {2.0, 64, 127}, {3.0, 64, 0}});
        addTrack(s, 0, {{11, 55, 0.22, 0.75}, {40, 45, 2.50, 3.50}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        TOCCATA_COMPARE_SEQUENCES(*sustained, s);
    }

    void pedalIsPerInstrument() {
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 1, {{0.0, 64, 127}, {3.0, 64, 0}});
        addTrack(s, 0, {{60, 100, 0.5, 1.0}});
        addTrack(s, 1, {{64, 100, 0.5, 1.0}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        QCOMPARE(sustained->notes[0].endTime, 1.0);
        QCOMPARE(sustained->notes[1].endTime, 3.0);
        QCOMPARE(sustained->totalTime, 3.0);
    }

    void thresholdAndControlNumber_data() {
        QTest::addColumn<int>("value");
        QTest::addColumn<double>("expectedEnd");
        QTest::newRow("63 is up") << 63 << 1.0;
        QTest::newRow("64 is down") << 64 << 3.0;
        QTest::newRow("127 is down") << 127 << 3.0;
    }
    void thresholdAndControlNumber() {
        QFETCH(int, value);
        QFETCH(double, expectedEnd);
        NoteSequence s = fixtureSequence(60.0);
        addControlChanges(s, 0, {{0.0, 64, value}, {3.0, 64, 0}});
        addTrack(s, 0, {{60, 100, 0.5, 1.0}});
        auto sustained = applySustainControlChanges(s);
        TOCCATA_VERIFY_OK(sustained);
        QCOMPARE(sustained->notes[0].endTime, expectedEnd);
        // Another control number (sostenuto, 66) does nothing unless asked for.
        NoteSequence other = fixtureSequence(60.0);
        addControlChanges(other, 0, {{0.0, 66, value}, {3.0, 66, 0}});
        addTrack(other, 0, {{60, 100, 0.5, 1.0}});
        QCOMPARE(applySustainControlChanges(other)->notes[0].endTime, 1.0);
        QCOMPARE(applySustainControlChanges(other, 66)->notes[0].endTime, expectedEnd);
    }

    void errors() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.5, 1.0}});
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        auto quantized = applySustainControlChanges(*q);
        QVERIFY(!quantized.ok());
        QVERIFY(quantized.errorMessage().find("quantized") != std::string::npos);
        auto badControl = applySustainControlChanges(s, 128);
        QVERIFY(!badControl.ok());
        QVERIFY(badControl.errorMessage().find("got 128") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSustainPedal)
#include "TestSustainPedal.moc"
