#include "ml/codecs/KeyMelodySequenceEncoder.h"

#include <algorithm>
#include <array>
#include <deque>
#include <string>

#include "core/ops/MelodyExtraction.h"
#include "ml/codecs/MelodyOneHotEncoding.h"

namespace toccata::ml {
namespace {

constexpr int kStepsPerBar = 16;  // Magenta uses DEFAULT_STEPS_PER_BAR here, whatever the metre
constexpr std::array<int, 7> kMajorScale = {0, 2, 4, 5, 7, 9, 11};

/// Sets out[key] = 1 for every major key holding the most of `pitches` (all keys when empty).
template <typename Pitches>
void markLikeliestKeys(const Pitches& pitches, float* out) {
    std::array<int, 12> perKey{};
    for (int pitch : pitches)
        for (int degree : kMajorScale) ++perKey[static_cast<size_t>((pitch - degree + 120) % 12)];
    const int best = *std::max_element(perKey.begin(), perKey.end());
    for (size_t key = 0; key < perKey.size(); ++key)
        if (perKey[key] == best) out[key] = 1.0F;
}

}  // namespace

core::Result<KeyMelodySequenceEncoder> KeyMelodySequenceEncoder::create(
    int minNote, int maxNote, std::vector<int> lookbackDistances, int binaryCounterBits) {
    if (minNote < 0 || maxNote > 128 || maxNote <= minNote)
        return core::Error{"KeyMelodySequenceEncoder: pitch range [" + std::to_string(minNote) +
                           ", " + std::to_string(maxNote) + ") is not within [0, 128)"};
    for (int d : lookbackDistances)
        if (d < 1) return core::Error{"KeyMelodySequenceEncoder: lookback distances must be >= 1"};
    if (binaryCounterBits < 0 || binaryCounterBits > 30)
        return core::Error{"KeyMelodySequenceEncoder: binaryCounterBits must be 0..30"};
    return KeyMelodySequenceEncoder(minNote, maxNote - minNote, std::move(lookbackDistances),
                                    binaryCounterBits);
}

int KeyMelodySequenceEncoder::inputSize() const {
    return m_noteRange + 2 + 1 + 1 + static_cast<int>(m_distances.size()) + m_counterBits + 1 +
           12 + 12;
}

int KeyMelodySequenceEncoder::numClasses() const {
    return m_noteRange + kNumSpecialMelodyEvents + static_cast<int>(m_distances.size());
}

core::Status KeyMelodySequenceEncoder::eventsToInput(const std::vector<int>& events,
                                                     size_t position, float* out) const {
    if (position >= events.size())
        return core::Status::failure("KeyMelodySequenceEncoder: position " +
                                     std::to_string(position) + " is past the " +
                                     std::to_string(events.size()) + " events");
    // Replay the melody up to `position`: sounding note, attack, direction, last 3 pitches.
    int current = -1;
    bool attack = false;
    int direction = 0;
    std::deque<int> lastThree;
    std::vector<int> noteOns;
    for (size_t i = 0; i <= position; ++i) {
        const int e = events[i];
        if (e == core::kMelodyNoEvent) {
            attack = false;
        } else if (e == core::kMelodyNoteOff) {
            current = -1;
        } else if (e >= 0) {
            if (e < m_minNote || e >= m_minNote + m_noteRange)
                return core::Status::failure(
                    "KeyMelodySequenceEncoder: melody event " + std::to_string(e) +
                    " is outside the model's pitch range [" + std::to_string(m_minNote) + ", " +
                    std::to_string(m_minNote + m_noteRange) + ")");
            attack = true;
            current = e;
            if (!lastThree.empty() && e != lastThree.back()) direction = e > lastThree.back() ? 1 : -1;
            lastThree.erase(std::remove(lastThree.begin(), lastThree.end(), e), lastThree.end());
            lastThree.push_back(e);
            if (lastThree.size() > 3) lastThree.pop_front();
            noteOns.push_back(e);
        } else {
            return core::Status::failure("KeyMelodySequenceEncoder: invalid melody event " +
                                         std::to_string(e));
        }
    }
    std::fill(out, out + inputSize(), 0.0F);
    int offset = 0;
    // Magenta tests `if current_note:`, so pitch 0 counts as silence; kept for parity.
    if (current > 0) {
        out[current - m_minNote] = 1.0F;
        out[m_noteRange] = 1.0F;
    } else {
        out[m_noteRange + 1] = 1.0F;
    }
    offset += m_noteRange + 2;
    if (attack) out[offset] = 1.0F;
    ++offset;
    out[offset++] = static_cast<float>(direction);
    for (int distance : m_distances) {
        const long long back = static_cast<long long>(position) - distance;
        if (back >= 0 && events[position] == events[static_cast<size_t>(back)]) out[offset] = 1.0F;
        ++offset;
    }
    const long long seen = static_cast<long long>(position) + 1;
    for (int bit = 0; bit < m_counterBits; ++bit)
        out[offset++] = ((seen >> bit) & 1) ? 1.0F : -1.0F;
    if (seen % kStepsPerBar == 0) out[offset] = 1.0F;
    ++offset;
    markLikeliestKeys(noteOns, out + offset);
    offset += 12;
    markLikeliestKeys(lastThree, out + offset);
    return {};
}

core::Result<int> KeyMelodySequenceEncoder::eventsToLabel(const std::vector<int>& events,
                                                          size_t position) const {
    if (position >= events.size())
        return core::Error{"KeyMelodySequenceEncoder: label position " + std::to_string(position) +
                           " is past the events"};
    const int e = events[position];
    const auto pos = static_cast<long long>(position);
    const int n = static_cast<int>(m_distances.size());
    if (n > 0 && pos < m_distances.back() && e == core::kMelodyNoEvent)
        return m_noteRange + n + 1;
    for (int i = n - 1; i >= 0; --i) {
        const long long back = pos - m_distances[static_cast<size_t>(i)];
        if (back >= 0 && e == events[static_cast<size_t>(back)]) return m_noteRange + 2 + i;
    }
    if (e == core::kMelodyNoteOff) return m_noteRange + 1;
    if (e == core::kMelodyNoEvent) return m_noteRange;
    if (e < m_minNote || e >= m_minNote + m_noteRange)
        return core::Error{"KeyMelodySequenceEncoder: melody event " + std::to_string(e) +
                           " is outside the model's pitch range"};
    return e - m_minNote;
}

int KeyMelodySequenceEncoder::classIndexToEvent(int classIndex,
                                                const std::vector<int>& events) const {
    for (int i = static_cast<int>(m_distances.size()) - 1; i >= 0; --i) {
        if (classIndex != m_noteRange + 2 + i) continue;
        const auto distance = static_cast<size_t>(m_distances[static_cast<size_t>(i)]);
        return events.size() < distance ? core::kMelodyNoEvent : events[events.size() - distance];
    }
    if (classIndex == m_noteRange + 1) return core::kMelodyNoteOff;
    if (classIndex == m_noteRange) return core::kMelodyNoEvent;
    return m_minNote + classIndex;
}

}  // namespace toccata::ml
