#include "audio/SequencePlayback.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "audio/Synth.h"
#include "core/ChannelAssignment.h"

namespace toccata::audio {
namespace {

constexpr int kDefaultVelocity = 100;

int64_t toFrame(double seconds, double sampleRate) {
    return std::llround(std::max(0.0, seconds) * sampleRate);
}

/// Drops the note-off of a note while a later note of the same key on the same channel is
/// still held; `events` must already be sorted.
void dropOverlappedNoteOffs(std::vector<SynthEvent>& events) {
    std::array<std::array<int, 128>, 16> held{};
    std::vector<SynthEvent> kept;
    kept.reserve(events.size());
    for (const SynthEvent& e : events) {
        if (e.type == SynthEventType::kNoteOn) {
            ++held[e.channel][e.data1];
        } else if (e.type == SynthEventType::kNoteOff) {
            int& count = held[e.channel][e.data1];
            count = std::max(0, count - 1);
            if (count > 0) continue;
        }
        kept.push_back(e);
    }
    events = std::move(kept);
}

}  // namespace

SequencePlayback SequencePlayback::fromSequence(const core::NoteSequence& sequence,
                                                double sampleRate) {
    SequencePlayback out;
    out.sampleRate = sampleRate;
    out.channels = core::assignChannels(sequence, -1, &out.warnings);
    out.drumChannelMask = 1u << core::kDrumChannel;
    for (const ChannelAssignment& a : out.channels)
        if (a.isDrum) out.drumChannelMask |= 1u << a.channel;

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
        const int64_t start = toFrame(n->startTime, sampleRate);
        const int64_t end = std::max(start + 1, toFrame(n->endTime, sampleRate));
        const int wantedProgram = std::clamp(n->program, 0, 127);
        if (program[channel] != wantedProgram) {
            // The first program of a channel is set at frame 0, later changes at the note.
            const int64_t at = program[channel] < 0 ? 0 : start;
            out.events.push_back(
                {at, SynthEventType::kProgramChange, uint8_t(channel), int16_t(wantedProgram), 0});
            program[channel] = wantedProgram;
        }
        const int velocity = n->velocity <= 0 ? kDefaultVelocity : std::min(n->velocity, 127);
        out.events.push_back({start, SynthEventType::kNoteOn, uint8_t(channel), int16_t(n->pitch),
                              int16_t(velocity)});
        out.events.push_back(
            {end, SynthEventType::kNoteOff, uint8_t(channel), int16_t(n->pitch), 0});
    }
    if (skipped > 0)
        out.warnings.push_back(std::to_string(skipped) +
                               " note(s) with a pitch outside 0..127 skipped");

    for (const core::ControlChange& c : sequence.controlChanges) {
        if (c.controlNumber < 0 || c.controlNumber > 127) continue;
        out.events.push_back({toFrame(c.time, sampleRate), SynthEventType::kControlChange,
                              uint8_t(core::channelFor(out.channels, c.instrument, c.isDrum)),
                              int16_t(c.controlNumber),
                              int16_t(std::clamp(c.controlValue, 0, 127))});
    }
    for (const core::PitchBend& b : sequence.pitchBends)
        out.events.push_back({toFrame(b.time, sampleRate), SynthEventType::kPitchBend,
                              uint8_t(core::channelFor(out.channels, b.instrument, b.isDrum)),
                              int16_t(std::clamp(b.bend, -8192, 8191)), 0});

    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const SynthEvent& a, const SynthEvent& b) {
                         return a.frame != b.frame ? a.frame < b.frame : a.type < b.type;
                     });
    dropOverlappedNoteOffs(out.events);

    out.endFrame = toFrame(sequence.totalTime, sampleRate);
    if (!out.events.empty()) out.endFrame = std::max(out.endFrame, out.events.back().frame);
    out.reindex();
    return out;
}

int SequencePlayback::channelFor(int instrument, bool isDrum) const {
    for (const ChannelAssignment& a : channels)
        if (a.instrument == instrument && a.isDrum == isDrum) return a.channel;
    return -1;
}

void applyChannelSetup(Synth& synth, const SequencePlayback& playback) {
    for (int channel = 0; channel < kMidiChannelCount; ++channel)
        synth.setDrumChannel(channel, playback.isDrumChannel(channel));
}

void applyEvent(Synth& synth, const SynthEvent& e) {
    switch (e.type) {
        case SynthEventType::kNoteOff: synth.noteOff(e.channel, e.data1); break;
        case SynthEventType::kControlChange:
            synth.controlChange(e.channel, e.data1, e.data2);
            break;
        case SynthEventType::kProgramChange: synth.programChange(e.channel, e.data1); break;
        case SynthEventType::kPitchBend: synth.pitchBend(e.channel, e.data1); break;
        case SynthEventType::kNoteOn: synth.noteOn(e.channel, e.data1, e.data2); break;
    }
}

}  // namespace toccata::audio
