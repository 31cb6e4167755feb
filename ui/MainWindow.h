// The main window: track list, piano roll, File and Edit menus, status bar; owns the Document
// with its undo stack, autosave and crash recovery. Later issues add the transport, the tools
// dock and the studio around this frame. [ui]
#pragma once

#include <QMainWindow>

#include <QPointer>

#include <functional>
#include <memory>

#include "app/AudioSettings.h"
#include "app/Document.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;

namespace toccata::app {
class Autosaver;
class GenerationService;
class ModelLibrary;
class GhostTakes;
class PianoGenieController;
class MidiController;
class PlaybackController;
class RecoveryManager;
}  // namespace toccata::app

namespace toccata::ui {

struct ToolContext;
class AudioExporter;
class DrumifyPanel;
class RainbowgramDock;
class PianoGeniePanel;
class GroovePanel;
class InterpolatePanel;
class ModelManagerDialog;
class PianoRollPanel;
class RnnToolPanel;
class PianoRollView;
class TrackList;
class TrainingDashboard;
class TransportBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class SaveChoice { Save, Discard, Cancel };
    /// Asks what to do with unsaved changes of the named document (default: QMessageBox).
    using SavePrompt = std::function<SaveChoice(const QString& documentName)>;
    /// Asks whether to restore the recovery files left by a crash (default: QMessageBox).
    using RecoveryPrompt = std::function<bool(const QStringList& recoveryFiles)>;
    /// Asks for a path to save to; empty = cancelled (default: QFileDialog).
    using PathPrompt = std::function<QString(const QString& title, const QString& filter)>;
    enum class TrackDropChoice { Replace, Merge, NewTracks, Cancel };
    /// Asks what to do with files dropped on a track (default: a small menu at the cursor).
    using TrackDropPrompt =
        std::function<TrackDropChoice(const QString& trackName, const QStringList& files)>;

    /// `recoveryDir` empty = app::RecoveryManager::defaultDirectory().
    explicit MainWindow(QWidget* parent = nullptr, const QString& recoveryDir = {});
    ~MainWindow() override;

    /// Opens a project (.toccata), MIDI or NoteSequence JSON file. On failure shows the reason
    /// (naming the file) in a non-modal message box, keeps the current document, returns false.
    /// Does not ask about unsaved changes (the menu action does).
    bool openFile(const QString& path);
    /// Saves to the document's project file, or asks for one (Save As).
    bool save();
    bool saveAs();
    bool saveTo(const QString& path);
    bool exportMidi(const QString& path);
    /// File ▸ New without asking.
    void newDocument();
    /// When modified: asks Save/Discard/Cancel; true when it is fine to drop the document.
    bool maybeSave();
    /// Offers to restore recovery files left by a crash; restores the newest into this
    /// window when accepted (others are kept for later), discards them when declined.
    /// Returns true when a document was restored. main() calls it once at start.
    bool offerRecovery();

    void setSavePrompt(SavePrompt prompt) { m_savePrompt = std::move(prompt); }
    void setRecoveryPrompt(RecoveryPrompt prompt) { m_recoveryPrompt = std::move(prompt); }
    void setPathPrompt(PathPrompt prompt) { m_pathPrompt = std::move(prompt); }
    void setTrackDropPrompt(TrackDropPrompt prompt) { m_trackDropPrompt = std::move(prompt); }

    /// Drag and drop: brings dropped files in as new tracks (instrument -1) or into a track
    /// (asking replace/merge); a dropped project is opened. Invalid files change nothing and
    /// the message names them. Returns true when the document changed or a project opened.
    bool dropFiles(const QStringList& paths, int instrument);
    /// Drags the piano roll's selection out as a .mid (the roll asks for it with Alt+drag).
    void dragSelectionOut();

