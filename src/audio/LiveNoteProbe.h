// LiveNoteProbe: when live notes reach the audio callback, for latency measurements
// (`toccata-cli bench genie`). A PlaybackRenderer with a probe attached stamps every live note
// it takes off its queue with the steady clock: the callback's start, the moment of the
// dequeue, and the callback's end (the block holding the note is then handed back to the audio
// API). The stamps go into a preallocated array that the audio thread fills in order and
// publishes with one release store per block, so a reader sees only complete stamps. No
// allocation, lock or system call on the audio thread (steady_clock::now is a vDSO read),
// except one sched_getscheduler() on the first block, to report the audio thread's policy.
// With no probe attached the renderer pays one atomic pointer load per block.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <sched.h>

namespace toccata::audio {

struct LiveNoteStamp {
    int64_t callbackStartNs = 0;  ///< steady clock, nanoseconds: process() began
    int64_t dequeuedNs = 0;       ///< the note was taken off the live-note queue
    int64_t callbackEndNs = 0;    ///< process() finished the block (it holds the note-on)
    int64_t block = 0;            ///< the renderer's block counter at that callback
    int32_t frames = 0;           ///< block size; the note starts at the block's frame 0
    uint8_t channel = 0, key = 0, velocity = 0;  ///< velocity 0 = note-off
};

class LiveNoteProbe {
public:
    /// [ui] Room for `capacity` stamps; later notes are counted in dropped() only.
    explicit LiveNoteProbe(size_t capacity) : m_stamps(capacity) {}
    LiveNoteProbe(const LiveNoteProbe&) = delete;
    LiveNoteProbe& operator=(const LiveNoteProbe&) = delete;

    /// [any] Steady-clock nanoseconds, the time base of every stamp.
    static int64_t nowNs() {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

    /// [any] Stamps 0..count()-1 are complete and will not change.
    size_t count() const { return m_published.load(std::memory_order_acquire); }
    /// [any] Valid for i < count().
    const LiveNoteStamp& stamp(size_t i) const { return m_stamps[i]; }
    /// [any] Notes that found the array full.
    long long dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    /// [any] The audio thread's scheduling policy (SCHED_OTHER, SCHED_FIFO...), -1 before the
    /// first block.
    int audioThreadPolicy() const { return m_policy.load(std::memory_order_relaxed); }

    // ---- [audio] called by PlaybackRenderer::process only ----
    void blockStarted() {
        if (m_policy.load(std::memory_order_relaxed) < 0)  // Linux: 0 = the calling thread
            m_policy.store(sched_getscheduler(0), std::memory_order_relaxed);
    }
    void noteDequeued(int64_t callbackStartNs, int64_t block, int frames, int channel, int key,
                      int velocity) {
        if (m_written >= m_stamps.size()) {
            m_dropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        LiveNoteStamp& s = m_stamps[m_written++];
        s.callbackStartNs = callbackStartNs;
        s.dequeuedNs = nowNs();
        s.block = block;
        s.frames = frames;
        s.channel = uint8_t(channel);
        s.key = uint8_t(key);
        s.velocity = uint8_t(velocity);
    }
    /// Fills in the end time of this block's notes and publishes them.
    void blockDone() {
        const size_t published = m_published.load(std::memory_order_relaxed);
        if (published == m_written) return;
        const int64_t end = nowNs();
        for (size_t i = published; i < m_written; ++i) m_stamps[i].callbackEndNs = end;
        m_published.store(m_written, std::memory_order_release);
    }

private:
    std::vector<LiveNoteStamp> m_stamps;
    size_t m_written = 0;  // audio thread only
    std::atomic<size_t> m_published{0};
    std::atomic<long long> m_dropped{0};
    std::atomic<int> m_policy{-1};
};

}  // namespace toccata::audio
