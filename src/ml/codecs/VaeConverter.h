// VaeConverter: MusicVAE / GrooVAE data converters, NoteSequence <-> the [numSteps, depth]
// tensors the encoder reads and the decoder writes. Semantics are Magenta.js 1.23.1's
// MelodyConverter, DrumsConverter (and DrumRollConverter), TrioConverter and GrooveConverter, so
// that hosted checkpoints see exactly the inputs they see in the browser (docs/design/musicvae.md
// §2.0-2.4). Where Magenta.js is plainly wrong we follow Python and say so (§5): the drum
// "no hit" column is computed on the same step, the caller's notes are never re-sorted, notes
// past the model length are an error instead of vanishing, generated notes get a velocity, the
// trio drum part counts a class once per step and ignores unmapped pitches, and decoded trio
// bass and drums use Python's program 33 and instrument 9.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::ml {

enum class VaeConverterType { Melody, Drums, Trio, Groove };

/// TrioConverter part programs (Magenta.js MEL_PROG_RANGE / BASS_PROG_RANGE, inclusive): non-drum
/// notes of programs 0-31 are the melody, 32-39 the bass; other non-drum programs are dropped.
inline constexpr int kTrioMelodyMaxProgram = 31;
inline constexpr int kTrioBassMinProgram = 32;
inline constexpr int kTrioBassMaxProgram = 39;
/// Program of decoded trio bass notes: Python's ELECTRIC_BASS (Magenta.js writes 32, §2.3).
inline constexpr int kTrioDefaultBassProgram = 33;

/// Magenta.js's default drum pitch classes (design doc §2.2, the old note_seq map): kick, snare,
/// closed hi-hat, open hi-hat, low/mid/high tom, crash, ride; the first pitch is the output one.
const std::vector<std::vector<int>>& magentaJsDrumPitchClasses();

/// Magenta.js GrooveConverter.TAPIFY_CHANNEL: with tapify every input note goes to this class
/// (index 3 of the default table, the open hi-hat; Python's tap2drum pipeline differs, §2.4).
inline constexpr int kGrooveTapifyClass = 3;

struct VaeConverterConfig {
    VaeConverterType type = VaeConverterType::Melody;
    int64_t numSteps = 32;    // total length in steps (16 per 4/4 bar at 4 steps/quarter)
    int64_t numSegments = 0;  // 0: flat model; else hierarchical (bars per conductor step)
    int stepsPerQuarter = 4;
    // melody (trio: the melody part, args.melArgs)
    int minPitch = 21, maxPitch = 108;  // inclusive
    bool ignorePolyphony = true;        // Magenta.js 1.23.1 default: keep a step's highest note
    // trio: the bass part (args.bassArgs), the same rules as the melody part
    int bassMinPitch = 24, bassMaxPitch = 59;  // inclusive; fromMagentaJs requires both
    bool bassIgnorePolyphony = true;
    /// Program of decoded bass notes (a Toccata extension, args.bassProgram): Python's 33,
    /// ELECTRIC_BASS, by default; 32 gives Magenta.js's output.
    int bassProgram = kTrioDefaultBassProgram;
    // drums / groove / trio drum part: class -> MIDI pitches (first = the pitch written on
    // output); empty means magentaJsDrumPitchClasses() (VaeConverter's constructor fills it in)
    std::vector<std::vector<int>> pitchClasses;
    /// Drums only: Magenta.js DrumRollConverter / Python roll_output. The decoder writes a
    /// [numSteps, classes] roll (a Boolean head) instead of a 2^classes one-hot; the encoder
    /// input is the same 10-wide roll.
    bool rollOutput = false;
    // groove
    bool humanize = false, tapify = false;
    /// Drum classes the encoder never sees (Python's add_instruments, args.addInstruments, a
    /// Toccata extension): the model learns to add them, e.g. {2} = closed hi-hat.
    std::vector<int> addInstruments;
    int outputVelocity = 80;  // velocity of melody/drum output notes (groove uses the model's)

