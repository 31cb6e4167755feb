#include "ui/pianoroll/KeyboardGutter.h"

#include <QPainter>
#include <algorithm>

#include "core/GeneralMidi.h"

namespace toccata::ui {

namespace {
bool isBlackKey(int pitch) {
    const int pc = pitch % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}
}  // namespace

KeyboardGutter::KeyboardGutter(const PianoRollGeometry& geometry, QWidget* parent)
    : QWidget(parent), m_geometry(geometry) {}

void KeyboardGutter::setScroll(double y) {
    m_scroll = y;
    update();
}

void KeyboardGutter::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    p.fillRect(rect(), QColor(0xee, 0xee, 0xee));
    const int top = m_geometry.pitchForY(m_scroll);
    const int bottom = m_geometry.pitchForY(m_scroll + height());
    QFont font = p.font();
    font.setPixelSize(std::clamp(static_cast<int>(m_geometry.rowHeight()), 7, 11));
    p.setFont(font);
    for (int pitch = bottom; pitch <= top; ++pitch) {
        const QRectF row(0, m_geometry.yForPitch(pitch) - m_scroll, width(),
                         m_geometry.rowHeight());
        if (isBlackKey(pitch)) {
            p.fillRect(QRectF(0, row.top(), width() * 0.62, row.height()),
                       QColor(0x30, 0x30, 0x30));
        } else if (pitch % 12 == 0 || pitch % 12 == 5) {  // B|C and E|F share an edge
            p.setPen(QColor(0xb0, 0xb0, 0xb0));
            p.drawLine(QPointF(0, row.bottom()), QPointF(width(), row.bottom()));
        }
        if (pitch % 12 == 0 && m_geometry.rowHeight() >= 7.0) {
            p.setPen(QColor(0x40, 0x40, 0x40));
            p.drawText(row.adjusted(0, 0, -3, 0), Qt::AlignRight | Qt::AlignVCenter,
                       QString::fromStdString(core::pitchName(pitch)));
        }
    }
    p.setPen(QColor(0x90, 0x90, 0x90));
    p.drawLine(width() - 1, 0, width() - 1, height());
}

}  // namespace toccata::ui
