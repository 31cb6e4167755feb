#include "app/TrainingRun.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace toccata::app {

namespace {

constexpr int kStopWaitMs = 5000;  // on destruction: time to checkpoint before we kill
constexpr int kStderrTailLines = 6;

/// Splits `buffer` into complete lines, leaving a trailing partial line in it.
QList<QByteArray> takeLines(QByteArray& buffer) {
    QList<QByteArray> lines;
    qsizetype from = 0;
    for (qsizetype nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', from)) {
        lines << buffer.mid(from, nl - from);
        from = nl + 1;
    }
    buffer.remove(0, from);
    return lines;
}

bool containsMidi(const QString& folder) {
    QDirIterator it(folder, {QStringLiteral("*.mid"), QStringLiteral("*.midi")}, QDir::Files,
                    QDirIterator::Subdirectories);
    return it.hasNext();
}

/// The hparams split at top-level commas (lists like [64,64] stay whole), each trimmed.
QStringList hparamPieces(const QString& hparams, bool* balanced) {
    QStringList pieces;
    QString piece;
    int depth = 0;
    for (const QChar c : hparams) {
        if (c == '[' || c == '(') ++depth;
        if (c == ']' || c == ')') --depth;
        if (c == ',' && depth == 0) {
            pieces << piece.trimmed();
            piece.clear();
        } else {
            piece += c;
        }
    }
    pieces << piece.trimmed();
    if (balanced) *balanced = depth == 0;
    return pieces;
}

QString normalizedHparams(const QString& hparams) {
    if (hparams.trimmed().isEmpty()) return {};
    QStringList out;
    for (const QString& piece : hparamPieces(hparams, nullptr)) {
        const qsizetype eq = piece.indexOf('=');
        out << piece.left(eq).trimmed() + '=' + piece.mid(eq + 1).trimmed();
    }
    return out.join(',');
}

}  // namespace

TrainingRun::TrainingRun(QObject* parent) : QObject(parent), m_process(new QProcess(this)) {
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TrainingRun::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &TrainingRun::readStderr);
    connect(m_process, &QProcess::finished, this, &TrainingRun::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &TrainingRun::onError);
}

