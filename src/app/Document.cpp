#include "app/Document.h"

#include <QFileInfo>

#include <algorithm>
#include <set>

#include "app/DocumentCommands.h"
#include "app/ProjectFile.h"
#include "core/SequenceFile.h"
#include "core/midi/MidiIO.h"
#include "core/ops/Quantization.h"

namespace toccata::app {

std::vector<TrackState> normalizeTracks(core::NoteSequence& seq,
                                        const std::vector<TrackState>& known) {
    std::set<int> have;
    for (const core::InstrumentInfo& info : seq.instrumentInfos) have.insert(info.instrument);
    for (const core::Note& n : seq.notes) {
        if (have.insert(n.instrument).second) {
            core::InstrumentInfo info;
            info.instrument = n.instrument;
            seq.instrumentInfos.push_back(info);
        }
    }
    std::vector<TrackState> tracks;
    for (const core::InstrumentInfo& info : seq.instrumentInfos) {
        auto it = std::find_if(known.begin(), known.end(), [&](const TrackState& t) {
            return t.instrument == info.instrument;
        });
        TrackState t = it != known.end() ? *it : TrackState{};
        if (it == known.end()) {
            // A new track sounds like its first note.
            auto note = std::find_if(seq.notes.begin(), seq.notes.end(), [&](const core::Note& n) {
                return n.instrument == info.instrument;
            });
            if (note != seq.notes.end()) {
                t.program = note->program;
                t.isDrum = note->isDrum;
            }
        }
        t.instrument = info.instrument;
        tracks.push_back(t);
    }
    return tracks;
}

Document::Document(QObject* parent) : QObject(parent) {
    connect(&m_undoStack, &QUndoStack::cleanChanged, this,
            [this] { emit modifiedChanged(isModified()); });
}

// ---- Files ----

bool Document::load(const QString& path, QString* error) {
    core::NoteSequence seq;
    std::vector<TrackState> tracks;
    if (ProjectFile::isProjectPath(path)) {
        auto project = ProjectFile::read(path);
        if (!project) {
            if (error) *error = QString::fromStdString(project.errorMessage());
            return false;
        }
        seq = std::move(project->sequence);
        tracks = std::move(project->tracks);
    } else {
        auto result = core::readSequenceFile(path.toStdString());
        if (!result) {
            if (error) *error = QString::fromStdString(result.errorMessage());
            return false;
        }
        seq = std::move(result).value();
    }
    const bool wasModified = isModified();
    m_undoStack.clear();
    m_forcedModified = false;
    m_importedFrom = QFileInfo(path).absoluteFilePath();
    adopt(std::move(seq), std::move(tracks));
    // Only a project file is "the document's file"; a MIDI/JSON import saves as a new project.
    setFilePath(ProjectFile::isProjectPath(path) ? QFileInfo(path).absoluteFilePath() : QString());
    if (wasModified) emit modifiedChanged(false);
    return true;
}

bool Document::save(const QString& path, QString* error) {
    ProjectData data{m_state.sequence, m_state.tracks, {}};
    const core::Status status = ProjectFile::write(data, path);
    if (!status) {
        if (error) *error = QString::fromStdString(status.errorMessage());
        return false;
    }
    setFilePath(QFileInfo(path).absoluteFilePath());
    const bool forced = m_forcedModified;
    m_forcedModified = false;
    m_undoStack.setClean();
    if (forced) emit modifiedChanged(isModified());
    return true;
}

bool Document::exportMidi(const QString& path, QString* error) const {
    const core::Status status = core::writeMidiFile(m_state.sequence, path.toStdString());
    if (!status && error) *error = QString::fromStdString(status.errorMessage());
    return status.ok();
}

void Document::clear() {
    const bool wasModified = isModified();
    m_undoStack.clear();
    m_forcedModified = false;
    m_importedFrom.clear();
    adopt({}, {});
    setFilePath({});
    if (wasModified) emit modifiedChanged(false);
}

void Document::restoreUnsaved(const core::NoteSequence& seq, const std::vector<TrackState>& tracks,
                              const QString& originalPath) {
    m_undoStack.clear();
    m_importedFrom.clear();
    m_forcedModified = true;
    adopt(seq, tracks);
    setFilePath(originalPath);
    emit modifiedChanged(true);
}

void Document::adopt(core::NoteSequence seq, std::vector<TrackState> tracks) {
    State state;
    state.tracks = normalizeTracks(seq, tracks);
    state.sequence = std::move(seq);
    for (size_t i = 0; i < state.sequence.notes.size(); ++i) state.noteIds.push_back(m_nextId++);
    setState(state);
}

void Document::setFilePath(const QString& path) {
    if (path == m_filePath) return;
    m_filePath = path;
    emit filePathChanged(path);
}

QString Document::displayName() const {
    if (!m_filePath.isEmpty()) return QFileInfo(m_filePath).fileName();
    if (!m_importedFrom.isEmpty()) return QFileInfo(m_importedFrom).fileName();
    return tr("Untitled");
}

// ---- Reading ----

int Document::indexOf(NoteId id) const {
    const auto it = std::find(m_state.noteIds.begin(), m_state.noteIds.end(), id);
    return it == m_state.noteIds.end() ? -1 : static_cast<int>(it - m_state.noteIds.begin());
}

const core::Note* Document::note(NoteId id) const {
    const int index = indexOf(id);
    return index < 0 ? nullptr : &m_state.sequence.notes[index];
}

int Document::trackIndex(int instrument) const {
    for (size_t i = 0; i < m_state.tracks.size(); ++i)
        if (m_state.tracks[i].instrument == instrument) return static_cast<int>(i);
    return -1;
}

TrackState Document::trackState(int instrument) const {
    const int index = trackIndex(instrument);
    if (index >= 0) return m_state.tracks[index];
    TrackState t;
    t.instrument = instrument;
    return t;
}

std::vector<core::Note> Document::notesFor(const NoteIds& ids) const {
    std::vector<core::Note> notes;
    for (NoteId id : ids) notes.push_back(m_state.sequence.notes[indexOf(id)]);
    return notes;
}

// ---- Edits ----

NoteIds Document::addNotes(const std::vector<core::Note>& notes, const QString& text) {
    if (notes.empty()) return {};
    std::vector<core::Note> fixed = notes;
    for (core::Note& n : fixed) {
        n.pitch = std::clamp(n.pitch, 0, 127);
        n.velocity = std::clamp(n.velocity, 0, 127);
        n.startTime = std::max(0.0, n.startTime);
        n.endTime = std::max(n.endTime, n.startTime + kMinNoteSeconds);
    }
    auto* command =
        new AddNotesCommand(*this, std::move(fixed), text.isEmpty() ? tr("Add Notes") : text);
    NoteIds ids(command->ids().begin(), command->ids().end());
    m_undoStack.push(command);
    return ids;
}

bool Document::removeNotes(const NoteIds& ids) {
    NoteIds valid;
    for (NoteId id : ids)
        if (indexOf(id) >= 0) valid.push_back(id);
    if (valid.isEmpty()) return false;
    m_undoStack.push(new RemoveNotesCommand(*this, valid, tr("Delete Notes")));
    return true;
}

bool Document::changeNotes(const NoteIds& ids, const std::vector<core::Note>& after,
                           const QString& text) {
    if (ids.isEmpty() || static_cast<size_t>(ids.size()) != after.size()) return false;
    for (NoteId id : ids)
        if (indexOf(id) < 0) return false;
    std::vector<core::Note> before = notesFor(ids);
    if (before == after) return false;
    std::vector<core::Note> fixed = after;
    for (core::Note& n : fixed) {
        n.pitch = std::clamp(n.pitch, 0, 127);
        n.velocity = std::clamp(n.velocity, 0, 127);
        n.startTime = std::max(0.0, n.startTime);
        n.endTime = std::max(n.endTime, n.startTime + kMinNoteSeconds);
    }
    m_undoStack.push(new ChangeNotesCommand(*this, std::vector<NoteId>(ids.begin(), ids.end()),
                                            std::move(before), std::move(fixed), text));
    return true;
}

bool Document::moveNotes(const NoteIds& ids, double deltaSeconds, int deltaPitch) {
    std::vector<core::Note> after;
    for (NoteId id : ids) {
        const core::Note* n = note(id);
        if (!n) return false;
        core::Note m = *n;
        const double start = std::max(0.0, m.startTime + deltaSeconds);
        m.endTime = start + m.duration();
        m.startTime = start;
        m.pitch = std::clamp(m.pitch + deltaPitch, 0, 127);
        after.push_back(m);
    }
    return changeNotes(
        ids, after,
        deltaPitch != 0 && deltaSeconds == 0.0 ? tr("Transpose Notes") : tr("Move Notes"));
}

bool Document::resizeNotes(const NoteIds& ids, double deltaSeconds) {
    std::vector<core::Note> after;
    for (NoteId id : ids) {
        const core::Note* n = note(id);
        if (!n) return false;
        core::Note m = *n;
        m.endTime = std::max(m.startTime + kMinNoteSeconds, m.endTime + deltaSeconds);
        after.push_back(m);
    }
    return changeNotes(ids, after, tr("Resize Notes"));
}

bool Document::setNoteGeometry(NoteId id, double startTime, double endTime, int pitch) {
    const core::Note* n = note(id);
    if (!n) return false;
    core::Note m = *n;
    m.startTime = startTime;
    m.endTime = endTime;
    m.pitch = pitch;
    return changeNotes({id}, {m}, tr("Edit Note"));
}

bool Document::setVelocity(const NoteIds& ids, int velocity) {
    std::vector<core::Note> after;
    for (NoteId id : ids) {
        const core::Note* n = note(id);
        if (!n) return false;
        after.push_back(*n);
        after.back().velocity = std::clamp(velocity, 1, 127);
    }
    return changeNotes(ids, after, tr("Set Velocity"));
}

bool Document::transpose(const NoteIds& ids, int semitones) {
    return moveNotes(ids, 0.0, semitones);
}

bool Document::quantize(const NoteIds& ids, int stepsPerQuarter, QString* error) {
    core::NoteSequence selection;
    selection.tempos = m_state.sequence.tempos;
    selection.timeSignatures = m_state.sequence.timeSignatures;
    for (NoteId id : ids) {
        const core::Note* n = note(id);
        if (!n) return false;
        selection.notes.push_back(*n);
    }
    // Quantize at the initial tempo: the grid the piano roll shows.
    if (!selection.tempos.empty()) selection.tempos = {{0.0, selection.initialQpm()}};
    selection.timeSignatures = {selection.initialTimeSignature()};
    selection.recomputeTotalTime();
    auto quantized = core::quantizeNoteSequence(selection, stepsPerQuarter);
    if (!quantized) {
        if (error) *error = QString::fromStdString(quantized.errorMessage());
        return false;
    }
    const double stepsPerSecond =
        core::stepsPerQuarterToStepsPerSecond(stepsPerQuarter, selection.initialQpm());
    std::vector<core::Note> after = selection.notes;
    for (size_t i = 0; i < after.size(); ++i) {
        const core::Note& q = quantized->notes[i];
        after[i].startTime = core::stepToSeconds(q.quantizedStartStep, stepsPerSecond);
        after[i].endTime = core::stepToSeconds(q.quantizedEndStep, stepsPerSecond);
    }
    return changeNotes(ids, after, tr("Quantize Notes"));
}

int Document::addTrack(const QString& name, int program, bool isDrum) {
    int instrument = 0;
    for (const core::InstrumentInfo& info : m_state.sequence.instrumentInfos)
        instrument = std::max(instrument, info.instrument + 1);
    State after = m_state;
    core::InstrumentInfo info;
    info.instrument = instrument;
    info.name = name.toStdString();
    after.sequence.instrumentInfos.push_back(info);
    TrackState t;
    t.instrument = instrument;
    t.program = std::clamp(program, 0, 127);
    t.isDrum = isDrum;
    after.tracks.push_back(t);
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after), tr("Add Track")));
    return instrument;
}

