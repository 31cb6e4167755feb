// Per-track facts about a sequence, shared by `toccata-cli info` and the app's track list.
#pragma once

#include <vector>

#include "core/NoteSequence.h"

namespace toccata::core {

struct TrackSummary {
    int instrument = 0;
    std::string name;
    int midiChannel = -1;       // -1 when unknown
    std::vector<int> programs;  // distinct, in order of first use
    bool isDrum = false;
    size_t noteCount = 0;
    int minPitch = 127;
    int maxPitch = 0;
    double startTime = 0.0;  // first note onset
    double endTime = 0.0;    // last note end
};

struct SequenceSummary {
    std::vector<TrackSummary> tracks;  // ordered by instrument
    size_t noteCount = 0;
    size_t drumNoteCount = 0;
    double duration = 0.0;  // seconds (totalTime)
    int64_t bars = 0;       // bars covering the duration, per the time signatures
};

SequenceSummary summarize(const NoteSequence& sequence);

}  // namespace toccata::core