TrainingRun::~TrainingRun() {
    if (m_process->state() == QProcess::NotRunning) return;
    // Graceful first: the trainer writes a checkpoint, so the run can be resumed later.
    m_process->disconnect(this);
    m_process->terminate();
    if (!m_process->waitForFinished(kStopWaitMs)) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

const QStringList& TrainingRun::configs() {
    static const QStringList kConfigs = {QStringLiteral("attention_rnn"),
                                         QStringLiteral("lookback_rnn"),
                                         QStringLiteral("basic_rnn"),
                                         QStringLiteral("mono_rnn"),
                                         QStringLiteral("drum_kit"),
                                         QStringLiteral("one_drum"),
                                         QStringLiteral("chord_pitches_improv"),
                                         QStringLiteral("basic_improv"),
                                         QStringLiteral("cat-mel_2bar_small"),
                                         QStringLiteral("cat-drums_2bar_small"),
                                         QStringLiteral("groovae_2bar_humanize"),
                                         QStringLiteral("groovae_2bar_tap_fixed_velocity"),
                                         QStringLiteral("groovae_2bar_add_closed_hh"),
                                         QStringLiteral("piano_genie")};
    return kConfigs;
}

QString TrainingRun::familyOf(const QString& config) {
    // MusicVAE's configs are Magenta's music_vae names; the rest are event RNNs.
    if (config == QLatin1String("piano_genie")) return config;
    return config.startsWith(QLatin1String("cat-")) || config.startsWith(QLatin1String("groovae_"))
               ? QStringLiteral("music_vae")
               : QStringLiteral("music_rnn");
}

QString TrainingRun::cliPath() {
    const QString overridden = qEnvironmentVariable("TOCCATA_CLI");
    if (!overridden.isEmpty()) return overridden;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/toccata-cli");
}

QStringList TrainingRun::arguments(const TrainingOptions& o) {
    QStringList args = {QStringLiteral("train"),
                        QStringLiteral("--family"),
                        familyOf(o.config),
                        QStringLiteral("--config"),
                        o.config,
                        QStringLiteral("--data"),
                        o.dataDir,
                        QStringLiteral("--out"),
                        o.runDir,
                        QStringLiteral("--steps"),
                        QString::number(o.steps)};
    if (const QString hp = normalizedHparams(o.hparams); !hp.isEmpty())
        args << QStringLiteral("--hparams") << hp;
    if (o.resume) args << QStringLiteral("--resume");
    args << QStringLiteral("--progress") << QStringLiteral("json");
    return args;
}

QString TrainingRun::validateHparams(const QString& hparams) {
    if (hparams.trimmed().isEmpty()) return {};
    bool balanced = true;
    const QStringList pieces = hparamPieces(hparams, &balanced);
    if (!balanced)
        return tr("Hyper-parameters “%1”: the brackets do not match").arg(hparams.trimmed());
    static const QRegularExpression kName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (const QString& piece : pieces) {
        const qsizetype eq = piece.indexOf('=');
        const bool ok = eq > 0 && kName.match(piece.left(eq).trimmed()).hasMatch() &&
                        !piece.mid(eq + 1).trimmed().isEmpty();
        if (!ok)
            return tr("Hyper-parameters: “%1” is not name=value (for example "
                      "batch_size=64,rnn_layer_sizes=[128,128])")
                .arg(piece);
    }
    return {};
}

QString TrainingRun::validate(const TrainingOptions& o) {
    if (!configs().contains(o.config))
        return tr("Unknown model type “%1” (known: %2)").arg(o.config, configs().join(", "));
    if (o.steps < 1) return tr("Training steps must be at least 1 (not %1)").arg(o.steps);
    if (const QString hp = validateHparams(o.hparams); !hp.isEmpty()) return hp;
    if (o.dataDir.trimmed().isEmpty()) return tr("Choose the folder with your MIDI files.");
    const QFileInfo data(o.dataDir);
    if (!data.exists()) return tr("The MIDI folder “%1” does not exist.").arg(o.dataDir);
    if (!data.isDir()) return tr("“%1” is not a folder.").arg(o.dataDir);
    if (!containsMidi(o.dataDir))
        return tr("The MIDI folder “%1” holds no MIDI files (.mid, .midi).").arg(o.dataDir);
    if (o.runDir.trimmed().isEmpty()) return tr("Choose a run folder.");
    if (o.resume && !QFileInfo(o.runDir).isDir())
        return tr("There is no run to resume in “%1” (the folder does not exist).").arg(o.runDir);
    return {};
}

QString TrainingRun::defaultRunFolder(const QString& config) {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                         QStringLiteral("/training/") + config + '-' +
                         QDate::currentDate().toString(Qt::ISODate);
    QString folder = base;
    for (int n = 2; QFileInfo::exists(folder); ++n) folder = base + '-' + QString::number(n);
    return folder;
}

bool TrainingRun::hasCheckpoints(const QString& runDir) {
    if (runDir.isEmpty()) return false;
    const QDir dir(runDir + QStringLiteral("/checkpoints"));
    return dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot);
}

