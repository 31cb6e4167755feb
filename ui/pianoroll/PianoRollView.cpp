#include "ui/pianoroll/PianoRollView.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <map>

#include "ui/TrackColors.h"

namespace toccata::ui {

namespace {

const QColor kBackground(0x24, 0x26, 0x2b);
const QColor kBlackKeyRow(0x1d, 0x1f, 0x23);
const QColor kBarLine(0x5a, 0x5e, 0x68);
const QColor kBeatLine(0x34, 0x37, 0x3e);
const QColor kOctaveLine(0x40, 0x44, 0x4c);

bool isBlackRow(int pitch) {
    const int pc = pitch % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

constexpr double kTrailingSeconds = 4.0;  // room to scroll past the end

}  // namespace

PianoRollView::PianoRollView(QWidget* parent)
    : QAbstractScrollArea(parent), m_keyboard(new KeyboardGutter(m_geometry, this)) {
    setViewportMargins(kKeyboardWidth, 0, 0, 0);
    setFocusPolicy(Qt::StrongFocus);
    horizontalScrollBar()->setSingleStep(20);
    verticalScrollBar()->setSingleStep(static_cast<int>(m_geometry.rowHeight()));
    updateScrollBars();
}

void PianoRollView::setSequence(const core::NoteSequence& sequence) {
    std::map<int, int> trackIndex;  // instrument -> colour index, in instrument order
    for (const core::Note& n : sequence.notes) trackIndex.emplace(n.instrument, 0);
    for (const core::InstrumentInfo& info : sequence.instrumentInfos)
        trackIndex.emplace(info.instrument, 0);
    int next = 0;
    for (auto& entry : trackIndex) entry.second = next++;

    m_notes.clear();
    m_notes.reserve(sequence.notes.size());
    m_longestNote = 0.0;
    for (const core::Note& n : sequence.notes) {
        m_notes.push_back({n.startTime, n.endTime, n.pitch, n.velocity, trackIndex[n.instrument]});
        m_longestNote = std::max(m_longestNote, n.endTime - n.startTime);
    }
    std::sort(m_notes.begin(), m_notes.end(),
              [](const DrawnNote& a, const DrawnNote& b) { return a.start < b.start; });
    m_meter.emplace(sequence);
    m_totalTime = sequence.totalTime;
    updateScrollBars();
    horizontalScrollBar()->setValue(0);
    centreOnNotes();
    viewport()->update();
}

void PianoRollView::centreOnNotes() {
    if (m_notes.empty()) {
        verticalScrollBar()->setValue(static_cast<int>(m_geometry.yForPitch(72)));
        return;
    }
    int lo = 127;
    int hi = 0;
    for (const DrawnNote& n : m_notes) {
        lo = std::min(lo, n.pitch);
        hi = std::max(hi, n.pitch);
    }
    const double centre =
        (m_geometry.yForPitch(hi) + m_geometry.yForPitch(lo) + m_geometry.rowHeight()) / 2;
    verticalScrollBar()->setValue(static_cast<int>(centre - viewport()->height() / 2.0));
}

void PianoRollView::updateScrollBars() {
    const double width = m_geometry.xForTime(m_totalTime + kTrailingSeconds);
    horizontalScrollBar()->setRange(0, std::max(0, static_cast<int>(width) - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    verticalScrollBar()->setRange(
        0, std::max(0, static_cast<int>(m_geometry.contentHeight()) - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
}

void PianoRollView::zoomTime(double factor) {
    const double centreTime =
        m_geometry.timeForX(horizontalScrollBar()->value() + viewport()->width() / 2.0);
    m_geometry.setPixelsPerSecond(m_geometry.pixelsPerSecond() * factor);
    updateScrollBars();
    horizontalScrollBar()->setValue(
        static_cast<int>(m_geometry.xForTime(centreTime) - viewport()->width() / 2.0));
    viewport()->update();
}

void PianoRollView::zoomPitch(double factor) {
    const int centrePitch =
        m_geometry.pitchForY(verticalScrollBar()->value() + viewport()->height() / 2.0);
    m_geometry.setRowHeight(m_geometry.rowHeight() * factor);
    updateScrollBars();
    verticalScrollBar()->setValue(
        static_cast<int>(m_geometry.yForPitch(centrePitch) - viewport()->height() / 2.0));
    verticalScrollBar()->setSingleStep(static_cast<int>(std::ceil(m_geometry.rowHeight())));
    m_keyboard->setScroll(verticalScrollBar()->value());
    viewport()->update();
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    const QRect vp = viewport()->geometry();
    m_keyboard->setGeometry(vp.left() - kKeyboardWidth, vp.top(), kKeyboardWidth, vp.height());
    updateScrollBars();
}

void PianoRollView::scrollContentsBy(int /*dx*/, int /*dy*/) {
    viewport()->update();
    m_keyboard->setScroll(verticalScrollBar()->value());
}

void PianoRollView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        zoomTime(std::pow(1.25, steps));
    } else if (event->modifiers() & Qt::ShiftModifier) {
        zoomPitch(std::pow(1.15, steps));
    } else {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void PianoRollView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoomTime(1.25); break;
        case Qt::Key_Minus: zoomTime(0.8); break;
        case Qt::Key_Home: horizontalScrollBar()->setValue(0); break;
        case Qt::Key_End: horizontalScrollBar()->setValue(horizontalScrollBar()->maximum()); break;
        default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

void PianoRollView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(viewport());
    const QPointF offset(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const QRectF visible(offset, QSizeF(viewport()->size()));
    p.translate(-offset);
    p.fillRect(visible, kBackground);
    paintGrid(p, visible);
    paintNotes(p, visible);
}

void PianoRollView::paintGrid(QPainter& p, const QRectF& visible) const {
    const int top = m_geometry.pitchForY(visible.top());
    const int bottom = m_geometry.pitchForY(visible.bottom());
    for (int pitch = bottom; pitch <= top; ++pitch) {
        const double y = m_geometry.yForPitch(pitch);
        if (isBlackRow(pitch))
            p.fillRect(QRectF(visible.left(), y, visible.width(), m_geometry.rowHeight()),
                       kBlackKeyRow);
        if (pitch % 12 == 0) {  // line under each C
            p.setPen(kOctaveLine);
            p.drawLine(QPointF(visible.left(), y + m_geometry.rowHeight()),
                       QPointF(visible.right(), y + m_geometry.rowHeight()));
        }
    }
    if (!m_meter) return;
    // Bars and beats; beats are skipped when they would be closer than 6 px.
    const double startTime = m_geometry.timeForX(visible.left());
    const double endTime = m_geometry.timeForX(visible.right());
    for (int64_t bar = std::max<int64_t>(0, m_meter->barBeatAtSeconds(startTime).bar);; ++bar) {
        const double barStart = m_meter->barStartSeconds(bar);
        if (barStart > endTime) break;
        const double barEnd = m_meter->barStartSeconds(bar + 1);
        const core::BarBeat at = m_meter->barBeatAtSeconds(barStart);
        const int beats = std::max(1, at.signature.numerator);
        const double beatWidth = m_geometry.xForTime(barEnd - barStart) / beats;
        if (beatWidth >= 6.0) {
            p.setPen(kBeatLine);
            for (int b = 1; b < beats; ++b) {
                const double x = m_geometry.xForTime(barStart) + b * beatWidth;
                p.drawLine(QPointF(x, visible.top()), QPointF(x, visible.bottom()));
            }
        }
        p.setPen(kBarLine);
        const double x = m_geometry.xForTime(barStart);
        p.drawLine(QPointF(x, visible.top()), QPointF(x, visible.bottom()));
        if (barEnd <= barStart) break;  // guards against a degenerate meter
    }
}

void PianoRollView::paintNotes(QPainter& p, const QRectF& visible) {
    const double startTime = m_geometry.timeForX(visible.left()) - m_longestNote;
    const double endTime = m_geometry.timeForX(visible.right());
    auto first = std::lower_bound(m_notes.begin(), m_notes.end(), startTime,
                                  [](const DrawnNote& n, double t) { return n.start < t; });
    int painted = 0;
    const bool outlines = m_geometry.rowHeight() >= 5.0;
    for (auto it = first; it != m_notes.end() && it->start <= endTime; ++it) {
        const QRectF r = m_geometry.noteRect(it->start, it->end, it->pitch);
        if (!r.intersects(visible)) continue;
        QColor fill = trackColor(it->track);
        // Louder notes are drawn more opaque, so dynamics are visible at a glance.
        fill.setAlphaF(0.45 + 0.55 * std::clamp(it->velocity, 0, 127) / 127.0);
        p.fillRect(r.adjusted(0, 0.5, 0, -0.5), fill);
        if (outlines) {
            p.setPen(trackColor(it->track).darker(170));
            p.drawRect(r.adjusted(0, 0.5, -1, -1));
        }
        ++painted;
    }
    m_lastPaintedNotes = painted;
}

}  // namespace toccata::ui
