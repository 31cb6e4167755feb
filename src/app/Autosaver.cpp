#include "app/Autosaver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "app/Document.h"
#include "app/ProjectFile.h"

namespace toccata::app {

Autosaver::Autosaver(Document& doc, const QString& recoveryFile, QObject* parent)
    : QObject(parent), m_doc(doc), m_recoveryFile(recoveryFile), m_savedRevision(doc.revision()) {
    // A document that already has unsaved work is written by the first autosave.
    if (doc.isModified()) m_savedRevision = ~uint64_t{0};
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &Autosaver::autosaveNow);
    connect(&m_doc, &Document::modifiedChanged, this, [this](bool modified) {
        if (!modified) removeRecoveryFile();
    });
}

bool Autosaver::autosaveNow() {
    if (m_doc.revision() == m_savedRevision) return false;
    if (!m_doc.isModified()) {  // changed but back to the saved state: nothing to recover
        removeRecoveryFile();
        m_savedRevision = m_doc.revision();
        return false;
    }
    QDir().mkpath(QFileInfo(m_recoveryFile).absolutePath());
    ProjectData data{m_doc.sequence(), m_doc.tracks(), m_doc.filePath()};
    const core::Status status = ProjectFile::write(data, m_recoveryFile);
    if (!status) {
        emit autosaveFailed(QString::fromStdString(status.errorMessage()));
        return false;
    }
    m_savedRevision = m_doc.revision();
    emit autosaved(m_recoveryFile);
    return true;
}

void Autosaver::removeRecoveryFile() {
    QFile::remove(m_recoveryFile);
    m_savedRevision = m_doc.revision();
}

}  // namespace toccata::app
