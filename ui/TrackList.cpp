#include "ui/TrackList.h"

#include <QColorDialog>
#include <QContextMenuEvent>
#include <QDragEnterEvent>
#include <QDrag>
#include <QHeaderView>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>

#include <array>

#include "app/DocumentExcerpt.h"
#include "core/GeneralMidi.h"
#include "core/SequenceSummary.h"
#include "ui/TrackColors.h"
#include "ui/dragdrop/MidiDrag.h"
#include "ui/dragdrop/MidiDrop.h"

namespace toccata::ui {

namespace {

constexpr int kInstrumentRole = Qt::UserRole;

// The 16 families of General MIDI, 8 programs each, as synths group them.
constexpr std::array<const char*, 16> kGmFamilies = {
    "Piano", "Chromatic Percussion", "Organ", "Guitar", "Bass", "Strings", "Ensemble", "Brass",
    "Reed", "Pipe", "Synth Lead", "Synth Pad", "Synth Effects", "Ethnic", "Percussive",
    "Sound Effects"};

QIcon swatch(const QColor& color) {
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(color);
    p.setPen(color.darker(150));
    p.drawRoundedRect(QRectF(0.5, 0.5, 11, 11), 2, 2);
    return QIcon(pixmap);
}

QString programLabel(int program) {
    // GM numbers are shown 1-based, as synths and DAWs show them.
    return QStringLiteral("%1 %2").arg(program + 1).arg(QString::fromUtf8(core::gmProgramName(program)));
}

}  // namespace

TrackList::TrackList(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(kColumnCount);
    setHeaderLabels({tr("Track"), tr("M"), tr("S"), tr("Ch"), tr("Instrument"), tr("Notes")});
    headerItem()->setToolTip(kMute, tr("Mute"));
    headerItem()->setToolTip(kSolo, tr("Solo"));
    headerItem()->setToolTip(kChannel, tr("MIDI channel"));
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    setDragEnabled(true);
    setAcceptDrops(true);
    setDropIndicatorShown(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(kName, QHeaderView::Stretch);
    header()->setSectionResizeMode(kInstrument, QHeaderView::Interactive);
    header()->resizeSection(kInstrument, 130);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_colourPrompt = [this](const QColor& current) {
        return QColorDialog::getColor(current, this, tr("Track colour"));
    };
    connect(this, &QTreeWidget::itemChanged, this, &TrackList::onItemChanged);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!m_rebuilding && item) emit currentTrackChanged(item->data(kName, kInstrumentRole).toInt());
    });
    connect(this, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int column) {
        const int instrument = item->data(kName, kInstrumentRole).toInt();
        if (column == kInstrument) {
            auto* menu = new QMenu(this);
            menu->setAttribute(Qt::WA_DeleteOnClose);
            fillInstrumentMenu(menu, instrument);
            menu->popup(viewport()->mapToGlobal(visualItemRect(item).bottomLeft()));
        }
    });
}

void TrackList::setDocument(app::Document* document) {
    if (m_document) disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) connect(m_document, &app::Document::changed, this, &TrackList::rebuild);
    rebuild();
}

