// PipelineStatistics / StatisticsHistogram: Magenta's Counter and Histogram semantics.
#include <QtTest>

#include <limits>

#include "core/ops/PipelineStatistics.h"

using namespace toccata::core;

class TestPipelineStatistics : public QObject {
    Q_OBJECT

private slots:
    void histogramBuckets_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("bucket");
        const double minusInf = -std::numeric_limits<double>::infinity();
        // Magenta's docstring example: buckets [4, 6, 10] give [-inf,4) [4,6) [6,10) [10,inf).
        QTest::newRow("below all") << 3.9 << minusInf;
        QTest::newRow("lower bound inclusive") << 4.0 << 4.0;
        QTest::newRow("inside") << 5.5 << 4.0;
        QTest::newRow("upper bound exclusive") << 6.0 << 6.0;
        QTest::newRow("last range is open") << 1e9 << 10.0;
    }
    void histogramBuckets() {
        QFETCH(double, value);
        QFETCH(double, bucket);
        StatisticsHistogram h("lengths", {10, 4, 6, 6});  // unsorted, with a duplicate
        QCOMPARE(h.lowerBounds().size(), size_t(4));
        h.increment(value);
        QCOMPARE(h.countAt(bucket), int64_t(1));
        QCOMPARE(h.countContaining(value), int64_t(1));
        QCOMPARE(h.total(), int64_t(1));
    }

    void prettyPrintLikeMagenta() {
        StatisticsHistogram h("melody_lengths_in_bars", {0, 1, 10});
        h.increment(12);
        h.increment(0.5, 2);
        QCOMPARE(QString::fromStdString(h.toString()),
                 QStringLiteral("melody_lengths_in_bars:\n  [0,1): 2\n  [10,inf): 1"));
    }

    void mergeCountersAndHistograms() {
        PipelineStatistics a;
        a.increment("melodies_truncated");
        a.histograms.emplace("h", StatisticsHistogram("h", {0, 5}));
        a.histograms.at("h").increment(1);
        PipelineStatistics b;
        b.increment("melodies_truncated", 2);
        b.increment("polyphonic_tracks_discarded");
        b.histograms.emplace("h", StatisticsHistogram("h", {0, 5}));
        b.histograms.at("h").increment(7);
        a.merge(b);
        QCOMPARE(a.counter("melodies_truncated"), int64_t(3));
        QCOMPARE(a.counter("polyphonic_tracks_discarded"), int64_t(1));
        QCOMPARE(a.counter("never_mentioned"), int64_t(0));
        QCOMPARE(a.histogram("h")->total(), int64_t(2));
        QVERIFY(a.histogram("missing") == nullptr);

        StatisticsHistogram other("h", {0, 6});
        QVERIFY(!a.histograms.at("h").merge(other));  // different buckets: refused
        QCOMPARE(QString::fromStdString(a.toString()),
                 QStringLiteral("h:\n  [0,5): 1\n  [5,inf): 1\nmelodies_truncated: 3\n"
                                "polyphonic_tracks_discarded: 1"));
    }
};

QTEST_APPLESS_MAIN(TestPipelineStatistics)
#include "TestPipelineStatistics.moc"
