#include "app/Document.h"

#include <QFileInfo>

#include "core/SequenceFile.h"

namespace toccata::app {

Document::Document(QObject* parent) : QObject(parent) {}

bool Document::load(const QString& path, QString* error) {
    auto result = core::readSequenceFile(path.toStdString());
    if (!result) {
        if (error) *error = QString::fromStdString(result.errorMessage());
        return false;
    }
    m_sequence = std::move(result).value();
    m_filePath = QFileInfo(path).absoluteFilePath();
    emit changed();
    return true;
}

QString Document::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

}  // namespace toccata::app
