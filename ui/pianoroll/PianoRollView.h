// The piano roll editor: a keyboard (or drum-name) gutter, a bar/beat ruler with loop range
// and playhead, the document's notes coloured by track, and the ghost take. It reads the
// Document through its signals and edits it only through Document functions, one undo step
// per gesture. Painting and hit-testing go through NoteIndex, so a 10-minute performance with
// tens of thousands of notes stays smooth. Mouse work lives in RollEditTool, painting in
// RollPainter, the ruler in TimeRuler. Zoom: Ctrl+wheel (time), Shift+wheel (pitch), + / -. [ui]
#pragma once

#include <QAbstractScrollArea>
#include <QPointer>
#include <QSet>

#include <memory>

#include "app/Document.h"
#include "app/GhostTakes.h"
#include "ui/pianoroll/NoteIndex.h"
#include "ui/pianoroll/PianoRollGeometry.h"
#include "ui/pianoroll/SnapGrid.h"

class QAction;

namespace toccata::ui {

class KeyboardGutter;
class RollEditTool;
class TimeRuler;

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Tool { Draw, Select };
    enum class EditAction {
        Delete,
        Duplicate,
        Quantize,
        SelectAll,
        TransposeUp,
        TransposeDown,
        OctaveUp,
        OctaveDown,
        Count
    };
    static constexpr int kKeyboardWidth = 48;
    static constexpr int kDrumGutterWidth = 132;
    static constexpr int kRulerHeight = 24;

    explicit PianoRollView(QWidget* parent = nullptr);
    ~PianoRollView() override;

    // ---- Model ----
    void setDocument(app::Document* document);
    app::Document* document() const { return m_document; }
    /// Edits and new notes go to this instrument; other tracks are shown dimmed, read-only.
    void setCurrentTrack(int instrument);
    int currentTrack() const { return m_currentTrack; }
    bool isDrumTrack() const { return m_geometry.drumMode(); }
    void setGhostTakes(app::GhostTakes* takes);
    app::GhostTakes* ghostTakes() const { return m_ghosts; }

    // ---- Tools and selection ----
    void setTool(Tool tool);
    Tool tool() const { return m_tool; }
    void setSnap(SnapGrid::Value value);
    const SnapGrid& snapGrid() const { return m_grid; }
    app::NoteIds selectedNotes() const;
    bool isSelected(app::NoteId id) const { return m_selection.contains(id); }
    void setSelectedNotes(const app::NoteIds& ids);
    QAction* editAction(EditAction which) const;
    bool deleteSelection();
    bool duplicateSelection();  // copies right after the selection's end
    bool quantizeSelection();   // to the snap grid
    bool transposeSelection(int semitones);
    void selectAll();  // notes of the current track
    void clearSelection();

    // ---- Transport ----
    void setPlayheadSeconds(double seconds);
    double playheadSeconds() const { return m_playhead; }
    /// While following, a moving playhead that leaves the view pages the view.
    void setFollowPlayhead(bool follow) { m_follow = follow; }
    bool followsPlayhead() const { return m_follow; }
    void setLoopRange(double start, double end, bool enabled);
    double loopStart() const { return m_loopStart; }
    double loopEnd() const { return m_loopEnd; }
    bool loopEnabled() const { return m_loopEnabled; }

    // ---- View ----
    const PianoRollGeometry& rollGeometry() const { return m_geometry; }
    const NoteIndex& noteIndex() const { return m_index; }
    /// Notes drawn in the last paint (tests, status bar).
    int lastPaintedNoteCount() const { return m_lastPaintedNotes; }
    int gutterWidth() const;
    /// Content x of the viewport's left edge (lanes scroll with it).
    int horizontalOffset() const;
    /// Viewport position of (time, pitch) — the middle of that row.
    QPointF viewportPosition(double seconds, int pitch) const;
    QColor trackColour(int instrument) const;
    /// Zooms time around the viewport centre by `factor` (> 1 zooms in).
    void zoomTime(double factor);
    void zoomPitch(double factor);
    /// Scrolls vertically so the current track's (or all) notes are centred.
    void centreOnNotes();
    void scrollToTime(double seconds);

signals:
    void currentTrackChanged(int instrument);
    /// The user clicked a note of another track.
    void currentTrackRequested(int instrument);
    void seekRequested(double seconds);
    void loopRangeEdited(double start, double end);
    void selectionChanged();
    /// Alt+drag started on a selected note: the owner may start an external drag.
    void selectionDragRequested();
    /// Scroll, zoom, notes or gutter changed: lanes sharing the time axis repaint.
    void viewChanged();
    void toolChanged(toccata::ui::PianoRollView::Tool tool);
    void snapChanged(toccata::ui::SnapGrid::Value value);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    friend class RollEditTool;
    void updateActions();
    void rebuild();  // re-reads the whole document
    void onNotesChanged(const app::NoteIds& ids);
    void onNotesRemoved(const app::NoteIds& ids);
    void updateTrackMode();
    void updateScrollBars();
    void layoutMargins();
    void setSelection(QSet<app::NoteId> selection);
    QPointF contentPosition(const QPointF& viewportPos) const;
    QRect viewportRectFor(const RollNote& n) const;

    QPointer<app::Document> m_document;
    QPointer<app::GhostTakes> m_ghosts;
    NoteIndex m_index;
    SnapGrid m_grid;
    PianoRollGeometry m_geometry;
    QSet<app::NoteId> m_selection;
    int m_currentTrack = 0;
    Tool m_tool = Tool::Draw;
    double m_totalTime = 0.0;
    double m_pianoRowHeight = 9.0;
    double m_playhead = 0.0;
    bool m_follow = false;
    double m_loopStart = 0.0;
    double m_loopEnd = 0.0;
    bool m_loopEnabled = false;
    KeyboardGutter* m_keyboard;  // child widget in the left viewport margin
    TimeRuler* m_ruler;          // child widget in the top viewport margin
    std::unique_ptr<RollEditTool> m_editTool;
    std::unique_ptr<class PianoRollActions> m_actionSet;
    int m_lastPaintedNotes = 0;
};

}  // namespace toccata::ui
