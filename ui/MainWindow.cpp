#include "ui/MainWindow.h"

#include <cmath>

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "app/Autosaver.h"
#include "app/ProjectFile.h"
#include "app/RecentFiles.h"
#include "app/RecoveryManager.h"
#include "core/SequenceSummary.h"
#include "ui/TrackList.h"
#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

namespace {

MainWindow::SaveChoice askWithMessageBox(QWidget* parent, const QString& name) {
    const auto button = QMessageBox::warning(
        parent, QObject::tr("Unsaved changes"),
        QObject::tr("Save the changes to “%1” before closing?").arg(name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (button == QMessageBox::Save) return MainWindow::SaveChoice::Save;
    if (button == QMessageBox::Discard) return MainWindow::SaveChoice::Discard;
    return MainWindow::SaveChoice::Cancel;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent, const QString& recoveryDir)
    : QMainWindow(parent),
      m_recovery(std::make_unique<app::RecoveryManager>(recoveryDir)),
      m_trackList(new TrackList(this)),
      m_pianoRoll(new PianoRollView(this)),
      m_summaryLabel(new QLabel(this)) {
    setObjectName("MainWindow");
    m_pianoRoll->setObjectName("PianoRoll");
    m_trackList->setObjectName("TrackList");
    setCentralWidget(m_pianoRoll);

    auto* tracksDock = new QDockWidget(tr("Tracks"), this);
    tracksDock->setObjectName("TracksDock");
    tracksDock->setWidget(m_trackList);
    tracksDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, tracksDock);
    resizeDocks({tracksDock}, {360}, Qt::Horizontal);

    m_savePrompt = [this](const QString& name) { return askWithMessageBox(this, name); };
    m_recoveryPrompt = [this](const QStringList& files) {
        return QMessageBox::question(
                   this, tr("Restore unsaved work?"),
                   tr("Toccata did not close properly last time. Restore the unsaved work "
                      "(%n document(s))?",
                      nullptr, static_cast<int>(files.size())),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes) == QMessageBox::Yes;
    };
    m_pathPrompt = [this](const QString& title, const QString& filter) {
        QSettings settings;
        return QFileDialog::getSaveFileName(this, title,
                                            settings.value("paths/lastOpenDir").toString(), filter);
    };

    // The session's lock file is written once there is unsaved work (before any autosave),
    // so a window that never changes anything leaves no trace in the app-data folder.
    connect(&m_document, &app::Document::modifiedChanged, this, [this](bool modified) {
        if (modified && !m_recovery->isSessionStarted()) m_recovery->startSession();
    });
    m_autosaver = new app::Autosaver(m_document, m_recovery->recoveryFilePath(), this);
    connect(m_autosaver, &app::Autosaver::autosaveFailed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    m_autosaver->start();

    statusBar()->addPermanentWidget(m_summaryLabel);
    statusBar()->showMessage(tr("Open a MIDI file with File → Open (Ctrl+O)"));
    createMenus();
    connect(&m_document, &app::Document::changed, this, &MainWindow::showDocument);
    connect(&m_document, &app::Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(&m_document, &app::Document::filePathChanged, this, &MainWindow::updateTitle);
    resize(1200, 720);
    showDocument();
}

MainWindow::~MainWindow() = default;  // ~RecoveryManager ends the session

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, [this] {
        if (maybeSave()) newDocument();
    });
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::chooseFileToOpen);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName("RecentMenu");
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    updateRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::saveAs);
    file->addAction(tr("&Export MIDI…"), this, &MainWindow::chooseMidiExport);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_document.undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName("UndoAction");
    QAction* redo = m_document.undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName("RedoAction");
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this,
                    [this] { m_pianoRoll->zoomTime(1.25); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this,
                    [this] { m_pianoRoll->zoomTime(0.8); });
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList paths = app::RecentFiles::list();
    for (const QString& path : paths) {
        m_recentMenu
            ->addAction(QFileInfo(path).fileName(), this,
                        [this, path] {
                            if (maybeSave()) openFile(path);
                        })
            ->setToolTip(QDir::toNativeSeparators(path));
    }
    if (!paths.isEmpty()) m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear List"), this, [this] {
        app::RecentFiles::clear();
        updateRecentMenu();
    });
    clear->setEnabled(!paths.isEmpty());
}

