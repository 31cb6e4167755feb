// RecoveryManager: crash recovery files. Each running window has a session: a lock file
// "<session>.lock" holding the PID of its process, and the recovery file
// "<session>.toccata-recovery" the Autosaver writes. A recovery file whose lock is missing or
// names a PID that no longer runs was left by a crash and can be restored. [ui]
#pragma once

#include <QString>
#include <QStringList>

namespace toccata::app {

class Document;

class RecoveryManager {
public:
    static constexpr const char* kRecoverySuffix = ".toccata-recovery";
    static constexpr const char* kLockSuffix = ".lock";

    /// `directory` empty = defaultDirectory().
    explicit RecoveryManager(const QString& directory = {});
    ~RecoveryManager();  // ends the session (removes lock and recovery file)
    RecoveryManager(const RecoveryManager&) = delete;
    RecoveryManager& operator=(const RecoveryManager&) = delete;

    /// QStandardPaths::AppDataLocation + "/recovery".
    static QString defaultDirectory();
    QString directory() const { return m_directory; }

    /// Creates this session's lock file (PID of this process). False when not writable.
    bool startSession();
    bool isSessionStarted() const { return m_started; }
    /// Removes this session's lock and recovery file.
    void endSession();
    QString recoveryFilePath() const;
    QString lockFilePath() const;

    /// Recovery files left by sessions that are no longer running, newest first.
    QStringList orphanedRecoveryFiles() const;
    /// Loads a recovery file into `doc` as unsaved changes (title keeps the original file).
    static bool restore(const QString& recoveryFile, Document& doc, QString* error);
    /// Deletes a recovery file and its lock.
    static void discard(const QString& recoveryFile);
    /// True when a process with this PID runs (POSIX kill(pid, 0)).
    static bool isProcessRunning(qint64 pid);

private:
    QString m_directory;
    QString m_session;
    bool m_started = false;
};

}  // namespace toccata::app
