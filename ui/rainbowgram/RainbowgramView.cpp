#include "ui/rainbowgram/RainbowgramView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

namespace {

constexpr int kTopPad = 4;
constexpr int kBottomPad = 4;
const QColor kBackground(0x10, 0x11, 0x14);
const QColor kGutter(0x2c, 0x2e, 0x34);

QString timeText(double seconds) {
    const bool negative = seconds < 0;
    const int ms = static_cast<int>(std::lround(std::abs(seconds) * 1000.0));
    return QString("%1%2:%3.%4")
        .arg(negative ? "−" : "")
        .arg(ms / 60000)
        .arg((ms / 1000) % 60, 2, 10, QChar('0'))
        .arg(ms % 1000, 3, 10, QChar('0'));
}

}  // namespace

RainbowgramView::RainbowgramView(PianoRollView* roll, QWidget* parent)
    : QWidget(parent), m_roll(roll) {
    setObjectName("RainbowgramView");
    setMouseTracking(true);
    setMinimumHeight(120);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_defaultLayout.sampleRate = 44100;
    m_defaultLayout.bins = analysis::CqtSettings{}.binCount;
    connect(roll, &PianoRollView::viewChanged, this, qOverload<>(&QWidget::update));
    connect(roll, &PianoRollView::selectionChanged, this, &RainbowgramView::updateSelectionRange);
    // The roll's viewport moving or resizing (dock layout, window size) moves our time axis.
    roll->viewport()->installEventFilter(this);
}

void RainbowgramView::setPicture(RainbowgramPicturePtr picture) {
    m_picture = std::move(picture);
    update();
}

const analysis::Rainbowgram& RainbowgramView::layout() const {
    return m_picture && m_picture->gram.bins > 0 ? m_picture->gram : m_defaultLayout;
}

int RainbowgramView::gutterWidth() const {
    return m_roll ? m_roll->gutterWidth() : PianoRollView::kKeyboardWidth;
}

QRect RainbowgramView::plotRect() const {
    // The plot starts where the roll's viewport starts, so the gutter sits under the roll's
    // keyboard whatever the dock layout (at least a gutter's width in, to show the labels).
    int left = gutterWidth();
    if (m_roll) left = std::max(left, rollOriginX());
    return QRect(left, kTopPad, std::max(0, width() - left),
                 std::max(1, height() - kTopPad - kBottomPad));
}

int RainbowgramView::rollOriginX() const {
    return m_roll ? mapFromGlobal(m_roll->viewport()->mapToGlobal(QPoint(0, 0))).x() : 0;
}

double RainbowgramView::xForTime(double seconds) const {
    if (!m_roll) return 0.0;
    // Widget positions are whole pixels, so the origin maps exactly; the roll's x of t is
    // xForTime(t) - horizontalOffset() in its viewport.
    return rollOriginX() + m_roll->rollGeometry().xForTime(seconds) - m_roll->horizontalOffset();
}

double RainbowgramView::timeForX(double x) const {
    if (!m_roll) return 0.0;
    return m_roll->rollGeometry().timeForX(x - rollOriginX() + m_roll->horizontalOffset());
}

double RainbowgramView::yForBin(double bin) const {
    const QRect plot = plotRect();
    const int bins = std::max(1, layout().bins);
    return plot.top() + plot.height() - (bin + 0.5) * plot.height() / bins;
}

double RainbowgramView::binForY(double y) const {
    const QRect plot = plotRect();
    const int bins = std::max(1, layout().bins);
    return (plot.top() + plot.height() - y) * bins / plot.height() - 0.5;
}

double RainbowgramView::playheadX() const {
    return m_roll ? xForTime(m_roll->playheadSeconds()) : 0.0;
}

QString RainbowgramView::noteName(double frequencyHz) {
    if (!(frequencyHz > 0.0)) return {};
    static const char* kNames[] = {"C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"};
    const int midi = static_cast<int>(std::lround(69.0 + 12.0 * std::log2(frequencyHz / 440.0)));
    const int octave = midi / 12 - 1;
    return QString("%1%2").arg(kNames[((midi % 12) + 12) % 12]).arg(octave);
}

RainbowgramView::Cell RainbowgramView::cellAt(const QPointF& pos) const {
    Cell cell;
    if (!m_picture || m_picture->gram.frames <= 0 || !plotRect().contains(pos.toPoint()))
        return cell;
    const analysis::Rainbowgram& g = m_picture->gram;
    const double t = timeForX(pos.x());
    const double step = m_picture->frameStep();
    const int frame = static_cast<int>(std::lround((t - m_picture->startSeconds) / step));
    const int bin = static_cast<int>(std::lround(binForY(pos.y())));
    if (frame < 0 || frame >= g.frames || bin < 0 || bin >= g.bins) return cell;
    const size_t i = g.index(frame, bin);
    cell.valid = true;
    cell.seconds = t;
    cell.frame = frame;
    cell.bin = bin;
    cell.frequencyHz = g.binFrequency(bin);
    cell.noteName = noteName(cell.frequencyHz);
    cell.magnitudeDb = g.magnitudeDb[i];
    cell.instantaneousHz = g.frequencyHz[i];
    cell.phaseAdvance = g.phaseAdvance[i];
    return cell;
}

QString RainbowgramView::readoutAt(const QPointF& pos) const {
    const Cell c = cellAt(pos);
    if (!c.valid) return {};
    return tr("%1 · %2 Hz (%3) · %4 dB · IF %5 Hz")
        .arg(timeText(c.seconds))
        .arg(c.frequencyHz, 0, 'f', 1)
        .arg(c.noteName)
        .arg(c.magnitudeDb, 0, 'f', 1)
        .arg(c.instantaneousHz, 0, 'f', 1);
}

