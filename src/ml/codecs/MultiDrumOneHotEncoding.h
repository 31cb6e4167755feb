// MultiDrumOneHotEncoding: Magenta's note_seq.MultiDrumOneHotEncoding. Drum pitches are
// reduced to N drum classes; a step's set of classes is the integer sum(2^class), one-hot over
// 2^N classes (drum_kit: 9 classes -> 512). Decoding emits the first pitch of each class.
// one_drum uses a single class holding every pitch (decoded as 39, hand clap).
#pragma once

#include <vector>

#include "core/Result.h"
#include "ml/codecs/DrumEvent.h"
#include "ml/codecs/OneHotEncoding.h"

namespace toccata::ml {

/// Pitches of each drum class; the first pitch of a class is the one emitted when decoding.
using DrumTypePitches = std::vector<std::vector<int>>;

/// Magenta's DEFAULT_DRUM_TYPE_PITCHES: kick, snare, closed hi-hat, open hi-hat, low tom,
/// mid tom, high tom, crash, ride (decoded as 36, 38, 42, 46, 45, 48, 50, 49, 51).
const DrumTypePitches& defaultDrumTypePitches();
/// The one_drum map: one class, [39] + 0..38 + 40..127.
DrumTypePitches oneDrumTypePitches();

class MultiDrumOneHotEncoding : public OneHotEncoding<DrumEvent> {
public:
    /// Errors: no class, more than 16 classes, an empty class, a pitch outside 0..127.
    /// A pitch listed in several classes belongs to the last one (as Magenta's dict does).
    static core::Result<MultiDrumOneHotEncoding> create(
        const DrumTypePitches& drumTypePitches = defaultDrumTypePitches(),
        bool ignoreUnknownDrums = true);

    int numClasses() const override { return 1 << static_cast<int>(m_classes.size()); }
    DrumEvent defaultEvent() const override { return {}; }
    /// sum(2^class) over the classes of the event's pitches; unknown pitches are skipped (or an
    /// error when ignoreUnknownDrums is false).
    core::Result<int> encodeEvent(const DrumEvent& event) const override;
    DrumEvent decodeEvent(int index) const override;

    int numDrumTypes() const { return static_cast<int>(m_classes.size()); }
    /// Drum class of a pitch, -1 when it has none.
    int drumTypeOf(int pitch) const;

private:
    MultiDrumOneHotEncoding() = default;
    DrumTypePitches m_classes;
    std::vector<int> m_classOfPitch;  // 128 entries, -1 = unknown
    bool m_ignoreUnknown = true;
};

}  // namespace toccata::ml
