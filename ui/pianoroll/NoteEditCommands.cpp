#include "ui/pianoroll/NoteEditCommands.h"

#include <QCoreApplication>

#include <algorithm>

namespace toccata::ui::NoteEditCommands {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("PianoRollView", text); }
}  // namespace

app::NoteIds duplicate(app::Document& document, const SnapGrid& grid, const app::NoteIds& ids) {
    double first = 0.0;
    double last = 0.0;
    std::vector<core::Note> copies;
    for (app::NoteId id : ids) {
        const core::Note* n = document.note(id);
        if (!n) continue;
        first = copies.empty() ? n->startTime : std::min(first, n->startTime);
        last = std::max(last, n->endTime);
        copies.push_back(*n);
    }
    if (copies.empty()) return {};
    // The copy starts where the selection ends, rounded up to the grid (as DAWs do).
    double offset = last - first;
    if (!grid.isOff()) {
        double end = grid.snapDown(last);
        if (end < last - 1e-9) end = grid.snap(end + grid.stepSeconds(end));
        offset = end - grid.snapDown(first);
    }
    if (offset <= 0.0) offset = grid.stepSeconds(first);
    for (core::Note& n : copies) {
        n.startTime += offset;
        n.endTime += offset;
    }
    return document.addNotes(copies, tr("Duplicate Notes"));
}

bool quantize(app::Document& document, const SnapGrid& grid, const app::NoteIds& ids, bool drums) {
    if (grid.isOff()) return false;
    app::NoteIds valid;
    std::vector<core::Note> after;
    for (app::NoteId id : ids) {
        const core::Note* original = document.note(id);
        if (!original) continue;
        core::Note n = *original;
        const double start = grid.snap(n.startTime);
        double end = grid.snap(n.endTime);
        if (end <= start + 1e-9) end = start + grid.stepSeconds(start);  // at least one step
        n.endTime = drums ? start + n.duration() : end;
        n.startTime = start;
        valid.push_back(id);
        after.push_back(n);
    }
    return document.changeNotes(valid, after, tr("Quantize Notes"));
}

bool transpose(app::Document& document, const app::NoteIds& ids, int semitones) {
    int low = 127;
    int high = 0;
    for (app::NoteId id : ids)
        if (const core::Note* n = document.note(id)) {
            low = std::min(low, n->pitch);
            high = std::max(high, n->pitch);
        }
    if (high < low || low + semitones < 0 || high + semitones > 127) return false;
    return document.transpose(ids, semitones);
}

}  // namespace toccata::ui::NoteEditCommands
