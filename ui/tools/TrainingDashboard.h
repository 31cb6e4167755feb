// TrainingDashboard: Tools ▸ Train a model… — train a model on your own MIDI folder and watch
// it learn. The form picks the folder, model type, steps, hyper-parameters and run folder;
// Start/Stop/Resume drive an app::TrainingRun (toccata-cli train in its own process); progress,
// speed, time, losses, the dataset summary and live loss curves show how it goes; errors are
// shown here and never take the studio down. When done, "Add to my models" puts the trained
// model into the model library so the generation tools offer it. Non-modal; closing the window
// only hides it, training goes on. [ui]
#pragma once

#include <QDialog>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QToolButton;

namespace toccata::app {
class ModelLibrary;
class TrainingRun;
struct TrainingOptions;
}  // namespace toccata::app

namespace toccata::ui {

class LossPlot;

class TrainingDashboard : public QDialog {
    Q_OBJECT
public:
    static constexpr const char* kDataFolderKey = "training/lastDataFolder";
    static constexpr const char* kConfigKey = "training/lastConfig";
    static constexpr int kDefaultSteps = 2000;

    /// The read-outs, for label().
    enum Field {
        kStep,
        kSpeed,
        kElapsed,
        kEta,
        kTrainLoss,
        kEvalLoss,
        kAccuracy,
        kDataset,
        kFieldCount
    };
    /// Asks for a folder (title, where to start); empty = cancelled. Default: QFileDialog.
    using FolderPrompt = std::function<QString(const QString& title, const QString& start)>;

    explicit TrainingDashboard(app::ModelLibrary& library, QWidget* parent = nullptr);

    /// "Melody – attention (attention_rnn)" and so on.
    static QString configLabel(const QString& config);
    /// h:mm:ss; "—" when unknown (NaN or negative).
    static QString formatDuration(double seconds);

    void setFolderPrompt(FolderPrompt prompt) { m_folderPrompt = std::move(prompt); }
    app::TrainingRun& run() const { return *m_run; }

    QLineEdit* dataFolderEdit() const { return m_dataFolder; }
    QComboBox* configBox() const { return m_config; }
    QSpinBox* stepsBox() const { return m_steps; }
    QLineEdit* hparamsEdit() const { return m_hparams; }
    QLineEdit* runFolderEdit() const { return m_runFolder; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* addButton() const { return m_add; }
    QProgressBar* progressBar() const { return m_progress; }
    LossPlot* plot() const { return m_plot; }
    QPlainTextEdit* statsView() const { return m_stats; }
    QPlainTextEdit* logView() const { return m_log; }
    QLabel* label(Field field) const { return m_fields[field]; }
    /// The status line (what is happening, or the error).
    QString statusText() const;
    bool statusIsError() const { return m_statusIsError; }

    /// Start: a fresh run into the run folder (a new default one when left empty).
    void start();
    /// Stop: the trainer finishes its step and saves a checkpoint; again = stop at once.
    void stop();
    /// Resume: continues the run in the run folder from its last checkpoint.
    void resume();
    /// Add to my models: adds the finished run's model folder to the library.
    void addToLibrary();
    /// Choose… buttons.
    void chooseDataFolder();
    void chooseRunFolder();

private:
    void buildForm(QFormLayout* form);
    app::TrainingOptions formOptions() const;
    void setStatus(const QString& text, bool error = false);
    void updateButtons();
    void updatePlot();
    void resetReadouts();
    void onStateChanged();
    void onDataset();
    void onProgress();
    void onEval();
    void onFinished(const QString& reason, const QString& modelPath);
    void onConfigChanged();

    app::ModelLibrary& m_library;
    app::TrainingRun* m_run;
    QLineEdit* m_dataFolder;
    QComboBox* m_config;
    QSpinBox* m_steps;
    QLineEdit* m_hparams;
    QLineEdit* m_runFolder;
    QList<QWidget*> m_formWidgets;  // disabled while the trainer runs
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
    QPushButton* m_add;
    QLabel* m_status;
    QProgressBar* m_progress;
    QLabel* m_fields[kFieldCount] = {};
    LossPlot* m_plot;
    QToolButton* m_detailsToggle;
    QTabWidget* m_details;
    QPlainTextEdit* m_stats;
    QPlainTextEdit* m_log;
    FolderPrompt m_folderPrompt;
    QString m_autoRunFolder;  // the default folder we filled in, replaced when it is used up
    bool m_statusIsError = false;
    bool m_added = false;
};

}  // namespace toccata::ui
