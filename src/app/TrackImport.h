// Bringing notes from another file into the open document (drag and drop, File ▸ Import):
// as new tracks, or into an existing track (replace or merge). Each call is one undo step;
// on error nothing changes. [ui]
#pragma once

#include <QString>

#include "app/Document.h"
#include "core/NoteSequence.h"

namespace toccata::app {

/// Appends every track of `incoming` as a new track (instrument numbers follow the existing
/// ones; names, programs and drum flags are kept). When the document has no notes yet it also
/// takes the incoming tempos, time and key signatures. Returns the new instruments, in order;
/// empty when `incoming` has no notes.
QList<int> importAsNewTracks(Document& doc, const core::NoteSequence& incoming,
                             const QString& text);

/// Puts every note of `incoming` into track `instrument` (taking that track's program and
/// drum flag). `replace` removes the track's own notes first; otherwise they are merged.
/// False when the track does not exist or `incoming` has no notes.
bool importIntoTrack(Document& doc, const core::NoteSequence& incoming, int instrument,
                     bool replace, const QString& text);

}  // namespace toccata::app
