// RainbowgramPanel: the rainbowgram dock's contents — a source chooser (current track,
// selection, song, or a .wav file), Refresh, a status line, the time-aligned view and the
// legend. Document sources are rendered through the studio's SoundFont (app::AudioRenderJob)
// and analysed on its worker, image included; a new request cancels the running one. While
// the panel is visible, document edits (and selection / current-track changes for those
// sources) refresh it after a 1 s pause. A failed request keeps the previous picture. [ui]
#pragma once

#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>

#include "app/AudioRenderJob.h"
#include "ui/rainbowgram/RainbowgramPicture.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace toccata::app {
class Document;
class PlaybackController;
}  // namespace toccata::app

namespace toccata::ui {

class PianoRollView;
class RainbowgramLegend;
class RainbowgramView;

class RainbowgramPanel : public QWidget {
    Q_OBJECT
public:
    enum class Source { kCurrentTrack, kSelection, kSong, kAudioFile };
    /// Asks for a .wav to open; empty = cancelled (default: QFileDialog).
    using OpenPrompt = std::function<QString()>;
    static constexpr int kAutoRefreshMs = 1000;
    static constexpr int kAnalysisRate = 44100;  // document renders are analysed at this rate

    RainbowgramPanel(app::Document& document, PianoRollView* roll,
                     app::PlaybackController& playback, QWidget* parent = nullptr);

    void setOpenPrompt(OpenPrompt prompt) { m_openPrompt = std::move(prompt); }
    /// Chooses a document source (kAudioFile: asks for a file) and refreshes.
    void setSource(Source source);
    Source source() const { return m_source; }
    /// Shows `path` (placed from time 0); errors name the file and keep the picture.
    void openAudioFile(const QString& path);
    /// Starts a new request for the current source, cancelling the running one; returns its
    /// job id (0 when it failed before starting: the status says why).
    quint64 refresh();

    RainbowgramView* view() const { return m_view; }
    RainbowgramLegend* legend() const { return m_legend; }
    app::AudioRenderJob& job() { return m_job; }
    const RainbowgramPicturePtr& picture() const;
    QString statusText() const;
    bool isBusy() const { return m_job.isRunning(); }
    bool isRefreshPending() const { return m_debounce.isActive(); }

signals:
    /// A new picture is shown.
    void pictureChanged();
    /// A request failed (not cancelled); the old picture stays.
    void requestFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void scheduleRefresh();
    void onSourceChosen(int index);
    void setStatus(const QString& text);
    bool isDocumentSource() const { return m_source != Source::kAudioFile; }

    app::Document& m_document;
    PianoRollView* m_roll;
    app::PlaybackController& m_playback;
    app::AudioRenderJob m_job;
    OpenPrompt m_openPrompt;
    Source m_source = Source::kCurrentTrack;
    QString m_audioPath;
    quint64 m_renderedRevision = ~quint64(0);       // document revision of the request shown/asked
    std::shared_ptr<RainbowgramPicture> m_pending;  // filled by the worker of m_pendingId
    quint64 m_pendingId = 0;
    QTimer m_debounce;
    QComboBox* m_sourceBox;
    QPushButton* m_refresh;
    QLabel* m_status;
    QLabel* m_readout;
    RainbowgramView* m_view;
    RainbowgramLegend* m_legend;
};

}  // namespace toccata::ui
