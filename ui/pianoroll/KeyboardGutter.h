// The piano keyboard at the left of the roll, with C note names; scrolls with the roll.
#pragma once

#include <QWidget>

#include "ui/pianoroll/PianoRollGeometry.h"

namespace toccata::ui {

class KeyboardGutter : public QWidget {
    Q_OBJECT
public:
    KeyboardGutter(const PianoRollGeometry& geometry, QWidget* parent);
    void setScroll(double y);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    const PianoRollGeometry& m_geometry;
    double m_scroll = 0.0;
};

}  // namespace toccata::ui
