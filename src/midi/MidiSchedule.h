// MidiSchedule: a NoteSequence as a time-sorted list of MIDI messages (song seconds) plus the
// channel layout - what MidiOutput plays to a port. Channels follow the same rules as
// audio::SequencePlayback, so an external synth hears what FluidSynth would play.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ChannelAssignment.h"
#include "core/NoteSequence.h"
#include "midi/MidiMessage.h"

namespace toccata::midi {

using core::assignChannels;
using core::ChannelAssignment;

/// Order of messages that share a time: transport (Song Position, Start, Continue), clock,
/// note-offs, controllers, program changes, pitch bends, note-ons, and Stop last.
int messageOrder(const MidiMessage& message);

struct MidiSchedule {
    std::vector<TimedMidiMessage> messages;  // sorted by time, then messageOrder()
    std::vector<ChannelAssignment> channels;
    uint16_t channelMask = 0;  // channels that carry notes/controllers (for all-notes-off)
    double endTime = 0.0;      // the last message, or totalTime when that is later
    std::vector<std::string> warnings;

    /// [any] Program change per channel at time 0 and whenever a note's program differs; a
    /// note-off is left out while a later overlapping note of that key still sounds; velocity
    /// 0 ("unset") plays as 100; pitches outside 0..127 are skipped with a warning.
    static MidiSchedule fromSequence(const core::NoteSequence& sequence, int melodicChannel = -1);

    /// [any] Adds `other`'s messages (tracks played together), keeping the order.
    void merge(const MidiSchedule& other);
    /// [any] Adds MIDI clock (MidiClock::messages) for song time [from, endTime].
    void addClock(const core::NoteSequence& tempoSource, double fromSeconds);
    /// [any] Index of the first message at or after `seconds`.
    size_t firstIndexAt(double seconds) const;
};

}  // namespace toccata::midi
