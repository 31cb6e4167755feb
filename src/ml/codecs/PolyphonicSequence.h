// PolyphonicSequence: Magenta's polyphony_lib.PolyphonicSequence, the Polyphony RNN's stream
// of single-note events on a relative step grid: START, then per step the notes sounding in it
// sorted by pitch, descending (CONTINUED_NOTE for a note begun earlier, NEW_NOTE for an onset),
// STEP_END after every step, END. A note ends where a step lacks its CONTINUED_NOTE. The book
// example (4 steps, 69 held two steps): START, NEW 69, NEW 45, STEP_END, CONT 69, NEW 52,
// STEP_END, NEW 57, STEP_END, NEW 60, STEP_END, END. Events without a pitch carry pitch -1
// (Magenta: None from extraction, 0 from decoding). [any]
#pragma once

#include <cstdint>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/Quantization.h"

namespace toccata::ml {

struct PolyphonicEvent {
    enum Type : uint8_t { kStart = 0, kEnd = 1, kStepEnd = 2, kNewNote = 3, kContinuedNote = 4 };
    Type type = kStepEnd;
    int pitch = -1;  ///< 0..127 for NEW_NOTE / CONTINUED_NOTE, else -1

    static PolyphonicEvent start() { return {kStart, -1}; }
    static PolyphonicEvent end() { return {kEnd, -1}; }
    static PolyphonicEvent stepEnd() { return {kStepEnd, -1}; }
    static PolyphonicEvent newNote(int pitch) { return {kNewNote, pitch}; }
    static PolyphonicEvent continuedNote(int pitch) { return {kContinuedNote, pitch}; }
    bool isNote() const { return type == kNewNote || type == kContinuedNote; }

    bool operator==(const PolyphonicEvent&) const = default;
};

/// STEP_END events in `events` (Magenta's num_steps: unfinished steps do not count).
int64_t polyphonicNumSteps(const std::vector<PolyphonicEvent>& events);

/// The note events (NEW/CONTINUED) of each complete step, in order: what
/// inject_primer_during_generation copies into the generated stream step by step.
std::vector<std::vector<PolyphonicEvent>> polyphonicStepNotes(
    const std::vector<PolyphonicEvent>& events);

/// Magenta's _inject_melody lookup: the primer's note events for the step the generated
/// stream has reached (its STEP_END count `generatedSteps`), when injection starts at
/// `injectStartStep`; empty when the primer has no such step.
std::vector<PolyphonicEvent> primerNotesForStep(const std::vector<PolyphonicEvent>& primer,
                                                int64_t injectStartStep, int64_t generatedSteps);

class PolyphonicSequence {
public:
    /// An empty sequence: just START.
    explicit PolyphonicSequence(int stepsPerQuarter = core::kDefaultStepsPerQuarter,
                                int64_t startStep = 0)
        : m_events{PolyphonicEvent::start()},
          m_stepsPerQuarter(stepsPerQuarter),
          m_startStep(startStep) {}

    /// Magenta's PolyphonicSequence(quantized_sequence, start_step): notes starting at or
    /// after startStep, steps startStep .. totalQuantizedSteps - 1 (every instrument, drums
    /// included, as Magenta). Errors: not relative-quantized, a pitch outside 0..127.
    static core::Result<PolyphonicSequence> fromQuantizedSequence(
        const core::NoteSequence& quantized, int64_t startStep = 0);

    /// Magenta's to_sequence: one tempo (qpm), notes from NEW_NOTE to the first step without
    /// its CONTINUED_NOTE; a misplaced START/END or a CONTINUED_NOTE of a silent pitch is
    /// ignored; totalTime = (steps - 1) * secondsPerStep as Magenta. With `base`, the notes are
    /// added to a copy of it (its first tempo must be qpm). Errors: qpm <= 0, velocity outside
    /// 1..127, a mismatched base tempo, notes left sounding (no final STEP_END: setLength first).
    core::Result<core::NoteSequence> toSequence(int velocity = 100, int instrument = 0,
                                                int program = 0, double qpm = core::kDefaultQpm,
                                                const core::NoteSequence* base = nullptr) const;

    /// Removes trailing END events (before priming a model with the sequence).
    void trimTrailingEndEvents();
    /// Magenta's set_length: closes an open step, pads with empty steps or trims to `steps`
    /// steps, then appends END.
    void setLength(int64_t steps);

    void append(const PolyphonicEvent& event) { m_events.push_back(event); }
    const std::vector<PolyphonicEvent>& events() const { return m_events; }
    std::vector<PolyphonicEvent>& events() { return m_events; }
    size_t size() const { return m_events.size(); }
    int64_t numSteps() const { return polyphonicNumSteps(m_events); }
    int64_t startStep() const { return m_startStep; }
    int64_t endStep() const { return m_startStep + numSteps(); }
    int stepsPerQuarter() const { return m_stepsPerQuarter; }
    /// The step of each event.
    std::vector<int64_t> steps() const;

    bool operator==(const PolyphonicSequence&) const = default;

private:
    std::vector<PolyphonicEvent> m_events;
    int m_stepsPerQuarter;
    int64_t m_startStep;
};

}  // namespace toccata::ml
