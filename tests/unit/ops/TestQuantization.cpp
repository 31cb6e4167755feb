// Quantization: Magenta's rounding, minimum length, time-change and negative-time errors.
#include <QtTest>

#include "OpsTestSupport.h"
#include "core/ops/Quantization.h"

using namespace toccata::core;
using toccata::test::addChords;
using toccata::test::addControlChanges;
using toccata::test::addTrack;
using toccata::test::fixtureSequence;
using toccata::test::standardTrack;

namespace {

std::vector<std::pair<int64_t, int64_t>> steps(const NoteSequence& s) {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (const Note& n : s.notes) out.emplace_back(n.quantizedStartStep, n.quantizedEndStep);
    return out;
}

using StepList = std::vector<std::pair<int64_t, int64_t>>;

}  // namespace

class TestQuantization : public QObject {
    Q_OBJECT

private slots:
    void secondsToStepRounding_data() {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("stepsPerSecond");
        QTest::addColumn<double>("cutoff");
        QTest::addColumn<qint64>("expected");
        // Magenta's testQuantizeToStep.
        QTest::newRow("8.0001 s") << 8.0001 << 4.0 << 0.5 << qint64(32);
        QTest::newRow("8.4999 s") << 8.4999 << 4.0 << 0.5 << qint64(34);
        QTest::newRow("8.4999 s, cutoff 1") << 8.4999 << 4.0 << 1.0 << qint64(33);
        // Exactly half a step rounds up; just below rounds down.
        QTest::newRow("half step") << 0.125 << 4.0 << 0.5 << qint64(1);
        QTest::newRow("just below half") << 0.1249 << 4.0 << 0.5 << qint64(0);
        QTest::newRow("1.5 steps") << 0.375 << 4.0 << 0.5 << qint64(2);
        // Python's int() truncates toward zero: slightly negative times reach step 0.
        QTest::newRow("-0.3 steps") << -0.075 << 4.0 << 0.5 << qint64(0);
        QTest::newRow("-0.8 steps") << -0.2 << 4.0 << 0.5 << qint64(0);
        QTest::newRow("-2 steps") << -0.5 << 4.0 << 0.5 << qint64(-1);
    }
    void secondsToStepRounding() {
        QFETCH(double, seconds);
        QFETCH(double, stepsPerSecond);
        QFETCH(double, cutoff);
        QFETCH(qint64, expected);
        QCOMPARE(secondsToStep(seconds, stepsPerSecond, cutoff), expected);
    }

    void timeArithmetic() {
        QCOMPARE(stepsPerQuarterToStepsPerSecond(4, 60.0), 4.0);
        QCOMPARE(stepsPerQuarterToStepsPerSecond(4, 120.0), 8.0);
        // The book's worked examples (ch. 2 "time arithmetic").
        QCOMPARE(secondsPerStep(4, 120.0), 0.125);
        QCOMPARE(secondsPerStep(4, 150.0), 0.1);
        QCOMPARE(secondsPerStep(4, 80.0), 0.1875);
        QCOMPARE(128 * secondsPerStep(4, 120.0), 16.0);
        QCOMPARE(stepToSeconds(32, 8.0), 4.0);
    }

