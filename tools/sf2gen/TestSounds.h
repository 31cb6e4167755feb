// TestSounds: the sounds of Toccata's test SoundFont, synthesised here (no recordings, no
// third-party data) so tests never depend on a system SoundFont.
//   bank 0:   0 "Sine Piano", 33 "Sine Bass", 80 "Square Lead", 81 "Saw Lead"
//   bank 128: 0 "Test Kit" with GM drum keys 35-51 (kick, stick, snare, clap, hats, toms,
//             crash, ride); hi-hats 42/44/46 share an exclusive class.
#pragma once

#include <cstdint>
#include <vector>

namespace toccata::sf2gen {

inline constexpr int kTestSampleRate = 44100;

/// The whole SoundFont file.
std::vector<uint8_t> buildTestSoundFont();

}  // namespace toccata::sf2gen
