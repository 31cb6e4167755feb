// MidiOutput: one MIDI output port (another program's, hardware, or Toccata's own virtual
// "Toccata Out") and the small sender thread that writes to it. The UI hands it schedules and
// single messages through an SPSC queue; the sender plays them against the steady clock,
// remembers which notes sound, and silences the port on stop. Never called from [audio].
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/SpscQueue.h"
#include "midi/MidiMessage.h"
#include "midi/MidiPortManager.h"
#include "midi/MidiSchedule.h"

class RtMidiOut;

namespace toccata::midi {
namespace detail {
class RtMidiErrorSink;
}

class MidiOutput {
public:
    MidiOutput();
    ~MidiOutput();  // stops playback (notes off) and closes the port
    MidiOutput(const MidiOutput&) = delete;
    MidiOutput& operator=(const MidiOutput&) = delete;

    /// [ui] Connects to the output port named `portName` (exact, else substring; findPort()).
    core::Status open(const std::string& portName, MidiApi api = MidiApi::kAuto);
    /// [ui] Creates Toccata's own virtual output port that other programs (a DAW) can read.
    core::Status openVirtual(const std::string& name = kVirtualOutputName,
                             MidiApi api = MidiApi::kAuto);
    /// [ui] Silences, stops the sender thread and closes the port. Safe when not open.
    void close();
    /// [ui]
    bool isOpen() const { return m_out != nullptr; }
    const std::string& portName() const { return m_portName; }
    MidiApi api() const { return m_api; }

    /// [ui] Queues one message to be sent as soon as possible. False when not open or full.
    bool send(const MidiMessage& message);
    /// [ui] Plays `schedule` from song time `fromSeconds` (replacing what plays): program
    /// changes before `fromSeconds` are sent first so each channel has its instrument.
    bool play(std::shared_ptr<const MidiSchedule> schedule, double fromSeconds = 0.0);
    /// [ui] Convenience: MidiSchedule::fromSequence(), plus MIDI clock when `withClock`.
    bool play(const core::NoteSequence& sequence, double fromSeconds = 0.0, bool withClock = false);
    /// [ui] Stops: note-off for every sounding note, then sustain off and All Notes Off
    /// (CC 123) on all 16 channels, and MIDI Stop (0xFC) when clock was running.
    bool stop();

    /// [any] Whether a schedule is playing (false again once it has played to its end).
    bool isPlaying() const { return m_playing.load(std::memory_order_acquire); }
    /// [any] Song time the sender has reached.
    double playheadSeconds() const { return m_playhead.load(std::memory_order_relaxed); }
    /// [any] Messages written to the port so far.
    uint64_t sentCount() const { return m_sent.load(std::memory_order_relaxed); }
    /// [any] True once sending failed or the port was reported gone; the UI says so.
    bool connectionLost() const { return m_lost.load(std::memory_order_acquire); }
    /// [ui] Called when MidiPortManager::rescan() no longer lists the connected port.
    void markConnectionLost(const std::string& reason);
    /// [any] What went wrong last, naming the port ("" when nothing did).
    std::string lastError() const;

private:
    struct Command {
        enum Kind { kSend, kPlay, kStop } kind = kSend;
        MidiMessage message;
        std::shared_ptr<const MidiSchedule> schedule;
        double fromSeconds = 0.0;
    };
    core::Status openWith(const std::string& name, MidiApi api, bool isVirtual);
    bool push(Command&& command);
    void run(std::stop_token stop);            // [sender]
    void handle(Command& command);             // [sender]
    void sendNow(const MidiMessage& message);  // [sender]
    void silence();                            // [sender]
    void setError(const std::string& message);

    std::unique_ptr<detail::RtMidiErrorSink> m_sink;
    std::unique_ptr<RtMidiOut> m_out;
    std::string m_portName;
    MidiApi m_api = MidiApi::kAuto;
    core::SpscQueue<Command> m_commands{1024};
    std::jthread m_thread;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;

    // [sender] state
    std::shared_ptr<const MidiSchedule> m_schedule;
    size_t m_next = 0;
    double m_songStart = 0.0;  // song time at m_wallStart
    double m_wallStart = 0.0;  // midiNow() when playing started
    bool m_clockRunning = false;
    std::array<std::array<uint8_t, 128>, 16> m_held{};

    std::atomic<bool> m_playing{false};
    std::atomic<double> m_playhead{0.0};
    std::atomic<uint64_t> m_sent{0};
    std::atomic<bool> m_lost{false};
    mutable std::mutex m_errorMutex;
    std::string m_lastError;
};

}  // namespace toccata::midi
