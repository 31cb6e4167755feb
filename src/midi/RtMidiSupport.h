// Internal to toccata_midi: RtMidi is the only place exceptions may come from. Every RtMidi
// object gets an error callback (so RtMidi reports instead of throwing), and constructors -
// which throw before a callback can be set - are wrapped here and turned into core::Error.
#pragma once

#include <RtMidi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/Result.h"
#include "midi/MidiPortManager.h"

namespace toccata::midi::detail {

/// Collects what RtMidi reports through its error callback. [any]
class RtMidiErrorSink {
public:
    static void callback(RtMidiError::Type type, const std::string& text, void* self) {
        auto* sink = static_cast<RtMidiErrorSink*>(self);
        std::lock_guard lock(sink->m_mutex);
        if (type == RtMidiError::WARNING || type == RtMidiError::DEBUG_WARNING) {
            sink->m_lastWarning = text;
            return;
        }
        sink->m_lastError = text;
        sink->m_errorCount.fetch_add(1, std::memory_order_relaxed);
    }
    /// The last error (not warning) since the last take, "" when none.
    std::string takeError() {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_lastError, {});
    }
    std::string lastWarning() const {
        std::lock_guard lock(m_mutex);
        return m_lastWarning;
    }
    int errorCount() const { return m_errorCount.load(std::memory_order_relaxed); }

private:
    mutable std::mutex m_mutex;
    std::string m_lastError;
    std::string m_lastWarning;
    std::atomic<int> m_errorCount{0};
};

inline RtMidi::Api toRtApi(MidiApi api) {
    switch (api) {
        case MidiApi::kJack: return RtMidi::UNIX_JACK;
        case MidiApi::kAlsa: return RtMidi::LINUX_ALSA;
        case MidiApi::kAuto: break;
    }
    return RtMidi::UNSPECIFIED;
}

/// Creates an RtMidiIn/RtMidiOut with the sink attached, or an Error naming `what`.
template <typename T>
core::Result<std::unique_ptr<T>> makeRtMidi(MidiApi api, const std::string& clientName,
                                            RtMidiErrorSink& sink, const std::string& what) {
    try {
        auto object = std::make_unique<T>(toRtApi(api), clientName);
        object->setErrorCallback(&RtMidiErrorSink::callback, &sink);
        return object;
    } catch (const RtMidiError& e) {
        return core::Result<std::unique_ptr<T>>::failure(what + ": " + e.getMessage());
    } catch (const std::exception& e) {
        return core::Result<std::unique_ptr<T>>::failure(what + ": " + e.what());
    }
}

/// Opens `port` as the virtual port `name`, or connects it to the existing port matching
/// `name` (exact, else substring) with `ourEnd` naming our side of the connection. Returns the
/// port name in use; errors start with `what` and say why. [ui]
inline core::Result<std::string> openRtMidiPort(RtMidi& port, RtMidiErrorSink& sink,
                                                const std::string& name, bool isVirtual,
                                                const char* ourEnd, const std::string& what) {
    std::string portName = name;
    if (isVirtual) {
        port.openVirtualPort(name);
    } else {
        std::vector<std::string> ports;
        for (unsigned i = 0, n = port.getPortCount(); i < n; ++i)
            ports.push_back(port.getPortName(i));
        const int index = findPort(ports, name);
        if (index < 0) {
            const std::string warning = sink.lastWarning();
            return core::Result<std::string>::failure(
                what + ": no such port" + (warning.empty() ? "" : " (" + warning + ")"));
        }
        portName = ports[size_t(index)];
        port.openPort(unsigned(index), ourEnd);
    }
    // RtMidi only marks ports it connected as open; virtual ones report errors only.
    if (std::string error = sink.takeError();
        !error.empty() || (!isVirtual && !port.isPortOpen())) {
        if (error.empty()) error = sink.lastWarning();
        return core::Result<std::string>::failure(what + ": " +
                                                  (error.empty() ? "not opened" : error));
    }
    return portName;
}

}  // namespace toccata::midi::detail
