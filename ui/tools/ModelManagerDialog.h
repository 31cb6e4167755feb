// ModelManagerDialog: the model manager. Lists every model the app finds — shipped models,
// the user's models folder, $TOCCATA_MODELS_PATH and folders the user added (e.g. downloaded
// Magenta.js checkpoints) — with family, config, format, provenance and folder; broken folders
// show why they cannot be used. Adds and removes folders, rescans. [ui]
#pragma once

#include <QDialog>
#include <QStringList>

#include <functional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace toccata::app {
class ModelLibrary;
}

namespace toccata::ui {

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { kId, kFamily, kConfig, kFormat, kProvenance, kOrigin, kFolder, kColumnCount };
    /// Asks for a folder to add (default: QFileDialog); empty = cancelled.
    using FolderPrompt = std::function<QString()>;

    explicit ModelManagerDialog(app::ModelLibrary& library, QWidget* parent = nullptr);
    void setFolderPrompt(FolderPrompt prompt) { m_folderPrompt = std::move(prompt); }

    QTreeWidget* list() const { return m_list; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QString messageText() const;

    /// Add folder…: asks, adds, and reports a folder without models.
    void addFolder();
    /// Removes the added folder the selected model lives in.
    void removeSelectedFolder();

private:
    void rebuild();
    QString addedRootOf(const QString& folder) const;

    app::ModelLibrary& m_library;
    QTreeWidget* m_list;
    QLabel* m_roots;
    QLabel* m_message;
    QPushButton* m_add;
    QPushButton* m_remove;
    FolderPrompt m_folderPrompt;
};

}  // namespace toccata::ui
