#include "ui/genie/PianoKeyGeometry.h"

namespace toccata::ui {

bool PianoKeyGeometry::isBlack(int key) {
    const int pc = (key + kLowestPitch) % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

int PianoKeyGeometry::whiteIndex(int key) {
    int white = -1;
    for (int k = 0; k <= key && k < kKeys; ++k)
        if (!isBlack(k)) ++white;
    return white < 0 ? 0 : white;
}

QRectF PianoKeyGeometry::keyRect(int key, const QRectF& area, double blackHeight) {
    const double w = area.width() / kWhiteKeys;
    const int white = whiteIndex(key);
    if (!isBlack(key)) return {area.left() + white * w, area.top(), w, area.height()};
    const double bw = w * 0.6;
    return {area.left() + (white + 1) * w - bw / 2.0, area.top(), bw, area.height() * blackHeight};
}

int PianoKeyGeometry::keyAt(const QPointF& point, const QRectF& area, double blackHeight) {
    if (!area.contains(point)) return -1;
    for (int key = 0; key < kKeys; ++key)
        if (isBlack(key) && keyRect(key, area, blackHeight).contains(point)) return key;
    for (int key = 0; key < kKeys; ++key)
        if (!isBlack(key) && keyRect(key, area, blackHeight).contains(point)) return key;
    return -1;
}

}  // namespace toccata::ui
