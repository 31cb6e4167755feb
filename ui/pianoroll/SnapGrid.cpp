#include "ui/pianoroll/SnapGrid.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace toccata::ui {

SnapGrid::SnapGrid() : m_meter(core::NoteSequence{}) {}

void SnapGrid::setSequence(const core::NoteSequence& sequence) {
    m_tempo = core::TempoMap(sequence);
    m_meter.emplace(sequence);
}

QString SnapGrid::label(Value value) {
    switch (value) {
        case Value::Whole: return QStringLiteral("1/1");
        case Value::Half: return QStringLiteral("1/2");
        case Value::Quarter: return QStringLiteral("1/4");
        case Value::Eighth: return QStringLiteral("1/8");
        case Value::Sixteenth: return QStringLiteral("1/16");
        case Value::ThirtySecond: return QStringLiteral("1/32");
        case Value::HalfTriplet: return QStringLiteral("1/2T");
        case Value::QuarterTriplet: return QStringLiteral("1/4T");
        case Value::EighthTriplet: return QStringLiteral("1/8T");
        case Value::SixteenthTriplet: return QStringLiteral("1/16T");
        case Value::Off: return QCoreApplication::translate("SnapGrid", "Off");
    }
    return {};
}

double SnapGrid::stepQuarters(Value value) {
    switch (value) {
        case Value::Whole: return 4.0;
        case Value::Half: return 2.0;
        case Value::Quarter: return 1.0;
        case Value::Eighth: return 0.5;
        case Value::Sixteenth: return 0.25;
        case Value::ThirtySecond: return 0.125;
        case Value::HalfTriplet: return 4.0 / 3.0;
        case Value::QuarterTriplet: return 2.0 / 3.0;
        case Value::EighthTriplet: return 1.0 / 3.0;
        case Value::SixteenthTriplet: return 1.0 / 6.0;
        case Value::Off: return 0.0;
    }
    return 0.0;
}

double SnapGrid::snapWith(double seconds, bool nearest) const {
    const double step = stepQuarters(m_value);
    if (step <= 0.0) return std::max(0.0, seconds);
    const double t = std::max(0.0, seconds);
    // Grid lines restart at every bar line, so triplets and odd meters stay aligned to bars.
    const int64_t bar = std::max<int64_t>(0, m_meter->barBeatAtSeconds(t).bar);
    const double barStartQ = m_tempo.secondsToQuarters(m_meter->barStartSeconds(bar));
    const double nextBarQ = m_tempo.secondsToQuarters(m_meter->barStartSeconds(bar + 1));
    const double q = m_tempo.secondsToQuarters(t);
    const double steps = (q - barStartQ) / step;
    // A tiny tolerance keeps a time that is already on a line from falling to the one before.
    double snappedQ = barStartQ + step * (nearest ? std::round(steps) : std::floor(steps + 1e-9));
    if (nearest && nextBarQ > barStartQ && std::abs(nextBarQ - q) < std::abs(snappedQ - q))
        snappedQ = nextBarQ;  // a bar that is not a whole number of steps
    return std::max(0.0, m_tempo.quartersToSeconds(snappedQ));
}

double SnapGrid::snap(double seconds) const { return snapWith(seconds, true); }

double SnapGrid::snapDown(double seconds) const { return snapWith(seconds, false); }

double SnapGrid::stepSeconds(double seconds) const {
    const double step = isOff() ? 0.25 : stepQuarters(m_value);
    const double q = m_tempo.secondsToQuarters(std::max(0.0, seconds));
    return m_tempo.quartersToSeconds(q + step) - m_tempo.quartersToSeconds(q);
}

}  // namespace toccata::ui
