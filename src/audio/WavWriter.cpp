#include "audio/WavWriter.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

namespace toccata::audio {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxRiffBytes = 0xffffffffull;
constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;

void putU16(std::vector<uint8_t>& out, uint32_t v) {
    out.push_back(uint8_t(v & 0xff));
    out.push_back(uint8_t((v >> 8) & 0xff));
}
void putU32(std::vector<uint8_t>& out, uint32_t v) {
    putU16(out, v & 0xffff);
    putU16(out, v >> 16);
}
void putId(std::vector<uint8_t>& out, const char* id) {
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(id[i]));
}

bool isFloat(WavSampleFormat format) { return format == WavSampleFormat::kFloat32; }

/// The header for `dataBytes` of audio; float files carry a 'fact' chunk as the spec asks.
std::vector<uint8_t> header(int sampleRate, int channels, WavSampleFormat format, int64_t frames,
                            uint64_t dataBytes) {
    const uint32_t bytesPerSample = uint32_t(bitsPerSample(format) / 8);
    const uint32_t blockAlign = bytesPerSample * uint32_t(channels);
    const uint32_t fmtSize = isFloat(format) ? 18 : 16;
    const uint32_t factSize = isFloat(format) ? 12 : 0;
    const uint64_t riffSize = 4 + (8 + fmtSize) + factSize + 8 + dataBytes + (dataBytes % 2);
    std::vector<uint8_t> out;
    putId(out, "RIFF");
    putU32(out, uint32_t(riffSize));
    putId(out, "WAVE");
    putId(out, "fmt ");
    putU32(out, fmtSize);
    putU16(out, isFloat(format) ? kFormatFloat : kFormatPcm);
    putU16(out, uint32_t(channels));
    putU32(out, uint32_t(sampleRate));
    putU32(out, uint32_t(sampleRate) * blockAlign);
    putU16(out, blockAlign);
    putU16(out, uint32_t(bitsPerSample(format)));
    if (isFloat(format)) {
        putU16(out, 0);  // cbSize
        putId(out, "fact");
        putU32(out, 4);
        putU32(out, uint32_t(frames));
    }
    putId(out, "data");
    putU32(out, uint32_t(dataBytes));
    return out;
}

int32_t toPcm(float sample, double scale, int32_t min, int32_t max) {
    if (std::isnan(sample)) return 0;
    const double scaled = std::nearbyint(double(sample) * scale);
    return int32_t(std::clamp(scaled, double(min), double(max)));
}

void encode(std::vector<uint8_t>& out, float sample, WavSampleFormat format) {
    switch (format) {
        case WavSampleFormat::kPcm16:
            putU16(out, uint32_t(toPcm(sample, 32768.0, -32768, 32767)) & 0xffff);
            break;
        case WavSampleFormat::kPcm24: {
            const uint32_t v = uint32_t(toPcm(sample, 8388608.0, -8388608, 8388607));
            out.push_back(uint8_t(v & 0xff));
            out.push_back(uint8_t((v >> 8) & 0xff));
            out.push_back(uint8_t((v >> 16) & 0xff));
            break;
        }
        case WavSampleFormat::kFloat32: {
            uint32_t bits;
            std::memcpy(&bits, &sample, 4);
            putU32(out, bits);
            break;
        }
    }
}

std::string inQuotes(const std::string& path) { return "'" + path + "'"; }

}  // namespace

int bitsPerSample(WavSampleFormat format) {
    return format == WavSampleFormat::kPcm16 ? 16 : format == WavSampleFormat::kPcm24 ? 24 : 32;
}

const char* formatName(WavSampleFormat format) {
    switch (format) {
        case WavSampleFormat::kPcm16: return "16-bit PCM";
        case WavSampleFormat::kPcm24: return "24-bit PCM";
        case WavSampleFormat::kFloat32: return "32-bit float";
    }
    return "?";
}

WavWriter::~WavWriter() { abandon(); }

void WavWriter::abandon() {
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
    if (!m_tempPath.empty()) {
        std::error_code ec;
        fs::remove(m_tempPath, ec);
        m_tempPath.clear();
    }
}

