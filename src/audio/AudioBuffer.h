// AudioBuffer: planar float audio (one vector per channel, nominal range -1..1) at one sample
// rate. What the offline renderer produces and the WAV reader/writer exchange.
#pragma once

#include <cstdint>
#include <vector>

namespace toccata::audio {

struct AudioBuffer {
    int sampleRate = 44100;
    std::vector<std::vector<float>> channels;  // all the same length

    AudioBuffer() = default;
    AudioBuffer(int rate, int channelCount, int64_t frames)
        : sampleRate(rate),
          channels(static_cast<size_t>(channelCount),
                   std::vector<float>(static_cast<size_t>(frames), 0.0f)) {}

    int channelCount() const { return static_cast<int>(channels.size()); }
    int64_t frameCount() const {
        return channels.empty() ? 0 : static_cast<int64_t>(channels.front().size());
    }
    double seconds() const { return sampleRate > 0 ? double(frameCount()) / sampleRate : 0.0; }
    bool operator==(const AudioBuffer&) const = default;
};

}  // namespace toccata::audio
