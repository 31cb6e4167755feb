// TransportBar: the transport tool bar - play/pause, stop (again: back to the start), loop,
// record arm, metronome and follow-playhead toggles, the position in bars:beats:ticks and in
// time, and the tempo and time signature at the playhead. Shortcuts: Space play/stop, R record,
// L loop, Home to start. Drives an app::PlaybackController (and app::MidiController for
// recording); shows what they report. [ui]
#pragma once

#if TOCCATA_HAVE_AUDIO

#include <QToolBar>

#include <optional>

#include "core/NoteSequence.h"
#include "core/TempoMap.h"

class QLabel;

namespace toccata::app {
class PlaybackController;
class MidiController;
}  // namespace toccata::app

namespace toccata::ui {

class TransportBar : public QToolBar {
    Q_OBJECT
public:
    static constexpr int kTicksPerBeat = 480;

    explicit TransportBar(app::PlaybackController& playback, QWidget* parent = nullptr);

    /// Enables the record-arm toggle (MIDI input recording). nullptr: no recording.
    void setMidiController(app::MidiController* midi);
    /// The tempo map and time signatures positions are shown in.
    void setTiming(const core::NoteSequence& sequence);

    QAction* playAction() const { return m_play; }
    QAction* stopAction() const { return m_stop; }
    QAction* toStartAction() const { return m_toStart; }
    QAction* loopAction() const { return m_loop; }
    QAction* recordAction() const { return m_record; }
    QAction* metronomeAction() const { return m_metronome; }
    QAction* followAction() const { return m_follow; }
    QString positionText() const;
    QString timeText() const;
    QString tempoText() const;
    QString signatureText() const;

    /// "bar:beat:tick", all 1-based except the tick (0..479), e.g. "3:2:240". [any]
    static QString formatPosition(const core::MeterMap& meter, double seconds);
    /// "m:ss.mmm". [any]
    static QString formatTime(double seconds);

signals:
    void followPlayheadChanged(bool follow);

private:
    void showPosition(double seconds);

    app::PlaybackController& m_playback;
    app::MidiController* m_midi = nullptr;
    core::NoteSequence m_timing;  // tempos and signatures only
    std::optional<core::TempoMap> m_tempo;
    std::optional<core::MeterMap> m_meter;
    QAction* m_play;
    QAction* m_stop;
    QAction* m_toStart;
    QAction* m_loop;
    QAction* m_record;
    QAction* m_metronome;
    QAction* m_follow;
    QLabel* m_position;
    QLabel* m_time;
    QLabel* m_tempoLabel;
    QLabel* m_signature;
    double m_shownSeconds = 0.0;
};

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
