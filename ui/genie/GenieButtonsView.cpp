#include "ui/genie/GenieButtonsView.h"

#include <QMouseEvent>
#include <QPainter>

#include "ui/genie/GenieColors.h"

namespace toccata::ui {

GenieButtonsView::GenieButtonsView(QWidget* parent) : QWidget(parent) {
    setObjectName("GenieButtons");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFixedHeight(72);
    for (int b = 0; b < kButtons; ++b) m_labels << QString::number(b + 1);
}

void GenieButtonsView::setDown(int button, bool down) {
    if (button < 0 || button >= kButtons || m_down[size_t(button)] == down) return;
    m_down[size_t(button)] = down;
    update();
}

bool GenieButtonsView::isDown(int button) const {
    return button >= 0 && button < kButtons && m_down[size_t(button)];
}

void GenieButtonsView::setLabels(const QStringList& labels) {
    m_labels = labels;
    while (m_labels.size() < kButtons) m_labels << QString();
    update();
}

QRectF GenieButtonsView::buttonRect(int button) const {
    const double gap = 6.0;
    const double w = (width() - gap * (kButtons + 1)) / kButtons;
    return {gap + button * (w + gap), 4.0, w, height() - 8.0};
}

int GenieButtonsView::buttonAt(const QPointF& point) const {
    for (int b = 0; b < kButtons; ++b)
        if (buttonRect(b).contains(point)) return b;
    return -1;
}

void GenieButtonsView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    QFont big = font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    p.setFont(big);
    for (int b = 0; b < kButtons; ++b) {
        const QRectF r = buttonRect(b);
        const QColor colour = genieButtonColour(b);
        const bool down = m_down[size_t(b)];
        p.setPen(QPen(colour.darker(down ? 160 : 130), down ? 3.0 : 1.5));
        QColor fill = colour;
        if (!down) fill.setAlpha(140);  // held buttons stand out at full colour
        p.setBrush(fill);
        p.drawRoundedRect(r.adjusted(1, down ? 3 : 1, -1, -1), 8, 8);
        p.setPen(colour.lightness() > 150 ? QColor(20, 20, 20) : QColor(250, 250, 250));
        p.drawText(r, Qt::AlignCenter, m_labels.value(b));
    }
}

void GenieButtonsView::mousePressEvent(QMouseEvent* event) {
    const int b = buttonAt(event->position());
    if (b < 0 || event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    m_mouseButton = b;
    emit pressed(b);
    event->accept();
}

void GenieButtonsView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_mouseButton < 0) return QWidget::mouseReleaseEvent(event);
    const int b = m_mouseButton;
    m_mouseButton = -1;
    emit released(b);
    event->accept();
}

}  // namespace toccata::ui
