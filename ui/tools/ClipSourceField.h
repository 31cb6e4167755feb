// ClipSourceField: one end of an interpolation — a track of the document (all of it, only its
// selected notes, or its notes in the loop region) or a MIDI / NoteSequence file, chosen with
// "Choose file…" or by dropping the file onto the field. [ui]
#pragma once

#include <QString>
#include <QWidget>

#include <functional>

#include "app/Document.h"
#include "app/VaeGeneration.h"
#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ui/tools/ToolContext.h"

class QComboBox;
class QPushButton;

namespace toccata::ui {

class ClipSourceField : public QWidget {
    Q_OBJECT
public:
    /// Asks for a file to read; empty = cancelled (default: QFileDialog).
    using FilePrompt = std::function<QString()>;

    ClipSourceField(app::Document& document, int preferredTrackIndex, QWidget* parent = nullptr);
    void setFilePrompt(FilePrompt prompt) { m_filePrompt = std::move(prompt); }

    /// Takes track `instrument`; false when the document has no such track.
    bool setTrack(int instrument);
    /// Takes a .mid/.midi/.json file; false (with a message naming it) when Toccata cannot
    /// read files of that kind. The file is read when the tool runs.
    bool setFile(const QString& path, QString* error = nullptr);
    void setScope(app::ClipScope scope);
    bool isFile() const;

    /// The clip, starting at 0 (a file's clip at the bar holding its first note). Errors for
    /// the user name the track or the file.
    core::Result<core::NoteSequence> clip(const ToolContext& context) const;

    QComboBox* sourceBox() const { return m_source; }
    QComboBox* scopeBox() const { return m_scope; }
    QPushButton* chooseButton() const { return m_choose; }

signals:
    /// A dropped or chosen file cannot be used; `message` names it.
    void fileRejected(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void refillTracks();
    void chooseFile();

    app::Document& m_document;
    int m_preferredIndex;
    QComboBox* m_source;
    QComboBox* m_scope;
    QPushButton* m_choose;
    QString m_file;  // the file entry's path, if any
    FilePrompt m_filePrompt;
};

}  // namespace toccata::ui
