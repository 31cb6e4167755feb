// toccata-cli render (only in builds with audio): a small MIDI file through FluidSynth with the
// generated test SoundFont; the WAV header and length are checked. Skips when the command or
// the SoundFont is not built.
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include "CliTestSupport.h"
#include "TestSupport.h"

using namespace toccata::test;

namespace {

struct WavInfo {
    QString problem;  // empty when the header is sound
    int format = 0;   // 1 PCM, 3 float
    int channels = 0;
    int sampleRate = 0;
    int bitsPerSample = 0;
    qint64 dataBytes = 0;
    double seconds() const {
        const int frameBytes = channels * bitsPerSample / 8;
        return frameBytes > 0 && sampleRate > 0 ? double(dataBytes) / frameBytes / sampleRate : 0;
    }
};

quint32 le32(const QByteArray& b, qsizetype at) {
    return qFromLittleEndian<quint32>(b.constData() + at);
}
quint16 le16(const QByteArray& b, qsizetype at) {
    return qFromLittleEndian<quint16>(b.constData() + at);
}

/// Reads a RIFF/WAVE file's "fmt " and "data" chunks, walking the chunk list.
WavInfo readWav(const QByteArray& b) {
    WavInfo w;
    if (b.size() < 12 || !b.startsWith("RIFF") || b.mid(8, 4) != "WAVE") {
        w.problem = "no RIFF/WAVE header";
        return w;
    }
    if (le32(b, 4) != quint32(b.size() - 8)) w.problem = "RIFF size does not match the file size";
    bool haveFmt = false;
    bool haveData = false;
    qsizetype pos = 12;
    while (pos + 8 <= b.size()) {
        const QByteArray id = b.mid(pos, 4);
        const quint32 size = le32(b, pos + 4);
        const qsizetype body = pos + 8;
        if (id == "fmt " && size >= 16 && body + 16 <= b.size()) {
            haveFmt = true;
            w.format = le16(b, body);
            w.channels = le16(b, body + 2);
            w.sampleRate = int(le32(b, body + 4));
            w.bitsPerSample = le16(b, body + 14);
            const quint32 byteRate = le32(b, body + 8);
            if (byteRate != quint32(w.sampleRate * w.channels * w.bitsPerSample / 8))
                w.problem = "byte rate does not match rate x channels x bits";
        } else if (id == "data") {
            haveData = true;
            w.dataBytes = size;
            if (body + size > b.size()) w.problem = "data chunk runs past the end of the file";
        }
        pos = body + size + (size & 1);
    }
    if (!haveFmt || !haveData) w.problem = "missing fmt or data chunk";
    return w;
}

}  // namespace

class TestCliRender : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void rendersAWavFile();
    void sampleRateAndBits();
    void missingSoundFont();
    void unwritableOutput();
    void corruptInput();

private:
    QTemporaryDir m_dir;
    QString m_soundFont;
    QString m_simple;
};

void TestCliRender::initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    const CliRun help = runCli({"--help"});
    if (!QRegularExpression("\\n  render ").match(help.out).hasMatch())
        QSKIP("this toccata-cli has no render command (built without audio)");
    m_soundFont = buildDir() + "/soundfonts/toccata-test.sf2";
    if (!QFileInfo::exists(m_soundFont))
        QSKIP(qPrintable("the test SoundFont is not built: " + m_soundFont));
    QVERIFY(m_dir.isValid());
    m_simple = m_dir.filePath("simple.mid");
    QVERIFY(writeBytes(m_simple, simpleMidi()));  // 1.35 s of notes
}

void TestCliRender::rendersAWavFile() {
    const QString wav = m_dir.filePath("simple.wav");
    TOCCATA_RUN_CLI(run, 0, {"render", "--in", m_simple, "--out", wav, "--sf2", m_soundFont});
    const WavInfo info = readWav(readBytes(wav));
    QVERIFY2(info.problem.isEmpty(), qPrintable(info.problem));
    QCOMPARE(info.format, 1);  // 16-bit PCM by default
    QCOMPARE(info.bitsPerSample, 16);
    QCOMPARE(info.channels, 2);
    QCOMPARE(info.sampleRate, 44100);
    // The notes last 1.35 s; the release tail adds at most 2 s.
    QVERIFY2(info.seconds() >= 1.35 && info.seconds() <= 1.35 + 2.0 + 0.05,
             qPrintable(QString::number(info.seconds())));
    QVERIFY2(run.out.contains("Wrote " + wav), qPrintable(run.out));
    // Not silence: some sample is clearly above the noise floor.
    const QByteArray bytes = readBytes(wav);
    const qsizetype dataStart = bytes.indexOf("data") + 8;
    int peak = 0;
    for (qsizetype i = dataStart; i + 1 < bytes.size(); i += 2)
        peak = std::max(peak, std::abs(int(qFromLittleEndian<qint16>(bytes.constData() + i))));
    QVERIFY2(peak > 300, qPrintable(QString::number(peak)));
}

void TestCliRender::sampleRateAndBits() {
    const QString wav = m_dir.filePath("simple-48k.wav");
    TOCCATA_RUN_CLI(run, 0,
                    {"render", "--in", m_simple, "--out", wav, "--sf2", m_soundFont, "--rate",
                     "48000", "--bits", "24"});
    const WavInfo info = readWav(readBytes(wav));
    QVERIFY2(info.problem.isEmpty(), qPrintable(info.problem));
    QCOMPARE(info.sampleRate, 48000);
    QCOMPARE(info.bitsPerSample, 24);
    QVERIFY(info.seconds() >= 1.35 && info.seconds() <= 3.4);
    TOCCATA_RUN_CLI(bad, 2, {"render", "--in", m_simple, "--out", wav, "--bits", "12"});
    QVERIFY2(bad.err.contains("--bits"), qPrintable(bad.err));
}

void TestCliRender::missingSoundFont() {
    const QString sf2 = m_dir.filePath("nowhere.sf2");
    const QString wav = m_dir.filePath("nosf.wav");
    TOCCATA_RUN_CLI(run, 5, {"render", "--in", m_simple, "--out", wav, "--sf2", sf2});
    QVERIFY2(run.err.contains(sf2), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(wav));
}

void TestCliRender::unwritableOutput() {
    const QString wav = m_dir.filePath("missing-folder/out.wav");
    TOCCATA_RUN_CLI(run, 4, {"render", "--in", m_simple, "--out", wav, "--sf2", m_soundFont});
    QVERIFY2(run.err.contains(wav), qPrintable(run.err));
}

void TestCliRender::corruptInput() {
    const QString in = m_dir.filePath("corrupt.mid");
    QVERIFY(writeBytes(in, simpleMidi().left(30)));
    TOCCATA_RUN_CLI(run, 3,
                    {"render", "--in", in, "--out", m_dir.filePath("c.wav"), "--sf2", m_soundFont});
    QVERIFY2(run.err.contains(in), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestCliRender)
#include "TestCliRender.moc"
