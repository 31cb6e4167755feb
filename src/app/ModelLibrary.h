// ModelLibrary: the models the app offers — ml::ModelCatalog's roots (shipped models, the
// user's models folder, $TOCCATA_MODELS_PATH) plus folders the user added in the model manager
// (kept in QSettings). Scans on refresh(); broken model folders stay listed with their reason
// so the manager can show what is wrong. [ui]
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

#include "ml/ModelCatalog.h"

namespace toccata::app {

class ModelLibrary : public QObject {
    Q_OBJECT
public:
    static constexpr const char* kFoldersKey = "models/addedFolders";

    /// Reads the added folders from QSettings and scans.
    explicit ModelLibrary(QObject* parent = nullptr);

    void refresh();
    const std::vector<ml::CatalogEntry>& entries() const { return m_entries; }
    /// Usable models of one family (e.g. "music_rnn"), in catalog order.
    std::vector<ml::CatalogEntry> usable(const std::string& family) const;
    /// The usable entry whose folder is `folder`, or nullptr.
    const ml::CatalogEntry* find(const QString& folder) const;

    QStringList addedFolders() const { return m_added; }
    /// Adds a folder holding models (or a model folder itself); false with a message naming it
    /// when it does not exist or holds no model folder.
    bool addFolder(const QString& folder, QString* error);
    void removeFolder(const QString& folder);
    /// The folders searched, in order, with where each comes from ("shipped", "user", ...).
    std::vector<ml::ModelRoot> roots() const;
    static QString userFolder();

signals:
    void changed();

private:
    QStringList m_added;
    std::vector<ml::CatalogEntry> m_entries;
};

}  // namespace toccata::app
