// Transposition, stretching, shifting, trimming, concatenation, instrument merging and drum
// extraction (SequenceOps.h), checked against Magenta's sequences_lib test cases.
#include <QtTest>

#include <cmath>
#include <limits>

#include "OpsTestSupport.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"

using namespace toccata::core;
using toccata::test::addChords;
using toccata::test::addControlChanges;
using toccata::test::addTrack;
using toccata::test::fixtureSequence;
using toccata::test::standardTrack;

namespace {

std::vector<int> pitches(const NoteSequence& s) {
    std::vector<int> out;
    for (const Note& n : s.notes) out.push_back(n.pitch);
    return out;
}

}  // namespace

class TestSequenceOps : public QObject {
    Q_OBJECT

private slots:
    void transposeUpOneSemitone() {  // Magenta's testTransposeNoteSequence (without chords)
        NoteSequence s = standardTrack();
        s.keySignatures.push_back({0.0, 4, KeySignature::kMajor});  // E
        auto t = transpose(s, 1);
        TOCCATA_VERIFY_OK(t);
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0,
                 {{13, 100, 0.01, 10.0},
                  {12, 55, 0.22, 0.50},
                  {41, 45, 2.50, 3.50},
                  {56, 120, 4.0, 4.01},
                  {53, 99, 4.75, 5.0}});
        expected.keySignatures.push_back({0.0, 5, KeySignature::kMajor});  // F
        TOCCATA_COMPARE_SEQUENCES(t->sequence, expected);
        QCOMPARE(t->deletedNotes, 0);
    }

    void transposeOutOfRange_data() {
        QTest::addColumn<int>("amount");
        QTest::addColumn<std::vector<int>>("expectedPitches");
        QTest::addColumn<double>("expectedTotalTime");
        // Magenta's testTransposeNoteSequenceOutOfRange: range [30, 40].
        QTest::newRow("+4") << 4 << std::vector<int>{39, 40} << 10.0;
        QTest::newRow("-8") << -8 << std::vector<int>{30, 31} << 5.0;
    }
    void transposeOutOfRange() {
        QFETCH(int, amount);
        QFETCH(std::vector<int>, expectedPitches);
        QFETCH(double, expectedTotalTime);
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0,
                 {{35, 100, 0.01, 10.0},
                  {36, 55, 0.22, 0.50},
                  {37, 45, 2.50, 3.50},
                  {38, 120, 4.0, 4.01},
                  {39, 99, 4.75, 5.0}});
        auto t = transpose(s, amount, 30, 40);
        TOCCATA_VERIFY_OK(t);
        QCOMPARE(pitches(t->sequence), expectedPitches);
        QCOMPARE(t->deletedNotes, 3);
        QCOMPARE(t->sequence.totalTime, expectedTotalTime);
    }

    void transposeByHugeAmounts() {
        NoteSequence s = standardTrack();
        addTrack(s, 9, {{36, 100, 0.0, 0.1}}, true);
        for (int amount : {std::numeric_limits<int>::max(), std::numeric_limits<int>::min()}) {
            auto t = transpose(s, amount);
            TOCCATA_VERIFY_OK(t);
            QCOMPARE(t->deletedNotes, 5);
            QCOMPARE(pitches(t->sequence), (std::vector<int>{36}));
        }
    }

    void transposeLeavesDrumsAlone() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.0, 1.0}});
        addTrack(s, 9, {{36, 100, 0.0, 0.1}, {127, 100, 2.0, 2.1}}, true);
        auto t = transpose(s, 5);
        TOCCATA_VERIFY_OK(t);
        QCOMPARE(pitches(t->sequence), (std::vector<int>{65, 36, 127}));
        QCOMPARE(t->deletedNotes, 0);
        QCOMPARE(t->sequence.totalTime, 2.1);
    }

    void transposeKeyWrapsDownwards() {
        NoteSequence s = fixtureSequence(60.0);
        s.keySignatures.push_back({0.0, 2, KeySignature::kMinor});
        auto t = transpose(s, -5);
        TOCCATA_VERIFY_OK(t);
        QCOMPARE(t->sequence.keySignatures[0].key, 9);
        QCOMPARE(t->sequence.keySignatures[0].mode, int(KeySignature::kMinor));
    }

    void transposeRejectsBadRange_data() {
        QTest::addColumn<int>("minPitch");
        QTest::addColumn<int>("maxPitch");
        QTest::newRow("min > max") << 60 << 50;
        QTest::newRow("min < 0") << -1 << 50;
        QTest::newRow("max > 127") << 0 << 128;
    }
    void transposeRejectsBadRange() {
        QFETCH(int, minPitch);
        QFETCH(int, maxPitch);
        auto t = transpose(standardTrack(), 1, minPitch, maxPitch);
        QVERIFY(!t.ok());
        QVERIFY2(t.errorMessage().find("[" + std::to_string(minPitch) + ", " +
                                       std::to_string(maxPitch) + "]") != std::string::npos,
                 t.errorMessage().c_str());
    }

    void transpositionPipelineSkipsWholeSequences() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.0, 1.0}, {120, 100, 1.0, 2.0}});
        addTrack(s, 9, {{126, 100, 0.0, 0.5}}, true);  // drums never count
        auto batch = transpositionPipeline(s, {-4, 0, 5, 8});
        TOCCATA_VERIFY_OK(batch);
        QCOMPARE(batch->transpositionsGenerated, int64_t(3));
        QCOMPARE(batch->skippedDueToRangeExceeded, int64_t(1));  // +8 takes 120 to 128
        QCOMPARE(batch->sequences.size(), size_t(3));
        QCOMPARE(pitches(batch->sequences[0]), (std::vector<int>{56, 116, 126}));
        QCOMPARE(pitches(batch->sequences[2]), (std::vector<int>{65, 125, 126}));

        // Amount 0 still checks the range: out-of-range input is skipped too.
        auto narrow = transpositionPipeline(s, {0}, 0, 100);
        TOCCATA_VERIFY_OK(narrow);
        QCOMPARE(narrow->transpositionsGenerated, int64_t(0));
        QCOMPARE(narrow->skippedDueToRangeExceeded, int64_t(1));
    }

    void stretchScalesEverything() {  // Magenta's testStretchNoteSequence
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 0.0, 10.0}, {11, 55, 0.2, 0.5}, {40, 45, 2.5, 3.5}});
        addChords(s, {{"B7", 0.5}, {"Em9", 2.0}});
        addControlChanges(s, 0, {{1.0, 64, 127}});
        s.pitchBends.push_back(PitchBend{2.0, 0, 10});
        s.keySignatures.push_back({1.0, 3, 0});
        s.timeSignatures.push_back({4.0, 3, 4});
        const NoteSequence before = s;
        auto stretched = stretch(s, 1.5);
        TOCCATA_VERIFY_OK(stretched);

        NoteSequence expected = fixtureSequence(40.0);
        addTrack(expected, 0, {{12, 100, 0.0, 15.0}, {11, 55, 0.3, 0.75}, {40, 45, 3.75, 5.25}});
        addChords(expected, {{"B7", 0.75}, {"Em9", 3.0}});
        addControlChanges(expected, 0, {{1.5, 64, 127}});
        expected.pitchBends.push_back(PitchBend{3.0, 0, 10});
        expected.keySignatures.push_back({1.5, 3, 0});
        expected.timeSignatures.push_back({6.0, 3, 4});
        TOCCATA_COMPARE_SEQUENCES(*stretched, expected);
        QVERIFY(s == before);  // the input is a value: untouched
    }

    void stretchRejectsBadFactors_data() {
        QTest::addColumn<double>("factor");
        QTest::newRow("zero") << 0.0;
        QTest::newRow("negative") << -2.0;
        QTest::newRow("infinite") << std::numeric_limits<double>::infinity();
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
    }
    void stretchRejectsBadFactors() {
        QFETCH(double, factor);
        auto stretched = stretch(standardTrack(), factor);
        QVERIFY(!stretched.ok());
        QVERIFY2(stretched.errorMessage().find("factor must be a positive, finite number") !=
                     std::string::npos,
                 stretched.errorMessage().c_str());
    }

    void stretchRefusesQuantized() {
        auto q = quantizeNoteSequence(standardTrack(), 4);
        TOCCATA_VERIFY_OK(q);
        auto stretched = stretch(*q, 2.0);
        QVERIFY(!stretched.ok());
        QVERIFY(stretched.errorMessage().find("quantized") != std::string::npos);
    }

    void shiftSequenceTimesMovesEverything() {  // Magenta's testShiftSequenceTimes
        NoteSequence s = standardTrack();
        addChords(s, {{"C", 1.5}, {"G7", 3.0}, {"F", 4.8}});
        addControlChanges(s, 0, {{0.0, 64, 127}, {2.0, 64, 0}});
        s.pitchBends.push_back(PitchBend{2.0, 0, 100, 1});
        auto shifted = shiftSequenceTimes(s, 1.0);
        TOCCATA_VERIFY_OK(shifted);

        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0,
                 {{12, 100, 1.01, 11.0},
                  {11, 55, 1.22, 1.50},
                  {40, 45, 3.50, 4.50},
                  {55, 120, 5.0, 5.01},
                  {52, 99, 5.75, 6.0}});
        addChords(expected, {{"C", 2.5}, {"G7", 4.0}, {"F", 5.8}});
        addControlChanges(expected, 0, {{1.0, 64, 127}, {3.0, 64, 0}});
        expected.pitchBends.push_back(PitchBend{3.0, 0, 100, 1});
        expected.timeSignatures[0].time = 1.0;
        expected.tempos[0].time = 1.0;
        TOCCATA_COMPARE_SEQUENCES(*shifted, expected);

        QVERIFY(!shiftSequenceTimes(s, 0.0).ok());
        QVERIFY(!shiftSequenceTimes(s, -1.0).ok());
    }

    void trimKeepsNotesStartingInRange() {  // Magenta's testTrimNoteSequence
        auto trimmed = trimNoteSequence(standardTrack(), 2.5, 4.75);
        TOCCATA_VERIFY_OK(trimmed);
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0, {{40, 45, 2.50, 3.50}, {55, 120, 4.0, 4.01}});
        expected.totalTime = 4.75;
        TOCCATA_COMPARE_SEQUENCES(*trimmed, expected);
    }

    void trimClipsNoteEnds() {
        auto trimmed = trimNoteSequence(standardTrack(), 0.0, 3.0);
        TOCCATA_VERIFY_OK(trimmed);
        QCOMPARE(pitches(*trimmed), (std::vector<int>{12, 11, 40}));
        QCOMPARE(trimmed->notes[0].endTime, 3.0);
        QCOMPARE(trimmed->notes[2].endTime, 3.0);
        QCOMPARE(trimmed->totalTime, 3.0);
        QVERIFY(!trimNoteSequence(standardTrack(), 3.0, 2.0).ok());
    }

    void removeRedundantData() {
        NoteSequence s = fixtureSequence(60.0);
        s.tempos.push_back({5.0, 60.0});          // redundant
        s.tempos.push_back({3.0, 50.0});          // meaningful, out of order
        s.timeSignatures.push_back({2.0, 4, 4});  // redundant
        s.keySignatures = {{0.0, 2, 0}, {1.0, 2, 0}, {2.0, 2, 1}};
        const NoteSequence fixed = toccata::core::removeRedundantData(s);
        QCOMPARE(fixed.tempos, (std::vector<Tempo>{{0.0, 60.0}, {3.0, 50.0}, {5.0, 60.0}}));
        QCOMPARE(fixed.timeSignatures, (std::vector<TimeSignature>{{0.0, 4, 4}}));
        QCOMPARE(fixed.keySignatures, (std::vector<KeySignature>{{0.0, 2, 0}, {2.0, 2, 1}}));
    }

    void concatenateUsesTotalTimes() {  // Magenta's testConcatenateSequences
        NoteSequence a = fixtureSequence(60.0);
        addTrack(a, 0, {{60, 100, 0.0, 1.0}, {72, 100, 0.5, 1.5}});
        NoteSequence b = fixtureSequence(60.0);
        addTrack(b, 0, {{59, 100, 0.0, 1.0}, {71, 100, 0.5, 1.5}});
        auto cat = concatenate({a, b});
        TOCCATA_VERIFY_OK(cat);
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(
            expected, 0,
            {{60, 100, 0.0, 1.0}, {72, 100, 0.5, 1.5}, {59, 100, 1.5, 2.5}, {71, 100, 2.0, 3.0}});
        TOCCATA_COMPARE_SEQUENCES(*cat, expected);  // the repeated tempo/4-4 are dropped
    }

    void concatenateWithExplicitDurations() {  // Magenta's ...WithSpecifiedDurations
        NoteSequence a = fixtureSequence(60.0);
        addTrack(a, 0, {{60, 100, 0.0, 1.0}, {72, 100, 0.5, 1.5}});
        NoteSequence b = fixtureSequence(60.0);
        addTrack(b, 0, {{59, 100, 0.0, 1.0}});
        NoteSequence c = fixtureSequence(60.0);
        addTrack(c, 0, {{72, 100, 0.0, 1.0}, {73, 100, 0.5, 1.5}});
        auto cat = concatenate({a, b, c}, {2.0, 1.5, 2.0});
        TOCCATA_VERIFY_OK(cat);
        NoteSequence expected = fixtureSequence(60.0);
        addTrack(expected, 0,
                 {{60, 100, 0.0, 1.0},
                  {72, 100, 0.5, 1.5},
                  {59, 100, 2.0, 3.0},
                  {72, 100, 3.5, 4.5},
                  {73, 100, 4.0, 5.0}});
        TOCCATA_COMPARE_SEQUENCES(*cat, expected);
    }

    void concatenateBookTwoBarExample() {
        // The book: a 2-bar (32-step) part at 120 QPM whose last note ends at step 31 has
        // totalTime 3.875 s, so default concatenation would start the next part early;
        // explicit 4 s durations put it on the bar line at 4 s.
        NoteSequence part = fixtureSequence(120.0);
        addTrack(part, 0, {{60, 100, 0.0, 0.5}, {64, 100, 30 * 0.125, 31 * 0.125}});
        QCOMPARE(part.totalTime, 3.875);

        auto byTotalTime = concatenate({part, part});
        TOCCATA_VERIFY_OK(byTotalTime);
        QCOMPARE(byTotalTime->notes[2].startTime, 3.875);

        auto byDurations = concatenate({part, part, part}, {4.0, 4.0, 4.0});
        TOCCATA_VERIFY_OK(byDurations);
        QCOMPARE(byDurations->notes.size(), size_t(6));
        QCOMPARE(byDurations->notes[2].startTime, 4.0);
        QCOMPARE(byDurations->notes[4].startTime, 8.0);
        QCOMPARE(byDurations->totalTime, 8.0 + 3.875);
        QCOMPARE(byDurations->tempos, (std::vector<Tempo>{{0.0, 120.0}}));

        // Quantized at 4 steps per quarter, the second part starts at step 32.
        auto q = quantizeNoteSequence(*byDurations, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(q->notes[2].quantizedStartStep, int64_t(32));
    }

    void concatenateErrors() {
        NoteSequence a = fixtureSequence(60.0);
        addTrack(a, 0, {{60, 100, 0.0, 2.0}});
        auto mismatch = concatenate({a, a}, {2.0});
        QVERIFY(!mismatch.ok());
        QVERIFY2(
            mismatch.errorMessage().find("1 durations given for 2 sequences") != std::string::npos,
            mismatch.errorMessage().c_str());
        auto tooShort = concatenate({a, a}, {2.0, 1.5});
        QVERIFY(!tooShort.ok());
        QVERIFY2(tooShort.errorMessage().find("part #1 (1.5 s)") != std::string::npos,
                 tooShort.errorMessage().c_str());
        auto q = quantizeNoteSequence(a, 4);
        TOCCATA_VERIFY_OK(q);
        QVERIFY(!concatenate({a, *q}).ok());
    }

    void concatenateKeepsRealTempoChanges() {
        NoteSequence a = fixtureSequence(60.0);
        addTrack(a, 0, {{60, 100, 0.0, 1.0}});
        NoteSequence b = fixtureSequence(90.0);
        addTrack(b, 1, {{62, 100, 0.0, 1.0}});
        b.instrumentInfos.push_back({1, "lead"});
        auto cat = concatenate({a, b, a});
        TOCCATA_VERIFY_OK(cat);
        QCOMPARE(cat->tempos, (std::vector<Tempo>{{0.0, 60.0}, {1.0, 90.0}, {2.0, 60.0}}));
        QCOMPARE(cat->totalTime, 3.0);
        QCOMPARE(cat->instrumentInfos.size(), size_t(1));
    }

    void mergeInstrumentsOntoOne() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 2, {{60, 100, 1.0, 2.0}}, false, 40);
        addTrack(s, 1, {{64, 100, 0.5, 1.5}}, false, 0);
        addTrack(s, 9, {{36, 100, 0.0, 0.1}}, true);
        addControlChanges(s, 2, {{0.5, 64, 127}});
        s.instrumentInfos = {{1, "piano", 0, 1}, {2, "violin", 1, 2}, {9, "drums", 9, 3}};
        auto merged = mergeInstruments(s);
        TOCCATA_VERIFY_OK(merged);
        for (const Note& n : merged->notes) {
            if (n.isDrum) {
                QCOMPARE(n.instrument, 9);
            } else {
                QCOMPARE(n.instrument, 0);
                QCOMPARE(n.program, 0);  // program of the earliest merged note (pitch 64)
            }
        }
        QCOMPARE(merged->controlChanges[0].instrument, 0);
        QCOMPARE(merged->instrumentInfos.size(), size_t(2));
        QCOMPARE(merged->instrumentInfos[0].instrument, 0);
        QCOMPARE(merged->instrumentInfos[0].name, std::string("piano"));
        QCOMPARE(merged->instrumentInfos[1].name, std::string("drums"));

        MergeInstrumentsOptions all;
        all.targetInstrument = 3;
        all.program = 24;
        all.includeDrums = true;
        auto everything = mergeInstruments(s, all);
        TOCCATA_VERIFY_OK(everything);
        for (const Note& n : everything->notes) {
            QCOMPARE(n.instrument, 3);
            QCOMPARE(n.program, 24);
        }
        QCOMPARE(everything->instrumentInfos.size(), size_t(1));

        all.program = 128;
        QVERIFY(!mergeInstruments(s, all).ok());
        all.program = 1;
        all.targetInstrument = -1;
        QVERIFY(!mergeInstruments(s, all).ok());
    }

    void extractDrumsMergesDrumInstruments() {
        NoteSequence s = fixtureSequence(100.0);
        s.timeSignatures.push_back({4.8, 3, 4});
        addTrack(s, 0, {{60, 100, 0.0, 8.0}}, false, 5);
        addTrack(s, 9, {{36, 100, 0.0, 0.1}, {38, 90, 0.6, 0.7}}, true, 0);
        addTrack(s, 10, {{42, 80, 0.3, 0.4}}, true, 25);
        addControlChanges(s, 0, {{0.0, 7, 100}});
        addControlChanges(s, 10, {{0.0, 7, 90}}, true);
        s.instrumentInfos = {{0, "bass", 0, 1}, {9, "kit", 9, 2}, {10, "hats", 9, 3}};
        auto drums = extractDrums(s);
        TOCCATA_VERIFY_OK(drums);
        QCOMPARE(pitches(*drums), (std::vector<int>{36, 38, 42}));
        for (const Note& n : drums->notes) {
            QCOMPARE(n.instrument, 9);
            QCOMPARE(n.program, 0);
            QVERIFY(n.isDrum);
        }
        QCOMPARE(drums->controlChanges.size(), size_t(1));
        QCOMPARE(drums->controlChanges[0].instrument, 9);
        QCOMPARE(drums->totalTime, 0.7);
        QCOMPARE(drums->tempos, s.tempos);                  // tempo map kept
        QCOMPARE(drums->timeSignatures, s.timeSignatures);  // and time signatures
        QCOMPARE(drums->instrumentInfos.size(), size_t(1));
        QCOMPARE(drums->instrumentInfos[0].name, std::string("kit"));

        NoteSequence noDrums = fixtureSequence(60.0);
        addTrack(noDrums, 0, {{60, 100, 0.0, 1.0}});
        auto none = extractDrums(noDrums);
        QVERIFY(!none.ok());
        QVERIFY(none.errorMessage().find("no drum notes") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSequenceOps)
#include "TestSequenceOps.moc"
