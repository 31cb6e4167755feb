// Maps musical coordinates (seconds, MIDI pitch) to pixels of the piano roll's content and
// back. Pure arithmetic so every layer (grid, notes, keyboard, ruler, lanes, tools) agrees.
// A drum track narrows the rows to its kit and draws hits as fixed-width blocks.
#pragma once

#include <QRectF>

namespace toccata::ui {

class PianoRollGeometry {
public:
    static constexpr int kLowestPitch = 0;
    static constexpr int kHighestPitch = 127;
    static constexpr int kPitchCount = kHighestPitch - kLowestPitch + 1;

    double pixelsPerSecond() const { return m_pixelsPerSecond; }
    double rowHeight() const { return m_rowHeight; }
    void setPixelsPerSecond(double v);
    void setRowHeight(double v);

    /// Rows shown, top = `high`; clamped to 0..127.
    void setPitchRange(int low, int high);
    int lowPitch() const { return m_low; }
    int highPitch() const { return m_high; }
    int rowCount() const { return m_high - m_low + 1; }
    /// Drum mode: notes are drawn (and hit) as blocks one row high and wide at their start.
    void setDrumMode(bool drums) { m_drums = drums; }
    bool drumMode() const { return m_drums; }

    double xForTime(double seconds) const { return seconds * m_pixelsPerSecond; }
    double timeForX(double x) const { return x / m_pixelsPerSecond; }
    /// Top edge of the row of `pitch` (high pitches at the top).
    double yForPitch(int pitch) const { return (m_high - pitch) * m_rowHeight; }
    /// Pitch of the row under y, clamped to the shown range.
    int pitchForY(double y) const;
    QRectF noteRect(double start, double end, int pitch) const;
    double contentHeight() const { return rowCount() * m_rowHeight; }
    /// Width in pixels of a drum hit.
    double drumHitWidth() const { return m_rowHeight; }

    static constexpr double kMinPixelsPerSecond = 2.0;
    static constexpr double kMaxPixelsPerSecond = 2000.0;
    static constexpr double kMinRowHeight = 3.0;
    static constexpr double kMaxRowHeight = 40.0;

private:
    double m_pixelsPerSecond = 100.0;
    double m_rowHeight = 9.0;
    int m_low = kLowestPitch;
    int m_high = kHighestPitch;
    bool m_drums = false;
};

}  // namespace toccata::ui
