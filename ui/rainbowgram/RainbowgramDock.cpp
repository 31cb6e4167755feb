#include "ui/rainbowgram/RainbowgramDock.h"

#include <QAction>

#include "app/PlaybackController.h"
#include "ui/rainbowgram/RainbowgramPanel.h"
#include "ui/rainbowgram/RainbowgramView.h"

namespace toccata::ui {

RainbowgramDock::RainbowgramDock(app::Document& document, PianoRollView* roll,
                                 app::PlaybackController& playback, QWidget* parent)
    : QDockWidget(tr("Rainbowgram"), parent),
      m_panel(new RainbowgramPanel(document, roll, playback, this)),
      m_toggle(toggleViewAction()) {
    setObjectName("RainbowgramDock");
    setWidget(m_panel);
    m_toggle->setText(tr("&Rainbowgram"));
    m_toggle->setObjectName("RainbowgramAction");
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_toggle->setToolTip(
        tr("Show the rendered audio as a rainbowgram under the roll "
           "(Ctrl+Shift+R)"));
    RainbowgramView* view = m_panel->view();
    connect(&playback, &app::PlaybackController::playheadMoved, view,
            qOverload<>(&QWidget::update));
    connect(&playback, &app::PlaybackController::loopChanged, view, qOverload<>(&QWidget::update));
}

}  // namespace toccata::ui
