// Key event -> note-on latency for `toccata-cli bench genie`: a private jackd on the dummy
// driver (or a running server), the real AudioEngine on it, a LiveNoteProbe on its renderer,
// and key events at random moments: each one is a steady-clock stamp, a Piano Genie press and
// a live note-on, and the probe stamps the callback that takes the note and the end of the
// block that renders it.
#include "cli/commands/BenchGenieLatency.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/Command.h"
#include "cli/commands/BenchTarget.h"
#include "ml/models/piano_genie/PianoGenie.h"

#ifdef TOCCATA_HAVE_AUDIO
#include "audio/AudioEngine.h"
#include "audio/LiveNoteProbe.h"
#include "audio/SoundFontLocator.h"
#endif

extern char** environ;

namespace toccata::cli {

#ifndef TOCCATA_HAVE_AUDIO

GenieLatencyResult measureGenieLatency(const GenieLatencyOptions&,
                                       std::shared_ptr<const ml::PianoGenieModel>) {
    GenieLatencyResult r;
    r.skipped = true;
    r.problem = "this toccata-cli was built without audio (TOCCATA_AUDIO off)";
    return r;
}

#else

namespace {

namespace fs = std::filesystem;
constexpr int kWarmupEvents = 20;
constexpr auto kNoteTimeout = std::chrono::seconds(2);

/// The first executable called `name` on $PATH (or `name` itself when it has a slash).
std::string findExecutable(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        const size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string candidate = dirs.substr(start, end - start) + "/" + name;
        if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return "";
}

std::string tail(const std::string& file) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > 400) text = "..." + text.substr(text.size() - 400);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

/// A jackd this bench started: stopped (SIGTERM, then SIGKILL) by its PID on the way out.
class JackServer {
public:
    ~JackServer() { stop(); }

    /// Starts `jackd -n name -d dummy -r rate -p period`; "" when a client can connect.
    std::string start(const std::string& jackd, const std::string& name, int rate, int period) {
        m_log = (fs::temp_directory_path() / (name + ".log")).string();
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        const std::string r = std::to_string(rate), p = std::to_string(period);
        std::vector<std::string> args = {jackd, "-n", name, "-d", "dummy", "-r", r, "-p", p};
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&m_pid, jackd.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            m_pid = -1;
            return jackd + " did not start: " + std::strerror(rc);
        }
        for (int i = 0; i < 100; ++i) {  // up when RtAudio can list its ports
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return jackd + " exited at once: " + tail(m_log);
            }
            const auto devices = audio::AudioEngine::listDevices("jack");
            if (devices.ok() && !devices->empty()) return "";
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "the JACK server '" + name + "' did not come up in 10 s: " + tail(m_log);
    }

    void stop() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) break;
            if (i == 49) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        m_pid = -1;
        std::error_code ec;
        fs::remove(m_log, ec);
    }

private:
    pid_t m_pid = -1;
    std::string m_log;
};

LatencySpan span(const std::vector<double>& micros) {
    if (micros.empty()) return {};
    return {percentile(micros, 50), percentile(micros, 99),
            *std::max_element(micros.begin(), micros.end())};
}

std::string policyName(int policy) {
    switch (policy) {
        case SCHED_OTHER: return "SCHED_OTHER (no real-time priority)";
        case SCHED_FIFO: return "SCHED_FIFO";
        case SCHED_RR: return "SCHED_RR";
        case -1: return "unknown";
        default: return "policy " + std::to_string(policy);
    }
}

}  // namespace

