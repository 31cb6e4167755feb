// Parts of the document as standalone sequences, for dragging out to a DAW or the desktop and
// for exporting: one track, or a set of notes. An excerpt starts at the bar that holds its
// first note, so it lands on the grid wherever it is dropped, and keeps the tempo and time
// signature in force there. [ui]
#pragma once

#include <QString>

#include "app/Document.h"
#include "core/NoteSequence.h"

namespace toccata::app {

/// Every note of track `instrument` with the document's tempo map, not shifted (a track keeps
/// its place in the song). Empty sequence when the track does not exist.
core::NoteSequence trackExcerpt(const Document& doc, int instrument);

/// The notes `ids` (of any tracks), moved so that the bar holding the earliest one starts at 0.
core::NoteSequence notesExcerpt(const Document& doc, const NoteIds& ids);

/// `sequence` moved so that the bar holding its earliest note starts at 0; tempos, time and
/// key signatures in force there move to 0, later ones shift with the notes.
core::NoteSequence excerptFromBar(const core::NoteSequence& sequence);

/// A file name (no folder) from parts such as the document and track names: characters that
/// file systems or DAWs reject are replaced, empty parts skipped, ".mid" appended.
QString midiFileNameFor(const QStringList& parts);

}  // namespace toccata::app
