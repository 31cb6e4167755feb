// PianoKeyboardView: the 88-key piano of the Piano Genie panel. Keys that sound are lit in the
// colour of the button that started them; the rest is drawn as a plain keyboard with the Cs
// named. Display only. [ui]
#pragma once

#include <QColor>
#include <QWidget>

#include <array>

namespace toccata::ui {

class PianoKeyboardView : public QWidget {
    Q_OBJECT
public:
    explicit PianoKeyboardView(QWidget* parent = nullptr);

    /// Lights `key` (0..87) in `colour`; an invalid colour turns it off.
    void setKeyLit(int key, const QColor& colour);
    void clearKey(int key) { setKeyLit(key, QColor()); }
    void clearAll();
    bool isLit(int key) const;
    QColor litColour(int key) const;
    int litCount() const;

    QSize sizeHint() const override { return {900, 96}; }
    QSize minimumSizeHint() const override { return {416, 48}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::array<QColor, 88> m_lit;
};

}  // namespace toccata::ui