void RainbowgramView::updateSelectionRange() {
    m_selectionStart = m_selectionEnd = 0.0;
    if (m_roll && m_roll->document()) {
        bool first = true;
        for (app::NoteId id : m_roll->selectedNotes()) {
            const core::Note* n = m_roll->document()->note(id);
            if (!n) continue;
            m_selectionStart = first ? n->startTime : std::min(m_selectionStart, n->startTime);
            m_selectionEnd = first ? n->endTime : std::max(m_selectionEnd, n->endTime);
            first = false;
        }
    }
    update();
}

// ---- Painting -------------------------------------------------------------------------------

void RainbowgramView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const QRect plot = plotRect();
    p.save();
    p.setClipRect(plot);
    if (m_picture && !m_picture->image.isNull()) {
        // Only the frames in view are scaled: a long song at a close zoom stays cheap.
        const RainbowgramPicture& pic = *m_picture;
        const double step = pic.frameStep();
        const double t0 = timeForX(plot.left());
        const double t1 = timeForX(plot.right() + 1);
        const int f0 = std::clamp(
            static_cast<int>(std::floor((t0 - pic.startSeconds) / step - 0.5)), 0, pic.gram.frames);
        const int f1 = std::clamp(static_cast<int>(std::ceil((t1 - pic.startSeconds) / step + 0.5)),
                                  0, pic.gram.frames);
        if (f1 > f0) {
            const double left = xForTime(pic.frameTime(f0) - step / 2);
            const double right = xForTime(pic.frameTime(f1 - 1) + step / 2);
            p.drawImage(QRectF(left, plot.top(), right - left, plot.height()), pic.image,
                        QRectF(f0, 0, f1 - f0, pic.image.height()));
        }
    }
    paintRanges(p, plot);
    p.restore();
    paintGutter(p, plot);
}

void RainbowgramView::paintRanges(QPainter& p, const QRect& plot) const {
    if (!m_roll) return;
    const auto band = [&](double start, double end, const QColor& colour) {
        if (end <= start) return;
        const double a = xForTime(start);
        const double b = xForTime(end);
        p.fillRect(QRectF(a, plot.top(), b - a, plot.height()), colour);
        p.setPen(QColor(colour.red(), colour.green(), colour.blue(), 140));
        p.drawLine(QPointF(a, plot.top()), QPointF(a, plot.bottom()));
        p.drawLine(QPointF(b, plot.top()), QPointF(b, plot.bottom()));
    };
    band(m_roll->loopStart(), m_roll->loopEnd(),
         m_roll->loopEnabled() ? QColor(120, 200, 255, 40) : QColor(120, 200, 255, 18));
    band(m_selectionStart, m_selectionEnd, QColor(255, 255, 255, 28));
    const double x = playheadX();
    p.setPen(QPen(QColor(255, 90, 70), 1.5));
    p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
}

void RainbowgramView::paintGutter(QPainter& p, const QRect& plot) const {
    const int gutterLeft = plot.left() - gutterWidth();
    p.fillRect(QRect(gutterLeft, 0, gutterWidth(), height()), kGutter);
    const analysis::Rainbowgram& g = layout();
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    // C2 … C8: MIDI 36 … 108 (C_n is MIDI 12·(n+1)).
    for (int octave = 0; octave <= 10; ++octave) {
        const double hz = 440.0 * std::pow(2.0, (12.0 * (octave + 1) - 69.0) / 12.0);
        const double bin = g.binForFrequency(hz);
        if (bin < -0.5 || bin > g.bins + 1e-6) continue;  // C8 (bin 240) is the top edge
        const double y = yForBin(bin);
        p.setPen(QColor(0xff, 0xff, 0xff, 40));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(QColor(0xc8, 0xcc, 0xd4));
        p.drawLine(QPointF(plot.left() - 5, y), QPointF(plot.left(), y));
        p.drawText(QRectF(gutterLeft + 2, y - 7, gutterWidth() - 9, 14),
                   Qt::AlignRight | Qt::AlignVCenter, QString("C%1").arg(octave));
    }
}

// ---- Input ----------------------------------------------------------------------------------

void RainbowgramView::mouseMoveEvent(QMouseEvent* event) {
    const QString text = readoutAt(event->position());
    if (text != m_readout) {
        m_readout = text;
        emit readoutChanged(text);
    }
}

void RainbowgramView::leaveEvent(QEvent* /*event*/) {
    if (m_readout.isEmpty()) return;
    m_readout.clear();
    emit readoutChanged({});
}

void RainbowgramView::wheelEvent(QWheelEvent* event) {
    if (!m_roll) return;
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        m_roll->zoomTime(std::pow(1.25, delta.y() / 120.0));
    } else {
        // Either wheel direction scrolls time, as the roll's Alt+wheel does.
        const double steps = (delta.x() != 0 ? delta.x() : delta.y()) / 120.0;
        QScrollBar* bar = m_roll->horizontalScrollBar();
        bar->setValue(bar->value() - static_cast<int>(steps * bar->singleStep() * 3));
    }
    event->accept();
}

bool RainbowgramView::eventFilter(QObject* watched, QEvent* event) {
    if (m_roll && watched == m_roll->viewport() &&
        (event->type() == QEvent::Resize || event->type() == QEvent::Move))
        update();
    return QWidget::eventFilter(watched, event);
}

}  // namespace toccata::ui
