#include "ui/tools/ModelManagerDialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "app/ModelLibrary.h"

namespace toccata::ui {

namespace {
QString str(const std::string& s) { return QString::fromStdString(s); }

QString provenanceOf(const ml::ModelSpec& spec) {
    const core::JsonValue* corpus = spec.provenance.find("corpus");
    if (corpus && corpus->isString()) {
        QString text = str(corpus->asString());
        if (const core::JsonValue* steps = spec.provenance.find("trainingSteps"))
            text += QObject::tr(", %1 steps").arg(steps->asInt());
        return text;
    }
    return QObject::tr("not recorded");
}
}  // namespace

ModelManagerDialog::ModelManagerDialog(app::ModelLibrary& library, QWidget* parent)
    : QDialog(parent),
      m_library(library),
      m_list(new QTreeWidget(this)),
      m_roots(new QLabel(this)),
      m_message(new QLabel(this)),
      m_add(new QPushButton(tr("Add Folder…"), this)),
      m_remove(new QPushButton(tr("Remove Folder"), this)) {
    setObjectName("ModelManagerDialog");
    setWindowTitle(tr("Models"));
    resize(980, 420);
    m_list->setColumnCount(kColumnCount);
    m_list->setHeaderLabels({tr("Model"), tr("Family"), tr("Config"), tr("Format"),
                             tr("Trained on / source"), tr("From"), tr("Folder")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_roots->setWordWrap(true);
    m_roots->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setWordWrap(true);

    auto* openUser = new QPushButton(tr("Open My Models Folder"), this);
    openUser->setToolTip(app::ModelLibrary::userFolder());
    connect(openUser, &QPushButton::clicked, this, [] {
        const QString folder = app::ModelLibrary::userFolder();
        QDir().mkpath(folder);
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
    auto* rescan = new QPushButton(tr("Rescan"), this);
    connect(rescan, &QPushButton::clicked, &m_library, &app::ModelLibrary::refresh);
    connect(m_add, &QPushButton::clicked, this, &ModelManagerDialog::addFolder);
    connect(m_remove, &QPushButton::clicked, this, &ModelManagerDialog::removeSelectedFolder);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        m_remove->setEnabled(item && !addedRootOf(item->text(kFolder)).isEmpty());
    });
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(rescan);
    buttons->addWidget(openUser);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_roots);
    layout->addLayout(buttons);

    m_folderPrompt = [this] {
        return QFileDialog::getExistingDirectory(this, tr("Folder with models"), QDir::homePath());
    };
    connect(&m_library, &app::ModelLibrary::changed, this, &ModelManagerDialog::rebuild);
    rebuild();
}

QString ModelManagerDialog::messageText() const { return m_message->text(); }

QString ModelManagerDialog::addedRootOf(const QString& folder) const {
    for (const QString& root : m_library.addedFolders())
        if (folder == root || folder.startsWith(root + '/')) return root;
    return {};
}

void ModelManagerDialog::rebuild() {
    m_list->clear();
    int usable = 0;
    for (const ml::CatalogEntry& e : m_library.entries()) {
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(kFolder, str(e.folder));
        item->setText(kOrigin, str(e.origin));
        if (!e.ok) {
            item->setText(kId, QDir(str(e.folder)).dirName());
            item->setText(kConfig, tr("cannot be used"));
            item->setText(kProvenance, str(e.error));
            for (int c = 0; c < kColumnCount; ++c) {
                item->setForeground(c, QColor(0xc0, 0x39, 0x2b));
                item->setToolTip(c, str(e.error));
            }
            continue;
        }
        ++usable;
        item->setText(kId, str(e.spec.id));
        item->setText(kFamily, str(e.spec.family));
        item->setText(kConfig, str(e.spec.config));
        item->setText(kFormat, e.spec.format == ml::ModelSpec::Format::MagentaJs
                                   ? tr("Magenta.js checkpoint")
                                   : tr("Toccata model"));
        item->setText(kProvenance, provenanceOf(e.spec));
        item->setToolTip(kId, str(e.spec.description));
    }
    QStringList roots;
    for (const ml::ModelRoot& r : m_library.roots())
        roots << QStringLiteral("%1 (%2)").arg(str(r.folder), str(r.origin));
    m_roots->setText(tr("Searched: %1").arg(roots.join(QStringLiteral(" · "))));
    if (m_library.entries().empty())
        m_message->setText(tr("No models yet. Add a folder with Toccata models or Magenta.js "
                              "checkpoints (config.json + weights_manifest.json), or put them "
                              "into your models folder."));
    else
        m_message->setText(tr("%n usable model(s).", nullptr, usable));
    m_remove->setEnabled(false);
}

void ModelManagerDialog::addFolder() {
    const QString folder = m_folderPrompt ? m_folderPrompt() : QString();
    if (folder.isEmpty()) return;
    QString error;
    if (!m_library.addFolder(folder, &error)) m_message->setText(error);
}

void ModelManagerDialog::removeSelectedFolder() {
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item) return;
    const QString root = addedRootOf(item->text(kFolder));
    if (!root.isEmpty()) m_library.removeFolder(root);
}

}  // namespace toccata::ui
