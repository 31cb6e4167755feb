#include "ui/tools/TrainingDashboard.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "app/ModelLibrary.h"
#include "app/TrainingRun.h"
#include "ui/tools/LossPlot.h"

namespace toccata::ui {

using app::TrainingRun;

namespace {

QString number(double value, int decimals) {
    return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("—");
}

/// "2.314 · perplexity 10.1"
QString lossText(double loss, double perplexity) {
    if (!std::isfinite(loss)) return QStringLiteral("—");
    QString text = number(loss, 3);
    if (std::isfinite(perplexity))
        text += QObject::tr(" · perplexity %1").arg(number(perplexity, 1));
    return text;
}

QString percent(double fraction) {
    return std::isfinite(fraction) ? QObject::tr("%1 %").arg(number(fraction * 100, 1))
                                   : QStringLiteral("—");
}

QString trainingFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/training";
}

QHBoxLayout* withButton(QWidget* field, QPushButton* button) {
    auto* row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(button);
    return row;
}

}  // namespace

QString TrainingDashboard::configLabel(const QString& config) {
    static const QHash<QString, const char*> kLabels = {
        {"attention_rnn", QT_TR_NOOP("Melody – attention, longer phrases (attention_rnn)")},
        {"lookback_rnn", QT_TR_NOOP("Melody – lookback, repeats motifs (lookback_rnn)")},
        {"basic_rnn", QT_TR_NOOP("Melody – basic (basic_rnn)")},
        {"mono_rnn", QT_TR_NOOP("Melody – full pitch range (mono_rnn)")},
        {"drum_kit", QT_TR_NOOP("Drums – full kit (drum_kit)")},
        {"one_drum", QT_TR_NOOP("Drums – one drum (one_drum)")},
        {"chord_pitches_improv", QT_TR_NOOP("Melody over chords (chord_pitches_improv)")},
        {"basic_improv", QT_TR_NOOP("Melody over chords – basic (basic_improv)")},
        {"cat-mel_2bar_small", QT_TR_NOOP("MusicVAE – 2-bar melodies (cat-mel_2bar_small)")},
        {"cat-drums_2bar_small", QT_TR_NOOP("MusicVAE – 2-bar drum beats (cat-drums_2bar_small)")},
        {"groovae_2bar_humanize", QT_TR_NOOP("GrooVAE – humanize drums (groovae_2bar_humanize)")},
        {"groovae_2bar_tap_fixed_velocity",
         QT_TR_NOOP("GrooVAE – tapped rhythm to drums (groovae_2bar_tap_fixed_velocity)")},
        {"groovae_2bar_add_closed_hh",
         QT_TR_NOOP("GrooVAE – add a hi-hat to a beat (groovae_2bar_add_closed_hh)")},
        {"piano_genie", QT_TR_NOOP("Piano Genie – 8 buttons to 88 keys (piano_genie)")}};
    const auto it = kLabels.constFind(config);
    return it == kLabels.constEnd() ? config : tr(it.value());
}

QString TrainingDashboard::formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("—");
    const qint64 s = std::llround(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QChar('0'))
        .arg(s % 60, 2, 10, QChar('0'));
}

