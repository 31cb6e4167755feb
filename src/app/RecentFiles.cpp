#include "app/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace toccata::app {

namespace {

void store(const QStringList& paths) { QSettings().setValue(RecentFiles::kSettingsKey, paths); }

}  // namespace

QStringList RecentFiles::list() {
    const QStringList stored = QSettings().value(kSettingsKey).toStringList();
    QStringList existing;
    for (const QString& path : stored)
        if (QFileInfo::exists(path) && !existing.contains(path)) existing.push_back(path);
    while (existing.size() > kMax) existing.removeLast();
    if (existing != stored) store(existing);
    return existing;
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = list();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMax) paths.removeLast();
    store(paths);
}

void RecentFiles::remove(const QString& path) {
    QStringList paths = list();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    store(paths);
}

void RecentFiles::clear() { store({}); }

}  // namespace toccata::app
