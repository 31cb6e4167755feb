// WavWriter / WavReader: round trips for 16/24-bit PCM and 32-bit float, header layout,
// clipping, atomic writes, and clear errors for malformed files.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <QtEndian>

#include <cmath>
#include <numbers>

#include "AudioTestSupport.h"
#include "audio/WavReader.h"
#include "audio/WavWriter.h"

using namespace toccata;
using namespace toccata::test;
using audio::WavSampleFormat;

namespace {

audio::AudioBuffer testSignal(int rate, int channels, int64_t frames) {
    audio::AudioBuffer buffer(rate, channels, frames);
    for (int c = 0; c < channels; ++c)
        for (int64_t i = 0; i < frames; ++i)
            buffer.channels[size_t(c)][size_t(i)] = float(
                0.9 * std::sin(2.0 * std::numbers::pi * (220.0 * (c + 1)) * double(i) / rate));
    return buffer;
}

void put16(QByteArray& b, int v) {
    b.append(char(v & 0xff));
    b.append(char((v >> 8) & 0xff));
}
void put32(QByteArray& b, uint32_t v) {
    put16(b, int(v & 0xffff));
    put16(b, int(v >> 16));
}

/// A hand-made WAV: header fields given explicitly, so tests can break each one.
QByteArray wavBytes(int tag, int channels, int rate, int bits, const QByteArray& data,
                    int blockAlign = -1) {
    if (blockAlign < 0) blockAlign = channels * bits / 8;
    QByteArray fmt;
    put16(fmt, tag);
    put16(fmt, channels);
    put32(fmt, uint32_t(rate));
    put32(fmt, uint32_t(rate * blockAlign));
    put16(fmt, blockAlign);
    put16(fmt, bits);
    QByteArray body = "WAVE";
    body += "fmt ";
    put32(body, uint32_t(fmt.size()));
    body += fmt;
    body += "data";
    put32(body, uint32_t(data.size()));
    body += data;
    QByteArray file = "RIFF";
    put32(file, uint32_t(body.size()));
    return file + body;
}

std::vector<uint8_t> toVector(const QByteArray& bytes) {
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace

class TestWavIO : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<int>("bits");
        QTest::newRow("16-bit 44.1k stereo")
            << int(WavSampleFormat::kPcm16) << 44100 << 2 << 1.0 / 32768 << 16;
        QTest::newRow("16-bit 48k mono")
            << int(WavSampleFormat::kPcm16) << 48000 << 1 << 1.0 / 32768 << 16;
        QTest::newRow("24-bit 48k stereo")
            << int(WavSampleFormat::kPcm24) << 48000 << 2 << 1.0 / 8388608 << 24;
        QTest::newRow("24-bit 22.05k mono, odd size")
            << int(WavSampleFormat::kPcm24) << 22050 << 1 << 1.0 / 8388608 << 24;
        QTest::newRow("float 44.1k stereo")
            << int(WavSampleFormat::kFloat32) << 44100 << 2 << 0.0 << 32;
        QTest::newRow("float 96k 3 channels")
            << int(WavSampleFormat::kFloat32) << 96000 << 3 << 0.0 << 32;
    }
    void roundTrip() {
        QFETCH(int, format);
        QFETCH(int, rate);
        QFETCH(int, channels);
        QFETCH(double, tolerance);
        QFETCH(int, bits);
        const audio::AudioBuffer original = testSignal(rate, channels, 1001);
        const QString file = path(QString("roundtrip-%1.wav").arg(QTest::currentDataTag()));
        const core::Status written =
            audio::writeWavFile(toStd(file), original, WavSampleFormat(format));
        QVERIFY2(written.ok(), written.errorMessage().c_str());
        const auto read = audio::readWavFile(toStd(file));
        QVERIFY2(read.ok(), read.ok() ? "" : read.errorMessage().c_str());
        QCOMPARE(read->bitsPerSample, bits);
        QCOMPARE(read->isFloat, format == int(WavSampleFormat::kFloat32));
        QCOMPARE(read->audio.sampleRate, rate);
        QCOMPARE(read->audio.channelCount(), channels);
        QCOMPARE(read->audio.frameCount(), int64_t(1001));
        double worst = 0.0;
        for (int c = 0; c < channels; ++c)
            for (size_t i = 0; i < 1001; ++i)
                worst = std::max(worst, double(std::abs(read->audio.channels[size_t(c)][i] -
                                                        original.channels[size_t(c)][i])));
        QVERIFY2(worst <= tolerance * 0.5 + 1e-9, qPrintable(QString::number(worst)));
        // The data size is padded to an even length, so the RIFF size stays consistent.
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QCOMPARE(bytes.size() % 2, 0);
        QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + 4), quint32(bytes.size() - 8));
    }

    void pcm16HeaderMatchesTheSpec() {
        const QString file = path("header.wav");
        QVERIFY(audio::writeWavFile(toStd(file), testSignal(48000, 2, 10), WavSampleFormat::kPcm16)
                    .ok());
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray b = raw.readAll();
        QCOMPARE(b.size(), 44 + 40);
        QCOMPARE(b.left(4), QByteArray("RIFF"));
        QCOMPARE(b.mid(8, 8), QByteArray("WAVEfmt "));
        QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 16), 16u);         // fmt size
        QCOMPARE(qFromLittleEndian<quint16>(b.constData() + 20), quint16(1));  // PCM
        QCOMPARE(qFromLittleEndian<quint16>(b.constData() + 22), quint16(2));  // channels
        QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 24), 48000u);
        QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 28), 48000u * 4);  // byte rate
        QCOMPARE(qFromLittleEndian<quint16>(b.constData() + 32), quint16(4));  // block align
        QCOMPARE(qFromLittleEndian<quint16>(b.constData() + 34), quint16(16));
        QCOMPARE(b.mid(36, 4), QByteArray("data"));
        QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 40), 40u);
    }

    void floatFilesCarryFormat3AndAFactChunk() {
        const QString file = path("float.wav");
        QVERIFY(audio::writeWavFile(toStd(file), testSignal(44100, 2, 7), WavSampleFormat::kFloat32)
                    .ok());
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray b = raw.readAll();
        QCOMPARE(qFromLittleEndian<quint16>(b.constData() + 20), quint16(3));
        QCOMPARE(b.mid(38, 4), QByteArray("fact"));
        QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 46), 7u);
    }

    void pcmClipsAndZeroesNaN() {
        audio::AudioBuffer loud(44100, 1, 4);
        loud.channels[0] = {2.0f, -2.0f, std::nanf(""), 1.0f};
        const QString file = path("clip.wav");
        QVERIFY(audio::writeWavFile(toStd(file), loud, WavSampleFormat::kPcm16).ok());
        const auto read = audio::readWavFile(toStd(file));
        QVERIFY(read.ok());
        QCOMPARE(read->audio.channels[0][0], 32767.0f / 32768.0f);
        QCOMPARE(read->audio.channels[0][1], -1.0f);
        QCOMPARE(read->audio.channels[0][2], 0.0f);
        QCOMPARE(read->audio.channels[0][3], 32767.0f / 32768.0f);
    }

    void streamingWriterAppendsBlocks() {
        const audio::AudioBuffer whole = testSignal(44100, 2, 300);
        audio::WavWriter writer;
        QVERIFY(writer.open(toStd(path("stream.wav")), 44100, 2, WavSampleFormat::kFloat32).ok());
        for (size_t start = 0; start < 300; start += 100) {
            const float* planes[2] = {whole.channels[0].data() + start,
                                      whole.channels[1].data() + start};
            QVERIFY(writer.write(planes, 100).ok());
        }
        QVERIFY(!QFile::exists(path("stream.wav")));  // nothing at the target until finish()
        QVERIFY(writer.finish().ok());
        const auto read = audio::readWavFile(toStd(path("stream.wav")));
        QVERIFY(read.ok());
        QVERIFY(read->audio == whole);
    }

    void unfinishedWriteLeavesTheTargetUntouched() {
        const QString target = path("keep.wav");
        writeBytes(target, "previous contents");
        {
            audio::WavWriter writer;
            QVERIFY(writer.open(toStd(target), 44100, 2, WavSampleFormat::kPcm16).ok());
            QVERIFY(writer.write(testSignal(44100, 2, 10)).ok());
        }  // abandoned
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("previous contents"));
        const QStringList leftovers = QDir(m_dir.path()).entryList({"keep.wav.tmp*"}, QDir::Files);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", ")));
    }

    void writeErrorsNameTheFile_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing folder") << path("no/such/folder/out.wav") << "does not exist";
        QTest::newRow("a folder") << m_dir.path() << "it is a folder";
    }
    void writeErrorsNameTheFile() {
        QFETCH(QString, target);
        QFETCH(QString, expected);
        const core::Status status =
            audio::writeWavFile(toStd(target), testSignal(44100, 2, 10), WavSampleFormat::kPcm16);
        QVERIFY(!status.ok());
        QVERIFY2(status.errorMessage().find(toStd(target)) != std::string::npos,
                 status.errorMessage().c_str());
        QVERIFY2(status.errorMessage().find(toStd(expected)) != std::string::npos,
                 status.errorMessage().c_str());
    }

    void readsExtensibleAnd8BitFiles() {
        // WAVE_FORMAT_EXTENSIBLE float, 1 channel, 2 frames.
        QByteArray fmt;
        put16(fmt, 0xfffe);
        put16(fmt, 1);
        put32(fmt, 8000);
        put32(fmt, 32000);
        put16(fmt, 4);
        put16(fmt, 32);
        put16(fmt, 22);  // cbSize
        put16(fmt, 32);  // valid bits
        put32(fmt, 4);   // channel mask
        put16(fmt, 3);   // sub-format GUID begins with the format tag (float)
        fmt += QByteArray(14, '\0');
        QByteArray data;
        const float samples[2] = {0.25f, -0.5f};
        data.append(reinterpret_cast<const char*>(samples), 8);
        QByteArray body = "WAVEfmt ";
        put32(body, uint32_t(fmt.size()));
        body += fmt + "data";
        put32(body, 8);
        body += data;
        QByteArray file = "RIFF";
        put32(file, uint32_t(body.size()));
        file += body;
        auto read = audio::parseWavBytes(toVector(file), "ext.wav");
        QVERIFY2(read.ok(), read.ok() ? "" : read.errorMessage().c_str());
        QVERIFY(read->isFloat);
        QCOMPARE(read->audio.channels[0], (std::vector<float>{0.25f, -0.5f}));

        read = audio::parseWavBytes(
            toVector(wavBytes(1, 1, 8000, 8, QByteArray("\x80\xff\x00", 3))), "u8.wav");
        QVERIFY(read.ok());
        QCOMPARE(read->audio.channels[0], (std::vector<float>{0.0f, 127.0f / 128.0f, -1.0f}));
    }

    void malformedFilesGetClearErrors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray frames("\x01\x00\x02\x00\x03\x00\x04\x00", 8);
        const QByteArray good = wavBytes(1, 2, 44100, 16, frames);
        QTest::newRow("empty") << QByteArray() << "is not a WAV file: it has only 0 bytes";
        QTest::newRow("text") << QByteArray("hello, this is not audio")
                              << "does not start with 'RIFF' (found 'hell')";
        QTest::newRow("RIFF but AVI") << QByteArray(
                                             "RIFF\x04\x00\x00\x00"
                                             "AVI ",
                                             12)
                                      << "RIFF 'AVI ' file";
        QTest::newRow("big-endian RIFX")
            << QByteArray("RIFX\x04\x00\x00\x00WAVE", 12) << "RIFX file, which is not supported";
        QTest::newRow("truncated data")
            << good.left(good.size() - 3)
            << "is truncated: its 'data' chunk at byte 36 declares 8 bytes but only 5 remain";
        QTest::newRow("no fmt") << QByteArray("RIFF\x04\x00\x00\x00WAVE", 12)
                                << "has no 'fmt ' chunk";
        QByteArray dataFirst = "RIFF";
        put32(dataFirst, 16);
        dataFirst += "WAVEdata";
        put32(dataFirst, 0);
        QTest::newRow("data before fmt") << dataFirst << "'data' chunk comes before 'fmt '";
        QTest::newRow("ADPCM") << wavBytes(2, 2, 44100, 4, frames) << "sample format 2";
        QTest::newRow("12-bit") << wavBytes(1, 2, 44100, 12, frames, 4)
                                << "unsupported sample size of 12 bits";
        QTest::newRow("bad block align") << wavBytes(1, 2, 44100, 16, frames, 3)
                                         << "block align 3 does not match 2 channels of 16 bits";
        QTest::newRow("zero channels")
            << wavBytes(1, 0, 44100, 16, frames, 0) << "declares 0 channels";
        QTest::newRow("zero rate") << wavBytes(1, 2, 0, 16, frames) << "sample rate of 0";
        QTest::newRow("partial frame") << wavBytes(1, 2, 44100, 16, frames.left(6))
                                       << "data size 6 is not a whole number of 4-byte frames";
        QTest::newRow("no data") << good.left(36) << "has no 'data' chunk";
    }
    void malformedFilesGetClearErrors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString file = path("malformed.wav");
        writeBytes(file, bytes);
        const auto read = audio::readWavFile(toStd(file));
        QVERIFY(!read.ok());
        const std::string message = read.errorMessage();
        QVERIFY2(message.rfind("WAV file '" + toStd(file) + "' ", 0) == 0, message.c_str());
        QVERIFY2(message.find(toStd(expected)) != std::string::npos, message.c_str());
    }

    void missingFileIsAnError() {
        const auto read = audio::readWavFile(toStd(path("nothing-here.wav")));
        QVERIFY(!read.ok());
        QVERIFY(read.errorMessage().find("nothing-here.wav' does not exist") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestWavIO)
#include "TestWavIO.moc"