TrainingDashboard::TrainingDashboard(app::ModelLibrary& library, QWidget* parent)
    : QDialog(parent),
      m_library(library),
      m_run(new TrainingRun(this)),
      m_dataFolder(new QLineEdit(this)),
      m_config(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_hparams(new QLineEdit(this)),
      m_runFolder(new QLineEdit(this)),
      m_start(new QPushButton(tr("Start"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_resume(new QPushButton(tr("Resume"), this)),
      m_add(new QPushButton(tr("Add to My Models"), this)),
      m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_plot(new LossPlot(this)),
      m_detailsToggle(new QToolButton(this)),
      m_details(new QTabWidget(this)),
      m_stats(new QPlainTextEdit(this)),
      m_log(new QPlainTextEdit(this)) {
    setObjectName("TrainingDashboard");
    setWindowTitle(tr("Train a Model"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setSizeGripEnabled(true);
    resize(760, 720);

    auto* form = new QFormLayout;
    buildForm(form);

    m_start->setToolTip(tr("Train a new model on the MIDI folder"));
    m_stop->setToolTip(tr("Finish the current step, save a checkpoint and stop"));
    m_resume->setToolTip(tr("Continue the run in the run folder from its last checkpoint"));
    m_add->setToolTip(tr("Offer the trained model in the Continue and Generate tools"));
    m_start->setDefault(true);
    connect(m_start, &QPushButton::clicked, this, &TrainingDashboard::start);
    connect(m_stop, &QPushButton::clicked, this, &TrainingDashboard::stop);
    connect(m_resume, &QPushButton::clicked, this, &TrainingDashboard::resume);
    connect(m_add, &QPushButton::clicked, this, &TrainingDashboard::addToLibrary);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);
    buttons->addWidget(m_add);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);

    // The read-outs: caption above value, two rows of four.
    const char* captions[kFieldCount] = {QT_TR_NOOP("Step"),
                                         QT_TR_NOOP("Examples / s"),
                                         QT_TR_NOOP("Elapsed"),
                                         QT_TR_NOOP("Time left"),
                                         QT_TR_NOOP("Train loss"),
                                         QT_TR_NOOP("Eval loss"),
                                         QT_TR_NOOP("Accuracy (train · eval)"),
                                         QT_TR_NOOP("Dataset")};
    auto* grid = new QGridLayout;
    for (int f = 0; f < kDataset; ++f) {
        auto* caption = new QLabel(tr(captions[f]), this);
        caption->setForegroundRole(QPalette::PlaceholderText);
        m_fields[f] = new QLabel(this);
        m_fields[f]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const int row = f < kTrainLoss ? 0 : 2;
        const int column = f < kTrainLoss ? f : f - kTrainLoss;
        grid->addWidget(caption, row, column);
        grid->addWidget(m_fields[f], row + 1, column);
    }
    m_fields[kDataset] = new QLabel(this);
    m_fields[kDataset]->setWordWrap(true);

    m_stats->setReadOnly(true);
    m_stats->setPlaceholderText(tr("What the trainer found in your MIDI folder appears here."));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("Messages from toccata-cli appear here."));
    m_details->addTab(m_stats, tr("Dataset statistics"));
    m_details->addTab(m_log, tr("Log"));
    m_details->setVisible(false);
    m_detailsToggle->setText(tr("Dataset statistics and log"));
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setArrowType(Qt::RightArrow);
    m_detailsToggle->setCheckable(true);
    m_detailsToggle->setAutoRaise(true);
    connect(m_detailsToggle, &QToolButton::toggled, this, [this](bool open) {
        m_details->setVisible(open);
        m_detailsToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addLayout(grid);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_fields[kDataset]);
    layout->addWidget(m_detailsToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_details, 1);
    layout->addWidget(close);

    m_folderPrompt = [this](const QString& title, const QString& start) {
        return QFileDialog::getExistingDirectory(this, title, start);
    };
    connect(m_run, &TrainingRun::stateChanged, this, &TrainingDashboard::onStateChanged);
    connect(m_run, &TrainingRun::datasetReady, this, &TrainingDashboard::onDataset);
    connect(m_run, &TrainingRun::trainingStarted, this, [this](int step, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(std::min(step, total));
        m_fields[kStep]->setText(tr("%1 / %2").arg(step).arg(total));
        m_plot->setTotalSteps(total);
        updatePlot();
        setStatus(step > 0 ? tr("Resumed at step %1 — training…").arg(step) : tr("Training…"));
    });
    connect(m_run, &TrainingRun::progress, this, &TrainingDashboard::onProgress);
    connect(m_run, &TrainingRun::evalResult, this, &TrainingDashboard::onEval);
    connect(m_run, &TrainingRun::checkpointWritten, this, [this](int step, const QString& path) {
        m_log->appendPlainText(tr("Checkpoint at step %1: %2").arg(step).arg(path));
        if (m_run->state() == TrainingRun::State::Running)
            setStatus(tr("Training… (last checkpoint: step %1)").arg(step));
        updateButtons();
    });
    connect(m_run, &TrainingRun::finished, this, &TrainingDashboard::onFinished);
    connect(m_run, &TrainingRun::failed, this, [this](const QString& message) {
        m_log->appendPlainText(message);
        setStatus(message, true);
        updateButtons();
    });
    connect(m_run, &TrainingRun::logLine, m_log, &QPlainTextEdit::appendPlainText);

    resetReadouts();
    onConfigChanged();
    setStatus(tr("Choose a folder of MIDI files and a model type, then press Start."));
    updateButtons();
}

void TrainingDashboard::buildForm(QFormLayout* form) {
    QSettings settings;
    m_dataFolder->setObjectName("TrainingDataFolder");
    m_dataFolder->setPlaceholderText(tr("A folder with your .mid files (subfolders count too)"));
    m_dataFolder->setText(settings.value(kDataFolderKey).toString());
    auto* chooseData = new QPushButton(tr("Choose…"), this);
    connect(chooseData, &QPushButton::clicked, this, &TrainingDashboard::chooseDataFolder);

    for (const QString& config : TrainingRun::configs())
        m_config->addItem(configLabel(config), config);
    const int last = m_config->findData(settings.value(kConfigKey).toString());
    m_config->setCurrentIndex(last >= 0 ? last : 0);
    connect(m_config, &QComboBox::currentIndexChanged, this, &TrainingDashboard::onConfigChanged);

    m_steps->setRange(1, 10'000'000);
    m_steps->setSingleStep(100);
    m_steps->setGroupSeparatorShown(true);
    m_steps->setValue(kDefaultSteps);
    m_steps->setToolTip(tr("How many training steps in all (when resuming: the new total)"));

    m_hparams->setPlaceholderText(tr("optional, e.g. batch_size=64,rnn_layer_sizes=[128,128]"));
    m_hparams->setClearButtonEnabled(true);

    m_runFolder->setObjectName("TrainingRunFolder");
    auto* chooseRun = new QPushButton(tr("Choose…"), this);
    connect(chooseRun, &QPushButton::clicked, this, &TrainingDashboard::chooseRunFolder);
    connect(m_runFolder, &QLineEdit::textChanged, this, &TrainingDashboard::updateButtons);

    form->addRow(tr("MIDI folder:"), withButton(m_dataFolder, chooseData));
    form->addRow(tr("Model type:"), m_config);
    form->addRow(tr("Training steps:"), m_steps);
    form->addRow(tr("Hyper-parameters:"), m_hparams);
    form->addRow(tr("Run folder:"), withButton(m_runFolder, chooseRun));
    m_formWidgets = {m_dataFolder, chooseData,  m_config, m_steps,
                     m_hparams,    m_runFolder, chooseRun};
}

QString TrainingDashboard::statusText() const { return m_status->text(); }

app::TrainingOptions TrainingDashboard::formOptions() const {
    app::TrainingOptions o;
    o.config = m_config->currentData().toString();
    o.dataDir = m_dataFolder->text().trimmed();
    o.runDir = m_runFolder->text().trimmed();
    o.steps = m_steps->value();
    o.hparams = m_hparams->text().trimmed();
    return o;
}

void TrainingDashboard::setStatus(const QString& text, bool error) {
    m_statusIsError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b; font-weight: bold;")
                                  : QString());
}

void TrainingDashboard::updateButtons() {
    const bool active = m_run->isActive();
    const bool stopping = m_run->state() == TrainingRun::State::Stopping;
    for (QWidget* w : m_formWidgets) w->setEnabled(!active);
    m_start->setEnabled(!active);
    m_stop->setEnabled(active);
    m_stop->setText(stopping ? tr("Stop Now") : tr("Stop"));
    m_stop->setToolTip(stopping ? tr("Stop at once, without waiting for the checkpoint")
                                : tr("Finish the current step, save a checkpoint and stop"));
    m_resume->setEnabled(!active && TrainingRun::hasCheckpoints(m_runFolder->text().trimmed()));
    const QString model = m_run->modelPath();
    m_add->setEnabled(!active && !m_added && m_run->state() == TrainingRun::State::Finished &&
                      !model.isEmpty() && QFileInfo::exists(model + "/model.json"));
}

// The whole history: on (re)start, when a resumed run dropped the points after its checkpoint.
void TrainingDashboard::updatePlot() {
    QVector<QPointF> train, eval;
    train.reserve(static_cast<qsizetype>(m_run->trainHistory().size()));
    for (const app::LossPoint& p : m_run->trainHistory()) train << QPointF(p.step, p.loss);
    for (const app::LossPoint& p : m_run->evalHistory()) eval << QPointF(p.step, p.loss);
    m_plot->setSeries(std::move(train), std::move(eval));
}

void TrainingDashboard::resetReadouts() {
    for (QLabel* field : m_fields) field->setText(QStringLiteral("—"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_stats->clear();
    m_plot->clear();
}

void TrainingDashboard::onStateChanged() {
    if (m_run->state() == TrainingRun::State::Stopping)
        setStatus(tr("Stopping… the trainer finishes its current step and saves a checkpoint."));
    if (m_run->state() != TrainingRun::State::Running) {
        // No busy indicator once the trainer is gone.
        if (m_progress->maximum() == 0) m_progress->setRange(0, 1);
    }
    updateButtons();
}

void TrainingDashboard::onDataset() {
    const app::TrainingDataset& d = m_run->dataset();
    m_fields[kDataset]->setText(tr("MIDI files: %1 read, %2 skipped · %3 training and %4 "
                                   "evaluation examples")
                                    .arg(d.filesRead)
                                    .arg(d.filesSkipped)
                                    .arg(d.trainExamples)
                                    .arg(d.evalExamples));
    m_stats->setPlainText(d.stats);
    if (m_run->state() == TrainingRun::State::Running) setStatus(tr("Building the model…"));
}

void TrainingDashboard::onProgress() {
    const app::TrainingProgress& p = m_run->lastProgress();
    const int total = std::max(1, p.totalSteps);
    m_progress->setRange(0, total);
    m_progress->setValue(std::clamp(p.step, 0, total));
    m_plot->setTotalSteps(p.totalSteps);
    m_fields[kStep]->setText(tr("%1 / %2").arg(p.step).arg(p.totalSteps));
    m_fields[kSpeed]->setText(number(p.examplesPerSecond, 1));
    m_fields[kElapsed]->setText(formatDuration(p.elapsedSeconds));
    m_fields[kEta]->setText(formatDuration(p.etaSeconds));
    m_fields[kTrainLoss]->setText(lossText(p.loss, p.perplexity));
    m_fields[kAccuracy]->setText(percent(p.accuracy) +
                                 (m_run->hasEval()
                                      ? QStringLiteral(" · ") + percent(m_run->lastEval().accuracy)
                                      : QString()));
    if (std::isfinite(p.loss)) m_plot->addTrainPoint(QPointF(p.step, p.loss));
}

void TrainingDashboard::onEval() {
    const app::TrainingEval& e = m_run->lastEval();
    QString text = lossText(e.loss, e.perplexity);
    if (e.best) text += tr(" (best so far)");
    m_fields[kEvalLoss]->setText(text);
    m_fields[kAccuracy]->setText(percent(m_run->lastProgress().accuracy) + QStringLiteral(" · ") +
                                 percent(e.accuracy));
    if (std::isfinite(e.loss)) m_plot->addEvalPoint(QPointF(e.step, e.loss));
}

void TrainingDashboard::onFinished(const QString& reason, const QString& modelPath) {
    const int step = m_run->step();
    const QString model =
        modelPath.isEmpty() ? QString() : tr(" The model is in “%1”.").arg(modelPath);
    if (reason == QLatin1String("finished"))
        setStatus(tr("Finished after %1 steps.").arg(step) + model +
                  tr(" Add it to your models to use it."));
    else if (reason == QLatin1String("early_stopping"))
        setStatus(tr("Stopped early at step %1: the evaluation loss stopped improving.").arg(step) +
                  model);
    else
        setStatus(tr("Stopped at step %1. Resume continues from the last checkpoint.").arg(step) +
                  model);
    m_log->appendPlainText(tr("Done (%1) at step %2").arg(reason).arg(step));
    updateButtons();
}

void TrainingDashboard::onConfigChanged() {
    // A default folder we filled in belongs to the old model type: let a new default apply.
    if (!m_autoRunFolder.isEmpty() && m_runFolder->text() == m_autoRunFolder) m_runFolder->clear();
    m_autoRunFolder.clear();
    m_runFolder->setPlaceholderText(
        tr("default: %1").arg(TrainingRun::defaultRunFolder(m_config->currentData().toString())));
}

void TrainingDashboard::start() {
    if (m_run->isActive()) return;
    app::TrainingOptions o = formOptions();
    const bool autoFolder = o.runDir.isEmpty() || o.runDir == m_autoRunFolder;
    if (autoFolder && (o.runDir.isEmpty() || QFileInfo::exists(o.runDir))) {
        o.runDir = TrainingRun::defaultRunFolder(o.config);
        m_autoRunFolder = o.runDir;
        m_runFolder->setText(o.runDir);
    } else if (TrainingRun::hasCheckpoints(o.runDir)) {
        setStatus(tr("The run folder “%1” already holds a training run. Press Resume to "
                     "continue it, or choose another run folder.")
                      .arg(o.runDir),
                  true);
        return;
    }
    QSettings settings;
    if (!o.dataDir.isEmpty()) settings.setValue(kDataFolderKey, o.dataDir);
    settings.setValue(kConfigKey, o.config);
    m_added = false;
    resetReadouts();
    setStatus(tr("Reading your MIDI files…"));
    if (!m_run->start(o)) return;  // the reason is on show already
    m_progress->setRange(0, 0);    // busy until the trainer reports its first step
    m_log->appendPlainText("$ " + TrainingRun::cliPath() + ' ' + m_run->lastArguments().join(' '));
}

void TrainingDashboard::stop() { m_run->stop(); }

void TrainingDashboard::resume() {
    if (m_run->isActive()) return;
    app::TrainingOptions o = formOptions();
    o.resume = true;
    m_added = false;
    if (o.runDir != m_run->options().runDir) resetReadouts();
    setStatus(tr("Resuming the run in “%1”…").arg(o.runDir));
    if (!m_run->start(o)) return;
    m_progress->setRange(0, 0);
    m_log->appendPlainText("$ " + TrainingRun::cliPath() + ' ' + m_run->lastArguments().join(' '));
}

void TrainingDashboard::addToLibrary() {
    const QString model = QDir::cleanPath(QFileInfo(m_run->modelPath()).absoluteFilePath());
    QString error;
    if (!m_library.addFolder(model, &error)) {
        setStatus(tr("Could not add the model: %1").arg(error), true);
        return;
    }
    for (const ml::CatalogEntry& e : m_library.entries()) {
        if (QString::fromStdString(e.folder) != model) continue;
        if (!e.ok) {
            // Listed but unusable: say why instead of offering a broken model.
            m_library.removeFolder(model);
            setStatus(
                tr("The trained model cannot be used: %1").arg(QString::fromStdString(e.error)),
                true);
            return;
        }
        m_added = true;
        setStatus(tr("Added “%1” to your models: the Continue and Generate tools offer it now.")
                      .arg(QString::fromStdString(e.spec.id)));
        break;
    }
    if (!m_added) {
        m_added = true;  // added as a folder of models (the library listed it under another path)
        setStatus(tr("Added “%1” to your models.").arg(model));
    }
    updateButtons();
}

void TrainingDashboard::chooseDataFolder() {
    QString start = m_dataFolder->text().trimmed();
    if (start.isEmpty()) start = QSettings().value(kDataFolderKey, QDir::homePath()).toString();
    const QString folder =
        m_folderPrompt ? m_folderPrompt(tr("Folder with your MIDI files"), start) : QString();
    if (folder.isEmpty()) return;
    m_dataFolder->setText(QDir::toNativeSeparators(folder));
    QSettings().setValue(kDataFolderKey, folder);
}

void TrainingDashboard::chooseRunFolder() {
    QString start = m_runFolder->text().trimmed();
    if (start.isEmpty()) start = trainingFolder();
    const QString folder = m_folderPrompt
                               ? m_folderPrompt(tr("Run folder (checkpoints and the model)"), start)
                               : QString();
    if (folder.isEmpty()) return;
    m_autoRunFolder.clear();
    m_runFolder->setText(QDir::toNativeSeparators(folder));
}

}  // namespace toccata::ui
