// NoteEditCommands: the piano roll's keyboard edits on a set of notes — duplicate after
// itself, quantize to the snap grid, transpose keeping the chord's shape. Each is one
// Document edit (one undo step). Free of widgets so tests and menus can call them. [ui]
#pragma once

#include "app/Document.h"
#include "ui/pianoroll/SnapGrid.h"

namespace toccata::ui::NoteEditCommands {

/// Copies `ids` right after their own end (rounded up to the grid); returns the copies' ids.
app::NoteIds duplicate(app::Document& document, const SnapGrid& grid, const app::NoteIds& ids);
/// Snaps starts and ends to the grid (a note keeps at least one step). Drum hits keep their
/// length. False when the grid is off or nothing changed.
bool quantize(app::Document& document, const SnapGrid& grid, const app::NoteIds& ids, bool drums);
/// False (and no edit) when any note would leave 0..127.
bool transpose(app::Document& document, const app::NoteIds& ids, int semitones);

}  // namespace toccata::ui::NoteEditCommands
