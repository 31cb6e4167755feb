// MidiMessage: one short MIDI message (channel voice or system real-time/common, at most
// three bytes) as a trivially copyable value, so it can cross threads through core::SpscQueue
// without allocating. SysEx is not carried (inputs ignore it). Plus the encoders Toccata uses.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

namespace toccata::midi {

inline constexpr uint8_t kNoteOff = 0x80;
inline constexpr uint8_t kNoteOn = 0x90;
inline constexpr uint8_t kControlChange = 0xB0;
inline constexpr uint8_t kProgramChange = 0xC0;
inline constexpr uint8_t kPitchBend = 0xE0;
inline constexpr uint8_t kSongPosition = 0xF2;
inline constexpr uint8_t kTimingClock = 0xF8;
inline constexpr uint8_t kStart = 0xFA;
inline constexpr uint8_t kContinue = 0xFB;
inline constexpr uint8_t kStop = 0xFC;
inline constexpr int kSustainController = 64;
inline constexpr int kAllSoundOffController = 120;
inline constexpr int kAllNotesOffController = 123;

struct MidiMessage {
    std::array<uint8_t, 3> bytes{};
    uint8_t size = 0;

    uint8_t status() const { return size > 0 ? bytes[0] : 0; }
    /// High nibble for channel messages (0x80..0xE0), the whole byte for system messages.
    uint8_t type() const { return status() >= 0xF0 ? status() : uint8_t(status() & 0xF0); }
    int channel() const { return status() & 0x0F; }
    int data1() const { return size > 1 ? bytes[1] : 0; }
    int data2() const { return size > 2 ? bytes[2] : 0; }
    bool isNoteOn() const { return type() == kNoteOn && data2() > 0; }
    /// A note-off, or a note-on with velocity 0 (running-status style note-off).
    bool isNoteOff() const { return type() == kNoteOff || (type() == kNoteOn && data2() == 0); }
    bool isControlChange() const { return type() == kControlChange; }
    bool operator==(const MidiMessage&) const = default;

    /// From raw bytes; size 0 (invalid) when `n` is 0 or more than 3.
    static MidiMessage fromBytes(const uint8_t* data, size_t n) {
        MidiMessage m;
        if (n == 0 || n > 3) return m;
        std::copy(data, data + n, m.bytes.begin());
        m.size = uint8_t(n);
        return m;
    }
    static MidiMessage make(uint8_t b0) { return MidiMessage{{b0, 0, 0}, 1}; }
    static MidiMessage make(uint8_t b0, int b1) { return MidiMessage{{b0, data7(b1), 0}, 2}; }
    static MidiMessage make(uint8_t b0, int b1, int b2) {
        return MidiMessage{{b0, data7(b1), data7(b2)}, 3};
    }
    static uint8_t data7(int v) { return uint8_t(std::clamp(v, 0, 127)); }
    static uint8_t status(uint8_t type, int channel) { return uint8_t(type | (channel & 0x0F)); }
};

// Encoders; channels are zero-based (0..15), data bytes are clamped to 0..127.
inline MidiMessage noteOn(int channel, int key, int velocity) {
    return MidiMessage::make(MidiMessage::status(kNoteOn, channel), key, velocity);
}
inline MidiMessage noteOff(int channel, int key, int velocity = 0) {
    return MidiMessage::make(MidiMessage::status(kNoteOff, channel), key, velocity);
}
inline MidiMessage controlChange(int channel, int controller, int value) {
    return MidiMessage::make(MidiMessage::status(kControlChange, channel), controller, value);
}
inline MidiMessage programChange(int channel, int program) {
    return MidiMessage::make(MidiMessage::status(kProgramChange, channel), program);
}
/// `bend` is -8192..8191 (0 = centre); sent LSB first as the MIDI spec says.
inline MidiMessage pitchBend(int channel, int bend) {
    const int v = std::clamp(bend, -8192, 8191) + 8192;
    return MidiMessage::make(MidiMessage::status(kPitchBend, channel), v & 0x7F, v >> 7);
}
inline MidiMessage allNotesOff(int channel) {
    return controlChange(channel, kAllNotesOffController, 0);
}
/// Song Position Pointer: `sixteenths` since the song start (1 unit = 6 clocks), 0..16383.
inline MidiMessage songPosition(int64_t sixteenths) {
    const int v = int(std::clamp<int64_t>(sixteenths, 0, 16383));
    return MidiMessage::make(kSongPosition, v & 0x7F, v >> 7);
}
inline MidiMessage timingClock() { return MidiMessage::make(kTimingClock); }
inline MidiMessage startMessage() { return MidiMessage::make(kStart); }
inline MidiMessage continueMessage() { return MidiMessage::make(kContinue); }
inline MidiMessage stopMessage() { return MidiMessage::make(kStop); }

/// A message with a time in seconds: song time in schedules, midiNow() time for input.
struct TimedMidiMessage {
    double time = 0.0;
    MidiMessage message;
    bool operator==(const TimedMidiMessage&) const = default;
};

/// [any] Monotonic seconds (steady clock) - the time base of incoming messages.
inline double midiNow() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace toccata::midi
