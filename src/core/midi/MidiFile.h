// MidiFile: a raw Standard MIDI File, event for event, as SmfReader reads it and SmfWriter
// writes it. No musical interpretation here (that is MidiConversion's job): every event keeps
// its absolute tick, status byte, data bytes, meta type and payload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace toccata::core {

/// Meta event types (the byte after 0xFF). Text types are 0x01..0x0F.
namespace meta {
inline constexpr uint8_t kSequenceNumber = 0x00;
inline constexpr uint8_t kText = 0x01;
inline constexpr uint8_t kCopyright = 0x02;
inline constexpr uint8_t kTrackName = 0x03;
inline constexpr uint8_t kInstrumentName = 0x04;
inline constexpr uint8_t kLyric = 0x05;
inline constexpr uint8_t kMarker = 0x06;
inline constexpr uint8_t kCuePoint = 0x07;
inline constexpr uint8_t kLastTextType = 0x0F;
inline constexpr uint8_t kChannelPrefix = 0x20;
inline constexpr uint8_t kPort = 0x21;
inline constexpr uint8_t kEndOfTrack = 0x2F;
inline constexpr uint8_t kTempo = 0x51;
inline constexpr uint8_t kSmpteOffset = 0x54;
inline constexpr uint8_t kTimeSignature = 0x58;
inline constexpr uint8_t kKeySignature = 0x59;
inline constexpr uint8_t kSequencerSpecific = 0x7F;
}  // namespace meta

/// Status bytes (channel messages: the high nibble; the low nibble is the channel).
namespace status {
inline constexpr uint8_t kNoteOff = 0x80;
inline constexpr uint8_t kNoteOn = 0x90;
inline constexpr uint8_t kPolyPressure = 0xA0;
inline constexpr uint8_t kControlChange = 0xB0;
inline constexpr uint8_t kProgramChange = 0xC0;
inline constexpr uint8_t kChannelPressure = 0xD0;
inline constexpr uint8_t kPitchBend = 0xE0;
inline constexpr uint8_t kSysEx = 0xF0;        // payload = bytes after F0 (usually ending in F7)
inline constexpr uint8_t kSysExEscape = 0xF7;  // payload = raw bytes to send
inline constexpr uint8_t kMeta = 0xFF;
}  // namespace status

struct MidiEvent {
    int64_t tick = 0;    // absolute, from the start of the track
    uint8_t status = 0;  // 0x80..0xEF channel message, 0xF0/0xF7 SysEx, 0xFF meta
    uint8_t data1 = 0;   // channel messages only (second data byte only where the kind has one)
    uint8_t data2 = 0;
    uint8_t metaType = 0;          // meta events only
    std::vector<uint8_t> payload;  // meta data or SysEx bytes

    bool isChannelMessage() const { return status >= 0x80 && status < 0xF0; }
    bool isMeta() const { return status == status::kMeta; }
    bool isSysEx() const { return status == status::kSysEx || status == status::kSysExEscape; }
    bool isMeta(uint8_t type) const { return isMeta() && metaType == type; }
    /// High nibble of a channel message (status::kNoteOn, …); 0 for other events.
    uint8_t kind() const { return isChannelMessage() ? static_cast<uint8_t>(status & 0xF0) : 0; }
    int channel() const { return isChannelMessage() ? (status & 0x0F) : -1; }
    bool isNoteOn() const { return kind() == status::kNoteOn && data2 > 0; }
    /// 0x8n, or 0x9n with velocity 0.
    bool isNoteOff() const {
        return kind() == status::kNoteOff || (kind() == status::kNoteOn && data2 == 0);
    }

    static MidiEvent channelMessage(int64_t tick, uint8_t kind, int channel, int data1,
                                    int data2 = 0);
    static MidiEvent metaEvent(int64_t tick, uint8_t type, std::vector<uint8_t> payload);
    static MidiEvent textEvent(int64_t tick, uint8_t type, const std::string& text);
    static MidiEvent tempoEvent(int64_t tick, uint32_t microsecondsPerQuarter);
    static MidiEvent endOfTrack(int64_t tick) { return metaEvent(tick, meta::kEndOfTrack, {}); }
    static MidiEvent sysEx(int64_t tick, uint8_t status, std::vector<uint8_t> payload);

    bool operator==(const MidiEvent&) const = default;
};

/// Number of data bytes that follow a channel status byte (1 for 0xC0/0xD0, else 2).
inline int channelDataLength(uint8_t status) {
    const uint8_t kind = status & 0xF0;
    return (kind == status::kProgramChange || kind == status::kChannelPressure) ? 1 : 2;
}

struct MidiTrack {
    std::vector<MidiEvent> events;  // in file order; ticks never decrease

    /// Payload of the first track-name meta event, or nullopt.
    std::optional<std::string> name() const;
    /// Tick of the last event (0 for an empty track).
    int64_t lastTick() const { return events.empty() ? 0 : events.back().tick; }
    bool operator==(const MidiTrack&) const = default;
};

struct MidiFile {
    int format = 1;             // 0, 1 or 2
    int ticksPerQuarter = 480;  // the header's division (metrical time only)
    std::vector<MidiTrack> tracks;
    bool operator==(const MidiFile&) const = default;
};

// ----- decoding meta payloads; nullopt when the payload is too short --------------------------

std::optional<uint32_t> tempoMicroseconds(const MidiEvent& event);

struct MidiTimeSignature {
    int numerator = 4;
    int denominatorPower = 2;  // denominator = 2^power
    int clocksPerClick = 24;
    int thirtySecondsPerQuarter = 8;
};
std::optional<MidiTimeSignature> timeSignatureOf(const MidiEvent& event);

struct MidiKeySignature {
    int sharpsOrFlats = 0;  // -7 (7 flats) .. 7 (7 sharps)
    int minor = 0;          // 0 major, 1 minor
};
std::optional<MidiKeySignature> keySignatureOf(const MidiEvent& event);

struct MidiSmpteOffset {
    int frameRateCode = 0;  // top bits of the hours byte: 0 = 24, 1 = 25, 2 = 29.97, 3 = 30 fps
    int hours = 0, minutes = 0, seconds = 0, frames = 0, fractionalFrames = 0;
};
std::optional<MidiSmpteOffset> smpteOffsetOf(const MidiEvent& event);

/// Text of a text-like meta event (types 0x01..0x0F), bytes as they are.
std::optional<std::string> textOf(const MidiEvent& event);

}  // namespace toccata::core
