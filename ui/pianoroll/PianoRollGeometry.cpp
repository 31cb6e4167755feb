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

int PianoRollGeometry::pitchForY(double y) const {
    const int pitch = kHighestPitch - static_cast<int>(std::floor(y / m_rowHeight));
    return std::clamp(pitch, kLowestPitch, kHighestPitch);
}

QRectF PianoRollGeometry::noteRect(double start, double end, int pitch) const {
    const double x0 = xForTime(start);
    const double width = std::max(2.0, xForTime(end) - x0);
    return {x0, yForPitch(pitch), width, m_rowHeight};
}

}  // namespace toccata::ui
