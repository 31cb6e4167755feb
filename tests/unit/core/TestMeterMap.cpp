// MeterMap: bars and beats across time-signature (and tempo) changes, hand-computed.
#include <QtTest>

#include <cmath>
#include <cstdint>

#include "core/TempoMap.h"

using namespace toccata::core;

namespace {

/// 120 QPM (0.5 s per quarter). 4/4 from 0 (bars 0-1: quarters 0-8 = 0-4 s), 3/4 from 4 s
/// (bars 2-3: quarters 8-14 = 4-7 s), 6/8 from 7 s (bars 4..: 3 quarters = 1.5 s each).
NoteSequence fourThreeSixEight() {
    NoteSequence s;
    s.tempos = {{0.0, 120.0}};
    s.timeSignatures = {{0.0, 4, 4}, {4.0, 3, 4}, {7.0, 6, 8}};
    return s;
}

/// 4/4, then 3/4 arriving at 3 s = quarter 6, in the middle of bar 1 (quarters 4-8): bar 1 is
/// cut short to 2 quarters and bar 2 starts at 3 s.
NoteSequence midBarChange() {
    NoteSequence s;
    s.timeSignatures = {{0.0, 4, 4}, {3.0, 3, 4}};
    return s;
}

constexpr double kEps = 1e-9;

}  // namespace

class TestMeterMap : public QObject {
    Q_OBJECT

private slots:
    void defaultIsFourFour();
    void barBeatAcrossSignatureChanges_data();
    void barBeatAcrossSignatureChanges();
    void barStartSeconds_data();
    void barStartSeconds();
    void barCount_data();
    void barCount();
    void signatureArrivingMidBarStartsANewBar();
    void signatureChangesWithTempoChanges();
    void signatureAtZeroReplacesTheDefault();
    void unsortedAndInvalidSignatures();
};

void TestMeterMap::defaultIsFourFour() {
    const MeterMap meter{NoteSequence{}};
    const BarBeat pos = meter.barBeatAtSeconds(5.0);  // 10 quarters
    QCOMPARE(pos.bar, int64_t{2});
    QCOMPARE(pos.beat, 2.0);
    QCOMPARE(pos.signature.numerator, 4);
    QCOMPARE(pos.signature.denominator, 4);
    QCOMPARE(meter.barStartSeconds(3), 6.0);
    QCOMPARE(meter.barCount(5.0), int64_t{3});
}

void TestMeterMap::barBeatAcrossSignatureChanges_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("bar");
    QTest::addColumn<double>("beat");
    QTest::addColumn<int>("numerator");
    QTest::addColumn<int>("denominator");
    QTest::newRow("0 s") << 0.0 << qint64(0) << 0.0 << 4 << 4;
    QTest::newRow("bar 0 beat 2.5") << 1.25 << qint64(0) << 2.5 << 4 << 4;
    QTest::newRow("bar 1") << 2.0 << qint64(1) << 0.0 << 4 << 4;
    QTest::newRow("last beat of 4/4") << 3.5 << qint64(1) << 3.0 << 4 << 4;
    QTest::newRow("first 3/4 bar") << 4.0 << qint64(2) << 0.0 << 3 << 4;
    QTest::newRow("3/4 beat 2") << 5.0 << qint64(2) << 2.0 << 3 << 4;
    QTest::newRow("second 3/4 bar") << 5.5 << qint64(3) << 0.0 << 3 << 4;
    QTest::newRow("3/4 beat 0.5") << 5.75 << qint64(3) << 0.5 << 3 << 4;
    QTest::newRow("first 6/8 bar") << 7.0 << qint64(4) << 0.0 << 6 << 8;
    QTest::newRow("6/8 eighth 4") << 8.0 << qint64(4) << 4.0 << 6 << 8;
    QTest::newRow("6/8 eighth 5") << 8.25 << qint64(4) << 5.0 << 6 << 8;
    QTest::newRow("second 6/8 bar") << 8.5 << qint64(5) << 0.0 << 6 << 8;
    QTest::newRow("much later") << 22.75 << qint64(14) << 3.0 << 6 << 8;
}

