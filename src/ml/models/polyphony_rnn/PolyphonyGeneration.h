// PolyphonyGeneration: Magenta's polyphony sequence generator
// (polyphony_sequence_generator.py + PolyphonyRnnModel / EventSequenceRnnModel._generate_events
// with its modify_events_callback) over a torch-free stepper:
//   the primer (drum notes dropped) is quantized at 4 steps per quarter with its first tempo
//   (else options.qpm, else 120) and becomes a PolyphonicSequence padded with empty steps up
//   to the start step;
//   condition_on_primer: the RNN reads the primer before generating; otherwise it starts from a
//   blank sequence (just START) at the start step and the primer is kept as the output's base;
//   inject_primer_during_generation: whenever a stream reaches a new step (its last event is
//   STEP_END, or it is just START), the primer's note events of the matching step are appended
//   and fed to the RNN (scored, not sampled), so the model harmonises around them. The primer's
//   step 0 is matched with generated step N (the primer's padded length) when conditioning,
//   with step 0 of the blank stream otherwise;
//   each pass asks for 5 x (steps still missing) sampled events, re-running the whole stream
//   from the zero state, until the stream covers the requested steps; then it is trimmed
//   (Magenta's set_length) and rendered with velocity 100.
// Beam search is Magenta's (first iteration (N - 1) % steps_per_iteration + 1 events, pruning
// to beam_size by summed log p); injected events are fed to each row separately, which is why
// the stepper can advance only some rows (Magenta batches them and cannot mix rows that
// inject different numbers of events).
// Grammar (a Toccata addition, on by default): Magenta samples freely and its decoder ignores a
// CONTINUED_NOTE of a silent pitch and a START/END inside the stream. Toccata masks, before
// sampling, START, END (the length is set by steps), a second event for a pitch already
// present in the step, and CONTINUED_NOTE(p) unless p sounded in the previous step; the rest is
// renormalised. The order of pitches within a step is not forced (injected primer notes come
// first, as in Magenta). With beam size 1 and branch factor 1 sampling stops once the
// requested steps are covered: the kept events are exactly those of the full budget.
// Same seed, same options -> same output. [worker]
#pragma once

#include <cstdint>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/codecs/PolyphonicSequence.h"
#include "ml/generation/BatchStepper.h"
#include "ml/generation/GenerationOptions.h"
#include "ml/generation/RnnGenerator.h"

namespace toccata::ml {

/// Magenta's polyphony config: 4 steps per quarter.
inline constexpr int kPolyphonyStepsPerQuarter = 4;
/// Magenta's guess of RNN events per quantized step.
inline constexpr int64_t kPolyphonyEventsPerStep = 5;

/// A BatchStepper that can also advance only some rows, the others keeping their state and
/// logits: the rows of a beam inject primer events at different times. [worker]
class RowMaskedStepper : public BatchStepper {
public:
    /// Steps the rows whose flag in `active` is non-zero (inputs as step(): [batch,
    /// inputDepth]; the inputs of inactive rows are ignored). The logits returned for inactive
    /// rows are unspecified.
    virtual core::Result<std::vector<float>> stepRows(const std::vector<float>& inputs,
                                                      const std::vector<uint8_t>& active) = 0;
};

/// What a polyphony generation asks for. From GenerationOptions: temperature, seed, beam
/// search, length (steps after the start step, or numSteps in all; neither: numSteps 128),
/// alignment, qpm, stopToken and progress (steps covered, steps requested); keyScale and
/// chords do not apply. Alignment: kNextStep starts at the quantized primer's end (0 without
/// a primer); kMagentaApi at int(last note end x steps per second + 1); kMagentaCli at
/// int(primer totalTime x steps per second + 1), as polyphony_rnn_generate.
struct PolyphonyGenerationOptions : GenerationOptions {
    bool conditionOnPrimer = false;  ///< Magenta's CLI default
    bool injectPrimer = true;        ///< Magenta's CLI default
    bool enforceGrammar = true;      ///< see the file comment; false = Magenta's raw sampling

    /// GenerationOptions::validate plus: no key/scale, no chords.
    core::Status validate() const;
};

struct PolyphonyGenerationResult : GenerationResult {
    PolyphonicSequence events;   ///< the final stream (primer events too when conditioning)
    int64_t sampledEvents = 0;   ///< events drawn from the model, every pass
    int64_t injectedEvents = 0;  ///< primer events injected into the kept stream
    int passes = 0;              ///< Magenta's "will try asking for N RNN steps" rounds
};

/// Runs generation on `model`, whose input depth and classes must both be 259. Errors: bad
/// options, a primer that cannot be quantized, a primer reaching the requested end ("the
/// primer ... ends at step N"), model failures, and cancellation ("generation cancelled").
core::Result<PolyphonyGenerationResult> generatePolyphony(
    RowMaskedStepper& model, const core::NoteSequence& primer,
    const PolyphonyGenerationOptions& options);

/// The classes (259 flags) the grammar allows after `events` (a stream beginning with START):
/// STEP_END, NEW_NOTE(p) for a p not yet in the current step, CONTINUED_NOTE(p) for a p that
/// sounded in the previous step and is not yet in the current one.
std::vector<bool> polyphonyAllowedClasses(const std::vector<PolyphonicEvent>& events);

/// Checks a stream against that grammar: START first and nowhere else, END only last, no pitch
/// twice in a step, CONTINUED_NOTE only for a pitch of the previous step. The error names the
/// event's position and what is wrong.
core::Status checkPolyphonicStream(const std::vector<PolyphonicEvent>& events);

/// A chord lasting one quarter at `qpm`, velocity 100 (Magenta's --primer_pitches).
/// Errors name a pitch outside 0..127 or an empty list.
core::Result<core::NoteSequence> primerFromPitches(const std::vector<int>& pitches, double qpm);

}  // namespace toccata::ml
