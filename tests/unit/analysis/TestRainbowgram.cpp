// computeRainbowgram: NSynth's arrays (dB relative to the loudest cell clipped at the range,
// phase advance / π in [-1, 1], phase-vocoder frequency within 1 Hz of a pure tone), silence,
// argument and sample checks, cancel/progress, concurrent use and the mono mixdown.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>

#include "AnalysisTestSupport.h"
#include "analysis/Rainbowgram.h"

using namespace toccata;
using namespace toccata::test;
using analysis::Rainbowgram;
using analysis::RainbowgramSettings;

namespace {

Rainbowgram compute(const std::vector<float>& x, int rate, const RainbowgramSettings& s = {}) {
    core::Result<Rainbowgram> gram =
        analysis::computeRainbowgram(x.data(), int64_t(x.size()), rate, s);
    if (!gram.ok()) qFatal("computeRainbowgram: %s", gram.errorMessage().c_str());
    return std::move(gram).value();
}

QString errorOf(const std::vector<float>& x, int rate, const RainbowgramSettings& s) {
    const auto gram = analysis::computeRainbowgram(x.data(), int64_t(x.size()), rate, s);
    return gram.ok() ? QString() : QString::fromStdString(gram.errorMessage());
}

}  // namespace

class TestRainbowgram : public QObject {
    Q_OBJECT

private slots:
    void geometry() {
        const Rainbowgram g = compute(sine(440.0, 16000, 1.0), 16000);
        QCOMPARE(g.frames, 1 + 16000 / 256);
        QCOMPARE(g.bins, 240);
        QCOMPARE(g.magnitudeDb.size(), size_t(g.frames * g.bins));
        QCOMPARE(g.phaseAdvance.size(), g.magnitudeDb.size());
        QCOMPARE(g.frequencyHz.size(), g.magnitudeDb.size());
        QCOMPARE(g.frameSeconds(10), 10 * 256 / 16000.0);
        QCOMPARE(g.durationSeconds(), g.frames * 256 / 16000.0);
        QVERIFY(std::abs(g.binFrequency(40) - 2 * 65.40639132514966) < 1e-9);
        QVERIFY(std::abs(g.binFrequency(239) - 4114.1) < 0.1);  // the book's "≈ 4.11 kHz"
        QVERIFY(std::abs(g.binForFrequency(g.binFrequency(123.25)) - 123.25) < 1e-9);
        QCOMPARE(peakBin(g, g.frames / 2), nearestBin({}, 440.0));
    }

