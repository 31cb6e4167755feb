// FallingNotesView: the recent Piano Genie notes as bars above the keyboard, each over its key
// in its button's colour. A note grows up from the keyboard while it sounds and then floats
// away; after `windowSeconds` it is gone. Redraws at ~30 Hz only while something moves. [ui]
#pragma once

#include <QTimer>
#include <QWidget>

#include <deque>
#include <functional>

namespace toccata::ui {

class FallingNotesView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kFrameMs = 33;

    explicit FallingNotesView(QWidget* parent = nullptr);

    /// The clock notes are timed by (seconds, monotonic); the controller's.
    void setClock(std::function<double()> clock) { m_clock = std::move(clock); }
    void setWindowSeconds(double seconds) { m_window = seconds; }

    void noteStarted(int button, int key, int velocity);
    void noteEnded(int button, int key);
    void clear();
    /// Notes on show (sounding or still floating).
    int noteCount() const { return static_cast<int>(m_notes.size()); }
    int soundingCount() const;

    QSize sizeHint() const override { return {900, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Bar {
        int button = 0;
        int key = 0;
        int velocity = 0;
        double start = 0.0;
        double end = -1.0;  // < 0: still sounding
    };
    double now() const;
    void tick();

    std::function<double()> m_clock;
    std::deque<Bar> m_notes;
    double m_window = 5.0;
    QTimer m_timer;
};

}  // namespace toccata::ui
