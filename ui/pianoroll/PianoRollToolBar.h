// PianoRollToolBar: the small bar above the roll — tool mode (Draw / Select) and the snap
// grid chooser (1/1 … 1/32, triplets, off). Mirrors the view's state both ways. [ui]
#pragma once

#include <QToolBar>

class QAction;
class QComboBox;

namespace toccata::ui {

class PianoRollView;

class PianoRollToolBar : public QToolBar {
    Q_OBJECT
public:
    explicit PianoRollToolBar(PianoRollView* view, QWidget* parent = nullptr);
    QAction* drawAction() const { return m_draw; }
    QAction* selectAction() const { return m_select; }
    QComboBox* snapBox() const { return m_snap; }

private:
    void syncFromView();

    PianoRollView* m_view;
    QAction* m_draw;
    QAction* m_select;
    QComboBox* m_snap;
};

}  // namespace toccata::ui
