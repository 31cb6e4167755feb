// AudioEngine: real-time playback through RtAudio (JACK, PulseAudio or ALSA, whichever this
// build of RtAudio has and can open) driving a FluidSynth Synth from the audio callback. The
// callback body is PlaybackRenderer::process: no allocation, locks, logging or Qt; edits reach
// it as immutable SequencePlayback snapshots through SPSC queues. Without a usable device the
// engine stays in kNoDevice and engineState().message says why; the rest of the app keeps
// working (offline rendering needs no device): a "silent clock" thread then drives the same
// renderer in real time into a scratch buffer, so the transport, the playhead and everything
// that follows it (MIDI out, recording) behave as with a device.
// Threads: every method is [ui] (one controlling thread) unless marked otherwise.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audio/PlaybackRenderer.h"
#include "audio/SequencePlayback.h"
#include "audio/Synth.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

class RtAudio;

namespace toccata::audio {

struct AudioDeviceInfo {
    unsigned id = 0;  // RtAudio device index within its API
    std::string name;
    int outputChannels = 0;
    std::vector<unsigned> sampleRates;
    unsigned preferredSampleRate = 0;
    bool isDefaultOutput = false;
};

struct AudioApiInfo {
    std::string name;         // RtAudio's short name: "jack", "pulse", "alsa", "dummy"
    std::string displayName;  // "Jack", "Pulse", "ALSA"
};

struct AudioDeviceConfig {
    std::string api;         // short name; empty: the first compiled API that opens
    int deviceId = -1;       // -1: the API's default output device
    int sampleRate = 48000;  // Hz
    int bufferFrames = 256;  // requested; the API may choose another (see bufferFrames())
    std::string clientName = "Toccata";  // JACK client / stream name
    bool autoConnect = true;             // JACK: connect to the system playback ports
};

enum class EngineState { kClosed, kRunning, kNoDevice };

struct EngineStatus {
    EngineState state = EngineState::kClosed;
    std::string message;  // for the status bar: the device, or why there is none
};

class AudioEngine {
public:
    AudioEngine();
    ~AudioEngine();
    AudioEngine(const AudioEngine&) = delete;
    AudioEngine& operator=(const AudioEngine&) = delete;

    /// [any] RtAudio APIs compiled into this build (they may still fail to open).
    static std::vector<AudioApiInfo> availableApis();
    /// [ui] Output devices of `api` (short name). Fails with a clear message for an unknown API
    /// or one that cannot be probed (e.g. no JACK server running).
    static core::Result<std::vector<AudioDeviceInfo>> listDevices(const std::string& api);

    /// Loads the SoundFont the engine plays (replacing the current one; the stream pauses for
    /// the swap). May be called before or after open().
    core::Status setSoundFont(const std::string& path, const SynthSettings& settings = {});
    /// Installs a Synth created elsewhere (e.g. loaded on a worker thread with Synth::create);
    /// it must run at sampleRate(). Its SoundFont becomes the engine's.
    core::Status setSynth(std::unique_ptr<Synth> synth, const SynthSettings& settings = {});
    /// The loaded SoundFont ("" when none).
    const std::string& soundFontPath() const { return m_soundFontPath; }
    /// Opens and starts the output stream (closing any open one). On failure the engine is in
    /// kNoDevice and the message names the API/device and RtAudio's reason.
    core::Status open(const AudioDeviceConfig& config);
    void close();
    /// Closes any stream and runs on the silent clock at `sampleRate` (kNoDevice, with
    /// `reason` as the message): e.g. when the user turned audio output off.
    void runWithoutDevice(const std::string& reason, int sampleRate = 48000);

    /// Replaces what plays. The snapshot's sample rate must be the stream's (sampleRate()).
    core::Status setSequence(PlaybackSnapshot snapshot);
    core::Status setSequence(const core::NoteSequence& sequence);

    // Transport (queued to the audio thread; false when its queue is full).
    bool play();
    bool stop();
    bool seek(double seconds);
    bool setLoop(double startSeconds, double endSeconds, bool enabled);
    /// Stops and silences at once: sequence and live notes off, all sounds off (no tails).
    bool panic();
    /// [any, one producer thread] Live notes (MIDI input, Piano Genie). velocity 0 = off.
    bool liveNoteOn(int channel, int key, int velocity);
    bool liveNoteOff(int channel, int key);

    /// Frees snapshots the audio thread has returned; call it regularly (e.g. from a timer).
    int collectGarbage();

    // [any] State published by the audio thread.
    double playheadSeconds() const;
    bool isPlaying() const { return m_renderer.isPlaying(); }
    long long xrunCount() const { return m_xruns.load(std::memory_order_relaxed); }

    EngineStatus engineState() const { return m_status; }
    bool isOpen() const { return m_status.state == EngineState::kRunning; }
    /// True while no device is open and the silent clock drives the renderer instead.
    bool isSilentClockRunning() const { return m_silentClock.joinable(); }
    int sampleRate() const { return m_sampleRate; }
    int bufferFrames() const { return m_bufferFrames; }
    std::string apiName() const { return m_apiName; }
    /// Output latency: RtAudio's stream latency plus one buffer, in seconds (0 when closed).
    double latencySeconds() const;

    /// The renderer the callback drives (tests and benchmarks).
    PlaybackRenderer& renderer() { return m_renderer; }

private:
    static int callback(void* output, void* input, unsigned frames, double streamTime,
                        unsigned status, void* user);
    core::Status openWith(const std::string& api, const AudioDeviceConfig& config);
    void pauseStream();
    void resumeStream();
    void startSilentClock();
    void stopSilentClock();
    void runSilentClock(std::stop_token stop);  // [silent clock]

    PlaybackRenderer m_renderer;
    std::unique_ptr<Synth> m_synth;
    std::unique_ptr<RtAudio> m_rtAudio;
    std::string m_soundFontPath;
    SynthSettings m_synthSettings;
    EngineStatus m_status;
    std::string m_apiName;
    int m_sampleRate = 48000;
    int m_bufferFrames = 0;
    std::atomic<long long> m_xruns{0};
    std::jthread m_silentClock;
    bool m_resumeSilentClock = false;
};

}  // namespace toccata::audio
