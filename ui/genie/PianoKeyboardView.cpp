#include "ui/genie/PianoKeyboardView.h"

#include <QPainter>

#include <algorithm>

#include "ui/genie/PianoKeyGeometry.h"

namespace toccata::ui {

PianoKeyboardView::PianoKeyboardView(QWidget* parent) : QWidget(parent) {
    setObjectName("GenieKeyboard");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(48);
    setFixedHeight(96);
}

void PianoKeyboardView::setKeyLit(int key, const QColor& colour) {
    if (key < 0 || key >= PianoKeyGeometry::kKeys) return;
    if (m_lit[size_t(key)] == colour) return;
    m_lit[size_t(key)] = colour;
    update();
}

void PianoKeyboardView::clearAll() {
    for (QColor& c : m_lit) c = QColor();
    update();
}

bool PianoKeyboardView::isLit(int key) const {
    return key >= 0 && key < PianoKeyGeometry::kKeys && m_lit[size_t(key)].isValid();
}

QColor PianoKeyboardView::litColour(int key) const {
    return isLit(key) ? m_lit[size_t(key)] : QColor();
}

int PianoKeyboardView::litCount() const {
    int n = 0;
    for (const QColor& c : m_lit) n += c.isValid() ? 1 : 0;
    return n;
}

void PianoKeyboardView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.7));
    p.setFont(small);
    for (int key = 0; key < PianoKeyGeometry::kKeys; ++key) {
        if (PianoKeyGeometry::isBlack(key)) continue;
        const QRectF r = PianoKeyGeometry::keyRect(key, area);
        p.setPen(QColor(90, 90, 90));
        p.setBrush(isLit(key) ? m_lit[size_t(key)] : QColor(250, 250, 246));
        p.drawRect(r);
        if ((key + PianoKeyGeometry::kLowestPitch) % 12 == 0 && r.width() > 9) {
            p.setPen(QColor(120, 120, 120));
            const int octave = (key + PianoKeyGeometry::kLowestPitch) / 12 - 1;
            p.drawText(r.adjusted(0, 0, 0, -2), Qt::AlignHCenter | Qt::AlignBottom,
                       QStringLiteral("C%1").arg(octave));
        }
    }
    for (int key = 0; key < PianoKeyGeometry::kKeys; ++key) {
        if (!PianoKeyGeometry::isBlack(key)) continue;
        const QRectF r = PianoKeyGeometry::keyRect(key, area);
        p.setPen(QColor(20, 20, 20));
        p.setBrush(isLit(key) ? m_lit[size_t(key)].darker(115) : QColor(28, 28, 30));
        p.drawRect(r);
    }
}

}  // namespace toccata::ui
