// Synth + SoundFont loading: the generated test SoundFont loads cleanly and sounds right, and
// every kind of bad SoundFont file gets an error that names the file and the problem.
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <cstdio>
#include <thread>

#include "AudioTestSupport.h"
#include "audio/SoundFontLocator.h"
#include "audio/Synth.h"

using namespace toccata;
using namespace toccata::test;

namespace {

audio::SynthSettings dry() {
    audio::SynthSettings settings;
    settings.reverb = false;
    settings.chorus = false;
    return settings;
}

QByteArray testSoundFontBytes() {
    QFile file(QString::fromStdString(testSoundFontPath()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll();
}

/// Renders `frames` frames of channel 0 after a note-on; returns the left channel.
std::vector<float> renderNote(audio::Synth& synth, int channel, int program, int key, int frames) {
    synth.reset();
    if (!synth.isDrumChannel(channel)) synth.programChange(channel, program);
    synth.noteOn(channel, key, 100);
    std::vector<float> left(static_cast<size_t>(frames)), right(static_cast<size_t>(frames));
    synth.render(left.data(), right.data(), frames);
    return left;
}

/// Runs `body` with stderr redirected to a file; returns what was written to stderr.
template <typename Body>
QByteArray captureStderr(Body body) {
    QTemporaryDir dir;
    const QByteArray path = (dir.path() + "/stderr.txt").toLocal8Bit();
    std::fflush(stderr);
    const int saved = ::dup(2);
    std::FILE* file = std::fopen(path.constData(), "w");
    ::dup2(::fileno(file), 2);
    body();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::fclose(file);
    QFile result(QString::fromLocal8Bit(path));
    return result.open(QIODevice::ReadOnly) ? result.readAll() : QByteArray("<unreadable>");
}

}  // namespace

class TestSynthSoundFont : public QObject {
    Q_OBJECT

private slots:
    void generatedSoundFontPassesTheFileCheck() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        const core::Status status = audio::checkSoundFontFile(testSoundFontPath());
        QVERIFY2(status.ok(), status.errorMessage().c_str());
    }

    void generatedSoundFontLoadsWithoutWarnings() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath());
        QVERIFY2(synth.ok(), synth.ok() ? "" : synth.errorMessage().c_str());
        QCOMPARE((*synth)->setupMessages(), std::vector<std::string>{});
        QCOMPARE((*synth)->presetName(0, 0), std::string("Sine Piano"));
        QCOMPARE((*synth)->presetName(0, 33), std::string("Sine Bass"));
        QCOMPARE((*synth)->presetName(0, 80), std::string("Square Lead"));
        QCOMPARE((*synth)->presetName(0, 81), std::string("Saw Lead"));
        QCOMPARE((*synth)->presetName(audio::kDrumBank, 0), std::string("Test Kit"));
        QVERIFY(!(*synth)->hasPreset(0, 5));
        QVERIFY((*synth)->isDrumChannel(9));
        QVERIFY(!(*synth)->isDrumChannel(0));
        QCOMPARE((*synth)->sampleRate(), 44100);
    }

    void everyPresetSounds_data() {
        QTest::addColumn<int>("program");
        QTest::addColumn<int>("key");
        QTest::addColumn<double>("expectedHz");
        QTest::newRow("sine piano C4") << 0 << 60 << 261.63;
        QTest::newRow("sine piano A4") << 0 << 69 << 440.0;
        QTest::newRow("sine bass C2") << 33 << 36 << 65.41;
        QTest::newRow("square lead C5") << 80 << 72 << 523.25;
        QTest::newRow("saw lead C5") << 81 << 72 << 523.25;
    }
    void everyPresetSounds() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        QFETCH(int, program);
        QFETCH(int, key);
        QFETCH(double, expectedHz);
        auto synth = audio::Synth::create(testSoundFontPath(), dry());
        QVERIFY(synth.ok());
        const std::vector<float> left = renderNote(**synth, 0, program, key, 44100);
        QVERIFY2(rms(left, 0, 44100) > 0.005, qPrintable(QString::number(rms(left, 0, 44100))));
        // Sine and bass have a clean fundamental; count zero crossings over 0.1..0.6 s.
        if (program == 0 || program == 33) {
            const double hz = zeroCrossingHz(left, 4410, 26460, 44100);
            QVERIFY2(std::abs(hz - expectedHz) < expectedHz * 0.01,
                     qPrintable(QString("measured %1 Hz, expected %2 Hz").arg(hz).arg(expectedHz)));
        }
    }

    void drumKitCoversGmKeys35to51() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath(), dry());
        QVERIFY(synth.ok());
        for (int key = 35; key <= 51; ++key) {
            const std::vector<float> left = renderNote(**synth, 9, 0, key, 8820);
            QVERIFY2(rms(left, 0, 8820) > 0.001,
                     qPrintable(QString("drum key %1 is silent").arg(key)));
        }
        // Keys outside the kit stay silent: the kit really is mapped per key.
        const std::vector<float> outside = renderNote(**synth, 9, 0, 60, 8820);
        QCOMPARE(peak(outside, 0, 8820), 0.0);
    }

    void sineRendersOnAMelodicChannelNotAsDrums() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath(), dry());
        QVERIFY(synth.ok());
        // Key 60 has no drum, so a melodic channel 9 must be switched explicitly.
        (*synth)->setDrumChannel(9, false);
        (*synth)->noteOn(9, 60, 100);
        std::vector<float> left(8820), right(8820);
        (*synth)->render(left.data(), right.data(), 8820);
        QVERIFY(rms(left, 0, 8820) > 0.005);
    }

    void resetSilencesEverything() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath(), dry());
        QVERIFY(synth.ok());
        std::vector<float> left(1000), right(1000);
        (*synth)->noteOn(0, 60, 100);
        (*synth)->noteOn(9, 49, 100);
        (*synth)->render(left.data(), right.data(), 1000);  // ends mid-block
        QVERIFY(rms(left, 0, 1000) > 0.005);
        (*synth)->reset();
        QCOMPARE((*synth)->framesRendered() % audio::kFluidBlockFrames, int64_t(0));
        (*synth)->render(left.data(), right.data(), 1000);
        QCOMPARE(peak(left, 0, 1000), 0.0);
        QCOMPARE(peak(right, 0, 1000), 0.0);
        QCOMPARE((*synth)->activeVoiceCount(), 0);
    }

    void missingFileNamesTheFile() {
        const std::string path = "/nonexistent/folder/missing.sf2";
        auto synth = audio::Synth::create(path);
        QVERIFY(!synth.ok());
        QVERIFY2(synth.errorMessage().find(path) != std::string::npos,
                 synth.errorMessage().c_str());
        QVERIFY2(synth.errorMessage().find("does not exist") != std::string::npos,
                 synth.errorMessage().c_str());
    }

    void folderIsRejected() {
        QTemporaryDir dir;
        const core::Status status = audio::checkSoundFontFile(toStd(dir.path()));
        QVERIFY(!status.ok());
        QVERIFY2(status.errorMessage().find("is a folder") != std::string::npos,
                 status.errorMessage().c_str());
    }

    void badFilesGetPreciseErrors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray sf2 = testSoundFontBytes();
        QTest::newRow("empty") << QByteArray() << "has only 0 bytes";
        QTest::newRow("garbage") << QByteArray("this is not a soundfont at all, just text\n")
                                 << "does not start with a RIFF header (found 'this')";
        QByteArray wave("RIFF\x24\x00\x00\x00WAVEfmt ", 16);
        QTest::newRow("wav file") << wave << "RIFF 'WAVE' file, not 'sfbk'";
        QTest::newRow("truncated") << sf2.left(sf2.size() / 2) << "is truncated";
        QByteArray noPdta = sf2;
        noPdta.replace(noPdta.indexOf("pdta"), 4, "xxxx");
        QTest::newRow("no pdta") << noPdta << "has no 'pdta' list";
        QByteArray badPhdr = sf2;
        const int phdr = badPhdr.indexOf("phdr");
        badPhdr[phdr + 4] = char(badPhdr[phdr + 4] - 1);  // size no longer a multiple of 38
        QTest::newRow("corrupt phdr") << badPhdr << "'phdr' chunk has";
    }
    void badFilesGetPreciseErrors() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.path() + "/bad.sf2";
        writeBytes(path, bytes);
        auto synth = audio::Synth::create(toStd(path));
        QVERIFY(!synth.ok());
        const std::string message = synth.errorMessage();
        QVERIFY2(message.find(toStd(path)) != std::string::npos, message.c_str());
        QVERIFY2(message.find(toStd(expected)) != std::string::npos, message.c_str());
    }

    void fluidSynthRejectionNamesTheFileAndStaysOffStderr() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        // Structurally sound, so it passes our check, but the instrument generator indices are
        // not monotonic: FluidSynth's own parser rejects it.
        QByteArray bytes = testSoundFontBytes();
        const int ibag = bytes.indexOf("ibag");
        bytes[ibag + 8] = char(0x60);
        bytes[ibag + 9] = char(0xea);
        QTemporaryDir dir;
        const QString path = dir.path() + "/rejected.sf2";
        writeBytes(path, bytes);
        QVERIFY(audio::checkSoundFontFile(toStd(path)).ok());
        std::string message;
        const QByteArray printed = captureStderr([&] {
            auto synth = audio::Synth::create(toStd(path));
            message = synth.ok() ? std::string("loaded") : synth.errorMessage();
        });
        QVERIFY2(message.find("FluidSynth could not load SoundFont '" + toStd(path) + "'") == 0,
                 message.c_str());
        QVERIFY2(message.find("not monotonic") != std::string::npos, message.c_str());
        QVERIFY2(printed.isEmpty(), printed.constData());
    }

    void fluidSynthWarningsAreCapturedNotPrinted() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath());
        QVERIFY(synth.ok());
        audio::FluidLogCapture capture;
        const QByteArray printed = captureStderr([&] { (*synth)->programChange(0, 5); });
        QVERIFY(printed.isEmpty());
        QCOMPARE(capture.messages().size(), size_t(1));
        QVERIFY2(capture.messages()[0].rfind("warning: ", 0) == 0, capture.messages()[0].c_str());
        // Without a capture on this thread the message is only counted.
        const long long before = audio::FluidLogCapture::uncapturedCount();
        std::thread([&] { (*synth)->programChange(1, 6); }).join();
        QCOMPARE(audio::FluidLogCapture::uncapturedCount(), before + 1);
        QCOMPARE(capture.messages().size(), size_t(1));
    }

    void invalidSettingsAreRejected() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        audio::SynthSettings settings;
        settings.sampleRate = 1000;
        auto synth = audio::Synth::create(testSoundFontPath(), settings);
        QVERIFY(!synth.ok());
        QVERIFY2(synth.errorMessage().find("Sample rate 1000") != std::string::npos,
                 synth.errorMessage().c_str());
        settings.sampleRate = 48000;
        auto ok = audio::Synth::create(testSoundFontPath(), settings);
        QVERIFY(ok.ok());
        QCOMPARE((*ok)->sampleRate(), 48000);
    }
};

QTEST_GUILESS_MAIN(TestSynthSoundFont)
#include "TestSynthSoundFont.moc"
