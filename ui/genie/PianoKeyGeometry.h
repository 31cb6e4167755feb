// PianoKeyGeometry: where each of the 88 piano keys (key 0 = A0 ... key 87 = C8) lies in a
// rectangle: 52 equal white keys, black keys narrower and centred on the white keys' borders.
// Shared by the keyboard and the falling notes so a note falls onto its key. [ui]
#pragma once

#include <QRectF>

namespace toccata::ui {

class PianoKeyGeometry {
public:
    static constexpr int kKeys = 88;
    static constexpr int kWhiteKeys = 52;
    static constexpr int kLowestPitch = 21;

    static bool isBlack(int key);
    /// The index of a white key among the 52 (for a black key: that of the white key below).
    static int whiteIndex(int key);
    /// The key's rectangle in `area` (full height for white keys; black keys get
    /// `blackHeight` of it, 0..1).
    static QRectF keyRect(int key, const QRectF& area, double blackHeight = 0.62);
    /// The key under a point of `area`, or -1 (black keys first, they lie on top).
    static int keyAt(const QPointF& point, const QRectF& area, double blackHeight = 0.62);
};

}  // namespace toccata::ui
