#include "ml/codecs/ChordSymbol.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace toccata::ml {
namespace {

struct ChordKind {
    std::vector<std::string_view> abbreviations;
    std::vector<std::pair<int, int>> degrees;  // (degree, alteration)
};

// Magenta's _CHORD_KINDS, in its order (the order decides which abbreviation is tried first).
const std::vector<ChordKind>& chordKinds() {
    static const std::vector<ChordKind> kKinds = {
        {{"", "maj", "M"}, {{1, 0}, {3, 0}, {5, 0}}},
        {{"m", "min", "-"}, {{1, 0}, {3, -1}, {5, 0}}},
        {{"+", "aug"}, {{1, 0}, {3, 0}, {5, 1}}},
        {{"o", "dim"}, {{1, 0}, {3, -1}, {5, -1}}},
        {{"7"}, {{1, 0}, {3, 0}, {5, 0}, {7, -1}}},
        {{"maj7", "M7"}, {{1, 0}, {3, 0}, {5, 0}, {7, 0}}},
        {{"m7", "min7", "-7"}, {{1, 0}, {3, -1}, {5, 0}, {7, -1}}},
        {{"o7", "dim7"}, {{1, 0}, {3, -1}, {5, -1}, {7, -2}}},
        {{"+7", "aug7"}, {{1, 0}, {3, 0}, {5, 1}, {7, -1}}},
        {{"m7b5", "-7b5", "/o", "/o7"}, {{1, 0}, {3, -1}, {5, -1}, {7, -1}}},
        {{"mmaj7", "mM7", "minmaj7", "minM7", "-maj7", "-M7", "m(maj7)", "m(M7)", "min(maj7)",
          "min(M7)", "-(maj7)", "-(M7)"},
         {{1, 0}, {3, -1}, {5, 0}, {7, 0}}},
        {{"6"}, {{1, 0}, {3, 0}, {5, 0}, {6, 0}}},
        {{"m6", "min6", "-6"}, {{1, 0}, {3, -1}, {5, 0}, {6, 0}}},
        {{"9"}, {{1, 0}, {3, 0}, {5, 0}, {7, -1}, {9, 0}}},
        {{"maj9", "M9"}, {{1, 0}, {3, 0}, {5, 0}, {7, 0}, {9, 0}}},
        {{"m9", "min9", "-9"}, {{1, 0}, {3, -1}, {5, 0}, {7, -1}, {9, 0}}},
        {{"+9", "aug9"}, {{1, 0}, {3, 0}, {5, 1}, {7, -1}, {9, 0}}},
        {{"6/9"}, {{1, 0}, {3, 0}, {5, 0}, {6, 0}, {9, 0}}},
        {{"11"}, {{1, 0}, {3, 0}, {5, 0}, {7, -1}, {9, 0}, {11, 0}}},
        {{"maj11", "M11"}, {{1, 0}, {3, 0}, {5, 0}, {7, 0}, {9, 0}, {11, 0}}},
        {{"m11", "min11", "-11"}, {{1, 0}, {3, -1}, {5, 0}, {7, -1}, {9, 0}, {11, 0}}},
        {{"13"}, {{1, 0}, {3, 0}, {5, 0}, {7, -1}, {9, 0}, {11, 0}, {13, 0}}},
        {{"maj13", "M13"}, {{1, 0}, {3, 0}, {5, 0}, {7, 0}, {9, 0}, {11, 0}, {13, 0}}},
        {{"m13", "min13", "-13"}, {{1, 0}, {3, -1}, {5, 0}, {7, -1}, {9, 0}, {11, 0}, {13, 0}}},
        {{"sus2"}, {{1, 0}, {2, 0}, {5, 0}}},
        {{"sus", "sus4"}, {{1, 0}, {4, 0}, {5, 0}}},
        {{"sus7", "7sus"}, {{1, 0}, {4, 0}, {5, 0}, {7, -1}}},
        {{"ped"}, {{1, 0}}},
        {{"5"}, {{1, 0}, {5, 0}}},
    };
    return kKinds;
}

constexpr std::array<int, 7> kStepMidi = {9, 11, 0, 2, 4, 5, 7};          // A..G
constexpr std::array<int, 8> kDegreeOffsets = {0, 0, 2, 4, 5, 7, 9, 11};  // degree 1..7

int floorMod(int a, int m) { return ((a % m) + m) % m; }

/// Pitch class at text[pos]: a letter A-G followed only by '#'s or only by 'b's, and not by
/// another accidental. Advances pos; -1 when there is none.
int parsePitchClass(std::string_view text, size_t& pos) {
    if (pos >= text.size() || text[pos] < 'A' || text[pos] > 'G') return -1;
    int pitch = kStepMidi[static_cast<size_t>(text[pos] - 'A')];
    size_t i = pos + 1;
    const char accidental = i < text.size() && (text[i] == '#' || text[i] == 'b') ? text[i] : 0;
    while (accidental != 0 && i < text.size() && text[i] == accidental) {
        pitch += accidental == '#' ? 1 : -1;
        ++i;
    }
    if (i < text.size() && (text[i] == '#' || text[i] == 'b')) return -1;
    pos = i;
    return floorMod(pitch, 12);
}

struct Modification {
    enum Kind { kAdd, kRemove, kAlter } kind;
    int degree;
    int alter;
};

/// Magenta's _MODIFICATIONS_PATTERN + bass + end of string, from `pos`. False if no match.
bool parseTail(std::string_view text, size_t pos, std::vector<Modification>& mods, int& bass) {
    mods.clear();
    bass = -1;
    static const std::array<std::pair<std::string_view, Modification>, 6> kMods = {{
        {"add#", {Modification::kAdd, 0, 1}},
        {"addb", {Modification::kAdd, 0, -1}},
        {"add", {Modification::kAdd, 0, 0}},
        {"no", {Modification::kRemove, 0, 0}},
        {"#", {Modification::kAlter, 0, 1}},
        {"b", {Modification::kAlter, 0, -1}},
    }};
    while (pos < text.size() && text[pos] != '/') {
        size_t i = pos;
        if (text[i] == '(') ++i;
        const Modification* found = nullptr;
        size_t after = i;
        for (const auto& [prefix, mod] : kMods) {
            if (text.substr(i, prefix.size()) != prefix) continue;
            const size_t digits = i + prefix.size();
            if (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
                found = &mod;
                after = digits;
                break;
            }
        }
        if (found == nullptr) return false;
        int degree = 0;
        while (after < text.size() && std::isdigit(static_cast<unsigned char>(text[after]))) {
            degree = degree * 10 + (text[after] - '0');
            if (degree > 1000) return false;
            ++after;
        }
        if (after < text.size() && text[after] == ')') ++after;
        Modification m = *found;
        m.degree = degree;
        mods.push_back(m);
        pos = after;
    }
    if (pos < text.size()) {  // "/bass"
        ++pos;
        bass = parsePitchClass(text, pos);
        if (bass < 0 || pos != text.size()) return false;
    }
    return true;
}

}  // namespace

