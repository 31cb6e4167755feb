#include "core/TempoMap.h"

#include <algorithm>
#include <cmath>

namespace toccata::core {

TempoMap::TempoMap() : m_segments{{0.0, 0.0, kDefaultQpm}} {}

TempoMap::TempoMap(const std::vector<Tempo>& tempos) {
    std::vector<Tempo> sorted = tempos;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Tempo& a, const Tempo& b) { return a.time < b.time; });
    m_segments.push_back({0.0, 0.0, kDefaultQpm});
    for (const Tempo& t : sorted) {
        if (!(t.qpm > 0.0) || !std::isfinite(t.qpm)) continue;  // ignore nonsense tempi
        const double time = std::max(0.0, t.time);
        Segment& last = m_segments.back();
        if (time <= last.startSeconds) {  // same instant: the later event wins
            last.qpm = t.qpm;
            continue;
        }
        const double quarters = last.startQuarters + (time - last.startSeconds) * last.qpm / 60.0;
        m_segments.push_back({time, quarters, t.qpm});
    }
}

const TempoMap::Segment& TempoMap::segmentAtSeconds(double seconds) const {
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), seconds,
                               [](double s, const Segment& seg) { return s < seg.startSeconds; });
    return it == m_segments.begin() ? m_segments.front() : *(it - 1);
}

const TempoMap::Segment& TempoMap::segmentAtQuarters(double quarters) const {
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), quarters,
                               [](double q, const Segment& seg) { return q < seg.startQuarters; });
    return it == m_segments.begin() ? m_segments.front() : *(it - 1);
}

double TempoMap::secondsToQuarters(double seconds) const {
    const Segment& s = segmentAtSeconds(seconds);
    return s.startQuarters + (seconds - s.startSeconds) * s.qpm / 60.0;
}

double TempoMap::quartersToSeconds(double quarters) const {
    const Segment& s = segmentAtQuarters(quarters);
    return s.startSeconds + (quarters - s.startQuarters) * 60.0 / s.qpm;
}

int64_t TempoMap::secondsToTicks(double seconds, int ticksPerQuarter) const {
    return std::llround(secondsToQuarters(seconds) * ticksPerQuarter);
}

double TempoMap::ticksToSeconds(int64_t ticks, int ticksPerQuarter) const {
    return quartersToSeconds(static_cast<double>(ticks) / ticksPerQuarter);
}

double TempoMap::qpmAt(double seconds) const { return segmentAtSeconds(seconds).qpm; }

// ---------------------------------------------------------------------------------------------

MeterMap::MeterMap(const NoteSequence& sequence) : m_tempo(sequence.tempos) {
    std::vector<TimeSignature> sorted = sequence.timeSignatures;
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const TimeSignature& a, const TimeSignature& b) { return a.time < b.time; });
    m_segments.push_back({0.0, 0, TimeSignature{}});
    for (const TimeSignature& ts : sorted) {
        if (ts.numerator <= 0 || ts.denominator <= 0) continue;
        const double quarters = m_tempo.secondsToQuarters(std::max(0.0, ts.time));
        Segment& last = m_segments.back();
        if (quarters <= last.startQuarters + 1e-9) {
            last.signature = ts;
            last.signature.time = m_tempo.quartersToSeconds(last.startQuarters);
            continue;
        }
        const double bars = (quarters - last.startQuarters) / last.signature.quartersPerBar();
        const auto barsStarted = static_cast<int64_t>(std::ceil(bars - 1e-9));
        m_segments.push_back({quarters, last.startBar + barsStarted, ts});
    }
}

const MeterMap::Segment& MeterMap::segmentAtQuarters(double quarters) const {
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), quarters,
                               [](double q, const Segment& seg) { return q < seg.startQuarters; });
    return it == m_segments.begin() ? m_segments.front() : *(it - 1);
}

BarBeat MeterMap::barBeatAtSeconds(double seconds) const {
    const double quarters = m_tempo.secondsToQuarters(seconds);
    const Segment& s = segmentAtQuarters(quarters);
    const double qpb = s.signature.quartersPerBar();
    const double offset = quarters - s.startQuarters;
    auto bar = static_cast<int64_t>(std::floor(offset / qpb + 1e-9));
    const double inBar = std::max(0.0, offset - static_cast<double>(bar) * qpb);
    const double beat = inBar * s.signature.denominator / 4.0;
    return {s.startBar + bar, beat, s.signature};
}

double MeterMap::barStartSeconds(int64_t bar) const {
    const Segment* seg = &m_segments.front();
    for (const Segment& s : m_segments) {
        if (s.startBar <= bar) seg = &s;
    }
    const double quarters = seg->startQuarters + static_cast<double>(bar - seg->startBar) *
                                                     seg->signature.quartersPerBar();
    return m_tempo.quartersToSeconds(quarters);
}

int64_t MeterMap::barCount(double seconds) const {
    if (seconds <= 0.0) return 0;
    const BarBeat pos = barBeatAtSeconds(seconds);
    const bool onBarLine = std::abs(barStartSeconds(pos.bar) - seconds) < 1e-9;
    return onBarLine ? pos.bar : pos.bar + 1;
}

}  // namespace toccata::core
