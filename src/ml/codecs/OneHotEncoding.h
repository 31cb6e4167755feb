// OneHotEncoding<Event>: how single events map to class indices and back, Magenta's
// note_seq.encoder_decoder.OneHotEncoding. Melody (int), drum (DrumEvent) and chord encodings
// implement it; the sequence encoders (one-hot, lookback) are built on top of it. [any]
#pragma once

#include "core/Result.h"

namespace toccata::ml {

template <typename Event>
class OneHotEncoding {
public:
    virtual ~OneHotEncoding() = default;

    /// Number of classes: encodeEvent returns 0 .. numClasses() - 1.
    virtual int numClasses() const = 0;
    /// The event used for padding and for lookbacks before the start of a sequence.
    virtual Event defaultEvent() const = 0;
    /// Class of an event; an error names the event and why it has no class.
    virtual core::Result<int> encodeEvent(const Event& event) const = 0;
    /// Event of a class index in 0 .. numClasses() - 1 (outside that range: defaultEvent()).
    virtual Event decodeEvent(int index) const = 0;
};

}  // namespace toccata::ml