    app::Document& document() { return m_document; }
    app::Autosaver& autosaver() { return *m_autosaver; }
    app::RecoveryManager& recovery() { return *m_recovery; }
    TrackList* trackList() const { return m_trackList; }
    PianoRollView* pianoRoll() const { return m_pianoRoll; }
    PianoRollPanel* pianoRollPanel() const { return m_rollPanel; }
    /// Generated takes shown over the roll until accepted or discarded.
    app::GhostTakes* ghostTakes() const { return m_ghostTakes; }
    QMenu* recentMenu() const { return m_recentMenu; }
    class ToolsDock* toolsDock() const {
        return m_toolsDock;
    }
    // Generation tools (ui/tools): model library, worker, the Continue and Generate panels.
    app::ModelLibrary& models() { return *m_models; }
    app::GenerationService& generation() { return *m_generation; }
    RnnToolPanel* continuePanel() const { return m_continuePanel; }
    RnnToolPanel* generatePanel() const { return m_generatePanel; }
    // The MusicVAE / GrooVAE tools (Generate above also offers MusicVAE models).
    InterpolatePanel* interpolatePanel() const { return m_interpolatePanel; }
    GroovePanel* groovePanel() const { return m_groovePanel; }
    DrumifyPanel* drumifyPanel() const { return m_drumifyPanel; }
    /// Tools ▸ Models…
    void openModelManager();
    /// Tools ▸ Train a model… (one non-modal dashboard; closing it hides it, training goes on).
    TrainingDashboard* openTrainingDashboard();
    // The Piano Genie (ui/genie, app/PianoGenieController): a dock at the bottom, hidden until
    // Tools ▸ Piano Genie (Ctrl+G) or the tools dock's page opens it.
    app::PianoGenieController& pianoGenie() { return *m_genie; }
    PianoGeniePanel* pianoGeniePanel() const { return m_geniePanel; }
    QDockWidget* pianoGenieDock() const { return m_genieDock; }
    QAction* pianoGenieAction() const { return m_genieAction; }
    /// Shows the Piano Genie dock and gives its panel the keyboard focus.
    void openPianoGenie();
#if TOCCATA_HAVE_AUDIO
    // Transport, audio and MIDI (ui/TransportBar, app/PlaybackController, app/MidiController).
    app::PlaybackController& playback() { return *m_playback; }
    app::MidiController* midi() const { return m_midi.get(); }  // null without MIDI ports
    TransportBar* transportBar() const { return m_transport; }
    /// Settings ▸ Audio and MIDI…
    void openAudioSettings();
    QString engineStatusText() const;
    /// File ▸ Export audio… (ui/AudioExporter): its exportAudio() is the dialog-free seam.
    AudioExporter* audioExporter() const { return m_exporter; }
    /// View ▸ Rainbowgram (ui/rainbowgram); null in a build without toccata_analysis.
    RainbowgramDock* rainbowgramDock() const { return m_rainbowgram; }
#endif

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void createDocks();
    void showDocument();
    void updateTitle();
    void updateRecentMenu();
    void showError(const QString& title, const QString& message);
    void chooseFileToOpen();
    void chooseMidiExport();
    void createTransport();
    void createTools();
    void createVaeTools(const std::function<ToolContext()>& context);
    void createPianoGenie();
    void showToolResults(double from, bool play);
    void restoreWindowLayout();
    void saveWindowLayout() const;

    app::Document m_document;
    std::unique_ptr<app::RecoveryManager> m_recovery;
    app::Autosaver* m_autosaver;
    TrackList* m_trackList;
    app::GhostTakes* m_ghostTakes;
    PianoRollPanel* m_rollPanel;
    PianoRollView* m_pianoRoll;
    QLabel* m_summaryLabel;
    QMenu* m_recentMenu = nullptr;
    SavePrompt m_savePrompt;
    RecoveryPrompt m_recoveryPrompt;
    PathPrompt m_pathPrompt;
    TrackDropPrompt m_trackDropPrompt;
    class ToolsDock* m_toolsDock = nullptr;
    app::ModelLibrary* m_models = nullptr;
    app::GenerationService* m_generation = nullptr;
    RnnToolPanel* m_continuePanel = nullptr;
    RnnToolPanel* m_generatePanel = nullptr;
    InterpolatePanel* m_interpolatePanel = nullptr;
    GroovePanel* m_groovePanel = nullptr;
    DrumifyPanel* m_drumifyPanel = nullptr;
    QPointer<ModelManagerDialog> m_modelManager;
    QPointer<TrainingDashboard> m_trainingDashboard;
    QMenu* m_toolsMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QDockWidget* m_genieDock = nullptr;
    PianoGeniePanel* m_geniePanel = nullptr;
    QAction* m_genieAction = nullptr;
#if TOCCATA_HAVE_AUDIO
    // Declared after m_document: destroyed before it (they use it until the end).
    std::unique_ptr<app::PlaybackController> m_playback;
    std::unique_ptr<app::MidiController> m_midi;
    TransportBar* m_transport = nullptr;
    QLabel* m_engineLabel = nullptr;
    QLabel* m_midiLabel = nullptr;
    app::AudioSettings m_audioSettings;
    AudioExporter* m_exporter = nullptr;
    RainbowgramDock* m_rainbowgram = nullptr;
#endif
    // Last: destroyed first, while the transport and MIDI it plays through still exist.
    std::unique_ptr<app::PianoGenieController> m_genie;
};

}  // namespace toccata::ui
