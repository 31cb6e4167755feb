// ExportAudioDialog (File ▸ Export audio…): what to export — the song as playback plays it,
// the current track or the selection — as WAV 16- or 24-bit at 44.1 or 48 kHz, and where.
// The rendering itself is AudioExporter's. [ui]
#pragma once

#if TOCCATA_HAVE_AUDIO

#include <QDialog>
#include <QString>

#include <functional>

#include "app/AudioRenderJob.h"
#include "audio/WavWriter.h"

class QComboBox;
class QLineEdit;
class QPushButton;

namespace toccata::ui {

struct ExportAudioOptions {
    app::RenderScope scope = app::RenderScope::kSong;
    audio::WavSampleFormat format = audio::WavSampleFormat::kPcm24;
    int sampleRate = 48000;
    QString path;  // ".wav" is added when it has no suffix
};

class ExportAudioDialog : public QDialog {
    Q_OBJECT
public:
    /// Asks for a file to write; empty = cancelled (MainWindow's path prompt).
    using PathPrompt = std::function<QString(const QString& title, const QString& filter)>;

    /// `hasSelection` false disables the Selection scope.
    ExportAudioDialog(const ExportAudioOptions& initial, bool hasSelection, PathPrompt prompt,
                      QWidget* parent = nullptr);

    ExportAudioOptions options() const;
    void setOptions(const ExportAudioOptions& options);
    bool isScopeEnabled(app::RenderScope scope) const;

    /// "<document> - <scope>.wav" (characters file systems reject replaced).
    static QString defaultFileName(const QString& documentName, app::RenderScope scope);

private:
    void browse();
    void updateOk();

    PathPrompt m_prompt;
    QComboBox* m_scope;
    QComboBox* m_format;
    QComboBox* m_rate;
    QLineEdit* m_path;
    QPushButton* m_ok = nullptr;
};

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
