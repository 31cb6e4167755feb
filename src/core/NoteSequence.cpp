#include "core/NoteSequence.h"

#include <algorithm>
#include <tuple>

namespace toccata::core {

double NoteSequence::initialQpm() const {
    double qpm = kDefaultQpm;
    double earliest = 0.0;
    bool found = false;
    for (const Tempo& t : tempos) {
        if (t.time <= 0.0 && (!found || t.time >= earliest)) {
            qpm = t.qpm;
            earliest = t.time;
            found = true;
        }
    }
    return qpm;
}

TimeSignature NoteSequence::initialTimeSignature() const {
    TimeSignature result;
    for (const TimeSignature& ts : timeSignatures) {
        if (ts.time <= 0.0) result = ts;
    }
    result.time = 0.0;
    return result;
}

void NoteSequence::recomputeTotalTime() {
    totalTime = 0.0;
    for (const Note& n : notes) totalTime = std::max(totalTime, n.endTime);
}

void NoteSequence::sortByTime() {
    std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
        return std::tie(a.startTime, a.pitch, a.endTime) <
               std::tie(b.startTime, b.pitch, b.endTime);
    });
    auto byTime = [](const auto& a, const auto& b) { return a.time < b.time; };
    std::stable_sort(tempos.begin(), tempos.end(), byTime);
    std::stable_sort(timeSignatures.begin(), timeSignatures.end(), byTime);
    std::stable_sort(keySignatures.begin(), keySignatures.end(), byTime);
    std::stable_sort(controlChanges.begin(), controlChanges.end(), byTime);
    std::stable_sort(pitchBends.begin(), pitchBends.end(), byTime);
    std::stable_sort(textAnnotations.begin(), textAnnotations.end(), byTime);
}

std::string NoteSequence::instrumentName(int instrument) const {
    for (const InstrumentInfo& info : instrumentInfos) {
        if (info.instrument == instrument) return info.name;
    }
    return {};
}

}  // namespace toccata::core
