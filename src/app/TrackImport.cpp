#include "app/TrackImport.h"

#include <algorithm>
#include <map>

namespace toccata::app {

namespace {

void adoptTiming(Document::State& state, const core::NoteSequence& incoming) {
    state.sequence.tempos = incoming.tempos;
    state.sequence.timeSignatures = incoming.timeSignatures;
    state.sequence.keySignatures = incoming.keySignatures;
}

}  // namespace

QList<int> importAsNewTracks(Document& doc, const core::NoteSequence& incoming,
                             const QString& text) {
    if (incoming.notes.empty()) return {};
    core::NoteSequence source = incoming;
    normalizeTracks(source);  // every used instrument gets an InstrumentInfo

    Document::State after = doc.state();
    if (after.sequence.notes.empty()) adoptTiming(after, incoming);
    int next = 0;
    for (const core::InstrumentInfo& info : after.sequence.instrumentInfos)
        next = std::max(next, info.instrument + 1);

    std::map<int, int> renumber;  // incoming instrument → new instrument
    QList<int> added;
    for (const core::InstrumentInfo& info : source.instrumentInfos) {
        const bool used =
            std::any_of(source.notes.begin(), source.notes.end(),
                        [&](const core::Note& n) { return n.instrument == info.instrument; });
        if (!used) continue;
        core::InstrumentInfo copy = info;
        copy.instrument = next++;
        copy.midiTrack = -1;  // the export renumbers SMF tracks
        renumber[info.instrument] = copy.instrument;
        after.sequence.instrumentInfos.push_back(copy);
        added.push_back(copy.instrument);
    }
    for (core::Note note : source.notes) {
        note.instrument = renumber.at(note.instrument);
        after.sequence.notes.push_back(note);
        after.noteIds.push_back(doc.takeNextId());
    }
    after.tracks = normalizeTracks(after.sequence, after.tracks);
    after.sequence.recomputeTotalTime();
    doc.applyState(std::move(after), text);
    return added;
}

bool importIntoTrack(Document& doc, const core::NoteSequence& incoming, int instrument,
                     bool replace, const QString& text) {
    if (incoming.notes.empty() || doc.trackIndex(instrument) < 0) return false;
    Document::State after = doc.state();
    if (replace) {
        for (size_t i = after.sequence.notes.size(); i-- > 0;) {
            if (after.sequence.notes[i].instrument != instrument) continue;
            after.sequence.notes.erase(after.sequence.notes.begin() + static_cast<long>(i));
            after.noteIds.erase(after.noteIds.begin() + static_cast<long>(i));
        }
    }
    if (after.sequence.notes.empty()) adoptTiming(after, incoming);
    const core::Note sound = doc.noteTemplate(instrument);
    for (core::Note note : incoming.notes) {
        note.instrument = instrument;
        note.program = sound.program;
        note.isDrum = sound.isDrum;
        after.sequence.notes.push_back(note);
        after.noteIds.push_back(doc.takeNextId());
    }
    after.sequence.recomputeTotalTime();
    doc.applyState(std::move(after), text);
    return true;
}

}  // namespace toccata::app
