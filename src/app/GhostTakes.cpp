#include "app/GhostTakes.h"

#include <algorithm>
#include <map>

namespace toccata::app {

GhostTakes::GhostTakes(QObject* parent) : QObject(parent) {}

void GhostTakes::setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                          const QString& label, const NewTrack& newTrack) {
    GhostTakeOptions options;
    options.newTrack = newTrack;
    setTakes(targetInstrument, std::move(variations), label, options);
}

void GhostTakes::setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                          const QString& label, const GhostTakeOptions& options) {
    m_takes = std::move(variations);
    m_target = targetInstrument;
    m_options = m_takes.empty() ? GhostTakeOptions{} : options;
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
    // Tracks are made only for the parts that have notes, in the parts' order.
    std::map<int, int> trackOfPart;  // take instrument -> document instrument
    for (const GhostPart& part : m_options.parts) {
        const bool used =
            std::any_of(take->notes.begin(), take->notes.end(),
                        [&](const core::Note& n) { return n.instrument == part.instrument; });
        if (used)
            trackOfPart[part.instrument] =
                document.addTrack(part.track.name.isEmpty() ? tr("Generated") : part.track.name,
                                  part.track.program, part.track.isDrum);
    }
    int target = m_target;
    const auto mainTrack = [&] {
        if (document.trackIndex(target) < 0) {
            const NewTrack& t = m_options.newTrack;
            target =
                document.addTrack(t.name.isEmpty() ? tr("Generated") : t.name, t.program, t.isDrum);
        }
        return target;
    };
    // The replaced notes go first, so that undo puts them back exactly where they were.
    const bool removed = !m_options.replaces.isEmpty() && document.removeNotes(m_options.replaces);
    std::vector<core::Note> notes = take->notes;
    for (core::Note& n : notes) {
        const auto part = trackOfPart.find(n.instrument);
        n.instrument = part != trackOfPart.end() ? part->second : mainTrack();
        const TrackState track = document.trackState(n.instrument);
        n.program = track.program;
        n.isDrum = track.isDrum;
        if (n.velocity <= 0) n.velocity = 100;  // generated notes may carry "no velocity"
    }
    const bool added = !document.addNotes(notes, text).isEmpty();
    stack->endMacro();
    if (added || removed) discard();
    return added || removed;
}

void GhostTakes::discard() {
    if (m_takes.empty()) return;
    m_takes.clear();
    m_label.clear();
    m_options = {};
    m_current = 0;
    emit changed();
}

}  // namespace toccata::app
