// PianoRollPanel: the editor as the main window shows it — tool bar, ghost bar, the roll and
// its velocity lane, stacked and wired together. [ui]
#pragma once

#include <QWidget>

namespace toccata::app {
class Document;
class GhostTakes;
}  // namespace toccata::app

namespace toccata::ui {

class GhostBar;
class PianoRollToolBar;
class PianoRollView;
class VelocityLane;

class PianoRollPanel : public QWidget {
    Q_OBJECT
public:
    explicit PianoRollPanel(QWidget* parent = nullptr);
    void setDocument(app::Document* document);
    void setGhostTakes(app::GhostTakes* takes);

    PianoRollView* view() const { return m_view; }
    PianoRollToolBar* toolBar() const { return m_toolBar; }
    GhostBar* ghostBar() const { return m_ghostBar; }
    VelocityLane* velocityLane() const { return m_velocity; }

private:
    PianoRollView* m_view;
    PianoRollToolBar* m_toolBar;
    GhostBar* m_ghostBar;
    VelocityLane* m_velocity;
};

}  // namespace toccata::ui
