// Test helper: a JACK MIDI client with one input ("in") that records what arrives and one
// output ("out") that sends what the test queues - the far end of Toccata's ports.
#pragma once

#include <jack/jack.h>
#include <jack/midiport.h>

#include <string>
#include <vector>

#include "core/SpscQueue.h"
#include "midi/MidiMessage.h"

class JackProbe {
public:
    explicit JackProbe(const char* name) {
        jack_status_t status;
        m_client = jack_client_open(name, JackNoStartServer, &status);
        if (!m_client) return;
        m_in = jack_port_register(m_client, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
        m_out = jack_port_register(m_client, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
        jack_set_process_callback(m_client, &JackProbe::process, this);
        if (jack_activate(m_client) != 0) close();
    }
    ~JackProbe() { close(); }
    void close() {
        if (m_client) jack_client_close(m_client);
        m_client = nullptr;
    }
    bool ok() const { return m_client != nullptr; }
    jack_client_t* client() const { return m_client; }
    std::string inName() const { return jack_port_name(m_in); }
    std::string outName() const { return jack_port_name(m_out); }
    /// [test] Queues a message for the next process cycle.
    void send(const toccata::midi::MidiMessage& m) { m_toSend.push(m); }
    /// [test] What arrived so far.
    std::vector<toccata::midi::MidiMessage> received() {
        while (auto m = m_received.pop()) m_log.push_back(*m);
        while (auto f = m_frames.pop()) m_frameLog.push_back(*f);
        return m_log;
    }
    /// [test] The JACK frame time at which each received() message arrived.
    const std::vector<uint64_t>& receivedFrames() {
        received();
        return m_frameLog;
    }
    /// The full name of the one port matching `pattern` with `flags`, or "".
    std::string findPort(const char* pattern, unsigned long flags) const {
        const char** ports = jack_get_ports(m_client, pattern, JACK_DEFAULT_MIDI_TYPE, flags);
        std::string name = ports && ports[0] ? ports[0] : "";
        if (ports) jack_free(ports);
        return name;
    }
    bool connect(const std::string& from, const std::string& to) {
        return jack_connect(m_client, from.c_str(), to.c_str()) == 0;
    }

private:
    static int process(jack_nframes_t frames, void* self) {  // [jack]
        auto* p = static_cast<JackProbe*>(self);
        void* in = jack_port_get_buffer(p->m_in, frames);
        for (uint32_t i = 0, n = jack_midi_get_event_count(in); i < n; ++i) {
            jack_midi_event_t e;
            if (jack_midi_event_get(&e, in, i) == 0 && e.size <= 3) {
                p->m_received.push(toccata::midi::MidiMessage::fromBytes(e.buffer, e.size));
                p->m_frames.push(uint64_t(jack_last_frame_time(p->m_client)) + e.time);
            }
        }
        void* out = jack_port_get_buffer(p->m_out, frames);
        jack_midi_clear_buffer(out);
        while (auto m = p->m_toSend.pop()) jack_midi_event_write(out, 0, m->bytes.data(), m->size);
        return 0;
    }

    jack_client_t* m_client = nullptr;
    jack_port_t* m_in = nullptr;
    jack_port_t* m_out = nullptr;
    toccata::core::SpscQueue<toccata::midi::MidiMessage> m_received{65536};
    toccata::core::SpscQueue<toccata::midi::MidiMessage> m_toSend{1024};
    toccata::core::SpscQueue<uint64_t> m_frames{65536};
    std::vector<toccata::midi::MidiMessage> m_log;
    std::vector<uint64_t> m_frameLog;
};
