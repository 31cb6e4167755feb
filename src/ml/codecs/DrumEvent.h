// DrumEvent: the drums struck on one step, a set of MIDI pitches 0..127 (Magenta's DrumTrack
// events are frozensets of pitches). Kept as two 64-bit masks so it is cheap to copy and
// compare inside beam search. [any]
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace toccata::ml {

struct DrumEvent {
    uint64_t low = 0;   // pitches 0..63
    uint64_t high = 0;  // pitches 64..127

    DrumEvent() = default;
    DrumEvent(std::initializer_list<int> pitches) {
        for (int p : pitches) insert(p);
    }

    /// Adds a pitch; pitches outside 0..127 are ignored.
    void insert(int pitch) {
        if (pitch < 0 || pitch > 127) return;
        if (pitch < 64) {
            low |= uint64_t{1} << pitch;
        } else {
            high |= uint64_t{1} << (pitch - 64);
        }
    }
    bool contains(int pitch) const {
        if (pitch < 0 || pitch > 127) return false;
        return pitch < 64 ? ((low >> pitch) & 1U) != 0 : ((high >> (pitch - 64)) & 1U) != 0;
    }
    bool empty() const { return low == 0 && high == 0; }
    /// The pitches, ascending.
    std::vector<int> pitches() const {
        std::vector<int> out;
        for (int p = 0; p < 128; ++p)
            if (contains(p)) out.push_back(p);
        return out;
    }

    bool operator==(const DrumEvent&) const = default;
};

}  // namespace toccata::ml
