#include "ui/MainWindow.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "core/SequenceSummary.h"
#include "ui/TrackList.h"
#include "ui/pianoroll/PianoRollView.h"

namespace toccata::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
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

    statusBar()->addPermanentWidget(m_summaryLabel);
    statusBar()->showMessage(tr("Open a MIDI file with File → Open (Ctrl+O)"));
    createMenus();
    connect(&m_document, &app::Document::changed, this, &MainWindow::showDocument);
    resize(1200, 720);
    showDocument();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFileToOpen);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this,
                    [this] { m_pianoRoll->zoomTime(1.25); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this,
                    [this] { m_pianoRoll->zoomTime(0.8); });
}

void MainWindow::chooseFileToOpen() {
    QSettings settings;
    const QString dir = settings.value("paths/lastOpenDir").toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open MIDI file"), dir,
        tr("MIDI files (*.mid *.midi *.smf);;NoteSequence JSON (*.json);;All files (*)"));
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
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::showDocument() {
    const core::NoteSequence& seq = m_document.sequence();
    setWindowTitle(tr("%1 — Toccata").arg(m_document.displayName()));
    m_trackList->setSequence(seq);
    m_pianoRoll->setSequence(seq);
    const core::SequenceSummary summary = core::summarize(seq);
    const int seconds = static_cast<int>(summary.duration + 0.5);
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