void TestMeterMap::barBeatAcrossSignatureChanges() {
    QFETCH(double, seconds);
    QFETCH(qint64, bar);
    QFETCH(double, beat);
    QFETCH(int, numerator);
    QFETCH(int, denominator);
    const MeterMap meter(fourThreeSixEight());
    const BarBeat pos = meter.barBeatAtSeconds(seconds);
    QCOMPARE(qint64(pos.bar), bar);
    QVERIFY2(std::abs(pos.beat - beat) < kEps, qPrintable(QString::number(pos.beat)));
    QCOMPARE(pos.signature.numerator, numerator);
    QCOMPARE(pos.signature.denominator, denominator);
}

void TestMeterMap::barStartSeconds_data() {
    QTest::addColumn<qint64>("bar");
    QTest::addColumn<double>("seconds");
    QTest::newRow("bar 0") << qint64(0) << 0.0;
    QTest::newRow("bar 1") << qint64(1) << 2.0;
    QTest::newRow("bar 2 (3/4)") << qint64(2) << 4.0;
    QTest::newRow("bar 3") << qint64(3) << 5.5;
    QTest::newRow("bar 4 (6/8)") << qint64(4) << 7.0;
    QTest::newRow("bar 5") << qint64(5) << 8.5;
    QTest::newRow("bar 10") << qint64(10) << 16.0;
}

void TestMeterMap::barStartSeconds() {
    QFETCH(qint64, bar);
    QFETCH(double, seconds);
    const MeterMap meter(fourThreeSixEight());
    QVERIFY(std::abs(meter.barStartSeconds(bar) - seconds) < kEps);
    // And the bar starts exactly there.
    const BarBeat pos = meter.barBeatAtSeconds(seconds);
    QCOMPARE(qint64(pos.bar), bar);
    QVERIFY(std::abs(pos.beat) < kEps);
}

void TestMeterMap::barCount_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("bars");
    QTest::newRow("0 s") << 0.0 << qint64(0);
    QTest::newRow("negative") << -1.0 << qint64(0);
    QTest::newRow("a moment") << 0.001 << qint64(1);
    QTest::newRow("just before bar 1") << 1.999 << qint64(1);
    QTest::newRow("exactly one bar") << 2.0 << qint64(1);
    QTest::newRow("just after one bar") << 2.001 << qint64(2);
    QTest::newRow("exactly on the 3/4 change") << 4.0 << qint64(2);
    QTest::newRow("inside the first 3/4 bar") << 4.5 << qint64(3);
    QTest::newRow("exactly on the 6/8 change") << 7.0 << qint64(4);
    QTest::newRow("into 6/8") << 7.1 << qint64(5);
    QTest::newRow("exactly two 6/8 bars") << 10.0 << qint64(6);
}

void TestMeterMap::barCount() {
    QFETCH(double, seconds);
    QFETCH(qint64, bars);
    QCOMPARE(qint64(MeterMap(fourThreeSixEight()).barCount(seconds)), bars);
}

