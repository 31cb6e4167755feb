#include "app/Metronome.h"

#include "core/TempoMap.h"

namespace toccata::app {

std::vector<core::Note> metronomeClicks(const core::NoteSequence& timing, double fromSeconds,
                                        double toSeconds, int instrument,
                                        const MetronomeSound& sound) {
    std::vector<core::Note> clicks;
    if (toSeconds <= fromSeconds) return clicks;
    const core::TempoMap tempo(timing);
    const core::MeterMap meter(timing);
    const int64_t firstBar = meter.barBeatAtSeconds(std::max(0.0, fromSeconds)).bar;
    const int64_t bars = meter.barCount(toSeconds);
    for (int64_t bar = firstBar; bar < bars; ++bar) {
        const double barStart = meter.barStartSeconds(bar);
        const double q0 = tempo.secondsToQuarters(barStart);
        const double q1 = tempo.secondsToQuarters(meter.barStartSeconds(bar + 1));
        const core::TimeSignature signature = meter.barBeatAtSeconds(barStart).signature;
        const double beatQuarters = 4.0 / signature.denominator;
        for (int beat = 0; q0 + beat * beatQuarters < q1 - 1e-9; ++beat) {
            const double at = tempo.quartersToSeconds(q0 + beat * beatQuarters);
            if (at < fromSeconds - 1e-9) continue;
            if (at >= toSeconds) return clicks;
            core::Note click;
            click.pitch = beat == 0 ? sound.accentPitch : sound.beatPitch;
            click.velocity = beat == 0 ? sound.accentVelocity : sound.beatVelocity;
            click.startTime = at;
            click.endTime = at + sound.clickSeconds;
            click.instrument = instrument;
            click.isDrum = true;
            clicks.push_back(click);
        }
    }
    return clicks;
}

}  // namespace toccata::app
