// TempoMap: seconds <-> quarters <-> ticks across tempo changes, with hand-computed values.
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/TempoMap.h"

using namespace toccata::core;

namespace {

// 120 QPM for [0 s, 2 s) = quarters [0, 4); 60 QPM for [2 s, 5 s) = quarters [4, 7);
// 240 QPM from 5 s = quarter 7 on.
std::vector<Tempo> threeTempos() { return {{0.0, 120.0}, {2.0, 60.0}, {5.0, 240.0}}; }

constexpr double kEps = 1e-12;

}  // namespace

class TestTempoMap : public QObject {
    Q_OBJECT

private slots:
    void defaultIs120Qpm();
    void secondsToQuartersAcrossChanges_data();
    void secondsToQuartersAcrossChanges();
    void implicit120BeforeTheFirstTempo();
    void singleTempoAtZeroIsNoChange();
    void unsortedTemposAreSorted();
    void laterEventAtTheSameTimeWins();
    void nonsenseTemposAreIgnored();
    void negativeTimesAreClampedToZero();
    void beforeZeroExtrapolatesTheFirstTempo();
    void ticksAcrossChanges();
    void tickRoundingIsNearestTiesAwayFromZero_data();
    void tickRoundingIsNearestTiesAwayFromZero();
    void ticksRoundTripAtAnyResolution_data();
    void ticksRoundTripAtAnyResolution();
    void qpmAt();
    void constructsFromASequence();
};

void TestTempoMap::defaultIs120Qpm() {
    const TempoMap map;
    QCOMPARE(map.secondsToQuarters(1.0), 2.0);
    QCOMPARE(map.secondsToQuarters(0.25), 0.5);
    QCOMPARE(map.quartersToSeconds(3.0), 1.5);
    QCOMPARE(map.secondsToTicks(1.0, 220), int64_t{440});
    QCOMPARE(map.ticksToSeconds(220, 220), 0.5);
    QCOMPARE(map.qpmAt(100.0), 120.0);
    QVERIFY(!map.hasTempoChanges());
    const TempoMap empty(std::vector<Tempo>{});
    QCOMPARE(empty.secondsToQuarters(3.0), 6.0);
    QVERIFY(!empty.hasTempoChanges());
}

void TestTempoMap::secondsToQuartersAcrossChanges_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("quarters");
    QTest::newRow("start") << 0.0 << 0.0;
    QTest::newRow("in the first tempo") << 1.0 << 2.0;
    QTest::newRow("just before the change") << 1.75 << 3.5;
    QTest::newRow("on the first change") << 2.0 << 4.0;
    QTest::newRow("in the second tempo") << 3.5 << 5.5;
    QTest::newRow("on the second change") << 5.0 << 7.0;
    QTest::newRow("in the last tempo") << 6.0 << 11.0;
    QTest::newRow("far after") << 105.0 << 407.0;
}

void TestTempoMap::secondsToQuartersAcrossChanges() {
    QFETCH(double, seconds);
    QFETCH(double, quarters);
    const TempoMap map(threeTempos());
    QVERIFY(map.hasTempoChanges());
    QVERIFY(std::abs(map.secondsToQuarters(seconds) - quarters) < kEps);
    QVERIFY(std::abs(map.quartersToSeconds(quarters) - seconds) < kEps);
}

void TestTempoMap::implicit120BeforeTheFirstTempo() {
    // Nothing at 0: 120 QPM until 1 s (= 2 quarters), then 60 QPM.
    const TempoMap map(std::vector<Tempo>{{1.0, 60.0}});
    QVERIFY(map.hasTempoChanges());
    QCOMPARE(map.secondsToQuarters(0.5), 1.0);
    QCOMPARE(map.secondsToQuarters(1.0), 2.0);
    QCOMPARE(map.secondsToQuarters(3.0), 4.0);
    QCOMPARE(map.quartersToSeconds(1.0), 0.5);
    QCOMPARE(map.quartersToSeconds(5.0), 4.0);
    QCOMPARE(map.qpmAt(0.999), 120.0);
    QCOMPARE(map.qpmAt(1.0), 60.0);
}

void TestTempoMap::singleTempoAtZeroIsNoChange() {
    const TempoMap map(std::vector<Tempo>{{0.0, 100.0}});
    QVERIFY(!map.hasTempoChanges());
    QCOMPARE(map.secondsToQuarters(0.6), 1.0);
    QCOMPARE(map.quartersToSeconds(10.0), 6.0);
    QCOMPARE(map.qpmAt(0.0), 100.0);
}

void TestTempoMap::unsortedTemposAreSorted() {
    const TempoMap map(std::vector<Tempo>{{5.0, 240.0}, {0.0, 120.0}, {2.0, 60.0}});
    QCOMPARE(map.secondsToQuarters(3.5), 5.5);
    QCOMPARE(map.secondsToQuarters(6.0), 11.0);
    QCOMPARE(map.quartersToSeconds(7.0), 5.0);
}

void TestTempoMap::laterEventAtTheSameTimeWins() {
    const TempoMap map(std::vector<Tempo>{{0.0, 100.0}, {0.0, 90.0}, {2.0, 60.0}, {2.0, 30.0}});
    QCOMPARE(map.qpmAt(0.0), 90.0);
    QCOMPARE(map.secondsToQuarters(2.0), 3.0);
    QCOMPARE(map.qpmAt(2.0), 30.0);
    QCOMPARE(map.secondsToQuarters(4.0), 4.0);
}

