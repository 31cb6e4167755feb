// Slicing and splitting NoteSequences, with the semantics of Magenta's
// sequences_lib._extract_subsequences and the functions built on it:
//  - a note belongs to the piece its start falls in ([start, end) of the piece); its end is
//    clipped to the piece's end; times are shifted so the piece starts at 0;
//  - stateful events (time signatures, key signatures, tempos, chord symbols) inside a piece
//    are kept, and the last one at or before the piece's start is re-emitted at time 0;
//  - beat annotations are kept where they fall; other text annotations are dropped;
//  - control changes whose number is in `preserveControlNumbers` (sustain 64, sostenuto 66,
//    una corda 67 by default) behave like stateful events, per (instrument, control); all other
//    control changes and every pitch bend are dropped;
//  - each piece's totalTime is the end of its last (clipped) note.
// All of these refuse quantized sequences, as Magenta does.
#pragma once

#include <cstdint>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

/// Magenta's DEFAULT_SUBSEQUENCE_PRESERVE_CONTROL_NUMBERS.
inline const std::vector<int> kDefaultPreserveControlNumbers = {64, 66, 67};

/// Pieces [splitTimes[0], splitTimes[1]), [splitTimes[1], splitTimes[2]), ...
/// Errors: fewer than 2 times, unsorted or non-finite times, a piece starting at or after
/// totalTime, a quantized sequence.
Result<std::vector<NoteSequence>> extractSubsequences(
    const NoteSequence& sequence, const std::vector<double>& splitTimes,
    const std::vector<int>& preserveControlNumbers = kDefaultPreserveControlNumbers);

/// Magenta's extract_subsequence: the piece [startTime, endTime) shifted to start at 0.
Result<NoteSequence> extractSubsequence(
    const NoteSequence& sequence, double startTime, double endTime,
    const std::vector<int>& preserveControlNumbers = kDefaultPreserveControlNumbers);

/// Bars [startBar, endBar) (zero-based, end exclusive) through extractSubsequence; bar lines
/// come from MeterMap (TempoMap.h), so tempo and time-signature changes are honoured.
/// Errors: startBar < 0, endBar <= startBar, startBar at or after the last bar.
Result<NoteSequence> extractBars(const NoteSequence& sequence, int64_t startBar, int64_t endBar);

/// Magenta's split_note_sequence with a list: split at every given time (sorted first); with
/// skipSplitsInsideNotes, times that fall inside a sounding note are skipped. The last piece
/// ends at totalTime. An empty sequence (totalTime 0) gives no pieces.
Result<std::vector<NoteSequence>> splitAtTimes(const NoteSequence& sequence,
                                               std::vector<double> times,
                                               bool skipSplitsInsideNotes = false);

/// Magenta's split_note_sequence with a hop: split at hop, 2·hop, ... below totalTime (the
/// book's split_note_sequence(seq, 4) cuts 2-bar chunks at 120 QPM). Error: hop <= 0.
Result<std::vector<NoteSequence>> splitEvery(const NoteSequence& sequence, double hopSeconds,
                                             bool skipSplitsInsideNotes = false);

/// Magenta's split_note_sequence_on_time_changes: split at every tempo or time signature
/// (before totalTime) that really changes the value in force (implicit 120 QPM and 4/4 at
/// the start), so each piece has one tempo and one time signature; each starts at 0.
Result<std::vector<NoteSequence>> splitOnTimeChanges(const NoteSequence& sequence,
                                                     bool skipSplitsInsideNotes = false);

}  // namespace toccata::core
