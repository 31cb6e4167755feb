// toccata-cli rainbowgram (builds with audio and analysis): a sine WAV the test writes itself
// (PNG header and pixels, JSON arrays: peak bin, instantaneous frequency), a MIDI file through
// the generated test SoundFont, the size options, and errors that name the file. Skips when
// the command is not built.
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cmath>
#include <numbers>

#include "CliTestSupport.h"
#include "TestSupport.h"

using namespace toccata::test;

namespace {

QByteArray monoWav16(int rate, const std::vector<double>& samples) {
    QByteArray b;
    const auto put32 = [&b](quint32 v) {
        char bytes[4];
        qToLittleEndian(v, bytes);
        b.append(bytes, 4);
    };
    const auto put16 = [&b](quint16 v) {
        char bytes[2];
        qToLittleEndian(v, bytes);
        b.append(bytes, 2);
    };
    const quint32 dataBytes = quint32(samples.size() * 2);
    b.append("RIFF");
    put32(36 + dataBytes);
    b.append("WAVEfmt ");
    put32(16);
    put16(1);  // PCM
    put16(1);  // mono
    put32(quint32(rate));
    put32(quint32(rate * 2));
    put16(2);
    put16(16);
    b.append("data");
    put32(dataBytes);
    for (double s : samples) put16(quint16(qint16(std::lround(s * 32767.0))));
    return b;
}

std::vector<double> sineSamples(double hz, int rate, double seconds, double amplitude) {
    std::vector<double> x(size_t(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = amplitude * std::sin(2.0 * std::numbers::pi * hz * double(i) / rate);
    return x;
}

struct Png {
    QString problem;
    int width = 0, height = 0;
    QByteArray pixels;  // RGB rows, filter bytes removed
};

// Walks the chunks (checking each CRC-free layout), inflates IDAT with qUncompress.
Png readPng(const QByteArray& b) {
    Png png;
    if (!b.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8))) {
        png.problem = "no PNG signature";
        return png;
    }
    QByteArray idat;
    qsizetype pos = 8;
    bool end = false;
    while (pos + 12 <= b.size()) {
        const quint32 size = qFromBigEndian<quint32>(b.constData() + pos);
        const QByteArray type = b.mid(pos + 4, 4);
        const QByteArray data = b.mid(pos + 8, size);
        if (type == "IHDR") {
            png.width = int(qFromBigEndian<quint32>(data.constData()));
            png.height = int(qFromBigEndian<quint32>(data.constData() + 4));
            if (data.mid(8, 5) != QByteArray("\x08\x02\x00\x00\x00", 5))
                png.problem = "IHDR is not 8-bit RGB, deflate, no interlace";
        } else if (type == "IDAT") {
            idat += data;
        } else if (type == "IEND") {
            end = pos + 12 == b.size();
        }
        pos += 12 + qsizetype(size);
    }
    if (!end) png.problem = "IEND missing or not last";
    const qsizetype stride = qsizetype(png.width) * 3 + 1;
    QByteArray sized(4, '\0');
    qToBigEndian(quint32(stride * png.height), sized.data());
    const QByteArray raw = qUncompress(sized + idat);
    if (raw.size() != stride * png.height) {
        png.problem = QStringLiteral("IDAT inflates to %1 bytes, not %2")
                          .arg(raw.size())
                          .arg(stride * png.height);
        return png;
    }
    for (int y = 0; y < png.height; ++y) {
        if (raw[y * stride] != 0) png.problem = "a row uses a filter";
        png.pixels += raw.mid(y * stride + 1, stride - 1);
    }
    return png;
}

int brightness(const Png& png, int x, int y) {
    const qsizetype at = (qsizetype(y) * png.width + x) * 3;
    return quint8(png.pixels[at]) + quint8(png.pixels[at + 1]) + quint8(png.pixels[at + 2]);
}

}  // namespace

class TestCliRainbowgram : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sineWavGivesPngAndArrays();
    void heightAndExplicitJsonPath();
    void midiIsRenderedFirst();
    void badInputsNameTheFile();
    void benchSmoke();

private:
    QTemporaryDir m_dir;
    QString m_soundFont;
    QString m_sine;
};

void TestCliRainbowgram::initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    const CliRun help = runCli({"--help"});
    if (!QRegularExpression("\\n  rainbowgram ").match(help.out).hasMatch())
        QSKIP("this toccata-cli has no rainbowgram command (built without audio or FFTW)");
    m_soundFont = buildDir() + "/soundfonts/toccata-test.sf2";
    QVERIFY(m_dir.isValid());
    m_sine = m_dir.filePath("a440.wav");
    QVERIFY(writeBytes(m_sine, monoWav16(16000, sineSamples(440.0, 16000, 1.0, 0.5))));
}

