// Internal to toccata_midi: RtMidi is the only place exceptions may come from. Every RtMidi
// object gets an error callback (so RtMidi reports instead of throwing), and constructors -
// which throw before a callback can be set - are wrapped here and turned into core::Error.
#pragma once

#include <RtMidi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

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

}  // namespace toccata::midi::detail
