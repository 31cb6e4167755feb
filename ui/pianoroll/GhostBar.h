// GhostBar: the strip above the roll while generated takes wait for a verdict —
// "Variation 2/4 · label" with Previous / Next / Accept / Discard (keys in the roll:
// [ and ], Enter, Esc). Hidden when there are no takes. [ui]
#pragma once

#include <QPointer>
#include <QWidget>

#include "app/Document.h"
#include "app/GhostTakes.h"

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

private:
    void refresh();

    QPointer<app::GhostTakes> m_takes;
    QPointer<app::Document> m_document;
    QLabel* m_label;
    QToolButton* m_previous;
    QToolButton* m_next;
    QToolButton* m_accept;
    QToolButton* m_discard;
};

}  // namespace toccata::ui
