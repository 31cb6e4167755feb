// toccata-cli bench transformer on a tiny model: the table has its rows and a rate, the
// argmax tokens of the cached and uncached runs (and PyTorch's, when python3-torch is there)
// agree, a kept model folder loads again through --model, bad arguments name the option.
// No timing is asserted, only that there is one.
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

namespace {

QStringList tinyArgs() {
    return QString(
               "bench transformer --events 12 --uncached-events 10 --repeat 1 --layers 2 "
               "--d-model 16 --heads 2 --ff 24 --window 16 --max-relative 4 --vocab 20")
        .split(' ');
}

bool pythonHasTorch() {
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import torch, numpy"});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

}  // namespace

class TestCliBenchTransformer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    }

    void listedInBenchHelp() {
        TOCCATA_RUN_CLI(run, 0, {"bench", "--help"});
        QVERIFY2(run.out.contains("\n  transformer "), qPrintable(run.out));
        TOCCATA_RUN_CLI(help, 0, {"bench", "transformer", "--help"});
        QVERIFY2(help.out.startsWith("usage: toccata-cli bench transformer"), qPrintable(help.out));
    }

    void tableWithoutReference() {
        TOCCATA_RUN_CLI(run, 0, tinyArgs() << "--no-reference");
        QVERIFY2(run.out.startsWith("bench transformer: 2 layers, d 16, 2 heads, ff 24, R 4, "
                                    "window 16, vocab 20; seeded random weights"),
                 qPrintable(run.describe()));
        const QRegularExpressionMatch cached =
            QRegularExpression("\\n  cached +12 events +(\\d+\\.\\d) +- +-\\n").match(run.out);
        QVERIFY2(cached.hasMatch(), qPrintable(run.out));
        QVERIFY(cached.captured(1).toDouble() > 0.0);
        QVERIFY2(QRegularExpression("\\n  uncached +10 events +\\d+\\.\\d +- +-\\n")
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.out));
        // Within the window both runs are the same maths.
        QVERIFY2(run.out.contains("toccata cached vs toccata uncached    same for all 10 events"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("pytorch eager skipped (--no-reference)"));
        QVERIFY(run.out.contains("goal >= 2x PyTorch eager (cached): not measured"));
    }

    void agreesWithPyTorch() {
        if (!pythonHasTorch()) QSKIP("/usr/bin/python3 cannot import torch and numpy");
        TOCCATA_RUN_CLI(run, 0, tinyArgs());
        QVERIFY2(run.out.contains("toccata cached vs toccata uncached    same for all 10 events"),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains("toccata cached vs pytorch cached      same for all 12 events"),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains("toccata uncached vs pytorch uncached  same for all 10 events"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("pytorch eager: torch "));
        QVERIFY(QRegularExpression(
                    "goal >= 2x PyTorch eager \\(cached\\): (met|not met) \\(\\d+\\.\\d\\dx\\)")
                    .match(run.out)
                    .hasMatch());
    }

    void keptFolderLoadsAsModel() {
        QTemporaryDir dir;
        TOCCATA_RUN_CLI(run, 0,
                        tinyArgs() << "--no-reference"
                                   << "--keep" << dir.path());
        const QString folder = dir.path() + "/music_transformer";
        QVERIFY(QFileInfo::exists(folder + "/model.json"));
        QVERIFY(QFileInfo::exists(folder + "/weights_manifest.json"));
        TOCCATA_RUN_CLI(again, 0,
                        {"bench", "transformer", "--model", folder, "--events", "4",
                         "--uncached-events", "0", "--repeat", "1", "--no-reference"});
        QVERIFY2(again.out.contains("model " + folder), qPrintable(again.out));
        QVERIFY(!again.out.contains("uncached "));
    }

    void badArguments() {
        TOCCATA_RUN_CLI(heads, 2,
                        tinyArgs() << "--heads"
                                   << "3");
        QVERIFY2(heads.err.contains("numHeads 3"), qPrintable(heads.err));
        TOCCATA_RUN_CLI(events, 2, {"bench", "transformer", "--events", "0"});
        QVERIFY2(events.err.contains("--events"), qPrintable(events.err));
        QTemporaryDir dir;
        TOCCATA_RUN_CLI(notModel, 3,
                        {"bench", "transformer", "--model", dir.path(), "--no-reference"});
        QVERIFY2(notModel.err.contains(dir.path()), qPrintable(notModel.err));
    }
};

QTEST_GUILESS_MAIN(TestCliBenchTransformer)
#include "TestCliBenchTransformer.moc"
