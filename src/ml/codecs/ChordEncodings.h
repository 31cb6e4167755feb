// Chord conditioning encodings, Magenta's note_seq.chords_encoder_decoder:
//  - PitchChordsEncoder (improv_rnn chord_pitches_improv, Magenta.js PitchChordEncoder), 37
//    inputs: [0] no chord, [1..12] root one-hot, [13..24] pitch classes, [25..36] bass one-hot;
//  - MajorMinorChordOneHotEncoding, 25 classes: 0 = N.C., 1..12 major roots, 13..24 minor;
//  - TriadChordOneHotEncoding, 49 classes: + 25..36 augmented, 37..48 diminished.
// ChordConditioning turns a figure into the control vector a conditioned model reads. [any]
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/ChordSymbol.h"
#include "ml/codecs/OneHotEncoding.h"

namespace toccata::ml {

/// One-hot chord encodings work on chord figures (strings), as in Magenta.
class MajorMinorChordOneHotEncoding : public OneHotEncoding<std::string> {
public:
    int numClasses() const override { return 25; }
    std::string defaultEvent() const override { return kNoChord; }
    /// Error for an unparsable figure or a chord that is neither major nor minor.
    core::Result<int> encodeEvent(const std::string& figure) const override;
    /// "C", "C#", "D", "Eb", ... (+ "m"), as Magenta spells them.
    std::string decodeEvent(int index) const override;
};

class TriadChordOneHotEncoding : public OneHotEncoding<std::string> {
public:
    int numClasses() const override { return 49; }
    std::string defaultEvent() const override { return kNoChord; }
    /// Error for an unparsable figure or a chord that is not a standard triad.
    core::Result<int> encodeEvent(const std::string& figure) const override;
    /// Root name + "", "m", "aug" or "dim".
    std::string decodeEvent(int index) const override;
};

/// Which chord encoding a conditioned model reads.
enum class ChordEncodingKind { kPitches, kMajorMinor, kTriad };

/// Encodes chords (already parsed, possibly transposed) into control vectors. [any]
class ChordConditioning {
public:
    explicit ChordConditioning(ChordEncodingKind kind = ChordEncodingKind::kPitches)
        : m_kind(kind) {}

    /// 37, 25 or 49.
    int inputSize() const;
    /// Writes the control vector of `chord` into out[0 .. inputSize()). Errors for a chord the
    /// one-hot encodings cannot represent (e.g. "C7" is fine for major/minor, "Csus4" is not).
    core::Status encode(const ChordSymbol& chord, float* out) const;
    /// Parses `figure` and encodes it.
    core::Result<std::vector<float>> encode(const std::string& figure) const;

    ChordEncodingKind kind() const { return m_kind; }

private:
    ChordEncodingKind m_kind;
};

/// Class index of a parsed chord in the major/minor (triads = false) or triad encoding.
core::Result<int> chordOneHotIndex(const ChordSymbol& chord, bool triads);

}  // namespace toccata::ml
