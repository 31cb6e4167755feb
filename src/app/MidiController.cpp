#include "app/MidiController.h"

#include <algorithm>

#include "app/Document.h"
#include "app/PlaybackController.h"
#include "core/TempoMap.h"

namespace toccata::app {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QStringList toList(const std::vector<std::string>& names) {
    QStringList out;
    for (const std::string& n : names) out << qs(n);
    return out;
}

}  // namespace

MidiController::MidiController(Document& document, PlaybackController& playback, QObject* parent)
    : QObject(parent), m_document(document), m_playback(playback) {
    for (auto& channel : m_monitored) channel.fill(-1);
    m_rescanTimer.setInterval(kRescanIntervalMs);
    connect(&m_rescanTimer, &QTimer::timeout, this, &MidiController::rescanNow);
    m_inputTimer.setInterval(kInputPollMs);
    m_inputTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_inputTimer, &QTimer::timeout, this, &MidiController::pollInputs);
    m_rescheduleTimer.setSingleShot(true);
    m_rescheduleTimer.setInterval(PlaybackController::kRebuildDelayMs);
    connect(&m_rescheduleTimer, &QTimer::timeout, this, [this] {
        if (m_playback.isPlaying() && anyOutput()) playFrom(m_playback.playheadSeconds());
    });

    connect(&m_playback, &PlaybackController::started, this, &MidiController::onTransportStarted);
    connect(&m_playback, &PlaybackController::stopped, this, &MidiController::onTransportStopped);
    connect(&m_playback, &PlaybackController::jumped, this, [this](double to) {
        if (anyOutput()) playFrom(to);
    });
    connect(&m_playback, &PlaybackController::loopChanged, this, [this] {
        if (m_playback.isPlaying()) m_rescheduleTimer.start();
    });
    connect(&m_document, &Document::changed, this, [this] {
        if (m_playback.isPlaying() && !m_recorder.isRecording()) m_rescheduleTimer.start();
    });
}

MidiController::~MidiController() {
    if (m_recorder.isRecording()) finishRecording();
    stopOutputs();
}

void MidiController::applySettings(const AudioSettings& settings) {
    m_settings = settings;
    if (!m_ports) {
        m_ports.emplace();
        if (auto scanned = m_ports->scan(); !scanned.ok()) m_scanError = qs(scanned.errorMessage());
    }
    openOutputs();
    openInputs();
    if (!m_rescanTimer.isActive()) m_rescanTimer.start();
    setStatus();
    emit portsChanged();
}

QStringList MidiController::outputPorts() const {
    return m_ports ? toList(m_ports->ports().outputs) : QStringList();
}

QStringList MidiController::inputPorts() const {
    return m_ports ? toList(m_ports->ports().inputs) : QStringList();
}

void MidiController::openOutputs() {
    stopOutputs();
    m_portOut.close();
    m_outputProblem.clear();
    const std::string wanted = m_settings.midiOutputPort.toStdString();
    if (!wanted.empty()) {
        if (const core::Status opened = m_portOut.open(wanted, m_ports->api()); !opened.ok())
            m_outputProblem = tr("MIDI output “%1” not available (%2) — will connect when it "
                                 "appears")
                                  .arg(m_settings.midiOutputPort, qs(opened.errorMessage()));
    }
    if (m_settings.virtualOutput && !m_virtualOut.isOpen()) {
        if (const core::Status opened =
                m_virtualOut.openVirtual(midi::kVirtualOutputName, m_ports->api());
            !opened.ok())
            m_outputProblem = qs(opened.errorMessage());
    } else if (!m_settings.virtualOutput) {
        m_virtualOut.close();
    }
    if (m_playback.isPlaying() && anyOutput()) playFrom(m_playback.playheadSeconds());
}

void MidiController::openInputs() {
    m_portIn.close();
    m_inputProblem.clear();
    const std::string wanted = m_settings.midiInputPort.toStdString();
    if (!wanted.empty()) {
        if (const core::Status opened = m_portIn.open(wanted, m_ports->api()); !opened.ok())
            m_inputProblem = tr("MIDI input “%1” not available (%2) — will connect when it "
                                "appears")
                                 .arg(m_settings.midiInputPort, qs(opened.errorMessage()));
    }
    if (m_settings.virtualInput && !m_virtualIn.isOpen()) {
        if (const core::Status opened =
                m_virtualIn.openVirtual(midi::kVirtualInputName, m_ports->api());
            !opened.ok())
            m_inputProblem = qs(opened.errorMessage());
    } else if (!m_settings.virtualInput) {
        m_virtualIn.close();
    }
    if (m_portIn.isOpen() || m_virtualIn.isOpen())
        m_inputTimer.start();
    else
        m_inputTimer.stop();
}

