// Maps musical coordinates (seconds, MIDI pitch) to pixels of the piano roll's content and
// back. Pure arithmetic so every layer (grid, notes, keyboard, later tools) agrees.
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

    double xForTime(double seconds) const { return seconds * m_pixelsPerSecond; }
    double timeForX(double x) const { return x / m_pixelsPerSecond; }
    /// Top edge of the row of `pitch` (high pitches at the top).
    double yForPitch(int pitch) const { return (kHighestPitch - pitch) * m_rowHeight; }
    int pitchForY(double y) const;
    QRectF noteRect(double start, double end, int pitch) const;
    double contentHeight() const { return kPitchCount * m_rowHeight; }

    static constexpr double kMinPixelsPerSecond = 2.0;
    static constexpr double kMaxPixelsPerSecond = 2000.0;
    static constexpr double kMinRowHeight = 3.0;
    static constexpr double kMaxRowHeight = 40.0;

private:
    double m_pixelsPerSecond = 100.0;
    double m_rowHeight = 9.0;
};

}  // namespace toccata::ui