core::Result<ChordSymbol> ChordSymbol::parse(std::string_view figure) {
    ChordSymbol chord;
    if (figure == kNoChord) {
        chord.noChord = true;
        return chord;
    }
    const std::string quoted = "chord symbol \"" + std::string(figure) + "\"";
    size_t pos = 0;
    chord.root = parsePitchClass(figure, pos);
    if (chord.root < 0) return core::Error{"ChordSymbol: cannot parse " + quoted + ": no root"};
    std::vector<Modification> mods;
    int bass = -1;
    const ChordKind* kind = nullptr;
    for (const ChordKind& candidate : chordKinds()) {
        for (std::string_view abbreviation : candidate.abbreviations) {
            if (figure.substr(pos, abbreviation.size()) != abbreviation) continue;
            if (parseTail(figure, pos + abbreviation.size(), mods, bass)) {
                kind = &candidate;
                break;
            }
        }
        if (kind != nullptr) break;
    }
    if (kind == nullptr) return core::Error{"ChordSymbol: cannot parse " + quoted};
    chord.degrees = kind->degrees;
    auto find = [&](int degree) {
        return std::find_if(chord.degrees.begin(), chord.degrees.end(),
                            [degree](const auto& d) { return d.first == degree; });
    };
    for (const Modification& m : mods) {
        auto it = find(m.degree);
        if (m.kind == Modification::kAdd) {
            if (it != chord.degrees.end()) {
                return core::Error{"ChordSymbol: " + quoted + " adds scale degree " +
                                   std::to_string(m.degree) + ", already in the chord"};
            }
            chord.degrees.emplace_back(m.degree, m.degree == 7 ? m.alter - 1 : m.alter);
        } else if (m.kind == Modification::kRemove) {
            if (it == chord.degrees.end()) {
                return core::Error{"ChordSymbol: " + quoted + " removes scale degree " +
                                   std::to_string(m.degree) + ", not in the chord"};
            }
            chord.degrees.erase(it);
        } else if (it != chord.degrees.end()) {
            it->second += m.alter;
        } else {
            chord.degrees.emplace_back(m.degree, m.alter);
        }
    }
    chord.bass = bass >= 0 ? bass : chord.root;
    return chord;
}

std::vector<int> ChordSymbol::pitchClasses() const {
    std::vector<int> out;
    if (noChord) return out;
    for (const auto& [degree, alter] : degrees) {
        const int normalized = floorMod(degree - 1, 7) + 1;
        out.push_back(floorMod(root + kDegreeOffsets[static_cast<size_t>(normalized)] + alter, 12));
    }
    return out;
}

ChordQuality ChordSymbol::quality() const {
    int alter[3] = {0, 0, 0};
    bool present[3] = {false, false, false};
    for (const auto& [degree, a] : degrees) {
        const int slot = degree == 1 ? 0 : degree == 3 ? 1 : degree == 5 ? 2 : -1;
        if (slot < 0) continue;
        present[slot] = true;
        alter[slot] = a;
    }
    if (noChord || !present[0] || !present[1] || !present[2] || alter[0] != 0) {
        return ChordQuality::kOther;
    }
    if (alter[1] == 0 && alter[2] == 0) return ChordQuality::kMajor;
    if (alter[1] == -1 && alter[2] == 0) return ChordQuality::kMinor;
    if (alter[1] == 0 && alter[2] == 1) return ChordQuality::kAugmented;
    if (alter[1] == -1 && alter[2] == -1) return ChordQuality::kDiminished;
    return ChordQuality::kOther;
}

ChordSymbol ChordSymbol::transposed(int semitones) const {
    ChordSymbol out = *this;
    if (noChord) return out;
    out.root = floorMod(root + semitones, 12);
    out.bass = floorMod(bass + semitones, 12);
    return out;
}

}  // namespace toccata::ml
