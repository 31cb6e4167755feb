#include "app/PianoGenieMidiMapping.h"

#include <algorithm>

namespace toccata::app {

void PianoGenieMidiMapping::setMode(Mode mode) {
    m_mode = mode;
    relearn();
}

void PianoGenieMidiMapping::relearn() {
    m_learned.clear();
    m_pitches.fill(-1);
    if (m_mode == Mode::kWhiteKeys) m_pitches = kWhiteKeysC4;
}

bool PianoGenieMidiMapping::isLearning() const {
    return (m_mode == Mode::kLearnPitchOrder || m_mode == Mode::kLearnPressOrder) &&
           m_learned.size() < size_t(kButtons);
}

std::array<int, PianoGenieMidiMapping::kButtons> PianoGenieMidiMapping::pitches() const {
    return m_pitches;
}

int PianoGenieMidiMapping::buttonOf(int pitch) const {
    if (m_mode == Mode::kOff || isLearning()) return -1;
    const auto it = std::find(m_pitches.begin(), m_pitches.end(), pitch);
    return it == m_pitches.end() ? -1 : static_cast<int>(it - m_pitches.begin());
}

PianoGenieMidiMapping::Routed PianoGenieMidiMapping::noteOn(int pitch) {
    if (m_mode == Mode::kOff) return {};
    if (isLearning()) {
        if (std::find(m_learned.begin(), m_learned.end(), pitch) == m_learned.end())
            m_learned.push_back(pitch);
        if (m_learned.size() == size_t(kButtons)) {
            std::vector<int> order = m_learned;
            if (m_mode == Mode::kLearnPitchOrder) std::sort(order.begin(), order.end());
            std::copy(order.begin(), order.end(), m_pitches.begin());
        }
        return {true, -1};
    }
    const int button = buttonOf(pitch);
    return {button >= 0, button};
}

PianoGenieMidiMapping::Routed PianoGenieMidiMapping::noteOff(int pitch) {
    if (m_mode == Mode::kOff) return {};
    // A learning note's release is the genie's too (its press was swallowed).
    if (std::find(m_learned.begin(), m_learned.end(), pitch) != m_learned.end() &&
        buttonOf(pitch) < 0)
        return {true, -1};
    const int button = buttonOf(pitch);
    return {button >= 0, button};
}

}  // namespace toccata::app
