#include "ml/generation/KeyScale.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace toccata::ml {
namespace {

constexpr std::array<std::pair<const char*, Scale>, 9> kScaleNames = {{
    {"major", Scale::kMajor},
    {"natural-minor", Scale::kNaturalMinor},
    {"harmonic-minor", Scale::kHarmonicMinor},
    {"dorian", Scale::kDorian},
    {"mixolydian", Scale::kMixolydian},
    {"major-pentatonic", Scale::kMajorPentatonic},
    {"minor-pentatonic", Scale::kMinorPentatonic},
    {"blues", Scale::kBlues},
    {"chromatic", Scale::kChromatic},
}};

}  // namespace

std::vector<int> KeyScale::intervals(Scale scale) {
    switch (scale) {
        case Scale::kMajor: return {0, 2, 4, 5, 7, 9, 11};
        case Scale::kNaturalMinor: return {0, 2, 3, 5, 7, 8, 10};
        case Scale::kHarmonicMinor: return {0, 2, 3, 5, 7, 8, 11};
        case Scale::kDorian: return {0, 2, 3, 5, 7, 9, 10};
        case Scale::kMixolydian: return {0, 2, 4, 5, 7, 9, 10};
        case Scale::kMajorPentatonic: return {0, 2, 4, 7, 9};
        case Scale::kMinorPentatonic: return {0, 3, 5, 7, 10};
        case Scale::kBlues: return {0, 3, 5, 6, 7, 10};
        case Scale::kChromatic: return {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    }
    return {};
}

const char* KeyScale::scaleName(Scale scale) {
    for (const auto& [name, value] : kScaleNames)
        if (value == scale) return name;
    return "";
}

core::Result<KeyScale> KeyScale::parse(std::string_view text) {
    const std::string quoted = "key/scale \"" + std::string(text) + "\"";
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) {
        return core::Error{"KeyScale: " + quoted +
                           " must be \"<tonic> <scale>\", e.g. \"C major\""};
    }
    const std::string_view tonicText = text.substr(0, space);
    std::string scaleText(text.substr(space + 1));
    std::transform(scaleText.begin(), scaleText.end(), scaleText.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static constexpr std::array<int, 7> kSteps = {9, 11, 0, 2, 4, 5, 7};  // A..G
    if (tonicText.empty() || tonicText.size() > 2 ||
        std::toupper(static_cast<unsigned char>(tonicText[0])) < 'A' ||
        std::toupper(static_cast<unsigned char>(tonicText[0])) > 'G') {
        return core::Error{"KeyScale: " + quoted + " has no tonic A..G (with # or b)"};
    }
    KeyScale key;
    key.tonic =
        kSteps[static_cast<size_t>(std::toupper(static_cast<unsigned char>(tonicText[0])) - 'A')];
    if (tonicText.size() == 2) {
        if (tonicText[1] == '#') {
            key.tonic += 1;
        } else if (tonicText[1] == 'b') {
            key.tonic += 11;
        } else {
            return core::Error{"KeyScale: " + quoted + ": the tonic accidental must be # or b"};
        }
    }
    key.tonic %= 12;
    if (scaleText == "minor") scaleText = "natural-minor";
    for (const auto& [name, value] : kScaleNames) {
        if (scaleText == name) {
            key.scale = value;
            return key;
        }
    }
    return core::Error{"KeyScale: " + quoted + ": unknown scale \"" + scaleText + "\""};
}

std::array<bool, 12> KeyScale::pitchClassMask() const {
    std::array<bool, 12> mask{};
    for (int interval : intervals(scale)) mask[static_cast<size_t>((tonic + interval) % 12)] = true;
    return mask;
}

bool KeyScale::contains(int pitch) const {
    return pitchClassMask()[static_cast<size_t>(((pitch % 12) + 12) % 12)];
}

}  // namespace toccata::ml
