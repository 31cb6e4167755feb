#include "ml/codecs/MultiDrumOneHotEncoding.h"

#include <string>

namespace toccata::ml {

const DrumTypePitches& defaultDrumTypePitches() {
    static const DrumTypePitches kPitches = {
        {36, 35},                                                      // kick
        {38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85},  // snare
        {42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22},                  // closed hi-hat
        {46, 67, 72, 74, 79, 81, 26},                                  // open hi-hat
        {45, 29, 41, 43, 61, 64, 84},                                  // low tom
        {48, 47, 60, 63, 77, 86, 87},                                  // mid tom
        {50, 30, 62, 76, 83},                                          // high tom
        {49, 52, 55, 57, 58},                                          // crash
        {51, 53, 59, 82},                                              // ride
    };
    return kPitches;
}

DrumTypePitches oneDrumTypePitches() {
    std::vector<int> all = {39};
    for (int p = 0; p < 128; ++p)
        if (p != 39) all.push_back(p);
    return {all};
}

core::Result<MultiDrumOneHotEncoding> MultiDrumOneHotEncoding::create(
    const DrumTypePitches& drumTypePitches, bool ignoreUnknownDrums) {
    if (drumTypePitches.empty() || drumTypePitches.size() > 16) {
        return core::Error{
            "MultiDrumOneHotEncoding: drumTypePitches must list 1 to 16 drum "
            "classes, got " +
            std::to_string(drumTypePitches.size())};
    }
    MultiDrumOneHotEncoding encoding;
    encoding.m_classes = drumTypePitches;
    encoding.m_classOfPitch.assign(128, -1);
    encoding.m_ignoreUnknown = ignoreUnknownDrums;
    for (size_t c = 0; c < drumTypePitches.size(); ++c) {
        if (drumTypePitches[c].empty()) {
            return core::Error{"MultiDrumOneHotEncoding: drum class " + std::to_string(c) +
                               " has no pitch"};
        }
        for (int pitch : drumTypePitches[c]) {
            if (pitch < 0 || pitch > 127) {
                return core::Error{"MultiDrumOneHotEncoding: drum class " + std::to_string(c) +
                                   " lists pitch " + std::to_string(pitch) + ", outside 0..127"};
            }
            encoding.m_classOfPitch[static_cast<size_t>(pitch)] = static_cast<int>(c);
        }
    }
    return encoding;
}

int MultiDrumOneHotEncoding::drumTypeOf(int pitch) const {
    if (pitch < 0 || pitch > 127) return -1;
    return m_classOfPitch[static_cast<size_t>(pitch)];
}

core::Result<int> MultiDrumOneHotEncoding::encodeEvent(const DrumEvent& event) const {
    int index = 0;
    for (int pitch : event.pitches()) {
        const int type = drumTypeOf(pitch);
        if (type >= 0) {
            index |= 1 << type;
        } else if (!m_ignoreUnknown) {
            return core::Error{"MultiDrumOneHotEncoding: unknown drum pitch " +
                               std::to_string(pitch)};
        }
    }
    return index;
}

DrumEvent MultiDrumOneHotEncoding::decodeEvent(int index) const {
    DrumEvent event;
    if (index < 0 || index >= numClasses()) return event;
    for (size_t c = 0; c < m_classes.size(); ++c) {
        if ((index >> c) & 1) event.insert(m_classes[c].front());
    }
    return event;
}

}  // namespace toccata::ml
