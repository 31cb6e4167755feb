// NoteIndex: the piano roll's read-only copy of the document's notes, sorted by start and
// bucketed by pitch, so painting and hit-testing touch only the visible rows and times —
// never every note of a 10-minute performance. Rebuilt from the Document on change. [ui]
#pragma once

#include <QHash>
#include <QRectF>

#include <array>
#include <functional>
#include <vector>

#include "app/Document.h"

namespace toccata::ui {

struct RollNote {
    double start = 0.0;
    double end = 0.0;
    int pitch = 0;
    int velocity = 0;
    int instrument = 0;
    app::NoteId id = 0;
};

class NoteIndex {
public:
    void rebuild(const app::Document& document);
    void clear();

    const std::vector<RollNote>& notes() const { return m_notes; }
    const RollNote* find(app::NoteId id) const;
    bool isEmpty() const { return m_notes.empty(); }
    /// Lowest / highest pitch used by `instrument` (-1 = any); false when it has no notes.
    bool pitchRange(int instrument, int* low, int* high) const;

    /// Calls `visit` for every note of `pitch` that overlaps [t0, t1] (drum hits extend by
    /// `minLength` seconds), in start order.
    void forEachInRow(int pitch, double t0, double t1, double minLength,
                      const std::function<void(const RollNote&)>& visit) const;
    /// Notes starting in [t0, t1), in start order (binary search; for stems and lanes).
    void forEachStartingIn(double t0, double t1,
                           const std::function<void(const RollNote&)>& visit) const;
    /// The topmost note at (time, pitch): `preferred` instrument first, then any other.
    /// `minLength` as above. nullptr when none.
    const RollNote* hitTest(double time, int pitch, int preferred, double minLength) const;

private:
    std::vector<RollNote> m_notes;             // sorted by start
    std::array<std::vector<int>, 128> m_rows;  // indices into m_notes, by start
    std::array<double, 128> m_longest{};       // longest note per row
    QHash<app::NoteId, int> m_byId;
};

}  // namespace toccata::ui
