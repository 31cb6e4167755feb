// The track list: one row per instrument of the document with its colour, name, MIDI
// channel, GM program, drum flag and note count.
#pragma once

#include <QTreeWidget>

#include "core/NoteSequence.h"

namespace toccata::ui {

class TrackList : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { kName, kChannel, kInstrument, kNotes, kColumnCount };

    explicit TrackList(QWidget* parent = nullptr);
    void setSequence(const core::NoteSequence& sequence);
    /// Instrument shown in `row`, or -1.
    int instrumentAt(int row) const;
};

}  // namespace toccata::ui
