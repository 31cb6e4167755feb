// Melody-event transforms the melody RNNs apply around generation, as Magenta's Melody:
// transpose (with octave folding into [minNote, maxNote)), squash (move to a key and centre
// the melody in the model's range; returns the amount to undo afterwards) and the major-key
// estimate behind it. Events are Magenta melody events (-2, -1, 0..127). [any]
#pragma once

#include <optional>
#include <vector>

namespace toccata::ml {

/// Magenta's Melody.get_major_key: the major key (0 = C .. 11 = B) containing the most
/// note-ons; ties go to the lowest key.
int melodyMajorKey(const std::vector<int>& events);

/// Magenta's Melody.transpose: pitches move by `amount`, then those below minNote or at/above
/// maxNote are folded by octaves into the range. Special events are unchanged.
void transposeMelody(std::vector<int>& events, int amount, int minNote = 0, int maxNote = 128);

/// Magenta's Melody.squash: with a target key, transposes by
/// keyDiff + 12 * round((targetCentre - (melodyCentre + keyDiff)) / 12) (round half to even,
/// as Python 3) and folds into [minNote, maxNote); without one, only folds. Returns the amount.
int squashMelody(std::vector<int>& events, int minNote, int maxNote,
                 std::optional<int> transposeToKey);

}  // namespace toccata::ml
