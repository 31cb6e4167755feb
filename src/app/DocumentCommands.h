// The undoable edits of a Document, one small QUndoCommand per kind. Created by Document's
// edit functions; the piano roll should call those rather than build commands itself. [ui]
#pragma once

#include <QUndoCommand>

#include <vector>

#include "app/Document.h"

namespace toccata::app {

/// Appends notes; ids are fixed at construction so redo after undo gives the same ids.
class AddNotesCommand : public QUndoCommand {
public:
    AddNotesCommand(Document& doc, std::vector<core::Note> notes, const QString& text);
    const std::vector<NoteId>& ids() const { return m_ids; }
    void redo() override;
    void undo() override;

private:
    Document& m_doc;
    std::vector<core::Note> m_notes;
    std::vector<NoteId> m_ids;
    std::vector<int> m_indices;
};

/// Removes notes and puts them back at the same places on undo.
class RemoveNotesCommand : public QUndoCommand {
public:
    RemoveNotesCommand(Document& doc, const NoteIds& ids, const QString& text);
    void redo() override;
    void undo() override;

private:
    Document& m_doc;
    std::vector<int> m_indices;  // ascending
    std::vector<NoteId> m_ids;
    std::vector<core::Note> m_notes;
};

/// Any change of note values (move, resize, velocity, transpose, quantize): before/after.
class ChangeNotesCommand : public QUndoCommand {
public:
    ChangeNotesCommand(Document& doc, std::vector<NoteId> ids, std::vector<core::Note> before,
                       std::vector<core::Note> after, const QString& text);
    void redo() override;
    void undo() override;

private:
    Document& m_doc;
    std::vector<NoteId> m_ids;
    std::vector<core::Note> m_before;
    std::vector<core::Note> m_after;
};

/// Whole-document before/after snapshot: track add/remove/rename/state, replace sequence.
class SnapshotCommand : public QUndoCommand {
public:
    SnapshotCommand(Document& doc, Document::State before, Document::State after,
                    const QString& text);
    void redo() override;
    void undo() override;

private:
    Document& m_doc;
    Document::State m_before;
    Document::State m_after;
};

}  // namespace toccata::app
