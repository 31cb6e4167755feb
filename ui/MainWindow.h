// The main window: track list, piano roll, File and Edit menus, status bar; owns the Document
// with its undo stack, autosave and crash recovery. Later issues add the transport, the tools
// dock and the studio around this frame. [ui]
#pragma once

#include <QMainWindow>

#include <functional>
#include <memory>

#include "app/Document.h"

class QLabel;
class QMenu;

namespace toccata::app {
class Autosaver;
class RecoveryManager;
}  // namespace toccata::app

namespace toccata::ui {

class PianoRollView;
class TrackList;

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

    app::Document& document() { return m_document; }
    app::Autosaver& autosaver() { return *m_autosaver; }
    app::RecoveryManager& recovery() { return *m_recovery; }
    TrackList* trackList() const { return m_trackList; }
    PianoRollView* pianoRoll() const { return m_pianoRoll; }
    QMenu* recentMenu() const { return m_recentMenu; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void showDocument();
    void updateTitle();
    void updateRecentMenu();
    void showError(const QString& title, const QString& message);
    void chooseFileToOpen();
    void chooseMidiExport();

    app::Document m_document;
    std::unique_ptr<app::RecoveryManager> m_recovery;
    app::Autosaver* m_autosaver;
    TrackList* m_trackList;
    PianoRollView* m_pianoRoll;
    QLabel* m_summaryLabel;
    QMenu* m_recentMenu = nullptr;
    SavePrompt m_savePrompt;
    RecoveryPrompt m_recoveryPrompt;
    PathPrompt m_pathPrompt;
};

}  // namespace toccata::ui
