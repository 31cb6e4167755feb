// TimeRuler: the bar/beat ruler above the piano roll (follows time signatures and tempo).
// Click or drag seeks (snapped to the grid unless Alt); Shift+drag draws the loop range.
// Shows the loop range and the playhead. Scrolls with the roll. [ui]
#pragma once

#include <QWidget>

namespace toccata::ui {

class PianoRollView;

class TimeRuler : public QWidget {
    Q_OBJECT
public:
    TimeRuler(PianoRollView& view, QWidget* parent);

signals:
    void seekRequested(double seconds);
    void loopRangeEdited(double start, double end);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    double timeAt(const QPointF& pos, bool snap) const;

    PianoRollView& m_view;
    bool m_seeking = false;
    bool m_looping = false;
    double m_loopAnchor = 0.0;
    double m_loopFrom = 0.0;  // range being dragged
    double m_loopTo = 0.0;
};

}  // namespace toccata::ui
