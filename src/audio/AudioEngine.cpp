#include "audio/AudioEngine.h"

#include <rtaudio/RtAudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

namespace toccata::audio {
namespace {

std::string apiListText() {
    std::string text;
    for (const AudioApiInfo& api : AudioEngine::availableApis())
        text += (text.empty() ? "" : ", ") + api.name;
    return text.empty() ? "none" : text;
}

/// RtAudio 5 reports errors by throwing RtAudioError; nothing may escape the engine.
template <typename F>
core::Status guarded(const std::string& what, F&& body) {
    try {
        body();
        return core::Status::success();
    } catch (const RtAudioError& error) {
        return core::Status::failure(what + ": " + error.getMessage());
    } catch (const std::exception& error) {
        return core::Status::failure(what + ": " + error.what());
    }
}

/// Block size of the silent clock (no device): about 10 ms at 48 kHz.
constexpr int kSilentClockFrames = 512;

/// RtAudio prints warnings to stderr by default; the engine reports them through Status.
void quietErrors(RtAudio& rt) { rt.showWarnings(false); }

}  // namespace

AudioEngine::AudioEngine() = default;

AudioEngine::~AudioEngine() {
    close();
    stopSilentClock();
    collectGarbage();
}

std::vector<AudioApiInfo> AudioEngine::availableApis() {
    std::vector<RtAudio::Api> apis;
    RtAudio::getCompiledApi(apis);
    std::vector<AudioApiInfo> result;
    for (RtAudio::Api api : apis)
        result.push_back({RtAudio::getApiName(api), RtAudio::getApiDisplayName(api)});
    return result;
}

core::Result<std::vector<AudioDeviceInfo>> AudioEngine::listDevices(const std::string& api) {
    const RtAudio::Api id = RtAudio::getCompiledApiByName(api);
    if (id == RtAudio::UNSPECIFIED)
        return core::Error{"Unknown audio API '" + api + "' (this build has: " + apiListText() +
                           ")"};
    std::vector<AudioDeviceInfo> devices;
    core::Status status = guarded("Could not list the devices of audio API '" + api + "'", [&] {
        RtAudio rt(id);
        quietErrors(rt);
        const unsigned count = rt.getDeviceCount();
        for (unsigned i = 0; i < count; ++i) {
            RtAudio::DeviceInfo info = rt.getDeviceInfo(i);
            if (!info.probed || info.outputChannels == 0) continue;
            devices.push_back({i, info.name, int(info.outputChannels), info.sampleRates,
                               info.preferredSampleRate, info.isDefaultOutput});
        }
    });
    if (!status.ok()) return status.error();
    return devices;
}

core::Status AudioEngine::setSoundFont(const std::string& path, const SynthSettings& settings) {
    SynthSettings wanted = settings;
    wanted.sampleRate = m_sampleRate;
    core::Result<std::unique_ptr<Synth>> synth = Synth::create(path, wanted);
    if (!synth.ok()) return synth.error();
    return setSynth(std::move(synth.value()), settings);
}

core::Status AudioEngine::setSynth(std::unique_ptr<Synth> synth, const SynthSettings& settings) {
    if (!synth) return core::Status::failure("setSynth: no synthesizer given");
    if (synth->sampleRate() != m_sampleRate)
        return core::Status::failure("The synthesizer for '" + synth->soundFontPath() +
                                     "' runs at " + std::to_string(synth->sampleRate()) +
                                     " Hz but the engine at " + std::to_string(m_sampleRate) +
                                     " Hz");
    pauseStream();
    m_renderer.setSynth(synth.get());
    m_soundFontPath = synth->soundFontPath();
    m_synth = std::move(synth);
    m_synthSettings = settings;
    if (m_status.state == EngineState::kRunning &&
        m_status.message.find("no SoundFont") != std::string::npos)
        m_status.message = m_status.message.substr(0, m_status.message.find(" (no SoundFont"));
    resumeStream();
    return core::Status::success();
}

core::Status AudioEngine::open(const AudioDeviceConfig& config) {
    close();
    stopSilentClock();
    if (config.sampleRate < 8000 || config.sampleRate > 96000) {
        m_status = {EngineState::kNoDevice, "Sample rate " + std::to_string(config.sampleRate) +
                                                " Hz is out of range (8000..96000 Hz)"};
        startSilentClock();
        return core::Status::failure(m_status.message);
    }
    if (config.bufferFrames < 16 || config.bufferFrames > 8192) {
        m_status = {EngineState::kNoDevice, "Buffer size " + std::to_string(config.bufferFrames) +
                                                " frames is out of range (16..8192)"};
        startSilentClock();
        return core::Status::failure(m_status.message);
    }
    std::vector<std::string> apis;
    if (!config.api.empty()) {
        apis.push_back(config.api);
    } else {
        for (const AudioApiInfo& api : availableApis())
            if (api.name != "dummy") apis.push_back(api.name);
    }
    std::string reasons;
    for (const std::string& api : apis) {
        core::Status opened = openWith(api, config);
        if (opened.ok()) return opened;
        reasons += (reasons.empty() ? "" : "; ") + opened.errorMessage();
    }
    if (apis.empty()) reasons = "this build of RtAudio has no audio API";
    m_status = {EngineState::kNoDevice, "No audio output: " + reasons};
    startSilentClock();
    return core::Status::failure(m_status.message);
}

core::Status AudioEngine::openWith(const std::string& api, const AudioDeviceConfig& config) {
    const RtAudio::Api id = RtAudio::getCompiledApiByName(api);
    if (id == RtAudio::UNSPECIFIED)
        return core::Status::failure("Unknown audio API '" + api +
                                     "' (this build has: " + apiListText() + ")");
    // The Synth must run at the stream's rate: (re)create it first when the rate changes.
    if (m_sampleRate != config.sampleRate || !m_synth) {
        m_sampleRate = config.sampleRate;
        if (!m_soundFontPath.empty()) {
            SynthSettings wanted = m_synthSettings;
            wanted.sampleRate = m_sampleRate;
            core::Result<std::unique_ptr<Synth>> synth = Synth::create(m_soundFontPath, wanted);
            if (!synth.ok()) return synth.error();
            m_renderer.setSynth(synth->get());
            m_synth = std::move(synth.value());
        }
    }
    unsigned bufferFrames = unsigned(config.bufferFrames);
    std::unique_ptr<RtAudio> stream;
    core::Status status = guarded("Audio API '" + api + "'", [&] {
        stream = std::make_unique<RtAudio>(id);
        quietErrors(*stream);
        if (stream->getDeviceCount() == 0) throw RtAudioError("no output devices found");
        RtAudio::StreamParameters out;
        out.deviceId =
            config.deviceId >= 0 ? unsigned(config.deviceId) : stream->getDefaultOutputDevice();
        out.nChannels = 2;
        RtAudio::StreamOptions options;
        options.flags = RTAUDIO_NONINTERLEAVED | RTAUDIO_MINIMIZE_LATENCY;
        if (!config.autoConnect) options.flags |= RTAUDIO_JACK_DONT_CONNECT;
        options.streamName = config.clientName;
        options.numberOfBuffers = 2;
        stream->openStream(&out, nullptr, RTAUDIO_FLOAT32, unsigned(config.sampleRate),
                           &bufferFrames, &AudioEngine::callback, this, &options);
        if (stream->getStreamSampleRate() != unsigned(config.sampleRate))
            throw RtAudioError("the device runs at " +
                               std::to_string(stream->getStreamSampleRate()) + " Hz, not " +
                               std::to_string(config.sampleRate) + " Hz");
        stream->startStream();
    });
    if (!status.ok()) {
        if (stream && stream->isStreamOpen()) stream->closeStream();
        return status;
    }
    m_rtAudio = std::move(stream);
    m_apiName = api;
    m_bufferFrames = int(bufferFrames);
    m_status = {EngineState::kRunning, RtAudio::getApiDisplayName(id) + ", " +
                                           std::to_string(m_sampleRate) + " Hz, " +
                                           std::to_string(m_bufferFrames) + " frames"};
    if (!m_synth) m_status.message += " (no SoundFont loaded: silent)";
    return core::Status::success();
}

void AudioEngine::close() {
    if (m_rtAudio) {
        (void)guarded("close", [&] {
            if (m_rtAudio->isStreamRunning()) m_rtAudio->stopStream();
            if (m_rtAudio->isStreamOpen()) m_rtAudio->closeStream();
        });
        m_rtAudio.reset();
    }
    m_bufferFrames = 0;
    m_status = {EngineState::kClosed, "Audio output closed"};
}

void AudioEngine::runWithoutDevice(const std::string& reason, int sampleRate) {
    close();
    stopSilentClock();
    if (sampleRate >= 8000 && sampleRate <= 96000 && sampleRate != m_sampleRate) {
        m_sampleRate = sampleRate;
        if (m_synth) {  // the synth must run at the clock's rate
            SynthSettings wanted = m_synthSettings;
            wanted.sampleRate = m_sampleRate;
            core::Result<std::unique_ptr<Synth>> synth = Synth::create(m_soundFontPath, wanted);
            m_renderer.setSynth(synth.ok() ? synth->get() : nullptr);
            m_synth = synth.ok() ? std::move(synth.value()) : nullptr;
        }
    }
    m_status = {EngineState::kNoDevice, reason};
    startSilentClock();
}

void AudioEngine::pauseStream() {
    if (m_rtAudio && m_rtAudio->isStreamRunning())
        (void)guarded("stop", [&] { m_rtAudio->stopStream(); });
    m_resumeSilentClock = m_silentClock.joinable();
    stopSilentClock();
}

void AudioEngine::resumeStream() {
    if (m_rtAudio && m_rtAudio->isStreamOpen() && !m_rtAudio->isStreamRunning())
        (void)guarded("start", [&] { m_rtAudio->startStream(); });
    if (m_resumeSilentClock) startSilentClock();
    m_resumeSilentClock = false;
}

void AudioEngine::startSilentClock() {
    if (m_silentClock.joinable() || m_rtAudio) return;
    m_silentClock = std::jthread([this](std::stop_token stop) { runSilentClock(stop); });
}

void AudioEngine::stopSilentClock() {
    if (!m_silentClock.joinable()) return;
    m_silentClock.request_stop();
    m_silentClock.join();
    m_silentClock = std::jthread();
}

void AudioEngine::runSilentClock(std::stop_token stop) {
    std::vector<float> left(kSilentClockFrames), right(kSilentClockFrames);
    const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(double(kSilentClockFrames) / m_sampleRate));
    auto next = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
        m_renderer.process(left.data(), right.data(), kSilentClockFrames);
        next += period;
        const auto now = std::chrono::steady_clock::now();
        if (now - next > std::chrono::seconds(1)) next = now;  // fell far behind: no burst
        std::this_thread::sleep_until(next);
    }
}

