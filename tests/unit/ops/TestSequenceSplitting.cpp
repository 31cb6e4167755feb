// Slicing and splitting (SequenceSplitting.h), with Magenta's sequences_lib test cases.
#include <QtTest>

#include "OpsTestSupport.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceSplitting.h"

using namespace toccata::core;
using toccata::test::addBeats;
using toccata::test::addChords;
using toccata::test::addControlChanges;
using toccata::test::addTrack;
using toccata::test::fixtureSequence;

namespace {

NoteSequence standardTrack(double lastEnd = 10.0) {
    NoteSequence s = fixtureSequence(60.0);
    addTrack(s, 0,
             {{12, 100, 0.01, lastEnd},
              {11, 55, 0.22, 0.50},
              {40, 45, 2.50, 3.50},
              {55, 120, 4.0, 4.01},
              {52, 99, 4.75, 5.0}});
    return s;
}

NoteSequence withSignatures(std::vector<TimeSignature> ts, std::vector<Tempo> tempos) {
    NoteSequence s;
    s.timeSignatures = std::move(ts);
    s.tempos = std::move(tempos);
    return s;
}

}  // namespace

class TestSequenceSplitting : public QObject {
    Q_OBJECT

private slots:
    void extractSubsequenceCarriesState() {  // Magenta's testExtractSubsequence
        NoteSequence s = standardTrack();
        addChords(s, {{"C", 1.5}, {"G7", 3.0}, {"F", 4.8}});
        addControlChanges(s, 0, {{0.0, 64, 127}, {2.0, 64, 0}, {4.0, 64, 127}, {5.0, 64, 0}});
        addControlChanges(s, 1, {{2.0, 64, 127}});
        auto sub = extractSubsequence(s, 2.5, 4.75);
        TOCCATA_VERIFY_OK(sub);
        std::stable_sort(sub->controlChanges.begin(), sub->controlChanges.end(),
                         [](const ControlChange& a, const ControlChange& b) {
                             return std::tie(a.instrument, a.time) < std::tie(b.instrument, b.time);
                         });
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0, {{40, 45, 0.0, 1.0}, {55, 120, 1.5, 1.51}});
        addChords(expected, {{"C", 0.0}, {"G7", 0.5}});
        addControlChanges(expected, 0, {{0.0, 64, 0}, {1.5, 64, 127}});
        addControlChanges(expected, 1, {{0.0, 64, 127}});
        expected.totalTime = 1.51;
        TOCCATA_COMPARE_SEQUENCES(*sub, expected);
    }

    void extractSubsequenceTempoAndTimeSignatureCarry() {
        NoteSequence s = withSignatures({{0.0, 4, 4}, {2.0, 3, 4}, {6.0, 6, 8}},
                                        {{0.0, 120.0}, {1.0, 90.0}, {5.0, 140.0}});
        s.keySignatures = {{0.0, 0, 0}, {3.5, 7, 0}};
        addTrack(s, 0, {{60, 100, 0.5, 3.0}, {62, 100, 3.0, 5.5}, {64, 100, 5.5, 7.0}});
        auto sub = extractSubsequence(s, 3.0, 6.0);
        TOCCATA_VERIFY_OK(sub);
        // State at 3 s (3/4, 90 QPM, C) re-emitted at 0; changes inside kept, shifted.
        QCOMPARE(sub->timeSignatures, (std::vector<TimeSignature>{{0.0, 3, 4}}));
        QCOMPARE(sub->tempos, (std::vector<Tempo>{{0.0, 90.0}, {2.0, 140.0}}));
        QCOMPARE(sub->keySignatures, (std::vector<KeySignature>{{0.0, 0, 0}, {0.5, 7, 0}}));
        QCOMPARE(sub->notes.size(), size_t(2));  // the 0.5 s note started before the range
        QCOMPARE(sub->notes[0].startTime, 0.0);
        QCOMPARE(sub->notes[0].endTime, 2.5);
        QCOMPARE(sub->notes[1].startTime, 2.5);
        QCOMPARE(sub->notes[1].endTime, 3.0);  // clipped to the range end
        QCOMPARE(sub->totalTime, 3.0);
        // An event exactly at the start is the state at 0, not a duplicate.
        auto atChange = extractSubsequence(s, 2.0, 4.0);
        TOCCATA_VERIFY_OK(atChange);
        QCOMPARE(atChange->timeSignatures, (std::vector<TimeSignature>{{0.0, 3, 4}}));
    }

    void extractSubsequencePedalState() {  // Magenta's testExtractSubsequencePedalEvents
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 80, 2.5, 5.0}});
        addControlChanges(s, 0, {{0.0, 64, 127}, {2.0, 64, 0}, {4.0, 64, 127}, {5.0, 64, 0}});
        addControlChanges(s, 1, {{2.0, 64, 127}});
        addControlChanges(s, 0, {{0.0, 66, 0}, {2.0, 66, 127}, {4.0, 66, 0}, {5.0, 66, 127}});
        addControlChanges(s, 0, {{0.0, 67, 10}, {2.0, 67, 20}, {4.0, 67, 30}, {5.0, 67, 40}});
        addControlChanges(s, 0, {{1.0, 7, 100}, {3.0, 7, 90}});  // volume: not preserved
        s.pitchBends.push_back(PitchBend{3.0, 0, 50});           // dropped
        auto sub = extractSubsequence(s, 2.5, 4.75);
        TOCCATA_VERIFY_OK(sub);
        auto key = [](const ControlChange& c) {
            return std::tie(c.instrument, c.controlNumber, c.time);
        };
        std::stable_sort(
            sub->controlChanges.begin(), sub->controlChanges.end(),
            [&](const ControlChange& a, const ControlChange& b) { return key(a) < key(b); });
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0, {{60, 80, 0.0, 2.25}});
        addControlChanges(expected, 0, {{0.0, 64, 0}, {1.5, 64, 127}});
        addControlChanges(expected, 0, {{0.0, 66, 127}, {1.5, 66, 0}});
        addControlChanges(expected, 0, {{0.0, 67, 20}, {1.5, 67, 30}});
        addControlChanges(expected, 1, {{0.0, 64, 127}});
        expected.totalTime = 2.25;
        TOCCATA_COMPARE_SEQUENCES(*sub, expected);

        // Only the listed controls are carried.
        auto onlySustain = extractSubsequence(s, 2.5, 4.75, {64});
        TOCCATA_VERIFY_OK(onlySustain);
        QCOMPARE(onlySustain->controlChanges.size(), size_t(3));
    }

    void extractSubsequenceErrors() {
        NoteSequence s = standardTrack();
        addChords(s, {{"F", 18.0}});
        auto past = extractSubsequence(s, 15.0, 16.0);  // Magenta's ...PastEnd
        QVERIFY(!past.ok());
        QVERIFY2(past.errorMessage().find("at or past the end") != std::string::npos,
                 past.errorMessage().c_str());
        auto reversed = extractSubsequence(s, 3.0, 2.0);
        QVERIFY(!reversed.ok());
        QVERIFY(reversed.errorMessage().find("before startTime") != std::string::npos);
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        auto quantized = extractSubsequence(*q, 0.0, 1.0);
        QVERIFY(!quantized.ok());
        QVERIFY(quantized.errorMessage().find("quantized") != std::string::npos);
        QVERIFY(!extractSubsequences(s, {1.0}).ok());
        QVERIFY(!extractSubsequences(s, {2.0, 1.0, 3.0}).ok());
    }

    void extractBarsUsesTheBarGrid() {
        // 4/4 at 120 QPM: 2 s per bar; 3/4 from bar 2 (4 s): 1.5 s per bar.
        NoteSequence s = withSignatures({{0.0, 4, 4}, {4.0, 3, 4}}, {{0.0, 120.0}});
        addTrack(s, 0,
                 {{60, 100, 0.0, 1.0},
                  {62, 100, 2.0, 3.0},
                  {64, 100, 4.0, 5.0},
                  {65, 100, 5.5, 6.0},
                  {67, 100, 7.0, 8.0}});
        auto bar1 = extractBars(s, 1, 2);
        TOCCATA_VERIFY_OK(bar1);
        QCOMPARE(bar1->notes.size(), size_t(1));
        QCOMPARE(bar1->notes[0].pitch, 62);
        QCOMPARE(bar1->notes[0].startTime, 0.0);
        auto bars23 = extractBars(s, 2, 4);  // [4, 7) s in 3/4
        TOCCATA_VERIFY_OK(bars23);
        QCOMPARE(bars23->notes.size(), size_t(2));
        QCOMPARE(bars23->notes[1].startTime, 1.5);
        QCOMPARE(bars23->timeSignatures, (std::vector<TimeSignature>{{0.0, 3, 4}}));
        QCOMPARE(bars23->tempos, (std::vector<Tempo>{{0.0, 120.0}}));
    }

    void extractBarsErrors_data() {
        QTest::addColumn<qint64>("startBar");
        QTest::addColumn<qint64>("endBar");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative") << qint64(-1) << qint64(1) << "startBar must not be negative";
        QTest::newRow("empty") << qint64(1) << qint64(1) << "must be after startBar";
        QTest::newRow("past end") << qint64(5) << qint64(6) << "startBar 5 is out of range";
    }
    void extractBarsErrors() {
        QFETCH(qint64, startBar);
        QFETCH(qint64, endBar);
        QFETCH(QString, message);
        NoteSequence s = fixtureSequence(120.0);
        addTrack(s, 0, {{60, 100, 0.0, 7.0}});  // 4 bars (the last partial)
        auto bars = extractBars(s, startBar, endBar);
        QVERIFY(!bars.ok());
        QVERIFY2(bars.errorMessage().find(message.toStdString()) != std::string::npos,
                 bars.errorMessage().c_str());
    }

    void splitEveryHop() {  // Magenta's testSplitNoteSequenceWithHopSize
        NoteSequence s = standardTrack(8.0);
        addChords(s, {{"C", 1.0}, {"G7", 2.0}, {"F", 4.0}});
        auto pieces = splitEvery(s, 3.0);
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(3));

        NoteSequence e1 = fixtureSequence(60.0);
        addTrack(e1, 0, {{12, 100, 0.01, 3.0}, {11, 55, 0.22, 0.50}, {40, 45, 2.50, 3.0}});
        addChords(e1, {{"C", 1.0}, {"G7", 2.0}});
        e1.totalTime = 3.0;
        NoteSequence e2 = fixtureSequence(60.0);
        addTrack(e2, 0, {{55, 120, 1.0, 1.01}, {52, 99, 1.75, 2.0}});
        addChords(e2, {{"G7", 0.0}, {"F", 1.0}});
        e2.totalTime = 2.0;
        NoteSequence e3 = fixtureSequence(60.0);
        addChords(e3, {{"F", 0.0}});
        e3.totalTime = 0.0;
        TOCCATA_COMPARE_SEQUENCES((*pieces)[0], e1);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[1], e2);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[2], e3);
        QVERIFY(!splitEvery(s, 0.0).ok());
    }

    void splitAtGivenTimes() {  // Magenta's testSplitNoteSequenceAtTimes
        NoteSequence s = standardTrack(8.0);
        addChords(s, {{"C", 1.0}, {"G7", 2.0}, {"F", 4.0}});
        auto pieces = splitAtTimes(s, {4.0, 3.0});  // sorted first
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(3));
        NoteSequence e2 = fixtureSequence(60.0);
        addChords(e2, {{"G7", 0.0}});
        e2.totalTime = 0.0;
        NoteSequence e3 = fixtureSequence(60.0);
        addTrack(e3, 0, {{55, 120, 0.0, 0.01}, {52, 99, 0.75, 1.0}});
        addChords(e3, {{"F", 0.0}});
        e3.totalTime = 1.0;
        TOCCATA_COMPARE_SEQUENCES((*pieces)[1], e2);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[2], e3);
    }

    void splitSkippingSplitsInsideNotes() {  // Magenta's ...SkipSplitsInsideNotes
        NoteSequence s = standardTrack(3.0);
        addChords(s, {{"C", 0.0}, {"G7", 3.0}, {"F", 4.5}});
        auto pieces = splitEvery(s, 2.0, true);
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(2));
        NoteSequence e1 = fixtureSequence(60.0);
        addTrack(e1, 0, {{12, 100, 0.01, 3.0}, {11, 55, 0.22, 0.50}, {40, 45, 2.50, 3.50}});
        addChords(e1, {{"C", 0.0}, {"G7", 3.0}});
        e1.totalTime = 3.5;
        NoteSequence e2 = fixtureSequence(60.0);
        addTrack(e2, 0, {{55, 120, 0.0, 0.01}, {52, 99, 0.75, 1.0}});
        addChords(e2, {{"G7", 0.0}, {"F", 0.5}});
        e2.totalTime = 1.0;
        TOCCATA_COMPARE_SEQUENCES((*pieces)[0], e1);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[1], e2);
    }

    void splitKeepsBeatsWhereTheyFall() {  // Magenta's ...WithStatelessEvents
        NoteSequence s = standardTrack(8.0);
        addBeats(s, {1.0, 2.0, 4.0});
        auto pieces = splitAtTimes(s, {3.0, 4.0});
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(3));
        QCOMPARE((*pieces)[0].textAnnotations.size(), size_t(2));
        QVERIFY((*pieces)[1].textAnnotations.empty());  // beats are not re-emitted
        QCOMPARE((*pieces)[2].textAnnotations.size(), size_t(1));
        QCOMPARE((*pieces)[2].textAnnotations[0].time, 0.0);
    }

    void splitOnTimeChangesWithoutChanges() {  // ...NoTimeChanges / ...DuplicateTimeChanges
        NoteSequence s = standardTrack();
        addChords(s, {{"C", 1.5}, {"G7", 3.0}, {"F", 4.8}});
        auto pieces = splitOnTimeChanges(s);
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(1));
        TOCCATA_COMPARE_SEQUENCES(pieces->front(), s);

        s.timeSignatures.push_back({2.0, 4, 4});  // a repeat is no change
        s.tempos.push_back({3.0, 60.0});
        auto duplicates = splitOnTimeChanges(s);
        TOCCATA_VERIFY_OK(duplicates);
        QCOMPARE(duplicates->size(), size_t(1));
    }

    void splitOnCoincidentTimeChanges() {  // Magenta's ...CoincidentTimeChanges
        NoteSequence s = withSignatures({{0.0, 4, 4}, {2.0, 3, 4}}, {{0.0, 60.0}, {2.0, 80.0}});
        addTrack(s, 0,
                 {{12, 100, 0.01, 10.0},
                  {11, 55, 0.22, 0.50},
                  {40, 45, 2.50, 3.50},
                  {55, 120, 4.0, 4.01},
                  {52, 99, 4.75, 5.0}});
        addChords(s, {{"C", 1.5}, {"G7", 3.0}, {"F", 4.8}});
        auto pieces = splitOnTimeChanges(s);
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(2));
        NoteSequence e1 = withSignatures({{0.0, 4, 4}}, {{0.0, 60.0}});
        addTrack(e1, 0, {{12, 100, 0.01, 2.0}, {11, 55, 0.22, 0.50}});
        addChords(e1, {{"C", 1.5}});
        NoteSequence e2 = withSignatures({{0.0, 3, 4}}, {{0.0, 80.0}});
        addTrack(e2, 0, {{40, 45, 0.50, 1.50}, {55, 120, 2.0, 2.01}, {52, 99, 2.75, 3.0}});
        addChords(e2, {{"C", 0.0}, {"G7", 1.0}, {"F", 2.8}});
        TOCCATA_COMPARE_SEQUENCES((*pieces)[0], e1);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[1], e2);
        // Each piece can now be quantized.
        for (const NoteSequence& piece : *pieces) TOCCATA_VERIFY_OK(quantizeNoteSequence(piece, 4));
    }

    void splitOnMultipleTimeChanges() {  // Magenta's ...MultipleTimeChanges
        NoteSequence s = withSignatures({{0.0, 4, 4}, {2.0, 3, 4}}, {{0.0, 60.0}, {4.25, 80.0}});
        addTrack(s, 0,
                 {{12, 100, 0.01, 10.0},
                  {11, 55, 0.22, 0.50},
                  {40, 45, 2.50, 3.50},
                  {55, 120, 4.0, 4.01},
                  {52, 99, 4.75, 5.0}});
        addChords(s, {{"C", 1.5}, {"G7", 3.0}, {"F", 4.8}});
        auto pieces = splitOnTimeChanges(s);
        TOCCATA_VERIFY_OK(pieces);
        QCOMPARE(pieces->size(), size_t(3));
        NoteSequence e2 = withSignatures({{0.0, 3, 4}}, {{0.0, 60.0}});
        addTrack(e2, 0, {{40, 45, 0.50, 1.50}, {55, 120, 2.0, 2.01}});
        addChords(e2, {{"C", 0.0}, {"G7", 1.0}});
        NoteSequence e3 = withSignatures({{0.0, 3, 4}}, {{0.0, 80.0}});
        addTrack(e3, 0, {{52, 99, 0.5, 0.75}});
        addChords(e3, {{"G7", 0.0}, {"F", 0.55}});
        TOCCATA_COMPARE_SEQUENCES((*pieces)[1], e2);
        TOCCATA_COMPARE_SEQUENCES((*pieces)[2], e3);

        // Skipping splits inside notes (Magenta's ...MultipleTimeChangesSkipSplitsInsideNotes).
        NoteSequence shortFirst = s;
        shortFirst.notes[0].endTime = 3.0;
        shortFirst.recomputeTotalTime();
        auto skipped = splitOnTimeChanges(shortFirst, true);
        TOCCATA_VERIFY_OK(skipped);
        QCOMPARE(skipped->size(), size_t(2));
        QCOMPARE((*skipped)[0].timeSignatures,
                 (std::vector<TimeSignature>{{0.0, 4, 4}, {2.0, 3, 4}}));
        QCOMPARE((*skipped)[0].totalTime, 4.01);
        QCOMPARE((*skipped)[1].tempos, (std::vector<Tempo>{{0.0, 80.0}}));
    }

    void splitEmptySequenceGivesNothing() {
        const NoteSequence empty = fixtureSequence(60.0);
        auto pieces = splitOnTimeChanges(empty);
        TOCCATA_VERIFY_OK(pieces);
        QVERIFY(pieces->empty());
        auto timed = splitAtTimes(empty, {});
        TOCCATA_VERIFY_OK(timed);
        QVERIFY(timed->empty());
    }
};

QTEST_APPLESS_MAIN(TestSequenceSplitting)
#include "TestSequenceSplitting.moc"
