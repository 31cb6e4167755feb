// PerformanceOneHotEncoding: Magenta's note_seq.PerformanceOneHotEncoding. Classes in ranges,
// in this order: NOTE_ON of minPitch..maxPitch, NOTE_OFF of the same pitches, TIME_SHIFT
// 1..maxShiftSteps, then (when numVelocityBins > 0) VELOCITY 1..numVelocityBins. With the
// defaults: NOTE_ON p -> p, NOTE_OFF p -> 128 + p, TIME_SHIFT s -> 256 + s - 1, VELOCITY b ->
// 356 + b - 1: 388 classes (356 without velocity). The default event is the longest shift.
// ranges() tells which classes are which (grammar masks, tests). [any]
#pragma once

#include <vector>

#include "core/Result.h"
#include "ml/codecs/OneHotEncoding.h"
#include "ml/codecs/Performance.h"
#include "ml/codecs/PerformanceEvent.h"

namespace toccata::ml {

/// The classes of one event type: offset .. offset + (maxValue - minValue).
struct PerformanceEventRange {
    PerformanceEvent::Type type = PerformanceEvent::kNoteOn;
    int minValue = 0;
    int maxValue = 0;
    int offset = 0;  ///< class of minValue

    int count() const { return maxValue - minValue + 1; }
    int end() const { return offset + count(); }  ///< one past the last class
    bool containsClass(int index) const { return index >= offset && index < end(); }
};

class PerformanceOneHotEncoding : public OneHotEncoding<PerformanceEvent> {
public:
    /// Errors: bins outside 0..127, maxShiftSteps < 1, pitches outside 0..127 or min > max.
    static core::Result<PerformanceOneHotEncoding> create(
        int numVelocityBins = kPerformanceVelocityBins,
        int maxShiftSteps = kPerformanceMaxShiftSteps, int minPitch = 0, int maxPitch = 127);
    /// The 388-class encoding of performance_with_dynamics (356 with withVelocity false).
    static PerformanceOneHotEncoding standard(bool withVelocity = true);

    int numClasses() const override { return m_ranges.back().end(); }
    PerformanceEvent defaultEvent() const override {
        return PerformanceEvent::timeShift(m_maxShiftSteps);
    }
    /// Error for an event whose value is outside its range (or VELOCITY without bins).
    core::Result<int> encodeEvent(const PerformanceEvent& event) const override;
    /// Index outside 0..numClasses()-1: defaultEvent().
    PerformanceEvent decodeEvent(int index) const override;

    /// Whole sequences; the error names the position of the first bad event / index.
    core::Result<std::vector<int>> encodeEvents(const std::vector<PerformanceEvent>& events) const;
    core::Result<std::vector<PerformanceEvent>> decodeEvents(const std::vector<int>& indices) const;

    /// Magenta's event_to_num_steps: the shift of a TIME_SHIFT, else 0.
    static int eventToNumSteps(const PerformanceEvent& event) {
        return event.type == PerformanceEvent::kTimeShift ? event.value : 0;
    }

    const std::vector<PerformanceEventRange>& ranges() const { return m_ranges; }
    /// The range of a type, nullptr when the encoding has none (VELOCITY without bins).
    const PerformanceEventRange* range(PerformanceEvent::Type type) const;
    int numVelocityBins() const { return m_numVelocityBins; }
    int maxShiftSteps() const { return m_maxShiftSteps; }
    int minPitch() const { return m_minPitch; }
    int maxPitch() const { return m_maxPitch; }

private:
    PerformanceOneHotEncoding() = default;
    std::vector<PerformanceEventRange> m_ranges;
    int m_numVelocityBins = 0;
    int m_maxShiftSteps = 0;
    int m_minPitch = 0;
    int m_maxPitch = 127;
};

}  // namespace toccata::ml
