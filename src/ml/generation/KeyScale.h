// KeyScale: a tonic + scale used to constrain melody generation (pitches outside it are masked
// out of the logits before sampling). Not in Magenta; a Toccata addition the users ask for.
// Scales: major, natural minor, harmonic minor, dorian, mixolydian, major/minor pentatonic,
// blues (minor blues: 1 b3 4 b5 5 b7) and chromatic (no constraint). [any]
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

enum class Scale {
    kMajor,
    kNaturalMinor,
    kHarmonicMinor,
    kDorian,
    kMixolydian,
    kMajorPentatonic,
    kMinorPentatonic,
    kBlues,
    kChromatic,
};

struct KeyScale {
    int tonic = 0;  // pitch class, 0 = C
    Scale scale = Scale::kMajor;

    /// Semitones above the tonic that belong to the scale, ascending.
    static std::vector<int> intervals(Scale scale);
    /// "major", "natural-minor", "harmonic-minor", "dorian", "mixolydian",
    /// "major-pentatonic", "minor-pentatonic", "blues", "chromatic".
    static const char* scaleName(Scale scale);
    /// Parses "<tonic> <scale>", e.g. "C major", "F# dorian", "Bb minor-pentatonic"; "minor"
    /// means natural minor. Case-insensitive scale names. Errors name the text.
    static core::Result<KeyScale> parse(std::string_view text);

    /// Whether a MIDI pitch (any octave) is in the key.
    bool contains(int pitch) const;
    /// Pitch-class mask, index 0 = C.
    std::array<bool, 12> pitchClassMask() const;
};

}  // namespace toccata::ml
