// Autosaver: every interval (60 s by default) writes the document to its recovery file, but
// only when it changed since the last autosave; removes the file when the document becomes
// clean (saved, or undone back to the saved state). [ui]
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>

namespace toccata::app {

class Document;

class Autosaver : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 60'000;

    Autosaver(Document& doc, const QString& recoveryFile, QObject* parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }
    QString recoveryFile() const { return m_recoveryFile; }

    /// Writes now if modified since the last autosave; true when a file was written.
    bool autosaveNow();
    /// Deletes the recovery file (clean save, close).
    void removeRecoveryFile();

signals:
    void autosaved(const QString& path);
    void autosaveFailed(const QString& message);

private:
    Document& m_doc;
    QString m_recoveryFile;
    QTimer m_timer;
    uint64_t m_savedRevision;
};

}  // namespace toccata::app
