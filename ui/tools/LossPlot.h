// LossPlot: the training dashboard's live loss curves — train loss and eval loss against the
// training step, two colours, ticked axes and a legend. Drawn with QPainter (no Qt Charts);
// long runs are thinned to about two points per pixel when drawn, never in the data. [ui]
#pragma once

#include <QColor>
#include <QPointF>
#include <QVector>
#include <QWidget>

namespace toccata::ui {

class LossPlot : public QWidget {
    Q_OBJECT
public:
    static inline const QColor kTrainColor{0x2e, 0x86, 0xde};
    static inline const QColor kEvalColor{0xe6, 0x7e, 0x22};

    explicit LossPlot(QWidget* parent = nullptr);

    /// Points are (step, loss), in step order.
    void setSeries(QVector<QPointF> train, QVector<QPointF> eval);
    /// One more point as training goes (cheap: no copy of the curves).
    void addTrainPoint(QPointF point);
    void addEvalPoint(QPointF point);
    /// The x axis runs to at least this step (the run's total), so progress reads at a glance.
    void setTotalSteps(int steps);
    void clear();

    int trainPointCount() const { return static_cast<int>(m_train.size()); }
    int evalPointCount() const { return static_cast<int>(m_eval.size()); }
    const QVector<QPointF>& trainPoints() const { return m_train; }
    const QVector<QPointF>& evalPoints() const { return m_eval; }
    int totalSteps() const { return m_totalSteps; }

    /// Round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi], at most about maxTicks.
    static QVector<double> niceTicks(double lo, double hi, int maxTicks);

    QSize sizeHint() const override { return {560, 260}; }
    QSize minimumSizeHint() const override { return {260, 140}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<QPointF> m_train;
    QVector<QPointF> m_eval;
    int m_totalSteps = 0;
};

}  // namespace toccata::ui
