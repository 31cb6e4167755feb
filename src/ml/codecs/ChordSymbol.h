// ChordSymbol: chord-symbol figures ("C", "Am", "G7", "F#m7b5", "Cmaj7/E", "N.C.") parsed
// with the rules of Magenta's note_seq.chord_symbols_lib: a root (letter + only sharps or only
// flats), a chord kind from Magenta's table (the first kind in table order that lets the rest
// parse), scale-degree modifications (add/add#/addb/no/#/b + degree, optional parentheses;
// "add7" adds b7) and an optional "/bass". The chord encodings read root, pitch classes,
// bass and quality from it. [any]
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

/// Magenta's NO_CHORD figure.
inline constexpr const char* kNoChord = "N.C.";

/// Magenta's CHORD_QUALITY_* values.
enum class ChordQuality { kMajor = 0, kMinor = 1, kAugmented = 2, kDiminished = 3, kOther = 4 };

struct ChordSymbol {
    bool noChord = false;
    int root = 0;  // pitch class 0..11
    int bass = 0;  // pitch class 0..11 (the root when no "/bass")
    /// Scale degrees and their alterations in semitones, in Magenta's order (the kind's
    /// degrees, then the added ones), e.g. C7 = {1:0, 3:0, 5:0, 7:-1}.
    std::vector<std::pair<int, int>> degrees;

    /// Parses a figure. Errors name the figure: no match, a degree added twice, a degree
    /// removed that is not there.
    static core::Result<ChordSymbol> parse(std::string_view figure);

    /// Magenta's chord_symbol_pitches: pitch classes of the degrees, in degree order (the bass
    /// is not included unless it is a degree). Empty for N.C.
    std::vector<int> pitchClasses() const;
    /// Magenta's chord_symbol_quality (degrees 1, 3, 5 must all be there, else kOther).
    ChordQuality quality() const;
    /// Root and bass moved by `semitones` (mod 12); the degrees stay.
    ChordSymbol transposed(int semitones) const;
};

}  // namespace toccata::ml
