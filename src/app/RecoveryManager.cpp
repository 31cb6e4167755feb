#include "app/RecoveryManager.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>

#include "app/Document.h"
#include "app/ProjectFile.h"
#include "core/FileIO.h"

namespace toccata::app {

namespace {

QString lockFor(const QString& recoveryFile) {
    QString base = recoveryFile;
    base.chop(static_cast<int>(qstrlen(RecoveryManager::kRecoverySuffix)));
    return base + RecoveryManager::kLockSuffix;
}

}  // namespace

RecoveryManager::RecoveryManager(const QString& directory)
    : m_directory(directory.isEmpty() ? defaultDirectory() : directory),
      m_session(QString("session-%1-%2")
                    .arg(QCoreApplication::applicationPid())
                    .arg(QRandomGenerator::global()->generate(), 8, 16, QChar('0'))) {}

RecoveryManager::~RecoveryManager() { endSession(); }

QString RecoveryManager::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
}

QString RecoveryManager::recoveryFilePath() const {
    return m_directory + "/" + m_session + kRecoverySuffix;
}

QString RecoveryManager::lockFilePath() const {
    return m_directory + "/" + m_session + kLockSuffix;
}

bool RecoveryManager::startSession() {
    if (!QDir().mkpath(m_directory)) return false;
    const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid()) + "\n";
    m_started = core::writeFileAtomic(lockFilePath().toStdString(), pid.toStdString()).ok();
    return m_started;
}

void RecoveryManager::endSession() {
    if (!m_started) return;
    QFile::remove(recoveryFilePath());
    QFile::remove(lockFilePath());
    m_started = false;
}

bool RecoveryManager::isProcessRunning(qint64 pid) {
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

QStringList RecoveryManager::orphanedRecoveryFiles() const {
    QStringList orphans;
    const QFileInfoList files =
        QDir(m_directory).entryInfoList({QString("*") + kRecoverySuffix}, QDir::Files, QDir::Time);
    for (const QFileInfo& file : files) {
        const QString path = file.absoluteFilePath();
        if (path == QFileInfo(recoveryFilePath()).absoluteFilePath()) continue;
        QFile lock(lockFor(path));
        if (lock.open(QIODevice::ReadOnly)) {
            bool ok = false;
            const qint64 pid = lock.readAll().trimmed().toLongLong(&ok);
            if (ok && isProcessRunning(pid)) continue;  // another running window owns it
        }
        orphans.push_back(path);
    }
    return orphans;
}

bool RecoveryManager::restore(const QString& recoveryFile, Document& doc, QString* error) {
    auto data = ProjectFile::read(recoveryFile);
    if (!data) {
        if (error) *error = QString::fromStdString(data.errorMessage());
        return false;
    }
    doc.restoreUnsaved(data->sequence, data->tracks, data->originalPath);
    return true;
}

void RecoveryManager::discard(const QString& recoveryFile) {
    QFile::remove(recoveryFile);
    QFile::remove(lockFor(recoveryFile));
}

}  // namespace toccata::app
