#include "ui/pianoroll/VelocityLane.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

namespace {
constexpr double kPad = 6.0;          // space above velocity 127 and below 0
constexpr double kHitDistance = 5.0;  // pixels from a stem that still grab it
}  // namespace

VelocityLane::VelocityLane(PianoRollView* view, QWidget* parent) : QWidget(parent), m_view(view) {
    setMinimumHeight(40);
    setFixedHeight(kDefaultHeight);
    setToolTip(tr("Velocity: drag a stem; dragging a selected note's stem moves all selected"));
    connect(view, &PianoRollView::viewChanged, this, qOverload<>(&QWidget::update));
    connect(view, &PianoRollView::selectionChanged, this, qOverload<>(&QWidget::update));
    connect(view, &PianoRollView::currentTrackChanged, this, qOverload<>(&QWidget::update));
}

QRectF VelocityLane::plotRect() const {
    const double left = m_view->gutterWidth() + m_view->frameWidth();
    // As wide as the roll's viewport, so stems never run under its scroll bar.
    const double right = std::min<double>(width(), left + m_view->viewport()->width());
    return QRectF(left, kPad, right - left, height() - 2 * kPad);
}

double VelocityLane::xForTime(double seconds) const {
    return plotRect().left() + m_view->rollGeometry().xForTime(seconds) -
           m_view->horizontalOffset();
}

double VelocityLane::yForVelocity(int velocity) const {
    const QRectF r = plotRect();
    return r.bottom() - r.height() * std::clamp(velocity, 0, 127) / 127.0;
}

int VelocityLane::velocityForY(double y) const {
    const QRectF r = plotRect();
    return std::clamp(static_cast<int>(std::lround((r.bottom() - y) / r.height() * 127.0)), 1, 127);
}

QPointF VelocityLane::stemTop(app::NoteId id) const {
    const RollNote* n = m_view->noteIndex().find(id);
    if (!n || n->instrument != m_view->currentTrack()) return {-1, -1};
    const int velocity = m_preview.value(id, n->velocity);
    return {xForTime(n->start), yForVelocity(velocity)};
}

const RollNote* VelocityLane::stemAt(const QPointF& pos) const {
    const PianoRollGeometry& g = m_view->rollGeometry();
    const double t0 =
        g.timeForX(pos.x() - kHitDistance - plotRect().left() + m_view->horizontalOffset());
    const double t1 =
        g.timeForX(pos.x() + kHitDistance - plotRect().left() + m_view->horizontalOffset());
    const RollNote* best = nullptr;
    double bestDistance = 1e300;
    m_view->noteIndex().forEachStartingIn(t0, t1, [&](const RollNote& n) {
        if (n.instrument != m_view->currentTrack()) return;
        // Among stems at about the same x (chords), the one whose head is nearest wins;
        // selected notes win ties.
        const double d = std::abs(xForTime(n.start) - pos.x()) +
                         std::abs(yForVelocity(n.velocity) - pos.y()) * 0.25 -
                         (m_view->isSelected(n.id) ? 0.5 : 0.0);
        if (d < bestDistance) {
            bestDistance = d;
            best = &n;
        }
    });
    return best;
}

void VelocityLane::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    p.fillRect(rect(), QColor(0x20, 0x22, 0x26));
    const QRectF plot = plotRect();
    p.fillRect(QRectF(0, 0, plot.left(), height()), QColor(0x2c, 0x2e, 0x34));
    p.setPen(QColor(0xa0, 0xa4, 0xac));
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    p.drawText(QRectF(4, 0, plot.left() - 8, height()), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Velocity"));
    p.setPen(QColor(0x34, 0x37, 0x3e));
    for (int v : {32, 64, 96, 127})
        p.drawLine(QPointF(plot.left(), yForVelocity(v)), QPointF(plot.right(), yForVelocity(v)));

    p.setClipRect(plot.adjusted(-4, -kPad, 0, kPad));
    p.setRenderHint(QPainter::Antialiasing);
    const PianoRollGeometry& g = m_view->rollGeometry();
    const double t0 = g.timeForX(m_view->horizontalOffset() - 4);
    const double t1 = g.timeForX(m_view->horizontalOffset() + plot.width() + 4);
    const QColor colour = m_view->trackColour(m_view->currentTrack());
    m_view->noteIndex().forEachStartingIn(t0, t1, [&](const RollNote& n) {
        if (n.instrument != m_view->currentTrack()) return;
        const bool selected = m_view->isSelected(n.id);
        const double x = xForTime(n.start);
        const double y = yForVelocity(m_preview.value(n.id, n.velocity));
        const QColor c = selected ? QColor(Qt::white) : colour;
        p.setPen(QPen(c, selected ? 2.0 : 1.2));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, y));
        p.setBrush(selected ? colour.lighter(140) : colour);
        p.drawEllipse(QPointF(x, y), 3.0, 3.0);
    });
}

void VelocityLane::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_view->document()) return;
    const RollNote* n = stemAt(event->position());
    if (!n) return;
    m_anchor = n->id;
    m_anchorVelocity = n->velocity;
    m_original.clear();
    if (m_view->isSelected(n->id)) {
        for (app::NoteId id : m_view->selectedNotes())
            if (const RollNote* s = m_view->noteIndex().find(id))
                m_original.insert(id, s->velocity);
    } else {
        m_original.insert(n->id, n->velocity);
    }
    mouseMoveEvent(event);
}

void VelocityLane::mouseMoveEvent(QMouseEvent* event) {
    if (!m_anchor) return;
    // The grabbed stem follows the mouse; the others move by the same amount.
    const int delta = velocityForY(event->position().y()) - m_anchorVelocity;
    m_preview.clear();
    for (auto it = m_original.cbegin(); it != m_original.cend(); ++it)
        m_preview.insert(it.key(), std::clamp(it.value() + delta, 1, 127));
    update();
}

void VelocityLane::mouseReleaseEvent(QMouseEvent* /*event*/) {
    app::Document* doc = m_view->document();
    if (!m_anchor || !doc) return;
    app::NoteIds ids;
    std::vector<core::Note> after;
    for (auto it = m_preview.cbegin(); it != m_preview.cend(); ++it) {
        const core::Note* n = doc->note(it.key());
        if (!n) continue;
        ids.push_back(it.key());
        after.push_back(*n);
        after.back().velocity = it.value();
    }
    m_anchor = 0;
    m_original.clear();
    m_preview.clear();
    if (!ids.isEmpty()) doc->changeNotes(ids, after, tr("Set Velocity"));
    update();
}

}  // namespace toccata::ui
