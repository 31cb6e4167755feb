// MidiController: MIDI ports in the studio. Mirrors the transport to a chosen MIDI output port
// and/or Toccata's own virtual "Toccata Out" (same channel layout as FluidSynth: per-track
// channels, drums on 10; all notes off on stop; optional MIDI clock), reads a chosen input
// port and/or the virtual "Toccata In": monitors it through FluidSynth (AudioEngine live
// notes, on the current track's channel) and records it into the current track while the
// transport plays with record armed - the take is ONE undoable Document edit, optionally
// quantized. Re-scans the ports every ~2 s: a chosen port that disappears is reported and
// reconnected when it returns; the app keeps working meanwhile. [ui] throughout.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "app/AudioSettings.h"
#include "midi/MidiInput.h"
#include "midi/MidiOutput.h"
#include "midi/MidiPortManager.h"
#include "midi/MidiRecorder.h"

namespace toccata::app {

class Document;
class PlaybackController;

class MidiController : public QObject {
    Q_OBJECT
public:
    static constexpr int kRescanIntervalMs = 2000;
    static constexpr int kInputPollMs = 4;

    MidiController(Document& document, PlaybackController& playback, QObject* parent = nullptr);
    ~MidiController() override;

    /// Opens the ports `settings` names (closing others). Problems are reported through
    /// statusText()/statusChanged(), never fatal.
    void applySettings(const AudioSettings& settings);
    const AudioSettings& settings() const { return m_settings; }

    /// Ports of the last scan (for the settings dialog).
    QStringList outputPorts() const;
    QStringList inputPorts() const;
    /// Scans now: reports ports that went away, reconnects chosen ones that came back.
    void rescanNow();
    void setRescanInterval(int ms) { m_rescanTimer.setInterval(ms); }

    // ---- Recording ----
    void setRecordArmed(bool armed);
    bool isRecordArmed() const { return m_armed; }
    bool isRecording() const { return m_recorder.isRecording(); }
    /// The track recorded into and monitored (an instrument of the document).
    void setCurrentTrack(int instrument) { m_currentTrack = instrument; }
    int currentTrack() const { return m_currentTrack; }

    // ---- Live instruments (Piano Genie) ----
    /// Sees every message read from the inputs first; when it returns true the message is the
    /// instrument's (e.g. its 8 button notes and the sustain pedal): neither monitored nor
    /// recorded here. An empty function (the default) takes nothing.
    using InputFilter = std::function<bool(const midi::MidiMessage& message)>;
    void setInputFilter(InputFilter filter) { m_inputFilter = std::move(filter); }
    /// Sends one message now to the open MIDI outputs (the chosen port and "Toccata Out").
    void sendLive(const midi::MidiMessage& message);

    // ---- State ----
    bool isOutputConnected() const { return m_portOut.isOpen() && !m_portOut.connectionLost(); }
    bool isInputConnected() const { return m_portIn.isOpen() && !m_portIn.connectionLost(); }
    bool isVirtualOutputOpen() const { return m_virtualOut.isOpen(); }
    bool isVirtualInputOpen() const { return m_virtualIn.isOpen(); }
    /// "MIDI: out → X, in ← Y" or what is wrong ("" when MIDI is unused).
    QString statusText() const { return m_status; }
    /// Messages read from the inputs so far.
    quint64 messagesIn() const { return m_messagesIn; }

signals:
    void statusChanged(const QString& text);
    void recordArmedChanged(bool armed);
    void recordingChanged(bool recording);
    /// A take went into the document (one undo step) with `noteCount` notes.
    void takeRecorded(int noteCount);
    void portsChanged();

private:
    void openOutputs();
    void openInputs();
    void playFrom(double seconds);
    void stopOutputs();
    void pollInputs();
    void handleInput(const midi::TimedMidiMessage& message);
    void startRecording();
    void finishRecording();
    void onTransportStarted(double from);
    void onTransportStopped();
    void setStatus();
    bool anyOutput() const { return m_portOut.isOpen() || m_virtualOut.isOpen(); }
    std::shared_ptr<const midi::MidiSchedule> makeSchedule(double fromSeconds) const;

    Document& m_document;
    PlaybackController& m_playback;
    AudioSettings m_settings;
    std::optional<midi::MidiPortManager> m_ports;
    QString m_scanError;
    midi::MidiOutput m_portOut;
    midi::MidiOutput m_virtualOut;
    midi::MidiInput m_portIn;
    midi::MidiInput m_virtualIn;
    QString m_outputProblem;  // "" when the chosen output is fine
    QString m_inputProblem;
    QTimer m_rescanTimer;
    QTimer m_inputTimer;
    QTimer m_rescheduleTimer;  // document edits while playing: replay from the playhead

    bool m_armed = false;
    int m_currentTrack = 0;
    midi::MidiRecorder m_recorder;
    // Synth channel each (input channel, key) was monitored on, -1 = not sounding.
    std::array<std::array<int8_t, 128>, 16> m_monitored;
    quint64 m_messagesIn = 0;
    QString m_status;
    InputFilter m_inputFilter;
};

}  // namespace toccata::app