void MainWindow::chooseFileToOpen() {
    if (!maybeSave()) return;
    QSettings settings;
    const QString dir = settings.value("paths/lastOpenDir").toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open file"), dir,
        tr("All supported (*.toccata *.mid *.midi *.smf *.json);;Toccata projects (*.toccata);;"
           "MIDI files (*.mid *.midi *.smf);;NoteSequence JSON (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue("paths/lastOpenDir", QFileInfo(path).absolutePath());
    openFile(path);
}

bool MainWindow::openFile(const QString& path) {
    QString error;
    if (!m_document.load(path, &error)) {
        showError(tr("Could not open file"), error);
        return false;
    }
    app::RecentFiles::add(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::save() {
    if (m_document.filePath().isEmpty()) return saveAs();
    return saveTo(m_document.filePath());
}

bool MainWindow::saveAs() {
    QString path = m_pathPrompt(tr("Save project"), tr("Toccata projects (*.toccata)"));
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += QString(".") + app::kProjectSuffix;
    return saveTo(path);
}

bool MainWindow::saveTo(const QString& path) {
    QString error;
    if (!m_document.save(path, &error)) {
        showError(tr("Could not save"), error);
        return false;
    }
    app::RecentFiles::add(path);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::chooseMidiExport() {
    QString path = m_pathPrompt(tr("Export MIDI"), tr("MIDI files (*.mid *.midi)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += ".mid";
    exportMidi(path);
}

bool MainWindow::exportMidi(const QString& path) {
    QString error;
    if (!m_document.exportMidi(path, &error)) {
        showError(tr("Could not export MIDI"), error);
        return false;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::newDocument() { m_document.clear(); }

bool MainWindow::maybeSave() {
    if (!m_document.isModified()) return true;
    switch (m_savePrompt(m_document.displayName())) {
        case SaveChoice::Save: return save();
        case SaveChoice::Discard: return true;
        case SaveChoice::Cancel: return false;
    }
    return false;
}

bool MainWindow::offerRecovery() {
    const QStringList files = m_recovery->orphanedRecoveryFiles();
    if (files.isEmpty()) return false;
    if (!m_recoveryPrompt(files)) {
        for (const QString& file : files) app::RecoveryManager::discard(file);
        return false;
    }
    QString error;
    if (!app::RecoveryManager::restore(files.first(), m_document, &error)) {
        showError(tr("Could not restore"), error);  // the file stays for another try
        return false;
    }
    // Our own autosave now holds the restored work; the old file is no longer needed.
    m_autosaver->autosaveNow();
    app::RecoveryManager::discard(files.first());
    statusBar()->showMessage(tr("Restored unsaved work"), 5000);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_autosaver->stop();
    m_recovery->endSession();
    event->accept();
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — Toccata").arg(m_document.displayName()));
    setWindowModified(m_document.isModified());
}

void MainWindow::showDocument() {
    const core::NoteSequence& seq = m_document.sequence();
    updateTitle();
    m_trackList->setSequence(seq);
    m_pianoRoll->setSequence(seq);
    const core::SequenceSummary summary = core::summarize(seq);
    const int seconds = static_cast<int>(std::lround(summary.duration));
    m_summaryLabel->setText(tr("%n track(s)", nullptr, static_cast<int>(summary.tracks.size())) +
                            " · " + tr("%n note(s)", nullptr, static_cast<int>(summary.noteCount)) +
                            " · " +
                            tr("%1 bars · %2:%3")
                                .arg(summary.bars)
                                .arg(seconds / 60)
                                .arg(seconds % 60, 2, 10, QChar('0')));
}

void MainWindow::showError(const QString& title, const QString& message) {
    statusBar()->showMessage(message, 10000);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName("ErrorMessage");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // non-modal for the event loop: the app keeps running
}

}  // namespace toccata::ui
