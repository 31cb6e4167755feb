// MidiPortManager: which MIDI system to use (JACK when a server is reachable, else ALSA) and
// which input and output ports exist - hardware and other programs' virtual ports. rescan()
// says what appeared and what went away, so the UI can react to hot-plugging.
#pragma once

#include <string>
#include <vector>

#include "core/Result.h"

namespace toccata::midi {

enum class MidiApi { kAuto, kJack, kAlsa };

inline constexpr const char* kClientName = "Toccata";
inline constexpr const char* kVirtualOutputName = "Toccata Out";
inline constexpr const char* kVirtualInputName = "Toccata In";

/// "JACK", "ALSA" or "auto".
const char* apiName(MidiApi api);

struct MidiPortList {
    std::vector<std::string> inputs;   // ports Toccata can read from
    std::vector<std::string> outputs;  // ports Toccata can write to
    bool operator==(const MidiPortList&) const = default;
};

struct MidiPortChanges {
    std::vector<std::string> addedInputs, removedInputs;
    std::vector<std::string> addedOutputs, removedOutputs;
    bool empty() const {
        return addedInputs.empty() && removedInputs.empty() && addedOutputs.empty() &&
               removedOutputs.empty();
    }
};

/// Index of the port called `name` in `ports`: an exact match first, then the first port whose
/// name contains `name` (as Magenta's --midi_port does); -1 when none matches.
int findPort(const std::vector<std::string>& ports, const std::string& name);

class MidiPortManager {
public:
    /// [ui] kAuto resolves now (see chooseApi()).
    explicit MidiPortManager(MidiApi api = MidiApi::kAuto);

    /// [any] kJack when a JACK server answers (JACK_DEFAULT_SERVER is honoured), else kAlsa.
    static MidiApi chooseApi();
    /// [any] Whether a JACK server is reachable right now.
    static bool jackServerReachable();

    MidiApi api() const { return m_api; }

    /// [ui] Lists the ports now; remembers them for rescan(). The error names the MIDI system.
    core::Result<MidiPortList> scan();
    /// [ui] Lists again and reports the difference from the last scan. When a port used by an
    /// open MidiInput/MidiOutput is among the removed ones, tell it (markConnectionLost()).
    core::Result<MidiPortChanges> rescan();
    /// [ui] The ports of the last successful scan.
    const MidiPortList& ports() const { return m_ports; }
    /// [ui] Whether the last scan listed this exact input/output port name (an open port's
    /// portName()); false means it is gone - e.g. a USB device was unplugged.
    bool hasInput(const std::string& name) const;
    bool hasOutput(const std::string& name) const;

private:
    MidiApi m_api;
    MidiPortList m_ports;
};

}  // namespace toccata::midi
