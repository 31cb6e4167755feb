// Test helper: a JACK client with one input port that records what arrives into a buffer
// allocated up front (the process callback only copies). Used by the audio engine and the
// playback controller tests under their private JACK servers.
#pragma once

#include <jack/jack.h>

#include <atomic>
#include <string>
#include <vector>

namespace toccata::test {

class JackAudioRecorder {
public:
    /// Opens client `name` on the running server with room for `frames` samples.
    bool open(const char* name, size_t frames) {
        m_client = jack_client_open(name, JackNoStartServer, nullptr);
        if (!m_client) return false;
        m_port = jack_port_register(m_client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        m_samples.assign(frames, 0.0f);
        jack_set_process_callback(m_client, &JackAudioRecorder::process, this);
        return m_port && jack_activate(m_client) == 0;
    }
    ~JackAudioRecorder() {
        if (m_client) jack_client_close(m_client);
    }
    /// Connects the first audio output of client `clientName` to the input.
    bool connectFrom(const char* clientName) {
        const char** ports =
            jack_get_ports(m_client, clientName, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput);
        const bool ok =
            ports && ports[0] && jack_connect(m_client, ports[0], jack_port_name(m_port)) == 0;
        if (ports) jack_free(ports);
        return ok;
    }
    /// Records from the next block on, from the start of the buffer.
    void start() {
        m_recording.store(false);
        m_written.store(0);  // safe: process() writes nothing while not recording
        m_recording.store(true);
    }
    bool full() const { return m_written.load() >= m_samples.size(); }
    const std::vector<float>& samples() const { return m_samples; }

private:
    static int process(jack_nframes_t frames, void* arg) {
        auto* self = static_cast<JackAudioRecorder*>(arg);
        if (!self->m_recording.load()) return 0;
        const auto* in = static_cast<const float*>(jack_port_get_buffer(self->m_port, frames));
        size_t at = self->m_written.load();
        for (jack_nframes_t i = 0; i < frames && at < self->m_samples.size(); ++i)
            self->m_samples[at++] = in[i];
        self->m_written.store(at);
        return 0;
    }

    jack_client_t* m_client = nullptr;
    jack_port_t* m_port = nullptr;
    std::vector<float> m_samples;
    std::atomic<bool> m_recording{false};
    std::atomic<size_t> m_written{0};
};

}  // namespace toccata::test
