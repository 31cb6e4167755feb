// RollPainter: draws the layers of the piano roll — row backgrounds, the bar/beat/snap grid,
// the document's notes (current track bright, others dimmed), drag previews, the ghost take
// and the playhead — always limited to the visible rectangle. Stateless. [ui]
#pragma once

#include <QColor>
#include <QRectF>
#include <QSet>

#include <functional>
#include <vector>

#include "app/Document.h"
#include "ui/pianoroll/NoteIndex.h"
#include "ui/pianoroll/PianoRollGeometry.h"
#include "ui/pianoroll/SnapGrid.h"

class QPainter;

namespace toccata::core {
struct NoteSequence;
}

namespace toccata::ui {

struct RollPaintInput {
    const PianoRollGeometry& geometry;
    const NoteIndex& index;
    const QSet<app::NoteId>& selection;
    const QSet<app::NoteId>& hidden;  // drawn by the preview instead
    int currentTrack;
    std::function<QColor(int instrument)> colour;
};

namespace RollPainter {

void paintRows(QPainter& p, const PianoRollGeometry& g, const QRectF& visible);
void paintGrid(QPainter& p, const PianoRollGeometry& g, const SnapGrid& grid,
               const QRectF& visible);
/// Returns how many notes were drawn.
int paintNotes(QPainter& p, const RollPaintInput& in, const QRectF& visible);
void paintPreview(QPainter& p, const PianoRollGeometry& g, const std::vector<RollNote>& notes,
                  const QColor& colour);
void paintGhost(QPainter& p, const PianoRollGeometry& g, const core::NoteSequence& take,
                const QColor& colour, const QRectF& visible);
void paintLoopShade(QPainter& p, const PianoRollGeometry& g, double start, double end,
                    const QRectF& visible);
void paintPlayhead(QPainter& p, const PianoRollGeometry& g, double seconds, const QRectF& visible);

}  // namespace RollPainter

}  // namespace toccata::ui
