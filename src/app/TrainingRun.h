// TrainingRun: one training run of `toccata-cli train`, in its own process so that a crash in
// training never takes the studio down. Builds the command line, owns the QProcess, reads the
// `--progress json` lines (one JSON object per stdout line) into signals, and keeps the loss
// history for the dashboard's plot. Stop asks the trainer to finish its step and checkpoint
// (SIGTERM); Resume starts it again with --resume on the same run folder. QtCore only. [ui]
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <vector>

namespace toccata::app {

/// What to train, as the dashboard's form says it.
struct TrainingOptions {
    QString config;   ///< one of TrainingRun::configs()
    QString dataDir;  ///< the user's MIDI folder
    QString runDir;   ///< checkpoints, logs and the finished model go here
    int steps = 2000;
    QString hparams;  ///< "k=v,k=v" (values may be lists: layer_sizes=[64,64]); empty = none
    bool resume = false;
};

/// {"event":"dataset"}: what the trainer made of the MIDI folder.
struct TrainingDataset {
    int filesRead = 0;
    int filesSkipped = 0;
    int trainExamples = 0;
    int evalExamples = 0;
    QString stats;  ///< multi-line text
};

/// {"event":"train"}; numbers the trainer left out are NaN.
struct TrainingProgress {
    int step = 0;
    int totalSteps = 0;
    double loss = 0, perplexity = 0, accuracy = 0, learningRate = 0;
    double examplesPerSecond = 0, elapsedSeconds = 0, etaSeconds = 0;
};

/// {"event":"eval"}; numbers the trainer left out are NaN.
struct TrainingEval {
    int step = 0;
    double loss = 0, perplexity = 0, accuracy = 0;
    bool best = false;
};

struct LossPoint {
    int step = 0;
    double loss = 0;
};

class TrainingRun : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Stopping, Finished, Failed };

    explicit TrainingRun(QObject* parent = nullptr);
    /// Stops a running trainer gracefully (it checkpoints), killing it after a few seconds.
    ~TrainingRun() override;

    /// The configs the trainer knows (music_rnn, then music_vae), in the order the dashboard
    /// offers them.
    static const QStringList& configs();
    /// "music_rnn" or "music_vae": the --family of a config.
    static QString familyOf(const QString& config);
    /// $TOCCATA_CLI, else toccata-cli next to the app executable.
    static QString cliPath();
    /// The arguments after the program: train --family music_rnn --config ... --progress json.
    static QStringList arguments(const TrainingOptions& options);
    /// "" when the options can be started, else a message naming the bad folder or value.
    /// With resume the run folder must exist; without, the data folder must hold MIDI files.
    static QString validate(const TrainingOptions& options);
    /// "" when `hparams` is empty or k=v pairs, else what is wrong with it.
    static QString validateHparams(const QString& hparams);
    /// AppDataLocation/training/<config>-<yyyy-MM-dd>, with -2, -3... when that one exists.
    static QString defaultRunFolder(const QString& config);
    /// True when `runDir` holds checkpoints of an earlier run (so Resume can continue it).
    static bool hasCheckpoints(const QString& runDir);

    /// Validates and starts the trainer; false (after `failed`) when it cannot.
    bool start(const TrainingOptions& options);
    /// Running: SIGTERM (finish the step, checkpoint, done "stopped"). Stopping: kill now.
    void stop();
    /// Starts again with --resume on the last run folder (steps may be changed).
    bool resume(int steps);

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Running || m_state == State::Stopping; }
    const TrainingOptions& options() const { return m_options; }
    QStringList lastArguments() const { return m_lastArguments; }
    int step() const { return m_step; }
    int totalSteps() const { return m_totalSteps; }
    const TrainingDataset& dataset() const { return m_dataset; }
    const TrainingProgress& lastProgress() const { return m_progress; }
    const TrainingEval& lastEval() const { return m_eval; }
    bool hasEval() const { return m_hasEval; }
    const std::vector<LossPoint>& trainHistory() const { return m_trainHistory; }
    const std::vector<LossPoint>& evalHistory() const { return m_evalHistory; }
    QString lastCheckpoint() const { return m_checkpoint; }
    /// After `finished`: "finished", "stopped" or "early_stopping", and the model folder.
    QString reason() const { return m_reason; }
    QString modelPath() const { return m_modelPath; }
    /// After `failed`: the message shown to the user.
    QString errorMessage() const { return m_error; }

    /// Reads one stdout line of `--progress json`. Lines that are not JSON objects go to
    /// logLine; unknown events are ignored (newer trainers may add some). Public for tests.
    void handleLine(const QByteArray& line);

signals:
    void stateChanged(toccata::app::TrainingRun::State state);
    void datasetReady(const toccata::app::TrainingDataset& dataset);
    /// {"event":"start"}: the first step of this process (> 0 when resuming) and the total.
    void trainingStarted(int step, int totalSteps);
    void progress(const toccata::app::TrainingProgress& progress);
    void evalResult(const toccata::app::TrainingEval& eval);
    void checkpointWritten(int step, const QString& path);
    /// The trainer exited after done (or after Stop); modelPath may be "" if stopped early.
    void finished(const QString& reason, const QString& modelPath);
    void failed(const QString& message);
    /// stderr and stray stdout lines, for the log view.
    void logLine(const QString& line);

private:
    void setState(State state);
    void fail(const QString& message);
    void readStdout();
    void readStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);

    QProcess* m_process = nullptr;
    State m_state = State::Idle;
    TrainingOptions m_options;
    QStringList m_lastArguments;
    QByteArray m_stdout;  // a partial line waits here for its newline
    QByteArray m_stderr;
    QStringList m_stderrTail;  // last lines, quoted when the trainer dies without a message
    int m_step = 0;
    int m_totalSteps = 0;
    TrainingDataset m_dataset;
    TrainingProgress m_progress;
    TrainingEval m_eval;
    bool m_hasEval = false;
    std::vector<LossPoint> m_trainHistory;
    std::vector<LossPoint> m_evalHistory;
    QString m_checkpoint;
    bool m_done = false;
    QString m_reason;
    QString m_modelPath;
    QString m_reportedError;  // from {"event":"error"}
    QString m_error;
};

}  // namespace toccata::app
