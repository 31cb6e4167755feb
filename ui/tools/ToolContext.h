// ToolContext: what the generation tools need to know about the editor when they run (the
// track being edited, the selected notes, the playhead, the loop region). MainWindow provides
// it from the piano roll. [ui]
#pragma once

#include <optional>

#include "app/Document.h"
#include "app/RnnGeneration.h"

namespace toccata::ui {

struct ToolContext {
    int currentTrack = -1;
    app::NoteIds selection;
    double playheadSeconds = 0.0;
    std::optional<app::TimeRegion> loop;  ///< the loop region, when one is set
};

}  // namespace toccata::ui
