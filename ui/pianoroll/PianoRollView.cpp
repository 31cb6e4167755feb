#include "ui/pianoroll/PianoRollView.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "app/GhostTakes.h"
#include "ui/TrackColors.h"
#include "ui/pianoroll/KeyboardGutter.h"
#include "ui/pianoroll/NoteEditCommands.h"
#include "ui/pianoroll/PianoRollActions.h"
#include "ui/pianoroll/RollEditTool.h"
#include "ui/pianoroll/RollPainter.h"
#include "ui/pianoroll/TimeRuler.h"

namespace toccata::ui {

namespace {
constexpr double kTrailingSeconds = 8.0;  // room to scroll (and draw) past the end
constexpr int kFirstGmDrum = 35;
constexpr int kLastGmDrum = 81;
constexpr double kDrumRowHeight = 16.0;
constexpr int kCheapRepaintLimit = 32;  // more changed notes than this: repaint everything
}  // namespace

PianoRollView::PianoRollView(QWidget* parent)
    : QAbstractScrollArea(parent),
      m_keyboard(new KeyboardGutter(m_geometry, this)),
      m_ruler(new TimeRuler(*this, this)),
      m_editTool(std::make_unique<RollEditTool>(*this)) {
    m_keyboard->setObjectName("PianoRollGutter");
    m_ruler->setObjectName("PianoRollRuler");
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    horizontalScrollBar()->setSingleStep(20);
    verticalScrollBar()->setSingleStep(static_cast<int>(m_geometry.rowHeight()));
    connect(m_ruler, &TimeRuler::seekRequested, this, [this](double seconds) {
        setPlayheadSeconds(seconds);
        emit seekRequested(seconds);
    });
    connect(m_ruler, &TimeRuler::loopRangeEdited, this, &PianoRollView::loopRangeEdited);
    m_actionSet = std::make_unique<PianoRollActions>(*this);
    layoutMargins();
    updateScrollBars();
}

PianoRollView::~PianoRollView() = default;

// ---- Model ----

void PianoRollView::setDocument(app::Document* document) {
    if (m_document) disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_editTool->cancel();
    m_selection.clear();
    if (m_document) {
        connect(m_document, &app::Document::notesAdded, this,
                [this](const app::NoteIds& ids) { onNotesChanged(ids); });
        connect(m_document, &app::Document::notesChanged, this, &PianoRollView::onNotesChanged);
        connect(m_document, &app::Document::notesRemoved, this, &PianoRollView::onNotesRemoved);
        connect(m_document, &app::Document::reset, this, &PianoRollView::rebuild);
    }
    rebuild();
}

void PianoRollView::rebuild() {
    m_editTool->cancel();
    const bool fresh = !m_document || m_document->undoStack()->count() == 0;
    if (m_document) {
        m_index.rebuild(*m_document);
        m_grid.setSequence(m_document->sequence());
        m_totalTime = m_document->sequence().totalTime;
    } else {
        m_index.clear();
        m_grid.setSequence({});
        m_totalTime = 0.0;
    }
    QSet<app::NoteId> kept;
    for (app::NoteId id : m_selection)
        if (m_index.find(id)) kept.insert(id);
    const bool trackGone = m_document && m_document->trackIndex(m_currentTrack) < 0;
    if ((fresh || trackGone) && m_document && !m_document->tracks().empty()) {
        m_currentTrack = m_document->tracks().front().instrument;
        emit currentTrackChanged(m_currentTrack);
    }
    updateTrackMode();
    setSelection(kept);
    if (fresh) {  // a newly loaded document: start at the beginning, centred on its notes
        horizontalScrollBar()->setValue(0);
        centreOnNotes();
    }
    viewport()->update();
    m_ruler->update();
    emit viewChanged();
}

void PianoRollView::onNotesChanged(const app::NoteIds& ids) {
    // Repaint the old and new places of a few notes; anything bigger repaints everything.
    QRegion dirty;
    const bool cheap = ids.size() <= kCheapRepaintLimit;
    if (cheap)
        for (app::NoteId id : ids)
            if (const RollNote* n = m_index.find(id)) dirty += viewportRectFor(*n);
    m_index.rebuild(*m_document);
    if (cheap)
        for (app::NoteId id : ids)
            if (const RollNote* n = m_index.find(id)) dirty += viewportRectFor(*n);
    if (m_document->sequence().totalTime != m_totalTime) {
        m_totalTime = m_document->sequence().totalTime;
        updateScrollBars();
    }
    if (cheap)
        viewport()->update(dirty);
    else
        viewport()->update();
    updateActions();
    emit viewChanged();
}

void PianoRollView::onNotesRemoved(const app::NoteIds& ids) {
    onNotesChanged(ids);  // rects come from the index before it forgets them
    QSet<app::NoteId> selection = m_selection;
    for (app::NoteId id : ids) selection.remove(id);
    setSelection(selection);
}

QRect PianoRollView::viewportRectFor(const RollNote& n) const {
    const QRectF r =
        m_geometry.noteRect(n.start, n.end, n.pitch)
            .translated(-horizontalScrollBar()->value(), -verticalScrollBar()->value());
    return r.toAlignedRect().adjusted(-2, -2, 2, 2);
}

void PianoRollView::setCurrentTrack(int instrument) {
    if (instrument == m_currentTrack) return;
    m_editTool->cancel();
    m_currentTrack = instrument;
    setSelection({});
    updateTrackMode();
    viewport()->update();
    emit currentTrackChanged(instrument);
    emit viewChanged();
}

void PianoRollView::updateTrackMode() {
    bool drums = false;
    if (m_document) {
        const int index = m_document->trackIndex(m_currentTrack);
        drums = m_document->trackState(m_currentTrack).isDrum ||
                (index >= 0 &&
                 m_document->sequence().instrumentInfos[index].midiChannel == core::kDrumChannel);
    }
    const bool wasDrums = m_geometry.drumMode();
    m_geometry.setDrumMode(drums);
    if (drums) {
        int lo = kFirstGmDrum;
        int hi = kLastGmDrum;
        int usedLo = 0;
        int usedHi = 0;
        if (m_index.pitchRange(m_currentTrack, &usedLo, &usedHi)) {
            lo = std::min(lo, usedLo);
            hi = std::max(hi, usedHi);
        }
        m_geometry.setPitchRange(lo, hi);
        if (!wasDrums) {
            m_pianoRowHeight = m_geometry.rowHeight();  // restored when leaving the drums
            m_geometry.setRowHeight(kDrumRowHeight);
        }
    } else {
        m_geometry.setPitchRange(PianoRollGeometry::kLowestPitch, PianoRollGeometry::kHighestPitch);
        if (wasDrums) m_geometry.setRowHeight(m_pianoRowHeight);
    }
    layoutMargins();
    updateScrollBars();
    if (wasDrums != drums) centreOnNotes();
    m_keyboard->setScroll(verticalScrollBar()->value());
}

void PianoRollView::setGhostTakes(app::GhostTakes* takes) {
    if (m_ghosts) disconnect(m_ghosts, nullptr, this, nullptr);
    m_ghosts = takes;
    if (m_ghosts)
        connect(m_ghosts, &app::GhostTakes::changed, viewport(), qOverload<>(&QWidget::update));
    viewport()->update();
}

QColor PianoRollView::trackColour(int instrument) const {
    if (!m_document) return trackColor(0);
    const app::TrackState state = m_document->trackState(instrument);
    if (state.colour.isValid()) return state.colour;
    return trackColor(std::max(0, m_document->trackIndex(instrument)));
}

// ---- Tools and selection ----

void PianoRollView::setTool(Tool tool) {
    if (tool == m_tool) return;
    m_tool = tool;
    emit toolChanged(tool);
}

void PianoRollView::setSnap(SnapGrid::Value value) {
    if (value == m_grid.value()) return;
    m_grid.setValue(value);
    updateActions();
    viewport()->update();
    emit snapChanged(value);
}

app::NoteIds PianoRollView::selectedNotes() const {
    app::NoteIds ids(m_selection.begin(), m_selection.end());
    // In document order, so callers get a stable list.
    std::sort(ids.begin(), ids.end());
    return ids;
}

void PianoRollView::setSelectedNotes(const app::NoteIds& ids) {
    QSet<app::NoteId> selection;
    for (app::NoteId id : ids)
        if (const RollNote* n = m_index.find(id); n && n->instrument == m_currentTrack)
            selection.insert(id);
    setSelection(selection);
}

void PianoRollView::setSelection(QSet<app::NoteId> selection) {
    if (selection == m_selection) return;
    m_selection = std::move(selection);
    updateActions();
    viewport()->update();
    emit selectionChanged();
}

void PianoRollView::selectAll() {
    QSet<app::NoteId> all;
    for (const RollNote& n : m_index.notes())
        if (n.instrument == m_currentTrack) all.insert(n.id);
    setSelection(all);
}

void PianoRollView::clearSelection() { setSelection({}); }

bool PianoRollView::deleteSelection() {
    if (!m_document || m_selection.isEmpty()) return false;
    return m_document->removeNotes(selectedNotes());
}

bool PianoRollView::transposeSelection(int semitones) {
    if (!m_document || m_selection.isEmpty()) return false;
    return NoteEditCommands::transpose(*m_document, selectedNotes(), semitones);
}

bool PianoRollView::duplicateSelection() {
    if (!m_document || m_selection.isEmpty()) return false;
    const app::NoteIds ids = NoteEditCommands::duplicate(*m_document, m_grid, selectedNotes());
    setSelection(QSet<app::NoteId>(ids.begin(), ids.end()));
    return !ids.isEmpty();
}

bool PianoRollView::quantizeSelection() {
    if (!m_document || m_selection.isEmpty()) return false;
    return NoteEditCommands::quantize(*m_document, m_grid, selectedNotes(), m_geometry.drumMode());
}

QAction* PianoRollView::editAction(EditAction which) const { return m_actionSet->action(which); }

void PianoRollView::updateActions() {
    if (m_actionSet) m_actionSet->update(!m_selection.isEmpty(), !m_grid.isOff());
}

// ---- Transport ----

void PianoRollView::setPlayheadSeconds(double seconds) {
    seconds = std::max(0.0, seconds);
    if (seconds == m_playhead) return;
    const int oldX = static_cast<int>(m_geometry.xForTime(m_playhead)) - horizontalOffset();
    m_playhead = seconds;
    const double x = m_geometry.xForTime(seconds);
    const int left = horizontalOffset();
    const int width = viewport()->width();
    if (m_follow && (x < left || x > left + width - 16)) {
        // Page so the playhead re-enters near the left edge.
        if (x > horizontalScrollBar()->maximum() + width) updateScrollBars();
        horizontalScrollBar()->setValue(static_cast<int>(x - width * 0.05));
    }
    const int newX = static_cast<int>(x) - horizontalOffset();
    viewport()->update(QRect(oldX - 2, 0, 5, viewport()->height()));
    viewport()->update(QRect(newX - 2, 0, 5, viewport()->height()));
    m_ruler->update();
}

void PianoRollView::setLoopRange(double start, double end, bool enabled) {
    m_loopStart = std::max(0.0, std::min(start, end));
    m_loopEnd = std::max(0.0, std::max(start, end));
    m_loopEnabled = enabled;
    m_ruler->update();
    viewport()->update();
}

// ---- View ----

int PianoRollView::gutterWidth() const {
    return m_geometry.drumMode() ? kDrumGutterWidth : kKeyboardWidth;
}

int PianoRollView::horizontalOffset() const { return horizontalScrollBar()->value(); }

QPointF PianoRollView::viewportPosition(double seconds, int pitch) const {
    return {
        m_geometry.xForTime(seconds) - horizontalScrollBar()->value(),
        m_geometry.yForPitch(pitch) + m_geometry.rowHeight() / 2 - verticalScrollBar()->value()};
}

QPointF PianoRollView::contentPosition(const QPointF& viewportPos) const {
    return viewportPos + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

void PianoRollView::centreOnNotes() {
    int lo = 0;
    int hi = 0;
    if (!m_index.pitchRange(m_currentTrack, &lo, &hi) && !m_index.pitchRange(-1, &lo, &hi)) {
        lo = hi = m_geometry.drumMode() ? 42 : 66;
    }
    lo = std::max(lo, m_geometry.lowPitch());
    hi = std::min(hi, m_geometry.highPitch());
    const double centre =
        (m_geometry.yForPitch(hi) + m_geometry.yForPitch(lo) + m_geometry.rowHeight()) / 2;
    verticalScrollBar()->setValue(static_cast<int>(centre - viewport()->height() / 2.0));
    m_keyboard->setScroll(verticalScrollBar()->value());
}

void PianoRollView::scrollToTime(double seconds) {
    horizontalScrollBar()->setValue(static_cast<int>(m_geometry.xForTime(seconds)));
}

void PianoRollView::layoutMargins() {
    setViewportMargins(gutterWidth(), kRulerHeight, 0, 0);
    const QRect vp = viewport()->geometry();
    m_keyboard->setGeometry(vp.left() - gutterWidth(), vp.top(), gutterWidth(), vp.height());
    m_ruler->setGeometry(vp.left(), vp.top() - kRulerHeight, vp.width(), kRulerHeight);
}

void PianoRollView::updateScrollBars() {
    const double end = std::max({m_totalTime, m_playhead, m_loopEnd}) + kTrailingSeconds;
    const double width = m_geometry.xForTime(end);
    horizontalScrollBar()->setRange(0, std::max(0, static_cast<int>(width) - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    verticalScrollBar()->setRange(
        0, std::max(0, static_cast<int>(m_geometry.contentHeight()) - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
}

void PianoRollView::zoomTime(double factor) {
    const double centreTime =
        m_geometry.timeForX(horizontalScrollBar()->value() + viewport()->width() / 2.0);
    m_geometry.setPixelsPerSecond(m_geometry.pixelsPerSecond() * factor);
    updateScrollBars();
    horizontalScrollBar()->setValue(
        static_cast<int>(m_geometry.xForTime(centreTime) - viewport()->width() / 2.0));
    viewport()->update();
    m_ruler->update();
    emit viewChanged();
}

void PianoRollView::zoomPitch(double factor) {
    const int centrePitch =
        m_geometry.pitchForY(verticalScrollBar()->value() + viewport()->height() / 2.0);
    m_geometry.setRowHeight(m_geometry.rowHeight() * factor);
    updateScrollBars();
    verticalScrollBar()->setValue(
        static_cast<int>(m_geometry.yForPitch(centrePitch) - viewport()->height() / 2.0));
    verticalScrollBar()->setSingleStep(static_cast<int>(std::ceil(m_geometry.rowHeight())));
    m_keyboard->setScroll(verticalScrollBar()->value());
    viewport()->update();
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    layoutMargins();
    updateScrollBars();
}

void PianoRollView::scrollContentsBy(int dx, int /*dy*/) {
    viewport()->update();
    m_keyboard->setScroll(verticalScrollBar()->value());
    if (dx != 0) {
        m_ruler->update();
        emit viewChanged();
    }
}

// ---- Events ----

void PianoRollView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        zoomTime(std::pow(1.25, steps));
    } else if (event->modifiers() & Qt::ShiftModifier) {
        zoomPitch(std::pow(1.15, steps));
    } else if (event->modifiers() & Qt::AltModifier) {  // horizontal scroll
        horizontalScrollBar()->setValue(
            horizontalScrollBar()->value() -
            static_cast<int>(steps * horizontalScrollBar()->singleStep() * 3));
    } else {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void PianoRollView::keyPressEvent(QKeyEvent* event) {
    const bool ghosts = m_ghosts && !m_ghosts->isEmpty();
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoomTime(1.25); break;
        case Qt::Key_Minus: zoomTime(0.8); break;
        case Qt::Key_Home: horizontalScrollBar()->setValue(0); break;
        case Qt::Key_End: horizontalScrollBar()->setValue(horizontalScrollBar()->maximum()); break;
        case Qt::Key_Escape:
            if (m_editTool->isActive())
                m_editTool->cancel();
            else if (ghosts)
                m_ghosts->discard();
            else
                clearSelection();
            break;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (!ghosts || !m_document) return QAbstractScrollArea::keyPressEvent(event);
            m_ghosts->accept(*m_document);
            break;
        case Qt::Key_BracketLeft:
        case Qt::Key_BracketRight:
            if (!ghosts) return QAbstractScrollArea::keyPressEvent(event);
            event->key() == Qt::Key_BracketLeft ? m_ghosts->previous() : m_ghosts->next();
            break;
        default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

void PianoRollView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    m_editTool->press(event, contentPosition(event->position()));
    viewport()->setCursor(m_editTool->cursorAt(contentPosition(event->position())));
    event->accept();
}

void PianoRollView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = contentPosition(event->position());
    m_editTool->move(event, pos);
    viewport()->setCursor(m_editTool->cursorAt(pos));
    event->accept();
}

void PianoRollView::mouseReleaseEvent(QMouseEvent* event) {
    const QPointF pos = contentPosition(event->position());
    m_editTool->release(event, pos);
    viewport()->setCursor(m_editTool->cursorAt(pos));
    event->accept();
}

void PianoRollView::mouseDoubleClickEvent(QMouseEvent* event) {
    m_editTool->doubleClick(event, contentPosition(event->position()));
    event->accept();
}

void PianoRollView::paintEvent(QPaintEvent* event) {
    QPainter p(viewport());
    const QPointF offset(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const QRectF visible = QRectF(event->rect()).translated(offset);
    p.translate(-offset);
    RollPainter::paintRows(p, m_geometry, visible);
    if (m_loopEnabled && m_loopEnd > m_loopStart)
        RollPainter::paintLoopShade(p, m_geometry, m_loopStart, m_loopEnd, visible);
    RollPainter::paintGrid(p, m_geometry, m_grid, visible);
    const RollPaintInput input{m_geometry,     m_index,
                               m_selection,    m_editTool->hidden(),
                               m_currentTrack, [this](int i) { return trackColour(i); }};
    m_lastPaintedNotes = RollPainter::paintNotes(p, input, visible);
    if (m_ghosts && m_ghosts->currentTake())
        RollPainter::paintGhost(p, m_geometry, *m_ghosts->currentTake(),
                                trackColour(m_ghosts->targetInstrument()), visible);
    RollPainter::paintPreview(p, m_geometry, m_editTool->preview(), trackColour(m_currentTrack));
    const QRectF band = m_editTool->rubberBand();
    if (!band.isNull()) {
        p.setPen(QColor(0xff, 0xff, 0xff, 160));
        p.setBrush(QColor(0xff, 0xff, 0xff, 30));
        p.drawRect(band);
    }
    RollPainter::paintPlayhead(p, m_geometry, m_playhead, visible);
}

}  // namespace toccata::ui
