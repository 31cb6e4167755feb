// Quantization: snapping a NoteSequence to a step grid, with Magenta's exact rules
// (note_seq.sequences_lib.quantize_note_sequence / quantize_note_sequence_absolute).
//
//  - step = int(seconds * stepsPerSecond + 1 - cutoff), cutoff 0.5, truncated toward zero
//    (so a time a little below 0 still lands on step 0, as in Magenta);
//  - a note whose end step equals its start step lasts one step;
//  - a note or event on a negative step is an error;
//  - totalQuantizedSteps = step of totalTime, extended by any later note end;
//  - control changes, pitch bends and text annotations get quantizedStep.
// Relative quantization needs one tempo and one time signature (implicit 120 QPM and 4/4 at
// time 0 count: a first change at t > 0 to another value is a change). The result carries
// exactly one tempo and one time signature, both at time 0.
#pragma once

#include <cstdint>

#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

/// Magenta's QUANTIZE_CUTOFF: events at or past this fraction of a step round up.
inline constexpr double kQuantizeCutoff = 0.5;
/// Magenta's DEFAULT_STEPS_PER_QUARTER (16th notes) and DEFAULT_STEPS_PER_BAR (4/4).
inline constexpr int kDefaultStepsPerQuarter = 4;
inline constexpr int kDefaultStepsPerBar = 16;

/// steps_per_quarter * qpm / 60.
double stepsPerQuarterToStepsPerSecond(int stepsPerQuarter, double qpm);

/// Magenta's quantize_to_step: int(seconds * stepsPerSecond + (1 - cutoff)), truncating
/// toward zero like Python's int().
int64_t secondsToStep(double seconds, double stepsPerSecond, double cutoff = kQuantizeCutoff);

/// The time of a step boundary: step / stepsPerSecond.
double stepToSeconds(int64_t step, double stepsPerSecond);

/// Seconds per step at a tempo: 60 / qpm / stepsPerQuarter (0.125 s at 120 QPM, 4 spq).
double secondsPerStep(int stepsPerQuarter, double qpm);

/// Quantize relative to tempo (Magenta's default). Errors: stepsPerQuarter <= 0, a tempo or
/// time-signature change, a bad time signature (numerator 0, denominator not a power of 2),
/// a note or event on a negative step, a non-finite time.
Result<NoteSequence> quantizeNoteSequence(const NoteSequence& sequence, int stepsPerQuarter);

/// Quantize on absolute time (performance models). Tempos and time signatures are copied
/// and ignored. Errors: stepsPerSecond <= 0, negative steps, non-finite times.
Result<NoteSequence> quantizeNoteSequenceAbsolute(const NoteSequence& sequence, int stepsPerSecond);

/// Magenta's steps_per_bar_in_quantized_sequence as a double (may be fractional, e.g. 7/16
/// at 1 step per quarter). Uses the first time signature (4/4 when there is none).
/// Error when the sequence is not quantized relative to tempo.
Result<double> stepsPerBarFloat(const NoteSequence& quantized);

/// Steps per bar of a relative-quantized sequence: 16 for 4/4 at 4 spq, 12 for 3/4, 6 for
/// 3/8, 12 for 6/8. Error when not relative-quantized or when a bar is not a whole number of
/// steps (Magenta's NonIntegerStepsPerBarError).
Result<int> stepsPerBar(const NoteSequence& quantized);

}  // namespace toccata::core