bool TrainingRun::start(const TrainingOptions& options) {
    if (isActive()) return false;  // one process per run
    if (const QString error = validate(options); !error.isEmpty()) {
        fail(error);
        return false;
    }
    const QString program = cliPath();
    const QFileInfo exe(program);
    if (!exe.isFile() || !exe.isExecutable()) {
        fail(tr("Cannot start the trainer: “%1” %2. Build toccata-cli next to the app, or set "
                "TOCCATA_CLI to its path.")
                 .arg(program,
                      exe.exists() ? tr("is not an executable file") : tr("does not exist")));
        return false;
    }
    const QString parent = QFileInfo(options.runDir).absolutePath();
    if (!QDir().mkpath(parent)) {
        fail(tr("Cannot create the folder “%1” for the run.").arg(parent));
        return false;
    }
    // Resuming the same run keeps its curves; anything else starts a fresh picture.
    if (!options.resume || options.runDir != m_options.runDir) {
        m_trainHistory.clear();
        m_evalHistory.clear();
        m_dataset = {};
        m_progress = {};
        m_eval = {};
        m_hasEval = false;
        m_checkpoint.clear();
        m_step = 0;
    }
    m_options = options;
    m_totalSteps = options.steps;
    m_done = false;
    m_reason.clear();
    m_modelPath.clear();
    m_reportedError.clear();
    m_error.clear();
    m_stdout.clear();
    m_stderr.clear();
    m_stderrTail.clear();
    m_lastArguments = arguments(options);
    setState(State::Running);
    m_process->start(program, m_lastArguments);
    return m_state == State::Running;  // a failed start may already have reported
}

void TrainingRun::stop() {
    if (m_state == State::Running) {
        setState(State::Stopping);
        m_process->terminate();
    } else if (m_state == State::Stopping) {
        m_process->kill();
    }
}

bool TrainingRun::resume(int steps) {
    TrainingOptions options = m_options;
    options.resume = true;
    options.steps = steps;
    return start(options);
}

void TrainingRun::setState(State state) {
    if (m_state == state) return;
    m_state = state;
    emit stateChanged(state);
}

void TrainingRun::fail(const QString& message) {
    m_error = message;
    setState(State::Failed);
    emit failed(message);
}

void TrainingRun::handleLine(const QByteArray& line) {
    const QByteArray text = line.trimmed();
    if (text.isEmpty()) return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        emit logLine(QString::fromUtf8(text));
        return;
    }
    const QJsonObject o = doc.object();
    const QString event = o.value(QStringLiteral("event")).toString();
    const auto num = [&](const char* key) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
    };
    const auto integer = [&](const char* key, int fallback) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? static_cast<int>(v.toInteger()) : fallback;
    };
    const auto string = [&](const char* key) { return o.value(QLatin1String(key)).toString(); };

    if (event == QLatin1String("dataset")) {
        m_dataset.filesRead = integer("files_read", 0);
        m_dataset.filesSkipped = integer("files_skipped", 0);
        m_dataset.trainExamples = integer("train_examples", 0);
        m_dataset.evalExamples = integer("eval_examples", 0);
        m_dataset.stats = string("stats");
        emit datasetReady(m_dataset);
    } else if (event == QLatin1String("start") || event == QLatin1String("resume")) {
        m_step = integer("step", 0);
        m_totalSteps = integer("total_steps", m_totalSteps);
        // A resumed run goes back to its checkpoint: points after it are redone.
        const auto after = [this](const LossPoint& p) { return p.step > m_step; };
        std::erase_if(m_trainHistory, after);
        std::erase_if(m_evalHistory, after);
        emit trainingStarted(m_step, m_totalSteps);
    } else if (event == QLatin1String("train")) {
        TrainingProgress p;
        p.step = integer("step", m_step);
        p.totalSteps = integer("total_steps", m_totalSteps);
        p.loss = num("loss");
        p.perplexity = num("perplexity");
        p.accuracy = num("accuracy");
        p.learningRate = num("learning_rate");
        p.examplesPerSecond = num("examples_per_s");
        p.elapsedSeconds = num("elapsed_s");
        p.etaSeconds = num("eta_s");
        m_progress = p;
        m_step = p.step;
        m_totalSteps = p.totalSteps;
        if (std::isfinite(p.loss)) m_trainHistory.push_back({p.step, p.loss});
        emit progress(p);
    } else if (event == QLatin1String("eval")) {
        TrainingEval e;
        e.step = integer("step", m_step);
        e.loss = num("loss");
        e.perplexity = num("perplexity");
        e.accuracy = num("accuracy");
        e.best = o.value(QStringLiteral("best")).toBool();
        m_eval = e;
        m_hasEval = true;
        if (std::isfinite(e.loss)) m_evalHistory.push_back({e.step, e.loss});
        emit evalResult(e);
    } else if (event == QLatin1String("checkpoint")) {
        m_checkpoint = string("path");
        emit checkpointWritten(integer("step", m_step), m_checkpoint);
    } else if (event == QLatin1String("done")) {
        m_done = true;
        m_step = integer("step", m_step);
        m_reason = string("reason");
        const QString model = string("model");
        m_modelPath =
            QFileInfo(model.isEmpty() ? m_options.runDir + QStringLiteral("/model") : model)
                .absoluteFilePath();
    } else if (event == QLatin1String("error")) {
        m_reportedError = string("message");
        if (m_reportedError.isEmpty()) m_reportedError = tr("the trainer reported an error");
        emit logLine(tr("error: %1").arg(m_reportedError));
    }
}

