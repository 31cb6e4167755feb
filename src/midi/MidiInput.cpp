#include "midi/MidiInput.h"

#include "midi/RtMidiSupport.h"

namespace toccata::midi {

MidiInput::MidiInput(size_t queueCapacity)
    : m_sink(std::make_unique<detail::RtMidiErrorSink>()), m_queue(queueCapacity) {}

MidiInput::~MidiInput() { close(); }

core::Status MidiInput::open(const std::string& portName, MidiApi api) {
    return openWith(portName, api, false);
}

core::Status MidiInput::openVirtual(const std::string& name, MidiApi api) {
    return openWith(name, api, true);
}

core::Status MidiInput::openWith(const std::string& name, MidiApi api, bool isVirtual) {
    close();
    if (api == MidiApi::kAuto) api = MidiPortManager::chooseApi();
    const std::string what =
        std::string("Cannot open MIDI input \"") + name + "\" (" + apiName(api) + ")";
    m_sink = std::make_unique<detail::RtMidiErrorSink>();
    auto in = detail::makeRtMidi<RtMidiIn>(api, kClientName, *m_sink, what);
    if (!in) return in.error();
    (*in)->ignoreTypes(true, !m_receiveClock, true);
    (*in)->setCallback(&MidiInput::onMessage, this);
    auto opened = detail::openRtMidiPort(**in, *m_sink, name, isVirtual, "record", what);
    if (!opened) {
        m_portName.clear();
        return opened.error();
    }
    m_portName = std::move(opened).value();
    m_in = std::move(*in);
    m_lost.store(false);
    std::lock_guard lock(m_errorMutex);
    m_lastError.clear();
    return core::Status::success();
}

void MidiInput::close() {
    if (!m_in) return;
    try {
        m_in->cancelCallback();
        m_in->closePort();
    } catch (...) {  // RtMidi reports through the sink; nothing may escape close()
    }
    m_in.reset();
    m_portName.clear();
}

void MidiInput::onMessage(double, std::vector<unsigned char>* bytes, void* self) {
    auto* input = static_cast<MidiInput*>(self);
    if (!bytes || bytes->empty() || bytes->size() > 3) return;  // SysEx is not carried
    const TimedMidiMessage message{midiNow(), MidiMessage::fromBytes(bytes->data(), bytes->size())};
    input->m_received.fetch_add(1, std::memory_order_relaxed);
    if (!input->m_queue.push(message)) input->m_dropped.fetch_add(1, std::memory_order_relaxed);
}

std::vector<TimedMidiMessage> MidiInput::drain() {
    std::vector<TimedMidiMessage> out;
    while (auto m = m_queue.pop()) out.push_back(*m);
    return out;
}

bool MidiInput::connectionLost() const {
    return m_lost.load(std::memory_order_acquire) || (m_sink && m_sink->errorCount() > 0);
}

void MidiInput::markConnectionLost(const std::string& reason) {
    std::lock_guard lock(m_errorMutex);
    m_lastError = "MIDI input \"" + m_portName + "\" is gone: " + reason;
    m_lost.store(true, std::memory_order_release);
}

std::string MidiInput::lastError() const {
    std::lock_guard lock(m_errorMutex);
    if (m_lastError.empty() && m_sink && m_sink->errorCount() > 0)
        return "MIDI input \"" + m_portName + "\" reported an error";
    return m_lastError;
}

}  // namespace toccata::midi
