// DrumTrack: drum events on a step grid, Magenta's note_seq.DrumTrack. Extraction from a
// relative-quantized NoteSequence (onsets grouped per step; lengths are not modelled) and
// conversion back (every hit lasts one step, velocity 100, is_drum, instrument 9). [any]
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/Quantization.h"
#include "ml/codecs/DrumEvent.h"

namespace toccata::ml {

class DrumTrack {
public:
    DrumTrack() = default;
    DrumTrack(std::vector<DrumEvent> events, int64_t startStep = 0,
              int stepsPerBar = core::kDefaultStepsPerBar,
              int stepsPerQuarter = core::kDefaultStepsPerQuarter)
        : m_events(std::move(events)),
          m_startStep(startStep),
          m_stepsPerBar(stepsPerBar),
          m_stepsPerQuarter(stepsPerQuarter) {}

    /// Magenta's DrumTrack.from_quantized_sequence: notes (drum notes only unless ignoreIsDrum,
    /// velocity > 0) starting at or after searchStartStep are grouped by start step; the track
    /// starts on the bar line (counted from searchStartStep) at or before the first onset and
    /// ends after the last onset kept; a gap of gapBars bars or more between onsets ends it;
    /// padEnd rounds the length up to whole bars. No notes give an empty track. Errors: not
    /// relative-quantized, a bar that is not a whole number of steps, searchStartStep < 0.
    static core::Result<DrumTrack> fromQuantizedSequence(
        const core::NoteSequence& quantized, int64_t searchStartStep = 0,
        double gapBars = std::numeric_limits<double>::infinity(), bool padEnd = false,
        bool ignoreIsDrum = false);

    /// Magenta's DrumTrack.to_sequence: one note per pitch per step, lasting one step, at
    /// sequenceStartTime + (startStep + step) * 60 / qpm / stepsPerQuarter; one tempo (qpm);
    /// is_drum. Errors: qpm <= 0 or not finite, velocity outside 1..127.
    core::Result<core::NoteSequence> toSequence(int velocity = 100, int instrument = 9,
                                                int program = 0, double sequenceStartTime = 0.0,
                                                double qpm = core::kDefaultQpm) const;

    /// Pads with empty steps or truncates on the right.
    void setLength(int64_t steps) {
        m_events.resize(static_cast<size_t>(std::max<int64_t>(steps, 0)));
    }

    const std::vector<DrumEvent>& events() const { return m_events; }
    std::vector<DrumEvent>& events() { return m_events; }
    int64_t size() const { return static_cast<int64_t>(m_events.size()); }
    bool empty() const { return m_events.empty(); }
    int64_t startStep() const { return m_startStep; }
    int64_t endStep() const { return m_startStep + size(); }
    int stepsPerBar() const { return m_stepsPerBar; }
    int stepsPerQuarter() const { return m_stepsPerQuarter; }

    bool operator==(const DrumTrack&) const = default;

private:
    std::vector<DrumEvent> m_events;
    int64_t m_startStep = 0;
    int m_stepsPerBar = core::kDefaultStepsPerBar;
    int m_stepsPerQuarter = core::kDefaultStepsPerQuarter;
};

}  // namespace toccata::ml
