#include "ml/codecs/DrumTrack.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace toccata::ml {

core::Result<DrumTrack> DrumTrack::fromQuantizedSequence(const core::NoteSequence& quantized,
                                                         int64_t searchStartStep, double gapBars,
                                                         bool padEnd, bool ignoreIsDrum) {
    if (!quantized.isRelativeQuantized()) {
        return core::Error{
            "DrumTrack::fromQuantizedSequence: the sequence is not quantized "
            "relative to tempo (steps per quarter)"};
    }
    if (searchStartStep < 0) {
        return core::Error{
            "DrumTrack::fromQuantizedSequence: searchStartStep must not be "
            "negative, got " +
            std::to_string(searchStartStep)};
    }
    auto stepsPerBar = core::stepsPerBar(quantized);
    if (!stepsPerBar)
        return core::Error{"DrumTrack::fromQuantizedSequence: " + stepsPerBar.errorMessage()};
    DrumTrack track;
    track.m_stepsPerBar = *stepsPerBar;
    track.m_stepsPerQuarter = quantized.quantizationInfo.stepsPerQuarter;

    std::map<int64_t, DrumEvent> onsets;
    for (const core::Note& note : quantized.notes) {
        if ((note.isDrum || ignoreIsDrum) && note.velocity != 0 &&
            note.quantizedStartStep >= searchStartStep) {
            onsets[note.quantizedStartStep].insert(note.pitch);
        }
    }
    if (onsets.empty()) return track;

    const int64_t first = onsets.begin()->first;
    const int64_t bar = track.m_stepsPerBar;
    const int64_t trackStart = first - (((first - searchStartStep) % bar) + bar) % bar;
    int64_t gapStart = 0;
    for (const auto& [step, event] : onsets) {
        const int64_t index = step - trackStart;
        if (!track.m_events.empty() &&
            static_cast<double>(index - gapStart) >= gapBars * static_cast<double>(bar)) {
            break;
        }
        track.setLength(index + 1);
        track.m_events[static_cast<size_t>(index)] = event;
        gapStart = index + 1;
    }
    track.m_startStep = trackStart;
    int64_t length = track.size();
    if (padEnd) length += ((-length % bar) + bar) % bar;
    track.setLength(length);
    return track;
}

core::Result<core::NoteSequence> DrumTrack::toSequence(int velocity, int instrument, int program,
                                                       double sequenceStartTime, double qpm) const {
    if (!(qpm > 0.0) || !std::isfinite(qpm)) {
        return core::Error{"DrumTrack::toSequence: qpm must be a positive number, got " +
                           std::to_string(qpm)};
    }
    if (velocity < 1 || velocity > 127) {
        return core::Error{"DrumTrack::toSequence: velocity must be 1..127, got " +
                           std::to_string(velocity)};
    }
    const double secondsPerStep = 60.0 / qpm / m_stepsPerQuarter;
    core::NoteSequence sequence;
    sequence.tempos.push_back(core::Tempo{0.0, qpm});
    sequence.ticksPerQuarter = core::kDefaultTicksPerQuarter;
    const double start = sequenceStartTime + static_cast<double>(m_startStep) * secondsPerStep;
    for (size_t step = 0; step < m_events.size(); ++step) {
        for (int pitch : m_events[step].pitches()) {
            core::Note note;
            note.pitch = pitch;
            note.velocity = velocity;
            note.startTime = static_cast<double>(step) * secondsPerStep + start;
            note.endTime = static_cast<double>(step + 1) * secondsPerStep + start;
            note.instrument = instrument;
            note.program = program;
            note.isDrum = true;
            sequence.notes.push_back(note);
        }
    }
    if (!sequence.notes.empty()) sequence.totalTime = sequence.notes.back().endTime;
    return sequence;
}

}  // namespace toccata::ml
