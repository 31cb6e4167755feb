// RollEditTool: the piano roll's mouse gestures — draw, select (click, Shift/Ctrl toggle,
// rubber band), move (snapped; Alt bypasses), resize by the right edge, right-click erase,
// Alt+drag of the selection to the outside. While dragging it only keeps a preview; the
// document is edited once, at release, so every gesture is one undo step. [ui]
#pragma once

#include <QPointF>
#include <QRectF>
#include <QSet>

#include <vector>

#include "app/Document.h"
#include "ui/pianoroll/NoteIndex.h"

class QMouseEvent;

namespace toccata::ui {

class PianoRollView;

class RollEditTool {
public:
    explicit RollEditTool(PianoRollView& view);

    /// Positions are in content coordinates (pixels from time 0 / the top row).
    void press(QMouseEvent* event, QPointF pos);
    void move(QMouseEvent* event, QPointF pos);
    void release(QMouseEvent* event, QPointF pos);
    void doubleClick(QMouseEvent* event, QPointF pos);
    /// Drops a gesture in progress without editing (e.g. the document was reset).
    void cancel();
    bool isActive() const { return m_mode != Mode::None; }
    Qt::CursorShape cursorAt(QPointF pos) const;

    /// Notes to draw in place of `hidden()` while dragging.
    const std::vector<RollNote>& preview() const { return m_preview; }
    const QSet<app::NoteId>& hidden() const { return m_hidden; }
    /// Rubber band in content coordinates; empty when none.
    QRectF rubberBand() const { return m_mode == Mode::Rubber ? m_band : QRectF(); }

    /// Length of the next drawn note (seconds; 0 = one grid step) and its velocity.
    double lastLength() const { return m_lastLength; }
    int lastVelocity() const { return m_lastVelocity; }

private:
    enum class Mode { None, Draw, Move, Resize, Rubber };
    const RollNote* noteAt(QPointF pos) const;
    bool onRightEdge(const RollNote& note, QPointF pos) const;
    double minHitSeconds() const;
    void updateDraw(QPointF pos, bool snap);
    void updateMove(QPointF pos, bool snap);
    void updateResize(QPointF pos, bool snap);
    void updateRubber(QPointF pos);
    void commit();
    /// Adds notes to the current track (creating the track if the document has none).
    app::NoteIds addToCurrentTrack(std::vector<core::Note> notes, const QString& text);
    core::Note newNote(double start, double end, int pitch) const;
    void reset();

    PianoRollView& m_view;
    Mode m_mode = Mode::None;
    QPointF m_origin;
    bool m_moved = false;               // past the drag threshold
    RollNote m_anchor;                  // the note under the mouse at press
    std::vector<RollNote> m_originals;  // selection at press
    std::vector<RollNote> m_preview;
    QSet<app::NoteId> m_hidden;
    QSet<app::NoteId> m_baseSelection;  // rubber band adds to this
    QRectF m_band;
    double m_lastLength = 0.0;
    int m_lastVelocity = 100;
};

}  // namespace toccata::ui
