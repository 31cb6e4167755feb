// The main window: track list, piano roll, File menu and status bar. Later issues add the
// transport, the tools dock and the studio around this frame.
#pragma once

#include <QMainWindow>

#include "app/Document.h"

class QLabel;

namespace toccata::ui {

class PianoRollView;
class TrackList;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Opens a MIDI or NoteSequence JSON file. On failure shows the reason (naming the file)
    /// in a non-modal message box, keeps the current document, and returns false.
    bool openFile(const QString& path);

    app::Document& document() { return m_document; }
    TrackList* trackList() const { return m_trackList; }
    PianoRollView* pianoRoll() const { return m_pianoRoll; }

private:
    void createMenus();
    void showDocument();
    void showError(const QString& title, const QString& message);
    void chooseFileToOpen();

    app::Document m_document;
    TrackList* m_trackList;
    PianoRollView* m_pianoRoll;
    QLabel* m_summaryLabel;
};

}  // namespace toccata::ui
