// The gutter at the left of the roll: a piano keyboard with C note names, or — for a drum
// track — the General MIDI drum names of the kit's rows. Scrolls with the roll. [ui]
#pragma once

#include <QWidget>

#include "ui/pianoroll/PianoRollGeometry.h"

namespace toccata::ui {

class KeyboardGutter : public QWidget {
    Q_OBJECT
public:
    KeyboardGutter(const PianoRollGeometry& geometry, QWidget* parent);
    void setScroll(double y);
    /// Text shown for `pitch` in drum mode (GM name, or the key number when it has none).
    static QString drumRowLabel(int pitch);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintKeys(class QPainter& p);
    void paintDrumNames(QPainter& p);

    const PianoRollGeometry& m_geometry;
    double m_scroll = 0.0;
};

}  // namespace toccata::ui
