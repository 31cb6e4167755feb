#include "ui/TransportBar.h"

#if TOCCATA_HAVE_AUDIO

#include <QLabel>
#include <QStyle>

#include <cmath>

#include "app/PlaybackController.h"
#if TOCCATA_HAVE_MIDI
#include "app/MidiController.h"
#endif

namespace toccata::ui {

namespace {

QLabel* makeLabel(QWidget* parent, const char* name, const QString& tip) {
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setToolTip(tip);
    label->setMargin(4);
    return label;
}

}  // namespace

TransportBar::TransportBar(app::PlaybackController& playback, QWidget* parent)
    : QToolBar(tr("Transport"), parent), m_playback(playback) {
    setObjectName("TransportBar");
    m_play = addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"));
    m_play->setObjectName("PlayAction");
    m_play->setCheckable(true);
    m_play->setShortcut(Qt::Key_Space);
    m_play->setToolTip(tr("Play / pause (Space)"));
    m_stop = addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    m_stop->setObjectName("StopAction");
    m_stop->setToolTip(tr("Stop; when stopped, back to the start"));
    m_toStart = addAction(style()->standardIcon(QStyle::SP_MediaSkipBackward), tr("To Start"));
    m_toStart->setObjectName("ToStartAction");
    m_toStart->setShortcut(Qt::Key_Home);
    m_toStart->setToolTip(tr("Back to the start (Home)"));
    m_record = addAction(tr("● Rec"));
    m_record->setObjectName("RecordAction");
    m_record->setCheckable(true);
    m_record->setShortcut(Qt::Key_R);
    m_record->setToolTip(tr("Arm recording from the MIDI input into the current track (R)"));
    m_record->setEnabled(false);
    m_loop = addAction(tr("Loop"));
    m_loop->setObjectName("LoopAction");
    m_loop->setCheckable(true);
    m_loop->setShortcut(Qt::Key_L);
    m_loop->setToolTip(tr("Loop the loop range (L)"));
    m_metronome = addAction(tr("Click"));
    m_metronome->setObjectName("MetronomeAction");
    m_metronome->setCheckable(true);
    m_metronome->setToolTip(tr("Metronome: a click on every beat, accented on bar starts"));
    m_follow = addAction(tr("Follow"));
    m_follow->setObjectName("FollowAction");
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Scroll the piano roll with the playhead"));
    addSeparator();
    m_position = makeLabel(this, "TransportPosition", tr("Position: bar:beat:tick"));
    m_time = makeLabel(this, "TransportTime", tr("Position in minutes and seconds"));
    m_tempoLabel = makeLabel(this, "TransportTempo", tr("Tempo at the playhead"));
    m_signature = makeLabel(this, "TransportSignature", tr("Time signature at the playhead"));
    QFont mono = m_position->font();
    mono.setFamily("monospace");
    mono.setStyleHint(QFont::Monospace);
    m_position->setFont(mono);
    m_time->setFont(mono);
    addWidget(m_position);
    addWidget(m_time);
    addWidget(m_tempoLabel);
    addWidget(m_signature);

    connect(m_play, &QAction::triggered, this, [this](bool on) {
        on ? m_playback.play() : m_playback.pause();
        m_play->setChecked(m_playback.isPlaying());
    });
    connect(m_stop, &QAction::triggered, &m_playback, &app::PlaybackController::stop);
    connect(m_toStart, &QAction::triggered, &m_playback, &app::PlaybackController::returnToStart);
    connect(m_loop, &QAction::toggled, this, [this](bool on) {
        if (on && m_playback.loopEnd() <= m_playback.loopStart() && m_meter) {
            m_playback.setLoopRange(0.0, m_meter->barStartSeconds(4));  // a first loop: 4 bars
        }
        m_playback.setLoopEnabled(on);
    });
    connect(m_metronome, &QAction::toggled, &m_playback,
            &app::PlaybackController::setMetronomeEnabled);
    connect(m_follow, &QAction::toggled, this, &TransportBar::followPlayheadChanged);
    connect(&m_playback, &app::PlaybackController::playingChanged, this, [this](bool playing) {
        m_play->setChecked(playing);
        m_play->setIcon(
            style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        m_play->setText(playing ? tr("Pause") : tr("Play"));
    });
    connect(&m_playback, &app::PlaybackController::playheadMoved, this,
            &TransportBar::showPosition);
    connect(&m_playback, &app::PlaybackController::loopChanged, this,
            [this](double, double, bool enabled) {
                const QSignalBlocker block(m_loop);
                m_loop->setChecked(enabled);
            });
    connect(&m_playback, &app::PlaybackController::metronomeChanged, this, [this](bool on) {
        const QSignalBlocker block(m_metronome);
        m_metronome->setChecked(on);
    });
    setTiming({});
}

void TransportBar::setMidiController(app::MidiController* midi) {
    m_midi = midi;
    m_record->setEnabled(midi != nullptr);
#if TOCCATA_HAVE_MIDI
    if (!midi) return;
    connect(m_record, &QAction::toggled, midi, &app::MidiController::setRecordArmed);
    connect(midi, &app::MidiController::recordArmedChanged, this, [this](bool armed) {
        const QSignalBlocker block(m_record);
        m_record->setChecked(armed);
    });
#endif
}

void TransportBar::setTiming(const core::NoteSequence& sequence) {
    m_timing.tempos = sequence.tempos;
    m_timing.timeSignatures = sequence.timeSignatures;
    m_tempo.emplace(m_timing);
    m_meter.emplace(m_timing);
    showPosition(m_shownSeconds);
}

QString TransportBar::formatPosition(const core::MeterMap& meter, double seconds) {
    const core::BarBeat at = meter.barBeatAtSeconds(std::max(0.0, seconds));
    const double beat = std::floor(at.beat + 1e-9);
    const int tick = std::clamp(int((at.beat - beat) * kTicksPerBeat + 1e-6), 0, kTicksPerBeat - 1);
    return QString("%1:%2:%3").arg(at.bar + 1).arg(int(beat) + 1).arg(tick, 3, 10, QChar('0'));
}

QString TransportBar::formatTime(double seconds) {
    const auto ms = static_cast<long long>(std::llround(std::max(0.0, seconds) * 1000.0));
    return QString("%1:%2.%3")
        .arg(ms / 60000)
        .arg((ms / 1000) % 60, 2, 10, QChar('0'))
        .arg(ms % 1000, 3, 10, QChar('0'));
}

void TransportBar::showPosition(double seconds) {
    m_shownSeconds = seconds;
    m_position->setText(formatPosition(*m_meter, seconds));
    m_time->setText(formatTime(seconds));
    m_tempoLabel->setText(tr("%1 BPM").arg(m_tempo->qpmAt(seconds), 0, 'f', 1));
    const core::TimeSignature sig = m_meter->barBeatAtSeconds(seconds).signature;
    m_signature->setText(QString("%1/%2").arg(sig.numerator).arg(sig.denominator));
}

QString TransportBar::positionText() const { return m_position->text(); }
QString TransportBar::timeText() const { return m_time->text(); }
QString TransportBar::tempoText() const { return m_tempoLabel->text(); }
QString TransportBar::signatureText() const { return m_signature->text(); }

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
