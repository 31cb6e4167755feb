// MelodyOneHotEncoding: Magenta's note_seq.MelodyOneHotEncoding, the one-hot of the melody RNNs.
// Class 0 = no event (-2, the previous note is held), 1 = note-off (-1), then one class per
// pitch in [minNote, maxNote): basic_rnn uses [48, 84) = 38 classes, mono_rnn [0, 128) = 130.
#pragma once

#include "core/Result.h"
#include "core/ops/MelodyExtraction.h"
#include "ml/codecs/OneHotEncoding.h"

namespace toccata::ml {

/// Magenta's DEFAULT_MIN_NOTE / DEFAULT_MAX_NOTE of the melody RNN configs (exclusive max).
inline constexpr int kMelodyRnnMinNote = 48;
inline constexpr int kMelodyRnnMaxNote = 84;
/// Magenta's NUM_SPECIAL_MELODY_EVENTS (no event, note-off).
inline constexpr int kNumSpecialMelodyEvents = 2;

class MelodyOneHotEncoding : public OneHotEncoding<int> {
public:
    /// Error unless 0 <= minNote < maxNote <= 128.
    static core::Result<MelodyOneHotEncoding> create(int minNote, int maxNote);

    int numClasses() const override { return m_maxNote - m_minNote + kNumSpecialMelodyEvents; }
    int defaultEvent() const override { return core::kMelodyNoEvent; }
    /// -2 -> 0, -1 -> 1, pitch p -> p - minNote + 2; error for a pitch outside the range.
    core::Result<int> encodeEvent(const int& event) const override;
    int decodeEvent(int index) const override;

    int minNote() const { return m_minNote; }
    int maxNote() const { return m_maxNote; }

private:
    MelodyOneHotEncoding(int minNote, int maxNote) : m_minNote(minNote), m_maxNote(maxNote) {}
    int m_minNote;
    int m_maxNote;
};

}  // namespace toccata::ml