void TestCliRainbowgram::sineWavGivesPngAndArrays() {
    const QString png = m_dir.filePath("a440.png");
    TOCCATA_RUN_CLI(run, 0, {"rainbowgram", "--in", m_sine, "--out", png, "--json"});
    QVERIFY2(run.out.contains("Wrote " + png) && run.out.contains("63 frames x 240 bins"),
             qPrintable(run.out));
    const Png image = readPng(readBytes(png));
    QVERIFY2(image.problem.isEmpty(), qPrintable(image.problem));
    QCOMPARE(image.width, 1 + 16000 / 256);  // one column per frame
    QCOMPARE(image.height, 240);             // one row per bin
    // 440 Hz is bin 40·log2(440 / 65.406) = 110.0; low frequencies at the bottom: row 129.
    const int peakBin = 110, column = 31;
    int brightest = 0;
    for (int y = 0; y < image.height; ++y)
        if (brightness(image, column, y) > brightness(image, column, brightest)) brightest = y;
    QCOMPARE(brightest, 239 - peakBin);
    QCOMPARE(brightness(image, column, 0), 0);  // 4.1 kHz: nothing there

    QString error;
    const QJsonObject json = parseJsonObject(readBytes(m_dir.filePath("a440.json")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(json["sampleRate"].toInt(), 16000);
    QCOMPARE(json["hopLength"].toInt(), 256);
    QCOMPARE(json["binsPerOctave"].toInt(), 40);
    QCOMPARE(json["frames"].toInt(), 63);
    QCOMPARE(json["bins"].toInt(), 240);
    QVERIFY(near(json["minFrequency"].toDouble(), 65.406391, 1e-5));
    const QJsonArray times = json["times"].toArray();
    const QJsonArray frequencies = json["frequencies"].toArray();
    QCOMPARE(times.size(), 63);
    QCOMPARE(frequencies.size(), 240);
    QVERIFY(near(times[10].toDouble(), 0.16));
    QVERIFY(near(frequencies[40].toDouble(), 2 * 65.406391, 1e-3));
    const QJsonArray db = json["magnitudeDb"].toArray()[column].toArray();
    const QJsonArray hz = json["frequencyHz"].toArray()[column].toArray();
    QCOMPARE(db.size(), 240);
    int loudest = 0;
    for (int k = 0; k < db.size(); ++k)
        if (db[k].toDouble() > db[loudest].toDouble()) loudest = k;
    QCOMPARE(loudest, peakBin);
    QVERIFY2(db[loudest].toDouble() > -1.0, qPrintable(QString::number(db[loudest].toDouble())));
    QVERIFY2(std::abs(hz[peakBin].toDouble() - 440.0) < 1.0,
             qPrintable(QString::number(hz[peakBin].toDouble())));
    for (const QJsonValue& frame : json["phaseAdvance"].toArray())
        for (const QJsonValue& v : frame.toArray())
            QVERIFY(v.toDouble() >= -1.0 && v.toDouble() <= 1.0);
}

void TestCliRainbowgram::heightAndExplicitJsonPath() {
    const QString png = m_dir.filePath("tall.png");
    const QString json = m_dir.filePath("arrays/out.json");
    QVERIFY(QDir(m_dir.path()).mkpath("arrays"));
    TOCCATA_RUN_CLI(run, 0,
                    {"rainbowgram", "--in", m_sine, "--out", png, "--height", "480", "--json", json,
                     "--bins", "200", "--hop", "128"});
    const Png image = readPng(readBytes(png));
    QVERIFY2(image.problem.isEmpty(), qPrintable(image.problem));
    QCOMPARE(image.width, 1 + 16000 / 128);
    QCOMPARE(image.height, 480);
    QString error;
    const QJsonObject arrays = parseJsonObject(readBytes(json), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(arrays["bins"].toInt(), 200);
    QCOMPARE(arrays["hopLength"].toInt(), 128);
    QVERIFY(!QFileInfo::exists(m_dir.filePath("tall.json")));
}

void TestCliRainbowgram::midiIsRenderedFirst() {
    if (!QFileInfo::exists(m_soundFont))
        QSKIP(qPrintable("the test SoundFont is not built: " + m_soundFont));
    const QString midi = m_dir.filePath("simple.mid");
    QVERIFY(writeBytes(midi, simpleMidi()));  // 1.35 s of notes
    const QString png = m_dir.filePath("simple.png");
    TOCCATA_RUN_CLI(run, 0,
                    {"rainbowgram", "--in", midi, "--out", png, "--sf2", m_soundFont, "--rate",
                     "22050", "--json"});
    QString error;
    const QJsonObject json = parseJsonObject(readBytes(m_dir.filePath("simple.json")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(json["sampleRate"].toInt(), 22050);
    // 1.35 s of notes plus at most 2 s of release tail.
    const double seconds = json["frames"].toInt() * 256.0 / 22050;
    QVERIFY2(seconds >= 1.35 && seconds <= 3.4, qPrintable(QString::number(seconds)));
    QCOMPARE(readPng(readBytes(png)).width, json["frames"].toInt());
}

void TestCliRainbowgram::badInputsNameTheFile() {
    const QString png = m_dir.filePath("bad.png");
    const QString missing = m_dir.filePath("nothing.wav");
    TOCCATA_RUN_CLI(gone, 3, {"rainbowgram", "--in", missing, "--out", png});
    QVERIFY2(gone.err.contains(missing), qPrintable(gone.err));

    const QString corrupt = m_dir.filePath("corrupt.wav");
    QVERIFY(writeBytes(corrupt, monoWav16(16000, sineSamples(440, 16000, 0.1, 0.5)).left(30)));
    TOCCATA_RUN_CLI(broken, 3, {"rainbowgram", "--in", corrupt, "--out", png});
    QVERIFY2(broken.err.contains(corrupt), qPrintable(broken.err));

    const QString unwritable = m_dir.filePath("no-such-folder/out.png");
    TOCCATA_RUN_CLI(output, 4, {"rainbowgram", "--in", m_sine, "--out", unwritable});
    QVERIFY2(output.err.contains(unwritable), qPrintable(output.err));

    // 8 kHz audio cannot hold the default top bin (4.1 kHz).
    const QString low = m_dir.filePath("low.wav");
    QVERIFY(writeBytes(low, monoWav16(8000, sineSamples(440, 8000, 0.5, 0.5))));
    TOCCATA_RUN_CLI(nyquist, 2, {"rainbowgram", "--in", low, "--out", png});
    QVERIFY2(nyquist.err.contains(low) && nyquist.err.contains("Nyquist"), qPrintable(nyquist.err));
    TOCCATA_RUN_CLI(fewer, 0, {"rainbowgram", "--in", low, "--out", png, "--bins", "200"});

    TOCCATA_RUN_CLI(rate, 2, {"rainbowgram", "--in", m_sine, "--out", png, "--rate", "22050"});
    QVERIFY2(rate.err.contains("--rate"), qPrintable(rate.err));
    TOCCATA_RUN_CLI(noOut, 2, {"rainbowgram", "--in", m_sine});
    QVERIFY2(noOut.err.contains("--out"), qPrintable(noOut.err));
    TOCCATA_RUN_CLI(hop, 2, {"rainbowgram", "--in", m_sine, "--out", png, "--hop", "0"});
    QVERIFY2(hop.err.contains("--hop"), qPrintable(hop.err));

    const QString midi = m_dir.filePath("simple2.mid");
    QVERIFY(writeBytes(midi, simpleMidi()));
    const QString sf2 = m_dir.filePath("nowhere.sf2");
    TOCCATA_RUN_CLI(font, 5, {"rainbowgram", "--in", midi, "--out", png, "--sf2", sf2});
    QVERIFY2(font.err.contains(sf2), qPrintable(font.err));
}

// `bench rainbowgram` runs end to end on a short signal (timings are printed, never checked).
void TestCliRainbowgram::benchSmoke() {
    TOCCATA_RUN_CLI(run, 0, {"bench", "rainbowgram", "--seconds", "2", "--repeat", "1"});
    QVERIFY2(
        run.out.contains("345 frames x 240 bins") && run.out.contains("toccata (FFTW)  median"),
        qPrintable(run.out));
    // numpy's dB agrees where it ran (or the line says why it did not).
    const QRegularExpressionMatch diff =
        QRegularExpression("above -40 dB: ([0-9.]+)").match(run.out);
    if (diff.hasMatch())
        QVERIFY2(diff.captured(1).toDouble() < 0.2, qPrintable(run.out));
    else
        QVERIFY2(run.out.contains("numpy           not "), qPrintable(run.out));
}

QTEST_GUILESS_MAIN(TestCliRainbowgram)
#include "TestCliRainbowgram.moc"
