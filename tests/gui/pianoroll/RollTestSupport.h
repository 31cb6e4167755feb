// Helpers for the piano-roll GUI tests: a shown editor panel bound to a document, and mouse
// gestures sent to real widgets at positions computed from the roll's geometry.
#pragma once

#include <QApplication>
#include <QMouseEvent>
#include <QtTest>

#include "app/Document.h"
#include "app/GhostTakes.h"
#include "core/NoteSequence.h"
#include "ui/pianoroll/PianoRollPanel.h"
#include "ui/pianoroll/PianoRollView.h"

namespace toccata::test {

/// Sends one mouse event with explicit buttons and modifiers (QTest's mouseMove has none).
inline void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button,
                      Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent event(type, pos, w->mapToGlobal(pos), button, buttons, mods);
    QApplication::sendEvent(w, &event);
}

/// Press at `from`, move in a few steps to `to`, release there.
inline void drag(QWidget* w, QPointF from, QPointF to,
                 Qt::KeyboardModifiers mods = Qt::NoModifier) {
    sendMouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, mods);
    for (int i = 1; i <= 4; ++i)
        sendMouse(w, QEvent::MouseMove, from + (to - from) * (i / 4.0), Qt::NoButton,
                  Qt::LeftButton, mods);
    sendMouse(w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, mods);
}

inline void click(QWidget* w, QPointF at, Qt::KeyboardModifiers mods = Qt::NoModifier,
                  Qt::MouseButton button = Qt::LeftButton) {
    sendMouse(w, QEvent::MouseButtonPress, at, button, button, mods);
    sendMouse(w, QEvent::MouseButtonRelease, at, button, Qt::NoButton, mods);
}

/// A panel showing `doc`, sized and exposed, with the roll focused.
struct RollFixture {
    app::Document doc;
    app::GhostTakes ghosts;
    ui::PianoRollPanel panel;

    explicit RollFixture(const core::NoteSequence& seq) {
        doc.restoreUnsaved(seq, {}, {});  // a fresh document: no undo history
        panel.setDocument(&doc);
        panel.setGhostTakes(&ghosts);
        panel.resize(1000, 640);
        panel.show();
        if (!QTest::qWaitForWindowExposed(&panel)) qWarning("the roll was not exposed");
        view()->activateWindow();
        view()->setFocus();
    }
    ui::PianoRollView* view() const { return panel.view(); }
    QWidget* viewport() const { return panel.view()->viewport(); }
    /// Viewport point inside the row of `pitch` at `seconds` (+ a pixel, off the grid line).
    QPointF at(double seconds, int pitch) const {
        return view()->viewportPosition(seconds, pitch) + QPointF(1.0, 0.0);
    }
    int undoCount() { return doc.undoStack()->count(); }
};

inline core::Note note(int pitch, double start, double end, int instrument = 0, int velocity = 90) {
    core::Note n;
    n.pitch = pitch;
    n.velocity = velocity;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    return n;
}

}  // namespace toccata::test
