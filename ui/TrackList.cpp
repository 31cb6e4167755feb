#include "ui/TrackList.h"

#include <QHeaderView>
#include <QPainter>
#include <QPixmap>

#include "core/GeneralMidi.h"
#include "core/SequenceSummary.h"
#include "ui/TrackColors.h"

namespace toccata::ui {

namespace {

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

}  // namespace

TrackList::TrackList(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(kColumnCount);
    setHeaderLabels({tr("Track"), tr("Ch"), tr("Instrument"), tr("Notes")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(kName, QHeaderView::Stretch);
}

void TrackList::setSequence(const core::NoteSequence& sequence) {
    clear();
    const core::SequenceSummary summary = core::summarize(sequence);
    int index = 0;
    for (const core::TrackSummary& t : summary.tracks) {
        auto* item = new QTreeWidgetItem(this);
        const QString name =
            t.name.empty() ? tr("Track %1").arg(t.instrument + 1) : QString::fromStdString(t.name);
        item->setText(kName, name);
        item->setIcon(kName, swatch(trackColor(index++)));
        item->setText(kChannel, t.midiChannel >= 0 ? QString::number(t.midiChannel + 1) : "–");
        QString instrument;
        if (t.isDrum) {
            instrument = tr("Drums");
        } else if (!t.programs.empty()) {
            // GM numbers are shown 1-based, as synths and DAWs show them.
            instrument = QStringLiteral("%1 %2")
                             .arg(t.programs.front() + 1)
                             .arg(QString::fromUtf8(core::gmProgramName(t.programs.front())));
            if (t.programs.size() > 1) instrument += tr(" (+%1 more)").arg(t.programs.size() - 1);
        }
        item->setText(kInstrument, instrument);
        item->setText(kNotes, QString::number(t.noteCount));
        item->setTextAlignment(kNotes, Qt::AlignRight | Qt::AlignVCenter);
        item->setData(kName, Qt::UserRole, t.instrument);
    }
}

int TrackList::instrumentAt(int row) const {
    const QTreeWidgetItem* item = topLevelItem(row);
    return item ? item->data(kName, Qt::UserRole).toInt() : -1;
}

}  // namespace toccata::ui
