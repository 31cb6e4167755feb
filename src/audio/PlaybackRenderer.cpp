#include "audio/PlaybackRenderer.h"

#include <algorithm>
#include <utility>

#include "audio/LiveNoteProbe.h"
#include "audio/Synth.h"

namespace toccata::audio {
namespace {

constexpr size_t kSnapshotCapacity = 4;
constexpr int kSustainController = 64;

}  // namespace

PlaybackRenderer::PlaybackRenderer(size_t commandCapacity, size_t liveCapacity)
    : m_commands(commandCapacity),
      m_live(liveCapacity),
      m_snapshots(kSnapshotCapacity),
      // One more than can ever be in flight: the audio thread can always return the old one.
      m_garbage(kSnapshotCapacity * 2 + 2) {}

PlaybackRenderer::~PlaybackRenderer() = default;

void PlaybackRenderer::setSynth(Synth* synth) {
    m_synth = synth;
    m_held.reset();
    m_liveHeld.reset();
    m_heldCount.store(0, std::memory_order_relaxed);
    m_liveCount.store(0, std::memory_order_relaxed);
    if (m_synth && m_current) applyChannelSetup(*m_synth, *m_current);
}

bool PlaybackRenderer::submitSnapshot(PlaybackSnapshot snapshot) {
    return m_snapshots.push(std::move(snapshot));
}

bool PlaybackRenderer::play() {
    return m_commands.push(TransportCommand{TransportCommand::Type::kPlay});
}

bool PlaybackRenderer::stop() {
    return m_commands.push(TransportCommand{TransportCommand::Type::kStop});
}

bool PlaybackRenderer::panic() {
    return m_commands.push(TransportCommand{TransportCommand::Type::kPanic});
}

bool PlaybackRenderer::seekFrame(int64_t frame) {
    return m_commands.push(
        TransportCommand{TransportCommand::Type::kSeek, std::max<int64_t>(0, frame)});
}

bool PlaybackRenderer::setLoop(int64_t startFrame, int64_t endFrame, bool enabled) {
    return m_commands.push(TransportCommand{TransportCommand::Type::kSetLoop,
                                            std::max<int64_t>(0, startFrame), endFrame,
                                            enabled && endFrame > startFrame});
}

bool PlaybackRenderer::liveNote(int channel, int key, int velocity) {
    if (channel < 0 || channel > 15 || key < 0 || key > 127) return false;
    return m_live.push(
        LiveNote{uint8_t(channel), uint8_t(key), uint8_t(std::clamp(velocity, 0, 127))});
}

int PlaybackRenderer::collectGarbage() {
    int count = 0;
    while (std::optional<PlaybackSnapshot> old = m_garbage.pop()) {
        old->reset();
        ++count;
    }
    return count;
}

// ---- [audio] ------------------------------------------------------------------------------

void PlaybackRenderer::swapSnapshot() {
    // Pop only when the garbage queue can take the snapshot it replaces: the audio thread must
    // never drop the last reference (that would free memory here).
    while (m_garbage.size() < m_garbage.capacity()) {
        std::optional<PlaybackSnapshot> next = m_snapshots.pop();
        if (!next) return;
        if (m_current) m_garbage.push(std::move(m_current));
        m_current = std::move(*next);
        releaseChangedNotes();
        m_cursor.reset(m_current ? &m_current->events : nullptr);
        if (m_synth && m_current) applyChannelSetup(*m_synth, *m_current);
        seekTo(m_position);
    }
}

void PlaybackRenderer::drainCommands() {
    while (std::optional<TransportCommand> command = m_commands.pop()) {
        switch (command->type) {
            case TransportCommand::Type::kPlay:
                if (!m_running && m_current && m_position >= m_current->endFrame && !m_loopEnabled)
                    seekTo(0);  // play after the end starts again from the top
                m_running = true;
                break;
            case TransportCommand::Type::kStop:
                m_running = false;
                releaseHeldNotes();
                releaseLiveNotes();
                if (m_synth) m_synth->allNotesOff();
                break;
            case TransportCommand::Type::kSeek:
                releaseHeldNotes();
                seekTo(command->frame);
                break;
            case TransportCommand::Type::kSetLoop:
                m_loopEnabled = command->enabled;
                m_loopStart = command->frame;
                m_loopEnd = command->endFrame;
                break;
            case TransportCommand::Type::kReleaseAll: releaseHeldNotes(); break;
            case TransportCommand::Type::kPanic:
                m_running = false;
                releaseHeldNotes();
                releaseLiveNotes();
                if (m_synth) m_synth->allSoundsOff();
                break;
        }
    }
}

void PlaybackRenderer::drainLiveNotes(LiveNoteProbe* probe, int64_t callbackStartNs, int frames) {
    while (std::optional<LiveNote> note = m_live.pop()) {
        if (probe)
            probe->noteDequeued(callbackStartNs, m_blocks.load(std::memory_order_relaxed), frames,
                                note->channel, note->key, note->velocity);
        if (!m_synth) continue;
        const size_t slot = size_t(note->channel) * 128 + note->key;
        if (note->velocity > 0) {
            if (!m_liveHeld.test(slot)) m_liveCount.fetch_add(1, std::memory_order_relaxed);
            m_liveHeld.set(slot);
            m_synth->noteOn(note->channel, note->key, note->velocity);
        } else {
            if (m_liveHeld.test(slot)) m_liveCount.fetch_sub(1, std::memory_order_relaxed);
            m_liveHeld.reset(slot);
            m_synth->noteOff(note->channel, note->key);
        }
    }
}

void PlaybackRenderer::apply(const SynthEvent& event) {
    if (!m_synth) return;
    const size_t slot = size_t(event.channel & 15) * 128 + size_t(event.data1 & 127);
    if (event.type == SynthEventType::kNoteOn) {
        if (!m_held.test(slot)) m_heldCount.fetch_add(1, std::memory_order_relaxed);
        m_held.set(slot);
    } else if (event.type == SynthEventType::kNoteOff) {
        if (m_held.test(slot)) m_heldCount.fetch_sub(1, std::memory_order_relaxed);
        m_held.reset(slot);
    }
    applyEvent(*m_synth, event);
}

/// Releases the sequence's notes only: live notes (another player) keep sounding through
/// seeks and loop wraps; stop and panic release those separately.
void PlaybackRenderer::releaseHeldNotes() {
    if (!m_synth) return;
    if (m_held.any()) {
        for (size_t slot = 0; slot < m_held.size(); ++slot)
            if (m_held.test(slot)) m_synth->noteOff(int(slot / 128), int(slot % 128));
        m_held.reset();
        m_heldCount.store(0, std::memory_order_relaxed);
    }
    for (int channel = 0; channel < kMidiChannelCount; ++channel)
        m_synth->controlChange(channel, kSustainController, 0);
}

void PlaybackRenderer::releaseLiveNotes() {
    if (!m_synth || m_liveHeld.none()) return;
    for (size_t slot = 0; slot < m_liveHeld.size(); ++slot)
        if (m_liveHeld.test(slot)) m_synth->noteOff(int(slot / 128), int(slot % 128));
    m_liveHeld.reset();
    m_liveCount.store(0, std::memory_order_relaxed);
}

/// After a snapshot swap: a held note the new snapshot also holds at this frame keeps sounding
/// (its note-off is in the new events); every other one is released.
void PlaybackRenderer::releaseChangedNotes() {
    if (!m_synth || m_held.none()) return;
    int kept = 0;
    for (size_t slot = 0; slot < m_held.size(); ++slot) {
        if (!m_held.test(slot)) continue;
        const int channel = int(slot / 128), key = int(slot % 128);
        if (m_running && m_current && m_current->index.soundsAt(channel, key, m_position)) {
            ++kept;
            continue;
        }
        m_synth->noteOff(channel, key);
        m_held.reset(slot);
    }
    m_heldCount.store(kept, std::memory_order_relaxed);
    m_keptNotes.fetch_add(kept, std::memory_order_relaxed);
}

/// After a jump, re-sends the last program, controller and pitch-bend value each channel had
/// before `frame` (no notes), so the sound matches playing from the top. The snapshot's index
/// bounds the work (a checkpoint plus at most one stride of events).
void PlaybackRenderer::restoreChannelState(int64_t frame) {
    if (!m_synth || !m_current) return;
    m_current->index.chase(frame, [this](const SynthEvent& event) { applyEvent(*m_synth, event); });
}

void PlaybackRenderer::seekTo(int64_t frame) {
    m_position = std::max<int64_t>(0, frame);
    m_cursor.seek(m_position);
    restoreChannelState(m_position);
    m_playhead.store(m_position, std::memory_order_release);
}

void PlaybackRenderer::process(float* left, float* right, int frames) {
    LiveNoteProbe* const probe = m_probe.load(std::memory_order_acquire);
    int64_t startNs = 0;
    if (probe) {
        probe->blockStarted();
        startNs = LiveNoteProbe::nowNs();
    }
    swapSnapshot();
    drainCommands();
    drainLiveNotes(probe, startNs, frames);
    int offset = 0;
    const auto applyOne = [this](const SynthEvent& event) { apply(event); };
    while (offset < frames) {
        const int remaining = frames - offset;
        if (!m_running || !m_current) {
            if (m_synth)
                m_synth->render(left + offset, right + offset, remaining);
            else
                std::fill(left + offset, left + frames, 0.0f),
                    std::fill(right + offset, right + frames, 0.0f);
            break;
        }
        const bool looping = m_loopEnabled && m_position < m_loopEnd;
        m_cursor.applyDue(m_position, applyOne);
        int64_t until = m_position + remaining;
        if (looping) until = std::min(until, m_loopEnd);
        until = std::min(until, m_cursor.nextFrame());
        if (!looping) until = std::min(until, std::max(m_current->endFrame, m_position + 1));
        const int chunk = int(until - m_position);
        if (m_synth) {
            m_synth->render(left + offset, right + offset, chunk);
        } else {
            std::fill(left + offset, left + offset + chunk, 0.0f);
            std::fill(right + offset, right + offset + chunk, 0.0f);
        }
        offset += chunk;
        m_position = until;
        if (looping && m_position >= m_loopEnd) {
            releaseHeldNotes();
            seekTo(m_loopStart);
        } else if (!looping && m_position >= m_current->endFrame) {
            m_cursor.applyDue(m_position, applyOne);  // final note-offs
            if (m_cursor.atEnd()) {
                m_running = false;
                releaseHeldNotes();
            }
        }
    }
    m_playhead.store(m_position, std::memory_order_release);
    m_playing.store(m_running, std::memory_order_release);
    m_blocks.fetch_add(1, std::memory_order_relaxed);
    if (probe) probe->blockDone();
}

}  // namespace toccata::audio
