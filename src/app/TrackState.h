// TrackState: per-track state kept beside the NoteSequence's InstrumentInfo (a "track" is
// one instrument): colour, mute, solo, and the sound new notes get (GM program, drum flag) —
// NoteSequence keeps program/drum per note, so an empty track needs it here. Stored in the
// project file. [ui]
#pragma once

#include <QColor>

namespace toccata::app {

struct TrackState {
    int instrument = 0;  // the InstrumentInfo::instrument this state belongs to
    QColor colour;       // invalid = use the default palette colour
    bool muted = false;
    bool soloed = false;
    int program = 0;      // GM program (zero-based) of the track's notes
    bool isDrum = false;  // drum track: notes are GM percussion on channel 10
    bool operator==(const TrackState&) const = default;
};

}  // namespace toccata::app
