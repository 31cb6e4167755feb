// The piano roll's snap grid: a note value (1/1 … 1/32, triplets, or off) laid out from each
// bar start through the document's tempo and time-signature maps, so snapping follows tempo
// changes and odd meters. Used by the tools, the ruler and quantize. [ui]
#pragma once

#include <QString>

#include <optional>

#include "core/NoteSequence.h"
#include "core/TempoMap.h"

namespace toccata::ui {

class SnapGrid {
public:
    enum class Value {
        Whole,
        Half,
        Quarter,
        Eighth,
        Sixteenth,
        ThirtySecond,
        HalfTriplet,
        QuarterTriplet,
        EighthTriplet,
        SixteenthTriplet,
        Off
    };
    static constexpr int kValueCount = static_cast<int>(Value::Off) + 1;

    SnapGrid();
    /// Re-reads tempos and time signatures.
    void setSequence(const core::NoteSequence& sequence);
    void setValue(Value value) { m_value = value; }
    Value value() const { return m_value; }
    bool isOff() const { return m_value == Value::Off; }
    static QString label(Value value);  // "1/16", "1/8T", "Off"
    /// Length of one grid step in quarter notes (0 when off).
    static double stepQuarters(Value value);

    /// Nearest grid line (unchanged when off); never below 0.
    double snap(double seconds) const;
    /// Grid line at or before `seconds` (unchanged when off).
    double snapDown(double seconds) const;
    /// Length in seconds of the grid step starting at `seconds` (a 1/16 when off).
    double stepSeconds(double seconds) const;

    const core::TempoMap& tempo() const { return m_tempo; }
    const core::MeterMap& meter() const { return *m_meter; }

private:
    double snapWith(double seconds, bool nearest) const;
    Value m_value = Value::Sixteenth;
    core::TempoMap m_tempo;
    std::optional<core::MeterMap> m_meter;
};

}  // namespace toccata::ui
