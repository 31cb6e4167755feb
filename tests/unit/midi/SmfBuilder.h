// Test-only helpers that write Standard MIDI File bytes by hand, byte by byte, so tests (and the
// fuzzer's seed corpus, tools/fuzz) can state exactly what is in a file. Standard library only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace toccata::test {

using Bytes = std::vector<uint8_t>;

/// Variable-length quantity, big-endian groups of 7 bits (no 4-byte limit: tests need bad ones).
inline Bytes vlq(uint64_t value) {
    Bytes groups{static_cast<uint8_t>(value & 0x7F)};
    while ((value >>= 7) != 0)
        groups.insert(groups.begin(), static_cast<uint8_t>(0x80 | (value & 0x7F)));
    return groups;
}

inline void append(Bytes& out, const Bytes& more) {
    out.insert(out.end(), more.begin(), more.end());
}

inline Bytes be32(uint32_t v) {
    return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
            static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

/// The body of one MTrk chunk: delta times and events.
struct TrackBytes {
    Bytes data;

    /// Delta time, then the given bytes as they are (a status may be left out: running status).
    TrackBytes& ev(uint32_t delta, std::initializer_list<int> bytes) {
        append(data, vlq(delta));
        for (int b : bytes) data.push_back(static_cast<uint8_t>(b));
        return *this;
    }
    TrackBytes& on(uint32_t delta, int ch, int pitch, int velocity) {
        return ev(delta, {0x90 | ch, pitch, velocity});
    }
    TrackBytes& off(uint32_t delta, int ch, int pitch, int velocity = 64) {
        return ev(delta, {0x80 | ch, pitch, velocity});
    }
    TrackBytes& meta(uint32_t delta, int type, const Bytes& payload) {
        append(data, vlq(delta));
        data.push_back(0xFF);
        data.push_back(static_cast<uint8_t>(type));
        append(data, vlq(payload.size()));
        append(data, payload);
        return *this;
    }
    TrackBytes& text(uint32_t delta, int type, const std::string& text) {
        return meta(delta, type, Bytes(text.begin(), text.end()));
    }
    TrackBytes& tempo(uint32_t delta, uint32_t microsecondsPerQuarter) {
        const uint32_t us = microsecondsPerQuarter;
        return meta(delta, 0x51,
                    {static_cast<uint8_t>(us >> 16), static_cast<uint8_t>(us >> 8),
                     static_cast<uint8_t>(us)});
    }
    TrackBytes& timeSignature(uint32_t delta, int numerator, int power) {
        return meta(delta, 0x58,
                    {static_cast<uint8_t>(numerator), static_cast<uint8_t>(power), 24, 8});
    }
    TrackBytes& keySignature(uint32_t delta, int sf, int minor) {
        return meta(delta, 0x59,
                    {static_cast<uint8_t>(static_cast<int8_t>(sf)), static_cast<uint8_t>(minor)});
    }
    TrackBytes& sysEx(uint32_t delta, int status, const Bytes& payload) {
        append(data, vlq(delta));
        data.push_back(static_cast<uint8_t>(status));
        append(data, vlq(payload.size()));
        append(data, payload);
        return *this;
    }
    TrackBytes& end(uint32_t delta = 0) { return meta(delta, 0x2F, {}); }
};

/// A whole file: header, then chunks.
struct SmfBytes {
    Bytes data;

    static SmfBytes withHeader(int format, int tracks, int division, const Bytes& extra = {}) {
        SmfBytes f;
        f.data = {'M', 'T', 'h', 'd'};
        append(f.data, be32(static_cast<uint32_t>(6 + extra.size())));
        for (int v : {format, tracks, division}) {
            f.data.push_back(static_cast<uint8_t>(v >> 8));
            f.data.push_back(static_cast<uint8_t>(v));
        }
        append(f.data, extra);
        return f;
    }
    SmfBytes& chunk(const std::string& id, const Bytes& body) {
        data.insert(data.end(), id.begin(), id.end());
        append(data, be32(static_cast<uint32_t>(body.size())));
        append(data, body);
        return *this;
    }
    SmfBytes& track(const TrackBytes& t) { return chunk("MTrk", t.data); }
};

/// Format-1 file with the given tracks (header counts them).
inline Bytes smfFile(int division, const std::vector<TrackBytes>& tracks, int format = 1) {
    SmfBytes f = SmfBytes::withHeader(format, static_cast<int>(tracks.size()), division);
    for (const TrackBytes& t : tracks) f.track(t);
    return f.data;
}

}  // namespace toccata::test
