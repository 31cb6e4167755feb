#include "ui/MainWindow.h"

#include <algorithm>
#include <cmath>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "app/Autosaver.h"
#include "app/DocumentExcerpt.h"
#include "app/GenerationService.h"
#include "app/GhostTakes.h"
#include "app/ModelLibrary.h"
#include "app/PianoGenieController.h"
#include "app/ProjectFile.h"
#include "app/RecentFiles.h"
#include "app/RecoveryManager.h"
#include "app/VaeGeneration.h"
#include "core/SequenceSummary.h"
#include "ui/TrackList.h"
#include "ui/dragdrop/MidiDrag.h"
#include "ui/dragdrop/MidiDrop.h"
#include "ui/genie/PianoGeniePanel.h"
#include "ui/pianoroll/PianoRollPanel.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/tools/DrumifyPanel.h"
#include "ui/tools/GroovePanel.h"
#include "ui/tools/InterpolatePanel.h"
#include "ui/tools/ModelManagerDialog.h"
#include "ui/tools/RnnToolPanel.h"
#include "ui/tools/ToolsDock.h"
#include "ui/tools/TrainingDashboard.h"
#if TOCCATA_HAVE_AUDIO
#include "app/PlaybackController.h"
#include "ui/AudioExporter.h"
#include "ui/SettingsDialog.h"
#include "ui/TransportBar.h"
#if TOCCATA_HAVE_ANALYSIS
#include "ui/rainbowgram/RainbowgramDock.h"
#endif
#endif
#if TOCCATA_HAVE_MIDI
#include "app/MidiController.h"
#endif

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
      m_ghostTakes(new app::GhostTakes(this)),
      m_rollPanel(new PianoRollPanel(this)),
      m_pianoRoll(m_rollPanel->view()),
      m_summaryLabel(new QLabel(this)) {
    setObjectName("MainWindow");
    m_trackList->setObjectName("TrackList");
    setCentralWidget(m_rollPanel);
    m_rollPanel->setDocument(&m_document);
    m_rollPanel->setGhostTakes(m_ghostTakes);

    createDocks();
    // The roll edits the track selected in the list; clicking another track's note selects it.
    connect(m_trackList, &TrackList::currentTrackChanged, m_pianoRoll, [this](int instrument) {
        if (instrument >= 0) m_pianoRoll->setCurrentTrack(instrument);
    });
    connect(m_pianoRoll, &PianoRollView::currentTrackRequested, m_trackList,
            &TrackList::setCurrentInstrument);
    connect(m_pianoRoll, &PianoRollView::currentTrackChanged, m_trackList,
            &TrackList::setCurrentInstrument);
    connect(m_pianoRoll, &PianoRollView::selectionDragRequested, this,
            &MainWindow::dragSelectionOut);
    setAcceptDrops(true);

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
    createTransport();
    createTools();
    createPianoGenie();
    connect(&m_document, &app::Document::changed, this, &MainWindow::showDocument);
    connect(&m_document, &app::Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(&m_document, &app::Document::filePathChanged, this, &MainWindow::updateTitle);
    restoreWindowLayout();
    showDocument();
}

MainWindow::~MainWindow() {
    // ~RecoveryManager ends the session. The document dies after it and its undo stack
    // reports "clean" on the way out; nobody may hear that (the recovery manager is gone).
    m_document.blockSignals(true);
    // The Piano Genie panel goes while the controller it plays is still there.
    delete m_genieDock;
}

void MainWindow::createDocks() {
    // Tracks: the list with add/remove buttons above it.
    auto* tracksPanel = new QWidget(this);
    auto* tracksLayout = new QVBoxLayout(tracksPanel);
    tracksLayout->setContentsMargins(0, 0, 0, 0);
    tracksLayout->setSpacing(0);
    auto* trackBar = new QToolBar(tracksPanel);
    trackBar->setIconSize(QSize(16, 16));
    QAction* add =
        trackBar->addAction(tr("+ Track"), m_trackList, [this] { m_trackList->addTrack(); });
    add->setToolTip(tr("Add an empty track"));
    add->setObjectName("AddTrackAction");
    QAction* remove = trackBar->addAction(tr("− Track"), m_trackList,
                                          [this] { m_trackList->removeCurrentTrack(); });
    remove->setToolTip(tr("Remove the selected track and its notes (undoable)"));
    remove->setObjectName("RemoveTrackAction");
    tracksLayout->addWidget(trackBar);
    tracksLayout->addWidget(m_trackList);
    m_trackList->setDocument(&m_document);
    connect(m_trackList, &TrackList::filesDropped, this,
            [this](const QStringList& paths, int instrument) { dropFiles(paths, instrument); });
    connect(m_trackList, &TrackList::dropRejected, this,
            [this](const QString& message) { showError(tr("Cannot drop"), message); });
    connect(m_trackList, &TrackList::trackDragFailed, this,
            [this](const QString& message) { showError(tr("Cannot drag the track"), message); });

    auto* tracksDock = new QDockWidget(tr("Tracks"), this);
    tracksDock->setObjectName("TracksDock");
    tracksDock->setWidget(tracksPanel);
    tracksDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, tracksDock);

    m_toolsDock = new ToolsDock(this);
    m_toolsDock->setObjectName("ToolsDock");
    auto* toolsDock = new QDockWidget(tr("Tools"), this);
    toolsDock->setObjectName("ToolsDockWidget");
    toolsDock->setWidget(m_toolsDock);
    toolsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                           QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, toolsDock);
    resizeDocks({tracksDock, toolsDock}, {300, 330}, Qt::Horizontal);

    m_trackDropPrompt = [this](const QString& track, const QStringList&) {
        QMenu menu(this);
        QAction* replace = menu.addAction(tr("Replace the notes of “%1”").arg(track));
        QAction* merge = menu.addAction(tr("Merge into “%1”").arg(track));
        QAction* tracks = menu.addAction(tr("Add as new tracks"));
        menu.addSeparator();
        menu.addAction(tr("Cancel"));
        QAction* chosen = menu.exec(QCursor::pos());
        if (chosen == replace) return TrackDropChoice::Replace;
        if (chosen == merge) return TrackDropChoice::Merge;
        if (chosen == tracks) return TrackDropChoice::NewTracks;
        return TrackDropChoice::Cancel;
    };
}