void MidiController::rescanNow() {
    if (!m_ports) return;
    auto changes = m_ports->rescan();
    if (!changes.ok()) {
        m_scanError = qs(changes.errorMessage());
        setStatus();
        return;
    }
    m_scanError.clear();
    const midi::MidiPortList& ports = m_ports->ports();
    // The chosen output: gone, or back.
    if (m_portOut.isOpen() && !m_ports->hasOutput(m_portOut.portName())) {
        const QString name = qs(m_portOut.portName());
        m_portOut.markConnectionLost("it is no longer listed");
        m_portOut.close();
        m_outputProblem =
            tr("MIDI output “%1” disconnected — will reconnect when it returns").arg(name);
    } else if (!m_settings.midiOutputPort.isEmpty() && !m_portOut.isOpen() &&
               midi::findPort(ports.outputs, m_settings.midiOutputPort.toStdString()) >= 0) {
        if (m_portOut.open(m_settings.midiOutputPort.toStdString(), m_ports->api()).ok()) {
            m_outputProblem.clear();
            if (m_playback.isPlaying()) playFrom(m_playback.playheadSeconds());
        }
    }
    // The chosen input.
    if (m_portIn.isOpen() && !m_ports->hasInput(m_portIn.portName())) {
        const QString name = qs(m_portIn.portName());
        m_portIn.markConnectionLost("it is no longer listed");
        pollInputs();  // keep what it sent before it went
        m_portIn.close();
        m_inputProblem =
            tr("MIDI input “%1” disconnected — will reconnect when it returns").arg(name);
    } else if (!m_settings.midiInputPort.isEmpty() && !m_portIn.isOpen() &&
               midi::findPort(ports.inputs, m_settings.midiInputPort.toStdString()) >= 0) {
        if (m_portIn.open(m_settings.midiInputPort.toStdString(), m_ports->api()).ok()) {
            m_inputProblem.clear();
            m_inputTimer.start();
        }
    }
    setStatus();
    if (!changes->empty()) emit portsChanged();
}

void MidiController::setStatus() {
    QStringList parts;
    if (m_portOut.isOpen()) parts << tr("out → %1").arg(qs(m_portOut.portName()));
    if (m_virtualOut.isOpen()) parts << tr("out → “%1”").arg(midi::kVirtualOutputName);
    if (m_portIn.isOpen()) parts << tr("in ← %1").arg(qs(m_portIn.portName()));
    if (m_virtualIn.isOpen()) parts << tr("in ← “%1”").arg(midi::kVirtualInputName);
    QString text = parts.isEmpty() ? QString() : tr("MIDI: %1").arg(parts.join(", "));
    for (const QString& problem : {m_outputProblem, m_inputProblem, m_scanError})
        if (!problem.isEmpty()) text += (text.isEmpty() ? "" : " · ") + problem;
    if (text == m_status) return;
    m_status = text;
    emit statusChanged(text);
}

// ---- Output -----------------------------------------------------------------------------------

std::shared_ptr<const midi::MidiSchedule> MidiController::makeSchedule(double fromSeconds) const {
    const core::NoteSequence audible =
        PlaybackController::audibleSequence(m_document.sequence(), m_document.tracks());
    auto schedule = std::make_shared<midi::MidiSchedule>(midi::MidiSchedule::fromSequence(audible));
    if (m_settings.clockOut) schedule->addClock(audible, fromSeconds);
    if (m_playback.isLoopEnabled() && m_playback.loopEnd() > fromSeconds) {
        // The wrap replays from the loop start; nothing after the loop end is sent.
        const double end = m_playback.loopEnd();
        std::erase_if(schedule->messages,
                      [end](const midi::TimedMidiMessage& m) { return m.time >= end; });
        schedule->endTime = end;
    }
    return schedule;
}

