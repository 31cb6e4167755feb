#include "audio/WavReader.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace toccata::audio {
namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;
constexpr uint16_t kFormatExtensible = 0xfffe;

uint16_t u16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t u32(const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

std::string fourcc(const uint8_t* p) {
    std::string id(reinterpret_cast<const char*>(p), 4);
    for (char& c : id)
        if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
    return id;
}

struct Format {
    uint16_t tag = 0;
    int channels = 0;
    int sampleRate = 0;
    int blockAlign = 0;
    int bits = 0;
};

float decode(const uint8_t* p, const Format& f) {
    if (f.tag == kFormatFloat) {
        if (f.bits == 32) {
            const uint32_t bits = u32(p);
            float value;
            std::memcpy(&value, &bits, 4);
            return value;
        }
        const uint64_t bits = uint64_t(u32(p)) | (uint64_t(u32(p + 4)) << 32);
        double value;
        std::memcpy(&value, &bits, 8);
        return float(value);
    }
    switch (f.bits) {
        case 8: return float((int(p[0]) - 128) / 128.0);
        case 16: return float(int16_t(u16(p)) / 32768.0);
        case 24: {
            int32_t v = int32_t(p[0] | (p[1] << 8) | (p[2] << 16));
            if (v & 0x800000) v -= 0x1000000;
            return float(v / 8388608.0);
        }
        default: return float(int32_t(u32(p)) / 2147483648.0);
    }
}

}  // namespace

core::Result<WavData> parseWavBytes(const std::vector<uint8_t>& bytes,
                                    const std::string& nameForErrors) {
    const std::string name = "WAV file '" + nameForErrors + "'";
    auto failure = [&](const std::string& problem) {
        return core::Result<WavData>::failure(name + " " + problem);
    };
    const uint8_t* data = bytes.data();
    const size_t size = bytes.size();
    if (size < 12)
        return failure("is not a WAV file: it has only " + std::to_string(size) + " bytes");
    if (std::memcmp(data, "RIFF", 4) != 0) {
        if (std::memcmp(data, "RIFX", 4) == 0 || std::memcmp(data, "RF64", 4) == 0)
            return failure("is a " + fourcc(data) + " file, which is not supported");
        return failure("is not a WAV file: it does not start with 'RIFF' (found '" + fourcc(data) +
                       "')");
    }
    if (std::memcmp(data + 8, "WAVE", 4) != 0)
        return failure("is not a WAV file: it is a RIFF '" + fourcc(data + 8) + "' file");

    Format format;
    bool haveFormat = false;
    size_t offset = 12;
    while (offset + 8 <= size) {
        const std::string id = fourcc(data + offset);
        const uint32_t chunkSize = u32(data + offset + 4);
        const size_t body = offset + 8;
        const size_t remaining = size - body;
        const std::string where = "'" + id + "' chunk at byte " + std::to_string(offset);
        if (chunkSize > remaining)
            return failure("is truncated: its " + where + " declares " + std::to_string(chunkSize) +
                           " bytes but only " + std::to_string(remaining) + " remain");
        if (id == "fmt ") {
            if (chunkSize < 16) return failure("is malformed: its " + where + " is too short");
            const uint8_t* p = data + body;
            format.tag = u16(p);
            format.channels = u16(p + 2);
            format.sampleRate = int(u32(p + 4));
            format.blockAlign = u16(p + 12);
            format.bits = u16(p + 14);
            if (format.tag == kFormatExtensible) {
                if (chunkSize < 40)
                    return failure("is malformed: its extensible " + where + " is too short");
                format.tag = u16(p + 24);  // the sub-format GUID starts with the format tag
            }
            if (format.tag != kFormatPcm && format.tag != kFormatFloat)
                return failure("uses sample format " + std::to_string(format.tag) +
                               "; only PCM (1) and IEEE float (3) are supported");
            const bool bitsOk = format.tag == kFormatPcm ? (format.bits == 8 || format.bits == 16 ||
                                                            format.bits == 24 || format.bits == 32)
                                                         : (format.bits == 32 || format.bits == 64);
            if (!bitsOk)
                return failure("has an unsupported sample size of " + std::to_string(format.bits) +
                               " bits");
            if (format.channels < 1)
                return failure("is malformed: its format chunk declares 0 channels");
            if (format.sampleRate <= 0)
                return failure("is malformed: its format chunk declares a sample rate of 0");
            if (format.blockAlign != format.channels * format.bits / 8)
                return failure("is malformed: block align " + std::to_string(format.blockAlign) +
                               " does not match " + std::to_string(format.channels) +
                               " channels of " + std::to_string(format.bits) + " bits");
            haveFormat = true;
        } else if (id == "data") {
            if (!haveFormat) return failure("is malformed: its 'data' chunk comes before 'fmt '");
            if (chunkSize % uint32_t(format.blockAlign) != 0)
                return failure("is malformed: its data size " + std::to_string(chunkSize) +
                               " is not a whole number of " + std::to_string(format.blockAlign) +
                               "-byte frames");
            const int64_t frames = int64_t(chunkSize / uint32_t(format.blockAlign));
            WavData wav;
            wav.bitsPerSample = format.bits;
            wav.isFloat = format.tag == kFormatFloat;
            wav.audio = AudioBuffer(format.sampleRate, format.channels, frames);
            const int sampleBytes = format.bits / 8;
            const uint8_t* p = data + body;
            for (int64_t i = 0; i < frames; ++i)
                for (int c = 0; c < format.channels; ++c, p += sampleBytes)
                    wav.audio.channels[size_t(c)][size_t(i)] = decode(p, format);
            return wav;
        }
        offset = body + chunkSize + (chunkSize % 2);
    }
    return failure(haveFormat ? "has no 'data' chunk" : "has no 'fmt ' chunk");
}

core::Result<WavData> readWavFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return core::Result<WavData>::failure("WAV file '" + path + "' does not exist");
    if (std::filesystem::is_directory(path, ec))
        return core::Result<WavData>::failure("WAV file '" + path + "' is a folder");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::Result<WavData>::failure("WAV file '" + path +
                                              "' cannot be read: " + std::strerror(errno));
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    if (in.bad()) return core::Result<WavData>::failure("WAV file '" + path + "' cannot be read");
    return parseWavBytes(bytes, path);
}

}  // namespace toccata::audio