bool Document::removeTrack(int instrument) {
    const int index = trackIndex(instrument);
    if (index < 0) return false;
    State after = m_state;
    after.sequence.instrumentInfos.erase(after.sequence.instrumentInfos.begin() + index);
    after.tracks.erase(after.tracks.begin() + index);
    for (size_t i = after.sequence.notes.size(); i-- > 0;) {
        if (after.sequence.notes[i].instrument != instrument) continue;
        after.sequence.notes.erase(after.sequence.notes.begin() + static_cast<long>(i));
        after.noteIds.erase(after.noteIds.begin() + static_cast<long>(i));
    }
    after.sequence.recomputeTotalTime();
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after), tr("Remove Track")));
    return true;
}

bool Document::renameTrack(int instrument, const QString& name) {
    const int index = trackIndex(instrument);
    if (index < 0 || m_state.sequence.instrumentInfos[index].name == name.toStdString())
        return false;
    State after = m_state;
    after.sequence.instrumentInfos[index].name = name.toStdString();
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after), tr("Rename Track")));
    return true;
}

bool Document::setTrackState(const TrackState& state) {
    const int index = trackIndex(state.instrument);
    if (index < 0 || m_state.tracks[index] == state) return false;
    State after = m_state;
    after.tracks[index] = state;
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after), tr("Change Track")));
    return true;
}