bool MainWindow::dropFiles(const QStringList& paths, int instrument) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths) urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const DroppedFiles files = MidiDrop::classify(&mime);
    if (!files.unsupported.isEmpty()) {
        QStringList names;
        for (const QString& p : files.unsupported) names << QFileInfo(p).fileName();
        showError(tr("Cannot drop"),
                  tr("Toccata cannot read %1 (it reads .mid, .midi, .smf, NoteSequence .json "
                     "and .toccata projects). Nothing was changed.")
                      .arg(names.join(", ")));
        return false;
    }
    if (!files.projects.isEmpty()) {
        if (!files.sequences.isEmpty() || files.projects.size() > 1) {
            showError(tr("Cannot drop"), tr("Drop one project on its own to open it."));
            return false;
        }
        return maybeSave() && openFile(files.projects.first());
    }
    if (files.sequences.isEmpty()) return false;

    TrackDropChoice choice = TrackDropChoice::NewTracks;
    if (instrument >= 0 && m_document.trackIndex(instrument) >= 0) {
        const int row = m_trackList->rowOf(instrument);
        const QString name =
            row >= 0 ? m_trackList->topLevelItem(row)->text(TrackList::kName) : QString();
        choice = m_trackDropPrompt(name, files.sequences);
    }
    if (choice == TrackDropChoice::Cancel) return false;
    if (choice == TrackDropChoice::NewTracks) {
        auto added = MidiDrop::importAsTracks(m_document, files.sequences);
        if (!added) {
            showError(tr("Cannot drop"), QString::fromStdString(added.errorMessage()));
            return false;
        }
        if (!added->isEmpty()) m_trackList->setCurrentInstrument(added->first());
        statusBar()->showMessage(tr("Added %n track(s)", nullptr, static_cast<int>(added->size())),
                                 5000);
        return true;
    }
    const core::Status status = MidiDrop::importIntoTrack(m_document, files.sequences, instrument,
                                                          choice == TrackDropChoice::Replace);
    if (!status) {
        showError(tr("Cannot drop"), QString::fromStdString(status.errorMessage()));
        return false;
    }
    return true;
}

