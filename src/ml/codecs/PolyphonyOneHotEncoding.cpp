#include "ml/codecs/PolyphonyOneHotEncoding.h"

#include <string>

namespace toccata::ml {

core::Result<int> PolyphonyOneHotEncoding::encodeEvent(const PolyphonicEvent& event) const {
    switch (event.type) {
        case PolyphonicEvent::kStart: return 0;
        case PolyphonicEvent::kEnd: return 1;
        case PolyphonicEvent::kStepEnd: return 2;
        case PolyphonicEvent::kNewNote:
        case PolyphonicEvent::kContinuedNote:
            if (event.pitch < 0 || event.pitch > 127)
                return core::Error{"PolyphonyOneHotEncoding: note pitch " +
                                   std::to_string(event.pitch) + " is outside 0..127"};
            return (event.type == PolyphonicEvent::kNewNote ? kPolyphonyNewNoteOffset
                                                            : kPolyphonyContinuedNoteOffset) +
                   event.pitch;
    }
    return core::Error{"PolyphonyOneHotEncoding: unknown event type " +
                       std::to_string(static_cast<int>(event.type))};
}

PolyphonicEvent PolyphonyOneHotEncoding::decodeEvent(int index) const {
    if (index == 0) return PolyphonicEvent::start();
    if (index == 1) return PolyphonicEvent::end();
    if (index >= kPolyphonyNewNoteOffset && index < kPolyphonyContinuedNoteOffset)
        return PolyphonicEvent::newNote(index - kPolyphonyNewNoteOffset);
    if (index >= kPolyphonyContinuedNoteOffset && index < kPolyphonyNumClasses)
        return PolyphonicEvent::continuedNote(index - kPolyphonyContinuedNoteOffset);
    return defaultEvent();  // 2 (STEP_END) and anything out of range
}

}  // namespace toccata::ml