    void quantizeStandardTrack() {
        NoteSequence s = standardTrack();
        addChords(s, {{"B7", 0.22}, {"Em9", 4.0}});
        addControlChanges(s, 0, {{2.0, 64, 127}, {4.0, 64, 0}});
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q), (StepList{{0, 40}, {1, 2}, {10, 14}, {16, 17}, {19, 20}}));
        QCOMPARE(q->textAnnotations[0].quantizedStep, int64_t(1));
        QCOMPARE(q->textAnnotations[1].quantizedStep, int64_t(16));
        QCOMPARE(q->controlChanges[0].quantizedStep, int64_t(8));
        QCOMPARE(q->controlChanges[1].quantizedStep, int64_t(16));
        QCOMPARE(q->quantizationInfo.stepsPerQuarter, 4);
        QCOMPARE(q->quantizationInfo.stepsPerSecond, 0);
        QCOMPARE(q->totalQuantizedSteps, int64_t(40));
        QVERIFY(q->isRelativeQuantized());
        // Times are untouched; only the step fields are added.
        QCOMPARE(q->notes[0].startTime, 0.01);
    }

    void quantizeAbsolute() {
        NoteSequence s = standardTrack();
        s.tempos = {{0.0, 90.0}, {1.0, 140.0}};  // ignored by absolute quantization
        s.timeSignatures = {{0.0, 3, 4}, {2.0, 5, 8}};
        addControlChanges(s, 0, {{2.0, 64, 127}});
        auto q = quantizeNoteSequenceAbsolute(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q), (StepList{{0, 40}, {1, 2}, {10, 14}, {16, 17}, {19, 20}}));
        QCOMPARE(q->controlChanges[0].quantizedStep, int64_t(8));
        QCOMPARE(q->quantizationInfo.stepsPerSecond, 4);
        QCOMPARE(q->quantizationInfo.stepsPerQuarter, 0);
        QVERIFY(q->isAbsoluteQuantized());
        QVERIFY(!q->isRelativeQuantized());
        QCOMPARE(q->tempos.size(), size_t(2));
        QCOMPARE(q->timeSignatures.size(), size_t(2));
    }

    void rounding() {  // Magenta's testRounding
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 1,
                 {{12, 100, 0.01, 0.24},
                  {11, 100, 0.22, 0.55},
                  {40, 100, 0.50, 0.75},
                  {41, 100, 0.689, 1.18},
                  {44, 100, 1.19, 1.69},
                  {55, 100, 4.0, 4.01}});
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q), (StepList{{0, 1}, {1, 2}, {2, 3}, {3, 5}, {5, 7}, {16, 17}}));
    }

    void multiTrack() {  // Magenta's testMultiTrack
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{12, 100, 1.0, 4.0}, {19, 100, 0.95, 3.0}});
        addTrack(s, 3, {{12, 100, 1.0, 4.0}, {19, 100, 2.0, 5.0}});
        addTrack(s, 7, {{12, 100, 1.0, 5.0}, {19, 100, 2.0, 4.0}, {24, 100, 3.0, 3.5}});
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q),
                 (StepList{{4, 16}, {4, 12}, {4, 16}, {8, 20}, {4, 20}, {8, 16}, {12, 14}}));
    }

    void minimumOneStep() {
        NoteSequence s = fixtureSequence(120.0);
        addTrack(s, 0, {{60, 100, 0.0, 0.01}, {62, 100, 1.0, 1.0}, {64, 100, 1.49, 1.51}});
        auto q = quantizeNoteSequence(s, 4);  // 8 steps per second
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q), (StepList{{0, 1}, {8, 9}, {12, 13}}));
        QCOMPARE(q->totalQuantizedSteps, int64_t(13));
    }

    void totalQuantizedSteps() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.0, 1.0}});
        s.totalTime = 10.0;  // e.g. trailing silence: the step of totalTime counts
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(q->totalQuantizedSteps, int64_t(40));
        s.totalTime = 0.5;  // a note ending later extends it
        q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(q->totalQuantizedSteps, int64_t(4));
    }

    void pitchBendsAndAnnotationsGetSteps() {
        NoteSequence s = fixtureSequence(60.0);
        s.pitchBends.push_back(PitchBend{1.5, 0, 100});
        s.textAnnotations.push_back(TextAnnotation{2.25, 0, "x"});
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(q->pitchBends[0].quantizedStep, int64_t(6));
        QCOMPARE(q->textAnnotations[0].quantizedStep, int64_t(9));
    }

    void negativeTimeIsAnError() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.0, 1.0}, {61, 100, -1.0, 0.5}});
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().find("note #1 (pitch 61)") != std::string::npos,
                 q.errorMessage().c_str());
        QVERIFY(q.errorMessage().find("negative step") != std::string::npos);
        QVERIFY(!quantizeNoteSequenceAbsolute(s, 100).ok());

        NoteSequence cc = fixtureSequence(60.0);
        addControlChanges(cc, 0, {{-2.0, 64, 127}});
        auto qc = quantizeNoteSequence(cc, 4);
        QVERIFY(!qc.ok());
        QVERIFY2(qc.errorMessage().find("control change #0 at -2.0000 s") != std::string::npos,
                 qc.errorMessage().c_str());
    }

    void nonFiniteTimeIsAnError() {
        NoteSequence s = fixtureSequence(60.0);
        addTrack(s, 0, {{60, 100, 0.0, std::nan("")}});
        s.totalTime = 1.0;
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY(q.errorMessage().find("non-finite") != std::string::npos);
    }

    void badResolutionIsAnError() {
        const NoteSequence s = standardTrack();
        auto q = quantizeNoteSequence(s, 0);
        QVERIFY(!q.ok());
        QVERIFY(q.errorMessage().find("stepsPerQuarter must be positive, got 0") !=
                std::string::npos);
        auto a = quantizeNoteSequenceAbsolute(s, -3);
        QVERIFY(!a.ok());
        QVERIFY(a.errorMessage().find("stepsPerSecond must be positive, got -3") !=
                std::string::npos);
    }

    void timeSignatureChanges() {  // Magenta's testQuantizeNoteSequence_TimeSignatureChange
        NoteSequence s = standardTrack();
        s.timeSignatures.clear();
        TOCCATA_VERIFY_OK(quantizeNoteSequence(s, 4));
        s.timeSignatures.push_back({0.0, 4, 4});
        TOCCATA_VERIFY_OK(quantizeNoteSequence(s, 4));
        s.timeSignatures.push_back({1.0, 4, 4});  // repeated, not a change
        auto same = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(same);
        QCOMPARE(same->timeSignatures.size(), size_t(1));
        s.timeSignatures.push_back({2.0, 2, 4});
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().find("time signature change from 4/4 to 2/4 at 2.00 s") !=
                     std::string::npos,
                 q.errorMessage().c_str());
    }

    void implicitTimeSignatureChange() {
        NoteSequence s = standardTrack();
        s.timeSignatures = {{2.0, 2, 4}};
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(
            q.errorMessage().find("implicit initial 4/4 to 2/4 at 2.00 s") != std::string::npos,
            q.errorMessage().c_str());
        // A first 4/4 later than 0 is no change at all.
        s.timeSignatures = {{2.0, 4, 4}};
        auto ok = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(ok);
        QCOMPARE(ok->timeSignatures.front().time, 0.0);
    }

    void timeSignaturesOutOfOrder() {
        NoteSequence s = standardTrack();
        s.timeSignatures = {{2.0, 2, 4}, {0.0, 2, 4}};
        auto q = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(q->timeSignatures.size(), size_t(1));
        QCOMPARE(q->timeSignatures[0], (TimeSignature{0.0, 2, 4}));
    }

    void badTimeSignature_data() {
        QTest::addColumn<int>("numerator");
        QTest::addColumn<int>("denominator");
        QTest::addColumn<QString>("message");
        QTest::newRow("denominator 3") << 4 << 3 << "not a power of 2";
        QTest::newRow("denominator 0") << 4 << 0 << "not a power of 2";
        QTest::newRow("numerator 0") << 0 << 4 << "numerator must be positive";
    }
    void badTimeSignature() {
        QFETCH(int, numerator);
        QFETCH(int, denominator);
        QFETCH(QString, message);
        NoteSequence s = standardTrack();
        s.timeSignatures = {{0.0, numerator, denominator}};
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().find(message.toStdString()) != std::string::npos,
                 q.errorMessage().c_str());
    }

    void tempoChanges() {  // Magenta's testFromNoteSequence_TempoChange
        NoteSequence s = standardTrack();
        s.tempos.clear();
        auto none = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(none);
        QCOMPARE(none->tempos, (std::vector<Tempo>{{0.0, 120.0}}));  // implicit 120 made explicit
        QCOMPARE(none->timeSignatures, (std::vector<TimeSignature>{{0.0, 4, 4}}));
        s.tempos.push_back({0.0, 60.0});
        TOCCATA_VERIFY_OK(quantizeNoteSequence(s, 4));
        s.tempos.push_back({1.0, 60.0});
        auto same = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(same);
        QCOMPARE(same->tempos, (std::vector<Tempo>{{0.0, 60.0}}));
        s.tempos.push_back({2.0, 120.0});
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().find("tempo change from 60.0 QPM to 120.0 QPM at 2.00 s") !=
                     std::string::npos,
                 q.errorMessage().c_str());
    }

    void implicitTempoChange() {
        NoteSequence s = standardTrack();
        s.tempos = {{2.0, 60.0}};
        auto q = quantizeNoteSequence(s, 4);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().find("implicit initial 120.0 QPM to 60.0 QPM at 2.00 s") !=
                     std::string::npos,
                 q.errorMessage().c_str());
        s.tempos = {{2.0, 120.0}};  // the implicit tempo again: no change
        TOCCATA_VERIFY_OK(quantizeNoteSequence(s, 4));
        s.tempos = {{2.0, 60.0}, {0.0, 60.0}};  // out of order, no change
        auto ok = quantizeNoteSequence(s, 4);
        TOCCATA_VERIFY_OK(ok);
        QCOMPARE(ok->tempos, (std::vector<Tempo>{{0.0, 60.0}}));
    }

    void tempoSetsTheGrid() {
        NoteSequence s = fixtureSequence(120.0);
        addTrack(s, 0, {{60, 100, 0.5, 1.0}});
        auto q = quantizeNoteSequence(s, 4);  // 0.125 s per step
        TOCCATA_VERIFY_OK(q);
        QCOMPARE(steps(*q), (StepList{{4, 8}}));
    }

    void stepsPerBarForSignatures_data() {
        QTest::addColumn<int>("numerator");
        QTest::addColumn<int>("denominator");
        QTest::addColumn<int>("stepsPerQuarter");
        QTest::addColumn<int>("expected");
        QTest::newRow("4/4") << 4 << 4 << 4 << 16;
        QTest::newRow("3/4") << 3 << 4 << 4 << 12;
        QTest::newRow("3/8") << 3 << 8 << 4 << 6;
        QTest::newRow("6/8") << 6 << 8 << 4 << 12;
        QTest::newRow("7/8") << 7 << 8 << 4 << 14;
        QTest::newRow("7/8 at 12 spq") << 7 << 8 << 12 << 42;
        QTest::newRow("2/2") << 2 << 2 << 4 << 16;
    }
    void stepsPerBarForSignatures() {
        QFETCH(int, numerator);
        QFETCH(int, denominator);
        QFETCH(int, stepsPerQuarter);
        QFETCH(int, expected);
        NoteSequence s = fixtureSequence(60.0);
        s.timeSignatures = {{0.0, numerator, denominator}};
        auto q = quantizeNoteSequence(s, stepsPerQuarter);
        TOCCATA_VERIFY_OK(q);
        auto spb = stepsPerBar(*q);
        TOCCATA_VERIFY_OK(spb);
        QCOMPARE(*spb, expected);
    }

    void stepsPerBarErrors() {
        NoteSequence s = fixtureSequence(60.0);
        s.timeSignatures = {{0.0, 7, 8}};
        auto q = quantizeNoteSequence(s, 1);  // 3.5 steps per bar
        TOCCATA_VERIFY_OK(q);
        auto spb = stepsPerBar(*q);
        QVERIFY(!spb.ok());
        QVERIFY2(spb.errorMessage().find("3.5 steps per bar") != std::string::npos,
                 spb.errorMessage().c_str());
        QCOMPARE(*stepsPerBarFloat(*q), 3.5);

        QVERIFY(!stepsPerBar(s).ok());  // not quantized
        NoteSequence handMade = *q;     // a quantized sequence built by hand with a 0/8 bar
        handMade.timeSignatures = {{0.0, 0, 8}};
        QVERIFY(!stepsPerBar(handMade).ok());
        auto absolute = quantizeNoteSequenceAbsolute(s, 100);
        TOCCATA_VERIFY_OK(absolute);
        QVERIFY(!stepsPerBar(*absolute).ok());
    }
};

QTEST_APPLESS_MAIN(TestQuantization)
#include "TestQuantization.moc"
