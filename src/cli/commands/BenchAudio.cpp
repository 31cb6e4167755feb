// toccata-cli bench audio: how long the real-time audio callback (PlaybackRenderer::process,
// the exact code the AudioEngine's RtAudio callback runs) takes per block while playing a dense
// sequence through FluidSynth, as a fraction of the buffer period. Runs without an audio device:
// blocks are rendered back to back on this thread.
#ifdef TOCCATA_HAVE_AUDIO

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <sys/resource.h>

#include "audio/PlaybackRenderer.h"
#include "audio/SoundFontLocator.h"
#include "audio/Synth.h"
#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"

namespace toccata::cli {

namespace {

const char* const kHelp =
    R"(usage: toccata-cli bench audio [--sf2 PATH] [--seconds S] [--buffer FRAMES] [--rate HZ]
                          [--notes-per-second N] [--polyphony V]

Plays a dense generated sequence (N notes per second, each 0.5 s long, spread over 8 channels
and 8 programs, plus a live note every 50 ms) through the real-time PlaybackRenderer, block by
block, and prints the callback time percentiles (p50, p90, p99, max) as a fraction of the buffer
period (FRAMES / HZ). 1.0 means the callback used the whole period: above that, a real device
would underrun.

options:
  --sf2 PATH              SoundFont (default: the SoundFont locator's choice)
  --seconds S             audio to render, 1..600 (default 20)
  --buffer FRAMES         block size, 16..8192 (default 256)
  --rate HZ               sample rate, 8000..96000 (default 48000)
  --notes-per-second N    density, 1..5000 (default 200)
  --polyphony V           FluidSynth voices, 1..65535 (default 256)

exit codes: 0 ok, 2 bad arguments, 5 no usable SoundFont
)";

const Command kAudioBenchCommand = {"bench audio", "", kHelp, nullptr};

core::NoteSequence denseSequence(double seconds, int notesPerSecond) {
    core::NoteSequence sequence;
    const int count = int(seconds * notesPerSecond);
    for (int i = 0; i < count; ++i) {
        core::Note note;
        note.instrument = i % 8;
        note.program = (i % 8) * 8;
        note.pitch = 36 + (i * 7) % 60;
        note.velocity = 60 + i % 60;
        note.startTime = double(i) / notesPerSecond;
        note.endTime = note.startTime + 0.5;
        sequence.notes.push_back(note);
    }
    sequence.recomputeTotalTime();
    return sequence;
}

long involuntarySwitches() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const size_t index = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[index];
}

int run(const std::vector<std::string>& args) {
    ArgParser parser(
        {"--sf2", "--seconds", "--buffer", "--rate", "--notes-per-second", "--polyphony"}, {});
    int exitCode = kExitOk;
    if (!parseArgs(kAudioBenchCommand, parser, args, exitCode)) return exitCode;
    int seconds = 20, buffer = 256, rate = 48000, density = 200, polyphony = 256;
    struct IntOption {
        const char* name;
        int* value;
        int min, max;
    };
    for (const IntOption& option :
         {IntOption{"--seconds", &seconds, 1, 600}, IntOption{"--buffer", &buffer, 16, 8192},
          IntOption{"--rate", &rate, 8000, 96000},
          IntOption{"--notes-per-second", &density, 1, 5000},
          IntOption{"--polyphony", &polyphony, 1, 65535}}) {
        if (!parser.has(option.name)) continue;
        const auto n = parser.intValue(option.name, option.min, option.max);
        if (!n) return usageError(kAudioBenchCommand.name, parser.error());
        *option.value = *n;
    }

    std::string path;
    if (const auto sf2 = parser.value("--sf2")) {
        path = *sf2;
    } else {
        const core::Result<audio::LocatedSoundFont> located = audio::SoundFontLocator().locate();
        if (!located.ok()) {
            std::cerr << "toccata-cli bench audio: " << located.errorMessage() << '\n';
            return kExitMissingResource;
        }
        path = located->path;
    }
    audio::SynthSettings settings;
    settings.sampleRate = rate;
    settings.polyphony = polyphony;
    core::Result<std::unique_ptr<audio::Synth>> synth = audio::Synth::create(path, settings);
    if (!synth.ok()) {
        std::cerr << "toccata-cli bench audio: " << synth.errorMessage() << '\n';
        return kExitMissingResource;
    }

    audio::PlaybackRenderer renderer;
    renderer.setSynth(synth->get());
    const core::NoteSequence sequence = denseSequence(seconds, density);
    renderer.submitSnapshot(std::make_shared<const audio::SequencePlayback>(
        audio::SequencePlayback::fromSequence(sequence, rate)));
    renderer.play();

    std::vector<float> left(size_t(buffer), 0.0f), right(size_t(buffer), 0.0f);
    const long long blocks = (long long)seconds * rate / buffer;
    const long long liveEvery = std::max<long long>(1, rate / 20 / buffer);
    std::vector<double> times;
    times.reserve(size_t(blocks));
    int maxVoices = 0;
    long long preempted = 0;  // blocks during which the OS switched this thread out
    for (long long b = 0; b < blocks; ++b) {
        if (b % liveEvery == 0)
            renderer.liveNote(15, 60 + int(b / liveEvery % 24), (b / liveEvery) % 2 ? 0 : 90);
        const long switchesBefore = involuntarySwitches();
        const auto start = std::chrono::steady_clock::now();
        renderer.process(left.data(), right.data(), buffer);
        times.push_back(secondsSince(start));
        if (involuntarySwitches() != switchesBefore) ++preempted;
        maxVoices = std::max(maxVoices, synth.value()->activeVoiceCount());
    }
    renderer.stop();
    renderer.collectGarbage();

    const double period = double(buffer) / rate;
    std::sort(times.begin(), times.end());
    std::printf("bench audio: %s\n", path.c_str());
    std::printf("  %d s at %d Hz, %d-frame blocks (period %.3f ms), %zu notes, up to %d voices\n",
                seconds, rate, buffer, period * 1000.0, sequence.notes.size(), maxVoices);
    std::printf("  callback time / period: p50 %.4f  p90 %.4f  p99 %.4f  max %.4f\n",
                percentile(times, 0.50) / period, percentile(times, 0.90) / period,
                percentile(times, 0.99) / period, times.empty() ? 0.0 : times.back() / period);
    std::printf("  callback time: p50 %.1f us  p99 %.1f us  (median %.1f us)\n",
                percentile(times, 0.50) * 1e6, percentile(times, 0.99) * 1e6, median(times) * 1e6);
    std::printf(
        "  blocks preempted by the OS: %lld of %lld (on a busy machine they make the tail;"
        " a real audio thread runs with real-time priority)\n",
        preempted, blocks);
    return kExitOk;
}

}  // namespace

extern const BenchTarget kAudioBench = {
    "audio", "callback time percentiles of real-time playback, as a fraction of the period", kHelp,
    run};

}  // namespace toccata::cli

#endif  // TOCCATA_HAVE_AUDIO