bool Document::setTrackInstrument(int instrument, int program, bool isDrum) {
    const int index = trackIndex(instrument);
    if (index < 0 || program < 0 || program > 127) return false;
    const TrackState& current = m_state.tracks[index];
    bool notesDiffer = false;
    for (const core::Note& n : m_state.sequence.notes)
        if (n.instrument == instrument && (n.program != program || n.isDrum != isDrum))
            notesDiffer = true;
    if (!notesDiffer && current.program == program && current.isDrum == isDrum) return false;
    State after = m_state;
    after.tracks[index].program = program;
    after.tracks[index].isDrum = isDrum;
    for (core::Note& n : after.sequence.notes) {
        if (n.instrument != instrument) continue;
        n.program = program;
        n.isDrum = isDrum;
    }
    m_undoStack.push(
        new SnapshotCommand(*this, m_state, std::move(after), tr("Change Track Instrument")));
    return true;
}

core::Note Document::noteTemplate(int instrument) const {
    const TrackState track = trackState(instrument);
    core::Note n;
    n.instrument = instrument;
    n.program = track.program;
    n.isDrum = track.isDrum;
    return n;
}

void Document::applyState(State after, const QString& text) {
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after), text));
}

void Document::replaceSequence(const core::NoteSequence& seq, const QString& text) {
    State after;
    after.sequence = seq;
    after.tracks = normalizeTracks(after.sequence, m_state.tracks);
    for (size_t i = 0; i < after.sequence.notes.size(); ++i) after.noteIds.push_back(m_nextId++);
    m_undoStack.push(new SnapshotCommand(*this, m_state, std::move(after),
                                         text.isEmpty() ? tr("Replace Sequence") : text));
}