    /// From a Magenta.js config.json "dataConverter" object {"type": "...", "args": {...}}:
    /// MelodyConverter, DrumsConverter, DrumRollConverter, TrioConverter, GrooveConverter.
    /// Unknown type, missing numSteps, minPitch > maxPitch etc. -> failure naming the field and
    /// value. Unknown args are ignored as Magenta.js does; "stepsPerQuarter" and
    /// "outputVelocity" are read for every type (Toccata extensions, except stepsPerQuarter for
    /// groove). Melody needs minPitch and maxPitch (Magenta.js has no defaults); drums and
    /// groove get magentaJsDrumPitchClasses() when pitchClasses is absent. Trio needs
    /// args.melArgs and args.bassArgs objects, each with minPitch and maxPitch (and optionally
    /// ignorePolyphony); args.drumsArgs may be absent or carry pitchClasses; args.bassProgram
    /// (Toccata) sets bassProgram. splitInstruments is refused.
    static core::Result<VaeConverterConfig> fromMagentaJs(const core::JsonValue& dataConverter);
    /// The same object shape back (so a Toccata model.json can store it under codec). Defaults
    /// are left out (default pitch classes, stepsPerQuarter 4, ignorePolyphony true, humanize
    /// and tapify false, outputVelocity 80), so a Magenta.js config round-trips unchanged.
    core::JsonValue toMagentaJs() const;
    /// Ok, or what is wrong (names the field and the value). fromMagentaJs only returns
    /// configs that pass; the VaeConverter methods check it again for hand-built configs.
    core::Status validate() const;

    /// pitchClasses, or magentaJsDrumPitchClasses() when it is empty.
    const std::vector<std::vector<int>>& drumPitchClasses() const;
    int64_t numClasses() const { return static_cast<int64_t>(drumPitchClasses().size()); }
    /// Melody maxPitch-minPitch+3; drums classes+1 (10); groove 3*classes (27); trio
    /// melodyDepth() + bassDepth() + 2^classes (38 + 38 + 512 for the hosted 4-bar trio).
    int64_t inputDepth() const;
    /// Melody and trio same as input; drums 2^classes (512; roll output: classes, 9); groove 27.
    int64_t outputDepth() const;
    /// Width of the melody one-hot (melody, and the trio's melody part): maxPitch-minPitch+3.
    int64_t melodyDepth() const { return maxPitch - minPitch + 3; }
    /// Width of the trio bass one-hot: bassMaxPitch-bassMinPitch+3.
    int64_t bassDepth() const { return bassMaxPitch - bassMinPitch + 3; }
    int64_t stepsPerBar() const { return 4 * stepsPerQuarter; }
    int64_t numBars() const;  // numSteps / stepsPerBar
};

/// The notes of a relative-quantized `sequence` that start in [firstStep, firstStep + numSteps),
/// moved to start at step 0 (steps and seconds alike, at the sequence's first tempo); note ends
/// are clipped to the window. totalQuantizedSteps = numSteps. What a model-length window of a
/// longer clip looks like to a converter (MusicVaeGenerator's chunks, training windows).
core::NoteSequence quantizedWindow(const core::NoteSequence& sequence, int64_t firstStep,
                                   int64_t numSteps);

class VaeConverter {
public:
    explicit VaeConverter(VaeConverterConfig config);
    const VaeConverterConfig& config() const { return m_config; }

