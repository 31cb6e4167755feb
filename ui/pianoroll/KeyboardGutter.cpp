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

QString KeyboardGutter::drumRowLabel(int pitch) {
    const QString name = QString::fromUtf8(core::gmDrumName(pitch));
    return name.isEmpty() ? QString::number(pitch) : name;
}

void KeyboardGutter::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    if (m_geometry.drumMode())
        paintDrumNames(p);
    else
        paintKeys(p);
    p.setPen(QColor(0x90, 0x90, 0x90));
    p.drawLine(width() - 1, 0, width() - 1, height());
}

void KeyboardGutter::paintKeys(QPainter& p) {
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
}

void KeyboardGutter::paintDrumNames(QPainter& p) {
    p.fillRect(rect(), QColor(0x2c, 0x2e, 0x34));
    const int top = m_geometry.pitchForY(m_scroll);
    const int bottom = m_geometry.pitchForY(m_scroll + height());
    QFont font = p.font();
    font.setPixelSize(std::clamp(static_cast<int>(m_geometry.rowHeight()) - 3, 7, 12));
    p.setFont(font);
    const bool labels = m_geometry.rowHeight() >= 8.0;
    for (int pitch = bottom; pitch <= top; ++pitch) {
        const QRectF row(0, m_geometry.yForPitch(pitch) - m_scroll, width(),
                         m_geometry.rowHeight());
        if (pitch % 2) p.fillRect(row, QColor(0x33, 0x36, 0x3d));
        if (!labels) continue;
        if (core::gmDrumName(pitch)[0]) {
            p.setPen(QColor(0xdd, 0xdd, 0xdd));
            const QString name =
                p.fontMetrics().elidedText(drumRowLabel(pitch), Qt::ElideRight, width() - 34);
            p.drawText(row.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, name);
        }
        p.setPen(QColor(0x80, 0x84, 0x8c));
        p.drawText(row.adjusted(4, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(pitch));
    }
    if (m_geometry.contentHeight() - m_scroll < height())
        p.fillRect(QRectF(0, m_geometry.contentHeight() - m_scroll, width(), height()),
                   QColor(0x20, 0x21, 0x25));
}

}  // namespace toccata::ui
