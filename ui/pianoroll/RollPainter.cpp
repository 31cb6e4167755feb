#include "ui/pianoroll/RollPainter.h"

#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

#include "core/NoteSequence.h"

namespace toccata::ui::RollPainter {

namespace {

const QColor kBackground(0x24, 0x26, 0x2b);
const QColor kBlackKeyRow(0x1d, 0x1f, 0x23);
const QColor kDrumRowAlt(0x28, 0x2a, 0x30);
const QColor kBarLine(0x5a, 0x5e, 0x68);
const QColor kBeatLine(0x38, 0x3b, 0x43);
const QColor kSnapLine(0x2c, 0x2e, 0x34);
const QColor kOctaveLine(0x40, 0x44, 0x4c);
const QColor kPlayhead(0xff, 0x6b, 0x4a);

bool isBlackRow(int pitch) {
    const int pc = pitch % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

void drawShape(QPainter& p, const PianoRollGeometry& g, const QRectF& r, const QColor& fill,
               const QColor& outline) {
    if (g.drumMode()) {
        const QRectF d = r.adjusted(1, 1, -1, -1);
        const QPolygonF diamond(
            {QPointF(d.center().x(), d.top()), QPointF(d.right(), d.center().y()),
             QPointF(d.center().x(), d.bottom()), QPointF(d.left(), d.center().y())});
        p.setPen(outline.isValid() ? QPen(outline) : Qt::NoPen);
        p.setBrush(fill);
        p.drawPolygon(diamond);
        return;
    }
    p.fillRect(r.adjusted(0, 0.5, 0, -0.5), fill);
    if (outline.isValid() && g.rowHeight() >= 5.0) {
        p.setPen(outline);
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0, 0.5, -1, -1));
    }
}

}  // namespace

void paintRows(QPainter& p, const PianoRollGeometry& g, const QRectF& visible) {
    p.fillRect(visible, kBackground);
    const int top = g.pitchForY(visible.top());
    const int bottom = g.pitchForY(visible.bottom());
    for (int pitch = bottom; pitch <= top; ++pitch) {
        const double y = g.yForPitch(pitch);
        const QRectF row(visible.left(), y, visible.width(), g.rowHeight());
        if (g.drumMode()) {
            if (pitch % 2) p.fillRect(row, kDrumRowAlt);
            continue;
        }
        if (isBlackRow(pitch)) p.fillRect(row, kBlackKeyRow);
        if (pitch % 12 == 0) {  // line under each C
            p.setPen(kOctaveLine);
            p.drawLine(QPointF(row.left(), row.bottom()), QPointF(row.right(), row.bottom()));
        }
    }
    if (g.contentHeight() < visible.bottom())  // below the last row
        p.fillRect(QRectF(visible.left(), g.contentHeight(), visible.width(),
                          visible.bottom() - g.contentHeight()),
                   kBlackKeyRow.darker(130));
}

void paintGrid(QPainter& p, const PianoRollGeometry& g, const SnapGrid& grid,
               const QRectF& visible) {
    const core::MeterMap& meter = grid.meter();
    const core::TempoMap& tempo = grid.tempo();
    const double startTime = g.timeForX(visible.left());
    const double endTime = g.timeForX(visible.right());
    const double snapStep = SnapGrid::stepQuarters(grid.value());
    const double bottom = std::min(visible.bottom(), g.contentHeight());
    auto vline = [&](double x, const QColor& c) {
        p.setPen(c);
        p.drawLine(QPointF(x, visible.top()), QPointF(x, bottom));
    };
    for (int64_t bar = std::max<int64_t>(0, meter.barBeatAtSeconds(startTime).bar);; ++bar) {
        const double barStart = meter.barStartSeconds(bar);
        if (barStart > endTime) break;
        const double barEnd = meter.barStartSeconds(bar + 1);
        if (barEnd <= barStart) break;  // guards against a degenerate meter
        const double q0 = tempo.secondsToQuarters(barStart);
        const double q1 = tempo.secondsToQuarters(barEnd);
        const core::BarBeat at = meter.barBeatAtSeconds(barStart);
        const double beatQ = 4.0 / std::max(1, at.signature.denominator);
        // Snap lines, then beats; each only when at least 6 px apart.
        if (snapStep > 0.0 && snapStep < beatQ &&
            g.xForTime(tempo.quartersToSeconds(q0 + snapStep)) - g.xForTime(barStart) >= 6.0) {
            for (double q = q0 + snapStep; q < q1 - 1e-9; q += snapStep)
                vline(g.xForTime(tempo.quartersToSeconds(q)), kSnapLine);
        }
        if (g.xForTime(tempo.quartersToSeconds(q0 + beatQ)) - g.xForTime(barStart) >= 6.0) {
            for (double q = q0 + beatQ; q < q1 - 1e-9; q += beatQ)
                vline(g.xForTime(tempo.quartersToSeconds(q)), kBeatLine);
        }
        vline(g.xForTime(barStart), kBarLine);
    }
}

