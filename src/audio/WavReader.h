// WavReader: RIFF/WAVE input for tests and the rainbowgram - PCM 8/16/24/32-bit and IEEE float
// 32/64-bit (plain or WAVE_FORMAT_EXTENSIBLE), any channel count, as planar float -1..1.
// Malformed files give an error that names the file, the byte offset and the problem.
// [any] thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audio/AudioBuffer.h"
#include "core/Result.h"

namespace toccata::audio {

struct WavData {
    AudioBuffer audio;
    int bitsPerSample = 16;
    bool isFloat = false;
};

core::Result<WavData> readWavFile(const std::string& path);

/// Parses WAV bytes already in memory; `nameForErrors` is used in messages.
core::Result<WavData> parseWavBytes(const std::vector<uint8_t>& bytes,
                                    const std::string& nameForErrors);

}  // namespace toccata::audio
