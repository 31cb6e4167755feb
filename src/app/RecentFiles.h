// RecentFiles: the File ▸ Open Recent list in QSettings ("recentFiles"): at most kMax paths,
// most recent first, files that no longer exist dropped when read. [ui]
#pragma once

#include <QString>
#include <QStringList>

namespace toccata::app {

class RecentFiles {
public:
    static constexpr int kMax = 10;
    static constexpr const char* kSettingsKey = "recentFiles";

    /// Existing files, most recent first.
    static QStringList list();
    /// Moves (or inserts) `path` to the front.
    static void add(const QString& path);
    static void remove(const QString& path);
    static void clear();
};

}  // namespace toccata::app
