// WavWriter: RIFF/WAVE output - 16- or 24-bit PCM, or 32-bit float - at any sample rate and
// channel count. Files are written atomically: everything goes to a temporary file beside the
// target, which replaces the target only when finish() succeeds. [any] thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "audio/AudioBuffer.h"
#include "core/Result.h"

namespace toccata::audio {

enum class WavSampleFormat { kPcm16, kPcm24, kFloat32 };

int bitsPerSample(WavSampleFormat format);
/// "16-bit PCM", "24-bit PCM", "32-bit float".
const char* formatName(WavSampleFormat format);

/// Streaming writer for audio that does not fit in memory (or arrives block by block).
class WavWriter {
public:
    WavWriter() = default;
    /// An unfinished file is abandoned: the temporary file goes, the target is untouched.
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    /// Starts `path` (errors name it: missing folder, a folder in the way, no permission...).
    core::Status open(const std::string& path, int sampleRate, int channelCount,
                      WavSampleFormat format);
    /// Appends `frames` frames from planar channels (channelCount pointers). PCM samples are
    /// clamped to -1..1; NaN becomes 0.
    core::Status write(const float* const* channels, int64_t frames);
    core::Status write(const AudioBuffer& audio);
    /// Completes the header and renames the temporary file to the target.
    core::Status finish();

    int64_t framesWritten() const { return m_frames; }

private:
    core::Status fail(const std::string& problem);
    void abandon();

    std::string m_path;
    std::string m_tempPath;
    std::FILE* m_file = nullptr;
    int m_sampleRate = 0;
    int m_channels = 0;
    WavSampleFormat m_format = WavSampleFormat::kPcm16;
    int64_t m_frames = 0;
    uint64_t m_dataBytes = 0;
};

/// Writes `audio` to `path` in one go (atomically, as WavWriter does).
core::Status writeWavFile(const std::string& path, const AudioBuffer& audio,
                          WavSampleFormat format);

}  // namespace toccata::audio
