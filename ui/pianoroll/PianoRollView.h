// The piano roll: a keyboard gutter, a bar/beat grid that follows the time signatures, and
// the document's notes coloured by track. Paints only what is visible, so a 10-minute
// performance with tens of thousands of notes scrolls smoothly. Zoom: Ctrl+wheel (time),
// Shift+wheel (pitch), or the + / - keys.
#pragma once

#include <QAbstractScrollArea>
#include <optional>
#include <vector>

#include "core/NoteSequence.h"
#include "core/TempoMap.h"
#include "ui/pianoroll/KeyboardGutter.h"
#include "ui/pianoroll/PianoRollGeometry.h"

namespace toccata::ui {

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kKeyboardWidth = 48;

    explicit PianoRollView(QWidget* parent = nullptr);

    void setSequence(const core::NoteSequence& sequence);
    const PianoRollGeometry& rollGeometry() const { return m_geometry; }
    /// Number of notes drawn in the last paint (for tests and the status bar).
    int lastPaintedNoteCount() const { return m_lastPaintedNotes; }
    /// Zooms time around the viewport centre by `factor` (> 1 zooms in).
    void zoomTime(double factor);
    void zoomPitch(double factor);
    /// Scrolls vertically so the sequence's pitch range is centred.
    void centreOnNotes();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct DrawnNote {
        double start;
        double end;
        int pitch;
        int velocity;
        int track;  // index into the track colour table
    };
    void updateScrollBars();
    void paintGrid(class QPainter& p, const QRectF& visible) const;
    void paintNotes(QPainter& p, const QRectF& visible);

    std::optional<core::MeterMap> m_meter;  // bar grid of the shown sequence
    double m_totalTime = 0.0;
    std::vector<DrawnNote> m_notes;  // sorted by start
    double m_longestNote = 0.0;
    PianoRollGeometry m_geometry;
    KeyboardGutter* m_keyboard;  // child widget in the left viewport margin
    int m_lastPaintedNotes = 0;
};

}  // namespace toccata::ui
