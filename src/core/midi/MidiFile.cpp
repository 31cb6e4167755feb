#include "core/midi/MidiFile.h"

#include <utility>

namespace toccata::core {

MidiEvent MidiEvent::channelMessage(int64_t tick, uint8_t kind, int channel, int data1, int data2) {
    MidiEvent e;
    e.tick = tick;
    e.status = static_cast<uint8_t>((kind & 0xF0) | (channel & 0x0F));
    e.data1 = static_cast<uint8_t>(data1 & 0x7F);
    e.data2 = channelDataLength(e.status) == 2 ? static_cast<uint8_t>(data2 & 0x7F) : 0;
    return e;
}

MidiEvent MidiEvent::metaEvent(int64_t tick, uint8_t type, std::vector<uint8_t> payload) {
    MidiEvent e;
    e.tick = tick;
    e.status = status::kMeta;
    e.metaType = type;
    e.payload = std::move(payload);
    return e;
}

MidiEvent MidiEvent::textEvent(int64_t tick, uint8_t type, const std::string& text) {
    return metaEvent(tick, type, std::vector<uint8_t>(text.begin(), text.end()));
}

MidiEvent MidiEvent::tempoEvent(int64_t tick, uint32_t microsecondsPerQuarter) {
    const uint32_t us = microsecondsPerQuarter & 0xFFFFFF;
    return metaEvent(
        tick, meta::kTempo,
        {static_cast<uint8_t>(us >> 16), static_cast<uint8_t>(us >> 8), static_cast<uint8_t>(us)});
}

MidiEvent MidiEvent::sysEx(int64_t tick, uint8_t statusByte, std::vector<uint8_t> payload) {
    MidiEvent e;
    e.tick = tick;
    e.status = statusByte == status::kSysExEscape ? status::kSysExEscape : status::kSysEx;
    e.payload = std::move(payload);
    return e;
}

std::optional<std::string> MidiTrack::name() const {
    for (const MidiEvent& e : events) {
        if (e.isMeta(meta::kTrackName)) return textOf(e);
    }
    return std::nullopt;
}

std::optional<uint32_t> tempoMicroseconds(const MidiEvent& event) {
    if (!event.isMeta(meta::kTempo) || event.payload.size() < 3) return std::nullopt;
    const auto& p = event.payload;
    return (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | uint32_t{p[2]};
}

std::optional<MidiTimeSignature> timeSignatureOf(const MidiEvent& event) {
    if (!event.isMeta(meta::kTimeSignature) || event.payload.size() < 2) return std::nullopt;
    const auto& p = event.payload;
    MidiTimeSignature ts;
    ts.numerator = p[0];
    ts.denominatorPower = p[1];
    if (p.size() >= 4) {
        ts.clocksPerClick = p[2];
        ts.thirtySecondsPerQuarter = p[3];
    }
    return ts;
}

std::optional<MidiKeySignature> keySignatureOf(const MidiEvent& event) {
    if (!event.isMeta(meta::kKeySignature) || event.payload.size() < 2) return std::nullopt;
    return MidiKeySignature{static_cast<int8_t>(event.payload[0]), event.payload[1]};
}

std::optional<MidiSmpteOffset> smpteOffsetOf(const MidiEvent& event) {
    if (!event.isMeta(meta::kSmpteOffset) || event.payload.size() < 5) return std::nullopt;
    const auto& p = event.payload;
    return MidiSmpteOffset{(p[0] >> 5) & 0x03, p[0] & 0x1F, p[1], p[2], p[3], p[4]};
}

std::optional<std::string> textOf(const MidiEvent& event) {
    if (!event.isMeta() || event.metaType < meta::kText || event.metaType > meta::kLastTextType)
        return std::nullopt;
    return std::string(event.payload.begin(), event.payload.end());
}

}  // namespace toccata::core
