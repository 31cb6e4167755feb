// Files dropped onto Toccata: which of them it can read, and bringing them into the document
// — as new tracks (dropped on the window) or into a track (dropped on a track row: replace or
// merge). All files are read before anything changes, so one bad file changes nothing and the
// error names it. A dropped project (.toccata) is opened instead (MainWindow decides). [ui]
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "app/Document.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

class QMimeData;

namespace toccata::ui {

struct DroppedFiles {
    QStringList sequences;    // .mid/.midi/.smf/.json: notes to import
    QStringList projects;     // .toccata: to open
    QStringList unsupported;  // anything else (named in the error)
    bool empty() const { return sequences.isEmpty() && projects.isEmpty(); }
};

class MidiDrop {
public:
    /// Local files in the mime data, sorted by kind. Non-file URLs count as unsupported.
    static DroppedFiles classify(const QMimeData* mime);
    /// True when the mime data holds at least one file Toccata can read (for dragEnter).
    static bool accepts(const QMimeData* mime);
    /// Reads every file; their tracks follow one another (files with one unnamed track get
    /// the file's name). Fails on the first unreadable file, naming it.
    static core::Result<core::NoteSequence> readAll(const QStringList& paths);
    /// New tracks from the files, one undo step. Returns the new instruments.
    static core::Result<QList<int>> importAsTracks(app::Document& doc, const QStringList& paths);
    /// Into track `instrument`, replacing its notes or merging with them; one undo step.
    static core::Status importIntoTrack(app::Document& doc, const QStringList& paths,
                                        int instrument, bool replace);
};

}  // namespace toccata::ui
