#include "midi/MidiSchedule.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "core/TempoMap.h"
#include "midi/MidiClock.h"

namespace toccata::midi {
namespace {

constexpr int kDefaultVelocity = 100;
bool earlier(const TimedMidiMessage& a, const TimedMidiMessage& b) {
    return a.time != b.time ? a.time < b.time : messageOrder(a.message) < messageOrder(b.message);
}

/// Drops the note-off of a note while a later note of the same key on that channel is held.
void dropOverlappedNoteOffs(std::vector<TimedMidiMessage>& messages) {
    std::array<std::array<int, 128>, 16> held{};
    std::vector<TimedMidiMessage> kept;
    kept.reserve(messages.size());
    for (const TimedMidiMessage& m : messages) {
        const MidiMessage& msg = m.message;
        if (msg.isNoteOn()) {
            ++held[msg.channel()][msg.data1()];
        } else if (msg.isNoteOff()) {
            int& count = held[msg.channel()][msg.data1()];
            count = std::max(0, count - 1);
            if (count > 0) continue;
        }
        kept.push_back(m);
    }
    messages = std::move(kept);
}

}  // namespace

int messageOrder(const MidiMessage& message) {
    switch (message.type()) {
        case kSongPosition:
        case kStart:
        case kContinue: return 0;
        case kTimingClock: return 1;
        case kNoteOff: return 2;
        case kControlChange: return 3;
        case kProgramChange: return 4;
        case kPitchBend: return 5;
        case kNoteOn: return message.isNoteOff() ? 2 : 6;
        case kStop: return 7;
        default: return 3;
    }
}

MidiSchedule MidiSchedule::fromSequence(const core::NoteSequence& sequence, int melodicChannel) {
    MidiSchedule out;
    out.channels = core::assignChannels(sequence, melodicChannel, &out.warnings);
    for (const ChannelAssignment& a : out.channels) out.channelMask |= uint16_t(1u << a.channel);

    std::vector<const core::Note*> notes;
    for (const core::Note& n : sequence.notes) notes.push_back(&n);
    std::stable_sort(notes.begin(), notes.end(), [](const core::Note* a, const core::Note* b) {
        return a->startTime < b->startTime;
    });
    std::array<int, 16> program;
    program.fill(-1);
    int skipped = 0;
    for (const core::Note* n : notes) {
        if (n->pitch < 0 || n->pitch > 127) {
            ++skipped;
            continue;
        }
        const int channel = core::channelFor(out.channels, n->instrument, n->isDrum);
        const double start = std::max(0.0, n->startTime);
        const double end = std::max(start, n->endTime);
        const int wantedProgram = std::clamp(n->program, 0, 127);
        if (program[channel] != wantedProgram) {
            // The first program of a channel is set at time 0, later changes at the note.
            out.messages.push_back(
                {program[channel] < 0 ? 0.0 : start, programChange(channel, wantedProgram)});
            program[channel] = wantedProgram;
        }
        const int velocity = n->velocity <= 0 ? kDefaultVelocity : std::min(n->velocity, 127);
        out.messages.push_back({start, noteOn(channel, n->pitch, velocity)});
        out.messages.push_back({end, noteOff(channel, n->pitch)});
    }
    if (skipped > 0)
        out.warnings.push_back(std::to_string(skipped) +
                               " note(s) with a pitch outside 0..127 skipped");
    for (const core::ControlChange& c : sequence.controlChanges) {
        if (c.controlNumber < 0 || c.controlNumber > 127) continue;
        out.messages.push_back(
            {std::max(0.0, c.time),
             controlChange(core::channelFor(out.channels, c.instrument, c.isDrum), c.controlNumber,
                           c.controlValue)});
    }
    for (const core::PitchBend& b : sequence.pitchBends)
        out.messages.push_back(
            {std::max(0.0, b.time),
             pitchBend(core::channelFor(out.channels, b.instrument, b.isDrum), b.bend)});

    std::stable_sort(out.messages.begin(), out.messages.end(), earlier);
    dropOverlappedNoteOffs(out.messages);
    out.endTime = sequence.totalTime;
    if (!out.messages.empty()) out.endTime = std::max(out.endTime, out.messages.back().time);
    return out;
}

void MidiSchedule::merge(const MidiSchedule& other) {
    std::vector<TimedMidiMessage> merged;
    merged.reserve(messages.size() + other.messages.size());
    std::merge(messages.begin(), messages.end(), other.messages.begin(), other.messages.end(),
               std::back_inserter(merged), earlier);
    messages = std::move(merged);
    channels.insert(channels.end(), other.channels.begin(), other.channels.end());
    channelMask |= other.channelMask;
    endTime = std::max(endTime, other.endTime);
    warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
}

void MidiSchedule::addClock(const core::NoteSequence& tempoSource, double fromSeconds) {
    MidiSchedule clock;
    clock.messages = MidiClock::messages(core::TempoMap(tempoSource), fromSeconds, endTime);
    clock.endTime = endTime;
    merge(clock);
}

size_t MidiSchedule::firstIndexAt(double seconds) const {
    return size_t(std::lower_bound(messages.begin(), messages.end(), seconds,
                                   [](const TimedMidiMessage& m, double t) { return m.time < t; }) -
                  messages.begin());
}

}  // namespace toccata::midi
