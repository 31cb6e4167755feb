// RnnGenerator: the RNN-family generator — Magenta's melody_rnn / drums_rnn / improv_rnn
// sequence generators: (primer NoteSequence, codec config, options) -> primer + continuation.
// Steps, as Magenta: the primer's first tempo wins over options.qpm; the primer is quantized
// at the config's steps per quarter; one melody (highest note on shared onsets, drums
// dropped) or one drum track (every note) is extracted; generation starts at the step the
// alignment rule gives and ends at numSteps (total) or start + steps; melodies are squashed
// into the model's range/key and moved back; the output is re-rendered from the events
// (velocity 100; drums on instrument 9, is_drum, one step long). [worker]
#pragma once

#include <cstdint>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/codecs/RnnCodecConfig.h"
#include "ml/generation/BatchStepper.h"
#include "ml/generation/GenerationOptions.h"

namespace toccata::ml {

struct GenerationResult {
    core::NoteSequence sequence;  // primer (re-rendered from its events) + continuation
    double logLikelihood = 0.0;   // beam score: primer events 2..n + the generated ones
    int64_t trackStartStep = 0;   // first step of the event track (a bar line)
    int64_t startStep = 0;        // first generated step (absolute)
    int64_t endStep = 0;          // one past the last generated step (absolute)
    int transposition = 0;        // semitones the melody was moved by for the model
    double qpm = core::kDefaultQpm;
    uint64_t seed = 0;  // the seed used (options.seed or a random one)
};

/// Magenta's start-step rules. lastNoteEnd: seconds (0 without notes); trackEndStep: absolute
/// end of the extracted track (-1 when it is empty); primerSteps: the quantized primer's own
/// length. kNextStep gives max(trackEndStep (1 for an empty track), primerSteps);
/// kMagentaApi int(lastNoteEnd * stepsPerSecond + 1); kMagentaCli the same one step later
/// when there are notes.
int64_t generationStartStep(PrimerAlignment alignment, double lastNoteEnd, double stepsPerSecond,
                            int64_t trackEndStep, bool primerHasNotes, int64_t primerSteps = 0);

/// Steps in one bar of `primer` (its first time signature, 4/4 without one) on a grid of
/// `stepsPerQuarter`: 16 for 4/4 at 4 steps per quarter.
int64_t stepsPerBarOf(const core::NoteSequence& primer, int stepsPerQuarter);

/// The generated notes of `result` only (those starting at or after startStep), with the
/// sequence's tempo and signatures; times stay relative to the primer's start.
core::NoteSequence generatedPart(const GenerationResult& result, int stepsPerQuarter);

/// Runs generation on `model` (whose input depth / classes must match the config). Errors:
/// bad options or config, a primer that cannot be quantized or holds several melodies,
/// a primer reaching the requested end ("the primer is longer than ..."), missing or bad
/// chords for a chord-conditioned config, chords for a config without conditioning,
/// model failures, and cancellation ("generation cancelled").
core::Result<GenerationResult> generateRnn(BatchStepper& model, const RnnCodecConfig& config,
                                           const core::NoteSequence& primer,
                                           const GenerationOptions& options);

}  // namespace toccata::ml
