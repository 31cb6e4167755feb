// Performance: a polyphonic piano performance as a stream of PerformanceEvents on an absolute
// time grid, Magenta's note_seq.performance_lib.Performance ("performance_with_dynamics": 100
// steps per second, time shifts up to 100 steps, 32 velocity bins). Conversion from a
// NoteSequence (drums dropped, sustain pedal folded into note lengths, every instrument merged
// into one stream as Magenta does for piano) and back (a VELOCITY applies to the following
// NOTE_ONs; NOTE_OFF without a sounding note is ignored; a repeated NOTE_ON of a sounding pitch
// starts a second note, and the next NOTE_OFF of that pitch ends the earliest one; notes still
// sounding at the end end there; zero-length notes are dropped). [any]
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/codecs/PerformanceEvent.h"

namespace toccata::ml {

/// Magenta's performance_rnn defaults.
inline constexpr int kPerformanceStepsPerSecond = 100;
inline constexpr int kPerformanceMaxShiftSteps = 100;
inline constexpr int kPerformanceVelocityBins = 32;
/// MAX_NOTE_DURATION_SECONDS of Magenta's performance generator: longer notes are cut.
inline constexpr double kPerformanceMaxNoteSeconds = 5.0;

/// ceil(127 / numBins): 4 for 32 bins.
int velocityBinSize(int numVelocityBins);
/// Magenta's velocity_to_bin: (velocity - 1) / binSize + 1.
int velocityToBin(int velocity, int numVelocityBins);
/// Magenta's velocity_bin_to_velocity: 1 + (bin - 1) * binSize.
int velocityBinToVelocity(int bin, int numVelocityBins);

/// How a NoteSequence becomes a Performance (Performance::fromNoteSequence).
struct PerformanceOptions {
    int stepsPerSecond = kPerformanceStepsPerSecond;
    int numVelocityBins = kPerformanceVelocityBins;  ///< 0: no VELOCITY events
    int maxShiftSteps = kPerformanceMaxShiftSteps;
    bool applySustain = true;   ///< fold the sustain pedal (CC 64) into note lengths first
    bool includeDrums = false;  ///< Magenta keeps drums; piano models do not want them
};

/// One note on the step grid, the input of extractPerformanceEvents.
struct QuantizedPerformanceNote {
    int64_t startStep = 0;
    int64_t endStep = 0;  ///< > startStep
    int pitch = 60;
    int velocity = 100;
};

/// Magenta's BasePerformance._from_quantized_sequence on notes already sorted as Magenta sorts
/// them (by unquantized start time, then pitch): onsets and offsets ordered by (step, note
/// index, offset after onset), so at one step the offs of earlier-started notes come before
/// the ons of new ones, and simultaneous ons keep the note order. Time shifts longer than
/// maxShiftSteps are split; a VELOCITY event precedes a NOTE_ON whose bin differs from the
/// current one (numVelocityBins 0: none). Notes starting before startStep are skipped.
std::vector<PerformanceEvent> extractPerformanceEvents(
    const std::vector<QuantizedPerformanceNote>& sortedNotes, int64_t startStep,
    int numVelocityBins, int maxShiftSteps);

class Performance {
public:
    explicit Performance(int stepsPerSecond = kPerformanceStepsPerSecond,
                         int numVelocityBins = kPerformanceVelocityBins,
                         int maxShiftSteps = kPerformanceMaxShiftSteps, int64_t startStep = 0)
        : m_stepsPerSecond(stepsPerSecond),
          m_numVelocityBins(numVelocityBins),
          m_maxShiftSteps(maxShiftSteps),
          m_startStep(startStep) {}

    /// Magenta's Performance(quantized_sequence, ...): every note (of `instrument` only, when
    /// given) starting at or after startStep. program/isDrum as Magenta's
    /// _program_and_is_drum_from_sequence. Errors: not absolute-quantized, bins outside
    /// 0..127, maxShiftSteps < 1, a pitch outside 0..127.
    static core::Result<Performance> fromQuantizedSequence(
        const core::NoteSequence& quantized, int64_t startStep = 0,
        int numVelocityBins = kPerformanceVelocityBins,
        int maxShiftSteps = kPerformanceMaxShiftSteps, std::optional<int> instrument = {});

    /// An unquantized sequence through Magenta's performance pipeline: drop drums (unless
    /// options.includeDrums), fold the sustain pedal, quantize to stepsPerSecond, extract.
    /// Errors: a quantized input, bad options, times that do not quantize.
    static core::Result<Performance> fromNoteSequence(const core::NoteSequence& sequence,
                                                      const PerformanceOptions& options = {});

    /// Magenta's Performance.to_sequence: notes at step / stepsPerSecond (+ startStep's time),
    /// velocity from VELOCITY events (else `velocity`), `program` (default: the performance's
    /// own, else 0), notes longer than maxNoteSeconds (> 0) cut to it; totalTime = last end.
    /// Errors: velocity outside 1..127, a program outside 0..127, an event with a bad value.
    core::Result<core::NoteSequence> toSequence(int velocity = 100, int instrument = 0,
                                                std::optional<int> program = {},
                                                double maxNoteSeconds = 0.0) const;

    const std::vector<PerformanceEvent>& events() const { return m_events; }
    std::vector<PerformanceEvent>& events() { return m_events; }
    void append(const PerformanceEvent& event) { m_events.push_back(event); }
    /// Keeps the first numEvents events.
    void truncate(size_t numEvents);
    size_t size() const { return m_events.size(); }
    bool empty() const { return m_events.empty(); }

    /// Sum of the time shifts.
    int64_t numSteps() const;
    int64_t endStep() const { return m_startStep + numSteps(); }
    /// The step at each event (startStep + shifts before it).
    std::vector<int64_t> steps() const;
    /// Magenta's set_length: pads with time shifts (extending a short last shift first) or
    /// trims events from the end until the performance lasts `steps` steps.
    void setLength(int64_t steps);

    int stepsPerSecond() const { return m_stepsPerSecond; }
    int numVelocityBins() const { return m_numVelocityBins; }
    int maxShiftSteps() const { return m_maxShiftSteps; }
    int64_t startStep() const { return m_startStep; }
    std::optional<int> program() const { return m_program; }
    bool isDrum() const { return m_isDrum; }
    void setProgram(std::optional<int> program) { m_program = program; }

    bool operator==(const Performance&) const = default;

private:
    void appendSteps(int64_t steps);
    int m_stepsPerSecond;
    int m_numVelocityBins;
    int m_maxShiftSteps;
    int64_t m_startStep;
    std::optional<int> m_program;
    bool m_isDrum = false;
    std::vector<PerformanceEvent> m_events;
};

}  // namespace toccata::ml
