// SequencePlayback: a NoteSequence turned into what a synthesizer consumes - a time-sorted list
// of channel events stamped with sample frames - plus the channel layout. Both the offline
// renderer and the real-time scheduler play from it, splitting their blocks at event frames.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audio/PlaybackIndex.h"
#include "audio/SynthEvent.h"
#include "core/ChannelAssignment.h"
#include "core/NoteSequence.h"

namespace toccata::audio {

class Synth;

using core::ChannelAssignment;

struct SequencePlayback {
    double sampleRate = 44100.0;
    std::vector<SynthEvent> events;  // sorted by frame, then by SynthEventType order
    std::vector<ChannelAssignment> channels;
    uint32_t drumChannelMask = 1u << core::kDrumChannel;  // channels played with bank 128
    int64_t endFrame = 0;               // the last event's frame (or totalTime, when that is later)
    std::vector<std::string> warnings;  // e.g. notes skipped, channels shared
    /// Chase checkpoints and note spans for the real-time renderer; fromSequence() fills it,
    /// code that builds `events` itself calls reindex() when done.
    PlaybackIndex index;

    void reindex() { index.build(events); }

    /// [any] Channels: InstrumentInfo::midiChannel when the instrument has one; otherwise drums
    /// go to channel 9 and other instruments take free channels in instrument order (sharing
    /// channels, with a warning, beyond 15). Each channel gets a program change at frame 0 and
    /// another whenever a note's program differs from the channel's current one. A note-off
    /// is left out while a later, overlapping note of the same key on that channel still
    /// sounds (the last one releases it). Velocity 0 ("unset") plays as 100.
    static SequencePlayback fromSequence(const core::NoteSequence& sequence, double sampleRate);

    /// The channel an (instrument, isDrum) plays on, or -1 if it has none.
    int channelFor(int instrument, bool isDrum) const;
    bool isDrumChannel(int channel) const { return (drumChannelMask >> channel) & 1u; }
};

/// Sets every channel's drum/melodic type to match `playback`. [audio]
void applyChannelSetup(Synth& synth, const SequencePlayback& playback);
/// Sends one event to the synth. [audio]
void applyEvent(Synth& synth, const SynthEvent& event);

}  // namespace toccata::audio
