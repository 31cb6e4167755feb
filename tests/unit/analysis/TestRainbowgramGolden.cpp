// computeRainbowgram against golden arrays from tools/analysis/rainbowgram_reference.py: an
// independent direct constant-Q (one float64 dot product per frame and bin at the input rate,
// no decimation, no spectral kernels) of the same definition, on a synthetic tone with harmonics
// and on notes rendered through FluidSynth with the generated test SoundFont (16 kHz WAVs in
// tests/data/analysis).
//
// Tolerances (measured differences were about a third of them): magnitude within 0.1 dB where
// the reference is above -40 dB and 0.3 dB above -50 dB (the fast path's sparse kernels and
// band-limiting matter only far down); colour values where the cell and the frame before are
// both above -40 dB (elsewhere a phase difference involves a near-silent cell, whose phase is
// noise): phase advance within 0.01 (× π) and frequency within 0.25 Hz.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

#include "TestSupport.h"
#include "analysis/Rainbowgram.h"
#include "audio/WavReader.h"

using namespace toccata;
using namespace toccata::test;

class TestRainbowgramGolden : public QObject {
    Q_OBJECT

private slots:
    void matchesDirectReference_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("tone with harmonics") << "tone_harmonics";
        QTest::newRow("rendered notes") << "rendered_notes";
    }

    void matchesDirectReference() {
        QFETCH(QString, name);
        const QString base = sourceDir() + "/tests/data/analysis/" + name;
        QFile file(base + ".json");
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QJsonObject golden = QJsonDocument::fromJson(file.readAll()).object();
        QVERIFY(!golden.isEmpty());
        const core::Result<audio::WavData> wav = audio::readWavFile(toStd(base + ".wav"));
        QVERIFY2(wav.ok(), wav.ok() ? "" : wav.errorMessage().c_str());
        QCOMPARE(wav->audio.channelCount(), 1);

        analysis::RainbowgramSettings settings;
        settings.cqt.hopLength = golden["hopLength"].toInt();
        settings.cqt.binsPerOctave = golden["binsPerOctave"].toInt();
        settings.cqt.binCount = golden["bins"].toInt();
        settings.cqt.minFrequency = golden["minFrequency"].toDouble();
        settings.cqt.filterScale = golden["filterScale"].toDouble();
        settings.rangeDb = golden["rangeDb"].toDouble();
        const std::vector<float>& x = wav->audio.channels[0];
        const auto result = analysis::computeRainbowgram(x.data(), int64_t(x.size()),
                                                         wav->audio.sampleRate, settings);
        QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
        const analysis::Rainbowgram& g = *result;
        QCOMPARE(g.sampleRate, golden["sampleRate"].toInt());
        QCOMPARE(g.frames, golden["frames"].toInt());
        QCOMPARE(g.bins, golden["bins"].toInt());
        const double peak = golden["peakMagnitude"].toDouble();
        QVERIFY2(
            std::abs(g.peakMagnitude - peak) < 1e-4 * peak,
            qPrintable(QStringLiteral("peak %1, reference %2").arg(g.peakMagnitude).arg(peak)));

        const QJsonArray db = golden["magnitudeDb"].toArray();
        QCOMPARE(qsizetype(db.size()), qsizetype(g.magnitudeDb.size()));
        double worstDb = 0.0;
        int loud = 0;
        for (qsizetype i = 0; i < db.size(); ++i) {
            const double reference = db[i].toDouble();
            const double diff = std::abs(g.magnitudeDb[size_t(i)] - reference);
            if (reference > -40.0) {
                ++loud;
                worstDb = std::max(worstDb, diff);
            }
            QVERIFY2(reference <= -50.0 || diff < (reference > -40.0 ? 0.1 : 0.3),
                     qPrintable(QStringLiteral("cell %1 (frame %2 bin %3): %4 dB, reference %5")
                                    .arg(i)
                                    .arg(i / g.bins)
                                    .arg(i % g.bins)
                                    .arg(g.magnitudeDb[size_t(i)])
                                    .arg(reference)));
        }
        QVERIFY2(loud > 500, qPrintable(QString::number(loud)));

        double worstAdvance = 0.0, worstHz = 0.0;
        int compared = 0;
        for (const QJsonValue& cell : golden["loudCells"].toArray()) {
            const QJsonArray c = cell.toArray();
            const int i = c[0].toInt();
            if (i < g.bins || db[i].toDouble() <= -40.0 || db[i - g.bins].toDouble() <= -40.0)
                continue;
            ++compared;
            // Phase advance is an angle / π: compare around the circle.
            const double advance = std::remainder(g.phaseAdvance[size_t(i)] - c[1].toDouble(), 2.0);
            const double hz = std::abs(g.frequencyHz[size_t(i)] - c[2].toDouble());
            worstAdvance = std::max(worstAdvance, std::abs(advance));
            worstHz = std::max(worstHz, hz);
            QVERIFY2(std::abs(advance) < 0.01 && hz < 0.25,
                     qPrintable(QStringLiteral("cell %1: advance %2 vs %3, %4 Hz vs %5")
                                    .arg(i)
                                    .arg(g.phaseAdvance[size_t(i)])
                                    .arg(c[1].toDouble())
                                    .arg(g.frequencyHz[size_t(i)])
                                    .arg(c[2].toDouble())));
        }
        QVERIFY2(compared > 500, qPrintable(QString::number(compared)));
        qInfo(
            "%s: %d cells above -40 dB, worst %.4f dB; %d colour values, worst advance %.5f, "
            "worst %.4f Hz",
            qPrintable(name), loud, worstDb, compared, worstAdvance, worstHz);
    }
};

QTEST_GUILESS_MAIN(TestRainbowgramGolden)
#include "TestRainbowgramGolden.moc"
