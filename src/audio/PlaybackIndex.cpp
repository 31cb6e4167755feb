#include "audio/PlaybackIndex.h"

#include <array>

namespace toccata::audio {
namespace {

constexpr size_t kMinStride = 128;
// State slots per channel: 128 controllers, the program, the pitch bend.
constexpr int kStateSlotsPerChannel = 130;
constexpr int kStateSlotCount = 16 * kStateSlotsPerChannel;

bool isNote(const SynthEvent& e) {
    return e.type == SynthEventType::kNoteOn || e.type == SynthEventType::kNoteOff;
}

/// Controllers sort before the program (bank select first), the pitch bend last.
int stateSlot(const SynthEvent& e) {
    int within = 129;
    if (e.type == SynthEventType::kControlChange) within = e.data1 & 127;
    if (e.type == SynthEventType::kProgramChange) within = 128;
    return (e.channel & 15) * kStateSlotsPerChannel + within;
}

}  // namespace

void PlaybackIndex::build(const std::vector<SynthEvent>& events) {
    m_stateEvents.clear();
    m_checkpointBegin.clear();
    m_checkpointEvents.clear();
    m_spans.clear();
    m_spanBegin.assign(kSlotCount + 1, 0);
    m_maxCheckpoint = 0;

    // Channel state: the stride grows with the number of distinct slots, which bounds both the
    // checkpoints' total size (about one event per state event) and a chase's work.
    std::array<int32_t, kStateSlotCount> last;
    last.fill(-1);
    size_t distinct = 0;
    for (const SynthEvent& e : events) {
        if (isNote(e)) continue;
        if (last[size_t(stateSlot(e))] < 0) ++distinct, last[size_t(stateSlot(e))] = 0;
        m_stateEvents.push_back(e);
    }
    m_stride = std::max(kMinStride, distinct);
    last.fill(-1);
    for (size_t i = 0; i <= m_stateEvents.size(); ++i) {
        if (i % m_stride == 0) {
            m_checkpointBegin.push_back(uint32_t(m_checkpointEvents.size()));
            for (int slot = 0; slot < kStateSlotCount; ++slot)
                if (last[size_t(slot)] >= 0)
                    m_checkpointEvents.push_back(m_stateEvents[size_t(last[size_t(slot)])]);
            m_maxCheckpoint =
                std::max(m_maxCheckpoint, m_checkpointEvents.size() - m_checkpointBegin.back());
        }
        if (i < m_stateEvents.size()) last[size_t(stateSlot(m_stateEvents[i]))] = int32_t(i);
    }
    m_checkpointBegin.push_back(uint32_t(m_checkpointEvents.size()));

    // Note spans, from the event list as played: the first note-on of a key opens a span, the
    // next note-off closes it (overlapping note-offs were already dropped by the builder).
    std::array<int64_t, kSlotCount> open;
    open.fill(-1);
    struct SlotSpan {
        int slot;
        Span span;
    };
    std::vector<SlotSpan> spans;
    for (const SynthEvent& e : events) {
        if (!isNote(e)) continue;
        const int slot = (e.channel & 15) * 128 + (e.data1 & 127);
        int64_t& start = open[size_t(slot)];
        if (e.type == SynthEventType::kNoteOn) {
            if (start < 0) start = e.frame;
        } else if (start >= 0) {
            spans.push_back({slot, {start, e.frame}});
            start = -1;
        }
    }
    for (int slot = 0; slot < kSlotCount; ++slot)
        if (open[size_t(slot)] >= 0) spans.push_back({slot, {open[size_t(slot)], kOpenEnd}});
    // Counting sort by slot; spans of one slot were appended in time order, except the
    // never-closed one, which starts after every closed one of its slot.
    for (const SlotSpan& s : spans) ++m_spanBegin[size_t(s.slot) + 1];
    for (int slot = 0; slot < kSlotCount; ++slot)
        m_spanBegin[size_t(slot) + 1] += m_spanBegin[size_t(slot)];
    m_spans.resize(spans.size());
    std::vector<uint32_t> fill(m_spanBegin.begin(), m_spanBegin.end() - 1);
    for (const SlotSpan& s : spans) m_spans[fill[size_t(s.slot)]++] = s.span;
}

size_t PlaybackIndex::countBefore(int64_t frame) const {
    return size_t(std::lower_bound(m_stateEvents.begin(), m_stateEvents.end(), frame,
                                   [](const SynthEvent& e, int64_t f) { return e.frame < f; }) -
                  m_stateEvents.begin());
}

bool PlaybackIndex::soundsAt(int channel, int key, int64_t frame) const {
    if (m_spanBegin.empty() || channel < 0 || channel > 15 || key < 0 || key > 127) return false;
    const size_t slot = size_t(channel) * 128 + size_t(key);
    const auto begin = m_spans.begin() + m_spanBegin[slot];
    const auto end = m_spans.begin() + m_spanBegin[slot + 1];
    // The last span that started before `frame`.
    auto it =
        std::lower_bound(begin, end, frame, [](const Span& s, int64_t f) { return s.start < f; });
    if (it == begin) return false;
    --it;
    return it->end > frame;
}

}  // namespace toccata::audio
