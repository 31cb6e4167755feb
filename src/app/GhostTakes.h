// GhostTakes: generated candidates ("variations") waiting for the user's verdict. The piano
// roll draws the current take translucent over its target track; accepting adds its notes to
// the document as one undoable step. Generation tools fill it. [ui]
#pragma once

#include <QObject>
#include <QString>

#include <vector>

#include "core/NoteSequence.h"

namespace toccata::app {

class Document;

/// The track GhostTakes::accept() creates when the target track does not exist (Generate from
/// nothing, or a drum model continuing a melody track).
struct GhostNewTrack {
    QString name;
    int program = 0;
    bool isDrum = false;
};

class GhostTakes : public QObject {
    Q_OBJECT
public:
    explicit GhostTakes(QObject* parent = nullptr);

    using NewTrack = GhostNewTrack;

    /// Replaces all takes; the first becomes current. An empty list clears.
    void setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                  const QString& label, const NewTrack& newTrack = {});
    int count() const { return static_cast<int>(m_takes.size()); }
    bool isEmpty() const { return m_takes.empty(); }
    /// Zero-based index of the current take; -1 when empty.
    int current() const { return m_takes.empty() ? -1 : m_current; }
    /// False (and no change) when `index` is out of range.
    bool setCurrent(int index);
    /// Next / previous take, wrapping around.
    void next();
    void previous();
    /// The current take, or nullptr when there is none.
    const core::NoteSequence* currentTake() const;
    int targetInstrument() const { return m_target; }
    QString label() const { return m_label; }

    /// Adds the current take's notes to the target track as ONE undoable step (creating the
    /// NewTrack in the same step when the document lacks the target), then clears. False when
    /// there is nothing to accept.
    bool accept(Document& document);
    void discard();

signals:
    void changed();

private:
    std::vector<core::NoteSequence> m_takes;
    int m_current = 0;
    int m_target = 0;
    QString m_label;
    NewTrack m_newTrack;
};

}  // namespace toccata::app
