// LookbackEventSequenceEncoder<Event>: Magenta's LookbackEventSequenceEncoderDecoder, used by
// lookback_rnn (melody, lookbacks [16, 32], 5 counter bits: 121 inputs, 40 labels) and by
// drum_kit_rnn (no lookbacks, 6 counter bits: 518 inputs, 512 labels). Input layout:
//   [one-hot of the current event]
//   [one-hot of the event at position - d + 1, for each lookback distance d (default if < 0)]
//   [binary counter of position + 1: bit i = +1 if ((position + 1) >> i) & 1 else -1]
//   [1 if the current event equals the one d steps back, for each d]
// Labels: numClasses(encoding) + i means "repeat the event lookback i ago"; the farthest
// lookback is tried first; during the first (last distance) steps a default event is
// labelled as the farthest repeat. [any]
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ml/codecs/EventSequenceEncoder.h"

namespace toccata::ml {

/// Magenta's DEFAULT_LOOKBACK_DISTANCES: one and two 4/4 bars of 16th notes.
inline const std::vector<int> kDefaultLookbackDistances = {16, 32};

template <typename Event>
class LookbackEventSequenceEncoder : public EventSequenceEncoder<Event> {
public:
    LookbackEventSequenceEncoder(std::shared_ptr<const OneHotEncoding<Event>> encoding,
                                 std::vector<int> lookbackDistances = kDefaultLookbackDistances,
                                 int binaryCounterBits = 5)
        : m_encoding(std::move(encoding)),
          m_distances(std::move(lookbackDistances)),
          m_counterBits(std::max(0, binaryCounterBits)) {}

    int inputSize() const override {
        const int oneHot = m_encoding->numClasses();
        const int n = static_cast<int>(m_distances.size());
        return oneHot + n * oneHot + m_counterBits + n;
    }
    int numClasses() const override {
        return m_encoding->numClasses() + static_cast<int>(m_distances.size());
    }

    core::Status eventsToInput(const std::vector<Event>& events, size_t position,
                               float* out) const override {
        if (position >= events.size()) {
            return core::Status::failure("LookbackEventSequenceEncoder: position " +
                                         std::to_string(position) + " is past the " +
                                         std::to_string(events.size()) + " events");
        }
        std::fill(out, out + inputSize(), 0.0F);
        const int oneHot = m_encoding->numClasses();
        const auto pos = static_cast<long long>(position);
        auto current = m_encoding->encodeEvent(events[position]);
        if (!current) return current.error();
        out[*current] = 1.0F;
        int offset = oneHot;
        for (int distance : m_distances) {
            const long long lookback = pos - distance + 1;
            auto index = m_encoding->encodeEvent(
                lookback < 0 ? m_encoding->defaultEvent() : events[static_cast<size_t>(lookback)]);
            if (!index) return index.error();
            out[offset + *index] = 1.0F;
            offset += oneHot;
        }
        const long long next = pos + 1;
        for (int bit = 0; bit < m_counterBits; ++bit)
            out[offset++] = ((next >> bit) & 1) ? 1.0F : -1.0F;
        for (int distance : m_distances) {
            const long long lookback = pos - distance;
            if (lookback >= 0 && events[position] == events[static_cast<size_t>(lookback)]) {
                out[offset] = 1.0F;
            }
            ++offset;
        }
        return {};
    }

    core::Result<int> eventsToLabel(const std::vector<Event>& events,
                                    size_t position) const override {
        if (position >= events.size()) {
            return core::Error{"LookbackEventSequenceEncoder: label position " +
                               std::to_string(position) + " is past the events"};
        }
        const int oneHot = m_encoding->numClasses();
        const int n = static_cast<int>(m_distances.size());
        const auto pos = static_cast<long long>(position);
        if (n > 0 && pos < m_distances.back() && events[position] == m_encoding->defaultEvent()) {
            return oneHot + n - 1;
        }
        for (int i = n - 1; i >= 0; --i) {
            const long long lookback = pos - m_distances[static_cast<size_t>(i)];
            if (lookback >= 0 && events[position] == events[static_cast<size_t>(lookback)]) {
                return oneHot + i;
            }
        }
        return m_encoding->encodeEvent(events[position]);
    }

    Event classIndexToEvent(int classIndex, const std::vector<Event>& events) const override {
        const int oneHot = m_encoding->numClasses();
        for (int i = static_cast<int>(m_distances.size()) - 1; i >= 0; --i) {
            if (classIndex != oneHot + i) continue;
            const auto distance = static_cast<size_t>(m_distances[static_cast<size_t>(i)]);
            if (events.size() < distance) return m_encoding->defaultEvent();
            return events[events.size() - distance];
        }
        return m_encoding->decodeEvent(classIndex);
    }

    const OneHotEncoding<Event>& encoding() const { return *m_encoding; }
    const std::vector<int>& lookbackDistances() const { return m_distances; }
    int binaryCounterBits() const { return m_counterBits; }

private:
    std::shared_ptr<const OneHotEncoding<Event>> m_encoding;
    std::vector<int> m_distances;
    int m_counterBits;
};

}  // namespace toccata::ml
