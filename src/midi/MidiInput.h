// MidiInput: one MIDI input port (another program's, hardware, or Toccata's own virtual
// "Toccata In"). RtMidi's callback thread stamps each message with midiNow() and pushes it
// into an SPSC queue; one consumer (the UI for recording, or the audio engine's live-note
// feeder) pops them. SysEx, Active Sensing and (unless asked for) clock are ignored.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"
#include "core/SpscQueue.h"
#include "midi/MidiMessage.h"
#include "midi/MidiPortManager.h"

class RtMidiIn;

namespace toccata::midi {
namespace detail {
class RtMidiErrorSink;
}

class MidiInput {
public:
    explicit MidiInput(size_t queueCapacity = 4096);
    ~MidiInput();
    MidiInput(const MidiInput&) = delete;
    MidiInput& operator=(const MidiInput&) = delete;

    /// [ui] Connects to the input port named `portName` (exact, else substring; findPort()).
    core::Status open(const std::string& portName, MidiApi api = MidiApi::kAuto);
    /// [ui] Creates Toccata's own virtual input port that other programs can write to.
    core::Status openVirtual(const std::string& name = kVirtualInputName,
                             MidiApi api = MidiApi::kAuto);
    /// [ui] Stops the callbacks and closes the port. Messages already queued stay poppable.
    void close();
    bool isOpen() const { return m_in != nullptr; }
    const std::string& portName() const { return m_portName; }
    /// [ui] Before open(): also pass MIDI clock/Start/Stop (ignored by default).
    void setReceiveClock(bool receive) { m_receiveClock = receive; }

    /// [consumer - exactly one thread] The oldest incoming message, or nullopt.
    std::optional<TimedMidiMessage> pop() { return m_queue.pop(); }
    /// [consumer] Pops everything queued (allocates: not for [audio]).
    std::vector<TimedMidiMessage> drain();

    /// [any] Messages lost because the queue was full.
    uint64_t droppedCount() const { return m_dropped.load(std::memory_order_relaxed); }
    /// [any] Messages received so far.
    uint64_t receivedCount() const { return m_received.load(std::memory_order_relaxed); }
    /// [any] True once RtMidi reported an error or the port was reported gone.
    bool connectionLost() const;
    /// [ui] Called when MidiPortManager::rescan() no longer lists the connected port.
    void markConnectionLost(const std::string& reason);
    /// [any] What went wrong last, naming the port ("" when nothing did).
    std::string lastError() const;

private:
    static void onMessage(double delta, std::vector<unsigned char>* bytes,
                          void* self);  // [midi-in]
    core::Status openWith(const std::string& name, MidiApi api, bool isVirtual);

    std::unique_ptr<detail::RtMidiErrorSink> m_sink;
    std::unique_ptr<RtMidiIn> m_in;
    std::string m_portName;
    bool m_receiveClock = false;
    core::SpscQueue<TimedMidiMessage> m_queue;
    std::atomic<uint64_t> m_dropped{0};
    std::atomic<uint64_t> m_received{0};
    std::atomic<bool> m_lost{false};
    mutable std::mutex m_errorMutex;
    std::string m_lastError;
};

}  // namespace toccata::midi