GenieLatencyResult measureGenieLatency(const GenieLatencyOptions& options,
                                       std::shared_ptr<const ml::PianoGenieModel> model) {
    GenieLatencyResult r;
    JackServer server;
    ::setenv("JACK_NO_START_SERVER", "1", 1);
    if (!options.jackServer.empty()) {
        r.server = options.jackServer;
        ::setenv("JACK_DEFAULT_SERVER", r.server.c_str(), 1);
    } else {
        const std::string jackd = findExecutable(options.jackd);
        if (jackd.empty()) {
            r.skipped = true;
            r.problem = "skipped: " + options.jackd +
                        " not found (install jackd2, or pass --jackd PATH or --jack-server NAME)";
            return r;
        }
        r.server = "toccata-bench-genie-" + std::to_string(::getpid());
        ::setenv("JACK_DEFAULT_SERVER", r.server.c_str(), 1);
        ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
        if (std::string why = server.start(jackd, r.server, options.rate, options.period);
            !why.empty()) {
            r.problem = why;
            r.exitCode = kExitFailure;
            return r;
        }
        r.startedServer = true;
    }

    if (options.soundFont.empty()) {
        const auto located = audio::SoundFontLocator().locate();
        if (!located.ok()) {
            r.problem = located.errorMessage();
            r.exitCode = kExitMissingResource;
            return r;
        }
        r.soundFont = located->path;
    } else {
        r.soundFont = options.soundFont;
    }

    // The probe outlives the engine: declared first, destroyed last.
    audio::LiveNoteProbe probe(size_t(2 * (options.events + kWarmupEvents) + 16));
    audio::AudioEngine engine;
    audio::AudioDeviceConfig config;
    config.api = "jack";
    config.sampleRate = options.rate;
    config.bufferFrames = options.period;
    config.clientName = "toccata-bench-genie";
    if (core::Status opened = engine.open(config); !opened.ok()) {
        r.problem = "cannot open the audio engine on JACK server '" + r.server +
                    "': " + opened.errorMessage();
        r.exitCode = kExitFailure;
        return r;
    }
    if (core::Status loaded = engine.setSoundFont(r.soundFont); !loaded.ok()) {
        r.problem = loaded.errorMessage();
        r.exitCode = kExitMissingResource;
        return r;
    }
    r.rate = engine.sampleRate();
    r.bufferFrames = engine.bufferFrames();
    r.outputLatencyMs = engine.latencySeconds() * 1000.0 - r.periodMs();
    engine.renderer().setLiveNoteProbe(&probe);

    ml::PianoGenieSession session(model, 1);
    ml::PianoGenieSampling sampling;
    sampling.temperature = options.temperature;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> gapMicros(2000, 12000), button(0, 7);
    size_t seen = 0;
    const auto waitForStamp = [&]() -> const audio::LiveNoteStamp* {
        const auto deadline = std::chrono::steady_clock::now() + kNoteTimeout;
        while (probe.count() <= seen) {
            if (std::chrono::steady_clock::now() > deadline) return nullptr;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        return &probe.stamp(seen++);
    };
    std::vector<double> toDequeue, toEnd, press, queued, callback;
    const long long xrunsBefore = engine.xrunCount();
    for (int e = -kWarmupEvents; e < options.events; ++e) {
        std::this_thread::sleep_for(std::chrono::microseconds(gapMicros(rng)));
        const int64_t keyEvent = audio::LiveNoteProbe::nowNs();  // "the key went down"
        const auto key = session.press(button(rng), double(keyEvent) * 1e-9, sampling);
        const int64_t pressed = audio::LiveNoteProbe::nowNs();
        if (!key.ok()) {
            r.problem = "press failed: " + key.errorMessage();
            r.exitCode = kExitFailure;
            break;
        }
        const int pitch = *key + ml::kPianoGenieLowestPitch;
        if (!engine.liveNoteOn(0, pitch, 100)) {
            r.problem = "the live-note queue was full";
            r.exitCode = kExitFailure;
            break;
        }
        const audio::LiveNoteStamp* on = waitForStamp();
        if (!on || on->key != pitch || on->velocity == 0) {
            ++r.lost;
            r.problem = "the audio callback did not take note " + std::to_string(pitch) +
                        " within 2 s (JACK stopped calling it?)";
            r.exitCode = kExitFailure;
            break;
        }
        if (e >= 0) {
            toDequeue.push_back(double(on->dequeuedNs - keyEvent) / 1000.0);
            toEnd.push_back(double(on->callbackEndNs - keyEvent) / 1000.0);
            press.push_back(double(pressed - keyEvent) / 1000.0);
            queued.push_back(double(on->callbackEndNs - pressed) / 1000.0);
            callback.push_back(double(on->callbackEndNs - on->callbackStartNs) / 1000.0);
        }
        engine.liveNoteOff(0, pitch);
        if (!waitForStamp()) {
            r.problem = "the audio callback stopped taking notes";
            r.exitCode = kExitFailure;
            break;
        }
    }
    r.xruns = engine.xrunCount() - xrunsBefore;
    r.audioThreadPolicy = policyName(probe.audioThreadPolicy());
    engine.renderer().setLiveNoteProbe(nullptr);
    engine.close();
    r.events = int(toEnd.size());
    r.toDequeue = span(toDequeue);
    r.toBlockEnd = span(toEnd);
    r.press = span(press);
    r.queued = span(queued);
    r.callback = span(callback);
    return r;
}

#endif  // TOCCATA_HAVE_AUDIO

}  // namespace toccata::cli
