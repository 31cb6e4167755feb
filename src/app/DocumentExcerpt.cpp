#include "app/DocumentExcerpt.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>

#include "core/TempoMap.h"

namespace toccata::app {

namespace {

/// Keeps the last event at or before `origin` (moved to 0) and every later one shifted.
template <typename Event>
std::vector<Event> shiftEvents(const std::vector<Event>& events, double origin) {
    std::vector<Event> sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    std::vector<Event> out;
    const Event* inForce = nullptr;
    for (const Event& e : sorted) {
        if (e.time <= origin + 1e-9) {
            inForce = &e;
            continue;
        }
        Event moved = e;
        moved.time -= origin;
        out.push_back(moved);
    }
    if (inForce) {
        Event first = *inForce;
        first.time = 0.0;
        out.insert(out.begin(), first);
    }
    return out;
}

core::NoteSequence emptyLike(const core::NoteSequence& seq) {
    core::NoteSequence out;
    out.ticksPerQuarter = seq.ticksPerQuarter;
    out.tempos = seq.tempos;
    out.timeSignatures = seq.timeSignatures;
    out.keySignatures = seq.keySignatures;
    return out;
}

}  // namespace

core::NoteSequence trackExcerpt(const Document& doc, int instrument) {
    const core::NoteSequence& seq = doc.sequence();
    core::NoteSequence out = emptyLike(seq);
    const int index = doc.trackIndex(instrument);
    if (index < 0) return {};
    out.instrumentInfos.push_back(seq.instrumentInfos[index]);
    for (const core::Note& n : seq.notes)
        if (n.instrument == instrument) out.notes.push_back(n);
    for (const core::ControlChange& c : seq.controlChanges)
        if (c.instrument == instrument) out.controlChanges.push_back(c);
    out.recomputeTotalTime();
    return out;
}

core::NoteSequence notesExcerpt(const Document& doc, const NoteIds& ids) {
    const core::NoteSequence& seq = doc.sequence();
    core::NoteSequence out = emptyLike(seq);
    for (NoteId id : ids) {
        const core::Note* note = doc.note(id);
        if (!note) continue;
        out.notes.push_back(*note);
        const int index = doc.trackIndex(note->instrument);
        const bool known = std::any_of(
            out.instrumentInfos.begin(), out.instrumentInfos.end(),
            [&](const core::InstrumentInfo& i) { return i.instrument == note->instrument; });
        if (index >= 0 && !known) out.instrumentInfos.push_back(seq.instrumentInfos[index]);
    }
    std::sort(out.notes.begin(), out.notes.end(), [](const core::Note& a, const core::Note& b) {
        return a.startTime < b.startTime || (a.startTime == b.startTime && a.pitch < b.pitch);
    });
    out.recomputeTotalTime();
    return excerptFromBar(out);
}

core::NoteSequence excerptFromBar(const core::NoteSequence& sequence) {
    if (sequence.notes.empty()) return sequence;
    double first = std::numeric_limits<double>::infinity();
    for (const core::Note& n : sequence.notes) first = std::min(first, n.startTime);
    const core::MeterMap meter(sequence);
    const double origin = meter.barStartSeconds(meter.barBeatAtSeconds(first).bar);
    if (origin <= 0.0) return sequence;
    core::NoteSequence out = sequence;
    out.tempos = shiftEvents(sequence.tempos, origin);
    out.timeSignatures = shiftEvents(sequence.timeSignatures, origin);
    out.keySignatures = shiftEvents(sequence.keySignatures, origin);
    for (core::Note& n : out.notes) {
        n.startTime -= origin;
        n.endTime -= origin;
    }
    out.controlChanges.clear();
    for (core::ControlChange c : sequence.controlChanges) {
        if (c.time < origin) continue;
        c.time -= origin;
        out.controlChanges.push_back(c);
    }
    out.pitchBends.clear();
    for (core::PitchBend b : sequence.pitchBends) {
        if (b.time < origin) continue;
        b.time -= origin;
        out.pitchBends.push_back(b);
    }
    out.recomputeTotalTime();
    return out;
}

QString midiFileNameFor(const QStringList& parts) {
    static const QRegularExpression kUnsafe(QStringLiteral(R"([\\/:*?"<>|\x00-\x1f]+)"));
    QStringList clean;
    for (QString part : parts) {
        part.replace(kUnsafe, QStringLiteral("_"));
        part = part.simplified();
        // A document name such as "song.mid" should not give "song.mid – Bass.mid".
        for (const QString& suffix : {QStringLiteral(".mid"), QStringLiteral(".midi"),
                                      QStringLiteral(".toccata"), QStringLiteral(".json")})
            if (part.endsWith(suffix, Qt::CaseInsensitive)) part.chop(suffix.size());
        while (part.startsWith('.')) part.remove(0, 1);
        if (!part.isEmpty()) clean << part.left(60);
    }
    if (clean.isEmpty()) clean << QStringLiteral("Toccata");
    return clean.join(QStringLiteral(" - ")) + QStringLiteral(".mid");
}

}  // namespace toccata::app
