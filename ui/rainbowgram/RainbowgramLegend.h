// RainbowgramLegend: how to read the rainbowgram — the colour scale (phase advance per hop,
// −1…1, through the same rainbow colormap as the image), the brightness scale (0 to −range
// dB) and one line saying what they mean. NSynth's colours are instantaneous frequency, not
// embedding dimensions (reference/magenta-book-ch5-9.md, E2). [ui]
#pragma once

#include <QWidget>

namespace toccata::ui {

class RainbowgramLegend : public QWidget {
    Q_OBJECT
public:
    explicit RainbowgramLegend(QWidget* parent = nullptr);

    /// The dB range of the brightness scale (the analysis' rangeDb).
    void setRangeDb(double rangeDb);
    double rangeDb() const { return m_rangeDb; }
    /// The explanation shown under the scales.
    static QString explanation();

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double m_rangeDb = 70.0;
};

}  // namespace toccata::ui
