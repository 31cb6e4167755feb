// ContinueInput: what the Continue tool continues — the current track's selected notes, the
// whole track or the loop region — as the track, the chosen notes and the bars that hold them.
// Split out of RnnToolPanel so that every model family reads its input the same way. [ui]
#pragma once

#include <QString>

#include "app/Document.h"
#include "app/RnnGeneration.h"
#include "ui/tools/ToolContext.h"

namespace toccata::ui {

enum class ContinueSource { kSelectionOrTrack, kWholeTrack, kLoopRegion };

struct ContinueInput {
    int track = -1;
    app::NoteIds only;       ///< the selected notes of the track (empty: all of them)
    app::TimeRegion region;  ///< whole bars holding the notes, or the loop region
    QString error;           ///< why there is nothing to continue (empty when fine)
};

/// The input of a continuation. With `fromSilence`, a track without notes gives an empty
/// region at the bar line of the playhead (models that can start from nothing); without it,
/// that is an error naming the track.
ContinueInput continueInputFor(const app::Document& doc, const ToolContext& context,
                               ContinueSource source, bool fromSilence);

}  // namespace toccata::ui