void MidiController::playFrom(double seconds) {
    if (!anyOutput()) return;
    const auto schedule = makeSchedule(seconds);
    if (m_portOut.isOpen()) m_portOut.play(schedule, seconds);
    if (m_virtualOut.isOpen()) m_virtualOut.play(schedule, seconds);
}

void MidiController::stopOutputs() {
    m_rescheduleTimer.stop();
    if (m_portOut.isOpen()) m_portOut.stop();
    if (m_virtualOut.isOpen()) m_virtualOut.stop();
}

void MidiController::onTransportStarted(double from) {
    playFrom(from);
    if (m_armed) startRecording();
}

void MidiController::onTransportStopped() {
    stopOutputs();
    if (m_recorder.isRecording()) finishRecording();
}

// ---- Input ------------------------------------------------------------------------------------

void MidiController::pollInputs() {
    for (midi::MidiInput* input : {&m_portIn, &m_virtualIn})
        while (std::optional<midi::TimedMidiMessage> m = input->pop()) handleInput(*m);
}

void MidiController::handleInput(const midi::TimedMidiMessage& message) {
    ++m_messagesIn;
    const midi::MidiMessage& m = message.message;
    if (m_inputFilter && m_inputFilter(m)) return;
    if (m_recorder.isRecording()) m_recorder.process(message);
    if (!m_settings.monitorInput) return;
    const int inChannel = m.channel();
    const int key = m.data1();
    if (m.isNoteOn()) {
        const TrackState track = m_document.trackState(m_currentTrack);
        int channel = m_playback.channelOfTrack(m_currentTrack, track.isDrum);
        if (channel < 0) channel = track.isDrum ? core::kDrumChannel : inChannel;
        m_monitored[size_t(inChannel)][size_t(key)] = int8_t(channel);
        m_playback.engine().liveNoteOn(channel, key, m.data2());
    } else if (m.isNoteOff()) {
        int8_t& channel = m_monitored[size_t(inChannel)][size_t(key)];
        if (channel >= 0) m_playback.engine().liveNoteOff(channel, key);
        channel = -1;
    }
}

void MidiController::sendLive(const midi::MidiMessage& message) {
    if (m_portOut.isOpen()) m_portOut.send(message);
    if (m_virtualOut.isOpen()) m_virtualOut.send(message);
}

// ---- Recording --------------------------------------------------------------------------------

void MidiController::setRecordArmed(bool armed) {
    if (armed == m_armed) return;
    m_armed = armed;
    emit recordArmedChanged(armed);
    if (armed && m_playback.isPlaying())
        startRecording();
    else if (!armed && m_recorder.isRecording())
        finishRecording();
}

void MidiController::startRecording() {
    if (m_recorder.isRecording()) return;
    pollInputs();  // what came before the take is not part of it
    const TrackState track = m_document.trackState(m_currentTrack);
    midi::MidiRecorderOptions options;
    options.instrument = m_currentTrack;
    options.program = track.program;
    options.isDrum = track.isDrum;
    options.stepsPerQuarter = m_settings.recordQuantizeSteps;
    m_recorder = midi::MidiRecorder(options, core::TempoMap(m_document.sequence()));
    const double songTime = m_playback.playheadSeconds();
    m_recorder.start(midi::midiNow(), songTime);
    // Keep the transport running past the document's end while recording.
    m_playback.setMinimumEnd(std::max(m_document.sequence().totalTime, songTime) + 3600.0);
    emit recordingChanged(true);
}

void MidiController::finishRecording() {
    if (!m_recorder.isRecording()) return;
    pollInputs();
    const core::NoteSequence take = m_recorder.stop(midi::midiNow());
    m_playback.setMinimumEnd(0.0);
    emit recordingChanged(false);
    if (take.notes.empty()) return;
    // One undo step; a note of an instrument without a track creates the track.
    std::vector<core::Note> notes = take.notes;
    const core::Note templ = m_document.noteTemplate(m_currentTrack);
    for (core::Note& n : notes) {
        n.instrument = m_currentTrack;
        n.program = templ.program;
        n.isDrum = templ.isDrum;
    }
    m_document.addNotes(notes, tr("Record MIDI"));
    emit takeRecorded(int(notes.size()));
}

}  // namespace toccata::app
