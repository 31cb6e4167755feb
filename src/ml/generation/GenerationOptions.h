// GenerationOptions: what a generation request asks of an RNN-family generator — sampling
// (temperature, seed), Magenta's beam search (beam size, branch factor, steps per iteration),
// length (steps after the primer, or Magenta's num_steps total), primer alignment, an
// optional key/scale constraint, tempo, chords for conditioned models, and the cancellation
// token and progress callback of the generation worker. Plain data. [any]
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/generation/KeyScale.h"

namespace toccata::ml {

/// Where generation starts after the primer.
enum class PrimerAlignment {
    /// At the step where the primer's last melody note ends / after its last drum onset,
    /// or at the primer's own end when it is longer (a quantized primer's
    /// totalQuantizedSteps, else its totalTime: e.g. a selected region with trailing rests,
    /// or a Magenta.js primer). Toccata's default: no silent gap. Magenta.js starts here too.
    kNextStep,
    /// Magenta's Python API with the section starting at the primer's end time:
    /// start step = int(end * stepsPerSecond + 1), which leaves one silent step.
    kMagentaApi,
    /// Magenta's *_generate CLI: the section starts at end + one step (two silent steps when
    /// the primer ends on a step boundary).
    kMagentaCli,
};

/// Magenta's default --num_steps.
inline constexpr int64_t kDefaultNumSteps = 128;

struct GenerationOptions {
    /// softmax(logits / temperature); 0 = greedy (argmax).
    double temperature = 1.0;
    /// Same seed, same model, same options -> same output. None: a random seed.
    std::optional<uint64_t> seed;

    int beamSize = 1;
    int branchFactor = 1;
    int stepsPerIteration = 1;

    /// Steps to generate after the primer (Toccata's --steps) ...
    std::optional<int64_t> steps;
    /// ... or Magenta's --num_steps: total length from step 0, primer included. When neither
    /// is set, numSteps = 128. Setting both is an error.
    std::optional<int64_t> numSteps;
    PrimerAlignment alignment = PrimerAlignment::kNextStep;

    /// Melody models only: pitches outside the key/scale are never sampled.
    std::optional<KeyScale> keyScale;
    /// Tempo when the primer has none (a primer tempo wins, as in Magenta); default 120.
    std::optional<double> qpm;

    /// Chord-conditioned models: chord figures, each lasting stepsPerChord steps from step 0
    /// of the output; the progression repeats to the end.
    std::vector<std::string> chords;
    int stepsPerChord = 16;

    /// Checked between steps; a stop request ends generation with an error "cancelled".
    std::stop_token stopToken;
    /// Called after every generated step with (steps done, steps in total). [worker]
    std::function<void(int64_t, int64_t)> progress;

    /// Errors name the bad field: temperature < 0 or not finite, beam parameters < 1,
    /// steps/numSteps < 1 or both set, qpm <= 0, stepsPerChord < 1.
    core::Status validate() const;
};

}  // namespace toccata::ml
