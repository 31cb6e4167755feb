// AudioExporter: File ▸ Export audio… — asks for the options (ExportAudioDialog), renders the
// scope through the studio's SoundFont on app::AudioRenderJob's worker and writes the WAV
// (atomically: a cancelled or failed export leaves no file), with a progress dialog whose
// Cancel stops it. exportAudio() is also the seam GUI tests drive without any dialog. [ui]
#pragma once

#if TOCCATA_HAVE_AUDIO

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

#include "app/AudioRenderJob.h"
#include "core/Result.h"
#include "ui/ExportAudioDialog.h"

class QProgressDialog;
class QWidget;

namespace toccata::app {
class Document;
class PlaybackController;
}  // namespace toccata::app

namespace toccata::ui {

class PianoRollView;

struct ExportedAudio {
    QString path;
    double seconds = 0.0;
    int sampleRate = 0;
    int bitsPerSample = 0;
    QString description;  // "the song", "track “Bass”"...
};

class AudioExporter : public QObject {
    Q_OBJECT
public:
    /// `window` parents the dialogs. The roll gives the current track and the selection, the
    /// playback controller the SoundFont that plays.
    AudioExporter(app::Document& document, PianoRollView* roll, app::PlaybackController& playback,
                  QWidget* window);

    /// The File menu's action: the options dialog, then exportAudio().
    void chooseAndExport(const ExportAudioDialog::PathPrompt& prompt);
    /// Renders and writes `options` while a progress dialog (Cancel) shows; returns when done
    /// (the event loop keeps running meanwhile). Errors name the file or value; the error of a
    /// cancelled export is "Export cancelled". Reports through `message` (success,
    /// "Export cancelled") or `error`.
    core::Result<ExportedAudio> exportAudio(const ExportAudioOptions& options);
    /// Stops a running export (as the progress dialog's Cancel does).
    void cancel();
    bool isRunning() const { return m_running; }
    app::AudioRenderJob& job() { return m_job; }
    /// The options of the last export (the dialog starts from them).
    const ExportAudioOptions& lastOptions() const { return m_last; }

    /// "Exported 0:04.2 of the song to /x/y.wav (24-bit, 48 kHz)".
    static QString successMessage(const ExportedAudio& exported);

signals:
    /// Rendering/writing progress 0..1 of the running export.
    void progress(double fraction);
    void message(const QString& text);
    void error(const QString& title, const QString& text);

private:
    core::Result<ExportedAudio> run(const ExportAudioOptions& options);

    app::Document& m_document;
    QPointer<PianoRollView> m_roll;
    app::PlaybackController& m_playback;
    QPointer<QWidget> m_window;
    app::AudioRenderJob m_job;
    ExportAudioOptions m_last;
    bool m_running = false;
};

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
