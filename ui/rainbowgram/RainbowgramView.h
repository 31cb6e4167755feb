// RainbowgramView: the rainbowgram drawn on the piano roll's time axis. Time t sits at the same
// screen x as in the roll's viewport (mapped through global coordinates, so it holds however
// the docks are laid out); it repaints when the roll scrolls or zooms, draws the roll's
// playhead, loop and selection range, and hands the wheel to the roll (Ctrl+wheel zooms time,
// the plain wheel scrolls). Frequency runs up the left gutter (C2…C8), as wide as the roll's
// keyboard. Hovering reads out time, frequency, note, dB and instantaneous frequency. [ui]
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include "ui/rainbowgram/RainbowgramPicture.h"

namespace toccata::ui {

class PianoRollView;

class RainbowgramView : public QWidget {
    Q_OBJECT
public:
    /// What lies under a point of the view.
    struct Cell {
        bool valid = false;  // false outside the picture
        double seconds = 0.0;
        double frequencyHz = 0.0;  // the bin's centre
        QString noteName;          // "A4", nearest equal-tempered note
        double magnitudeDb = 0.0;
        double instantaneousHz = 0.0;  // phase-vocoder estimate of the bin
        double phaseAdvance = 0.0;     // the colour value, -1..1
        int frame = -1;
        int bin = -1;
    };

    explicit RainbowgramView(PianoRollView* roll, QWidget* parent = nullptr);

    void setPicture(RainbowgramPicturePtr picture);
    const RainbowgramPicturePtr& picture() const { return m_picture; }

    /// View x of song time `seconds` (the roll's viewport x of it, moved into this widget).
    double xForTime(double seconds) const;
    double timeForX(double x) const;
    /// y of the centre of fractional bin `bin` (bin 0 at the bottom).
    double yForBin(double bin) const;
    double binForY(double y) const;
    /// x where the playhead is drawn.
    double playheadX() const;
    /// The plot area: from the roll viewport's left edge (or the gutter's width) to the right.
    QRect plotRect() const;
    int gutterWidth() const;

    Cell cellAt(const QPointF& pos) const;
    /// "0:01.250 · 440.0 Hz (A4) · −3.2 dB · IF 440.3 Hz" for `pos`, "" outside the picture.
    QString readoutAt(const QPointF& pos) const;
    /// The readout at the last hovered point.
    const QString& readout() const { return m_readout; }

    static QString noteName(double frequencyHz);
    QSize sizeHint() const override { return {600, 260}; }

signals:
    void readoutChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void paintGutter(class QPainter& p, const QRect& plot) const;
    void paintRanges(class QPainter& p, const QRect& plot) const;
    void updateSelectionRange();
    int rollOriginX() const;  // this widget's x of the roll viewport's left edge
    /// The analysis layout in use (the picture's, or the defaults before there is one).
    const analysis::Rainbowgram& layout() const;

    QPointer<PianoRollView> m_roll;
    RainbowgramPicturePtr m_picture;
    analysis::Rainbowgram m_defaultLayout;
    QString m_readout;
    double m_selectionStart = 0.0;
    double m_selectionEnd = 0.0;
};

}  // namespace toccata::ui
