// The second half of `toccata-cli bench genie`: key event -> note-on latency through the real
// AudioEngine under a JACK server on the dummy driver (BenchGenieLatency.cpp). [ui] (the CLI's
// main thread); the audio callback runs on JACK's thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace toccata::ml {
class PianoGenieModel;
}

namespace toccata::cli {

struct GenieLatencyOptions {
    int events = 1000;            ///< measured key events (after 20 warm-up ones)
    int rate = 48000;             ///< Hz, for the server the bench starts
    int period = 128;             ///< frames per JACK period, for the server the bench starts
    double temperature = 0.25;    ///< the press's sampling temperature
    std::string jackServer;       ///< use this running server instead of starting one
    std::string jackd = "jackd";  ///< the jackd to start
    std::string soundFont;        ///< "" = the SoundFont locator's choice
};

/// Percentiles of one measured span, in microseconds.
struct LatencySpan {
    double p50 = 0.0, p99 = 0.0, max = 0.0;
};

struct GenieLatencyResult {
    bool skipped = false;  ///< nothing measured on purpose (no jackd): `problem` says why
    std::string problem;   ///< why nothing (or not everything) was measured; "" when all ran
    int exitCode = 0;      ///< non-zero when it failed (not when skipped)
    std::string server, soundFont;
    bool startedServer = false;  ///< the bench's own jackd on the dummy driver
    int rate = 0, bufferFrames = 0, events = 0;
    LatencySpan toDequeue;         ///< key event -> the callback takes the note off the queue
    LatencySpan toBlockEnd;        ///< key event -> the callback has rendered the block holding it
    LatencySpan press;             ///< the press itself (model step + sampling)
    LatencySpan queued;            ///< note-on queued (after the press) -> block rendered
    LatencySpan callback;          ///< duration of the callbacks that took a note
    double outputLatencyMs = 0.0;  ///< what the engine reports after the block (not measured)
    long long xruns = 0, lost = 0;
    std::string audioThreadPolicy;  ///< "SCHED_FIFO", "SCHED_OTHER"...

    double periodMs() const { return rate > 0 ? 1000.0 * bufferFrames / rate : 0.0; }
};

/// Runs the measurement: starts (or joins) the JACK server, opens the engine with a
/// `period`-frame buffer, presses `events` times at random moments and times each note-on.
/// `model` is the one the presses run.
GenieLatencyResult measureGenieLatency(const GenieLatencyOptions& options,
                                       std::shared_ptr<const ml::PianoGenieModel> model);

}  // namespace toccata::cli