void TestMeterMap::signatureArrivingMidBarStartsANewBar() {
    const MeterMap meter(midBarChange());
    // Bar 1 (from 2 s) is cut short at 3 s.
    const BarBeat inShortBar = meter.barBeatAtSeconds(2.5);
    QCOMPARE(inShortBar.bar, int64_t{1});
    QCOMPARE(inShortBar.beat, 1.0);
    QCOMPARE(inShortBar.signature.numerator, 4);
    const BarBeat atChange = meter.barBeatAtSeconds(3.0);
    QCOMPARE(atChange.bar, int64_t{2});
    QCOMPARE(atChange.beat, 0.0);
    QCOMPARE(atChange.signature.numerator, 3);
    QCOMPARE(atChange.signature.denominator, 4);
    const BarBeat later = meter.barBeatAtSeconds(5.0);  // 2 s = 4 quarters after the change
    QCOMPARE(later.bar, int64_t{3});
    QCOMPARE(later.beat, 1.0);
    QCOMPARE(meter.barStartSeconds(1), 2.0);
    QCOMPARE(meter.barStartSeconds(2), 3.0);
    QCOMPARE(meter.barStartSeconds(3), 4.5);
    QCOMPARE(meter.barCount(2.5), int64_t{2});
    QCOMPARE(meter.barCount(3.0), int64_t{2});
    QCOMPARE(meter.barCount(3.2), int64_t{3});
    QCOMPARE(meter.barCount(4.5), int64_t{3});
}

void TestMeterMap::signatureChangesWithTempoChanges() {
    // 120 QPM to 2 s (4 quarters), then 60 QPM. 3/4 arrives at 4 s = quarter 6, mid-bar 1.
    NoteSequence s;
    s.tempos = {{0.0, 120.0}, {2.0, 60.0}};
    s.timeSignatures = {{0.0, 4, 4}, {4.0, 3, 4}};
    const MeterMap meter(s);
    QCOMPARE(meter.barStartSeconds(1), 2.0);
    QCOMPARE(meter.barStartSeconds(2), 4.0);
    QCOMPARE(meter.barStartSeconds(3), 7.0);  // 3 quarters at 60 QPM
    const BarBeat pos = meter.barBeatAtSeconds(5.0);
    QCOMPARE(pos.bar, int64_t{2});
    QCOMPARE(pos.beat, 1.0);
    const BarBeat inFirst = meter.barBeatAtSeconds(3.0);  // quarter 5: bar 1, beat 1
    QCOMPARE(inFirst.bar, int64_t{1});
    QCOMPARE(inFirst.beat, 1.0);
    QCOMPARE(meter.barCount(7.0), int64_t{3});
    QCOMPARE(meter.barCount(7.5), int64_t{4});
}

void TestMeterMap::signatureAtZeroReplacesTheDefault() {
    NoteSequence s;
    s.timeSignatures = {{0.0, 3, 4}};
    const MeterMap meter(s);
    const BarBeat pos = meter.barBeatAtSeconds(1.5);  // 3 quarters
    QCOMPARE(pos.bar, int64_t{1});
    QCOMPARE(pos.beat, 0.0);
    QCOMPARE(pos.signature.numerator, 3);
    QCOMPARE(meter.barStartSeconds(2), 3.0);
    QCOMPARE(meter.barCount(3.0), int64_t{2});
    QCOMPARE(meter.barCount(3.1), int64_t{3});

    NoteSequence eighths;
    eighths.timeSignatures = {{0.0, 7, 8}};  // 3.5 quarters = 1.75 s per bar
    const MeterMap seven(eighths);
    QCOMPARE(seven.barStartSeconds(2), 3.5);
    const BarBeat p = seven.barBeatAtSeconds(2.5);  // 0.75 s into bar 1 = 1.5 quarters
    QCOMPARE(p.bar, int64_t{1});
    QCOMPARE(p.beat, 3.0);
}

void TestMeterMap::unsortedAndInvalidSignatures() {
    NoteSequence s;
    s.timeSignatures = {{7.0, 6, 8}, {4.0, 3, 4}, {0.0, 4, 4}, {5.0, 0, 4}, {6.0, 5, 0}};
    const MeterMap meter(s);
    QCOMPARE(meter.barStartSeconds(4), 7.0);
    QCOMPARE(meter.barBeatAtSeconds(6.0).signature.numerator, 3);  // 0/4 and 5/0 ignored
    QCOMPARE(meter.barBeatAtSeconds(8.0).beat, 4.0);
}

QTEST_APPLESS_MAIN(TestMeterMap)
#include "TestMeterMap.moc"
