#include "ui/pianoroll/RollEditTool.h"

#include <QMouseEvent>
#include <QWidget>

#include <algorithm>
#include <cmath>

#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

namespace {
constexpr double kDragThreshold = 3.0;  // pixels before a press becomes a drag
constexpr double kEdgeWidth = 6.0;      // pixels of a note's right edge that resize
}  // namespace

RollEditTool::RollEditTool(PianoRollView& view) : m_view(view) {}

double RollEditTool::minHitSeconds() const {
    const PianoRollGeometry& g = m_view.m_geometry;
    return g.drumMode() ? g.timeForX(g.drumHitWidth()) : 0.0;
}

const RollNote* RollEditTool::noteAt(QPointF pos) const {
    const PianoRollGeometry& g = m_view.m_geometry;
    if (pos.y() < 0 || pos.y() >= g.contentHeight()) return nullptr;
    return m_view.m_index.hitTest(g.timeForX(pos.x()), g.pitchForY(pos.y()), m_view.m_currentTrack,
                                  minHitSeconds());
}

bool RollEditTool::onRightEdge(const RollNote& note, QPointF pos) const {
    const PianoRollGeometry& g = m_view.m_geometry;
    if (g.drumMode()) return false;
    const QRectF r = g.noteRect(note.start, note.end, note.pitch);
    return pos.x() >= r.right() - std::min(kEdgeWidth, r.width() / 3.0);
}

Qt::CursorShape RollEditTool::cursorAt(QPointF pos) const {
    if (m_mode == Mode::Resize) return Qt::SizeHorCursor;
    if (m_mode == Mode::Move) return Qt::ClosedHandCursor;
    const RollNote* hit = noteAt(pos);
    if (!hit) return m_view.m_tool == PianoRollView::Tool::Draw ? Qt::CrossCursor : Qt::ArrowCursor;
    if (hit->instrument != m_view.m_currentTrack) return Qt::PointingHandCursor;
    return onRightEdge(*hit, pos) ? Qt::SizeHorCursor : Qt::OpenHandCursor;
}

void RollEditTool::press(QMouseEvent* event, QPointF pos) {
    reset();
    if (!m_view.m_document) return;
    const Qt::KeyboardModifiers mods = event->modifiers();
    const RollNote* hit = noteAt(pos);
    if (event->button() == Qt::RightButton) {  // erase, as in most rolls
        if (hit && hit->instrument == m_view.m_currentTrack)
            m_view.m_document->removeNotes({hit->id});
        return;
    }
    if (event->button() != Qt::LeftButton) return;
    m_origin = pos;
    if (hit && hit->instrument != m_view.m_currentTrack) {
        emit m_view.currentTrackRequested(hit->instrument);
        return;
    }
    if (hit) {
        if ((mods & Qt::AltModifier) && m_view.isSelected(hit->id)) {
            emit m_view.selectionDragRequested();
            return;
        }
        if (mods & (Qt::ShiftModifier | Qt::ControlModifier)) {
            QSet<app::NoteId> selection = m_view.m_selection;
            if (!selection.remove(hit->id)) selection.insert(hit->id);
            m_view.setSelection(selection);
            return;
        }
        if (!m_view.isSelected(hit->id)) m_view.setSelection({hit->id});
        m_anchor = *hit;
        if (!m_view.m_geometry.drumMode()) m_lastLength = hit->end - hit->start;
        m_lastVelocity = hit->velocity;
        for (app::NoteId id : m_view.m_selection)
            if (const RollNote* n = m_view.m_index.find(id)) m_originals.push_back(*n);
        m_mode = onRightEdge(*hit, pos) ? Mode::Resize : Mode::Move;
        return;
    }
    if (pos.y() < 0 || pos.y() >= m_view.m_geometry.contentHeight()) return;
    if (m_view.m_tool == PianoRollView::Tool::Draw &&
        !(mods & (Qt::ShiftModifier | Qt::ControlModifier))) {
        m_view.setSelection({});
        m_mode = Mode::Draw;
        updateDraw(pos, !(mods & Qt::AltModifier));
    } else {
        m_baseSelection = (mods & (Qt::ShiftModifier | Qt::ControlModifier)) ? m_view.m_selection
                                                                             : QSet<app::NoteId>();
        m_view.setSelection(m_baseSelection);
        m_mode = Mode::Rubber;
        m_band = QRectF(pos, pos);
    }
    m_view.viewport()->update();
}

