#include "app/GhostTakes.h"

#include "app/Document.h"

namespace toccata::app {

GhostTakes::GhostTakes(QObject* parent) : QObject(parent) {}

void GhostTakes::setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                          const QString& label, const NewTrack& newTrack) {
    m_takes = std::move(variations);
    m_target = targetInstrument;
    m_newTrack = newTrack;
    m_label = m_takes.empty() ? QString() : label;
    m_current = 0;
    emit changed();
}

bool GhostTakes::setCurrent(int index) {
    if (index < 0 || index >= count()) return false;
    if (index != m_current) {
        m_current = index;
        emit changed();
    }
    return true;
}

void GhostTakes::next() {
    if (count() > 1) setCurrent((m_current + 1) % count());
}

void GhostTakes::previous() {
    if (count() > 1) setCurrent((m_current + count() - 1) % count());
}

const core::NoteSequence* GhostTakes::currentTake() const {
    return m_takes.empty() ? nullptr : &m_takes[m_current];
}

bool GhostTakes::accept(Document& document) {
    const core::NoteSequence* take = currentTake();
    if (!take || take->notes.empty()) return false;
    const QString text =
        m_label.isEmpty() ? tr("Accept Variation") : tr("Accept Variation (%1)").arg(m_label);
    QUndoStack* stack = document.undoStack();
    stack->beginMacro(text);
    int target = m_target;
    if (document.trackIndex(target) < 0)
        target = document.addTrack(m_newTrack.name.isEmpty() ? tr("Generated") : m_newTrack.name,
                                   m_newTrack.program, m_newTrack.isDrum);
    const TrackState track = document.trackState(target);
    std::vector<core::Note> notes = take->notes;
    for (core::Note& n : notes) {
        n.instrument = target;
        n.program = track.program;
        n.isDrum = track.isDrum;
        if (n.velocity <= 0) n.velocity = 100;  // generated notes may carry "no velocity"
    }
    const bool added = !document.addNotes(notes, text).isEmpty();
    stack->endMacro();
    if (added) discard();
    return added;
}

void GhostTakes::discard() {
    if (m_takes.empty()) return;
    m_takes.clear();
    m_label.clear();
    m_current = 0;
    emit changed();
}

}  // namespace toccata::app
