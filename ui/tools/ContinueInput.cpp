#include "ui/tools/ContinueInput.h"

#include <QCoreApplication>

#include <algorithm>

namespace toccata::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ContinueInput", text); }

}  // namespace

ContinueInput continueInputFor(const app::Document& doc, const ToolContext& context,
                               ContinueSource source, bool fromSilence) {
    ContinueInput in;
    in.track = context.currentTrack;
    if (in.track < 0 || doc.trackIndex(in.track) < 0) {
        in.error = tr("Choose the track to continue in the track list.");
        return in;
    }
    if (source == ContinueSource::kSelectionOrTrack) {
        for (app::NoteId id : context.selection) {
            const core::Note* n = doc.note(id);
            if (n && n->instrument == in.track) in.only << id;
        }
    }
    if (source == ContinueSource::kLoopRegion) {
        if (!context.loop || context.loop->length() <= 0.0)
            in.error = tr("Set a loop region first (drag in the ruler above the roll).");
        else
            in.region = *context.loop;
        return in;
    }
    const core::NoteSequence& seq = doc.sequence();
    double first = 1e18, last = -1.0;
    const auto extend = [&](const core::Note& n) {
        first = std::min(first, n.startTime);
        last = std::max(last, n.endTime);
    };
    if (!in.only.isEmpty()) {
        for (app::NoteId id : in.only) extend(*doc.note(id));
    } else {
        for (const core::Note& n : seq.notes)
            if (n.instrument == in.track) extend(n);
    }
    if (last >= 0.0) {
        in.region = app::barRegion(doc, first, last);
    } else if (fromSilence) {
        const double bar =
            app::barRegion(doc, context.playheadSeconds, context.playheadSeconds).start;
        in.region = {bar, bar};
    } else {
        in.error =
            tr("“%1” has no notes to continue; use Generate to start from nothing.")
                .arg(QString::fromStdString(seq.instrumentInfos[doc.trackIndex(in.track)].name));
    }
    return in;
}

}  // namespace toccata::ui
