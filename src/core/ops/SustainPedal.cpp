// applySustainControlChanges (declared in SequenceOps.h): Magenta's sustain-pedal extension.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/ops/SequenceOps.h"

namespace toccata::core {

namespace {

// Processing order of events at the same time (Magenta's _SUSTAIN_ON < ... < _NOTE_OFF):
// pedal changes before notes, and "on" before "off".
enum EventType { kSustainOn = 0, kSustainOff = 1, kNoteOn = 2, kNoteOff = 3 };

struct PedalEvent {
    double time;
    EventType type;
    size_t index;  // into notes or controlChanges
};

}  // namespace

Result<NoteSequence> applySustainControlChanges(const NoteSequence& sequence, int sustainControl) {
    if (sequence.isQuantized()) {
        return Error{
            "applySustainControlChanges: the sequence is quantized; sustain can only be "
            "applied to unquantized sequences"};
    }
    if (sustainControl < 0 || sustainControl > 127) {
        return Error{"applySustainControlChanges: control number must be within 0..127, got " +
                     std::to_string(sustainControl)};
    }
    NoteSequence out = sequence;
    std::vector<Note>& notes = out.notes;

    std::vector<PedalEvent> events;
    for (size_t i = 0; i < notes.size(); ++i) {
        if (!notes[i].isDrum) events.push_back({notes[i].startTime, kNoteOn, i});
    }
    for (size_t i = 0; i < notes.size(); ++i) {
        if (!notes[i].isDrum) events.push_back({notes[i].endTime, kNoteOff, i});
    }
    for (size_t i = 0; i < out.controlChanges.size(); ++i) {
        const ControlChange& cc = out.controlChanges[i];
        if (cc.controlNumber != sustainControl) continue;
        events.push_back({cc.time, cc.controlValue >= 64 ? kSustainOn : kSustainOff, i});
    }
    std::stable_sort(events.begin(), events.end(), [](const PedalEvent& a, const PedalEvent& b) {
        return a.time < b.time || (a.time == b.time && a.type < b.type);
    });

    std::map<int, std::vector<size_t>> active;  // instrument -> indices of sounding notes
    std::map<int, bool> pedalDown;              // instrument -> pedal state
    std::vector<bool> removed(notes.size(), false);
    double time = 0.0;
    for (const PedalEvent& event : events) {
        time = event.time;
        switch (event.type) {
            case kSustainOn: pedalDown[out.controlChanges[event.index].instrument] = true; break;
            case kSustainOff: {
                const int instrument = out.controlChanges[event.index].instrument;
                pedalDown[instrument] = false;
                // Notes released under the pedal end now; notes still held stay active.
                std::vector<size_t>& list = active[instrument];
                std::vector<size_t> stillHeld;
                for (size_t n : list) {
                    if (notes[n].endTime < time) {
                        notes[n].endTime = time;
                        out.totalTime = std::max(out.totalTime, time);
                    } else {
                        stillHeld.push_back(n);
                    }
                }
                list = std::move(stillHeld);
                break;
            }
            case kNoteOn: {
                const Note& struck = notes[event.index];
                std::vector<size_t>& list = active[struck.instrument];
                if (pedalDown[struck.instrument]) {
                    // A re-strike under the pedal ends the previous note of that pitch; one
                    // left with no duration (struck at the same time) is dropped.
                    std::vector<size_t> others;
                    for (size_t n : list) {
                        if (notes[n].pitch == struck.pitch) {
                            notes[n].endTime = time;
                            if (notes[n].startTime == notes[n].endTime) removed[n] = true;
                        } else {
                            others.push_back(n);
                        }
                    }
                    list = std::move(others);
                }
                list.push_back(event.index);
                break;
            }
            case kNoteOff: {
                const Note& released = notes[event.index];
                if (pedalDown[released.instrument]) break;  // sustained until pedal-up/re-strike
                std::vector<size_t>& list = active[released.instrument];
                list.erase(std::remove(list.begin(), list.end(), event.index), list.end());
                break;
            }
        }
    }
    // Notes still sustained when the events run out end at the last event's time.
    for (const auto& [instrument, list] : active) {
        for (size_t n : list) {
            notes[n].endTime = time;
            out.totalTime = time;
        }
    }
    std::vector<Note> kept;
    kept.reserve(notes.size());
    for (size_t i = 0; i < notes.size(); ++i) {
        if (!removed[i]) kept.push_back(notes[i]);
    }
    notes = std::move(kept);
    return out;
}

}  // namespace toccata::core
