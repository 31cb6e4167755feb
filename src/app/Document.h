// Document: the piece the user is working on — a NoteSequence whose instruments are the tracks,
// per-track UI state, stable note ids, and the QUndoStack every edit goes through.
// Owned by the UI thread [ui]. Every public edit pushes exactly one undoable command.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUndoStack>

#include <cstdint>
#include <vector>

#include "app/TrackState.h"
#include "core/NoteSequence.h"

namespace toccata::app {

/// Stable identity of a note for as long as the document lives (never reused; not saved).
using NoteId = uint64_t;
using NoteIds = QList<NoteId>;

class Document : public QObject {
    Q_OBJECT
public:
    /// Everything an undo snapshot needs (used by track / replace commands).
    struct State {
        core::NoteSequence sequence;
        std::vector<NoteId> noteIds;     // parallel to sequence.notes
        std::vector<TrackState> tracks;  // parallel to sequence.instrumentInfos
    };

    explicit Document(QObject* parent = nullptr);

    // ---- Files (not undoable: they reset the undo stack) ----
    /// Replaces the document with a .mid/.midi/.smf, NoteSequence .json or .toccata project.
    /// On failure the document is unchanged and `error` says why, naming the file.
    bool load(const QString& path, QString* error);
    /// Writes the project file atomically, makes it the document's path, marks clean.
    bool save(const QString& path, QString* error);
    /// Writes a Standard MIDI File (does not change path or modified state).
    bool exportMidi(const QString& path, QString* error) const;
    /// Empty untitled document, clean stack.
    void clear();
    /// Replaces everything without undo (recovery restore); `modified` stays true.
    void restoreUnsaved(const core::NoteSequence& seq, const std::vector<TrackState>& tracks,
                        const QString& originalPath);

    // ---- Reading ----
    const core::NoteSequence& sequence() const { return m_state.sequence; }
    const std::vector<NoteId>& noteIds() const { return m_state.noteIds; }
    /// Index into sequence().notes, or -1.
    int indexOf(NoteId id) const;
    const core::Note* note(NoteId id) const;
    const std::vector<TrackState>& tracks() const { return m_state.tracks; }
    /// Track state for an instrument (default state when unknown).
    TrackState trackState(int instrument) const;
    int trackIndex(int instrument) const;  // index into instrumentInfos, or -1
    QString filePath() const { return m_filePath; }
    QString displayName() const;  // file name, "Untitled" for a new document
    QUndoStack* undoStack() { return &m_undoStack; }
    bool isModified() const { return !m_undoStack.isClean() || m_forcedModified; }
    /// Increases on every change (edit, undo, redo, load); autosave compares it.
    uint64_t revision() const { return m_revision; }

    // ---- Edits: each pushes one command; false/empty when nothing to do ----
    /// Appends notes (pitch/velocity clamped, start >= 0, length >= kMinNoteSeconds); returns
    /// their new ids in order. A note's `instrument` picks its track.
    NoteIds addNotes(const std::vector<core::Note>& notes, const QString& text = {});
    bool removeNotes(const NoteIds& ids);
    /// Moves in time (seconds; clamped at 0) and pitch (clamped 0..127).
    bool moveNotes(const NoteIds& ids, double deltaSeconds, int deltaPitch);
    /// Changes duration by delta (minimum kMinNoteSeconds).
    bool resizeNotes(const NoteIds& ids, double deltaSeconds);
    /// Sets start/end/pitch of one note (piano-roll drag result) in one step.
    bool setNoteGeometry(NoteId id, double startTime, double endTime, int pitch);
    bool setVelocity(const NoteIds& ids, int velocity);
    bool transpose(const NoteIds& ids, int semitones);
    /// Snaps starts/ends to the grid of `stepsPerQuarter` at the initial tempo.
    bool quantize(const NoteIds& ids, int stepsPerQuarter, QString* error = nullptr);
    /// Replaces notes by arbitrary new values (same count as ids) — the general edit.
    bool changeNotes(const NoteIds& ids, const std::vector<core::Note>& after, const QString& text);
    /// Adds an instrument whose notes will sound as GM `program` (or drums); returns its
    /// instrument number.
    int addTrack(const QString& name, int program = 0, bool isDrum = false);
    bool removeTrack(int instrument);  // removes its notes too
    bool renameTrack(int instrument, const QString& name);
    bool setTrackState(const TrackState& state);
    /// Changes the sound of a track: its state and every note's program/drum flag, one step.
    bool setTrackInstrument(int instrument, int program, bool isDrum);
    /// A note that belongs to `instrument` with the track's program and drum flag (for drawing
    /// and recording new notes).
    core::Note noteTemplate(int instrument) const;
    /// E.g. import or accepting a generated sequence; ids are renewed.
    void replaceSequence(const core::NoteSequence& seq, const QString& text);
    /// The general whole-document edit (e.g. TrackImport): `after` becomes the state in one
    /// undoable step. New notes in it need ids from takeNextId().
    void applyState(State after, const QString& text);

    static constexpr double kMinNoteSeconds = 0.01;

    // ---- Used by the commands only ----
    NoteId takeNextId() { return m_nextId++; }
    void insertNotesAt(const std::vector<int>& indices, const std::vector<NoteId>& ids,
                       const std::vector<core::Note>& notes);
    void removeNotesAt(const std::vector<int>& indices);  // ascending indices
    void setNotes(const std::vector<NoteId>& ids, const std::vector<core::Note>& notes);
    void setState(const State& state);
    const State& state() const { return m_state; }

signals:
    void notesAdded(const toccata::app::NoteIds& ids);
    void notesRemoved(const toccata::app::NoteIds& ids);
    void notesChanged(const toccata::app::NoteIds& ids);
    /// Tracks or the whole sequence changed: views should re-read everything.
    void reset();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);
    /// Anything at all changed (emitted after the specific signal).
    void changed();

private:
    void adopt(core::NoteSequence seq, std::vector<TrackState> tracks);
    void touch();
    void setFilePath(const QString& path);
    std::vector<core::Note> notesFor(const NoteIds& ids) const;

    State m_state;
    QUndoStack m_undoStack;
    QString m_filePath;
    QString m_importedFrom;  // last MIDI/JSON loaded (title only)
    NoteId m_nextId = 1;
    uint64_t m_revision = 0;
    bool m_forcedModified = false;
};

/// Tracks for `seq`: one per InstrumentInfo, plus an InstrumentInfo added for every
/// instrument that notes use without one. States from `known` are kept by instrument.
std::vector<TrackState> normalizeTracks(core::NoteSequence& seq,
                                        const std::vector<TrackState>& known = {});

}  // namespace toccata::app
