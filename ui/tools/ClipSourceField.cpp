#include "ui/tools/ClipSourceField.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "app/DocumentExcerpt.h"
#include "core/SequenceFile.h"
#include "ui/dragdrop/MidiDrop.h"

namespace toccata::ui {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;  // the file entry's path; tracks: their instrument
}

ClipSourceField::ClipSourceField(app::Document& document, int preferredTrackIndex, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_preferredIndex(preferredTrackIndex),
      m_source(new QComboBox(this)),
      m_scope(new QComboBox(this)),
      m_choose(new QPushButton(tr("Choose file…"), this)) {
    setAcceptDrops(true);
    setToolTip(tr("A track of the song, or a MIDI file (choose one, or drop it here)"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->setMinimumContentsLength(10);
    m_scope->addItem(tr("Whole track"), static_cast<int>(app::ClipScope::kWholeTrack));
    m_scope->addItem(tr("Selected notes"), static_cast<int>(app::ClipScope::kSelection));
    m_scope->addItem(tr("Loop region"), static_cast<int>(app::ClipScope::kLoopRegion));
    m_scope->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scope->setMinimumContentsLength(6);
    auto* below = new QHBoxLayout;
    below->setContentsMargins(0, 0, 0, 0);
    below->addWidget(m_scope, 1);
    below->addWidget(m_choose);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_source);
    layout->addLayout(below);

    m_filePrompt = [this] {
        QSettings settings;
        return QFileDialog::getOpenFileName(
            this, tr("Choose a clip"), settings.value("paths/lastOpenDir").toString(),
            tr("MIDI files (*.mid *.midi *.smf);;NoteSequence JSON (*.json)"));
    };
    connect(m_choose, &QPushButton::clicked, this, &ClipSourceField::chooseFile);
    connect(m_source, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { m_scope->setEnabled(!isFile()); });
    connect(&m_document, &app::Document::changed, this, &ClipSourceField::refillTracks);
    refillTracks();
}

void ClipSourceField::refillTracks() {
    const QVariant previous = m_source->currentData();
    const bool wasFile = isFile();
    m_source->blockSignals(true);
    m_source->clear();
    for (const core::InstrumentInfo& info : m_document.sequence().instrumentInfos)
        m_source->addItem(tr("Track: %1").arg(QString::fromStdString(info.name)), info.instrument);
    // A trio model reads melody, bass and drums from several tracks at once.
    if (!m_document.sequence().instrumentInfos.empty())
        m_source->addItem(tr("All tracks"), app::kAllTracks);
    if (!m_file.isEmpty()) {
        m_source->addItem(tr("File: %1").arg(QFileInfo(m_file).fileName()), -1);
        m_source->setItemData(m_source->count() - 1, m_file, kPathRole);
        m_source->setItemData(m_source->count() - 1, m_file, Qt::ToolTipRole);
    }
    int index =
        wasFile ? m_source->count() - 1 : (previous.isValid() ? m_source->findData(previous) : -1);
    if (index < 0) index = std::min(m_preferredIndex, m_source->count() - 1);
    m_source->setCurrentIndex(index);
    m_source->blockSignals(false);
    m_scope->setEnabled(!isFile());
}

bool ClipSourceField::setTrack(int instrument) {
    const int index = m_source->findData(instrument);
    if (index < 0 || instrument == -1) return false;  // -1 is the file entry
    m_source->setCurrentIndex(index);
    return true;
}

bool ClipSourceField::setFile(const QString& path, QString* error) {
    if (core::sequenceFileKind(path.toStdString()) == core::SequenceFileKind::Unknown) {
        const QString message = tr("%1 is not a MIDI (.mid, .midi) or NoteSequence (.json) file.")
                                    .arg(QFileInfo(path).fileName());
        if (error) *error = message;
        emit fileRejected(message);
        return false;
    }
    m_file = path;
    refillTracks();
    m_source->setCurrentIndex(m_source->count() - 1);
    return true;
}

void ClipSourceField::setScope(app::ClipScope scope) {
    m_scope->setCurrentIndex(m_scope->findData(static_cast<int>(scope)));
}

bool ClipSourceField::isFile() const { return !m_source->currentData(kPathRole).isNull(); }

void ClipSourceField::chooseFile() {
    const QString path = m_filePrompt ? m_filePrompt() : QString();
    if (!path.isEmpty()) setFile(path);
}

core::Result<core::NoteSequence> ClipSourceField::clip(const ToolContext& context) const {
    using R = core::Result<core::NoteSequence>;
    if (isFile()) {
        const QString path = m_source->currentData(kPathRole).toString();
        auto read = core::readSequenceFile(path.toStdString());
        if (!read) return read.error();
        if (read->notes.empty())
            return R::failure(QFileInfo(path).fileName().toStdString() + ": the file has no notes");
        // A file may start with silence or a pickup: its clip starts at the bar of its first note.
        core::NoteSequence clip = app::excerptFromBar(*read);
        clip.filename = QFileInfo(path).fileName().toStdString();
        return clip;
    }
    if (m_source->count() == 0) return R::failure(tr("The song has no tracks.").toStdString());
    const int instrument = m_source->currentData().toInt();
    auto track = app::trackClip(m_document, instrument,
                                static_cast<app::ClipScope>(m_scope->currentData().toInt()),
                                context.selection, context.loop);
    if (!track) return track.error();
    return std::move(track->clip);
}

void ClipSourceField::dragEnterEvent(QDragEnterEvent* event) {
    if (!MidiDrop::classify(event->mimeData()).sequences.isEmpty()) event->acceptProposedAction();
}

void ClipSourceField::dragMoveEvent(QDragMoveEvent* event) {
    if (!MidiDrop::classify(event->mimeData()).sequences.isEmpty()) event->acceptProposedAction();
}

void ClipSourceField::dropEvent(QDropEvent* event) {
    const QStringList files = MidiDrop::classify(event->mimeData()).sequences;
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    setFile(files.first());
}

}  // namespace toccata::ui
