// PolyphonyOneHotEncoding: Magenta's PolyphonyOneHotEncoding, 3 + 2 x 128 = 259 classes:
// 0 START, 1 END, 2 STEP_END, 3 + p NEW_NOTE(p), 131 + p CONTINUED_NOTE(p). The default event
// is STEP_END. The polyphony config's input is the same one-hot (no lookback). [any]
#pragma once

#include "core/Result.h"
#include "ml/codecs/OneHotEncoding.h"
#include "ml/codecs/PolyphonicSequence.h"

namespace toccata::ml {

inline constexpr int kPolyphonyNumClasses = 259;
inline constexpr int kPolyphonyNewNoteOffset = 3;
inline constexpr int kPolyphonyContinuedNoteOffset = 131;

class PolyphonyOneHotEncoding : public OneHotEncoding<PolyphonicEvent> {
public:
    int numClasses() const override { return kPolyphonyNumClasses; }
    PolyphonicEvent defaultEvent() const override { return PolyphonicEvent::stepEnd(); }
    /// Error for a note event whose pitch is outside 0..127.
    core::Result<int> encodeEvent(const PolyphonicEvent& event) const override;
    /// Outside 0..258: defaultEvent().
    PolyphonicEvent decodeEvent(int index) const override;
    /// Magenta's event_to_num_steps: 1 for STEP_END.
    static int eventToNumSteps(const PolyphonicEvent& event) {
        return event.type == PolyphonicEvent::kStepEnd ? 1 : 0;
    }
};

}  // namespace toccata::ml
