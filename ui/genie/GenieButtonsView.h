// GenieButtonsView: the 8 big Piano Genie buttons, each in its rainbow colour and labelled with
// its computer keys ("1 · A" ... "8 · ;"). A button lights while held (keys, MIDI or mouse);
// pressing one with the mouse plays it like its key. [ui]
#pragma once

#include <QStringList>
#include <QWidget>

#include <array>

namespace toccata::ui {

class GenieButtonsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kButtons = 8;

    explicit GenieButtonsView(QWidget* parent = nullptr);

    void setDown(int button, bool down);
    bool isDown(int button) const;
    /// The labels of the buttons (8 entries).
    void setLabels(const QStringList& labels);
    QString label(int button) const { return m_labels.value(button); }
    QRectF buttonRect(int button) const;

    QSize sizeHint() const override { return {900, 72}; }
    QSize minimumSizeHint() const override { return {320, 44}; }

signals:
    void pressed(int button);
    void released(int button);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    int buttonAt(const QPointF& point) const;

    std::array<bool, kButtons> m_down{};
    QStringList m_labels;
    int m_mouseButton = -1;
};

}  // namespace toccata::ui
