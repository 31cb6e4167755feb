#include "app/DocumentCommands.h"

#include <algorithm>

namespace toccata::app {

AddNotesCommand::AddNotesCommand(Document& doc, std::vector<core::Note> notes, const QString& text)
    : QUndoCommand(text), m_doc(doc), m_notes(std::move(notes)) {
    for (size_t i = 0; i < m_notes.size(); ++i) m_ids.push_back(doc.takeNextId());
}

void AddNotesCommand::redo() {
    const int base = static_cast<int>(m_doc.sequence().notes.size());
    m_indices.clear();
    for (size_t i = 0; i < m_notes.size(); ++i) m_indices.push_back(base + static_cast<int>(i));
    m_doc.insertNotesAt(m_indices, m_ids, m_notes);
}

void AddNotesCommand::undo() { m_doc.removeNotesAt(m_indices); }

RemoveNotesCommand::RemoveNotesCommand(Document& doc, const NoteIds& ids, const QString& text)
    : QUndoCommand(text), m_doc(doc) {
    for (NoteId id : ids) {
        const int index = doc.indexOf(id);
        if (index >= 0 && std::find(m_indices.begin(), m_indices.end(), index) == m_indices.end())
            m_indices.push_back(index);
    }
    std::sort(m_indices.begin(), m_indices.end());
    for (int index : m_indices) {
        m_ids.push_back(doc.noteIds()[index]);
        m_notes.push_back(doc.sequence().notes[index]);
    }
}

void RemoveNotesCommand::redo() { m_doc.removeNotesAt(m_indices); }

void RemoveNotesCommand::undo() { m_doc.insertNotesAt(m_indices, m_ids, m_notes); }

ChangeNotesCommand::ChangeNotesCommand(Document& doc, std::vector<NoteId> ids,
                                       std::vector<core::Note> before,
                                       std::vector<core::Note> after, const QString& text)
    : QUndoCommand(text),
      m_doc(doc),
      m_ids(std::move(ids)),
      m_before(std::move(before)),
      m_after(std::move(after)) {}

void ChangeNotesCommand::redo() { m_doc.setNotes(m_ids, m_after); }

void ChangeNotesCommand::undo() { m_doc.setNotes(m_ids, m_before); }

SnapshotCommand::SnapshotCommand(Document& doc, Document::State before, Document::State after,
                                 const QString& text)
    : QUndoCommand(text), m_doc(doc), m_before(std::move(before)), m_after(std::move(after)) {}

void SnapshotCommand::redo() { m_doc.setState(m_after); }

void SnapshotCommand::undo() { m_doc.setState(m_before); }

}  // namespace toccata::app
