#include "ui/pianoroll/PianoRollPanel.h"

#include <QVBoxLayout>

#include "ui/pianoroll/GhostBar.h"
#include "ui/pianoroll/PianoRollToolBar.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/pianoroll/VelocityLane.h"

namespace toccata::ui {

PianoRollPanel::PianoRollPanel(QWidget* parent)
    : QWidget(parent),
      m_view(new PianoRollView(this)),
      m_toolBar(new PianoRollToolBar(m_view, this)),
      m_ghostBar(new GhostBar(this)),
      m_velocity(new VelocityLane(m_view, this)) {
    setObjectName("PianoRollPanel");
    m_view->setObjectName("PianoRoll");
    m_velocity->setObjectName("VelocityLane");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_ghostBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_velocity);
    setFocusProxy(m_view);
}

void PianoRollPanel::setDocument(app::Document* document) {
    m_view->setDocument(document);
    m_ghostBar->setDocument(document);
}

void PianoRollPanel::setGhostTakes(app::GhostTakes* takes) {
    m_view->setGhostTakes(takes);
    m_ghostBar->setGhostTakes(takes);
}

}  // namespace toccata::ui
