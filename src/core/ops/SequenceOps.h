// Operations on whole NoteSequences, following Magenta's note_seq.sequences_lib and the
// Magenta pipelines. Every function is pure: it takes a sequence by const reference and returns
// a new one (or an Error naming the bad argument). Unquantized-only operations refuse a
// quantized sequence, as Magenta does. Splitting and slicing live in SequenceSplitting.h.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/SequenceSplitting.h"

namespace toccata::core {

inline constexpr int kMinMidiPitch = 0;
inline constexpr int kMaxMidiPitch = 127;
inline constexpr int kSustainPedalControl = 64;

// --- Transposition -----------------------------------------------------------------------

struct Transposition {
    NoteSequence sequence;
    int deletedNotes = 0;  // non-drum notes that would have left [minPitch, maxPitch]
};

/// Magenta's transpose_note_sequence: non-drum notes move by `semitones`; those that would
/// leave [minPitch, maxPitch] are deleted and counted; drum notes are untouched; key
/// signatures move too ((key + semitones) mod 12); totalTime becomes the end of the last kept
/// note. Chord-symbol text annotations are left as they are (Magenta re-spells them; Toccata
/// has no chord-symbol parser yet).
/// Errors: a pitch bound outside 0..127 or minPitch > maxPitch.
Result<Transposition> transpose(const NoteSequence& sequence, int semitones,
                                int minPitch = kMinMidiPitch, int maxPitch = kMaxMidiPitch);

/// Magenta's TranspositionPipeline: one copy per amount (0 included, so out-of-range input is
/// caught too); a copy in which any non-drum note would leave the range is skipped whole.
struct TranspositionBatch {
    std::vector<NoteSequence> sequences;
    int64_t transpositionsGenerated = 0;    // Magenta: transpositions_generated
    int64_t skippedDueToRangeExceeded = 0;  // Magenta: skipped_due_to_range_exceeded
};
Result<TranspositionBatch> transpositionPipeline(const NoteSequence& sequence,
                                                 const std::vector<int>& amounts,
                                                 int minPitch = kMinMidiPitch,
                                                 int maxPitch = kMaxMidiPitch);

// --- Time ----------------------------------------------------------------------------------

/// Magenta's stretch_note_sequence: every time (notes, tempos, signatures, controls, bends,
/// annotations, totalTime) is multiplied by `factor` and every tempo's qpm divided by it.
/// factor > 1 is slower. Errors: factor <= 0 or non-finite; a quantized sequence.
Result<NoteSequence> stretch(const NoteSequence& sequence, double factor);

/// Magenta's shift_sequence_times: every time moves later by `shiftSeconds` (> 0).
/// Errors: shiftSeconds <= 0 or non-finite; a quantized sequence.
Result<NoteSequence> shiftSequenceTimes(const NoteSequence& sequence, double shiftSeconds);

/// Magenta's trim_note_sequence: keeps notes starting in [startTime, endTime), clips their
/// ends to endTime, totalTime = min(totalTime, endTime); nothing is shifted and all other
/// events stay. Errors: non-finite bounds, endTime < startTime, a quantized sequence.
Result<NoteSequence> trimNoteSequence(const NoteSequence& sequence, double startTime,
                                      double endTime);

/// Magenta's remove_redundant_data: drops each tempo, time signature and key signature that
/// differs from the previous one (in time order) only by its time.
NoteSequence removeRedundantData(const NoteSequence& sequence);

/// Magenta's concatenate_sequences: part i is shifted by the sum of the durations of the
/// parts before it — `durations[j]` when given (non-empty), else the running totalTime — and
/// merged; list fields are appended, totalTime/ticksPerQuarter/title/filename come from the
/// last part that sets them; then removeRedundantData. Example: two 2-bar parts at 120 QPM
/// whose last note ends at step 31 (totalTime 3.875 s) with durations {4, 4} put the second
/// part at 4 s. Errors: durations.size() != sequences.size() (when durations is non-empty), a
/// duration shorter than its part's totalTime or non-finite, a quantized part.
Result<NoteSequence> concatenate(const std::vector<NoteSequence>& sequences,
                                 const std::vector<double>& durations = {});

// --- Instruments ---------------------------------------------------------------------------

struct MergeInstrumentsOptions {
    int targetInstrument = 0;
    /// Program for every merged note/control; default: the program of the earliest merged
    /// note (or 0 when there is none).
    std::optional<int> program;
    /// When false, drum notes and drum controls keep their own instruments.
    bool includeDrums = false;
};

/// Puts every (non-drum, unless includeDrums) note, control change and pitch bend on one
/// instrument with one program. InstrumentInfos of the merged instruments collapse into one for
/// the target (keeping the target's own info, else the first merged one's). Errors: a
/// target instrument < 0 or a program outside 0..127.
Result<NoteSequence> mergeInstruments(const NoteSequence& sequence,
                                      const MergeInstrumentsOptions& options = {});

/// The book's extract_drums: keeps only drum notes (and drum control changes / pitch bends),
/// merged into one drum instrument (the lowest drum instrument number, program 0, isDrum);
/// tempos, time signatures, key signatures and annotations are kept; totalTime is recomputed.
/// Error when the sequence has no drum notes.
Result<NoteSequence> extractDrums(const NoteSequence& sequence);

/// Magenta's apply_sustain_control_changes, per instrument: control `sustainControl` with value
/// >= 64 presses the pedal, < 64 releases it. Events at one time are processed in the order
/// pedal-down, pedal-up, note-on, note-off. A note released under the pedal lasts until the
/// pedal is released or the same pitch is struck again (a re-strike under the pedal ends the
/// previous note there, and drops it if that leaves it zero-length); notes still held when the
/// events run out end at the last event's time. Drum notes are untouched.
/// Errors: a quantized sequence, a control number outside 0..127.
Result<NoteSequence> applySustainControlChanges(const NoteSequence& sequence,
                                                int sustainControl = kSustainPedalControl);

}  // namespace toccata::core
