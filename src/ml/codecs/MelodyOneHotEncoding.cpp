#include "ml/codecs/MelodyOneHotEncoding.h"

#include <string>

namespace toccata::ml {

core::Result<MelodyOneHotEncoding> MelodyOneHotEncoding::create(int minNote, int maxNote) {
    if (minNote < 0 || maxNote > 128 || minNote >= maxNote) {
        return core::Error{"MelodyOneHotEncoding: the pitch range [minNote " +
                           std::to_string(minNote) + ", maxNote " + std::to_string(maxNote) +
                           ") must satisfy 0 <= minNote < maxNote <= 128"};
    }
    return MelodyOneHotEncoding(minNote, maxNote);
}

core::Result<int> MelodyOneHotEncoding::encodeEvent(const int& event) const {
    if (event == core::kMelodyNoEvent) return 0;
    if (event == core::kMelodyNoteOff) return 1;
    if (event < m_minNote || event >= m_maxNote) {
        return core::Error{"MelodyOneHotEncoding: melody event " + std::to_string(event) +
                           " is neither a special event (-2, -1) nor a pitch in [" +
                           std::to_string(m_minNote) + ", " + std::to_string(m_maxNote) + ")"};
    }
    return event - m_minNote + kNumSpecialMelodyEvents;
}

int MelodyOneHotEncoding::decodeEvent(int index) const {
    if (index < 0 || index >= numClasses()) return core::kMelodyNoEvent;
    const int event = index - kNumSpecialMelodyEvents;
    return event >= 0 ? event + m_minNote : event;
}

}  // namespace toccata::ml
