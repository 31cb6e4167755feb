#include "ui/tools/LossPlot.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace toccata::ui {

namespace {

struct Range {
    double lo = 0, hi = 1;
};

/// Decimals that tell ticks `step` apart (0.05 -> 2, 10 -> 0).
int decimalsFor(double step) {
    return step >= 1 ? 0 : std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
}

QString stepLabel(double step) {
    if (std::abs(step) >= 10000) return QString::number(step / 1000, 'g', 4) + 'k';
    return QString::number(step, 'f', 0);
}

Range lossRange(const QVector<QPointF>& a, const QVector<QPointF>& b) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* series : {&a, &b})
        for (const QPointF& p : *series) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    if (!std::isfinite(lo)) return {0, 1};
    if (hi - lo < 1e-9) {
        const double pad = std::max(0.05, std::abs(hi) * 0.05);
        return {lo - pad, hi + pad};
    }
    const double pad = (hi - lo) * 0.05;
    return {lo - pad, hi + pad};
}

}  // namespace

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
    setObjectName("LossPlot");
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(
        tr("Training loss (blue) and evaluation loss (orange) by step. Falling curves "
           "mean the model is learning; an eval curve that rises while the train curve "
           "falls means it is memorising your files."));
}

void LossPlot::setSeries(QVector<QPointF> train, QVector<QPointF> eval) {
    m_train = std::move(train);
    m_eval = std::move(eval);
    update();
}

void LossPlot::addTrainPoint(QPointF point) {
    m_train << point;
    update();
}

void LossPlot::addEvalPoint(QPointF point) {
    m_eval << point;
    update();
}

void LossPlot::setTotalSteps(int steps) {
    if (steps == m_totalSteps) return;
    m_totalSteps = steps;
    update();
}

void LossPlot::clear() {
    m_train.clear();
    m_eval.clear();
    update();
}

QVector<double> LossPlot::niceTicks(double lo, double hi, int maxTicks) {
    QVector<double> ticks;
    if (!(hi > lo) || maxTicks < 1) return ticks;
    const double raw = (hi - lo) / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) break;
    }
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        ticks << (std::abs(v) < step * 1e-9 ? 0.0 : v);
    return ticks;
}

void LossPlot::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::Text);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(90);

    if (m_train.isEmpty() && m_eval.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("The loss curves appear here once training runs."));
        return;
    }

    // X runs from 0 to the total steps (or the last point if the run went further).
    double lastStep = m_totalSteps;
    for (const auto* series : {&m_train, &m_eval})
        if (!series->isEmpty()) lastStep = std::max(lastStep, series->last().x());
    const Range x{0, std::max(1.0, lastStep)};
    const Range y = lossRange(m_train, m_eval);
    const int rowsFit = std::max(2, (height() - 3 * fm.height()) / (2 * fm.height()));
    const QVector<double> yTicks = niceTicks(y.lo, y.hi, std::min(6, rowsFit));
    const int yDecimals = yTicks.size() > 1 ? decimalsFor(yTicks[1] - yTicks[0]) : 2;

    int labelWidth = fm.horizontalAdvance(tr("loss"));
    for (double v : yTicks)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(QString::number(v, 'f', yDecimals)));
    const QRectF plot =
        QRectF(rect()).adjusted(labelWidth + 14, fm.height() + 8, -14, -(2 * fm.height() + 10));
    if (plot.width() < 20 || plot.height() < 20) return;
    const auto toPx = [&](QPointF v) {
        return QPointF(plot.left() + (v.x() - x.lo) / (x.hi - x.lo) * plot.width(),
                       plot.bottom() - (v.y() - y.lo) / (y.hi - y.lo) * plot.height());
    };

    // Grid, ticks and tick labels.
    const int colsFit =
        std::max(2, static_cast<int>(plot.width()) / (fm.horizontalAdvance(stepLabel(x.hi)) + 24));
    const QVector<double> xTicks = niceTicks(x.lo, x.hi, std::min(8, colsFit));
    p.setPen(QPen(grid, 1));
    for (double v : yTicks) {
        const double py = toPx({x.lo, v}).y();
        p.drawLine(QPointF(plot.left(), py), QPointF(plot.right(), py));
    }
    for (double v : xTicks) {
        const double px = toPx({v, y.lo}).x();
        p.drawLine(QPointF(px, plot.top()), QPointF(px, plot.bottom()));
    }
    p.setPen(text);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    for (double v : yTicks) {
        const double py = toPx({x.lo, v}).y();
        p.drawLine(QPointF(plot.left() - 4, py), QPointF(plot.left(), py));
        p.drawText(QRectF(0, py - fm.height() / 2.0, plot.left() - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'f', yDecimals));
    }
    for (double v : xTicks) {
        const double px = toPx({v, y.lo}).x();
        p.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 4));
        p.drawText(QRectF(px - 40, plot.bottom() + 5, 80, fm.height()), Qt::AlignHCenter,
                   stepLabel(v));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 6, plot.width(), fm.height()),
               Qt::AlignHCenter, tr("step"));
    p.drawText(QRectF(2, 2, plot.left() + 40, fm.height()), Qt::AlignLeft, tr("loss"));

    // The curves, clipped to the plot; thinned to ~2 points per pixel for long runs.
    p.setRenderHint(QPainter::Antialiasing);
    p.save();
    p.setClipRect(plot.adjusted(-3, -3, 3, 3));
    const auto drawSeries = [&](const QVector<QPointF>& series, const QColor& colour, bool dots) {
        if (series.isEmpty()) return;
        const qsizetype stride =
            std::max<qsizetype>(1, series.size() / std::max(1, 2 * static_cast<int>(plot.width())));
        QPainterPath path(toPx(series.first()));
        for (qsizetype i = stride; i < series.size(); i += stride) path.lineTo(toPx(series[i]));
        path.lineTo(toPx(series.last()));
        p.setPen(QPen(colour, 2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (!dots || series.size() > plot.width() / 6) return;
        p.setBrush(colour);
        for (const QPointF& v : series) p.drawEllipse(toPx(v), 3, 3);
    };
    drawSeries(m_train, kTrainColor, m_train.size() == 1);
    drawSeries(m_eval, kEvalColor, true);
    p.restore();

    // Legend, top right inside the plot.
    const QString names[] = {tr("Train loss"), tr("Eval loss")};
    const QColor colours[] = {kTrainColor, kEvalColor};
    const int swatch = 18;
    const int legendWidth =
        std::max(fm.horizontalAdvance(names[0]), fm.horizontalAdvance(names[1])) + swatch + 18;
    QRectF legend(plot.right() - legendWidth - 6, plot.top() + 6, legendWidth,
                  2 * fm.height() + 10);
    QColor backing = palette().color(QPalette::Base);
    backing.setAlpha(220);
    p.setPen(QPen(grid, 1));
    p.setBrush(backing);
    p.drawRoundedRect(legend, 4, 4);
    for (int i = 0; i < 2; ++i) {
        const double ly = legend.top() + 5 + i * fm.height() + fm.height() / 2.0;
        p.setPen(QPen(colours[i], 2));
        p.drawLine(QPointF(legend.left() + 6, ly), QPointF(legend.left() + 6 + swatch, ly));
        p.setPen(text);
        p.drawText(QRectF(legend.left() + swatch + 12, ly - fm.height() / 2.0,
                          legendWidth - swatch - 12, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, names[i]);
    }
}

}  // namespace toccata::ui