void TestTempoMap::nonsenseTemposAreIgnored() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const TempoMap map(std::vector<Tempo>{{0.0, 0.0}, {1.0, -60.0}, {2.0, nan}, {3.0, inf}});
    QVERIFY(!map.hasTempoChanges());
    QCOMPARE(map.secondsToQuarters(4.0), 8.0);
    QCOMPARE(map.qpmAt(3.5), 120.0);
}

void TestTempoMap::negativeTimesAreClampedToZero() {
    const TempoMap map(std::vector<Tempo>{{-1.0, 60.0}, {1.0, 120.0}});
    QCOMPARE(map.qpmAt(0.0), 60.0);
    QCOMPARE(map.secondsToQuarters(1.0), 1.0);
    QCOMPARE(map.secondsToQuarters(2.0), 3.0);
}

void TestTempoMap::beforeZeroExtrapolatesTheFirstTempo() {
    const TempoMap map(std::vector<Tempo>{{0.0, 60.0}, {1.0, 120.0}});
    QCOMPARE(map.secondsToQuarters(-1.0), -1.0);
    QCOMPARE(map.quartersToSeconds(-2.0), -2.0);
}

void TestTempoMap::ticksAcrossChanges() {
    const TempoMap map(threeTempos());
    // 480 ticks per quarter: 3.5 s = 5.5 quarters = 2640 ticks; 6 s = 11 quarters = 5280.
    QCOMPARE(map.secondsToTicks(3.5, 480), int64_t{2640});
    QCOMPARE(map.secondsToTicks(6.0, 480), int64_t{5280});
    QCOMPARE(map.secondsToTicks(2.0, 220), int64_t{880});
    QVERIFY(std::abs(map.ticksToSeconds(2640, 480) - 3.5) < kEps);
    QVERIFY(std::abs(map.ticksToSeconds(5280, 480) - 6.0) < kEps);
    // One tick inside each segment: 120 QPM = 1/960 s, 60 QPM = 1/480 s, 240 QPM = 1/1920 s.
    QVERIFY(std::abs(map.ticksToSeconds(1, 480) - 1.0 / 960.0) < kEps);
    QVERIFY(std::abs(map.ticksToSeconds(1921, 480) - (2.0 + 1.0 / 480.0)) < kEps);
    QVERIFY(std::abs(map.ticksToSeconds(3361, 480) - (5.0 + 1.0 / 1920.0)) < kEps);
}

void TestTempoMap::tickRoundingIsNearestTiesAwayFromZero_data() {
    // 120 QPM, 4 ticks per quarter: one tick = 0.125 s.
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("ticks");
    QTest::newRow("0") << 0.0 << qint64(0);
    QTest::newRow("just under half a tick") << 0.0624 << qint64(0);
    QTest::newRow("half a tick") << 0.0625 << qint64(1);
    QTest::newRow("one and a half ticks") << 0.1875 << qint64(2);
    QTest::newRow("two and a half ticks") << 0.3125 << qint64(3);
    QTest::newRow("just over 1 tick") << 0.13 << qint64(1);
    QTest::newRow("negative half tick") << -0.0625 << qint64(-1);
    QTest::newRow("negative just under half") << -0.0624 << qint64(0);
}

void TestTempoMap::tickRoundingIsNearestTiesAwayFromZero() {
    QFETCH(double, seconds);
    QFETCH(qint64, ticks);
    QCOMPARE(qint64(TempoMap().secondsToTicks(seconds, 4)), ticks);
}

void TestTempoMap::ticksRoundTripAtAnyResolution_data() {
    QTest::addColumn<int>("ticksPerQuarter");
    QTest::newRow("96") << 96;
    QTest::newRow("220") << 220;
    QTest::newRow("480") << 480;
    QTest::newRow("960") << 960;
}

void TestTempoMap::ticksRoundTripAtAnyResolution() {
    QFETCH(int, ticksPerQuarter);
    const TempoMap map(std::vector<Tempo>{{0.0, 100.0}, {1.3, 137.0}, {4.0, 71.5}, {9.0, 200.0}});
    for (int64_t tick = 0; tick < 20 * ticksPerQuarter; tick += 7) {
        const double seconds = map.ticksToSeconds(tick, ticksPerQuarter);
        QCOMPARE(map.secondsToTicks(seconds, ticksPerQuarter), tick);
        QVERIFY(std::abs(map.secondsToQuarters(seconds) -
                         static_cast<double>(tick) / ticksPerQuarter) < 1e-9);
    }
}

void TestTempoMap::qpmAt() {
    const TempoMap map(threeTempos());
    QCOMPARE(map.qpmAt(0.0), 120.0);
    QCOMPARE(map.qpmAt(1.999), 120.0);
    QCOMPARE(map.qpmAt(2.0), 60.0);
    QCOMPARE(map.qpmAt(4.999), 60.0);
    QCOMPARE(map.qpmAt(5.0), 240.0);
    QCOMPARE(map.qpmAt(1000.0), 240.0);
    QCOMPARE(map.qpmAt(-1.0), 120.0);
}

void TestTempoMap::constructsFromASequence() {
    NoteSequence seq;
    seq.tempos = threeTempos();
    const TempoMap map(seq);
    QCOMPARE(map.secondsToQuarters(3.5), 5.5);
}

QTEST_APPLESS_MAIN(TestTempoMap)
#include "TestTempoMap.moc"
