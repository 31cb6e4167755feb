// Which MIDI channel plays which instrument of a sequence: one rule for FluidSynth playback
// (audio::SequencePlayback) and MIDI ports (midi::MidiSchedule), so an external synth hears
// the same layout as the built-in one.
#pragma once

#include <string>
#include <vector>

#include "core/NoteSequence.h"

namespace toccata::core {

/// The MIDI channel (0..15) of one (instrument, isDrum) of a sequence.
struct ChannelAssignment {
    int instrument = 0;
    bool isDrum = false;
    int channel = 0;
    bool operator==(const ChannelAssignment&) const = default;
};

/// InstrumentInfo::midiChannel when the instrument has one; otherwise drums go to channel 9
/// (MIDI 10) and other instruments take free channels in instrument order, sharing melodic
/// channels (with a warning) when there are more than 15. With `melodicChannel` >= 0 (a
/// track's chosen channel) every melodic instrument plays there and drums stay on 9.
/// Ordered by instrument, melodic before drums. [any]
std::vector<ChannelAssignment> assignChannels(const NoteSequence& sequence, int melodicChannel = -1,
                                              std::vector<std::string>* warnings = nullptr);

/// The channel of (instrument, isDrum) in `channels`; 9 for unknown drums, else 0. [any]
int channelFor(const std::vector<ChannelAssignment>& channels, int instrument, bool isDrum);

}  // namespace toccata::core
