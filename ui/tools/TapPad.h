// TapPad: where the user taps a rhythm for Drumify. While recording, every key press (space,
// letters, anything but Enter and Esc, which stop) and every click on the pad is a tap; the
// times are kept in seconds after the recording started. Auto-repeat is ignored, so holding a
// key is one tap; while recording, keys that are shortcuts elsewhere (Space: play) tap too. [ui]
#pragma once

#include <QElapsedTimer>
#include <QFrame>

#include <vector>

class QLabel;

namespace toccata::ui {

class TapPad : public QFrame {
    Q_OBJECT
public:
    explicit TapPad(QWidget* parent = nullptr);

    /// Starts (clearing the old taps, taking the keyboard focus) or stops recording.
    void setRecording(bool recording);
    bool isRecording() const { return m_recording; }
    const std::vector<double>& taps() const { return m_taps; }
    void clear();

signals:
    void tapped(int count);
    /// Recording ended (Enter, Esc, or setRecording(false)).
    void recordingChanged(bool recording);

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void tap();
    void refresh();

    QLabel* m_text;
    QElapsedTimer m_clock;
    std::vector<double> m_taps;
    bool m_recording = false;
};

}  // namespace toccata::ui
