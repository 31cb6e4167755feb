#include "midi/MidiPortManager.h"

#include <algorithm>

#include "midi/RtMidiSupport.h"

namespace toccata::midi {
namespace {

std::vector<std::string> difference(const std::vector<std::string>& a,
                                    const std::vector<std::string>& b) {
    std::vector<std::string> out;
    for (const std::string& name : a)
        if (std::find(b.begin(), b.end(), name) == b.end()) out.push_back(name);
    return out;
}

template <typename T>
core::Result<std::vector<std::string>> listPorts(MidiApi api, const char* direction) {
    detail::RtMidiErrorSink sink;
    const std::string what =
        std::string("Cannot list MIDI ") + direction + " ports (" + apiName(api) + ")";
    auto object = detail::makeRtMidi<T>(api, std::string(kClientName) + " scan", sink, what);
    if (!object) return object.error();
    std::vector<std::string> names;
    const unsigned count = (*object)->getPortCount();
    for (unsigned i = 0; i < count; ++i) {
        std::string name = (*object)->getPortName(i);
        if (!name.empty()) names.push_back(std::move(name));
    }
    if (std::string error = sink.takeError(); !error.empty())
        return core::Result<std::vector<std::string>>::failure(what + ": " + error);
    if (api == MidiApi::kJack && count == 0 && !MidiPortManager::jackServerReachable())
        return core::Result<std::vector<std::string>>::failure(what +
                                                               ": the JACK server is not running");
    return names;
}

}  // namespace

const char* apiName(MidiApi api) {
    switch (api) {
        case MidiApi::kJack: return "JACK";
        case MidiApi::kAlsa: return "ALSA";
        case MidiApi::kAuto: break;
    }
    return "auto";
}

int findPort(const std::vector<std::string>& ports, const std::string& name) {
    if (name.empty()) return -1;
    for (size_t i = 0; i < ports.size(); ++i)
        if (ports[i] == name) return int(i);
    for (size_t i = 0; i < ports.size(); ++i)
        if (ports[i].find(name) != std::string::npos) return int(i);
    return -1;
}

MidiPortManager::MidiPortManager(MidiApi api) : m_api(api == MidiApi::kAuto ? chooseApi() : api) {}

bool MidiPortManager::jackServerReachable() {
    // RtMidi's JACK backend opens its client lazily (without starting a server) when ports are
    // first counted, and reports "JACK server not running?" as a warning when it cannot.
    detail::RtMidiErrorSink sink;
    auto probe = detail::makeRtMidi<RtMidiOut>(MidiApi::kJack, std::string(kClientName) + " probe",
                                               sink, "JACK probe");
    if (!probe) return false;
    (*probe)->getPortCount();
    const std::string warning = sink.lastWarning();
    return warning.find("not running") == std::string::npos && sink.takeError().empty();
}

MidiApi MidiPortManager::chooseApi() {
    std::vector<RtMidi::Api> compiled;
    RtMidi::getCompiledApi(compiled);
    const bool hasJack =
        std::find(compiled.begin(), compiled.end(), RtMidi::UNIX_JACK) != compiled.end();
    return hasJack && jackServerReachable() ? MidiApi::kJack : MidiApi::kAlsa;
}

core::Result<MidiPortList> MidiPortManager::scan() {
    auto inputs = listPorts<RtMidiIn>(m_api, "input");
    if (!inputs) return inputs.error();
    auto outputs = listPorts<RtMidiOut>(m_api, "output");
    if (!outputs) return outputs.error();
    m_ports = MidiPortList{std::move(*inputs), std::move(*outputs)};
    return m_ports;
}

bool MidiPortManager::hasInput(const std::string& name) const {
    return std::find(m_ports.inputs.begin(), m_ports.inputs.end(), name) != m_ports.inputs.end();
}

bool MidiPortManager::hasOutput(const std::string& name) const {
    return std::find(m_ports.outputs.begin(), m_ports.outputs.end(), name) != m_ports.outputs.end();
}

core::Result<MidiPortChanges> MidiPortManager::rescan() {
    const MidiPortList before = m_ports;
    auto now = scan();
    if (!now) return now.error();
    MidiPortChanges changes;
    changes.addedInputs = difference(now->inputs, before.inputs);
    changes.removedInputs = difference(before.inputs, now->inputs);
    changes.addedOutputs = difference(now->outputs, before.outputs);
    changes.removedOutputs = difference(before.outputs, now->outputs);
    return changes;
}

}  // namespace toccata::midi