// ---- Used by the commands ----

void Document::insertNotesAt(const std::vector<int>& indices, const std::vector<NoteId>& ids,
                             const std::vector<core::Note>& notes) {
    auto& all = m_state.sequence.notes;
    for (size_t i = 0; i < indices.size(); ++i) {
        all.insert(all.begin() + indices[i], notes[i]);
        m_state.noteIds.insert(m_state.noteIds.begin() + indices[i], ids[i]);
    }
    m_state.sequence.recomputeTotalTime();
    emit notesAdded(NoteIds(ids.begin(), ids.end()));
    touch();
}

void Document::removeNotesAt(const std::vector<int>& indices) {
    NoteIds removed;
    for (size_t i = indices.size(); i-- > 0;) {
        removed.push_front(m_state.noteIds[indices[i]]);
        m_state.sequence.notes.erase(m_state.sequence.notes.begin() + indices[i]);
        m_state.noteIds.erase(m_state.noteIds.begin() + indices[i]);
    }
    m_state.sequence.recomputeTotalTime();
    emit notesRemoved(removed);
    touch();
}

void Document::setNotes(const std::vector<NoteId>& ids, const std::vector<core::Note>& notes) {
    for (size_t i = 0; i < ids.size(); ++i) m_state.sequence.notes[indexOf(ids[i])] = notes[i];
    m_state.sequence.recomputeTotalTime();
    emit notesChanged(NoteIds(ids.begin(), ids.end()));
    touch();
}

void Document::setState(const State& state) {
    m_state = state;
    emit reset();
    touch();
}

void Document::touch() {
    ++m_revision;
    emit changed();
}

}  // namespace toccata::app
