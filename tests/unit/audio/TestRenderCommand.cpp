// `toccata-cli render`: arguments, exit codes and the WAV it writes, run in-process through
// the command's run function.
#include <QTemporaryDir>
#include <QtTest>

#include <iostream>
#include <sstream>

#include "AudioTestSupport.h"
#include "audio/WavReader.h"
#include "cli/Command.h"
#include "core/midi/MidiIO.h"

namespace toccata::cli {
extern const Command kRenderCommand;
}

using namespace toccata;
using namespace toccata::test;

namespace {

struct Run {
    int exitCode = -1;
    std::string out;
    std::string err;
};

Run render(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    std::streambuf* oldOut = std::cout.rdbuf(out.rdbuf());
    std::streambuf* oldErr = std::cerr.rdbuf(err.rdbuf());
    Run run;
    run.exitCode = cli::kRenderCommand.run(args);
    std::cout.rdbuf(oldOut);
    std::cerr.rdbuf(oldErr);
    run.out = out.str();
    run.err = err.str();
    return run;
}

QByteArray describe(const Run& run) {
    return QByteArray("exit ") + QByteArray::number(run.exitCode) +
           "\nstdout: " + QByteArray::fromStdString(run.out) +
           "\nstderr: " + QByteArray::fromStdString(run.err);
}

}  // namespace

class TestRenderCommand : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_midi;
    std::string path(const char* name) const { return toStd(m_dir.path() + "/" + name); }

private slots:
    void initTestCase() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        QCOMPARE(std::string(cli::kRenderCommand.name), std::string("render"));
        auto seq = makeSequence({makeNote(60, 0.0, 0.5), makeNote(64, 0.5, 1.0, 80),
                                 makeNote(36, 0.0, 0.1, 0, true, 1)});
        m_midi = path("song.mid");
        const core::Status written = core::writeMidiFile(seq, m_midi);
        QVERIFY2(written.ok(), written.errorMessage().c_str());
        writeBytes(m_dir.path() + "/garbage.mid", "this is not MIDI");
        writeBytes(m_dir.path() + "/garbage.sf2", "this is not a SoundFont");
    }

    void helpPrintsUsage() {
        const Run run = render({"--help"});
        QCOMPARE(run.exitCode, int(cli::kExitOk));
        QVERIFY2(run.out.find("usage: toccata-cli render") != std::string::npos, describe(run));
    }

    void badArgumentsAreUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList{};
        QTest::newRow("no --out") << QStringList{"--in", "x.mid"};
        QTest::newRow("no --in") << QStringList{"--out", "x.wav"};
        QTest::newRow("rate too low")
            << QStringList{"--in", "x.mid", "--out", "x.wav", "--rate", "1000"};
        QTest::newRow("rate not a number")
            << QStringList{"--in", "x.mid", "--out", "x.wav", "--rate", "fast"};
        QTest::newRow("20 bits") << QStringList{"--in", "x.mid", "--out", "x.wav", "--bits", "20"};
        QTest::newRow("unknown option") << QStringList{"--in", "x.mid", "--out", "x.wav", "--loud"};
        QTest::newRow("positional") << QStringList{"--in", "x.mid", "--out", "x.wav", "extra"};
    }
    void badArgumentsAreUsageErrors() {
        QFETCH(QStringList, args);
        std::vector<std::string> argv;
        for (const QString& a : args) argv.push_back(toStd(a));
        const Run run = render(argv);
        QCOMPARE(run.exitCode, int(cli::kExitUsage));
        QVERIFY2(!run.err.empty(), describe(run));
    }

    void failuresHaveTheirExitCodes_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString dir = m_dir.path();
        const QString midi = QString::fromStdString(m_midi);
        const QString sf2 = QString::fromStdString(testSoundFontPath());
        QTest::newRow("missing SoundFont")
            << QStringList{"--in", midi, "--out", dir + "/a.wav", "--sf2", dir + "/none.sf2"}
            << int(cli::kExitMissingResource) << dir + "/none.sf2' does not exist";
        QTest::newRow("garbage SoundFont")
            << QStringList{"--in", midi, "--out", dir + "/a.wav", "--sf2", dir + "/garbage.sf2"}
            << int(cli::kExitInputError) << "garbage.sf2' is not a SoundFont";
        QTest::newRow("garbage MIDI")
            << QStringList{"--in", dir + "/garbage.mid", "--out", dir + "/a.wav", "--sf2", sf2}
            << int(cli::kExitInputError) << "garbage.mid";
        QTest::newRow("missing MIDI")
            << QStringList{"--in", dir + "/none.mid", "--out", dir + "/a.wav", "--sf2", sf2}
            << int(cli::kExitInputError) << "none.mid";
        QTest::newRow("output folder missing")
            << QStringList{"--in", midi, "--out", dir + "/no/such/a.wav", "--sf2", sf2}
            << int(cli::kExitOutputError) << "does not exist";
    }
    void failuresHaveTheirExitCodes() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        std::vector<std::string> argv;
        for (const QString& a : args) argv.push_back(toStd(a));
        const Run run = render(argv);
        QVERIFY2(run.exitCode == exitCode, describe(run));
        QVERIFY2(run.err.find(toStd(message)) != std::string::npos, describe(run));
        QVERIFY(!QFile::exists(m_dir.path() + "/a.wav"));
    }

    void rendersAWav() {
        const std::string out = path("song.wav");
        const Run run = render({"--in", m_midi, "--out", out, "--sf2", testSoundFontPath(),
                                "--rate", "48000", "--bits", "24"});
        QVERIFY2(run.exitCode == cli::kExitOk, describe(run));
        QVERIFY2(run.out.find("SoundFont: " + testSoundFontPath()) != std::string::npos,
                 describe(run));
        QVERIFY2(run.out.find("x real time") != std::string::npos, describe(run));
        qInfo("%s", run.out.c_str());
        const auto wav = audio::readWavFile(out);
        QVERIFY2(wav.ok(), wav.ok() ? "" : wav.errorMessage().c_str());
        QCOMPARE(wav->audio.sampleRate, 48000);
        QCOMPARE(wav->bitsPerSample, 24);
        QCOMPARE(wav->audio.channelCount(), 2);
        QVERIFY(wav->audio.frameCount() >= 48000);              // the last note ends at 1 s
        QVERIFY(wav->audio.frameCount() <= 48000 + 2 * 48000);  // + at most 2 s of tail
        QVERIFY(rms(wav->audio.channels[0], 0, 48000) > 0.005);
    }

    void findsTheSoundFontThroughTheEnvironment() {
        qputenv("TOCCATA_SOUNDFONT", QByteArray::fromStdString(testSoundFontPath()));
        const Run run = render({"--in", m_midi, "--out", path("env.wav")});
        qunsetenv("TOCCATA_SOUNDFONT");
        QVERIFY2(run.exitCode == cli::kExitOk, describe(run));
        QVERIFY2(run.out.find("SoundFont: " + testSoundFontPath() + " ($TOCCATA_SOUNDFONT)") !=
                     std::string::npos,
                 describe(run));
        const auto wav = audio::readWavFile(path("env.wav"));
        QVERIFY(wav.ok());
        QCOMPARE(wav->audio.sampleRate, 44100);
        QCOMPARE(wav->bitsPerSample, 16);
    }
};

QTEST_GUILESS_MAIN(TestRenderCommand)
#include "TestRenderCommand.moc"
