// MidiClock: MIDI beat clock as a master sends it - 24 Timing Clock pulses per quarter note at
// the tempo in force (tempo changes included), Song Position Pointer before Start/Continue,
// Stop at the end. Pure timing math; MidiOutput's sender thread sends the messages.
#pragma once

#include <cstdint>
#include <vector>

#include "core/TempoMap.h"
#include "midi/MidiMessage.h"

namespace toccata::midi {

class MidiClock {
public:
    static constexpr int kPulsesPerQuarter = 24;
    static constexpr int kPulsesPerSixteenth = 6;  // Song Position Pointer unit

    /// Seconds between pulses at `qpm` (2.5 / qpm: 20.83 ms at 120 QPM).
    static double pulseSeconds(double qpm) { return 60.0 / (qpm * kPulsesPerQuarter); }

    /// Song time of pulse `pulse` (pulse 0 = song start).
    static double pulseTime(const core::TempoMap& tempo, int64_t pulse);
    /// The first pulse at or after `seconds`.
    static int64_t firstPulseAtOrAfter(const core::TempoMap& tempo, double seconds);
    /// The sixteenth (Song Position Pointer value) at or after `seconds`.
    static int64_t songPositionAtOrAfter(const core::TempoMap& tempo, double seconds);

    /// Clock for song time [fromSeconds, toSeconds]: at the first sixteenth at or after
    /// `fromSeconds`, Song Position Pointer then Start (from 0) or Continue (from elsewhere, as
    /// the MIDI spec wants for starting mid-song), then a pulse every 1/24 quarter until
    /// `toSeconds`, and Stop at `toSeconds` when `stopAtEnd`. No System Reset.
    static std::vector<TimedMidiMessage> messages(const core::TempoMap& tempo, double fromSeconds,
                                                  double toSeconds, bool stopAtEnd = true);
};

}  // namespace toccata::midi
