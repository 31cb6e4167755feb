// Dragging music out of Toccata into a DAW or onto the desktop: the notes are written to a
// temporary .mid with a meaningful name and offered as text/uri-list (plus the raw bytes as
// audio/midi for apps that read them). The files stay until the app quits, because many
// targets read a dropped file after the drag has finished. [ui]
#pragma once

#include <QString>

#include "core/NoteSequence.h"
#include "core/Result.h"

class QMimeData;
class QWidget;

namespace toccata::ui {

class MidiDrag {
public:
    /// Writes `sequence` as a .mid called `fileName` (see app::midiFileNameFor) in this
    /// session's drag folder; a name already used gets " (2)", " (3)"…. Returns the path.
    static core::Result<QString> writeFile(const core::NoteSequence& sequence,
                                           const QString& fileName);
    /// Mime data for a written file: its URL and the file's bytes.
    static QMimeData* mimeDataFor(const QString& path);
    /// Writes the file and runs the drag from `source`. Returns false (with `error` naming
    /// the file) when the file could not be written; nothing is dragged then.
    static bool start(QWidget* source, const core::NoteSequence& sequence,
                      const QString& fileName, QString* error);
    /// The folder drag files are written to (created on first use).
    static QString folder();
};

}  // namespace toccata::ui