    /// Encoder input [numSteps, inputDepth] float32 for ONE window. `sequence` must be
    /// relative-quantized at config.stepsPerQuarter (groove: an unquantized sequence is
    /// quantized first, as Magenta.js does; its offsets come from the unquantized start times).
    /// Notes starting at step >= numSteps are an error naming the step and the model length
    /// (callers chunk longer input first). Melody: notes sorted by start, highest pitch first;
    /// a second note on a step is dropped (ignorePolyphony) or an error naming the step;
    /// out-of-range pitch -> error naming the pitch and range; each note writes its label at
    /// the start and NOTE_OFF at the end, so an earlier overlapping note's NOTE_OFF cuts a later
    /// one short, exactly as in Magenta.js. Drums: one column per class hit starting on that
    /// step, last column = 1 iff no mapped hit starts on that step (Python's NOR; Magenta.js
    /// shifts it a step, §2.2); unmapped pitches are ignored; isDrum is not required. Trio
    /// (input == output): concat(melody one-hot, bass one-hot, drums one-hot of sum 2^class) per
    /// step; melody = non-drum programs 0-31, bass = non-drum 32-39, drums = isDrum, other
    /// programs dropped; melody and bass each follow the melody rules (errors name the part);
    /// the drum part sets a class bit once however many of its pitches hit the step and ignores
    /// unmapped pitches (both unlike Magenta.js, whose sum double-counts and whose NaN for an
    /// unmapped pitch wipes the step; see trioTensor). Groove:
    /// §2.4, per step and class the loudest note (first one on ties); humanize zeroes the
    /// velocity and offset inputs; tapify puts every note (mapped or not) on kGrooveTapifyClass
    /// and zeroes the velocities (offsets stay unless humanize).
    core::Result<torch::Tensor> toInputTensor(const core::NoteSequence& sequence) const;

    /// Decoder target [numSteps, outputDepth] (training): melody = the input one-hots; drums =
    /// one-hot of sum 2^class (a class hit twice on a step counts once, as in Python; roll
    /// output: the roll without the "no hit" column); groove = the true hits, velocities and
    /// offsets of the mapped notes (NOT zeroed or remapped by humanize/tapify: that is the point
    /// of GrooVAE); trio = the input.
    core::Result<torch::Tensor> toOutputTensor(const core::NoteSequence& sequence) const;

    /// Decoder output [T, outputDepth] (or [1, T, outputDepth]; T is numSteps for a model
    /// output) -> NoteSequence at `qpm`. Melody/drums: argmax per step (first maximum; the
    /// rows may be one-hots or probabilities; roll output: cells > 0.5), quantized result
    /// (quantizationInfo stepsPerQuarter, quantized steps AND startTime/endTime in seconds
    /// filled, one tempo, totalQuantizedSteps = T, totalTime = T seconds-per-step), velocity
    /// outputVelocity; drums isDrum, instrument 9, pitch = pitchClasses[c][0], one step long.
    /// Trio: the row is split at [melodyDepth, bassDepth, 2^classes] and each part decoded as
    /// above: melody notes instrument 0 program 0, then bass notes instrument 1 program
    /// bassProgram (Magenta.js: 32), then drum notes instrument 9 (Magenta.js: 2), isDrum.
    /// Groove: unquantized, hits > 0.5, velocity clip(round-half-up(v*127), 1, 127) (Magenta.js
    /// allows 0, which MIDI reads as a note-off), start = (s - clip(off/2,-0.5,0.5)) * stepSeconds,
    /// end = start + stepSeconds, isDrum, instrument 9; negative start times are kept (the
    /// caller decides), totalTime = T * stepSeconds. A tensor of the wrong shape or qpm <= 0
    /// gives an empty sequence; use decode() to get the reason.
    core::NoteSequence toNoteSequence(const torch::Tensor& output, double qpm = 120.0) const;
    /// toNoteSequence with the failure reported: wrong rank or width, non-finite qpm or qpm <= 0,
    /// an invalid config.
    core::Result<core::NoteSequence> decode(const torch::Tensor& output, double qpm = 120.0) const;

private:
    core::Result<torch::Tensor> melodyTensor(const core::NoteSequence& sequence) const;
    core::Result<torch::Tensor> drumsTensor(const core::NoteSequence& sequence, bool input) const;
    core::Result<torch::Tensor> grooveTensor(const core::NoteSequence& sequence, bool input) const;
    core::Result<torch::Tensor> trioTensor(const core::NoteSequence& sequence) const;
    /// Per step the sum of 2^class of the mapped drum notes, each class once (drums and trio).
    core::Result<std::vector<int64_t>> drumLabels(const std::vector<const core::Note*>& notes,
                                                  const char* what) const;
    /// Class of a drum pitch, -1 when unmapped.
    int classOf(int pitch) const;

    VaeConverterConfig m_config;
    std::vector<int> m_pitchToClass;  // 128 entries
};

}  // namespace toccata::ml
