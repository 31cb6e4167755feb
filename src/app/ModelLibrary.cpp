#include "app/ModelLibrary.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace toccata::app {

ModelLibrary::ModelLibrary(QObject* parent) : QObject(parent) {
    m_added = QSettings().value(kFoldersKey).toStringList();
    refresh();
}

std::vector<ml::ModelRoot> ModelLibrary::roots() const {
    std::vector<std::string> added;
    for (const QString& f : m_added) added.push_back(f.toStdString());
    return ml::ModelCatalog::defaultRoots(added);
}

QString ModelLibrary::userFolder() {
    return QString::fromStdString(ml::ModelCatalog::userModelsFolder());
}

void ModelLibrary::refresh() {
    m_entries = ml::ModelCatalog(roots()).scan();
    emit changed();
}

std::vector<ml::CatalogEntry> ModelLibrary::usable(const std::string& family) const {
    std::vector<ml::CatalogEntry> out;
    for (const ml::CatalogEntry& e : m_entries)
        if (e.ok && e.spec.family == family) out.push_back(e);
    return out;
}

const ml::CatalogEntry* ModelLibrary::find(const QString& folder) const {
    const std::string wanted = folder.toStdString();
    for (const ml::CatalogEntry& e : m_entries)
        if (e.ok && e.folder == wanted) return &e;
    return nullptr;
}

bool ModelLibrary::addFolder(const QString& folder, QString* error) {
    const QFileInfo info(folder);
    if (!info.isDir()) {
        if (error) *error = tr("“%1” is not a folder").arg(folder);
        return false;
    }
    const QString path = QDir::cleanPath(info.absoluteFilePath());
    const std::vector<ml::CatalogEntry> found =
        ml::ModelCatalog({{path.toStdString(), "added"}}).scan();
    if (found.empty()) {
        if (error)
            *error = tr("“%1” holds no model folder (a folder with model.json, or a Magenta.js "
                        "checkpoint with config.json and weights_manifest.json)")
                         .arg(path);
        return false;
    }
    if (!m_added.contains(path)) {
        m_added << path;
        QSettings().setValue(kFoldersKey, m_added);
    }
    refresh();
    return true;
}

void ModelLibrary::removeFolder(const QString& folder) {
    if (m_added.removeAll(folder) == 0) return;
    QSettings().setValue(kFoldersKey, m_added);
    refresh();
}

}  // namespace toccata::app
