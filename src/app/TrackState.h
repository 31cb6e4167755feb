// TrackState: per-track UI state kept beside the NoteSequence's InstrumentInfo (a "track" is
// one instrument): colour, mute and solo. Stored in the project file. [ui]
#pragma once

#include <QColor>

namespace toccata::app {

struct TrackState {
    int instrument = 0;  // the InstrumentInfo::instrument this state belongs to
    QColor colour;       // invalid = use the default palette colour
    bool muted = false;
    bool soloed = false;
    bool operator==(const TrackState&) const = default;
};

}  // namespace toccata::app