void TrainingRun::readStdout() {
    m_stdout += m_process->readAllStandardOutput();
    for (const QByteArray& line : takeLines(m_stdout)) handleLine(line);
}

void TrainingRun::readStderr() {
    m_stderr += m_process->readAllStandardError();
    for (const QByteArray& raw : takeLines(m_stderr)) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty()) continue;
        m_stderrTail << line;
        if (m_stderrTail.size() > kStderrTailLines) m_stderrTail.removeFirst();
        emit logLine(line);
    }
}

void TrainingRun::onFinished(int exitCode, QProcess::ExitStatus status) {
    readStdout();
    readStderr();
    if (!m_stdout.isEmpty()) handleLine(std::exchange(m_stdout, {}));
    if (!m_stderr.isEmpty()) {
        m_stderr += '\n';
        readStderr();
    }
    if (!isActive()) return;
    const bool stopping = m_state == State::Stopping;
    const bool clean = status == QProcess::NormalExit && exitCode == 0;
    if (m_reportedError.isEmpty() && (clean || stopping) && (m_done || stopping)) {
        // Stopped before it could say done (killed, or stopped while reading the data):
        // whatever model folder it left is still offered.
        if (!m_done) {
            m_reason = QStringLiteral("stopped");
            const QString model = m_options.runDir + QStringLiteral("/model");
            m_modelPath = QFileInfo::exists(model + QStringLiteral("/model.json"))
                              ? QFileInfo(model).absoluteFilePath()
                              : QString();
        }
        setState(State::Finished);
        emit finished(m_reason, m_modelPath);
        return;
    }
    const QString program = m_process->program();
    QString message;
    if (!m_reportedError.isEmpty())
        message = tr("Training failed: %1").arg(m_reportedError);
    else if (status == QProcess::CrashExit)
        message = tr("The trainer “%1” crashed.").arg(program);
    else if (exitCode != 0)
        message = tr("The trainer “%1” stopped with exit code %2.").arg(program).arg(exitCode);
    else
        message = tr("The trainer “%1” ended without saying that training was done.").arg(program);
    if (!m_reportedError.isEmpty() && status == QProcess::NormalExit)
        message += tr(" (exit code %1)").arg(exitCode);
    if (m_reportedError.isEmpty() && !m_stderrTail.isEmpty())
        message += '\n' + tr("Its last output:") + '\n' + m_stderrTail.join('\n');
    fail(message);
}

void TrainingRun::onError(QProcess::ProcessError error) {
    // Crashes and the like end in finished(); only a failed start never gets there.
    if (error != QProcess::FailedToStart || !isActive()) return;
    fail(tr("Cannot start the trainer “%1”: %2")
             .arg(m_process->program(), m_process->errorString()));
}

}  // namespace toccata::app