core::Status AudioEngine::setSequence(PlaybackSnapshot snapshot) {
    if (snapshot && std::lround(snapshot->sampleRate) != m_sampleRate)
        return core::Status::failure(
            "Playback events are for " + std::to_string(snapshot->sampleRate) +
            " Hz but the engine runs at " + std::to_string(m_sampleRate) + " Hz");
    collectGarbage();
    if (!m_renderer.submitSnapshot(std::move(snapshot)))
        return core::Status::failure("The audio thread has not taken the previous sequences yet");
    return core::Status::success();
}

core::Status AudioEngine::setSequence(const core::NoteSequence& sequence) {
    return setSequence(std::make_shared<const SequencePlayback>(
        SequencePlayback::fromSequence(sequence, double(m_sampleRate))));
}

bool AudioEngine::play() { return m_renderer.play(); }
bool AudioEngine::panic() { return m_renderer.panic(); }
bool AudioEngine::stop() { return m_renderer.stop(); }
bool AudioEngine::seek(double seconds) {
    return m_renderer.seekFrame(std::llround(std::max(0.0, seconds) * m_sampleRate));
}
bool AudioEngine::setLoop(double startSeconds, double endSeconds, bool enabled) {
    return m_renderer.setLoop(std::llround(std::max(0.0, startSeconds) * m_sampleRate),
                              std::llround(std::max(0.0, endSeconds) * m_sampleRate), enabled);
}
bool AudioEngine::liveNoteOn(int channel, int key, int velocity) {
    return m_renderer.liveNote(channel, key, std::max(1, velocity));
}
bool AudioEngine::liveNoteOff(int channel, int key) { return m_renderer.liveNote(channel, key, 0); }

int AudioEngine::collectGarbage() { return m_renderer.collectGarbage(); }

double AudioEngine::playheadSeconds() const {
    return double(m_renderer.playheadFrame()) / double(m_sampleRate);
}

double AudioEngine::latencySeconds() const {
    if (!m_rtAudio || !m_rtAudio->isStreamOpen()) return 0.0;
    long latency = 0;
    (void)guarded("latency", [&] { latency = m_rtAudio->getStreamLatency(); });
    return double(std::max(0L, latency) + m_bufferFrames) / double(m_sampleRate);
}

int AudioEngine::callback(void* output, void* /*input*/, unsigned frames, double /*streamTime*/,
                          unsigned status, void* user) {
    auto* self = static_cast<AudioEngine*>(user);
    if (status & RTAUDIO_OUTPUT_UNDERFLOW) self->m_xruns.fetch_add(1, std::memory_order_relaxed);
    auto* left = static_cast<float*>(output);
    self->m_renderer.process(left, left + frames, int(frames));
    return 0;
}

}  // namespace toccata::audio
