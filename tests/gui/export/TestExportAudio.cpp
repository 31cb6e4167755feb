// File ▸ Export audio in the real main window (audio output off, the generated test SoundFont):
// the song as WAV 24-bit 48 kHz and 16-bit 44.1 kHz read back with the right rate, depth,
// channels, length and sound; a muted track stays out of the song; the selection starts at its
// first note; cancelling leaves no file; a bad path is an error the app survives; the dialog's
// options. Asserts on the files and the window's state, not on pixels.
#include <QAction>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "TestSupport.h"
#include "app/PlaybackController.h"
#include "audio/WavReader.h"
#include "ui/AudioExporter.h"
#include "ui/ExportAudioDialog.h"
#include "ui/MainWindow.h"
#include "ui/pianoroll/PianoRollView.h"

using namespace toccata;

namespace {

core::Note note(int pitch, double start, double end, int instrument, int program = 0) {
    core::Note n;
    n.pitch = pitch;
    n.velocity = 110;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    n.program = program;
    return n;
}

/// Lead (instrument 0) plays 0–1 s, Bass (instrument 1, program 33) 2–3 s.
core::NoteSequence twoTracks() {
    core::NoteSequence seq;
    seq.instrumentInfos = {{0, "Lead", -1, -1}, {1, "Bass", -1, -1}};
    seq.notes = {note(72, 0.0, 0.5, 0), note(76, 0.5, 1.0, 0), note(40, 2.0, 3.0, 1, 33)};
    seq.recomputeTotalTime();
    return seq;
}

/// RMS over [from, to) seconds of both channels.
double rms(const audio::AudioBuffer& audio, double from, double to) {
    const auto a = static_cast<int64_t>(from * audio.sampleRate);
    const auto b =
        std::min<int64_t>(audio.frameCount(), static_cast<int64_t>(to * audio.sampleRate));
    double sum = 0.0;
    int64_t n = 0;
    for (const auto& channel : audio.channels)
        for (int64_t i = a; i < b; ++i, ++n) sum += double(channel[size_t(i)]) * channel[size_t(i)];
    return n > 0 ? std::sqrt(sum / double(n)) : 0.0;
}

}  // namespace

