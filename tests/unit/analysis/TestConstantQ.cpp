// ConstantQ against analytic expectations: the per-octave plan, sines at known pitches (peak
// bin, main-lobe neighbourhood, |C| = 0.5 · Hann response), the phase advance of a stationary
// sine, a log chirp followed by the peak bin, and a click confined to each kernel's length.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <numbers>

#include "AnalysisTestSupport.h"
#include "analysis/ConstantQ.h"

using namespace toccata;
using namespace toccata::test;
using analysis::ConstantQ;
using analysis::CqtSettings;

namespace {

// The response of an L1-normalised Hann kernel to a unit sine x kernel-bandwidths (f_k / Q)
// away from its centre: sinc(x) / (1 - x²).
double hannResponse(double x) {
    if (std::abs(x) < 1e-9) return 1.0;
    if (std::abs(std::abs(x) - 1.0) < 1e-9) return 0.5;
    const double px = std::numbers::pi * x;
    return std::abs(std::sin(px) / px / (1.0 - x * x));
}

// Frames whose every kernel lies inside `samples` of audio (no zero padding read).
std::pair<int, int> interiorFrames(const ConstantQ& cqt, size_t samples, int bin = 0) {
    const double reach = cqt.kernelLength(bin) / 2.0;
    const int hop = cqt.settings().hopLength;
    return {int(std::ceil(reach / hop)), int(std::floor((double(samples) - reach) / hop))};
}

}  // namespace

class TestConstantQ : public QObject {
    Q_OBJECT

private slots:
    void octavePlan() {
        const ConstantQ cqt = makeCqt(44100);
        QCOMPARE(int(cqt.octaves().size()), 6);
        // Q = 0.8 / (2^(1/40) - 1): about 45.8 (the book's "Q ≈ 46").
        QVERIFY(std::abs(cqt.q() - 45.77) < 0.01);
        // The top octave (2.1-4.1 kHz) runs at 11025 Hz, each lower one at half the rate.
        QCOMPARE(cqt.octaves().back().decimation, 4);
        for (size_t o = 0; o < cqt.octaves().size(); ++o) {
            const ConstantQ::Octave& octave = cqt.octaves()[o];
            QCOMPARE(octave.decimation, 4 << (5 - o));
            QCOMPARE(octave.hop * octave.decimation, 256);
            QCOMPARE(octave.binCount, 40);
            for (const auto& kernel : octave.kernels) QVERIFY(!kernel.empty());
        }
        // 16 kHz: the top octave cannot decimate (its kernels reach past 4 kHz).
        QCOMPARE(makeCqt(16000).octaves().back().decimation, 1);
        // An odd hop cannot be divided: every octave stays at the input rate.
        CqtSettings odd;
        odd.hopLength = 255;
        const ConstantQ undivided = makeCqt(44100, odd);
        for (const auto& octave : undivided.octaves()) QCOMPARE(octave.decimation, 1);
    }

