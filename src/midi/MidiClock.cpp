#include "midi/MidiClock.h"

#include <cmath>

namespace toccata::midi {
namespace {
constexpr double kEpsilon = 1e-9;
}

double MidiClock::pulseTime(const core::TempoMap& tempo, int64_t pulse) {
    return tempo.quartersToSeconds(double(pulse) / kPulsesPerQuarter);
}

int64_t MidiClock::firstPulseAtOrAfter(const core::TempoMap& tempo, double seconds) {
    if (seconds <= 0.0) return 0;
    return int64_t(std::ceil(tempo.secondsToQuarters(seconds) * kPulsesPerQuarter - kEpsilon));
}

int64_t MidiClock::songPositionAtOrAfter(const core::TempoMap& tempo, double seconds) {
    if (seconds <= 0.0) return 0;
    return int64_t(std::ceil(tempo.secondsToQuarters(seconds) * 4.0 - kEpsilon));
}

std::vector<TimedMidiMessage> MidiClock::messages(const core::TempoMap& tempo, double fromSeconds,
                                                  double toSeconds, bool stopAtEnd) {
    std::vector<TimedMidiMessage> out;
    const int64_t position = songPositionAtOrAfter(tempo, fromSeconds);
    int64_t pulse = position * kPulsesPerSixteenth;
    double t = pulseTime(tempo, pulse);
    if (t <= toSeconds + kEpsilon) {
        out.push_back({t, songPosition(position)});
        out.push_back({t, position == 0 ? startMessage() : continueMessage()});
        for (; t <= toSeconds + kEpsilon; t = pulseTime(tempo, ++pulse))
            out.push_back({t, timingClock()});
    }
    if (stopAtEnd) out.push_back({std::max(toSeconds, fromSeconds), stopMessage()});
    return out;
}

}  // namespace toccata::midi
