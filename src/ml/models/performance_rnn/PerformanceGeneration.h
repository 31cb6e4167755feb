// PerformanceGeneration: Magenta's performance sequence generator
// (performance_sequence_generator.py + PerformanceRnnModel.generate_performance) over a
// torch-free BatchStepper:
//   the primer (any unquantized NoteSequence: drums dropped, sustain folded, every other
//   instrument merged) becomes a Performance on the 10 ms grid and conditions the RNN; it is
//   padded with silence up to the start step (the alignment rule of RnnGenerator; an empty
//   primer starts with min(1 s, length) of silence, as Magenta); the network is fed
//   [desired control vector, one-hot of the event] at every step (the constant density
//   one-hot / normalised histogram of the options); the RNN step budget is Magenta's
//   ceil(4 x max(1, density) x remaining steps / stepsPerSecond) with density 15 by default,
//   one pass (Magenta's fill_generate_section = false), but sampling stops as soon as the
//   time shifts fill the requested length; the performance is then cut or padded to exactly
//   that length and rendered with velocities, notes longer than 5 s ended (Magenta's
//   MAX_NOTE_DURATION_SECONDS). Beam search (beamSize/branchFactor > 1) runs Magenta's
//   beam search over the whole budget. Same seed, same options -> same output. [worker]
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/generation/BatchStepper.h"
#include "ml/generation/GenerationOptions.h"
#include "ml/generation/RnnGenerator.h"
#include "ml/models/performance_rnn/PerformanceRnnConfig.h"

namespace toccata::ml {

/// Magenta's performance_rnn_generate --num_steps default: 3000 steps of 10 ms (30 s).
inline constexpr int64_t kDefaultPerformanceNumSteps = 3000;

/// What a performance generation asks for. From GenerationOptions: temperature, seed, beam
/// search, length (steps = 10 ms steps after the primer, or numSteps = total from 0; neither:
/// numSteps 3000), alignment, stopToken and progress; keyScale, chords and qpm do not apply.
struct PerformanceGenerationOptions : GenerationOptions {
    /// Desired notes per second: the density control (conditioned configs) and the RNN step
    /// budget (every config). Default 15.
    std::optional<double> density;
    /// 12 relative weights C .. B (pitch-conditioned configs only). Default uniform.
    std::optional<std::vector<double>> pitchHistogram;
    /// Optional-conditioning configs: feed the "disabled" flag instead of the controls.
    bool disableConditioning = false;
    /// Notes held longer are ended (0: never).
    double maxNoteSeconds = kPerformanceMaxNoteSeconds;

    /// GenerationOptions::validate plus: no key/scale or chords, density finite and >= 0,
    /// maxNoteSeconds >= 0.
    core::Status validate() const;
};

struct PerformanceGenerationResult : GenerationResult {
    /// startStep/endStep/trackStartStep are 10 ms steps (absolute, from 0 s).
    int64_t eventBudget = 0;      ///< RNN steps allowed
    int64_t eventsGenerated = 0;  ///< RNN steps taken
    int64_t primerEvents = 0;     ///< events fed before the first sampled one
    bool filled = false;          ///< the sampled time shifts reached the requested length
};

/// Runs generation on `model`, whose input depth and classes must be config.inputDepth() and
/// config.numClasses(). Errors: bad options ("density ...", "pitch histogram ..." naming the
/// value), pitch weights for a model without that control, a quantized primer, a primer
/// reaching the requested end ("the primer is longer than ..."), model failures, and
/// cancellation ("generation cancelled").
core::Result<PerformanceGenerationResult> generatePerformance(
    BatchStepper& model, const PerformanceRnnConfig& config, const core::NoteSequence& primer,
    const PerformanceGenerationOptions& options);

/// The generated notes only (those starting at or after the start step); times stay
/// relative to the primer's start.
core::NoteSequence performanceGeneratedPart(const GenerationResult& result,
                                            int stepsPerSecond = kPerformanceStepsPerSecond);

/// The generated notes moved to start at 0 s; totalTime = the generated length.
core::NoteSequence performanceContinuationOnly(const GenerationResult& result,
                                               int stepsPerSecond = kPerformanceStepsPerSecond);

/// Magenta's RNN step budget: ceil(4 x max(1, density) x steps / stepsPerSecond).
int64_t performanceEventBudget(double density, int64_t steps, int stepsPerSecond);

}  // namespace toccata::ml
