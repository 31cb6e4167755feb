// SequenceCursor: walks the time-sorted events of a SequencePlayback for a renderer that splits
// its blocks at event frames (the OfflineRenderer and the real-time PlaybackRenderer share it).
// Typical loop: applyDue(frame, fn); render up to min(blockEnd, nextFrame()); repeat.
// It holds a pointer to the events, never copies them; no allocation, so it is [audio]-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "audio/SequencePlayback.h"

namespace toccata::audio {

class SequenceCursor {
public:
    static constexpr int64_t kNoFrame = std::numeric_limits<int64_t>::max();

    SequenceCursor() = default;
    explicit SequenceCursor(const std::vector<SynthEvent>& events) : m_events(&events) {}

    /// Plays `events` (nullptr: none) from its first event.
    void reset(const std::vector<SynthEvent>* events) {
        m_events = events;
        m_next = 0;
    }

    /// Positions at the first event with frame >= `frame` (binary search).
    void seek(int64_t frame) {
        if (!m_events) return;
        const auto it =
            std::lower_bound(m_events->begin(), m_events->end(), frame,
                             [](const SynthEvent& e, int64_t f) { return e.frame < f; });
        m_next = size_t(it - m_events->begin());
    }

    /// Calls `apply(event)` for every pending event with frame <= `frame`, in order.
    template <typename Apply>
    void applyDue(int64_t frame, Apply&& apply) {
        if (!m_events) return;
        while (m_next < m_events->size() && (*m_events)[m_next].frame <= frame)
            apply((*m_events)[m_next++]);
    }

    /// Frame of the next pending event, or kNoFrame.
    int64_t nextFrame() const {
        return m_events && m_next < m_events->size() ? (*m_events)[m_next].frame : kNoFrame;
    }
    bool atEnd() const { return nextFrame() == kNoFrame; }
    size_t index() const { return m_next; }

private:
    const std::vector<SynthEvent>* m_events = nullptr;
    size_t m_next = 0;
};

}  // namespace toccata::audio