int paintNotes(QPainter& p, const RollPaintInput& in, const QRectF& visible) {
    const PianoRollGeometry& g = in.geometry;
    const int top = g.pitchForY(visible.top());
    const int bottom = g.pitchForY(visible.bottom());
    const double t0 = g.timeForX(visible.left());
    const double t1 = g.timeForX(visible.right());
    const double minLength = g.drumMode() ? g.timeForX(g.drumHitWidth()) : 0.0;
    int painted = 0;
    // Two passes: other tracks dimmed underneath, then the current track on top.
    for (int pass = 0; pass < 2; ++pass) {
        const bool current = pass == 1;
        for (int pitch = bottom; pitch <= top; ++pitch) {
            in.index.forEachInRow(pitch, t0, t1, minLength, [&](const RollNote& n) {
                if ((n.instrument == in.currentTrack) != current || in.hidden.contains(n.id))
                    return;
                const QRectF r = g.noteRect(n.start, n.end, n.pitch);
                const QColor base = in.colour(n.instrument);
                QColor fill = base;
                QColor outline;
                if (!current) {
                    fill.setAlphaF(0.3);
                } else if (in.selection.contains(n.id)) {
                    fill = base.lighter(135);
                    outline = Qt::white;
                } else {
                    // Louder notes are more opaque, so dynamics are visible at a glance.
                    fill.setAlphaF(0.45 + 0.55 * std::clamp(n.velocity, 0, 127) / 127.0);
                    outline = base.darker(170);
                }
                drawShape(p, g, r, fill, outline);
                ++painted;
            });
        }
    }
    return painted;
}

void paintPreview(QPainter& p, const PianoRollGeometry& g, const std::vector<RollNote>& notes,
                  const QColor& colour) {
    for (const RollNote& n : notes)
        drawShape(p, g, g.noteRect(n.start, n.end, n.pitch), colour.lighter(135), Qt::white);
}

void paintGhost(QPainter& p, const PianoRollGeometry& g, const core::NoteSequence& take,
                const QColor& colour, const QRectF& visible) {
    QColor fill = colour;
    fill.setAlphaF(0.35);
    QColor outline = colour.lighter(150);
    p.save();
    for (const core::Note& n : take.notes) {
        if (n.pitch < g.lowPitch() || n.pitch > g.highPitch()) continue;
        const QRectF r = g.noteRect(n.startTime, n.endTime, n.pitch);
        if (!r.intersects(visible)) continue;
        if (g.drumMode()) {
            drawShape(p, g, r, fill, outline);
            continue;
        }
        p.fillRect(r.adjusted(0, 0.5, 0, -0.5), fill);
        p.setPen(QPen(outline, 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0, 0.5, -1, -1));
    }
    p.restore();
}

void paintLoopShade(QPainter& p, const PianoRollGeometry& g, double start, double end,
                    const QRectF& visible) {
    const QRectF r(g.xForTime(start), visible.top(), g.xForTime(end) - g.xForTime(start),
                   visible.height());
    p.fillRect(r.intersected(visible), QColor(0x4a, 0x9e, 0xff, 18));
}

void paintPlayhead(QPainter& p, const PianoRollGeometry& g, double seconds, const QRectF& visible) {
    const double x = g.xForTime(seconds);
    if (x < visible.left() - 1 || x > visible.right() + 1) return;
    p.setPen(QPen(kPlayhead, 1.5));
    p.drawLine(QPointF(x, visible.top()), QPointF(x, visible.bottom()));
}

}  // namespace toccata::ui::RollPainter
