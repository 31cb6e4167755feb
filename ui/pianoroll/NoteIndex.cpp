#include "ui/pianoroll/NoteIndex.h"

#include <algorithm>

namespace toccata::ui {

void NoteIndex::clear() {
    m_notes.clear();
    for (auto& row : m_rows) row.clear();
    m_longest.fill(0.0);
    m_byId.clear();
}

void NoteIndex::rebuild(const app::Document& document) {
    clear();
    const auto& notes = document.sequence().notes;
    const auto& ids = document.noteIds();
    m_notes.reserve(notes.size());
    for (size_t i = 0; i < notes.size(); ++i) {
        const core::Note& n = notes[i];
        m_notes.push_back({n.startTime, n.endTime, std::clamp(n.pitch, 0, 127), n.velocity,
                           n.instrument, ids[i]});
    }
    std::stable_sort(m_notes.begin(), m_notes.end(),
                     [](const RollNote& a, const RollNote& b) { return a.start < b.start; });
    m_byId.reserve(static_cast<qsizetype>(m_notes.size()));
    for (size_t i = 0; i < m_notes.size(); ++i) {
        const RollNote& n = m_notes[i];
        m_rows[n.pitch].push_back(static_cast<int>(i));
        m_longest[n.pitch] = std::max(m_longest[n.pitch], n.end - n.start);
        m_byId.insert(n.id, static_cast<int>(i));
    }
}

const RollNote* NoteIndex::find(app::NoteId id) const {
    const auto it = m_byId.constFind(id);
    return it == m_byId.constEnd() ? nullptr : &m_notes[*it];
}

bool NoteIndex::pitchRange(int instrument, int* low, int* high) const {
    int lo = 128;
    int hi = -1;
    for (int pitch = 0; pitch < 128; ++pitch) {
        const bool used = std::any_of(m_rows[pitch].begin(), m_rows[pitch].end(), [&](int i) {
            return instrument < 0 || m_notes[i].instrument == instrument;
        });
        if (!used) continue;
        lo = std::min(lo, pitch);
        hi = std::max(hi, pitch);
    }
    if (hi < 0) return false;
    *low = lo;
    *high = hi;
    return true;
}

void NoteIndex::forEachInRow(int pitch, double t0, double t1, double minLength,
                             const std::function<void(const RollNote&)>& visit) const {
    if (pitch < 0 || pitch > 127) return;
    const std::vector<int>& row = m_rows[pitch];
    // Only notes starting after t0 - (longest in this row) can reach into the window.
    const double from = t0 - std::max(m_longest[pitch], minLength);
    auto it = std::lower_bound(row.begin(), row.end(), from,
                               [&](int i, double t) { return m_notes[i].start < t; });
    for (; it != row.end() && m_notes[*it].start <= t1; ++it) {
        const RollNote& n = m_notes[*it];
        if (std::max(n.end, n.start + minLength) >= t0) visit(n);
    }
}

void NoteIndex::forEachStartingIn(double t0, double t1,
                                  const std::function<void(const RollNote&)>& visit) const {
    auto it = std::lower_bound(m_notes.begin(), m_notes.end(), t0,
                               [](const RollNote& n, double t) { return n.start < t; });
    for (; it != m_notes.end() && it->start < t1; ++it) visit(*it);
}

const RollNote* NoteIndex::hitTest(double time, int pitch, int preferred, double minLength) const {
    const RollNote* best = nullptr;
    bool bestPreferred = false;
    forEachInRow(pitch, time, time, minLength, [&](const RollNote& n) {
        const bool isPreferred = n.instrument == preferred;
        // Later-starting notes are drawn on top; the preferred track wins over others.
        if (bestPreferred && !isPreferred) return;
        best = &n;
        bestPreferred = isPreferred;
    });
    return best;
}

}  // namespace toccata::ui