    void pureToneFrequency_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<double>("frequency");
        QTest::newRow("A4 440 @44.1k") << 44100 << 440.0;
        QTest::newRow("C3 @44.1k") << 44100 << 130.8127826502993;
        QTest::newRow("E2 between bins @44.1k") << 44100 << 83.0;
        QTest::newRow("1 kHz @44.1k") << 44100 << 1000.0;
        QTest::newRow("3.5 kHz @44.1k") << 44100 << 3500.0;
        QTest::newRow("440 @16k") << 16000 << 440.0;
        QTest::newRow("2.5 kHz @16k") << 16000 << 2500.0;
    }

    // The instantaneous frequency of a pure tone, in its loudest bin, within 1 Hz.
    void pureToneFrequency() {
        QFETCH(int, rate);
        QFETCH(double, frequency);
        const std::vector<float> x = sine(frequency, rate, 2.5, 0.5, 1.0);
        const Rainbowgram g = compute(x, rate);
        const int k = nearestBin({}, frequency);
        // Mid-signal frames: at least the longest kernel's half-length (0.35 s) from the ends.
        const int margin = int(std::ceil(0.36 * rate / 256));
        for (int t = margin; t < g.frames - margin; ++t) {
            QCOMPARE(peakBin(g, t), k);
            const float hz = g.frequencyHz[g.index(t, k)];
            QVERIFY2(std::abs(hz - frequency) < 1.0,
                     qPrintable(QStringLiteral("frame %1: %2 Hz").arg(t).arg(hz)));
        }
    }

    void silence() {
        const std::vector<float> x(20000, 0.0f);
        const Rainbowgram g = compute(x, 16000);
        QCOMPARE(g.peakMagnitude, 0.0f);
        for (size_t i = 0; i < g.magnitudeDb.size(); ++i) {
            QCOMPARE(g.magnitudeDb[i], -70.0f);
            QCOMPARE(g.phaseAdvance[i], 0.0f);
            QCOMPARE(g.frequencyHz[i], float(g.binFrequency(int(i % size_t(g.bins)))));
        }
    }

    void rangesOnNoise() {
        std::vector<float> x(40000);
        uint32_t state = 12345;
        for (float& v : x) {
            state = state * 1664525u + 1013904223u;
            v = float(state >> 8) / float(1 << 24) * 1.6f - 0.8f;
        }
        const Rainbowgram g = compute(x, 22050);
        float loudest = -1000.0f;
        for (size_t i = 0; i < g.magnitudeDb.size(); ++i) {
            QVERIFY(std::isfinite(g.magnitudeDb[i]) && std::isfinite(g.frequencyHz[i]));
            QVERIFY(g.magnitudeDb[i] >= -70.0f && g.magnitudeDb[i] <= 0.0f);
            QVERIFY(g.phaseAdvance[i] >= -1.0f && g.phaseAdvance[i] <= 1.0f);
            loudest = std::max(loudest, g.magnitudeDb[i]);
        }
        QCOMPARE(loudest, 0.0f);
    }

    // A sine 90 dB below another: clipped to -70 at the default range, visible at 120.
    void dbRangeClips() {
        std::vector<float> x = sine(440.0, 16000, 2.0, 0.9);
        const std::vector<float> quiet =
            sine(2000.0, 16000, 2.0, 0.9 * std::pow(10.0, -90.0 / 20.0));
        for (size_t i = 0; i < x.size(); ++i) x[i] += quiet[i];
        const int t = 62, k = nearestBin({}, 2000.0);
        const Rainbowgram clipped = compute(x, 16000);
        QVERIFY(std::abs(clipped.peakMagnitude - 0.45f) < 0.01f);
        QCOMPARE(clipped.magnitudeDb[clipped.index(t, k)], -70.0f);
        RainbowgramSettings wide;
        wide.rangeDb = 120.0;
        const Rainbowgram full = compute(x, 16000, wide);
        QVERIFY2(std::abs(full.magnitudeDb[full.index(t, k)] + 90.0f) < 1.0f,
                 qPrintable(QString::number(full.magnitudeDb[full.index(t, k)])));
    }

    void badArgumentsNameTheValue() {
        const std::vector<float> x = sine(440.0, 16000, 0.1);
        QVERIFY(errorOf(x, 999, {}).contains("sample rate 999 Hz"));
        QVERIFY(errorOf(x, 384001, {}).contains("384001"));
        RainbowgramSettings s;
        s.cqt.minFrequency = 0.0;
        QVERIFY(errorOf(x, 16000, s).contains("minimum frequency 0 Hz"));
        s = {};
        s.cqt.binsPerOctave = 0;
        QVERIFY(errorOf(x, 16000, s).contains("bins per octave 0"));
        s = {};
        s.cqt.hopLength = 0;
        QVERIFY(errorOf(x, 16000, s).contains("hop length 0"));
        s = {};
        s.rangeDb = -3;
        QVERIFY(errorOf(x, 16000, s).contains("dB range -3"));
        // The default top bin (4.1 kHz) is above 8 kHz audio's Nyquist frequency.
        const QString nyquist = errorOf(x, 8000, {});
        QVERIFY2(nyquist.contains("Nyquist frequency 4000 Hz") && nyquist.contains("bin (239)"),
                 qPrintable(nyquist));
        std::vector<float> bad = x;
        bad[5] = std::nanf("");
        QVERIFY(errorOf(bad, 16000, {}).contains("audio sample 5 is not a finite number"));
        bad[5] = 0.0f;
        bad[77] = INFINITY;
        QVERIFY(errorOf(bad, 16000, {}).contains("audio sample 77"));
    }

    void emptyAudio() {
        const auto gram = analysis::computeRainbowgram(nullptr, 0, 44100);
        QVERIFY(gram.ok());
        QCOMPARE(gram->frames, 0);
        QCOMPARE(gram->bins, 240);
        QVERIFY(gram->magnitudeDb.empty());
        QCOMPARE(gram->durationSeconds(), 0.0);
    }

    void cancelAndProgress() {
        const std::vector<float> x = sine(440.0, 44100, 3.0);
        std::vector<double> reported;
        const auto done =
            analysis::computeRainbowgram(x.data(), int64_t(x.size()), 44100, {}, nullptr,
                                         [&](double p) { reported.push_back(p); });
        QVERIFY(done.ok());
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
        QCOMPARE(reported.back(), 1.0);
        std::atomic<bool> cancel{true};
        const auto cancelled =
            analysis::computeRainbowgram(x.data(), int64_t(x.size()), 44100, {}, &cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(QString::fromStdString(cancelled.errorMessage()),
                 QString(analysis::kRainbowgramCancelled));
    }

    // Two threads planning new FFT sizes at once (FFTW's planner is shared) agree with one.
    void concurrentCallsAgree() {
        RainbowgramSettings s;
        s.cqt.binsPerOctave = 36;
        s.cqt.binCount = 200;
        s.cqt.hopLength = 200;
        const std::vector<float> x = sine(523.25, 48000, 1.0);
        Rainbowgram a, b;
        std::thread first([&] { a = compute(x, 48000, s); });
        std::thread second([&] { b = compute(x, 48000, s); });
        first.join();
        second.join();
        const Rainbowgram c = compute(x, 48000, s);
        QVERIFY(a.magnitudeDb == c.magnitudeDb && b.magnitudeDb == c.magnitudeDb);
        QVERIFY(a.phaseAdvance == c.phaseAdvance && b.frequencyHz == c.frequencyHz);
    }

    void mixToMono() {
        const std::vector<float> left = {1.0f, 0.5f, -1.0f}, right = {0.0f, 0.5f, 1.0f};
        const std::vector<float> mono = analysis::mixToMono({left.data(), right.data()}, 3);
        QCOMPARE(mono, (std::vector<float>{0.5f, 0.5f, 0.0f}));
        QCOMPARE(analysis::mixToMono({left.data()}, 2), (std::vector<float>{1.0f, 0.5f}));
        QCOMPARE(analysis::mixToMono({}, 2), (std::vector<float>{0.0f, 0.0f}));
    }
};

QTEST_GUILESS_MAIN(TestRainbowgram)
#include "TestRainbowgram.moc"
