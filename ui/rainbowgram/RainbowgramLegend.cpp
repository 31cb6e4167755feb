#include "ui/rainbowgram/RainbowgramLegend.h"

#include <QPainter>

#include <cmath>

#include "analysis/RainbowgramImage.h"

namespace toccata::ui {

namespace {

constexpr int kBarWidth = 110;
constexpr int kBarHeight = 10;
constexpr int kPad = 6;

QColor toQColor(const analysis::Colour& c, double brightness = 1.0) {
    return QColor::fromRgbF(static_cast<float>(c.red * brightness),
                            static_cast<float>(c.green * brightness),
                            static_cast<float>(c.blue * brightness));
}

}  // namespace

RainbowgramLegend::RainbowgramLegend(QWidget* parent) : QWidget(parent) {
    setObjectName("RainbowgramLegend");
    setToolTip(explanation());
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QString RainbowgramLegend::explanation() {
    return tr(
        "colour = instantaneous frequency (phase change per hop), brightness = log "
        "magnitude");
}

void RainbowgramLegend::setRangeDb(double rangeDb) {
    if (rangeDb == m_rangeDb || !(rangeDb > 0.0)) return;
    m_rangeDb = rangeDb;
    update();
}

QSize RainbowgramLegend::sizeHint() const {
    const QFontMetrics fm(font());
    return {2 * (kBarWidth + 120) + 3 * kPad, kBarHeight + 2 * fm.height() + 3 * kPad};
}

void RainbowgramLegend::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    QFont small = font();
    small.setPixelSize(10);
    p.setFont(small);
    const QFontMetrics fm(small);
    const int top = kPad;
    int x = kPad;

    // Colour: the phase advance per hop, −1…1, as analysis::colourPosition maps it.
    p.setPen(palette().color(QPalette::WindowText));
    const QString colourTitle = tr("phase / hop");
    p.drawText(x, top + kBarHeight, colourTitle);
    x += fm.horizontalAdvance(colourTitle) + kPad;
    for (int i = 0; i < kBarWidth; ++i) {
        const double value = -1.0 + 2.0 * i / (kBarWidth - 1);
        p.fillRect(x + i, top, 1, kBarHeight,
                   toQColor(analysis::rainbowColour(analysis::colourPosition(float(value)))));
    }
    p.drawText(QRect(x - 10, top + kBarHeight, 24, fm.height()), Qt::AlignCenter, "−1");
    p.drawText(QRect(x + kBarWidth / 2 - 12, top + kBarHeight, 24, fm.height()), Qt::AlignCenter,
               "0");
    p.drawText(QRect(x + kBarWidth - 14, top + kBarHeight, 24, fm.height()), Qt::AlignCenter, "+1");
    x += kBarWidth + 3 * kPad;

    // Brightness: a mid-scale colour darkened as the image darkens quiet cells.
    const QString levelTitle = tr("level");
    p.drawText(x, top + kBarHeight, levelTitle);
    x += fm.horizontalAdvance(levelTitle) + kPad;
    const analysis::Colour mid = analysis::rainbowColour(0.5);
    for (int i = 0; i < kBarWidth; ++i) {
        const double brightness = 1.0 - double(i) / (kBarWidth - 1);  // 0 dB … −range dB
        p.fillRect(x + i, top, 1, kBarHeight, toQColor(mid, brightness));
    }
    p.drawText(QRect(x - 10, top + kBarHeight, 30, fm.height()), Qt::AlignCenter, "0 dB");
    p.drawText(QRect(x + kBarWidth - 20, top + kBarHeight, 44, fm.height()), Qt::AlignCenter,
               QString("−%1 dB").arg(std::lround(m_rangeDb)));

    p.drawText(QRect(kPad, top + kBarHeight + fm.height() + 2, width() - 2 * kPad, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, explanation());
}

}  // namespace toccata::ui
