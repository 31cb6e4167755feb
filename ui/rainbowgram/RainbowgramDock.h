// RainbowgramDock: the "Rainbowgram" dock under the piano roll (hidden until View ▸ Rainbowgram,
// Ctrl+Shift+R) holding the RainbowgramPanel; it repaints the view as the playhead and the
// loop move. [ui]
#pragma once

#include <QDockWidget>

class QAction;

namespace toccata::app {
class Document;
class PlaybackController;
}  // namespace toccata::app

namespace toccata::ui {

class PianoRollView;
class RainbowgramPanel;

class RainbowgramDock : public QDockWidget {
    Q_OBJECT
public:
    RainbowgramDock(app::Document& document, PianoRollView* roll, app::PlaybackController& playback,
                    QWidget* parent = nullptr);

    RainbowgramPanel* panel() const { return m_panel; }
    /// Checkable show/hide action with its shortcut (for the View menu).
    QAction* toggleAction() const { return m_toggle; }

private:
    RainbowgramPanel* m_panel;
    QAction* m_toggle;
};

}  // namespace toccata::ui
