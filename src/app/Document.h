// Document: the piece the user is working on — a NoteSequence (tracks = instruments) and
// where it came from. Owned by the UI thread [ui]; every change goes through here.
#pragma once

#include <QObject>
#include <QString>

#include "core/NoteSequence.h"

namespace toccata::app {

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);

    /// Replaces the document with the file's content (.mid/.midi or NoteSequence .json).
    /// On failure the document is left unchanged and `error` says why, naming the file.
    bool load(const QString& path, QString* error);

    const core::NoteSequence& sequence() const { return m_sequence; }
    QString filePath() const { return m_filePath; }
    /// File name for window titles ("Untitled" for a new document).
    QString displayName() const;

signals:
    void changed();

private:
    core::NoteSequence m_sequence;
    QString m_filePath;
};

}  // namespace toccata::app