void RollEditTool::move(QMouseEvent* event, QPointF pos) {
    if (m_mode == Mode::None) return;
    if (!m_moved && (pos - m_origin).manhattanLength() < kDragThreshold) return;
    m_moved = true;
    const bool snap = !(event->modifiers() & Qt::AltModifier);
    switch (m_mode) {
        case Mode::Draw: updateDraw(pos, snap); break;
        case Mode::Move: updateMove(pos, snap); break;
        case Mode::Resize: updateResize(pos, snap); break;
        case Mode::Rubber: updateRubber(pos); break;
        case Mode::None: break;
    }
    m_view.viewport()->update();
}

void RollEditTool::updateDraw(QPointF pos, bool snap) {
    const PianoRollGeometry& g = m_view.m_geometry;
    const SnapGrid& grid = m_view.m_grid;
    const double pressTime = g.timeForX(m_origin.x());
    const double start = snap ? grid.snapDown(pressTime) : std::max(0.0, pressTime);
    double length = g.drumMode() ? grid.stepSeconds(start)
                                 : (m_lastLength > 0.0 ? m_lastLength : grid.stepSeconds(start));
    if (m_moved && !g.drumMode()) {
        // Dragging right while drawing sets the length (at least one grid step).
        const double t = g.timeForX(pos.x());
        const double end = snap ? grid.snap(t) : t;
        const double minimum = snap ? grid.stepSeconds(start) : app::Document::kMinNoteSeconds;
        length = std::max(minimum, end - start);
    }
    RollNote n;
    n.start = start;
    n.end = start + length;
    n.pitch = g.pitchForY(m_origin.y());
    n.velocity = m_lastVelocity;
    n.instrument = m_view.m_currentTrack;
    m_preview = {n};
}

void RollEditTool::updateMove(QPointF pos, bool snap) {
    const PianoRollGeometry& g = m_view.m_geometry;
    double dt = g.timeForX(pos.x() - m_origin.x());
    if (snap && !m_view.m_grid.isOff())
        dt = m_view.m_grid.snap(m_anchor.start + dt) - m_anchor.start;
    int dp = g.pitchForY(pos.y()) - g.pitchForY(m_origin.y());
    double earliest = m_anchor.start;
    int low = m_anchor.pitch;
    int high = m_anchor.pitch;
    for (const RollNote& n : m_originals) {
        earliest = std::min(earliest, n.start);
        low = std::min(low, n.pitch);
        high = std::max(high, n.pitch);
    }
    dt = std::max(dt, -earliest);
    dp = std::clamp(dp, g.lowPitch() - low, g.highPitch() - high);
    m_preview = m_originals;
    m_hidden.clear();
    for (RollNote& n : m_preview) {
        n.start += dt;
        n.end += dt;
        n.pitch += dp;
        m_hidden.insert(n.id);
    }
}

void RollEditTool::updateResize(QPointF pos, bool snap) {
    const PianoRollGeometry& g = m_view.m_geometry;
    double end = m_anchor.end + g.timeForX(pos.x() - m_origin.x());
    if (snap && !m_view.m_grid.isOff()) end = m_view.m_grid.snap(end);
    const double minimum = snap && !m_view.m_grid.isOff()
                               ? m_view.m_grid.stepSeconds(m_anchor.start)
                               : app::Document::kMinNoteSeconds;
    end = std::max(end, m_anchor.start + minimum);
    const double delta = end - m_anchor.end;
    m_preview = m_originals;
    m_hidden.clear();
    for (RollNote& n : m_preview) {
        n.end = std::max(n.start + app::Document::kMinNoteSeconds, n.end + delta);
        m_hidden.insert(n.id);
    }
}

void RollEditTool::updateRubber(QPointF pos) {
    const PianoRollGeometry& g = m_view.m_geometry;
    m_band = QRectF(m_origin, pos).normalized();
    QSet<app::NoteId> selection = m_baseSelection;
    const int top = g.pitchForY(m_band.top());
    const int bottom = g.pitchForY(m_band.bottom());
    const double t0 = g.timeForX(m_band.left());
    const double t1 = g.timeForX(m_band.right());
    for (int pitch = bottom; pitch <= top; ++pitch) {
        m_view.m_index.forEachInRow(pitch, t0, t1, minHitSeconds(), [&](const RollNote& n) {
            if (n.instrument == m_view.m_currentTrack) selection.insert(n.id);
        });
    }
    m_view.setSelection(selection);
}

