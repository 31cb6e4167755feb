// PlaybackRenderer: the real-time half of the AudioEngine, free of any audio API so tests and
// `toccata-cli bench audio` can drive it directly. process() is the audio callback's body: it
// never allocates, locks, logs or touches Qt. Everything reaches it through lock-free SPSC
// queues - transport commands, live notes, and immutable playback snapshots (old snapshots go
// back on a garbage queue that the UI thread empties with collectGarbage()). Each block is split
// at event frames (SequenceCursor) and at the loop end. Every sounding (channel, key) it started
// is tracked, so stop, seek and loop wrap release them all: no hanging notes. A snapshot swapped
// in while playing keeps the notes the new one still holds at that frame (no gap on every
// edit); after a jump the channel state comes from the snapshot's PlaybackIndex (bounded work).
// Live notes are tracked too: stop and panic() release them. A LiveNoteProbe, when attached,
// stamps each live note with the time the callback took it (latency benchmarks).
#pragma once

#include <atomic>
#include <bitset>
#include <cstdint>
#include <memory>

#include "audio/SequenceCursor.h"
#include "audio/SequencePlayback.h"
#include "core/SpscQueue.h"

namespace toccata::audio {

class LiveNoteProbe;
class Synth;

using PlaybackSnapshot = std::shared_ptr<const SequencePlayback>;

struct TransportCommand {
    enum class Type : uint8_t { kPlay, kStop, kSeek, kSetLoop, kReleaseAll, kPanic };
    Type type = Type::kStop;
    int64_t frame = 0;     // kSeek: target; kSetLoop: loop start
    int64_t endFrame = 0;  // kSetLoop: loop end
    bool enabled = false;  // kSetLoop
};

struct LiveNote {
    uint8_t channel = 0;
    uint8_t key = 0;
    uint8_t velocity = 0;  // 0 = note-off
};

class PlaybackRenderer {
public:
    explicit PlaybackRenderer(size_t commandCapacity = 256, size_t liveCapacity = 1024);
    ~PlaybackRenderer();
    PlaybackRenderer(const PlaybackRenderer&) = delete;
    PlaybackRenderer& operator=(const PlaybackRenderer&) = delete;

    /// [ui] Only while process() is not running (stream stopped). nullptr renders silence.
    void setSynth(Synth* synth);

    // [ui] producers. Each returns false when its queue is full (nothing is lost silently).
    bool submitSnapshot(PlaybackSnapshot snapshot);
    bool play();
    bool stop();
    bool seekFrame(int64_t frame);
    bool setLoop(int64_t startFrame, int64_t endFrame, bool enabled);
    /// Stops and silences at once: every sequence and live note off, sustain off, then
    /// FluidSynth's all-sounds-off on every channel (no release tails).
    bool panic();
    /// [any, but one producer thread] A live note, applied at the start of the next block.
    bool liveNote(int channel, int key, int velocity);
    /// [ui] Frees snapshots the audio thread has finished with. Returns how many.
    int collectGarbage();
    /// [any] Attaches a probe that stamps every live note the audio thread dequeues (nullptr
    /// detaches). The probe must outlive its use: detach it and let the stream stop (or one
    /// block pass) before destroying it. Without a probe it costs one atomic load per block.
    void setLiveNoteProbe(LiveNoteProbe* probe) { m_probe.store(probe, std::memory_order_release); }

    /// [audio] Renders `frames` frames of non-interleaved stereo.
    void process(float* left, float* right, int frames);

    // [any] Published by the audio thread.
    int64_t playheadFrame() const { return m_playhead.load(std::memory_order_acquire); }
    bool isPlaying() const { return m_playing.load(std::memory_order_acquire); }
    int heldNoteCount() const { return m_heldCount.load(std::memory_order_relaxed); }
    /// Live notes (liveNote()) sounding now.
    int heldLiveNoteCount() const { return m_liveCount.load(std::memory_order_relaxed); }
    /// Notes kept sounding across snapshot swaps so far (they were still in the new one).
    long long notesKeptAcrossSwaps() const { return m_keptNotes.load(std::memory_order_relaxed); }
    long long blocksProcessed() const { return m_blocks.load(std::memory_order_relaxed); }

private:
    void drainCommands();
    void drainLiveNotes(LiveNoteProbe* probe, int64_t callbackStartNs, int frames);
    void swapSnapshot();
    void apply(const SynthEvent& event);
    void releaseHeldNotes();
    void releaseLiveNotes();
    void releaseChangedNotes();
    void seekTo(int64_t frame);
    void restoreChannelState(int64_t frame);

    Synth* m_synth = nullptr;
    core::SpscQueue<TransportCommand> m_commands;
    core::SpscQueue<LiveNote> m_live;
    core::SpscQueue<PlaybackSnapshot> m_snapshots;
    core::SpscQueue<PlaybackSnapshot> m_garbage;

    // Audio-thread state.
    PlaybackSnapshot m_current;
    SequenceCursor m_cursor;
    int64_t m_position = 0;
    bool m_running = false;
    bool m_loopEnabled = false;
    int64_t m_loopStart = 0;
    int64_t m_loopEnd = 0;
    std::bitset<16 * 128> m_held;      // sequence notes sounding, by channel * 128 + key
    std::bitset<16 * 128> m_liveHeld;  // live notes sounding

    std::atomic<int64_t> m_playhead{0};
    std::atomic<bool> m_playing{false};
    std::atomic<int> m_heldCount{0};
    std::atomic<int> m_liveCount{0};
    std::atomic<long long> m_keptNotes{0};
    std::atomic<long long> m_blocks{0};
    std::atomic<LiveNoteProbe*> m_probe{nullptr};
};

}  // namespace toccata::audio