    void sineAtKnownPitch_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<double>("frequency");
        QTest::addColumn<int>("hop");
        QTest::newRow("A4 440 Hz @44.1k") << 44100 << 440.0 << 256;
        QTest::newRow("C3 130.81 Hz @44.1k") << 44100 << 130.8127826502993 << 256;
        QTest::newRow("bin 100 centre @44.1k")
            << 44100 << 65.40639132514966 * std::exp2(2.5) << 256;
        QTest::newRow("between bins 150.3 @44.1k")
            << 44100 << 65.40639132514966 * std::exp2(150.3 / 40) << 256;
        QTest::newRow("lowest bin C2 @44.1k") << 44100 << 65.40639132514966 << 256;
        QTest::newRow("3 kHz @44.1k") << 44100 << 3000.0 << 256;
        QTest::newRow("A4 440 Hz @16k") << 16000 << 440.0 << 256;
        QTest::newRow("1 kHz @16k") << 16000 << 1000.0 << 256;
        QTest::newRow("440 Hz @48k, odd hop 255") << 48000 << 440.0 << 255;
    }

    void sineAtKnownPitch() {
        QFETCH(int, rate);
        QFETCH(double, frequency);
        QFETCH(int, hop);
        CqtSettings settings;
        settings.hopLength = hop;
        const ConstantQ cqt = makeCqt(rate, settings);
        const std::vector<float> x = sine(frequency, rate, 2.0);
        const analysis::CqtCoefficients c = transformed(cqt, x);
        QCOMPARE(c.frames, 1 + int(x.size()) / hop);
        const int expectedPeak = nearestBin(settings, frequency);
        const double fractionalBin = std::log2(frequency / settings.minFrequency) * 40.0;
        const auto [first, last] = interiorFrames(cqt, x.size());
        QVERIFY(first < last);
        for (int t : {first, (first + last) / 2, last}) {
            QCOMPARE(peakBin(c, t), expectedPeak);
            double inLobe = 0.0, total = 0.0;
            const double peak = std::abs(c.values[size_t(t * c.bins + expectedPeak)]);
            for (int k = 0; k < c.bins; ++k) {
                const double m = std::abs(c.values[size_t(t * c.bins + k)]);
                // Kernel-bandwidths between the sine and bin k: |x| < 2 is the main lobe.
                const double away =
                    (frequency - cqt.binFrequency(k)) / cqt.binFrequency(k) * cqt.q();
                total += m * m;
                if (std::abs(away) < 2.0)
                    inLobe += m * m;
                else
                    QVERIFY2(m < peak * std::pow(10.0, -30.0 / 20.0),
                             qPrintable(QStringLiteral("bin %1 (%2 bins from the sine) at %3 dB")
                                            .arg(k)
                                            .arg(k - fractionalBin)
                                            .arg(20 * std::log10(m / peak))));
            }
            QVERIFY2(inLobe >= 0.995 * total, qPrintable(QString::number(inLobe / total)));
            // A unit sine gives 0.5 at its own frequency (L1-normalised kernels).
            const double away = (frequency - cqt.binFrequency(expectedPeak)) /
                                cqt.binFrequency(expectedPeak) * cqt.q();
            const double expected = 0.5 * hannResponse(away);
            QVERIFY2(std::abs(peak - expected) <= 0.02 * expected,
                     qPrintable(QStringLiteral("|C| %1, expected %2").arg(peak).arg(expected)));
        }
    }

    void stationarySinePhaseAdvance_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<double>("frequency");
        QTest::newRow("440 @44.1k") << 44100 << 440.0;
        QTest::newRow("97.3 @44.1k") << 44100 << 97.3;
        QTest::newRow("2718 @44.1k") << 44100 << 2718.0;
        QTest::newRow("1234.5 @16k") << 16000 << 1234.5;
    }

    // The coefficient of a sine at f turns by 2π f hop / rate per frame (ConstantQ.h).
    void stationarySinePhaseAdvance() {
        QFETCH(int, rate);
        QFETCH(double, frequency);
        const ConstantQ cqt = makeCqt(rate);
        const std::vector<float> x = sine(frequency, rate, 2.0, 0.7, 0.4);
        const analysis::CqtCoefficients c = transformed(cqt, x);
        const int k = nearestBin(cqt.settings(), frequency);
        const double expected =
            std::remainder(2.0 * std::numbers::pi * frequency * 256 / rate, 2.0 * std::numbers::pi);
        const auto [first, last] = interiorFrames(cqt, x.size());
        for (int t = first; t < last; ++t) {
            const std::complex<double> a(c.values[size_t(t * c.bins + k)]);
            const std::complex<double> b(c.values[size_t((t + 1) * c.bins + k)]);
            QVERIFY2(
                std::abs(std::remainder(std::arg(b / a) - expected, 2.0 * std::numbers::pi)) < 1e-3,
                qPrintable(QStringLiteral("frame %1: advance %2, expected %3")
                               .arg(t)
                               .arg(std::arg(b / a))
                               .arg(expected)));
        }
    }

    // An exponential sweep over two octaves in 4 s: the loudest bin follows its pitch.
    void logChirpIsFollowed() {
        const int rate = 44100;
        const double f0 = 200.0, f1 = 800.0, seconds = 4.0;
        const ConstantQ cqt = makeCqt(rate);
        const std::vector<float> x = logChirp(f0, f1, rate, seconds);
        const analysis::CqtCoefficients c = transformed(cqt, x);
        // Frames whose 200 Hz kernel lies inside the sweep.
        const auto [first, last] = interiorFrames(cqt, x.size(), nearestBin(cqt.settings(), f0));
        int previous = 0;
        for (int t = first; t <= last; ++t) {
            const double f = logChirpFrequency(f0, f1, seconds, double(t) * 256 / rate);
            const int peak = peakBin(c, t);
            QVERIFY2(std::abs(peak - nearestBin(cqt.settings(), f)) <= 1,
                     qPrintable(QStringLiteral("frame %1: peak bin %2, pitch %3 Hz is bin %4")
                                    .arg(t)
                                    .arg(peak)
                                    .arg(f)
                                    .arg(nearestBin(cqt.settings(), f))));
            QVERIFY(peak >= previous);
            previous = peak;
        }
        QVERIFY(previous - peakBin(c, first) >= 75);  // two octaves, less the edge frames
    }

    // A click at frame t0: every bin of every octave answers at t0 with 1 / Σw (≈ 2 / L_k), and
    // nothing is left one kernel half-length (plus a hop) away.
    void clickIsBroadbandAndLocal() {
        const int rate = 44100;
        const int t0 = 172;
        std::vector<float> x(size_t(2 * rate), 0.0f);
        x[size_t(t0 * 256)] = 1.0f;
        const ConstantQ cqt = makeCqt(rate);
        const analysis::CqtCoefficients c = transformed(cqt, x);
        for (int k = 0; k < c.bins; ++k) {
            const double length = cqt.kernelLength(k);
            const double expected = 2.0 / length;
            const double atClick = std::abs(c.values[size_t(t0 * c.bins + k)]);
            QVERIFY2(std::abs(atClick - expected) < 0.05 * expected,
                     qPrintable(QStringLiteral("bin %1: %2 at the click, expected %3")
                                    .arg(k)
                                    .arg(atClick)
                                    .arg(expected)));
            for (int t = 0; t < c.frames; ++t) {
                const double m = std::abs(c.values[size_t(t * c.bins + k)]);
                QVERIFY(m <= atClick * 1.0001);
                if (std::abs(double(t - t0) * 256) > length / 2.0 + 256)
                    QVERIFY2(m < 1e-3 * atClick,
                             qPrintable(QStringLiteral("bin %1 frame %2: %3 dB below the click")
                                            .arg(k)
                                            .arg(t)
                                            .arg(20 * std::log10(m / atClick))));
            }
        }
    }

    void frameCounts() {
        const ConstantQ cqt = makeCqt(16000);
        QCOMPARE(cqt.frameCount(0), 0);
        QCOMPARE(cqt.frameCount(1), 1);
        QCOMPARE(cqt.frameCount(255), 1);
        QCOMPARE(cqt.frameCount(256), 2);
        const core::Result<analysis::CqtCoefficients> empty = cqt.transform(nullptr, 0);
        QVERIFY(empty.ok());
        QCOMPARE(empty->frames, 0);
        QVERIFY(empty->values.empty());
        const std::vector<float> one = {0.5f};
        QCOMPARE(transformed(cqt, one).frames, 1);
    }

    void cancelAndProgress() {
        const ConstantQ cqt = makeCqt(44100);
        const std::vector<float> x = sine(440.0, 44100, 3.0);
        std::vector<double> reported;
        const auto done = cqt.transform(x.data(), int64_t(x.size()), nullptr,
                                        [&](double p) { reported.push_back(p); });
        QVERIFY(done.ok());
        QVERIFY(reported.size() >= 6);
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
        QCOMPARE(reported.back(), 1.0);
        std::atomic<bool> cancel{true};
        const auto cancelled = cqt.transform(x.data(), int64_t(x.size()), &cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(QString::fromStdString(cancelled.errorMessage()),
                 QString(analysis::kRainbowgramCancelled));
    }
};

QTEST_GUILESS_MAIN(TestConstantQ)
#include "TestConstantQ.moc"
