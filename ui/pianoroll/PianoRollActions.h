// PianoRollActions: the piano roll's keyboard edits as QActions (Delete/Backspace, Ctrl+D,
// Q, Ctrl+A, Up/Down, Shift+Up/Down). They live on the roll with a widget-with-children
// context, so their keys act only while the roll has focus; the main window lists the same
// actions in its Edit menu. Disabled while nothing is selected (arrows then scroll). [ui]
#pragma once

#include "ui/pianoroll/PianoRollView.h"

class QAction;

namespace toccata::ui {

class PianoRollActions {
public:
    explicit PianoRollActions(PianoRollView& view);
    QAction* action(PianoRollView::EditAction which) const {
        return m_actions[static_cast<int>(which)];
    }
    void update(bool hasSelection, bool gridOn);

private:
    QAction* m_actions[static_cast<int>(PianoRollView::EditAction::Count)] = {};
};

}  // namespace toccata::ui
