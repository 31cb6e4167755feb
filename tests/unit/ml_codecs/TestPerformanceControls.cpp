// Performance RNN control signals on hand-made event lists: note density (3 s window, values
// repeated until time moves, a partial window at the end), its 8 classes, the pitch-class
// histogram (5 s window, prior count, uniform when empty), the control-vector layout and the
// desired-value vectors used for generation. Values worked by hand from Magenta's
// performance_controls.
#include <QtTest>

#include <cmath>

#include "ml/codecs/PerformanceControls.h"

using namespace toccata;
using namespace toccata::ml;

namespace {
using E = PerformanceEvent;
bool near(double a, double b) { return std::abs(a - b) < 1e-9; }
}  // namespace

class TestPerformanceControls : public QObject {
    Q_OBJECT

private slots:
    void noteDensity() {
        const std::vector<E> events = {E::noteOn(60),   E::timeShift(100), E::noteOn(62),
                                       E::noteOn(64),   E::timeShift(200), E::noteOn(65),
                                       E::timeShift(50)};
        const std::vector<double> d = noteDensities(events, 100);
        QCOMPARE(d.size(), events.size());
        QVERIFY(near(d[0], 1.0));  // 3 onsets in the full 3 s window
        QVERIFY(near(d[1], 1.0));  // after a NOTE_ON: repeated
        QVERIFY(near(d[2], 1.2));  // 3 onsets, but only 2.5 s of window left
        QVERIFY(near(d[3], 1.2));
        QVERIFY(near(d[4], 1.2));
        QVERIFY(near(d[5], 2.0));  // 1 onset in the last 0.5 s
        QVERIFY(near(d[6], 2.0));
        QVERIFY(noteDensities({E::noteOn(60)}, 100)[0] == 0.0);  // no time: 0
        QVERIFY(noteDensities({}, 100).empty());
    }

    void densityClasses() {
        QCOMPARE(defaultNoteDensityBinEdges().size(), size_t{7});
        QCOMPARE(noteDensityClass(0.0), 0);
        QCOMPARE(noteDensityClass(0.99), 0);
        QCOMPARE(noteDensityClass(1.0), 1);
        QCOMPARE(noteDensityClass(3.9), 2);
        QCOMPARE(noteDensityClass(8.0), 4);
        QCOMPARE(noteDensityClass(63.9), 6);
        QCOMPARE(noteDensityClass(64.0), 7);
        QCOMPARE(noteDensityClass(1000.0), 7);
        QCOMPARE(noteDensityClassValue(0), 0.0);
        QCOMPARE(noteDensityClassValue(4), 8.0);
        QCOMPARE(noteDensityClassValue(7), 64.0);
    }

    void pitchHistogram() {
        const std::vector<E> events = {E::noteOn(60),     E::timeShift(100), E::noteOn(67),
                                       E::timeShift(100), E::noteOff(60),    E::noteOff(67),
                                       E::timeShift(100)};
        const auto h = pitchClassHistograms(events, 100);
        QCOMPARE(h.size(), events.size());
        // From the start: C sounds 2 s, G 1 s, plus the prior 0.01 on every class.
        QVERIFY(near(h[0][0], 2.01));
        QVERIFY(near(h[0][7], 1.01));
        QVERIFY(near(h[0][1], 0.01));
        QVERIFY(h[1] == h[0]);
        // At the second onset (time moved): C and G 1 s each.
        QVERIFY(near(h[2][0], 1.01));
        QVERIFY(near(h[2][7], 1.01));
        // After the offsets nothing sounds: only the prior, which normalises to uniform.
        QVERIFY(near(h[4][0], 0.01) && near(h[4][7], 0.01));
        const auto n0 = normalizedPitchHistogram(h[0]);
        QVERIFY(std::abs(n0[0] - 2.01 / 3.12) < 1e-6);
        const auto n4 = normalizedPitchHistogram(h[4]);
        for (float v : n4) QVERIFY(std::abs(v - 1.0 / 12.0) < 1e-6);
        PitchClassHistogram zeros{};
        for (float v : normalizedPitchHistogram(zeros)) QVERIFY(std::abs(v - 1.0 / 12.0) < 1e-6);
        // The 5 s window: a note held 8 s counts 5 s.
        std::vector<E> held = {E::noteOn(62)};
        for (int i = 0; i < 8; ++i) held.push_back(E::timeShift(100));
        QVERIFY(near(pitchClassHistograms(held, 100)[0][2], 5.01));
    }

    void controlVectors() {
        PerformanceControls c;
        QCOMPARE(c.inputSize(), 0);
        QVERIFY(c.vectors({E::noteOn(60)}, 100).empty());
        c.noteDensity = true;
        QCOMPARE(c.inputSize(), 8);
        c.pitchHistogram = true;
        QCOMPARE(c.inputSize(), 20);
        c.optional = true;
        QCOMPARE(c.inputSize(), 21);

        const std::vector<E> events = {E::noteOn(60), E::timeShift(100), E::noteOff(60)};
        const std::vector<float> v = c.vectors(events, 100);
        QCOMPARE(v.size(), size_t{3 * 21});
        // Row 0: enabled, density 1 onset / 1 s of window = 1.0 -> class 1, histogram C.
        QCOMPARE(v[0], 0.0F);
        QCOMPARE(v[1 + 1], 1.0F);
        QVERIFY(v[9 + 0] > 0.9F);
        const std::vector<float> off = c.vectors(events, 100, true);
        QCOMPARE(off[0], 1.0F);
        QCOMPARE(off[21], 1.0F);
        QCOMPARE(std::count(off.begin(), off.end(), 0.0F), std::ptrdiff_t{3 * 20});
    }

    void desiredValues() {
        PerformanceControls c;
        c.noteDensity = true;
        c.pitchHistogram = true;
        auto d = c.desired(8.0, std::vector<double>{1, 0, 1, 0, 1, 2, 0, 1, 0, 1, 1, 0});
        QVERIFY2(d.ok(), d.ok() ? "" : d.errorMessage().c_str());
        QCOMPARE(d->size(), size_t{20});
        QCOMPARE((*d)[4], 1.0F);  // 8 notes per second: class 4
        QCOMPARE(std::count(d->begin(), d->begin() + 8, 1.0F), std::ptrdiff_t{1});
        QVERIFY(std::abs((*d)[8 + 5] - 0.25F) < 1e-6);  // F counted twice out of 8
        QCOMPARE((*d)[8 + 1], 0.0F);
        // Defaults: density 15 (class 4), uniform histogram.
        auto defaults = c.desired();
        QCOMPARE((*defaults)[4], 1.0F);
        QVERIFY(std::abs((*defaults)[19] - 1.0F / 12.0F) < 1e-6);
        QVERIFY(!c.desired(-1.0).ok());
        QVERIFY(!c.desired(std::nan("")).ok());
        QVERIFY(!c.desired({}, std::vector<double>(11, 1.0)).ok());
        QVERIFY(!c.desired({}, std::vector<double>(12, 0.0)).ok());
        std::vector<double> negative(12, 1.0);
        negative[3] = -1.0;
        QVERIFY(c.desired({}, negative).errorMessage().find("3") != std::string::npos);
        c.optional = true;
        auto disabled = c.desired({}, {}, true);
        QCOMPARE((*disabled)[0], 1.0F);
        QCOMPARE(std::count(disabled->begin(), disabled->end(), 0.0F), std::ptrdiff_t{20});
    }
};

QTEST_GUILESS_MAIN(TestPerformanceControls)
#include "TestPerformanceControls.moc"
