// Settings ▸ Audio and MIDI with a real PlaybackController: under a private JACK server the
// dialog lists the JACK API, applies rate and buffer size and reports the latency they give; a
// missing or corrupt SoundFont is named and the previous one stays; the applied values are
// stored for the next start; "no audio output" keeps the transport on the silent clock.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "../../integration/midi_ports/JackServer.h"
#include "TestSupport.h"
#include "app/AudioSettings.h"
#include "app/Document.h"
#include "app/PlaybackController.h"
#include "ui/SettingsDialog.h"

using namespace toccata;

class TestSettingsDialog : public QObject {
    Q_OBJECT

private:
    JackServer m_server;
    QTemporaryDir m_dir;
    QString m_soundFont;

    /// A controller playing through the private JACK server with the test SoundFont.
    struct Studio {
        app::Document document;
        app::PlaybackController playback{document};
        app::AudioSettings settings;
    };
    std::unique_ptr<Studio> studio() const {
        auto s = std::make_unique<Studio>();
        s->settings.api = "jack";
        s->settings.soundFont = m_soundFont;
        if (!s->playback.applySettings(s->settings).ok()) return nullptr;
        if (!s->playback.loadSoundFontNow(m_soundFont).ok()) return nullptr;
        return s;
    }

    static void choose(QComboBox* combo, const QVariant& data) {
        const int index = combo->findData(data);
        QVERIFY2(index >= 0, qPrintable(combo->objectName() + ": no " + data.toString()));
        combo->setCurrentIndex(index);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_soundFont = test::buildDir() + "/soundfonts/toccata-test.sf2";
        QVERIFY2(QFile::exists(m_soundFont), qPrintable(m_soundFont + " was not generated"));
        const QString why = m_server.start();
        if (!why.isEmpty()) QSKIP(qPrintable("no JACK server: " + why));
    }
    void cleanupTestCase() { m_server.stop(); }

    void appliesDeviceAndReportsLatency() {
        auto s = studio();
        QVERIFY2(s, "the controller did not start on the JACK server");
        app::PlaybackController& playback = s->playback;
        ui::SettingsDialog dialog(playback, nullptr, s->settings);

        auto* api = dialog.findChild<QComboBox*>("AudioApi");
        auto* rate = dialog.findChild<QComboBox*>("SampleRate");
        auto* buffer = dialog.findChild<QComboBox*>("BufferSize");
        QVERIFY(api && rate && buffer);
        choose(api, "jack");
        choose(buffer, 512);
        QVERIFY(dialog.apply());
        QVERIFY2(playback.engine().isOpen(), qPrintable(playback.engineStatusText()));
        // The dummy server runs at 48 kHz with 256-frame periods; JACK decides the buffer.
        QVERIFY2(dialog.latencyText().endsWith(" ms"), qPrintable(dialog.latencyText()));
        QVERIFY(playback.latencyMs() > 0.0);
        QVERIFY2(playback.engineStatusText().contains("48000 Hz"),
                 qPrintable(playback.engineStatusText()));
        QSettings store;
        const app::AudioSettings stored = app::AudioSettings::load(store);
        QCOMPARE(stored.api, QString("jack"));
        QCOMPARE(stored.bufferFrames, 512);
        QCOMPARE(stored.soundFont, m_soundFont);
        Q_UNUSED(rate);
    }

    void badSoundFontsAreNamedAndTheOldOneStays() {
        auto s = studio();
        QVERIFY2(s, "the controller did not start on the JACK server");
        app::PlaybackController& playback = s->playback;
        ui::SettingsDialog dialog(playback, nullptr, s->settings);
        auto* path = dialog.findChild<QLineEdit*>("SoundFontPath");
        QVERIFY(path);

        const QString missing = m_dir.filePath("gone.sf2");
        path->setText(missing);
        QVERIFY(!dialog.apply());
        QVERIFY2(dialog.soundFontError().contains(missing), qPrintable(dialog.soundFontError()));
        QCOMPARE(QString::fromStdString(playback.engine().soundFontPath()), m_soundFont);
        QCOMPARE(dialog.appliedSettings().soundFont, m_soundFont);

        const QString corrupt = m_dir.filePath("corrupt.sf2");
        QFile f(corrupt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF\x10\x00\x00\x00sfbkLIST", 16);
        f.close();
        path->setText(corrupt);
        QVERIFY(!dialog.apply());
        QVERIFY2(dialog.soundFontError().contains("corrupt.sf2"),
                 qPrintable(dialog.soundFontError()));
        QCOMPARE(QString::fromStdString(playback.engine().soundFontPath()), m_soundFont);

        path->setText(m_soundFont);
        QVERIFY(dialog.apply());
        QCOMPARE(dialog.soundFontError(), QString());
    }

    void noAudioOutputKeepsTheTransport() {
        auto s = studio();
        QVERIFY2(s, "the controller did not start on the JACK server");
        app::PlaybackController& playback = s->playback;
        ui::SettingsDialog dialog(playback, nullptr, s->settings);
        choose(dialog.findChild<QComboBox*>("AudioApi"), QString(app::AudioSettings::kAudioOff));
        dialog.apply();
        QVERIFY(!playback.engine().isOpen());
        QVERIFY(playback.engine().isSilentClockRunning());
        QVERIFY2(dialog.latencyText().startsWith("no audio device"),
                 qPrintable(dialog.latencyText()));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "TestSettingsDialog.moc"