void MainWindow::dragSelectionOut() {
    const app::NoteIds ids = m_pianoRoll->selectedNotes();
    if (ids.isEmpty()) return;
    const core::NoteSequence excerpt = app::notesExcerpt(m_document, ids);
    const QString name = app::midiFileNameFor({m_document.displayName(), tr("selection")});
    QString error;
    if (!MidiDrag::start(m_pianoRoll, excerpt, name, &error))
        showError(tr("Cannot drag the selection"), error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (MidiDrop::accepts(event->mimeData()) && event->source() == nullptr)
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (MidiDrop::accepts(event->mimeData()) && event->source() == nullptr)
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        paths << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    event->acceptProposedAction();
    // Leave the drop handler before any prompt or message box opens.
    QMetaObject::invokeMethod(
        this, [this, paths] { dropFiles(paths, -1); }, Qt::QueuedConnection);
}

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
#if TOCCATA_HAVE_AUDIO
    QAction* exportAudio = file->addAction(tr("Export &Audio…"), this,
                                           [this] { m_exporter->chooseAndExport(m_pathPrompt); });
    exportAudio->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportAudio->setObjectName("ExportAudioAction");
#endif
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
    edit->addSeparator();
    // The piano roll's edits; their keys work while the roll has focus.
    using Edit = PianoRollView::EditAction;
    for (Edit which : {Edit::SelectAll, Edit::Delete, Edit::Duplicate, Edit::Quantize,
                       Edit::TransposeUp, Edit::TransposeDown, Edit::OctaveUp, Edit::OctaveDown})
        edit->addAction(m_pianoRoll->editAction(which));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_viewMenu = view;
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this,
                    [this] { m_pianoRoll->zoomTime(1.25); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this,
                    [this] { m_pianoRoll->zoomTime(0.8); });
}

