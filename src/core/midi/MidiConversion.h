// MidiConversion: raw MidiFile <-> NoteSequence. [any] thread, no exceptions; never fails on a
// MidiFile that SmfReader produced.
//
// Reading (MidiFile -> NoteSequence):
//  - Seconds come from one tempo map built from the tempo events of ALL tracks.
//  - Note-on with velocity 0 is a note-off. A note-off closes the oldest open note of the same
//    (track, channel, pitch); zero-length notes are kept; notes still open at the end of their
//    track end at that track's last event.
//  - One instrument per (track, channel) in order of first note/control/bend, its InstrumentInfo
//    carrying the track's name, channel and track index. A note's program is the last program
//    change on its channel in its track (default 0); channel 9 is drums.
//  - Control changes, pitch bends, time and key signatures and tempos are kept; the title is
//    the first track name in track 0.
// Writing (NoteSequence -> MidiFile): format 1, track 0 = conductor (title, tempos, time and key
// signatures), then one track per instrument (ordered by InstrumentInfo::midiTrack, then id) on
// InstrumentInfo::midiChannel when set, else 9 for drums or the next free channel. Seconds
// become ticks through the sequence's tempo map at its ticksPerQuarter (220 when unset).
// A MIDI -> NoteSequence -> MIDI round trip keeps every note tick-exact at the same PPQ.
#pragma once

#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/midi/MidiFile.h"

namespace toccata::core {

/// Converts a parsed file; `filename` becomes NoteSequence::filename.
NoteSequence midiFileToNoteSequence(const MidiFile& file, const std::string& filename = {});

/// Converts a sequence to a format-1 file (ends every track with End-of-Track).
MidiFile noteSequenceToMidiFile(const NoteSequence& sequence);

/// Tempos of all tracks, merged by tick (track order breaks ties), with their times in seconds.
std::vector<Tempo> temposOfMidiFile(const MidiFile& file);

/// Magenta's key for a key signature: tonic pitch class (C = 0, G = 7, F = 5, A minor = 9).
int keyFromSharpsOrFlats(int sharpsOrFlats, bool minor);
/// The inverse: -5..6 for major, -6..5 for minor (as pretty_midi spells them).
int sharpsOrFlatsFromKey(int key, bool minor);

}  // namespace toccata::core
