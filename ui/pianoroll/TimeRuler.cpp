#include "ui/pianoroll/TimeRuler.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

TimeRuler::TimeRuler(PianoRollView& view, QWidget* parent) : QWidget(parent), m_view(view) {
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click to move the playhead; Shift+drag to set the loop range"));
}

double TimeRuler::timeAt(const QPointF& pos, bool snap) const {
    const double t =
        std::max(0.0, m_view.rollGeometry().timeForX(pos.x() + m_view.horizontalOffset()));
    return snap ? m_view.snapGrid().snap(t) : t;
}

void TimeRuler::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    p.fillRect(rect(), QColor(0x30, 0x33, 0x3a));
    const PianoRollGeometry& g = m_view.rollGeometry();
    const core::MeterMap& meter = m_view.snapGrid().meter();
    const double offset = m_view.horizontalOffset();
    const double t0 = g.timeForX(offset);
    const double t1 = g.timeForX(offset + width());
    auto xOf = [&](double t) { return g.xForTime(t) - offset; };

    // Loop range: a band in the upper half (bright when looping is on).
    const bool dragging = m_looping;
    const double ls = dragging ? m_loopFrom : m_view.loopStart();
    const double le = dragging ? m_loopTo : m_view.loopEnd();
    if (le > ls) {
        const QColor c = (m_view.loopEnabled() || dragging) ? QColor(0x4a, 0x9e, 0xff, 170)
                                                            : QColor(0x80, 0x84, 0x8c, 110);
        p.fillRect(QRectF(xOf(ls), 1, xOf(le) - xOf(ls), height() / 2.0 - 1), c);
    }

    // Bars (numbered, thinned out when dense) and beats.
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    const double barWidth = g.xForTime(meter.barStartSeconds(1) - meter.barStartSeconds(0));
    int every = 1;
    while (barWidth * every < 34 && every < 4096) every *= 2;
    for (int64_t bar = std::max<int64_t>(0, meter.barBeatAtSeconds(t0).bar);; ++bar) {
        const double start = meter.barStartSeconds(bar);
        if (start > t1) break;
        const double end = meter.barStartSeconds(bar + 1);
        if (end <= start) break;
        const double x = xOf(start);
        const core::BarBeat at = meter.barBeatAtSeconds(start);
        const int beats = std::max(1, at.signature.numerator);
        const double beatWidth = (xOf(end) - x) / beats;
        if (beatWidth >= 8.0) {
            p.setPen(QColor(0x70, 0x74, 0x7c));
            for (int b = 1; b < beats; ++b)
                p.drawLine(QPointF(x + b * beatWidth, height() - 5),
                           QPointF(x + b * beatWidth, height()));
        }
        p.setPen(QColor(0xa0, 0xa4, 0xac));
        const bool labelled = bar % every == 0;
        p.drawLine(QPointF(x, labelled ? height() / 2.0 : height() - 8), QPointF(x, height()));
        if (labelled) {
            p.setPen(QColor(0xdd, 0xdd, 0xdd));
            p.drawText(QPointF(x + 3, height() - 5), QString::number(bar + 1));
        }
    }

    // Playhead marker.
    const double px = xOf(m_view.playheadSeconds());
    if (px >= -6 && px <= width() + 6) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xff, 0x6b, 0x4a));
        p.drawPolygon(QPolygonF(
            {QPointF(px - 5, height() - 9), QPointF(px + 5, height() - 9), QPointF(px, height())}));
    }
    p.setPen(QColor(0x18, 0x19, 0x1c));
    p.drawLine(0, height() - 1, width(), height() - 1);
}

void TimeRuler::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const bool snap = !(event->modifiers() & Qt::AltModifier);
    if (event->modifiers() & Qt::ShiftModifier) {
        m_looping = true;
        m_loopAnchor = timeAt(event->position(), snap);
        m_loopFrom = m_loopTo = m_loopAnchor;
    } else {
        m_seeking = true;
        emit seekRequested(timeAt(event->position(), snap));
    }
    update();
}

void TimeRuler::mouseMoveEvent(QMouseEvent* event) {
    const bool snap = !(event->modifiers() & Qt::AltModifier);
    const double t = timeAt(event->position(), snap);
    if (m_looping) {
        m_loopFrom = std::min(m_loopAnchor, t);
        m_loopTo = std::max(m_loopAnchor, t);
        update();
    } else if (m_seeking) {
        emit seekRequested(t);
    }
}

void TimeRuler::mouseReleaseEvent(QMouseEvent* event) {
    if (m_looping) {
        m_looping = false;
        if (m_loopTo > m_loopFrom) {
            m_view.setLoopRange(m_loopFrom, m_loopTo, true);
            emit loopRangeEdited(m_loopFrom, m_loopTo);
        }
    }
    m_seeking = false;
    update();
    event->accept();
}

}  // namespace toccata::ui
