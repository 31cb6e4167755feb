// The training dashboard (Tools ▸ Train a model…) against a FAKE toccata-cli: a shell script
// (tests/data/training_dashboard/fake-toccata-cli.sh) the test copies into a temporary folder
// and finds through $TOCCATA_CLI; it records its arguments and plays back a scripted run as
// --progress json lines (FAKE_MODE full | slow | error | crash; SIGTERM makes it checkpoint
// and report done "stopped"). Checks the command line, the progress read-outs and loss plot,
// Stop → stopped, Resume → --resume, errors shown without harm, and that the finished model
// lands in the model library where the generation tools offer it.
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "TestSupport.h"
#include "app/ModelLibrary.h"
#include "app/TrainingRun.h"
#include "ui/MainWindow.h"
#include "ui/tools/LossPlot.h"
#include "ui/tools/RnnToolPanel.h"
#include "ui/tools/TrainingDashboard.h"

using namespace toccata;
using app::TrainingRun;
using ui::TrainingDashboard;

namespace {

constexpr int kWaitMs = 20000;

QString fixtures() { return test::sourceDir() + "/tests/data/training_dashboard"; }
QString fixtureModel() { return fixtures() + "/model"; }

}  // namespace

class TestTrainingDashboard : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cli;
    QString m_data;

    QStringList lastArgs() const {
        QFile f(m_dir.filePath("args.txt"));
        if (!f.open(QIODevice::ReadOnly)) return {};
        QStringList args = QString::fromUtf8(f.readAll()).split('\n');
        if (!args.isEmpty() && args.last().isEmpty()) args.removeLast();
        return args;
    }
    QString argAfter(const QString& flag) const {
        const QStringList args = lastArgs();
        const qsizetype i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : QString();
    }
    static void setMode(const char* mode) { qputenv("FAKE_MODE", mode); }
    void fillForm(TrainingDashboard& d, const QString& config, int steps, const QString& runDir) {
        d.dataFolderEdit()->setText(m_data);
        d.configBox()->setCurrentIndex(d.configBox()->findData(config));
        d.stepsBox()->setValue(steps);
        d.runFolderEdit()->setText(runDir);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY(QFileInfo::exists(fixtureModel() + "/model.json"));
        m_cli = m_dir.filePath("toccata-cli");
        // The fake trainer goes into the temporary folder, executable.
        QVERIFY(QFile::copy(fixtures() + "/fake-toccata-cli.sh", m_cli));
        QVERIFY(
            QFile::setPermissions(m_cli, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        m_data = m_dir.filePath("midi");
        QVERIFY(QDir().mkpath(m_data + "/folk"));
        QFile song(m_data + "/folk/song.mid");
        QVERIFY(song.open(QIODevice::WriteOnly));  // the fake trainer never reads it
        song.close();
        qputenv("TOCCATA_CLI", m_cli.toLocal8Bit());
        qputenv("FAKE_DIR", m_dir.path().toLocal8Bit());
        qputenv("FAKE_MODEL", fixtureModel().toLocal8Bit());
    }

    void cleanupTestCase() {
        const QString training =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/training";
        QDir(training).removeRecursively();
    }

    void argumentsFollowTheContract() {
        app::TrainingOptions o;
        o.config = "attention_rnn";
        o.dataDir = "/music/midi";
        o.runDir = "/runs/a";
        o.steps = 300;
        QCOMPARE(TrainingRun::arguments(o),
                 QStringList({"train", "--family", "music_rnn", "--config", "attention_rnn",
                              "--data", "/music/midi", "--out", "/runs/a", "--steps", "300",
                              "--progress", "json"}));
        o.hparams = " batch_size = 64, rnn_layer_sizes=[64, 64] ";
        o.resume = true;
        QCOMPARE(TrainingRun::arguments(o),
                 QStringList({"train", "--family", "music_rnn", "--config", "attention_rnn",
                              "--data", "/music/midi", "--out", "/runs/a", "--steps", "300",
                              "--hparams", "batch_size=64,rnn_layer_sizes=[64, 64]", "--resume",
                              "--progress", "json"}));
        QVERIFY(TrainingRun::validateHparams("").isEmpty());
        QVERIFY(TrainingRun::validateHparams("a=1,b=[2,3]").isEmpty());
        QVERIFY(TrainingRun::validateHparams("batch_size").contains("“batch_size”"));
        QVERIFY(TrainingRun::validateHparams("a=[1,2").contains("brackets"));
        QCOMPARE(TrainingDashboard::formatDuration(3725.4), QString("1:02:05"));
        QCOMPARE(TrainingDashboard::formatDuration(std::nan("")), QString("—"));
        QCOMPARE(ui::LossPlot::niceTicks(0, 2000, 5), QVector<double>({0, 500, 1000, 1500, 2000}));
    }

    void parsesProgressLines() {
        TrainingRun run;
        QSignalSpy dataset(&run, &TrainingRun::datasetReady);
        QSignalSpy progress(&run, &TrainingRun::progress);
        QSignalSpy evals(&run, &TrainingRun::evalResult);
        QSignalSpy checkpoints(&run, &TrainingRun::checkpointWritten);
        QSignalSpy log(&run, &TrainingRun::logLine);
        run.handleLine(R"({"event":"dataset","files_read":7,"files_skipped":1,)"
                       R"("train_examples":90,"eval_examples":10,"stats":"a\nb"})");
        run.handleLine(R"({"event":"start","step":0,"total_steps":400})");
        run.handleLine(R"({"event":"train","step":100,"total_steps":400,"loss":2.5,)"
                       R"("perplexity":12.2,"accuracy":0.3,"learning_rate":0.001,)"
                       R"("examples_per_s":55.5,"elapsed_s":12,"eta_s":36})");
        run.handleLine(R"({"event":"train","step":200,"total_steps":400})");  // no loss
        run.handleLine(R"({"event":"eval","step":200,"loss":2.7,"perplexity":14.9,)"
                       R"("accuracy":0.28,"best":true})");
        run.handleLine(R"({"event":"checkpoint","step":200,"path":"/r/checkpoints/step-000200"})");
        run.handleLine("not json at all");
        run.handleLine(R"({"event":"histogram","step":200})");  // a newer trainer's event
        run.handleLine("");
        QCOMPARE(dataset.count(), 1);
        QCOMPARE(run.dataset().filesRead, 7);
        QCOMPARE(run.dataset().evalExamples, 10);
        QCOMPARE(run.dataset().stats, QString("a\nb"));
        QCOMPARE(progress.count(), 2);
        QCOMPARE(run.step(), 200);
        QCOMPARE(run.totalSteps(), 400);
        QVERIFY(std::isnan(run.lastProgress().loss));
        QCOMPARE(run.trainHistory().size(), size_t(1));  // the line without a loss is no point
        QCOMPARE(run.trainHistory()[0].loss, 2.5);
        QCOMPARE(evals.count(), 1);
        QVERIFY(run.lastEval().best);
        QCOMPARE(run.evalHistory().size(), size_t(1));
        QCOMPARE(checkpoints.count(), 1);
        QCOMPARE(run.lastCheckpoint(), QString("/r/checkpoints/step-000200"));
        QCOMPARE(log.count(), 1);
        QCOMPARE(run.state(), TrainingRun::State::Idle);
        // A resumed run restarts at its checkpoint: later points are dropped.
        run.handleLine(R"({"event":"train","step":300,"total_steps":400,"loss":2.2})");
        run.handleLine(R"({"event":"start","step":200,"total_steps":400})");
        QCOMPARE(run.trainHistory().size(), size_t(1));
    }

    void trainsFromTheMenuAndAddsTheModel() {
        setMode("full");
        ui::MainWindow w(nullptr, m_dir.filePath("recovery"));
        QAction* action = w.findChild<QAction*>("TrainingDashboardAction");
        QVERIFY(action);
        QCOMPARE(action->text(), QString("&Train a model…"));
        action->trigger();
        auto* d = w.findChild<TrainingDashboard*>("TrainingDashboard");
        QVERIFY(d);
        QVERIFY(d->isVisible());
        QVERIFY(!d->isModal());
        QCOMPARE(d->configBox()->count(), TrainingRun::configs().size());
        QCOMPARE(d->configBox()->itemText(d->configBox()->findData("drum_kit")),
                 QString("Drums – full kit (drum_kit)"));
        QCOMPARE(d->stepsBox()->value(), 2000);

        fillForm(*d, "drum_kit", 500, QString());  // the default run folder
        d->hparamsEdit()->setText("batch_size=8");
        QTest::mouseClick(d->startButton(), Qt::LeftButton);
        QVERIFY2(!d->statusIsError(), qPrintable(d->statusText()));
        QVERIFY(!d->startButton()->isEnabled());
        QVERIFY(d->stopButton()->isEnabled());
        const QString runDir = d->runFolderEdit()->text();
        const QString defaultPrefix =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
            "/training/drum_kit-" + QDate::currentDate().toString(Qt::ISODate);
        QVERIFY2(runDir.startsWith(defaultPrefix), qPrintable(runDir));

        QTRY_COMPARE_WITH_TIMEOUT(d->run().state(), TrainingRun::State::Finished, kWaitMs);
        QCOMPARE(lastArgs(), QStringList({"train", "--family", "music_rnn", "--config", "drum_kit",
                                          "--data", m_data, "--out", runDir, "--steps", "500",
                                          "--hparams", "batch_size=8", "--progress", "json"}));
        QCOMPARE(d->run().reason(), QString("finished"));
        QCOMPARE(d->run().modelPath(), runDir + "/model");
        QCOMPARE(d->progressBar()->maximum(), 500);
        QCOMPARE(d->progressBar()->value(), 500);
        QCOMPARE(d->plot()->trainPointCount(), 5);
        QCOMPARE(d->plot()->evalPointCount(), 2);
        QCOMPARE(d->plot()->trainPoints().last(), QPointF(500, 2.5));
        QCOMPARE(d->label(TrainingDashboard::kStep)->text(), QString("500 / 500"));
        QCOMPARE(d->label(TrainingDashboard::kSpeed)->text(), QString("123.5"));
        QCOMPARE(d->label(TrainingDashboard::kElapsed)->text(), QString("1:23:20"));
        QCOMPARE(d->label(TrainingDashboard::kEta)->text(), QString("0:00:00"));
        QVERIFY(d->label(TrainingDashboard::kTrainLoss)->text().startsWith("2.500"));
        QVERIFY(d->label(TrainingDashboard::kEvalLoss)->text().startsWith("2.900"));
        QCOMPARE(d->label(TrainingDashboard::kAccuracy)->text(), QString("42.0 % · 40.0 %"));
        const QString dataset = d->label(TrainingDashboard::kDataset)->text();
        QVERIFY2(dataset.contains("12") && dataset.contains("2 skipped") &&
                     dataset.contains("340") && dataset.contains("38"),
                 qPrintable(dataset));
        QCOMPARE(d->statsView()->toPlainText(), QString("melodies: 340\nmean length: 64 steps"));
        QVERIFY(d->logView()->toPlainText().contains("fake trainer: mode full"));
        QVERIFY2(d->statusText().contains("Finished"), qPrintable(d->statusText()));
        QVERIFY(d->resumeButton()->isEnabled());  // it has checkpoints

        // Add to my models: the generation tools offer it.
        QVERIFY(d->addButton()->isEnabled());
        QTest::mouseClick(d->addButton(), Qt::LeftButton);
        QVERIFY2(!d->statusIsError(), qPrintable(d->statusText()));
        QVERIFY2(d->statusText().contains("my_trained_drums"), qPrintable(d->statusText()));
        QVERIFY(w.models().addedFolders().contains(runDir + "/model"));
        QVERIFY(w.models().find(runDir + "/model"));
        QVERIFY(w.continuePanel()->modelBox()->findData(runDir + "/model") >= 0);
        QVERIFY(!d->addButton()->isEnabled());

        // Start again: a fresh default folder, not the finished one.
        QTest::mouseClick(d->startButton(), Qt::LeftButton);
        QVERIFY(d->runFolderEdit()->text() != runDir);
        QCOMPARE(d->run().trainHistory().size(), size_t(0));
        QTRY_COMPARE_WITH_TIMEOUT(d->run().state(), TrainingRun::State::Finished, kWaitMs);
        // Closing only hides it; the menu brings back the same one.
        d->close();
        action->trigger();
        QCOMPARE(w.findChild<TrainingDashboard*>("TrainingDashboard"), d);
        QVERIFY(d->isVisible());
    }

    void stopsAndResumes() {
        app::ModelLibrary library;
        TrainingDashboard d(library);
        const QString runDir = m_dir.filePath("runs/stop-resume");
        fillForm(d, "attention_rnn", 500, runDir);
        QVERIFY(!d.resumeButton()->isEnabled());
        setMode("slow");
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d.run().step() >= 30, kWaitMs);
        QCOMPARE(d.run().state(), TrainingRun::State::Running);
        QVERIFY(!d.resumeButton()->isEnabled());
        QVERIFY(!d.dataFolderEdit()->isEnabled());

        QTest::mouseClick(d.stopButton(), Qt::LeftButton);
        QCOMPARE(d.run().state(), TrainingRun::State::Stopping);
        QVERIFY2(d.statusText().startsWith("Stopping…"), qPrintable(d.statusText()));
        QCOMPARE(d.stopButton()->text(), QString("Stop Now"));
        QTRY_COMPARE_WITH_TIMEOUT(d.run().state(), TrainingRun::State::Finished, kWaitMs);
        QCOMPARE(d.run().reason(), QString("stopped"));
        const int stoppedAt = d.run().step();
        QVERIFY(stoppedAt >= 30 && stoppedAt < 500);
        QVERIFY2(d.statusText().contains(QString("Stopped at step %1").arg(stoppedAt)),
                 qPrintable(d.statusText()));
        QCOMPARE(d.run().lastCheckpoint(), runDir + QString("/checkpoints/step-%1").arg(stoppedAt));
        const int pointsBefore = d.plot()->trainPointCount();
        QVERIFY(pointsBefore >= 3);
        QVERIFY(d.resumeButton()->isEnabled());
        QVERIFY(d.addButton()->isEnabled());  // the model so far
        // Start refuses to train over the stopped run.
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QVERIFY(d.statusIsError());
        QVERIFY(d.statusText().contains(runDir));
        QCOMPARE(d.run().state(), TrainingRun::State::Finished);

        setMode("full");
        QTest::mouseClick(d.resumeButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(d.run().state(), TrainingRun::State::Finished, kWaitMs);
        QVERIFY(lastArgs().contains("--resume"));
        QCOMPARE(argAfter("--out"), runDir);
        QCOMPARE(argAfter("--config"), QString("attention_rnn"));
        QCOMPARE(d.run().reason(), QString("finished"));
        QCOMPARE(d.progressBar()->value(), 500);
        // The curve goes on from the checkpoint: old points kept, new ones after them.
        const auto& history = d.run().trainHistory();
        QVERIFY(static_cast<int>(history.size()) > pointsBefore);
        QCOMPARE(history.front().step, 10);
        QCOMPARE(history.back().step, 500);
        for (size_t i = 1; i < history.size(); ++i) QVERIFY(history[i].step > history[i - 1].step);
        QCOMPARE(d.plot()->trainPointCount(), static_cast<int>(history.size()));
    }

    void showsErrorsAndKeepsGoing() {
        app::ModelLibrary library;
        TrainingDashboard d(library);
        d.show();

        // The trainer reports an error and exits 3.
        setMode("error");
        fillForm(d, "basic_rnn", 100, m_dir.filePath("runs/error"));
        QSignalSpy failed(&d.run(), &TrainingRun::failed);
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kWaitMs);
        QCOMPARE(d.run().state(), TrainingRun::State::Failed);
        QVERIFY(d.statusIsError());
        QVERIFY2(d.statusText().contains("cannot read song.mid: not a MIDI file") &&
                     d.statusText().contains("exit code 3"),
                 qPrintable(d.statusText()));
        QVERIFY(d.startButton()->isEnabled());
        QVERIFY(!d.stopButton()->isEnabled());
        QVERIFY(!d.addButton()->isEnabled());
        QVERIFY(d.isVisible());

        // It dies without a word on stdout: the exit code and its stderr are shown.
        setMode("crash");
        d.runFolderEdit()->setText(m_dir.filePath("runs/crash"));
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, kWaitMs);
        QVERIFY2(d.statusText().contains("exit code 2") &&
                     d.statusText().contains("segfault imminent") && d.statusText().contains(m_cli),
                 qPrintable(d.statusText()));

        // toccata-cli cannot be started.
        const QString missing = m_dir.filePath("nowhere/toccata-cli");
        qputenv("TOCCATA_CLI", missing.toLocal8Bit());
        d.runFolderEdit()->setText(m_dir.filePath("runs/missing"));
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        qputenv("TOCCATA_CLI", m_cli.toLocal8Bit());
        QCOMPARE(failed.count(), 3);
        QVERIFY2(d.statusText().contains(missing) && d.statusText().contains("does not exist"),
                 qPrintable(d.statusText()));
        QVERIFY(d.startButton()->isEnabled());

        // Bad form values are named and nothing starts.
        QFile::remove(m_dir.filePath("args.txt"));
        d.hparamsEdit()->setText("batch_size");
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QVERIFY2(d.statusIsError() && d.statusText().contains("“batch_size”"),
                 qPrintable(d.statusText()));
        d.hparamsEdit()->clear();
        const QString noFolder = m_dir.filePath("no-such-midi");
        d.dataFolderEdit()->setText(noFolder);
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QVERIFY2(d.statusText().contains(noFolder), qPrintable(d.statusText()));
        d.dataFolderEdit()->setText(m_dir.filePath("runs"));  // folders, but no .mid files
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QVERIFY2(d.statusText().contains("no MIDI files"), qPrintable(d.statusText()));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("args.txt")));

        // And it still trains afterwards.
        setMode("full");
        d.dataFolderEdit()->setText(m_data);
        d.runFolderEdit()->setText(m_dir.filePath("runs/after-errors"));
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(d.run().state(), TrainingRun::State::Finished, kWaitMs);
        QVERIFY(!d.statusIsError());
    }

    void remembersTheMidiFolder() {
        app::ModelLibrary library;
        {
            TrainingDashboard d(library);
            d.setFolderPrompt([&](const QString&, const QString&) { return m_data; });
            d.chooseDataFolder();
            QCOMPARE(d.dataFolderEdit()->text(), m_data);
            d.configBox()->setCurrentIndex(d.configBox()->findData("one_drum"));
            d.stepsBox()->setValue(200);
            d.runFolderEdit()->setText(m_dir.filePath("runs/remember"));
            QTest::mouseClick(d.startButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(d.run().state(), TrainingRun::State::Finished, kWaitMs);
        }
        TrainingDashboard again(library);
        QCOMPARE(again.dataFolderEdit()->text(), m_data);
        QCOMPARE(again.configBox()->currentData().toString(), QString("one_drum"));
    }
};

QTEST_MAIN(TestTrainingDashboard)
#include "TestTrainingDashboard.moc"
