// VelocityLane: the strip under the piano roll with one stem per note of the current track,
// its height the note's velocity. Shares the roll's time axis and horizontal scroll. Dragging
// a stem (or any stem of the selection, moving all selected together) changes velocity,
// one undo step per drag. [ui]
#pragma once

#include <QHash>
#include <QWidget>

#include "app/Document.h"

namespace toccata::ui {

class PianoRollView;
struct RollNote;

class VelocityLane : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultHeight = 84;

    explicit VelocityLane(PianoRollView* view, QWidget* parent = nullptr);
    /// Viewport point of the top of `id`'s stem (for tests), or (-1,-1) when not shown.
    QPointF stemTop(app::NoteId id) const;
    /// Velocity a stem dragged to lane y would get.
    int velocityForY(double y) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRectF plotRect() const;  // stems area (right of the gutter)
    double xForTime(double seconds) const;
    double yForVelocity(int velocity) const;
    const RollNote* stemAt(const QPointF& pos) const;

    PianoRollView* m_view;
    app::NoteId m_anchor = 0;  // stem being dragged, 0 = none
    int m_anchorVelocity = 0;
    QHash<app::NoteId, int> m_original;  // velocities at press of the notes being dragged
    QHash<app::NoteId, int> m_preview;   // velocities while dragging
};

}  // namespace toccata::ui
