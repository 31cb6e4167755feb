#include "core/SequenceSummary.h"

#include <algorithm>
#include <map>

#include "core/TempoMap.h"

namespace toccata::core {

SequenceSummary summarize(const NoteSequence& sequence) {
    SequenceSummary summary;
    std::map<int, TrackSummary> byInstrument;
    for (const InstrumentInfo& info : sequence.instrumentInfos) {
        TrackSummary& t = byInstrument[info.instrument];
        t.instrument = info.instrument;
        t.name = info.name;
        t.midiChannel = info.midiChannel;
        t.isDrum = info.midiChannel == kDrumChannel;
    }
    for (const Note& n : sequence.notes) {
        TrackSummary& t = byInstrument[n.instrument];
        t.instrument = n.instrument;
        if (t.noteCount == 0 || n.startTime < t.startTime) t.startTime = n.startTime;
        t.endTime = std::max(t.endTime, n.endTime);
        ++t.noteCount;
        t.isDrum = t.isDrum || n.isDrum;
        t.minPitch = std::min(t.minPitch, n.pitch);
        t.maxPitch = std::max(t.maxPitch, n.pitch);
        if (std::find(t.programs.begin(), t.programs.end(), n.program) == t.programs.end())
            t.programs.push_back(n.program);
        ++summary.noteCount;
        if (n.isDrum) ++summary.drumNoteCount;
    }
    for (auto& [instrument, track] : byInstrument) summary.tracks.push_back(std::move(track));
    summary.duration = sequence.totalTime;
    summary.bars = MeterMap(sequence).barCount(sequence.totalTime);
    return summary;
}

}  // namespace toccata::core
