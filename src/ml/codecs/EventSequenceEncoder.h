// EventSequenceEncoder<Event>: Magenta's EventSequenceEncoderDecoder, turning an event sequence
// into model input vectors and class labels and a sampled class back into an event; and
// OneHotEventSequenceEncoder, the plain one-hot variant (basic_rnn, mono_rnn, one_drum). The
// lookback variant is in LookbackEventSequenceEncoder.h. Templates over the event type. [any]
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/OneHotEncoding.h"

namespace toccata::ml {

template <typename Event>
class EventSequenceEncoder {
public:
    virtual ~EventSequenceEncoder() = default;

    /// Width of one input vector.
    virtual int inputSize() const = 0;
    /// Number of labels (softmax classes).
    virtual int numClasses() const = 0;
    /// Writes the input vector for `events[position]` into out[0 .. inputSize()).
    virtual core::Status eventsToInput(const std::vector<Event>& events, size_t position,
                                       float* out) const = 0;
    /// The label of `events[position]` (what the model should have predicted there).
    virtual core::Result<int> eventsToLabel(const std::vector<Event>& events,
                                            size_t position) const = 0;
    /// The event a sampled class stands for, given the events so far.
    virtual Event classIndexToEvent(int classIndex, const std::vector<Event>& events) const = 0;

    /// Input vector as a std::vector (convenience for tests and training).
    core::Result<std::vector<float>> input(const std::vector<Event>& events,
                                           size_t position) const {
        std::vector<float> out(static_cast<size_t>(inputSize()), 0.0F);
        core::Status status = eventsToInput(events, position, out.data());
        if (!status) return status.error();
        return out;
    }

    /// Magenta's encode(): inputs of positions 0..n-2 and labels of positions 1..n-1.
    struct Encoded {
        std::vector<std::vector<float>> inputs;
        std::vector<int> labels;
    };
    core::Result<Encoded> encode(const std::vector<Event>& events) const {
        Encoded encoded;
        for (size_t i = 0; i + 1 < events.size(); ++i) {
            auto in = input(events, i);
            if (!in) return in.error();
            auto label = eventsToLabel(events, i + 1);
            if (!label) return label.error();
            encoded.inputs.push_back(std::move(*in));
            encoded.labels.push_back(*label);
        }
        return encoded;
    }
};

/// Input = one-hot of the current event; label = class of the event. [any]
template <typename Event>
class OneHotEventSequenceEncoder : public EventSequenceEncoder<Event> {
public:
    explicit OneHotEventSequenceEncoder(std::shared_ptr<const OneHotEncoding<Event>> encoding)
        : m_encoding(std::move(encoding)) {}

    int inputSize() const override { return m_encoding->numClasses(); }
    int numClasses() const override { return m_encoding->numClasses(); }

    core::Status eventsToInput(const std::vector<Event>& events, size_t position,
                               float* out) const override {
        if (position >= events.size()) {
            return core::Status::failure("OneHotEventSequenceEncoder: position " +
                                         std::to_string(position) + " is past the " +
                                         std::to_string(events.size()) + " events");
        }
        auto index = m_encoding->encodeEvent(events[position]);
        if (!index) return index.error();
        std::fill(out, out + inputSize(), 0.0F);
        out[*index] = 1.0F;
        return {};
    }
    core::Result<int> eventsToLabel(const std::vector<Event>& events,
                                    size_t position) const override {
        if (position >= events.size()) {
            return core::Error{"OneHotEventSequenceEncoder: label position " +
                               std::to_string(position) + " is past the events"};
        }
        return m_encoding->encodeEvent(events[position]);
    }
    Event classIndexToEvent(int classIndex, const std::vector<Event>&) const override {
        return m_encoding->decodeEvent(classIndex);
    }

    const OneHotEncoding<Event>& encoding() const { return *m_encoding; }

private:
    std::shared_ptr<const OneHotEncoding<Event>> m_encoding;
};

}  // namespace toccata::ml