void TrackList::rebuild() {
    const int current = currentInstrument();
    m_rebuilding = true;
    clear();
    if (!m_document) {
        m_rebuilding = false;
        return;
    }
    const core::NoteSequence& seq = m_document->sequence();
    const core::SequenceSummary summary = core::summarize(seq);
    for (const core::InstrumentInfo& info : seq.instrumentInfos) {
        const app::TrackState state = m_document->trackState(info.instrument);
        auto* item = new QTreeWidgetItem(this);
        item->setFlags(item->flags() | Qt::ItemIsEditable | Qt::ItemIsDragEnabled |
                       Qt::ItemIsDropEnabled);
        item->setData(kName, kInstrumentRole, info.instrument);
        item->setText(kName, info.name.empty() ? tr("Track %1").arg(info.instrument + 1)
                                               : QString::fromStdString(info.name));
        item->setIcon(kName, swatch(colourOf(info.instrument)));
        item->setCheckState(kMute, state.muted ? Qt::Checked : Qt::Unchecked);
        item->setCheckState(kSolo, state.soloed ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(kMute, tr("Mute"));
        item->setToolTip(kSolo, tr("Solo"));
        const int channel = state.isDrum ? 9 : info.midiChannel;
        item->setText(kChannel, channel >= 0 ? QString::number(channel + 1) : QStringLiteral("–"));
        QString instrument = state.isDrum ? tr("Drums") : programLabel(state.program);
        size_t notes = 0;
        for (const core::TrackSummary& t : summary.tracks) {
            if (t.instrument != info.instrument) continue;
            notes = t.noteCount;
            if (t.programs.size() > 1) instrument += tr(" (+%1 more)").arg(t.programs.size() - 1);
        }
        item->setText(kInstrument, instrument);
        item->setToolTip(kInstrument, tr("Double-click to choose the instrument"));
        item->setText(kNotes, QString::number(notes));
        item->setTextAlignment(kNotes, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_rebuilding = false;
    const int row = rowOf(current);
    if (row >= 0)
        setCurrentItem(topLevelItem(row));
    else if (topLevelItemCount() > 0)
        setCurrentItem(topLevelItem(0));  // emits currentTrackChanged
}

void TrackList::onItemChanged(QTreeWidgetItem* item, int column) {
    if (m_rebuilding || !m_document) return;
    const int instrument = item->data(kName, kInstrumentRole).toInt();
    app::TrackState state = m_document->trackState(instrument);
    // Document edits rebuild the list, so leave this slot before they run.
    if (column == kName) {
        const QString name = item->text(kName).trimmed();
        QMetaObject::invokeMethod(this, [this, instrument, name] {
            if (!name.isEmpty() && m_document) m_document->renameTrack(instrument, name);
            rebuild();
        }, Qt::QueuedConnection);
    } else if (column == kMute || column == kSolo) {
        state.muted = item->checkState(kMute) == Qt::Checked;
        state.soloed = item->checkState(kSolo) == Qt::Checked;
        QMetaObject::invokeMethod(this, [this, state] {
            if (m_document) m_document->setTrackState(state);
        }, Qt::QueuedConnection);
    }
}

int TrackList::instrumentAt(int row) const {
    const QTreeWidgetItem* item = topLevelItem(row);
    return item ? item->data(kName, kInstrumentRole).toInt() : -1;
}

int TrackList::rowOf(int instrument) const {
    for (int row = 0; row < topLevelItemCount(); ++row)
        if (instrumentAt(row) == instrument) return row;
    return -1;
}

int TrackList::currentInstrument() const {
    const QTreeWidgetItem* item = currentItem();
    return item ? item->data(kName, kInstrumentRole).toInt() : -1;
}

void TrackList::setCurrentInstrument(int instrument) {
    const int row = rowOf(instrument);
    if (row >= 0) setCurrentItem(topLevelItem(row));
}

QColor TrackList::colourOf(int instrument) const {
    if (!m_document) return trackColor(0);
    const app::TrackState state = m_document->trackState(instrument);
    if (state.colour.isValid()) return state.colour;
    return trackColor(std::max(0, m_document->trackIndex(instrument)));
}

int TrackList::addTrack() {
    if (!m_document) return -1;
    const int count = static_cast<int>(m_document->sequence().instrumentInfos.size());
    const int instrument = m_document->addTrack(tr("Track %1").arg(count + 1));
    setCurrentInstrument(instrument);
    return instrument;
}

bool TrackList::removeCurrentTrack() {
    const int instrument = currentInstrument();
    return m_document && instrument >= 0 && m_document->removeTrack(instrument);
}

bool TrackList::chooseColour(int instrument) {
    if (!m_document || m_document->trackIndex(instrument) < 0) return false;
    const QColor colour = m_colourPrompt(colourOf(instrument));
    if (!colour.isValid()) return false;
    app::TrackState state = m_document->trackState(instrument);
    state.colour = colour;
    return m_document->setTrackState(state);
}

void TrackList::fillInstrumentMenu(QMenu* menu, int instrument) {
    const app::TrackState state = m_document ? m_document->trackState(instrument) : app::TrackState{};
    QAction* drums = menu->addAction(tr("Drums (GM kit, channel 10)"), this, [this, instrument] {
        if (m_document) m_document->setTrackInstrument(instrument, 0, true);
    });
    drums->setCheckable(true);
    drums->setChecked(state.isDrum);
    menu->addSeparator();
    for (int family = 0; family < static_cast<int>(kGmFamilies.size()); ++family) {
        QMenu* sub = menu->addMenu(tr(kGmFamilies[family]));
        for (int program = family * 8; program < family * 8 + 8; ++program) {
            QAction* action = sub->addAction(programLabel(program), this, [this, instrument, program] {
                if (m_document) m_document->setTrackInstrument(instrument, program, false);
            });
            action->setCheckable(true);
            action->setChecked(!state.isDrum && state.program == program);
        }
    }
}

void TrackList::contextMenuEvent(QContextMenuEvent* event) {
    if (!m_document) return;
    QMenu menu(this);
    QTreeWidgetItem* item = itemAt(viewport()->mapFromGlobal(event->globalPos()));
    if (item) {
        const int instrument = item->data(kName, kInstrumentRole).toInt();
        setCurrentItem(item);
        menu.addAction(tr("Rename"), this, [this, item] { editItem(item, kName); });
        menu.addAction(tr("Colour…"), this, [this, instrument] { chooseColour(instrument); });
        fillInstrumentMenu(menu.addMenu(tr("Instrument")), instrument);
        menu.addSeparator();
        menu.addAction(tr("Remove Track"), this, [this] { removeCurrentTrack(); });
        menu.addSeparator();
    }
    menu.addAction(tr("Add Track"), this, [this] { addTrack(); });
    menu.exec(event->globalPos());
}

QMimeData* TrackList::trackMimeData(int instrument, QString* error) const {
    if (!m_document || m_document->trackIndex(instrument) < 0) return nullptr;
    const core::NoteSequence excerpt = app::trackExcerpt(*m_document, instrument);
    const QString trackName = topLevelItem(rowOf(instrument))->text(kName);
    auto path = MidiDrag::writeFile(
        excerpt, app::midiFileNameFor({m_document->displayName(), trackName}));
    if (!path) {
        if (error) *error = QString::fromStdString(path.errorMessage());
        return nullptr;
    }
    return MidiDrag::mimeDataFor(*path);
}

void TrackList::startDrag(Qt::DropActions) {
    const int instrument = currentInstrument();
    if (instrument < 0) return;
    QString error;
    QMimeData* mime = trackMimeData(instrument, &error);
    if (!mime) {
        emit trackDragFailed(error);
        return;
    }
    auto* drag = new QDrag(this);
    drag->setMimeData(mime);
    drag->setPixmap(swatch(colourOf(instrument)).pixmap(12, 12));
    drag->exec(Qt::CopyAction, Qt::CopyAction);
}

void TrackList::dragEnterEvent(QDragEnterEvent* event) {
    // Our own row drags carry a .mid of this document: dropping it back would duplicate it.
    if (event->source() != this && MidiDrop::accepts(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void TrackList::dragMoveEvent(QDragMoveEvent* event) {
    if (event->source() != this && MidiDrop::accepts(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void TrackList::dropEvent(QDropEvent* event) {
    const DroppedFiles files = MidiDrop::classify(event->mimeData());
    if (event->source() == this || files.sequences.isEmpty()) {
        if (!files.unsupported.isEmpty())
            emit dropRejected(tr("Toccata cannot read %1").arg(files.unsupported.join(", ")));
        event->ignore();
        return;
    }
    QTreeWidgetItem* item = itemAt(event->position().toPoint());
    const int instrument = item ? item->data(kName, kInstrumentRole).toInt() : -1;
    event->acceptProposedAction();
    emit filesDropped(files.sequences, instrument);
}

}  // namespace toccata::ui
