// PlaybackIndex: what the real-time renderer needs to know about a SequencePlayback at an
// arbitrary frame, precomputed on the UI/worker thread so the audio thread never scans the
// event list: (1) the channel state (programs, controllers, pitch bend) to re-send after a
// jump, as checkpoints so a seek costs at most "distinct controllers + one stride" events;
// (2) which (channel, key) notes sound at a frame, so a snapshot swapped in while playing
// releases only the notes that changed. Lookups are [audio]-safe: no allocation, O(log n).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "audio/SynthEvent.h"

namespace toccata::audio {

class PlaybackIndex {
public:
    static constexpr int kSlotCount = 16 * 128;  // (channel, key) note slots
    static constexpr int64_t kOpenEnd = INT64_MAX;

    /// [any] Indexes `events` (sorted by frame, then SynthEventType order).
    void build(const std::vector<SynthEvent>& events);

    /// [audio] Calls `apply(event)` with the events that recreate every channel's program,
    /// controller and pitch-bend values in force just before `frame` (no notes). At most
    /// maxChaseEvents() calls.
    template <typename Apply>
    void chase(int64_t frame, Apply&& apply) const;

    /// [audio] True when a note on (channel, key) started before `frame` and is still held
    /// at `frame` (its note-off comes later).
    bool soundsAt(int channel, int key, int64_t frame) const;

    /// Upper bound of the events one chase() applies (checkpoint size + stride).
    size_t maxChaseEvents() const { return m_maxCheckpoint + m_stride; }
    size_t stride() const { return m_stride; }
    size_t stateEventCount() const { return m_stateEvents.size(); }

private:
    struct Span {
        int64_t start;
        int64_t end;  // kOpenEnd when the note is never released
    };
    size_t countBefore(int64_t frame) const;

    std::vector<SynthEvent> m_stateEvents;  // non-note events, in playback order
    size_t m_stride = 128;
    // Checkpoint c holds the state after m_stateEvents[0 .. c * m_stride):
    // m_checkpointEvents[m_checkpointBegin[c] .. m_checkpointBegin[c + 1]).
    std::vector<uint32_t> m_checkpointBegin;
    std::vector<SynthEvent> m_checkpointEvents;
    size_t m_maxCheckpoint = 0;
    // Note spans per slot (channel * 128 + key), each slot's sorted by start:
    // m_spans[m_spanBegin[slot] .. m_spanBegin[slot + 1]).
    std::vector<uint32_t> m_spanBegin;
    std::vector<Span> m_spans;
};

template <typename Apply>
void PlaybackIndex::chase(int64_t frame, Apply&& apply) const {
    if (m_stateEvents.empty() || m_checkpointBegin.empty()) return;
    const size_t before = countBefore(frame);
    const size_t checkpoint = std::min(before / m_stride, m_checkpointBegin.size() - 2);
    for (uint32_t i = m_checkpointBegin[checkpoint]; i < m_checkpointBegin[checkpoint + 1]; ++i)
        apply(m_checkpointEvents[i]);
    for (size_t i = checkpoint * m_stride; i < before; ++i) apply(m_stateEvents[i]);
}

}  // namespace toccata::audio
