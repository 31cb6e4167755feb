#include "ml/codecs/ChordEncodings.h"

#include <algorithm>
#include <array>

namespace toccata::ml {
namespace {

constexpr std::array<const char*, 12> kPitchClassNames = {"C",  "C#", "D",  "Eb", "E",  "F",
                                                          "F#", "G",  "Ab", "A",  "Bb", "B"};

std::string decodeChordIndex(int index, int numQualities) {
    if (index <= 0 || index > 12 * numQualities) return kNoChord;
    static const std::array<const char*, 4> kSuffixes = {"", "m", "aug", "dim"};
    const int quality = (index - 1) / 12;
    return std::string(kPitchClassNames[static_cast<size_t>((index - 1) % 12)]) +
           kSuffixes[static_cast<size_t>(quality)];
}

}  // namespace

core::Result<int> chordOneHotIndex(const ChordSymbol& chord, bool triads) {
    if (chord.noChord) return 0;
    const ChordQuality quality = chord.quality();
    const int qualityIndex = static_cast<int>(quality);
    const int allowed = triads ? 4 : 2;
    if (quality == ChordQuality::kOther || qualityIndex >= allowed) {
        return core::Error{triads ? "chord encoding: the chord is not a standard triad "
                                    "(major, minor, augmented or diminished)"
                                  : "chord encoding: the chord is neither major nor minor"};
    }
    return chord.root + 12 * qualityIndex + 1;
}

static core::Result<int> encodeFigure(const std::string& figure, bool triads) {
    auto chord = ChordSymbol::parse(figure);
    if (!chord) return chord.error();
    auto index = chordOneHotIndex(*chord, triads);
    if (!index) return core::Error{index.errorMessage() + ": \"" + figure + "\""};
    return index;
}

core::Result<int> MajorMinorChordOneHotEncoding::encodeEvent(const std::string& figure) const {
    return encodeFigure(figure, false);
}

std::string MajorMinorChordOneHotEncoding::decodeEvent(int index) const {
    return decodeChordIndex(index, 2);
}

core::Result<int> TriadChordOneHotEncoding::encodeEvent(const std::string& figure) const {
    return encodeFigure(figure, true);
}

std::string TriadChordOneHotEncoding::decodeEvent(int index) const {
    return decodeChordIndex(index, 4);
}

int ChordConditioning::inputSize() const {
    switch (m_kind) {
        case ChordEncodingKind::kPitches: return 37;
        case ChordEncodingKind::kMajorMinor: return 25;
        case ChordEncodingKind::kTriad: return 49;
    }
    return 0;
}

core::Status ChordConditioning::encode(const ChordSymbol& chord, float* out) const {
    std::fill(out, out + inputSize(), 0.0F);
    if (m_kind != ChordEncodingKind::kPitches) {
        auto index = chordOneHotIndex(chord, m_kind == ChordEncodingKind::kTriad);
        if (!index) return index.error();
        out[*index] = 1.0F;
        return {};
    }
    if (chord.noChord) {
        out[0] = 1.0F;
        return {};
    }
    out[1 + chord.root] = 1.0F;
    for (int pitchClass : chord.pitchClasses()) out[1 + 12 + pitchClass] = 1.0F;
    out[1 + 24 + chord.bass] = 1.0F;
    return {};
}

core::Result<std::vector<float>> ChordConditioning::encode(const std::string& figure) const {
    auto chord = ChordSymbol::parse(figure);
    if (!chord) return chord.error();
    std::vector<float> out(static_cast<size_t>(inputSize()), 0.0F);
    core::Status status = encode(*chord, out.data());
    if (!status) return core::Error{status.errorMessage() + ": \"" + figure + "\""};
    return out;
}

}  // namespace toccata::ml
