// Time conversions: seconds <-> quarter notes <-> MIDI ticks <-> bars, across tempo and
// time-signature changes. Everything that places notes on a musical grid goes through here.
#pragma once

#include <cstdint>
#include <vector>

#include "core/NoteSequence.h"

namespace toccata::core {

/// Piecewise-constant tempo map. An implicit 120 QPM applies before the first tempo event.
class TempoMap {
public:
    TempoMap();  // constant 120 QPM
    explicit TempoMap(const std::vector<Tempo>& tempos);
    explicit TempoMap(const NoteSequence& sequence) : TempoMap(sequence.tempos) {}

    double secondsToQuarters(double seconds) const;
    double quartersToSeconds(double quarters) const;
    /// Rounded to the nearest tick (ties away from zero).
    int64_t secondsToTicks(double seconds, int ticksPerQuarter) const;
    double ticksToSeconds(int64_t ticks, int ticksPerQuarter) const;
    double qpmAt(double seconds) const;
    bool hasTempoChanges() const { return m_segments.size() > 1; }

private:
    struct Segment {
        double startSeconds;
        double startQuarters;
        double qpm;
    };
    const Segment& segmentAtSeconds(double seconds) const;
    const Segment& segmentAtQuarters(double quarters) const;
    std::vector<Segment> m_segments;  // sorted, first starts at 0, no zero-length segments
};

/// Position in bars and beats (both zero-based; beat = denominator note of the signature).
struct BarBeat {
    int64_t bar = 0;
    double beat = 0.0;
    TimeSignature signature;
};

/// Bar grid from the time signatures (implicit 4/4 before the first). A signature that
/// arrives mid-bar starts a new bar there, as MIDI sequencers do.
class MeterMap {
public:
    explicit MeterMap(const NoteSequence& sequence);

    BarBeat barBeatAtSeconds(double seconds) const;
    /// Start of bar `bar` (zero-based) in seconds; bars beyond the last change repeat its length.
    double barStartSeconds(int64_t bar) const;
    /// Number of (possibly partial) bars needed to cover `seconds`.
    int64_t barCount(double seconds) const;

private:
    struct Segment {
        double startQuarters;
        int64_t startBar;
        TimeSignature signature;
    };
    const Segment& segmentAtQuarters(double quarters) const;
    TempoMap m_tempo;
    std::vector<Segment> m_segments;
};

}  // namespace toccata::core
