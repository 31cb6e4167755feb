// Metronome: the click track the transport mixes into playback - a GM percussion note on every
// beat (the time signature's denominator note), an accented one on every bar start, following
// the sequence's tempo map and time-signature changes. Pure function of the timing. [any]
#pragma once

#include <vector>

#include "core/NoteSequence.h"

namespace toccata::app {

struct MetronomeSound {
    int accentPitch = 76;  // GM Hi Wood Block, bar starts
    int beatPitch = 77;    // GM Low Wood Block, other beats
    int accentVelocity = 127;
    int beatVelocity = 90;
    double clickSeconds = 0.05;
};

/// Clicks at every beat in [fromSeconds, toSeconds): drum notes of `instrument`.
std::vector<core::Note> metronomeClicks(const core::NoteSequence& timing, double fromSeconds,
                                        double toSeconds, int instrument,
                                        const MetronomeSound& sound = {});

}  // namespace toccata::app