void RollEditTool::release(QMouseEvent* /*event*/, QPointF /*pos*/) {
    if (m_mode == Mode::None) return;
    commit();
    reset();
    m_view.viewport()->update();
}

void RollEditTool::commit() {
    app::Document* doc = m_view.m_document;
    if (!doc) return;
    switch (m_mode) {
        case Mode::Draw: {
            if (m_preview.empty()) return;
            const RollNote& n = m_preview.front();
            const app::NoteIds ids =
                addToCurrentTrack({newNote(n.start, n.end, n.pitch)}, QObject::tr("Draw Note"));
            if (!m_view.m_geometry.drumMode() && m_moved) m_lastLength = n.end - n.start;
            m_view.setSelection(QSet<app::NoteId>(ids.begin(), ids.end()));
            return;
        }
        case Mode::Move:
        case Mode::Resize: {
            if (!m_moved) {
                // A click on one note of a larger selection selects just that note.
                if (m_originals.size() > 1) m_view.setSelection({m_anchor.id});
                return;
            }
            app::NoteIds ids;
            std::vector<core::Note> after;
            for (const RollNote& p : m_preview) {
                const core::Note* n = doc->note(p.id);
                if (!n) continue;
                core::Note m = *n;
                m.startTime = p.start;
                m.endTime = p.end;
                m.pitch = p.pitch;
                ids.push_back(p.id);
                after.push_back(m);
            }
            const bool moving = m_mode == Mode::Move;
            doc->changeNotes(ids, after,
                             moving ? QObject::tr("Move Notes") : QObject::tr("Resize Notes"));
            if (!moving) {
                const auto it =
                    std::find_if(m_preview.begin(), m_preview.end(),
                                 [&](const RollNote& p) { return p.id == m_anchor.id; });
                if (it != m_preview.end()) m_lastLength = it->end - it->start;
            }
            return;
        }
        case Mode::Rubber:
        case Mode::None: return;
    }
}

void RollEditTool::doubleClick(QMouseEvent* event, QPointF pos) {
    if (event->button() != Qt::LeftButton || !m_view.m_document) return;
    if (m_view.m_tool != PianoRollView::Tool::Select) return;  // draw already drew on press
    reset();
    const RollNote* hit = noteAt(pos);
    if (hit && hit->instrument == m_view.m_currentTrack) {
        m_view.m_document->removeNotes({hit->id});
        return;
    }
    if (hit || pos.y() < 0 || pos.y() >= m_view.m_geometry.contentHeight()) return;
    m_origin = pos;
    m_mode = Mode::Draw;
    updateDraw(pos, !(event->modifiers() & Qt::AltModifier));
    commit();
    reset();
}

app::NoteIds RollEditTool::addToCurrentTrack(std::vector<core::Note> notes, const QString& text) {
    if (!m_view.m_document || notes.empty()) return {};
    if (m_view.m_document->trackIndex(m_view.m_currentTrack) >= 0)
        return m_view.m_document->addNotes(notes, text);
    // An empty document has no track yet: create one in the same undo step.
    QUndoStack* stack = m_view.m_document->undoStack();
    stack->beginMacro(text);
    const int track = m_view.m_document->addTrack(
        QObject::tr("Track %1").arg(m_view.m_document->tracks().size() + 1));
    for (core::Note& n : notes) n.instrument = track;
    const app::NoteIds ids = m_view.m_document->addNotes(notes, text);
    stack->endMacro();
    m_view.setCurrentTrack(track);
    return ids;
}

core::Note RollEditTool::newNote(double start, double end, int pitch) const {
    core::Note n;
    n.pitch = pitch;
    n.velocity = m_lastVelocity;
    n.startTime = start;
    n.endTime = end;
    n.instrument = m_view.m_currentTrack;
    if (m_view.m_document) {
        const app::TrackState state = m_view.m_document->trackState(m_view.m_currentTrack);
        n.program = state.program;
        n.isDrum = state.isDrum || m_view.m_geometry.drumMode();
    }
    return n;
}

void RollEditTool::cancel() {
    reset();
    m_view.viewport()->update();
}

void RollEditTool::reset() {
    m_mode = Mode::None;
    m_moved = false;
    m_originals.clear();
    m_preview.clear();
    m_hidden.clear();
    m_baseSelection.clear();
    m_band = QRectF();
}

}  // namespace toccata::ui
