#include "midi/MidiOutput.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/TempoMap.h"
#include "midi/RtMidiSupport.h"

namespace toccata::midi {
namespace {
constexpr double kMaxSleepSeconds = 0.005;  // bounds a missed wake-up
}

MidiOutput::MidiOutput() : m_sink(std::make_unique<detail::RtMidiErrorSink>()) {}

MidiOutput::~MidiOutput() { close(); }

core::Status MidiOutput::open(const std::string& portName, MidiApi api) {
    return openWith(portName, api, false);
}

core::Status MidiOutput::openVirtual(const std::string& name, MidiApi api) {
    return openWith(name, api, true);
}

core::Status MidiOutput::openWith(const std::string& name, MidiApi api, bool isVirtual) {
    close();
    if (api == MidiApi::kAuto) api = MidiPortManager::chooseApi();
    const std::string what =
        std::string("Cannot open MIDI output \"") + name + "\" (" + apiName(api) + ")";
    m_sink = std::make_unique<detail::RtMidiErrorSink>();
    auto out = detail::makeRtMidi<RtMidiOut>(api, kClientName, *m_sink, what);
    if (!out) return out.error();
    auto opened = detail::openRtMidiPort(**out, *m_sink, name, isVirtual, "playback", what);
    if (!opened) {
        m_portName.clear();
        return opened.error();
    }
    m_portName = std::move(opened).value();
    m_out = std::move(*out);
    m_api = api;
    m_lost.store(false);
    {
        std::lock_guard lock(m_errorMutex);
        m_lastError.clear();
    }
    m_held = {};
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
    return core::Status::success();
}

void MidiOutput::close() {
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_wake.notify_all();
        m_thread.join();  // run() silences the port on the way out
    }
    while (m_commands.pop()) {
    }
    m_schedule.reset();
    m_playing.store(false);
    if (m_out) {
        try {
            m_out->closePort();
        } catch (...) {  // RtMidi reports through the sink; nothing may escape close()
        }
    }
    m_out.reset();
    m_portName.clear();
}

bool MidiOutput::push(Command&& command) {
    if (!m_out) return false;
    if (!m_commands.push(std::move(command))) return false;
    m_wake.notify_one();
    return true;
}

bool MidiOutput::send(const MidiMessage& message) {
    Command c;
    c.kind = Command::kSend;
    c.message = message;
    return push(std::move(c));
}

bool MidiOutput::play(std::shared_ptr<const MidiSchedule> schedule, double fromSeconds) {
    if (!m_out || !schedule) return false;
    m_playing.store(true, std::memory_order_release);
    Command c;
    c.kind = Command::kPlay;
    c.schedule = std::move(schedule);
    c.fromSeconds = fromSeconds;
    if (push(std::move(c))) return true;
    m_playing.store(false);
    return false;
}

bool MidiOutput::play(const core::NoteSequence& sequence, double fromSeconds, bool withClock) {
    auto schedule = std::make_shared<MidiSchedule>(MidiSchedule::fromSequence(sequence));
    if (withClock) schedule->addClock(sequence, fromSeconds);
    return play(std::shared_ptr<const MidiSchedule>(std::move(schedule)), fromSeconds);
}

bool MidiOutput::stop() {
    Command c;
    c.kind = Command::kStop;
    return push(std::move(c));
}

void MidiOutput::markConnectionLost(const std::string& reason) {
    setError("MIDI output \"" + m_portName + "\" is gone: " + reason);
    m_lost.store(true, std::memory_order_release);
}

std::string MidiOutput::lastError() const {
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void MidiOutput::setError(const std::string& message) {
    std::lock_guard lock(m_errorMutex);
    m_lastError = message;
}

void MidiOutput::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        while (auto command = m_commands.pop()) handle(*command);
        double sleepFor = kMaxSleepSeconds;
        if (m_schedule) {
            const double songNow = m_songStart + (midiNow() - m_wallStart);
            const auto& messages = m_schedule->messages;
            while (m_next < messages.size() && messages[m_next].time <= songNow)
                sendNow(messages[m_next++].message);
            m_playhead.store(songNow, std::memory_order_relaxed);
            if (m_next >= messages.size() && songNow >= m_schedule->endTime) {
                m_schedule.reset();
                m_playing.store(false, std::memory_order_release);
            } else if (m_next < messages.size()) {
                sleepFor = std::clamp(messages[m_next].time - songNow, 0.0, kMaxSleepSeconds);
            }
        }
        if (sleepFor > 0.0) {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait_for(lock, std::chrono::duration<double>(sleepFor),
                            [&] { return !m_commands.empty() || stop.stop_requested(); });
        }
    }
    if (m_schedule || m_clockRunning) silence();
    m_schedule.reset();
    m_playing.store(false, std::memory_order_release);
}

void MidiOutput::handle(Command& command) {
    switch (command.kind) {
        case Command::kSend: sendNow(command.message); break;
        case Command::kStop:
            silence();
            m_schedule.reset();
            m_playing.store(false, std::memory_order_release);
            break;
        case Command::kPlay: {
            if (m_schedule) silence();
            m_schedule = std::move(command.schedule);
            m_songStart = command.fromSeconds;
            m_wallStart = midiNow();
            m_next = m_schedule->firstIndexAt(command.fromSeconds);
            std::array<int, 16> program;
            program.fill(-1);
            for (size_t i = 0; i < m_next; ++i) {  // chase program changes
                const MidiMessage& m = m_schedule->messages[i].message;
                if (m.type() == kProgramChange) program[size_t(m.channel())] = m.data1();
            }
            for (int c = 0; c < 16; ++c)
                if (program[size_t(c)] >= 0) sendNow(programChange(c, program[size_t(c)]));
            m_playhead.store(command.fromSeconds, std::memory_order_relaxed);
            m_playing.store(true, std::memory_order_release);
            break;
        }
    }
}

void MidiOutput::sendNow(const MidiMessage& message) {
    if (!m_out || message.size == 0) return;
    const int errorsBefore = m_sink->errorCount();
    m_out->sendMessage(message.bytes.data(), message.size);
    if (m_sink->errorCount() != errorsBefore) {
        setError("Sending to MIDI output \"" + m_portName + "\" failed: " + m_sink->takeError());
        m_lost.store(true, std::memory_order_release);
        return;
    }
    m_sent.fetch_add(1, std::memory_order_relaxed);
    const int channel = message.channel();
    if (message.isNoteOn()) {
        uint8_t& held = m_held[size_t(channel)][size_t(message.data1())];
        held = uint8_t(std::min(255, held + 1));
    } else if (message.isNoteOff()) {
        uint8_t& held = m_held[size_t(channel)][size_t(message.data1())];
        held = held > 0 ? uint8_t(held - 1) : 0;
    } else if (message.type() == kStart || message.type() == kContinue) {
        m_clockRunning = true;
    } else if (message.type() == kStop) {
        m_clockRunning = false;
    }
}

void MidiOutput::silence() {
    for (int channel = 0; channel < 16; ++channel)
        for (int key = 0; key < 128; ++key)
            if (std::exchange(m_held[size_t(channel)][size_t(key)], uint8_t(0)) > 0)
                sendNow(noteOff(channel, key));
    for (int channel = 0; channel < 16; ++channel) {
        sendNow(controlChange(channel, kSustainController, 0));
        sendNow(allNotesOff(channel));
    }
    if (m_clockRunning) sendNow(stopMessage());
}

}  // namespace toccata::midi
