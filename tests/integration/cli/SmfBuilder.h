// A tiny Standard MIDI File writer for tests, independent of Toccata's own SMF code: events are
// given at absolute ticks and written byte by byte (VLQ delta times, optional running status).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace toccata::test {

/// Variable-length quantity: 7 bits per byte, most significant first, high bit = "more".
inline QByteArray vlq(quint32 value) {
    QByteArray out(1, static_cast<char>(value & 0x7F));
    while ((value >>= 7) != 0) out.prepend(static_cast<char>(0x80 | (value & 0x7F)));
    return out;
}

inline QByteArray bigEndian(quint32 value, int bytes) {
    QByteArray out;
    for (int i = bytes - 1; i >= 0; --i) out.append(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
}

class SmfTrack {
public:
    /// Any event: `bytes` is everything after the delta time (status byte included).
    SmfTrack& event(quint32 tick, const QByteArray& bytes) {
        m_events.push_back({tick, bytes});
        return *this;
    }
    SmfTrack& noteOn(quint32 tick, int channel, int pitch, int velocity) {
        return channelEvent(tick, 0x90, channel, pitch, velocity);
    }
    /// A real note-off (0x8n); zeroVelocityNoteOn writes 0x9n with velocity 0 instead.
    SmfTrack& noteOff(quint32 tick, int channel, int pitch, bool zeroVelocityNoteOn = false) {
        return zeroVelocityNoteOn ? channelEvent(tick, 0x90, channel, pitch, 0)
                                  : channelEvent(tick, 0x80, channel, pitch, 64);
    }
    SmfTrack& note(quint32 tick, quint32 duration, int channel, int pitch, int velocity,
                   bool zeroVelocityNoteOff = false) {
        noteOn(tick, channel, pitch, velocity);
        return noteOff(tick + duration, channel, pitch, zeroVelocityNoteOff);
    }
    SmfTrack& program(quint32 tick, int channel, int program) {
        return event(tick, bytes({0xC0 | channel, program}));
    }
    SmfTrack& controlChange(quint32 tick, int channel, int number, int value) {
        return channelEvent(tick, 0xB0, channel, number, value);
    }
    SmfTrack& meta(quint32 tick, int type, const QByteArray& payload) {
        return event(tick, bytes({0xFF, type}) + vlq(quint32(payload.size())) + payload);
    }
    SmfTrack& tempo(quint32 tick, double qpm) {
        return meta(tick, 0x51, bigEndian(quint32(std::lround(60000000.0 / qpm)), 3));
    }
    SmfTrack& timeSignature(quint32 tick, int numerator, int denominator) {
        int power = 0;
        while ((1 << power) < denominator) ++power;
        return meta(tick, 0x58, bytes({numerator, power, 24, 8}));
    }
    SmfTrack& keySignature(quint32 tick, int sharpsOrFlats, bool minor) {
        return meta(tick, 0x59, bytes({sharpsOrFlats & 0xFF, minor ? 1 : 0}));
    }
    SmfTrack& trackName(quint32 tick, const QString& name) {
        return meta(tick, 0x03, name.toUtf8());
    }
    /// Omit repeated channel status bytes (meta and SysEx events cancel running status).
    SmfTrack& useRunningStatus(bool on = true) {
        m_runningStatus = on;
        return *this;
    }

    /// "MTrk", length, the events in tick order (stable), End-of-Track after the last one.
    QByteArray chunk() const {
        std::vector<Event> events = m_events;
        std::stable_sort(events.begin(), events.end(),
                         [](const Event& a, const Event& b) { return a.tick < b.tick; });
        QByteArray body;
        quint32 previousTick = 0;
        unsigned char runningStatus = 0;
        for (const Event& e : events) {
            body += vlq(e.tick - previousTick);
            previousTick = e.tick;
            const auto status = static_cast<unsigned char>(e.bytes.at(0));
            if (status >= 0xF0) {
                runningStatus = 0;
                body += e.bytes;
            } else if (m_runningStatus && status == runningStatus) {
                body += e.bytes.mid(1);
            } else {
                runningStatus = status;
                body += e.bytes;
            }
        }
        body += vlq(0) + bytes({0xFF, 0x2F, 0x00});
        return QByteArray("MTrk") + bigEndian(quint32(body.size()), 4) + body;
    }

    static QByteArray bytes(std::initializer_list<int> values) {
        QByteArray out;
        for (int v : values) out.append(static_cast<char>(v & 0xFF));
        return out;
    }

private:
    struct Event {
        quint32 tick;
        QByteArray bytes;
    };
    SmfTrack& channelEvent(quint32 tick, int kind, int channel, int data1, int data2) {
        return event(tick, bytes({kind | channel, data1, data2}));
    }
    std::vector<Event> m_events;
    bool m_runningStatus = false;
};

/// "MThd" (length 6: format, track count, ticks per quarter) followed by the track chunks.
inline QByteArray smfFile(int format, int ticksPerQuarter, const QList<SmfTrack>& tracks) {
    QByteArray out = QByteArray("MThd") + bigEndian(6, 4) + bigEndian(quint32(format), 2) +
                     bigEndian(quint32(tracks.size()), 2) + bigEndian(quint32(ticksPerQuarter), 2);
    for (const SmfTrack& t : tracks) out += t.chunk();
    return out;
}

}  // namespace toccata::test
