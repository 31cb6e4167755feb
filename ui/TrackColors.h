// One colour per track, shared by the track list and the piano roll.
#pragma once

#include <QColor>

namespace toccata::ui {

inline QColor trackColor(int index) {
    // Evenly spread hues, saturated enough to tell apart on a dark roll.
    const int hue = (index * 137) % 360;  // golden-angle steps
    return QColor::fromHsv(hue, 150, 235);
}

}  // namespace toccata::ui
