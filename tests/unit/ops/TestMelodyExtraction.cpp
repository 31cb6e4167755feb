// Melody and extractMelodies, with the cases of Magenta's melodies_lib and melody_pipelines
// tests.
#include <QtTest>

#include <algorithm>

#include "OpsTestSupport.h"
#include "core/ops/MelodyExtraction.h"
#include "core/ops/Quantization.h"

using namespace toccata::core;
using toccata::test::addTrack;
using toccata::test::fixtureSequence;

namespace {

constexpr int kOff = kMelodyNoteOff;
constexpr int kNo = kMelodyNoEvent;
using Events = std::vector<int>;

NoteSequence quantized(const NoteSequence& s, int stepsPerQuarter) {
    auto q = quantizeNoteSequence(s, stepsPerQuarter);
    if (!q) qFatal("quantization failed: %s", q.errorMessage().c_str());
    return *q;
}

std::vector<Events> sortedEvents(const std::vector<Melody>& melodies) {
    std::vector<Events> out;
    for (const Melody& m : melodies) out.push_back(m.events());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<Events> eventsInOrder(const std::vector<Melody>& melodies) {
    std::vector<Events> out;
    for (const Melody& m : melodies) out.push_back(m.events());
    return out;
}

MelodyExtractorOptions options(int minBars, double gapBars, int minUniquePitches,
                               bool ignorePolyphonicNotes = true, bool padEnd = false) {
    MelodyExtractorOptions o;
    o.minBars = minBars;
    o.gapBars = gapBars;
    o.minUniquePitches = minUniquePitches;
    o.ignorePolyphonicNotes = ignorePolyphonicNotes;
    o.padEnd = padEnd;
    return o;
}

}  // namespace

class TestMelodyExtraction : public QObject {
    Q_OBJECT

private slots:
    void fromEventsAndHistogram() {  // Magenta's testGetNoteHistogram
        auto m = Melody::fromEvents(
            {kNo, kOff, 12 * 2 + 1, 12 * 3, 12 * 5 + 11, 12 * 6 + 3, 12 * 4 + 11});
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->noteHistogram(), (std::array<int, 12>{1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}));
        QCOMPARE(m->uniquePitchClasses(), 4);
        QCOMPARE(m->events()[1], kNo);  // a note-off before the first note is "no event"
        QCOMPARE(Melody().noteHistogram(), (std::array<int, 12>{}));
        auto bad = Melody::fromEvents({60, 128});
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorMessage().find("event #1 (128)") != std::string::npos);
        QVERIFY(!Melody::fromEvents({-3}).ok());
    }

    void setLength() {  // Magenta's testSetLength (right side)
        auto m = Melody::fromEvents({60}, 9);
        TOCCATA_VERIFY_OK(m);
        m->setLength(5);
        QCOMPARE(m->events(), (Events{60, kOff, kNo, kNo, kNo}));
        QCOMPARE(m->startStep(), int64_t(9));
        QCOMPARE(m->endStep(), int64_t(14));
        auto t = Melody::fromEvents({60, kNo, kNo, kOff});
        TOCCATA_VERIFY_OK(t);
        t->setLength(3);
        QCOMPARE(t->events(), (Events{60, kNo, kNo}));
        QCOMPARE(t->endStep(), int64_t(3));
    }

    void toSequence() {  // Magenta's testToSequenceSimple / ...EndsWithSustainedNote
        auto m = Melody::fromEvents({kNo, 1, kNo, kOff, kNo, 2, 3, kOff, kNo});
        TOCCATA_VERIFY_OK(m);
        auto s = m->toSequence(10, 1, 0, 2.0, 60.0);
        TOCCATA_VERIFY_OK(s);
        NoteSequence expected;
        expected.tempos = {{0.0, 60.0}};
        addTrack(expected, 1, {{1, 10, 2.25, 2.75}, {2, 10, 3.25, 3.5}, {3, 10, 3.5, 3.75}});
        TOCCATA_COMPARE_SEQUENCES(*s, expected);
        QCOMPARE(s->ticksPerQuarter, 220);

        auto held = Melody::fromEvents({kNo, 1, kNo, kOff, kNo, 2, 3, kNo, kNo});
        TOCCATA_VERIFY_OK(held);
        auto hs = held->toSequence(100, 0, 0, 0.0, 60.0);
        TOCCATA_VERIFY_OK(hs);
        QCOMPARE(hs->notes.back().endTime, 2.25);  // the end of the melody ends the note
        QCOMPARE(hs->totalTime, 2.25);

        QVERIFY(!m->toSequence(0).ok());
        QVERIFY(!m->toSequence(100, 0, 128).ok());
        QVERIFY(!m->toSequence(100, 0, 0, 0.0, 0.0).ok());
    }

    void fromQuantizedSequence() {  // Magenta's testFromQuantizedNoteSequence
        NoteSequence s = toccata::test::standardTrack();
        auto m = Melody::fromQuantizedSequence(quantized(s, 4), 0, 0);
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->events(), (Events{12, 11,  kOff, kNo, kNo,  kNo, kNo, kNo,  kNo, kNo,
                                      40, kNo, kNo,  kNo, kOff, kNo, 55,  kOff, kNo, 52}));
        QCOMPARE(m->stepsPerBar(), 16);
        QCOMPARE(m->stepsPerQuarter(), 4);

        s.timeSignatures[0] = {0.0, 7, 8};  // ...NotCommonTimeSig
        auto odd = Melody::fromQuantizedSequence(quantized(s, 4), 0, 0);
        TOCCATA_VERIFY_OK(odd);
        QCOMPARE(odd->events(), m->events());
        QCOMPARE(odd->stepsPerBar(), 14);
    }

    void polyphonyFailsOrKeepsHighest() {  // ...FromNotesPolyphonic / WithIgnorePolyphonicNotes
        NoteSequence chord = fixtureSequence(60.0);
        addTrack(chord, 0, {{12, 100, 0.0, 10.0}, {11, 55, 0.0, 0.50}});
        auto fails = Melody::fromQuantizedSequence(quantized(chord, 4), 0, 0, 1.0, false);
        QVERIFY(!fails.ok());
        QVERIFY2(fails.errorMessage().find("polyphonic") != std::string::npos,
                 fails.errorMessage().c_str());

        NoteSequence s = fixtureSequence(60.0);
        addTrack(
            s, 0,
            {{12, 100, 0.0, 2.0}, {19, 100, 0.0, 3.0}, {12, 100, 1.0, 3.0}, {19, 100, 1.0, 4.0}});
        auto highest = Melody::fromQuantizedSequence(quantized(s, 4), 0, 0, 1.0, true);
        TOCCATA_VERIFY_OK(highest);
        Events expected{19, kNo, kNo, kNo, 19};
        expected.insert(expected.end(), 11, kNo);
        QCOMPARE(highest->events(), expected);
    }

    void leadingEmptyBarsAreTrimmed() {  // Magenta's testFromNotesTrimEmptyMeasures
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 1.5, 1.75}, {11, 100, 2, 2.25}});
        auto m = Melody::fromQuantizedSequence(quantized(s, 4), 0, 0, 1.0, false);
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->events(), (Events{kNo, kNo, kNo, kNo, kNo, kNo, 12, kOff, 11}));
        QCOMPARE(m->startStep(), int64_t(0));
    }

    void overlappingNotesAreCut() {  // Magenta's testFromNotesTimeOverlap
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 1, 2}, {11, 100, 3.25, 3.75}, {13, 100, 2, 4}});
        auto m = Melody::fromQuantizedSequence(quantized(s, 4), 0, 0, 1.0, false);
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->events(),
                 (Events{kNo, kNo, kNo, kNo, 12, kNo, kNo, kNo, 13, kNo, kNo, kNo, kNo, 11, kNo}));
    }

    void searchStartAndBarAlignment() {  // Magenta's testFromNotesStartAndEndStep
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0,
                 {{12, 100, 1, 2},
                  {11, 100, 2.25, 2.5},
                  {13, 100, 3.25, 3.75},
                  {14, 100, 8.75, 9},
                  {15, 100, 9.25, 10.75}});
        auto m = Melody::fromQuantizedSequence(quantized(s, 4), 18, 0, 1.0, false);
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->events(), (Events{kNo, 14, kOff, 15, kNo, kNo, kNo, kNo, kNo}));
        QCOMPARE(m->startStep(), int64_t(34));  // bar line counted from step 18
        QCOMPARE(m->endStep(), int64_t(43));
    }

    void gapEndsTheMelody() {
        NoteSequence s = fixtureSequence(60.0);  // spq 1: 4 steps per bar
        addTrack(s, 0, {{60, 100, 0, 1}, {62, 100, 4, 5}, {64, 100, 9, 10}});
        const NoteSequence q = quantized(s, 1);
        auto m = Melody::fromQuantizedSequence(q, 0, 0, 1.0);
        TOCCATA_VERIFY_OK(m);
        // 62 starts 3 steps after the note-off (less than a bar); 64 starts 4 after: a gap.
        QCOMPARE(m->events(), (Events{60, kOff, kNo, kNo, 62}));
        auto wide = Melody::fromQuantizedSequence(q, 0, 0, 2.0);
        TOCCATA_VERIFY_OK(wide);
        QCOMPARE(wide->size(), int64_t(10));
        auto padded = Melody::fromQuantizedSequence(q, 0, 0, 1.0, false, true);
        TOCCATA_VERIFY_OK(padded);
        QCOMPARE(padded->events(), (Events{60, kOff, kNo, kNo, 62, kOff, kNo, kNo}));
    }

    void drumsAndSilentNotesAreSkipped() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0, 1}, {62, 0, 1, 2}, {64, 100, 2, 3}});
        addTrack(s, 0, {{36, 100, 1, 2}}, true);
        const NoteSequence q = quantized(s, 1);
        auto m = Melody::fromQuantizedSequence(q, 0, 0);
        TOCCATA_VERIFY_OK(m);
        QCOMPARE(m->events(), (Events{60, kOff, 64}));
        auto withDrums = Melody::fromQuantizedSequence(q, 0, 0, 1.0, false, false, false);
        TOCCATA_VERIFY_OK(withDrums);
        QCOMPARE(withDrums->events(), (Events{60, 36, 64}));
    }

    void fromQuantizedSequenceErrors() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0, 1}});
        QVERIFY(!Melody::fromQuantizedSequence(s).ok());  // not quantized
        s.timeSignatures[0] = {0.0, 7, 8};
        auto nonInteger = Melody::fromQuantizedSequence(quantized(s, 1));
        QVERIFY(!nonInteger.ok());
        QVERIFY(nonInteger.errorMessage().find("3.5 steps per bar") != std::string::npos);
        s.timeSignatures[0] = {0.0, 4, 4};
        QVERIFY(!Melody::fromQuantizedSequence(quantized(s, 1), -1).ok());
        NoteSequence huge = quantized(s, 1);  // a hand-made step that would not fit in memory
        huge.notes[0].quantizedEndStep = int64_t{1} << 40;
        auto tooLong = Melody::fromQuantizedSequence(huge);
        QVERIFY(!tooLong.ok());
        QVERIFY2(tooLong.errorMessage().find("longest melody") != std::string::npos,
                 tooLong.errorMessage().c_str());
        NoteSequence backwards = quantized(s, 1);
        backwards.notes[0].quantizedEndStep = backwards.notes[0].quantizedStartStep;
        auto bad = Melody::fromQuantizedSequence(backwards);
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorMessage().find("does not end after it") != std::string::npos);
        QVERIFY(!extractMelodies(backwards).ok());
        QVERIFY(!Melody::fromQuantizedSequence(quantized(s, 1), 0, 0, 0.0).ok());
    }

    void melodyExtractorStage() {  // Magenta's testMelodyExtractor
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 2, 4}, {11, 1, 6, 7}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 8}});
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 1, false));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(result->melodies.size(), size_t(2));
        auto first = Melody::fromEvents({kNo, kNo, 12, kNo, kOff, kNo, 11}, 0, 4, 1);
        auto second = Melody::fromEvents({kNo, kNo, 12, kNo, kOff, kNo, 14, kNo}, 0, 4, 1);
        QVERIFY(result->melodies[0] == *first);
        QVERIFY(result->melodies[1] == *second);
    }

    void extractSimpleWithDrumsFiltered() {  // Magenta's testExtractMelodiesSimple
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 2, 4}, {11, 1, 6, 7}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 9}});
        addTrack(s, 9, {{13, 100, 2, 4}, {15, 25, 6, 8}}, true);
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 2));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(sortedEvents(result->melodies),
                 (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, kNo, 11},
                                      {kNo, kNo, 12, kNo, kOff, kNo, 14, kNo, kNo}}));
    }

    void extractSeveralMelodiesFromOneTrack() {  // Magenta's ...MultipleMelodiesFromSameTrack
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 2, 4}, {11, 1, 6, 11}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 8}, {50, 100, 33, 37}, {52, 100, 34, 37}});
        auto result = extractMelodies(quantized(s, 1), options(1, 2.0, 2));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(sortedEvents(result->melodies),
                 (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, kNo, 11, kNo, kNo, kNo, kNo},
                                      {kNo, kNo, 12, kNo, kOff, kNo, 14, kNo},
                                      {kNo, 50, 52, kNo, kNo}}));
        // The second melody of instrument 1 starts on the bar line at step 32.
        QCOMPARE(result->melodies[2].startStep(), int64_t(32));
    }

    void nextSearchStartsOnTheNextBarLine() {
        // The first melody ends at step 6, mid-bar (4 steps per bar); the search for the next
        // one resumes at the bar line at step 8, so that melody starts at bar line 16.
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 2, 4}, {14, 100, 5, 6}, {50, 100, 17, 18}, {52, 100, 18, 19}});
        auto result = extractMelodies(quantized(s, 1), options(0, 1.0, 0));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(eventsInOrder(result->melodies),
                 (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, 14}, {kNo, 50, 52}}));
        QCOMPARE(result->melodies[0].endStep(), int64_t(6));
        QCOMPARE(result->melodies[1].startStep(), int64_t(16));
        QCOMPARE(result->melodies[1].endStep(), int64_t(19));
    }

    void extractTooShort() {  // Magenta's testExtractMelodiesMelodyTooShort
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 127, 2, 4}, {14, 50, 6, 7}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 8}});
        addTrack(s, 2, {{12, 127, 2, 4}, {14, 50, 6, 9}});
        auto result = extractMelodies(quantized(s, 1), options(2, 1.0, 2));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(eventsInOrder(result->melodies),
                 (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, kNo, 14, kNo},
                                      {kNo, kNo, 12, kNo, kOff, kNo, 14, kNo, kNo}}));
        QCOMPARE(result->statistics.counter("melodies_discarded_too_short"), int64_t(1));
    }

    void extractPadEnd() {  // Magenta's testExtractMelodiesPadEnd
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 127, 2, 4}, {14, 50, 6, 7}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 8}});
        addTrack(s, 2, {{12, 127, 2, 4}, {14, 50, 6, 9}});
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 2, true, true));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(
            eventsInOrder(result->melodies),
            (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, kNo, 14, kOff},
                                 {kNo, kNo, 12, kNo, kOff, kNo, 14, kNo},
                                 {kNo, kNo, 12, kNo, kOff, kNo, 14, kNo, kNo, kOff, kNo, kNo}}));
    }

    void extractTooLongTruncatesOrDiscards() {  // Magenta's ...MelodyTooLong(WithPad)
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 127, 2, 4}, {14, 50, 6, 15}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 6, 18}});
        MelodyExtractorOptions o = options(1, 1.0, 2);
        o.maxStepsTruncate = 14;
        o.maxStepsDiscard = 18;
        auto result = extractMelodies(quantized(s, 1), o);
        TOCCATA_VERIFY_OK(result);
        Events cut{kNo, kNo, 12, kNo, kOff, kNo, 14};
        cut.insert(cut.end(), 7, kNo);
        QCOMPARE(eventsInOrder(result->melodies), (std::vector<Events>{cut, cut}));
        QCOMPARE(result->statistics.counter("melodies_truncated"), int64_t(2));

        o.padEnd = true;  // padding makes the second one 20 steps: discarded
        auto padded = extractMelodies(quantized(s, 1), o);
        TOCCATA_VERIFY_OK(padded);
        QCOMPARE(
            eventsInOrder(padded->melodies),
            (std::vector<Events>{{kNo, kNo, 12, kNo, kOff, kNo, 14, kNo, kNo, kNo, kNo, kNo}}));
        QCOMPARE(padded->statistics.counter("melodies_discarded_too_long"), int64_t(1));
        QCOMPARE(padded->statistics.counter("melodies_truncated"), int64_t(1));
    }

    void extractTooFewPitches() {  // Magenta's testExtractMelodiesTooFewPitches
        NoteSequence s = fixtureSequence(60.0);
        addTrack(
            s, 0,
            {{12, 100, 0, 1}, {13, 100, 1, 2}, {18, 100, 2, 3}, {24, 100, 3, 4}, {25, 100, 4, 5}});
        addTrack(
            s, 1,
            {{12, 100, 0, 1}, {13, 100, 1, 2}, {18, 100, 2, 3}, {25, 100, 3, 4}, {26, 100, 4, 5}});
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 4));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(eventsInOrder(result->melodies), (std::vector<Events>{{12, 13, 18, 25, 26}}));
        QCOMPARE(result->statistics.counter("melodies_discarded_too_few_pitches"), int64_t(1));
    }

    void extractLateStart() {  // Magenta's testExtractMelodiesLateStart
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 102, 103}, {13, 100, 104, 106}});
        addTrack(s, 1, {{12, 100, 100, 101}, {13, 100, 102, 105}});
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 2));
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(sortedEvents(result->melodies),
                 (std::vector<Events>{{kNo, kNo, 12, kOff, 13, kNo}, {12, kOff, 13, kNo, kNo}}));
    }

    void extractStatisticsAndHistogram() {  // Magenta's testExtractMelodiesStatistics
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0,
                 {{12, 100, 2, 4},
                  {11, 1, 6, 7},
                  {10, 100, 8, 10},
                  {9, 100, 11, 14},
                  {8, 100, 16, 40},
                  {7, 100, 41, 42}});
        addTrack(s, 1, {{12, 127, 2, 4}, {14, 50, 2, 8}});
        addTrack(s, 2, {{12, 127, 0, 1}});
        addTrack(s, 3, {{12, 127, 2, 4}, {12, 50, 6, 8}});
        auto result = extractMelodies(quantized(s, 1), options(1, 1.0, 2, false));
        TOCCATA_VERIFY_OK(result);
        const PipelineStatistics& stats = result->statistics;
        QCOMPARE(stats.counter("polyphonic_tracks_discarded"), int64_t(1));
        QCOMPARE(stats.counter("melodies_discarded_too_short"), int64_t(1));
        QCOMPARE(stats.counter("melodies_discarded_too_few_pitches"), int64_t(1));
        QCOMPARE(stats.counter("melodies_discarded_too_long"), int64_t(0));
        QCOMPARE(stats.counter("melodies_truncated"), int64_t(0));
        const StatisticsHistogram* lengths = stats.histogram("melody_lengths_in_bars");
        QVERIFY(lengths != nullptr);
        // Buckets for min_bars = 1: {-inf, 0, 1, 2, 10, 20, 30, 40, 50, 100, 200, 500}.
        QCOMPARE(lengths->lowerBounds().size(), size_t(12));
        QCOMPARE(lengths->countAt(10), int64_t(1));  // the 42-step melody = 10 bars
        QCOMPARE(lengths->total(), int64_t(1));
        QCOMPARE(result->melodies.size(), size_t(1));
    }

    void polyphonicTrackKeptWhenIgnoring() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0, 1}, {64, 100, 0, 1}, {62, 100, 1, 2}});
        auto discard = extractMelodies(quantized(s, 1), options(0, 1.0, 0, false));
        TOCCATA_VERIFY_OK(discard);
        QVERIFY(discard->melodies.empty());
        QCOMPARE(discard->statistics.counter("polyphonic_tracks_discarded"), int64_t(1));
        auto keep = extractMelodies(quantized(s, 1), options(0, 1.0, 0, true));
        TOCCATA_VERIFY_OK(keep);
        QCOMPARE(eventsInOrder(keep->melodies), (std::vector<Events>{{64, 62}}));
    }

    void melodyRnnPipelineDefaults() {
        const MelodyExtractorOptions o = MelodyExtractorOptions::melodyRnnPipeline();
        QCOMPARE(o.minBars, 7);
        QVERIFY(o.maxStepsTruncate.has_value());
        QCOMPARE(*o.maxStepsTruncate, int64_t(512));
        QVERIFY(!o.maxStepsDiscard.has_value());
        QCOMPARE(o.minUniquePitches, 5);
        QCOMPARE(o.gapBars, 1.0);
        QVERIFY(!o.ignorePolyphonicNotes);  // erratum E5: polyphonic tracks are discarded
        const MelodyExtractorOptions plain;
        QVERIFY(plain.ignorePolyphonicNotes);  // extract_melodies' own default
        QCOMPARE(plain.minBars, 7);
    }

    void minBarsOfTheStockPipeline() {
        // 120 QPM, 4 steps per quarter: a bar is 16 steps, 7 bars = 112 steps. A note every
        // half second (4 steps), each 2 steps long, cycling through 5 pitch classes.
        NoteSequence s = fixtureSequence(120.0);
        const int cycle[5] = {60, 62, 64, 65, 67};
        for (int i = 0; i < 24; ++i) {  // ends at step 94: under 6 bars, too short
            addTrack(s, 0, {{cycle[i % 5], 100, 0.5 * i, 0.5 * i + 0.25}});
        }
        for (int i = 0; i < 32; ++i) {  // ends at step 126: 7 whole bars
            addTrack(s, 1, {{cycle[i % 5], 100, 0.5 * i, 0.5 * i + 0.25}});
        }
        auto result = extractMelodies(quantized(s, 4), MelodyExtractorOptions::melodyRnnPipeline());
        TOCCATA_VERIFY_OK(result);
        QCOMPARE(result->melodies.size(), size_t(1));
        QCOMPARE(result->melodies[0].size(), int64_t(126));
        QCOMPARE(result->statistics.counter("melodies_discarded_too_short"), int64_t(1));
        QCOMPARE(result->statistics.histogram("melody_lengths_in_bars")->countAt(7), int64_t(1));
    }

    void extractErrors() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0, 1}});
        auto notQuantized = extractMelodies(s);
        QVERIFY(!notQuantized.ok());
        QVERIFY(notQuantized.errorMessage().find("not quantized") != std::string::npos);
        MelodyExtractorOptions o;
        o.gapBars = -1.0;
        auto badGap = extractMelodies(quantized(s, 4), o);
        QVERIFY(!badGap.ok());
        QVERIFY(badGap.errorMessage().find("gapBars") != std::string::npos);
        o = {};
        o.maxStepsTruncate = 0;
        QVERIFY(!extractMelodies(quantized(s, 4), o).ok());
        s.timeSignatures[0] = {0.0, 7, 8};
        auto nonInteger = extractMelodies(quantized(s, 1));
        QVERIFY(!nonInteger.ok());
        QVERIFY(nonInteger.errorMessage().find("3.5 steps per bar") != std::string::npos);
        // No notes at all: nothing to extract and no error.
        NoteSequence empty = fixtureSequence(60.0);
        empty.timeSignatures[0] = {0.0, 7, 8};
        auto none = extractMelodies(quantized(empty, 1));
        TOCCATA_VERIFY_OK(none);
        QVERIFY(none->melodies.empty());
    }

    void roundTripThroughToSequence() {
        NoteSequence s = fixtureSequence(120.0);
        addTrack(s, 0, {{60, 80, 0.0, 0.5}, {62, 80, 0.5, 1.0}, {64, 80, 1.5, 2.0}});
        auto m = Melody::fromQuantizedSequence(quantized(s, 4));
        TOCCATA_VERIFY_OK(m);
        auto back = m->toSequence(100, 0, 0, 0.0, 120.0);
        TOCCATA_VERIFY_OK(back);
        NoteSequence expected;
        expected.tempos = {{0.0, 120.0}};
        addTrack(expected, 0, {{60, 100, 0.0, 0.5}, {62, 100, 0.5, 1.0}, {64, 100, 1.5, 2.0}});
        TOCCATA_COMPARE_SEQUENCES(*back, expected);
    }
};

QTEST_APPLESS_MAIN(TestMelodyExtraction)
#include "TestMelodyExtraction.moc"
