// KeyMelodySequenceEncoder: Magenta's KeyMelodyEncoderDecoder, the input of attention_rnn.
// With [48, 84), lookbacks [16, 32] and 7 counter bits: 74 inputs, 40 labels. Input layout
// (R = maxNote - minNote, n = position + 1 = events seen so far):
//   [0, R)        pitch of the note sounding now (one-hot; none during silence)
//   R, R+1        a note is sounding / silence
//   R+2           the current event is that note's attack
//   R+3           melody direction of the last note change: +1 up, -1 down, 0 unknown
//   R+4 ..        1 per lookback d when events[position] == events[position - d]
//   .. counter    bit i = +1 if (n >> i) & 1 else -1 (metric position of the next step)
//   +1            the next step starts a 16-step bar (n % 16 == 0)
//   +12           major keys that hold the most of the melody's note-ons so far (ties: all)
//   +12           the same for the last 3 distinct pitches played
// Labels: [0, R) note-on, R no event, R+1 note-off, R+2+i repeat lookback i (farthest first;
// a no-event in the first farthest-lookback steps is labelled as the farthest repeat). [any]
#pragma once

#include <vector>

#include "ml/codecs/EventSequenceEncoder.h"

namespace toccata::ml {

class KeyMelodySequenceEncoder : public EventSequenceEncoder<int> {
public:
    /// Error unless 0 <= minNote < maxNote <= 128, distances are >= 1, bits in 0..30.
    static core::Result<KeyMelodySequenceEncoder> create(int minNote, int maxNote,
                                                         std::vector<int> lookbackDistances,
                                                         int binaryCounterBits);

    int inputSize() const override;
    int numClasses() const override;
    core::Status eventsToInput(const std::vector<int>& events, size_t position,
                               float* out) const override;
    core::Result<int> eventsToLabel(const std::vector<int>& events,
                                    size_t position) const override;
    int classIndexToEvent(int classIndex, const std::vector<int>& events) const override;

    int minNote() const { return m_minNote; }
    int maxNote() const { return m_minNote + m_noteRange; }

private:
    KeyMelodySequenceEncoder(int minNote, int noteRange, std::vector<int> distances, int bits)
        : m_minNote(minNote),
          m_noteRange(noteRange),
          m_distances(std::move(distances)),
          m_counterBits(bits) {}

    int m_minNote;
    int m_noteRange;
    std::vector<int> m_distances;
    int m_counterBits;
};

}  // namespace toccata::ml
