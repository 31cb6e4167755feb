#include "ui/dragdrop/MidiDrop.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include <algorithm>
#include <map>

#include "app/ProjectFile.h"
#include "app/TrackImport.h"
#include "core/SequenceFile.h"

namespace toccata::ui {

namespace {

QString listForMessage(const QStringList& paths) {
    QStringList names;
    for (const QString& p : paths) names << QFileInfo(p).fileName();
    return names.join(QStringLiteral(", "));
}

}  // namespace

DroppedFiles MidiDrop::classify(const QMimeData* mime) {
    DroppedFiles files;
    if (!mime || !mime->hasUrls()) return files;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) {
            files.unsupported << url.toString();
            continue;
        }
        const QString path = url.toLocalFile();
        if (app::ProjectFile::isProjectPath(path))
            files.projects << path;
        else if (core::sequenceFileKind(path.toStdString()) != core::SequenceFileKind::Unknown)
            files.sequences << path;
        else
            files.unsupported << path;
    }
    return files;
}

bool MidiDrop::accepts(const QMimeData* mime) { return !classify(mime).empty(); }

core::Result<core::NoteSequence> MidiDrop::readAll(const QStringList& paths) {
    if (paths.isEmpty()) return core::Error{"no MIDI or NoteSequence files were dropped"};
    core::NoteSequence combined;
    int nextInstrument = 0;
    for (const QString& path : paths) {
        auto read = core::readSequenceFile(path.toStdString());
        if (!read) return read.error();
        core::NoteSequence seq = std::move(read).value();
        if (seq.notes.empty())
            return core::Error{QFileInfo(path).fileName().toStdString() + ": the file has no notes"};
        app::normalizeTracks(seq);
        if (combined.notes.empty()) {  // the first file sets the tempo map
            combined.tempos = seq.tempos;
            combined.timeSignatures = seq.timeSignatures;
            combined.keySignatures = seq.keySignatures;
            combined.ticksPerQuarter = seq.ticksPerQuarter;
        }
        std::map<int, int> renumber;
        const QString baseName = QFileInfo(path).completeBaseName();
        for (core::InstrumentInfo info : seq.instrumentInfos) {
            renumber[info.instrument] = nextInstrument;
            info.instrument = nextInstrument++;
            if (info.name.empty())
                info.name = (seq.instrumentInfos.size() == 1
                                 ? baseName
                                 : QStringLiteral("%1 %2").arg(baseName).arg(renumber.size()))
                                .toStdString();
            combined.instrumentInfos.push_back(info);
        }
        for (core::Note note : seq.notes) {
            note.instrument = renumber.at(note.instrument);
            combined.notes.push_back(note);
        }
        for (core::ControlChange c : seq.controlChanges) {
            if (!renumber.count(c.instrument)) continue;
            c.instrument = renumber.at(c.instrument);
            combined.controlChanges.push_back(c);
        }
    }
    // Drop the InstrumentInfos of tracks without notes (e.g. a format-1 conductor track).
    combined.instrumentInfos.erase(
        std::remove_if(combined.instrumentInfos.begin(), combined.instrumentInfos.end(),
                       [&](const core::InstrumentInfo& info) {
                           return std::none_of(combined.notes.begin(), combined.notes.end(),
                                               [&](const core::Note& n) {
                                                   return n.instrument == info.instrument;
                                               });
                       }),
        combined.instrumentInfos.end());
    combined.recomputeTotalTime();
    return combined;
}

core::Result<QList<int>> MidiDrop::importAsTracks(app::Document& doc, const QStringList& paths) {
    auto incoming = readAll(paths);
    if (!incoming) return incoming.error();
    const QString text = QObject::tr("Drop %1").arg(listForMessage(paths));
    return app::importAsNewTracks(doc, *incoming, text);
}

core::Status MidiDrop::importIntoTrack(app::Document& doc, const QStringList& paths,
                                       int instrument, bool replace) {
    auto incoming = readAll(paths);
    if (!incoming) return incoming.error();
    const QString text = (replace ? QObject::tr("Replace Track with %1")
                                  : QObject::tr("Merge %1 into Track"))
                             .arg(listForMessage(paths));
    if (!app::importIntoTrack(doc, *incoming, instrument, replace, text))
        return core::Error{"the track to drop onto no longer exists"};
    return {};
}

}  // namespace toccata::ui
