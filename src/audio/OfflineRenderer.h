// OfflineRenderer: plays a sequence through a Synth as fast as the CPU allows and returns the
// stereo audio, sample-accurately: each block is split at the next event's frame, so an event
// at frame f reaches FluidSynth before frame f is rendered (FluidSynth itself starts voices at
// its 64-frame block boundaries, which the renderer aligns with frame 0). After the last event
// it keeps rendering the release tail until the output stays below a threshold.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audio/AudioBuffer.h"
#include "audio/SequencePlayback.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::audio {

class Synth;

struct RenderOptions {
    double maxTailSeconds = 2.0;     // longest release tail after the last event
    double tailThresholdDb = -90.0;  // the tail ends at the first 1024-frame block below this
    int maxBlockFrames = 512;        // longest run rendered between two checks
    /// Called with the progress 0..1 (at most about every 1%, and 1 at the end), on the
    /// rendering thread. Returning false cancels the render.
    std::function<bool(double)> progress;
    /// Cancels the render when it becomes true (set from any thread).
    const std::atomic<bool>* cancel = nullptr;
};

struct RenderedAudio {
    AudioBuffer audio;                  // stereo, at the synth's sample rate
    int64_t contentFrames = 0;          // frames up to the last event; the rest is the release tail
    double renderSeconds = 0.0;         // wall-clock time the render took
    std::vector<std::string> warnings;  // from the sequence and from FluidSynth

    /// Audio seconds per second of rendering (e.g. 120 = 120x faster than real time).
    double realTimeFactor() const {
        return renderSeconds > 0.0 ? audio.seconds() / renderSeconds : 0.0;
    }
};

class OfflineRenderer {
public:
    /// The renderer drives `synth` exclusively while render() runs. [worker]
    explicit OfflineRenderer(Synth& synth) : m_synth(synth) {}

    /// Resets the synth and renders `playback` (its sample rate must be the synth's).
    /// Fails only when cancelled ("Rendering was cancelled") or on a sample-rate mismatch.
    core::Result<RenderedAudio> render(const SequencePlayback& playback,
                                       const RenderOptions& options = {});
    core::Result<RenderedAudio> render(const core::NoteSequence& sequence,
                                       const RenderOptions& options = {});

private:
    Synth& m_synth;
};

}  // namespace toccata::audio
