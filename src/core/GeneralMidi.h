// General MIDI names: the 128 programs (0-based, as NoteSequence stores them) and the
// percussion keys of channel 10.
#pragma once

#include <string>

namespace toccata::core {

/// "Acoustic Grand Piano" for 0 … "Gunshot" for 127; "" outside 0..127.
const char* gmProgramName(int program);
/// "Acoustic Bass Drum" for 35 … "Open Triangle" for 81; "" for keys without a GM sound.
const char* gmDrumName(int key);
/// "C4" for 60 (middle C is C4), "F#3" for 54.
std::string pitchName(int pitch);

}  // namespace toccata::core
