#include "ui/pianoroll/PianoRollGeometry.h"

#include <algorithm>
#include <cmath>

namespace toccata::ui {

void PianoRollGeometry::setPixelsPerSecond(double v) {
    m_pixelsPerSecond = std::clamp(v, kMinPixelsPerSecond, kMaxPixelsPerSecond);
}

void PianoRollGeometry::setRowHeight(double v) {
    m_rowHeight = std::clamp(v, kMinRowHeight, kMaxRowHeight);
}

void PianoRollGeometry::setPitchRange(int low, int high) {
    m_low = std::clamp(std::min(low, high), kLowestPitch, kHighestPitch);
    m_high = std::clamp(std::max(low, high), kLowestPitch, kHighestPitch);
}

int PianoRollGeometry::pitchForY(double y) const {
    const int pitch = m_high - static_cast<int>(std::floor(y / m_rowHeight));
    return std::clamp(pitch, m_low, m_high);
}

QRectF PianoRollGeometry::noteRect(double start, double end, int pitch) const {
    const double x0 = xForTime(start);
    if (m_drums) return {x0, yForPitch(pitch), drumHitWidth(), m_rowHeight};
    const double width = std::max(2.0, xForTime(end) - x0);
    return {x0, yForPitch(pitch), width, m_rowHeight};
}

}  // namespace toccata::ui
