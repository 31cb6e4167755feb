// GhostBar: the strip above the roll while generated takes wait for a verdict —
// "Variation 2/4 · label" with Previous / Next / Accept / Discard (keys in the roll:
// [ and ], Enter, Esc), and a "MIDI" handle that drags the take on show out as a .mid file
// (into a DAW or onto the desktop). Hidden when there are no takes. [ui]
#pragma once

#include <QPointer>
#include <QWidget>

#include "app/Document.h"
#include "app/GhostTakes.h"
#include "core/NoteSequence.h"

class QLabel;
class QToolButton;

namespace toccata::ui {

class GhostBar : public QWidget {
    Q_OBJECT
public:
    explicit GhostBar(QWidget* parent = nullptr);
    void setGhostTakes(app::GhostTakes* takes);
    void setDocument(app::Document* document);
    QString text() const;
    QToolButton* previousButton() const { return m_previous; }
    QToolButton* nextButton() const { return m_next; }
    QToolButton* acceptButton() const { return m_accept; }
    QToolButton* discardButton() const { return m_discard; }
    QWidget* dragHandle() const { return m_drag; }
    /// What the handle drags: the current take with the song's tempo and meter, moved so
    /// that the bar of its first note starts at 0 (empty without a take).
    core::NoteSequence dragSequence() const;
    QString dragFileName() const;
    /// Writes the take and runs the drag (the handle calls it); false with `error` on failure.
    bool startDrag(QString* error);

private:
    void refresh();

    QPointer<app::GhostTakes> m_takes;
    QPointer<app::Document> m_document;
    QLabel* m_label;
    QToolButton* m_previous;
    QToolButton* m_next;
    QToolButton* m_accept;
    QToolButton* m_discard;
    QWidget* m_drag;
};

}  // namespace toccata::ui