core::Status WavWriter::fail(const std::string& problem) {
    abandon();
    return core::Status::failure("Cannot write WAV file " + inQuotes(m_path) + ": " + problem);
}

core::Status WavWriter::open(const std::string& path, int sampleRate, int channelCount,
                             WavSampleFormat format) {
    abandon();
    m_path = path;
    m_frames = 0;
    m_dataBytes = 0;
    if (path.empty()) return core::Status::failure("Cannot write a WAV file: no file name given");
    if (sampleRate <= 0) return fail("invalid sample rate " + std::to_string(sampleRate));
    if (channelCount < 1 || channelCount > 64)
        return fail("invalid channel count " + std::to_string(channelCount));
    std::error_code ec;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
        return fail("the folder " + inQuotes(folder.string()) + " does not exist");
    if (fs::is_directory(target, ec)) return fail("it is a folder");

    static std::atomic<int> counter{0};
    m_tempPath = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    m_file = std::fopen(m_tempPath.c_str(), "wb");
    if (!m_file) {
        const std::string reason = std::strerror(errno);
        m_tempPath.clear();
        return fail(reason);
    }
    m_sampleRate = sampleRate;
    m_channels = channelCount;
    m_format = format;
    const std::vector<uint8_t> bytes = header(sampleRate, channelCount, format, 0, 0);
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size())
        return fail(std::strerror(errno));
    return core::Status::success();
}

core::Status WavWriter::write(const float* const* channels, int64_t frames) {
    if (!m_file)
        return core::Status::failure("WAV writer for " + inQuotes(m_path) + " is not open");
    const uint64_t frameBytes = uint64_t(bitsPerSample(m_format) / 8) * uint64_t(m_channels);
    if (m_dataBytes + uint64_t(frames) * frameBytes + 64 > kMaxRiffBytes)
        return fail("the audio is too long for a WAV file (4 GiB limit)");
    constexpr int64_t kChunkFrames = 4096;
    std::vector<uint8_t> bytes;
    bytes.reserve(size_t(kChunkFrames * int64_t(frameBytes)));
    for (int64_t start = 0; start < frames; start += kChunkFrames) {
        const int64_t end = std::min(frames, start + kChunkFrames);
        bytes.clear();
        for (int64_t i = start; i < end; ++i)
            for (int c = 0; c < m_channels; ++c) encode(bytes, channels[c][i], m_format);
        if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size())
            return fail(std::strerror(errno));
    }
    m_frames += frames;
    m_dataBytes += uint64_t(frames) * frameBytes;
    return core::Status::success();
}

core::Status WavWriter::write(const AudioBuffer& audio) {
    if (audio.channelCount() != m_channels)
        return fail("the audio has " + std::to_string(audio.channelCount()) +
                    " channels, the file " + std::to_string(m_channels));
    std::vector<const float*> pointers;
    for (const std::vector<float>& channel : audio.channels) pointers.push_back(channel.data());
    return write(pointers.data(), audio.frameCount());
}

core::Status WavWriter::finish() {
    if (!m_file)
        return core::Status::failure("WAV writer for " + inQuotes(m_path) + " is not open");
    if (m_dataBytes % 2 != 0 && std::fputc(0, m_file) == EOF) return fail(std::strerror(errno));
    const std::vector<uint8_t> bytes =
        header(m_sampleRate, m_channels, m_format, m_frames, m_dataBytes);
    if (std::fseek(m_file, 0, SEEK_SET) != 0 ||
        std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size() ||
        std::fflush(m_file) != 0)
        return fail(std::strerror(errno));
    const int closed = std::fclose(m_file);
    m_file = nullptr;
    if (closed != 0) return fail(std::strerror(errno));
    std::error_code ec;
    fs::rename(m_tempPath, m_path, ec);
    if (ec) return fail(ec.message());
    m_tempPath.clear();
    return core::Status::success();
}

core::Status writeWavFile(const std::string& path, const AudioBuffer& audio,
                          WavSampleFormat format) {
    WavWriter writer;
    if (core::Status s = writer.open(path, audio.sampleRate, audio.channelCount(), format); !s.ok())
        return s;
    if (core::Status s = writer.write(audio); !s.ok()) return s;
    return writer.finish();
}

}  // namespace toccata::audio
