#include "audio/OfflineRenderer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "audio/SequenceCursor.h"
#include "audio/Synth.h"

namespace toccata::audio {
namespace {

constexpr int kTailBlockFrames = 1024;  // granularity of the release-tail check

float peakOf(const float* left, const float* right, int frames) {
    float peak = 0.0f;
    for (int i = 0; i < frames; ++i) peak = std::max({peak, std::abs(left[i]), std::abs(right[i])});
    return peak;
}

class ProgressReporter {
public:
    explicit ProgressReporter(const RenderOptions& options) : m_options(options) {}
    /// False when the render must stop.
    bool report(double progress) {
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) return false;
        if (!m_options.progress || progress < m_next) return true;
        m_next = progress + 0.01;
        return m_options.progress(std::min(progress, 1.0));
    }

private:
    const RenderOptions& m_options;
    double m_next = 0.0;
};

core::Error cancelled() { return core::Error{"Rendering was cancelled"}; }

}  // namespace

core::Result<RenderedAudio> OfflineRenderer::render(const core::NoteSequence& sequence,
                                                    const RenderOptions& options) {
    return render(SequencePlayback::fromSequence(sequence, m_synth.sampleRate()), options);
}

core::Result<RenderedAudio> OfflineRenderer::render(const SequencePlayback& playback,
                                                    const RenderOptions& options) {
    if (std::lround(playback.sampleRate) != m_synth.sampleRate())
        return core::Error{"Playback events are for " + std::to_string(playback.sampleRate) +
                           " Hz but the synth runs at " + std::to_string(m_synth.sampleRate()) +
                           " Hz"};
    const auto started = std::chrono::steady_clock::now();
    FluidLogCapture capture;  // FluidSynth warnings during the render (e.g. missing presets)
    ProgressReporter progress(options);
    const int maxBlock = std::max(1, options.maxBlockFrames);

    m_synth.reset();  // also aligns FluidSynth's 64-frame grid with frame 0 of this render
    applyChannelSetup(m_synth, playback);

    RenderedAudio result;
    result.warnings = playback.warnings;
    result.contentFrames = playback.endFrame;
    result.audio = AudioBuffer(m_synth.sampleRate(), 2, playback.endFrame);
    std::vector<float>& left = result.audio.channels[0];
    std::vector<float>& right = result.audio.channels[1];

    SequenceCursor cursor(playback.events);
    const auto apply = [this](const SynthEvent& event) { applyEvent(m_synth, event); };
    int64_t frame = 0;
    while (frame < playback.endFrame) {
        cursor.applyDue(frame, apply);
        const int64_t until = std::min({playback.endFrame, frame + maxBlock, cursor.nextFrame()});
        m_synth.render(&left[size_t(frame)], &right[size_t(frame)], int(until - frame));
        frame = until;
        if (!progress.report(0.99 * double(frame) / double(playback.endFrame))) return cancelled();
    }
    cursor.applyDue(SequenceCursor::kNoFrame, apply);

    // Release tail: whole 1024-frame blocks until one stays below the threshold.
    const float threshold = float(std::pow(10.0, options.tailThresholdDb / 20.0));
    const int64_t maxTail =
        std::llround(std::max(0.0, options.maxTailSeconds) * m_synth.sampleRate());
    float tailLeft[kTailBlockFrames];
    float tailRight[kTailBlockFrames];
    for (int64_t tail = 0; tail < maxTail;) {
        const int frames = int(std::min<int64_t>(kTailBlockFrames, maxTail - tail));
        m_synth.render(tailLeft, tailRight, frames);
        if (peakOf(tailLeft, tailRight, frames) < threshold) break;
        left.insert(left.end(), tailLeft, tailLeft + frames);
        right.insert(right.end(), tailRight, tailRight + frames);
        tail += frames;
        if (!progress.report(0.99)) return cancelled();
    }
    m_synth.allSoundsOff();
    if (options.progress && !options.progress(1.0)) return cancelled();

    for (const std::string& message : capture.messages()) result.warnings.push_back(message);
    result.renderSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace toccata::audio
