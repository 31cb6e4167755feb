#include "ui/genie/FallingNotesView.h"

#include <QDateTime>
#include <QPainter>

#include <algorithm>

#include "ui/genie/GenieColors.h"
#include "ui/genie/PianoKeyGeometry.h"

namespace toccata::ui {

FallingNotesView::FallingNotesView(QWidget* parent) : QWidget(parent) {
    setObjectName("GenieFallingNotes");
    setMinimumHeight(60);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_timer.setInterval(kFrameMs);
    connect(&m_timer, &QTimer::timeout, this, &FallingNotesView::tick);
}

double FallingNotesView::now() const {
    return m_clock ? m_clock() : double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

void FallingNotesView::noteStarted(int button, int key, int velocity) {
    m_notes.push_back({button, key, velocity, now(), -1.0});
    if (!m_timer.isActive()) m_timer.start();
    update();
}

void FallingNotesView::noteEnded(int button, int key) {
    for (auto it = m_notes.rbegin(); it != m_notes.rend(); ++it)
        if (it->key == key && it->button == button && it->end < 0) {
            it->end = std::max(it->start, now());
            break;
        }
    update();
}

void FallingNotesView::clear() {
    m_notes.clear();
    m_timer.stop();
    update();
}

int FallingNotesView::soundingCount() const {
    return static_cast<int>(
        std::count_if(m_notes.begin(), m_notes.end(), [](const Bar& b) { return b.end < 0; }));
}

void FallingNotesView::tick() {
    const double t = now();
    // Gone once their end has floated out of the window.
    std::erase_if(m_notes, [&](const Bar& b) { return b.end >= 0 && t - b.end > m_window; });
    if (m_notes.empty()) m_timer.stop();
    update();
}

void FallingNotesView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(24, 24, 28));
    const QRectF area = QRectF(rect());
    // Faint lanes at the Cs help find the keys.
    p.setPen(QColor(44, 44, 52));
    for (int key = 3; key < PianoKeyGeometry::kKeys; key += 12) {
        const double x = PianoKeyGeometry::keyRect(key, area).left();
        p.drawLine(QPointF(x, 0), QPointF(x, height()));
    }
    if (m_notes.empty()) return;
    const double t = now();
    const double speed = area.height() / std::max(0.5, m_window);  // pixels per second
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    for (const Bar& b : m_notes) {
        const double end = b.end < 0 ? t : b.end;
        const double bottom = area.bottom() - (t - end) * speed;
        const double top = area.bottom() - (t - b.start) * speed;
        if (bottom < 0) continue;
        QRectF key = PianoKeyGeometry::keyRect(b.key, area, 1.0);
        key.setTop(top);
        key.setBottom(std::max(bottom, top + 3.0));
        QColor c = genieButtonColour(b.button);
        c.setAlpha(std::clamp(110 + b.velocity, 120, 255));
        p.setBrush(c);
        p.drawRoundedRect(key.adjusted(0.5, 0, -0.5, 0), 2.5, 2.5);
    }
}

}  // namespace toccata::ui
