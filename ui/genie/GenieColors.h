// The Piano Genie's button colours: a rainbow from red (button 0, the lowest) to violet
// (button 7), shared by the buttons, the lit keys and the falling notes. [ui]
#pragma once

#include <QColor>

namespace toccata::ui {

inline QColor genieButtonColour(int button) {
    static constexpr int kHues[8] = {2, 28, 52, 88, 170, 205, 250, 290};
    return QColor::fromHsv(kHues[((button % 8) + 8) % 8], 210, 245);
}

}  // namespace toccata::ui
