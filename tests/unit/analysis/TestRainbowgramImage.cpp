// RainbowgramImage: matplotlib's "rainbow" colormap values, brightness from dB, and the picture
// layout (width = frames, height = bins, low frequencies at the bottom).
#include <QtTest>

#include <cmath>

#include "analysis/RainbowgramImage.h"

using namespace toccata;
using analysis::Colour;
using analysis::Rainbowgram;

namespace {

bool near(const Colour& c, double r, double g, double b) {
    return std::abs(c.red - r) < 1e-6 && std::abs(c.green - g) < 1e-6 &&
           std::abs(c.blue - b) < 1e-6;
}

Rainbowgram smallGram() {
    Rainbowgram g;
    g.sampleRate = 16000;
    g.frames = 3;
    g.bins = 2;
    g.rangeDb = 70.0;
    g.magnitudeDb = {-70.0f, 0.0f, -35.0f, -70.0f, 0.0f, 0.0f};  // frame-major
    g.phaseAdvance = {0.0f, -1.0f, 0.0f, 0.0f, 1.0f, 0.0f};
    g.frequencyHz.assign(6, 100.0f);
    return g;
}

}  // namespace

class TestRainbowgramImage : public QObject {
    Q_OBJECT

private slots:
    void rainbowColourMatchesMatplotlib() {
        // gnuplot palette 33,13,10: r = |2x - 0.5|, g = sin(πx), b = cos(πx / 2).
        QVERIFY(near(analysis::rainbowColour(0.0), 0.5, 0.0, 1.0));  // violet
        QVERIFY(near(analysis::rainbowColour(0.5), 0.5, 1.0, std::sqrt(0.5)));
        QVERIFY(near(analysis::rainbowColour(1.0), 1.0, 0.0, 0.0));  // red (sin π ≈ 0)
        QVERIFY(near(analysis::rainbowColour(0.25), 0.0, std::sqrt(0.5), std::cos(M_PI / 8)));
        QVERIFY(near(analysis::rainbowColour(-3.0), 0.5, 0.0, 1.0));  // clamped
        QVERIFY(near(analysis::rainbowColour(7.0), 1.0, 0.0, 0.0));
        QCOMPARE(analysis::colourPosition(-1.0f), 0.0);
        QCOMPARE(analysis::colourPosition(1.0f), 1.0);
    }

    void brightnessFromDb() {
        const Rainbowgram g = smallGram();
        QCOMPARE(analysis::brightness(g, 0.0f), 1.0);
        QCOMPARE(analysis::brightness(g, -35.0f), 0.5);
        QCOMPARE(analysis::brightness(g, -70.0f), 0.0);
        QCOMPARE(analysis::brightness(g, -90.0f), 0.0);
    }

    void layoutLowFrequenciesAtTheBottom() {
        const Rainbowgram g = smallGram();
        const std::vector<uint8_t> rgb = analysis::renderRgb(g);
        QCOMPARE(rgb.size(), size_t(3 * 2 * 3));
        const auto pixel = [&](int x, int y) {
            const size_t at = (size_t(y) * 3 + size_t(x)) * 3;
            return std::array<int, 3>{rgb[at], rgb[at + 1], rgb[at + 2]};
        };
        // Row 0 = bin 1 (top). Frame 0 bin 1: 0 dB, advance -1 -> violet (128, 0, 255).
        QCOMPARE(pixel(0, 0), (std::array<int, 3>{128, 0, 255}));
        // Frame 0 bin 0 (bottom row): -70 dB -> black.
        QCOMPARE(pixel(0, 1), (std::array<int, 3>{0, 0, 0}));
        // Frame 1 bin 0: -35 dB, advance 0 -> half the colormap's middle entry (128 of 0..255,
        // x = 128/255, as matplotlib's 256-entry table samples it): 0.5·(0.504, 1.0, 0.706).
        QCOMPARE(pixel(1, 1), (std::array<int, 3>{64, 127, 90}));
        // Frame 2 bin 0: 0 dB, advance +1 -> red.
        QCOMPARE(pixel(2, 1), (std::array<int, 3>{255, 0, 0}));
    }

    void emptyGramGivesNoPixels() { QVERIFY(analysis::renderRgb(Rainbowgram{}).empty()); }
};

QTEST_GUILESS_MAIN(TestRainbowgramImage)
#include "TestRainbowgramImage.moc"