void MainWindow::createTools() {
    m_models = new app::ModelLibrary(this);
    m_generation = new app::GenerationService(this);
    auto cache = std::make_shared<app::RnnModelCache>();
    const std::function<ToolContext()> context = [this] {
        ToolContext c;
        c.currentTrack = m_pianoRoll->currentTrack();
        c.selection = m_pianoRoll->selectedNotes();
        c.playheadSeconds = m_pianoRoll->playheadSeconds();
        if (m_pianoRoll->loopEnd() > m_pianoRoll->loopStart())
            c.loop = app::TimeRegion{m_pianoRoll->loopStart(), m_pianoRoll->loopEnd()};
        return c;
    };
    for (const auto mode : {RnnToolPanel::Mode::kContinue, RnnToolPanel::Mode::kGenerate}) {
        auto* panel =
            new RnnToolPanel(mode, m_document, *m_models, *m_generation, *m_ghostTakes, cache);
        panel->setContextProvider(context);
        connect(panel, &RnnToolPanel::manageModelsRequested, this, &MainWindow::openModelManager);
        connect(panel, &RnnToolPanel::resultsShown, this, &MainWindow::showToolResults);
        m_toolsDock->setPanel(
            mode == RnnToolPanel::Mode::kContinue ? ToolsDock::kContinue : ToolsDock::kGenerate,
            panel);
        (mode == RnnToolPanel::Mode::kContinue ? m_continuePanel : m_generatePanel) = panel;
    }
    createVaeTools(context);
    connect(m_generation, &app::GenerationService::started, this,
            [this](quint64, const QString& label) { statusBar()->showMessage(label + "…"); });
    connect(m_generation, &app::GenerationService::failed, this,
            [this](quint64, const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(m_generation, &app::GenerationService::finished, this,
            [this] { statusBar()->clearMessage(); });
#if TOCCATA_HAVE_AUDIO
    // The ghost take on show is what the transport plays beside the song.
    connect(m_ghostTakes, &app::GhostTakes::changed, this, [this] {
        const core::NoteSequence* take = m_ghostTakes->currentTake();
        if (take)
            m_playback->setAuditionSequence(*take, m_ghostTakes->replaces());
        else
            m_playback->clearAudition();
    });
#endif
    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    m_toolsMenu = tools;
    QAction* models = tools->addAction(tr("&Models…"), this, &MainWindow::openModelManager);
    models->setObjectName("ModelManagerAction");
    QAction* train =
        tools->addAction(tr("&Train a model…"), this, &MainWindow::openTrainingDashboard);
    train->setObjectName("TrainingDashboardAction");
}

void MainWindow::createVaeTools(const std::function<ToolContext()>& context) {
    auto cache = std::make_shared<app::VaeModelCache>();
    m_generatePanel->setVaeCache(cache);
    m_interpolatePanel =
        new InterpolatePanel(m_document, *m_models, *m_generation, *m_ghostTakes, cache);
    m_groovePanel = new GroovePanel(m_document, *m_models, *m_generation, *m_ghostTakes, cache);
    m_drumifyPanel = new DrumifyPanel(m_document, *m_models, *m_generation, *m_ghostTakes, cache);
    const std::pair<ToolsDock::Tool, VaeToolPanel*> pages[] = {
        {ToolsDock::kInterpolate, m_interpolatePanel},
        {ToolsDock::kGroove, m_groovePanel},
        {ToolsDock::kDrumify, m_drumifyPanel}};
    for (const auto& [tool, panel] : pages) {
        panel->setContextProvider(context);
        connect(panel, &VaeToolPanel::manageModelsRequested, this, &MainWindow::openModelManager);
        connect(panel, &VaeToolPanel::resultsShown, this, &MainWindow::showToolResults);
        m_toolsDock->setPanel(tool, panel);
    }
}

void MainWindow::createPianoGenie() {
    m_genie = std::make_unique<app::PianoGenieController>(m_document);
#if TOCCATA_HAVE_AUDIO
    m_genie->setPlayback(m_playback.get());
    m_genie->setMidi(m_midi.get());
#endif
    m_geniePanel = new PianoGeniePanel(*m_genie, *m_models, this);
    m_genieDock = new QDockWidget(tr("Piano Genie"), this);
    m_genieDock->setObjectName("PianoGenieDock");
    m_genieDock->setWidget(m_geniePanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_genieDock);
    m_genieDock->hide();

    m_genieAction = new QAction(tr("&Piano Genie"), this);
    m_genieAction->setObjectName("PianoGenieAction");
    m_genieAction->setCheckable(true);
    m_genieAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    m_genieAction->setToolTip(tr("Play the piano with 8 buttons (Ctrl+G)"));
    connect(m_genieAction, &QAction::triggered, this, [this](bool on) {
        if (on)
            openPianoGenie();
        else
            m_genieDock->hide();
    });
    connect(m_genieDock, &QDockWidget::visibilityChanged, m_genieAction,
            [this] { m_genieAction->setChecked(m_genieDock->isVisible()); });
    if (m_toolsMenu) {
        m_toolsMenu->addSeparator();
        m_toolsMenu->addAction(m_genieAction);
    }

    // The tools dock's page says what it is and opens the instrument.
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* what = new QLabel(tr("Play the piano with 8 buttons: computer keys 1–8 or "
                               "A S D F J K L ;, or 8 notes of a MIDI controller. The model "
                               "picks the notes; Space is the sustain pedal; Record makes a "
                               "new track."),
                            page);
    what->setWordWrap(true);
    auto* open = new QPushButton(tr("Open the Piano Genie (Ctrl+G)"), page);
    open->setObjectName("OpenPianoGenie");
    connect(open, &QPushButton::clicked, this, &MainWindow::openPianoGenie);
    layout->addWidget(what);
    layout->addWidget(open);
    layout->addStretch(1);
    m_toolsDock->setPanel(ToolsDock::kPianoGenie, page);

    connect(m_genie.get(), &app::PianoGenieController::takeAdded, this,
            [this](int instrument, int notes) {
                m_trackList->setCurrentInstrument(instrument);
                statusBar()->showMessage(
                    tr("Piano Genie: recorded %n note(s) into a new track", nullptr, notes), 5000);
            });
}

void MainWindow::openPianoGenie() {
    m_genieDock->show();
    m_genieDock->raise();
    m_geniePanel->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::showToolResults(double from, bool play) {
    m_pianoRoll->scrollToTime(from);
#if TOCCATA_HAVE_AUDIO
    if (play) {
        m_playback->seek(from);
        m_playback->play();
    }
#else
    (void)play;
#endif
}

void MainWindow::openModelManager() {
    if (!m_modelManager) {
        m_modelManager = new ModelManagerDialog(*m_models, this);
        m_modelManager->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_models->refresh();
    m_modelManager->show();
    m_modelManager->raise();
}

TrainingDashboard* MainWindow::openTrainingDashboard() {
    if (!m_trainingDashboard) m_trainingDashboard = new TrainingDashboard(*m_models, this);
    m_trainingDashboard->show();
    m_trainingDashboard->raise();
    m_trainingDashboard->activateWindow();
    return m_trainingDashboard;
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
    saveWindowLayout();
    event->accept();
}

namespace {
constexpr const char* kGeometryKey = "window/geometry";
constexpr const char* kLayoutKey = "window/layout";
}  // namespace

void MainWindow::restoreWindowLayout() {
    // The studio reopens as it was left: size, position, docks and toolbars.
    QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) {
        const QScreen* screen = QGuiApplication::primaryScreen();
        const QSize room = screen ? screen->availableSize() : QSize(1280, 800);
        resize(std::max(900, room.width() * 5 / 6), std::max(600, room.height() * 5 / 6));
    }
    restoreState(settings.value(kLayoutKey).toByteArray());
}

void MainWindow::saveWindowLayout() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kLayoutKey, saveState());
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — Toccata").arg(m_document.displayName()));
    setWindowModified(m_document.isModified());
}

void MainWindow::showDocument() {
    const core::NoteSequence& seq = m_document.sequence();
    updateTitle();
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

// ---- Transport, audio and MIDI ----------------------------------------------------------------

void MainWindow::createTransport() {
#if TOCCATA_HAVE_AUDIO
    QSettings store;
    m_audioSettings = app::AudioSettings::load(store);
    m_playback = std::make_unique<app::PlaybackController>(m_document);
    m_transport = new TransportBar(*m_playback, this);
    addToolBar(Qt::TopToolBarArea, m_transport);
    m_engineLabel = new QLabel(this);
    m_engineLabel->setObjectName("EngineStatus");
    statusBar()->addPermanentWidget(m_engineLabel);
    m_midiLabel = new QLabel(this);
    m_midiLabel->setObjectName("MidiStatus");
    statusBar()->addPermanentWidget(m_midiLabel);
    connect(m_playback.get(), &app::PlaybackController::engineStatusChanged, m_engineLabel,
            &QLabel::setText);
    connect(m_playback.get(), &app::PlaybackController::soundFontFailed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(&m_document, &app::Document::changed, m_transport,
            [this] { m_transport->setTiming(m_document.sequence()); });

    // The piano roll shows the playhead and the loop; clicking its ruler seeks.
    m_pianoRoll->setFollowPlayhead(m_transport->followAction()->isChecked());
    connect(m_playback.get(), &app::PlaybackController::playheadMoved, m_pianoRoll,
            &PianoRollView::setPlayheadSeconds);
    connect(m_playback.get(), &app::PlaybackController::loopChanged, m_pianoRoll,
            &PianoRollView::setLoopRange);
    connect(m_transport, &TransportBar::followPlayheadChanged, m_pianoRoll,
            &PianoRollView::setFollowPlayhead);
    connect(m_pianoRoll, &PianoRollView::seekRequested, m_playback.get(),
            &app::PlaybackController::seek);
    connect(m_pianoRoll, &PianoRollView::loopRangeEdited, m_playback.get(),
            &app::PlaybackController::setLoopRange);

    m_exporter = new AudioExporter(m_document, m_pianoRoll, *m_playback, this);
    connect(m_exporter, &AudioExporter::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(m_exporter, &AudioExporter::error, this, &MainWindow::showError);
#if TOCCATA_HAVE_ANALYSIS
    m_rainbowgram = new RainbowgramDock(m_document, m_pianoRoll, *m_playback, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_rainbowgram);
    m_rainbowgram->hide();
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_rainbowgram->toggleAction());
#endif

#if TOCCATA_HAVE_MIDI
    m_midi = std::make_unique<app::MidiController>(m_document, *m_playback);
    m_transport->setMidiController(m_midi.get());
    connect(m_midi.get(), &app::MidiController::statusChanged, m_midiLabel, &QLabel::setText);
    connect(m_midi.get(), &app::MidiController::statusChanged, this, [this](const QString& text) {
        if (text.contains(tr("disconnected"))) statusBar()->showMessage(text, 10000);
    });
    connect(m_midi.get(), &app::MidiController::takeRecorded, this, [this](int notes) {
        statusBar()->showMessage(tr("Recorded %n note(s)", nullptr, notes), 5000);
    });
    // Recording and monitoring go to the track being edited.
    connect(m_trackList, &TrackList::currentTrackChanged, m_midi.get(), [this](int instrument) {
        if (instrument >= 0) m_midi->setCurrentTrack(instrument);
    });
    connect(m_pianoRoll, &PianoRollView::currentTrackRequested, m_midi.get(),
            [this](int instrument) {
                if (instrument >= 0) m_midi->setCurrentTrack(instrument);
            });
#endif

    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QAction* audio =
        settings->addAction(tr("&Audio and MIDI…"), this, &MainWindow::openAudioSettings);
    audio->setObjectName("AudioSettingsAction");
    QAction* panic = settings->addAction(tr("&Panic — All Notes Off"), m_playback.get(),
                                         &app::PlaybackController::panic);
    panic->setObjectName("PanicAction");

    // Applied at start; without a device the app still runs (the status bar says why).
    (void)m_playback->applySettings(m_audioSettings);
    if (m_midi) m_midi->applySettings(m_audioSettings);
    m_engineLabel->setText(m_playback->engineStatusText());
    if (m_midi) m_midiLabel->setText(m_midi->statusText());
#endif
}

#if TOCCATA_HAVE_AUDIO
void MainWindow::openAudioSettings() {
    auto* dialog = new SettingsDialog(*m_playback, m_midi.get(), m_audioSettings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this,
            [this](const app::AudioSettings& applied) { m_audioSettings = applied; });
    dialog->open();
}

QString MainWindow::engineStatusText() const { return m_engineLabel->text(); }
#endif

}  // namespace toccata::ui
