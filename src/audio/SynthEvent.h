// SynthEvent: one channel event for the synthesizer, stamped with a sample frame - the unit a
// SequencePlayback is made of and what the renderers (offline and real-time) apply.
#pragma once

#include <cstdint>

namespace toccata::audio {

/// Event kinds; the enum order is also the order of events that share a frame: note-offs
/// first (a repeated note is released before it is struck again), then controllers (bank
/// select before program change, sustain before the notes it affects), program changes,
/// pitch bends, and note-ons last.
enum class SynthEventType : uint8_t {
    kNoteOff = 0,
    kControlChange = 1,
    kProgramChange = 2,
    kPitchBend = 3,
    kNoteOn = 4,
};

struct SynthEvent {
    int64_t frame = 0;  // sample frame from the start of the sequence
    SynthEventType type = SynthEventType::kNoteOn;
    uint8_t channel = 0;  // 0..15
    int16_t data1 = 0;    // key, controller number, program, or pitch bend (-8192..8191)
    int16_t data2 = 0;    // velocity (note-on), controller value
    bool operator==(const SynthEvent&) const = default;
};

}  // namespace toccata::audio
