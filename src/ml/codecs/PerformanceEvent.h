// PerformanceEvent: one event of a performance, Magenta's note_seq.PerformanceEvent — NOTE_ON /
// NOTE_OFF of a pitch, TIME_SHIFT by a number of steps, or VELOCITY (the bin applied to the
// following NOTE_ONs). Type numbers are Magenta's. A small value type, cheap to copy. [any]
#pragma once

#include <cstdint>

namespace toccata::ml {

struct PerformanceEvent {
    enum Type : uint8_t { kNoteOn = 1, kNoteOff = 2, kTimeShift = 3, kVelocity = 4 };

    Type type = kTimeShift;
    int value = 0;  ///< pitch 0..127, shift in steps (>= 1), or velocity bin (>= 1)

    static PerformanceEvent noteOn(int pitch) { return {kNoteOn, pitch}; }
    static PerformanceEvent noteOff(int pitch) { return {kNoteOff, pitch}; }
    static PerformanceEvent timeShift(int steps) { return {kTimeShift, steps}; }
    static PerformanceEvent velocity(int bin) { return {kVelocity, bin}; }

    bool operator==(const PerformanceEvent&) const = default;
};

}  // namespace toccata::ml
