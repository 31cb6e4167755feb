// The tools dock: one page per generation tool (Continue, Generate, Interpolate, Groove,
// Drumify, Piano Genie). Each page says what the tool will do; pages whose model family has
// not landed yet say so plainly and offer no controls, so nothing pretends to work. The model
// issues replace a page with the real panel through setPanel(). [ui]
#pragma once

#include <QStringList>
#include <QToolBox>

namespace toccata::ui {

class ToolsDock : public QToolBox {
    Q_OBJECT
public:
    enum Tool { kContinue, kGenerate, kInterpolate, kGroove, kDrumify, kPianoGenie, kToolCount };

    explicit ToolsDock(QWidget* parent = nullptr);

    static QString toolName(Tool tool);
    /// Replaces the placeholder page of `tool` by a working panel (takes ownership).
    void setPanel(Tool tool, QWidget* panel);
    /// True while the page of `tool` is still the "not available yet" placeholder.
    bool isPlaceholder(Tool tool) const;
};

}  // namespace toccata::ui