class TestExportAudio : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// A window with the test SoundFont loaded and `seq` as its document.
    static void prepare(ui::MainWindow& window, const core::NoteSequence& seq) {
        window.document().replaceSequence(seq, "test");
        QTRY_VERIFY_WITH_TIMEOUT(!window.playback().engine().soundFontPath().empty(), 20000);
    }

    static audio::AudioBuffer readBack(const QString& path, int rate, int bits) {
        auto wav = audio::readWavFile(path.toStdString());
        if (!wav.ok()) {
            qWarning("%s", wav.errorMessage().c_str());
            return {};
        }
        if (wav->audio.sampleRate != rate || wav->bitsPerSample != bits || wav->isFloat)
            qWarning("read back %d Hz, %d bits", wav->audio.sampleRate, wav->bitsPerSample);
        return wav->audio.sampleRate == rate && wav->bitsPerSample == bits ? wav->audio
                                                                           : audio::AudioBuffer{};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ToccataTests");
        QCoreApplication::setApplicationName("TestExportAudio");
        QSettings settings;
        settings.clear();
        settings.setValue("audio/api", app::AudioSettings::kAudioOff);
        settings.setValue("audio/soundFont", test::buildDir() + "/soundfonts/toccata-test.sf2");
        settings.setValue("midi/virtualOutput", false);
        settings.setValue("midi/virtualInput", false);
    }

    void cleanupTestCase() { QSettings().clear(); }

    void songExportsInBothFormats() {
        ui::MainWindow window;
        prepare(window, twoTracks());
        const int undoSteps = window.document().undoStack()->count();
        QAction* action = window.findChild<QAction*>("ExportAudioAction");
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));

        struct Case {
            audio::WavSampleFormat format;
            int rate;
            int bits;
            const char* name;
        };
        for (const Case& c : {Case{audio::WavSampleFormat::kPcm24, 48000, 24, "song24"},
                              Case{audio::WavSampleFormat::kPcm16, 44100, 16, "song16"}}) {
            ui::ExportAudioOptions options;
            options.scope = app::RenderScope::kSong;
            options.format = c.format;
            options.sampleRate = c.rate;
            options.path = m_dir.filePath(c.name);  // no suffix: ".wav" is added
            const auto done = window.audioExporter()->exportAudio(options);
            QVERIFY2(done.ok(), done.ok() ? "" : done.errorMessage().c_str());
            const QString path = m_dir.filePath(QString(c.name) + ".wav");
            QCOMPARE(done->path, path);
            const audio::AudioBuffer audio = readBack(path, c.rate, c.bits);
            QCOMPARE(audio.channelCount(), 2);
            // The notes end at 3 s; the release tail lasts at most 2 s.
            QVERIFY2(audio.seconds() >= 3.0 && audio.seconds() <= 5.05,
                     qPrintable(QString::number(audio.seconds())));
            QCOMPARE(done->seconds, audio.seconds());
            QVERIFY(rms(audio, 0.0, 1.0) > 1e-3);
            QVERIFY(rms(audio, 2.0, 3.0) > 1e-3);
            QVERIFY2(window.statusBar()->currentMessage().contains(QDir::toNativeSeparators(path)),
                     qPrintable(window.statusBar()->currentMessage()));
            QVERIFY(window.statusBar()->currentMessage().contains(QString("%1-bit").arg(c.bits)));
        }
        QCOMPARE(window.document().undoStack()->count(), undoSteps);  // the document is as it was
    }

    void mutedTrackIsLeftOut() {
        ui::MainWindow window;
        prepare(window, twoTracks());
        ui::ExportAudioOptions options;
        options.sampleRate = 44100;
        options.path = m_dir.filePath("all.wav");
        QVERIFY(window.audioExporter()->exportAudio(options).ok());
        app::TrackState bass = window.document().trackState(1);
        bass.muted = true;
        QVERIFY(window.document().setTrackState(bass));
        const int undoSteps = window.document().undoStack()->count();
        options.path = m_dir.filePath("muted.wav");
        QVERIFY(window.audioExporter()->exportAudio(options).ok());
        QCOMPARE(window.document().undoStack()->count(), undoSteps);  // nothing changed

        const audio::AudioBuffer all = readBack(m_dir.filePath("all.wav"), 44100, 24);
        const audio::AudioBuffer muted = readBack(m_dir.filePath("muted.wav"), 44100, 24);
        QVERIFY(all.frameCount() > 0 && muted.frameCount() > 0);
        // The lead sounds the same in both; where only the bass plays, the muted export is
        // (nearly) silent.
        QVERIFY2(std::abs(rms(all, 0.0, 1.0) - rms(muted, 0.0, 1.0)) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(rms(all, 0.0, 1.0)).arg(rms(muted, 0.0, 1.0))));
        const double bassPart = rms(all, 2.2, 2.9);
        QVERIFY(bassPart > 1e-3);
        QVERIFY2(rms(muted, 2.2, 2.9) < bassPart * 0.05,
                 qPrintable(QString("%1 vs %2").arg(rms(muted, 2.2, 2.9)).arg(bassPart)));
    }

    void selectionStartsAtItsFirstNote() {
        ui::MainWindow window;
        prepare(window, twoTracks());
        ui::ExportAudioOptions options;
        options.scope = app::RenderScope::kSelection;
        options.format = audio::WavSampleFormat::kPcm16;
        options.sampleRate = 44100;
        options.path = m_dir.filePath("none.wav");
        window.pianoRoll()->clearSelection();
        auto done = window.audioExporter()->exportAudio(options);
        QVERIFY(!done.ok());
        QCOMPARE(QString::fromStdString(done.errorMessage()),
                 QString("The selection has no notes"));
        QVERIFY(!QFile::exists(options.path));

        // The bass note (2–3 s): the audio starts with it.
        const app::NoteId bassNote = window.document().noteIds()[2];
        QCOMPARE(window.document().note(bassNote)->instrument, 1);
        window.pianoRoll()->setCurrentTrack(1);  // the roll selects in the current track
        window.pianoRoll()->setSelectedNotes({bassNote});
        QCOMPARE(window.pianoRoll()->selectedNotes().size(), 1);
        options.path = m_dir.filePath("selection.wav");
        done = window.audioExporter()->exportAudio(options);
        QVERIFY2(done.ok(), done.ok() ? "" : done.errorMessage().c_str());
        QVERIFY(done->description.contains("selection"));
        const audio::AudioBuffer audio = readBack(options.path, 44100, 16);
        QVERIFY2(audio.seconds() >= 1.0 && audio.seconds() <= 3.05,
                 qPrintable(QString::number(audio.seconds())));
        QVERIFY(rms(audio, 0.0, 0.3) > 1e-3);
    }

    void cancelLeavesNoFile() {
        ui::MainWindow window;
        core::NoteSequence seq;
        seq.instrumentInfos = {{0, "Piano", -1, -1}};
        for (int i = 0; i < 600; ++i)
            seq.notes.push_back(note(48 + i % 24, i * 0.5, i * 0.5 + 0.4, 0));
        seq.recomputeTotalTime();  // five minutes: long enough to cancel mid-render
        prepare(window, seq);
        QTemporaryDir dir;
        ui::AudioExporter* exporter = window.audioExporter();
        int reports = 0;
        connect(exporter, &ui::AudioExporter::progress, exporter, [&](double) {
            if (++reports == 1) exporter->cancel();
        });
        ui::ExportAudioOptions options;
        options.path = dir.filePath("cancelled.wav");
        const auto done = exporter->exportAudio(options);
        QVERIFY(!done.ok());
        QCOMPARE(QString::fromStdString(done.errorMessage()), QString("Export cancelled"));
        QVERIFY(reports >= 1);
        QVERIFY(!exporter->isRunning());
        // No target and no temporary file beside it.
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        QCOMPARE(window.statusBar()->currentMessage(), QString("Export cancelled"));
    }

    void badPathIsAnErrorNamingIt() {
        ui::MainWindow window;
        prepare(window, twoTracks());
        ui::ExportAudioOptions options;
        options.path = m_dir.filePath("no-such-folder/x.wav");
        const auto done = window.audioExporter()->exportAudio(options);
        QVERIFY(!done.ok());
        QVERIFY2(QString::fromStdString(done.errorMessage()).contains("no-such-folder"),
                 done.errorMessage().c_str());
        QTRY_VERIFY(window.findChild<QMessageBox*>("ErrorMessage"));
        window.findChild<QMessageBox*>("ErrorMessage")->close();
        // The app goes on: the next export works.
        options.path = m_dir.filePath("after-error.wav");
        QVERIFY(window.audioExporter()->exportAudio(options).ok());
        QVERIFY(QFile::exists(options.path));
    }

    void dialogOffersTheOptions() {
        ui::ExportAudioOptions initial;
        initial.scope = app::RenderScope::kSelection;
        initial.format = audio::WavSampleFormat::kPcm16;
        initial.sampleRate = 44100;
        initial.path = "/tmp/x.wav";
        ui::ExportAudioDialog noSelection(initial, false, {});
        QVERIFY(!noSelection.isScopeEnabled(app::RenderScope::kSelection));
        QVERIFY(noSelection.isScopeEnabled(app::RenderScope::kCurrentTrack));
        QCOMPARE(noSelection.options().scope, app::RenderScope::kSong);  // fell back
        QCOMPARE(noSelection.options().format, audio::WavSampleFormat::kPcm16);
        QCOMPARE(noSelection.options().sampleRate, 44100);
        QCOMPARE(noSelection.options().path, QString("/tmp/x.wav"));

        int prompts = 0;
        ui::ExportAudioDialog withSelection(initial, true, [&](const QString&, const QString&) {
            ++prompts;
            return QString("/tmp/chosen.wav");
        });
        QCOMPARE(withSelection.options().scope, app::RenderScope::kSelection);
        QPushButton* browse = nullptr;
        for (QPushButton* b : withSelection.findChildren<QPushButton*>())
            if (b->text().startsWith("Browse")) browse = b;
        QVERIFY(browse);
        browse->click();
        QCOMPARE(prompts, 1);
        QCOMPARE(withSelection.options().path, QString("/tmp/chosen.wav"));

        QCOMPARE(ui::ExportAudioDialog::defaultFileName("song.mid", app::RenderScope::kSong),
                 QString("song.wav"));
        QCOMPARE(
            ui::ExportAudioDialog::defaultFileName("a/b.toccata", app::RenderScope::kSelection),
            QString("a_b - selection.wav"));
    }
};

QTEST_MAIN(TestExportAudio)
#include "TestExportAudio.moc"
