#include "ui/pianoroll/PianoRollActions.h"

#include <QAction>

#include <functional>
#include <vector>

namespace toccata::ui {

PianoRollActions::PianoRollActions(PianoRollView& view) {
    using Edit = PianoRollView::EditAction;
    struct Spec {
        Edit which;
        QString text;
        QList<QKeySequence> keys;
        std::function<void()> run;
    };
    PianoRollView* v = &view;
    const std::vector<Spec> specs = {
        {Edit::Delete,
         PianoRollView::tr("&Delete Notes"),
         {QKeySequence::Delete, Qt::Key_Backspace},
         [v] { v->deleteSelection(); }},
        {Edit::Duplicate,
         PianoRollView::tr("D&uplicate Notes"),
         {Qt::CTRL | Qt::Key_D},
         [v] { v->duplicateSelection(); }},
        {Edit::Quantize,
         PianoRollView::tr("&Quantize Notes to Grid"),
         {Qt::Key_Q},
         [v] { v->quantizeSelection(); }},
        {Edit::SelectAll,
         PianoRollView::tr("Select &All Notes"),
         {QKeySequence::SelectAll},
         [v] { v->selectAll(); }},
        {Edit::TransposeUp,
         PianoRollView::tr("Transpose Up"),
         {Qt::Key_Up},
         [v] { v->transposeSelection(1); }},
        {Edit::TransposeDown,
         PianoRollView::tr("Transpose Down"),
         {Qt::Key_Down},
         [v] { v->transposeSelection(-1); }},
        {Edit::OctaveUp,
         PianoRollView::tr("Transpose Octave Up"),
         {Qt::SHIFT | Qt::Key_Up},
         [v] { v->transposeSelection(12); }},
        {Edit::OctaveDown,
         PianoRollView::tr("Transpose Octave Down"),
         {Qt::SHIFT | Qt::Key_Down},
         [v] { v->transposeSelection(-12); }},
    };
    for (const Spec& spec : specs) {
        auto* action = new QAction(spec.text, &view);
        action->setShortcuts(spec.keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QObject::connect(action, &QAction::triggered, &view, spec.run);
        view.addAction(action);
        m_actions[static_cast<int>(spec.which)] = action;
    }
    update(false, true);
}

void PianoRollActions::update(bool hasSelection, bool gridOn) {
    using Edit = PianoRollView::EditAction;
    for (int i = 0; i < static_cast<int>(Edit::Count); ++i)
        m_actions[i]->setEnabled(i == static_cast<int>(Edit::SelectAll) || hasSelection);
    action(Edit::Quantize)->setEnabled(hasSelection && gridOn);
}

}  // namespace toccata::ui
