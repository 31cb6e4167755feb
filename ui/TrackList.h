// The track list: one row per track (instrument) of the document — colour swatch and name
// (double-click to rename), mute and solo boxes, MIDI channel, instrument (double-click for a
// GM program or the drum kit), note count. Rows can be dragged out as .mid files; MIDI files
// dropped on a row go into that track (replace or merge), dropped below the rows become new
// tracks. Every change goes through the Document, so it is undoable. [ui]
#pragma once

#include <QTreeWidget>

#include <functional>

#include "app/Document.h"

class QMenu;

namespace toccata::ui {

class TrackList : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { kName, kMute, kSolo, kChannel, kInstrument, kNotes, kColumnCount };
    /// Asks for a track colour; an invalid colour = cancelled (default: QColorDialog).
    using ColourPrompt = std::function<QColor(const QColor& current)>;

    explicit TrackList(QWidget* parent = nullptr);
    void setDocument(app::Document* document);

    /// Instrument shown in `row`, or -1.
    int instrumentAt(int row) const;
    int rowOf(int instrument) const;
    /// The selected track's instrument, or -1.
    int currentInstrument() const;
    void setCurrentInstrument(int instrument);
    /// Colour a track is drawn with (its own, or the palette colour of its row).
    QColor colourOf(int instrument) const;

    // Track actions (also in the context menu); each is one undo step.
    int addTrack();
    bool removeCurrentTrack();
    bool chooseColour(int instrument);
    void setColourPrompt(ColourPrompt prompt) { m_colourPrompt = std::move(prompt); }
    /// Fills `menu` with the drum kit and the 128 GM programs by family; choosing one sets the
    /// track's instrument (double-click on the Instrument column, or the context menu).
    void fillInstrumentMenu(QMenu* menu, int instrument);
    /// The drag data of a track: a .mid named "<document> - <track>.mid" (tests use it).
    QMimeData* trackMimeData(int instrument, QString* error) const;

signals:
    void currentTrackChanged(int instrument);
    /// MIDI files were dropped on the row of `instrument` (-1: below the rows = new tracks).
    void filesDropped(const QStringList& paths, int instrument);
    void dropRejected(const QString& message);
    void trackDragFailed(const QString& message);

protected:
    void startDrag(Qt::DropActions supportedActions) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void rebuild();
    void onItemChanged(QTreeWidgetItem* item, int column);

    app::Document* m_document = nullptr;
    ColourPrompt m_colourPrompt;
    bool m_rebuilding = false;
};

}  // namespace toccata::ui
