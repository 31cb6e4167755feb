#include "ui/pianoroll/PianoRollToolBar.h"

#include <QActionGroup>
#include <QComboBox>
#include <QLabel>

#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

PianoRollToolBar::PianoRollToolBar(PianoRollView* view, QWidget* parent)
    : QToolBar(parent), m_view(view), m_snap(new QComboBox(this)) {
    setObjectName("PianoRollToolBar");
    setIconSize(QSize(16, 16));
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* tools = new QActionGroup(this);
    m_draw = addAction(tr("✎ Draw"));
    m_draw->setObjectName("DrawTool");
    m_draw->setToolTip(tr("Draw: click or drag in empty space to add notes (B)"));
    m_draw->setShortcut(Qt::Key_B);
    m_select = addAction(tr("⬚ Select"));
    m_select->setObjectName("SelectTool");
    m_select->setToolTip(
        tr("Select: click, Shift/Ctrl+click, or drag a rectangle (V); "
           "double-click adds a note"));
    m_select->setShortcut(Qt::Key_V);
    for (QAction* a : {m_draw, m_select}) {
        a->setCheckable(true);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        view->addAction(a);  // the keys work while the roll has focus
        tools->addAction(a);
    }
    addSeparator();
    addWidget(new QLabel(tr(" Snap "), this));
    m_snap->setObjectName("SnapChooser");
    m_snap->setToolTip(tr("Grid for drawing, moving, resizing and quantizing (Alt: no snap)"));
    m_snap->setFocusPolicy(Qt::NoFocus);
    for (int i = 0; i < SnapGrid::kValueCount; ++i)
        m_snap->addItem(SnapGrid::label(static_cast<SnapGrid::Value>(i)), i);
    addWidget(m_snap);

    connect(m_draw, &QAction::triggered, view,
            [view] { view->setTool(PianoRollView::Tool::Draw); });
    connect(m_select, &QAction::triggered, view,
            [view] { view->setTool(PianoRollView::Tool::Select); });
    connect(m_snap, &QComboBox::activated, view, [this](int index) {
        m_view->setSnap(static_cast<SnapGrid::Value>(m_snap->itemData(index).toInt()));
    });
    connect(view, &PianoRollView::toolChanged, this, &PianoRollToolBar::syncFromView);
    connect(view, &PianoRollView::snapChanged, this, &PianoRollToolBar::syncFromView);
    syncFromView();
}

void PianoRollToolBar::syncFromView() {
    m_draw->setChecked(m_view->tool() == PianoRollView::Tool::Draw);
    m_select->setChecked(m_view->tool() == PianoRollView::Tool::Select);
    m_snap->setCurrentIndex(m_snap->findData(static_cast<int>(m_view->snapGrid().value())));
}

}  // namespace toccata::ui
