#include "ui/dragdrop/MidiDrag.h"

#include <QDrag>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUrl>
#include <QWidget>

#include <memory>

#include "core/midi/MidiIO.h"

namespace toccata::ui {

namespace {

QTemporaryDir& dragDir() {
    // One folder per app session, removed when the app quits.
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/toccata-drag-XXXXXX"));
    return dir;
}

QString uniquePath(const QString& folder, const QString& fileName) {
    const QFileInfo info(fileName);
    QString path = folder + '/' + fileName;
    for (int n = 2; QFile::exists(path); ++n)
        path = QStringLiteral("%1/%2 (%3).%4")
                   .arg(folder, info.completeBaseName())
                   .arg(n)
                   .arg(info.suffix());
    return path;
}

}  // namespace

QString MidiDrag::folder() { return dragDir().isValid() ? dragDir().path() : QString(); }

core::Result<QString> MidiDrag::writeFile(const core::NoteSequence& sequence,
                                          const QString& fileName) {
    const QString dir = folder();
    if (dir.isEmpty())
        return core::Error{"cannot create a temporary folder for dragged MIDI files in " +
                           QDir::tempPath().toStdString()};
    const QString path = uniquePath(dir, fileName);
    const core::Status status = core::writeMidiFile(sequence, path.toStdString());
    if (!status) return status.error();
    return path;
}

QMimeData* MidiDrag::mimeDataFor(const QString& path) {
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(path)});
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) mime->setData(QStringLiteral("audio/midi"), file.readAll());
    return mime;
}

bool MidiDrag::start(QWidget* source, const core::NoteSequence& sequence,
                     const QString& fileName, QString* error) {
    auto path = writeFile(sequence, fileName);
    if (!path) {
        if (error) *error = QString::fromStdString(path.errorMessage());
        return false;
    }
    auto* drag = new QDrag(source);
    drag->setMimeData(mimeDataFor(*path));
    drag->exec(Qt::CopyAction, Qt::CopyAction);
    return true;
}

}  // namespace toccata::ui
