#include "ml/codecs/MelodyTransforms.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace toccata::ml {
namespace {

int floorMod(int a, int m) { return ((a % m) + m) % m; }

constexpr std::array<int, 7> kMajorScale = {0, 2, 4, 5, 7, 9, 11};

}  // namespace

int melodyMajorKey(const std::vector<int>& events) {
    std::array<int, 12> notes{};
    for (int e : events)
        if (e >= 0) ++notes[static_cast<size_t>(e % 12)];
    std::array<long, 12> keys{};
    for (int key = 0; key < 12; ++key) {
        for (int degree : kMajorScale)
            keys[static_cast<size_t>(key)] += notes[static_cast<size_t>((key + degree) % 12)];
    }
    return static_cast<int>(std::max_element(keys.begin(), keys.end()) - keys.begin());
}

void transposeMelody(std::vector<int>& events, int amount, int minNote, int maxNote) {
    for (int& e : events) {
        if (e < 0) continue;
        e += amount;
        if (e < minNote) {
            e = minNote + floorMod(e - minNote, 12);
        } else if (e >= maxNote) {
            e = maxNote - 12 + floorMod(e - maxNote, 12);
        }
    }
}

int squashMelody(std::vector<int>& events, int minNote, int maxNote,
                 std::optional<int> transposeToKey) {
    int amount = 0;
    if (transposeToKey) {
        const int keyDiff = *transposeToKey - melodyMajorKey(events);
        int lowest = 128;
        int highest = -1;
        for (int e : events) {
            if (e < 0 || e > 127) continue;
            lowest = std::min(lowest, e);
            highest = std::max(highest, e);
        }
        if (highest < 0) return 0;
        const double melodyCentre = (lowest + highest) / 2.0;
        const double targetCentre = (minNote + maxNote - 1) / 2.0;
        const double centreDiff = targetCentre - (melodyCentre + keyDiff);
        amount = keyDiff + 12 * static_cast<int>(std::nearbyint(centreDiff / 12.0));
    }
    transposeMelody(events, amount, minNote, maxNote);
    return amount;
}

}  // namespace toccata::ml
