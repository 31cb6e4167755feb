// GhostTakes: generated candidates ("variations") waiting for the user's verdict. The piano
// roll draws the current take translucent over its target track; accepting adds its notes to
// the document as one undoable step. Generation tools fill it. A take may also replace notes
// (Groove: the humanized notes stand in for the quantized ones) and may hold several parts
// that land on tracks of their own (a MusicVAE trio: melody, bass and drums). [ui]
#pragma once

#include <QObject>
#include <QString>

#include <vector>

#include "app/Document.h"
#include "core/NoteSequence.h"

namespace toccata::app {

/// The track GhostTakes::accept() creates when the target track does not exist (Generate from
/// nothing, or a drum model continuing a melody track).
struct GhostNewTrack {
    QString name;
    int program = 0;
    bool isDrum = false;
};

/// One part of a multi-part take: its notes carry `instrument` in the take and land on a new
/// track made from `track`.
struct GhostPart {
    int instrument = 0;
    GhostNewTrack track;
};

/// Where accepted notes go beyond the target track.
struct GhostTakeOptions {
    GhostNewTrack newTrack;        ///< created when the target track does not exist
    NoteIds replaces;              ///< removed in the same undo step (those still there)
    std::vector<GhostPart> parts;  ///< empty: every note goes to the target track
};

class GhostTakes : public QObject {
    Q_OBJECT
public:
    explicit GhostTakes(QObject* parent = nullptr);

    using NewTrack = GhostNewTrack;

    /// Replaces all takes; the first becomes current. An empty list clears.
    void setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                  const QString& label, const NewTrack& newTrack = {});
    void setTakes(int targetInstrument, std::vector<core::NoteSequence> variations,
                  const QString& label, const GhostTakeOptions& options);
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
    /// The notes an accepted take replaces (empty: it only adds).
    const NoteIds& replaces() const { return m_options.replaces; }
    const std::vector<GhostPart>& parts() const { return m_options.parts; }

    /// Adds the current take's notes to the target track as ONE undoable step (creating the
    /// NewTrack, and a track per part, in the same step when needed; removing the notes it
    /// replaces), then clears. False when there is nothing to accept.
    bool accept(Document& document);
    void discard();

signals:
    void changed();

private:
    std::vector<core::NoteSequence> m_takes;
    int m_current = 0;
    int m_target = 0;
    QString m_label;
    GhostTakeOptions m_options;
};

}  // namespace toccata::app
