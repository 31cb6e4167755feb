// toccata-cli bench genie with tiny counts and no references: the press tables (tutorial and
// official layouts) and the --json object have their parts, the key event -> note-on part runs
// under a JACK server the bench starts itself (or says it skipped when jackd is missing), a
// missing reference gives exit code 5 after Toccata's own numbers, and bad arguments name the
// option. Timings are never asserted, only that there are some.
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

namespace {

QStringList quickArgs() {
    return {"bench", "genie", "--iterations", "20", "--warmup", "2", "--no-reference"};
}

bool hasRow(const QString& out, const QString& pattern) {
    return QRegularExpression(pattern).match(out).hasMatch();
}

}  // namespace

class TestCliBenchGenie : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    }

    void listedInBenchHelp() {
        TOCCATA_RUN_CLI(run, 0, {"bench", "--help"});
        QVERIFY2(run.out.contains("\n  genie "), qPrintable(run.out));
        TOCCATA_RUN_CLI(help, 0, {"bench", "genie", "--help"});
        QVERIFY2(help.out.startsWith("usage: toccata-cli bench genie"), qPrintable(help.out));
        QVERIFY(help.out.contains("dummy driver"));
        QVERIFY(help.out.contains("PyTorch eager"));
        QVERIFY(help.out.contains("Magenta.js"));
    }

    void tablesWithoutReference() {
        TOCCATA_RUN_CLI(run, 0, quickArgs() << "--no-jack");
        QVERIFY2(run.out.startsWith("bench genie: one press at a time (batch 1), 20 timed presses"),
                 qPrintable(run.describe()));
        QVERIFY(run.out.contains("libtorch "));
        QVERIFY(run.out.contains("1 intra-op thread"));
        QVERIFY2(run.out.contains("\n  tutorial layout (dec.*, 91 inputs, 2x128 LSTM)\n"),
                 qPrintable(run.out));
        QVERIFY(
            run.out.contains("\n  official layout (phero_model/..., 123 inputs, 2x128 LSTM)\n"));
        // Two tables, each with its three rows and no reference numbers.
        const QRegularExpression argmax(
            "\\n    press, argmax +(\\d+\\.\\d) / +\\d+\\.\\d +- +-\\n");
        auto it = argmax.globalMatch(run.out);
        int tables = 0;
        while (it.hasNext()) {
            QVERIFY(it.next().captured(1).toDouble() > 0.0);
            ++tables;
        }
        QCOMPARE(tables, 2);
        QCOMPARE(run.out.count(QRegularExpression(
                     "\\n    press, sampled +\\d+\\.\\d / +\\d+\\.\\d +- +-\\n")),
                 2);
        QCOMPARE(run.out.count(
                     QRegularExpression("\\n    network step alone +\\d+\\.\\d / +\\d+\\.\\d ")),
                 2);
        QVERIFY(run.out.contains("pytorch eager: skipped (--no-reference)"));
        QVERIFY(run.out.contains("magenta.js: skipped (--no-reference)"));
        QVERIFY(run.out.contains("goal  >= 5x PyTorch eager: not measured"));
        QVERIFY(run.out.contains("goal  >= 20x Magenta.js: not measured"));
        QVERIFY(run.out.contains("key event -> note-on: skipped (--no-jack)"));
        QCOMPARE(run.err, QString());
    }

    void jsonWithoutReference() {
        TOCCATA_RUN_CLI(run, 0,
                        quickArgs() << "--no-jack"
                                    << "--json");
        QString error;
        const QJsonObject o = parseJsonObject(run.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(o["iterations"].toInt(), 20);
        QCOMPARE(o["warmup"].toInt(), 2);
        QCOMPARE(o["temperature"].toDouble(), 0.25);
        QCOMPARE(o["machine"].toObject()["torchThreads"].toInt(), 1);
        for (const char* layout : {"tutorial", "official"}) {
            const QJsonObject c = o[layout].toObject();
            QVERIFY2(!c.isEmpty(), layout);
            const QJsonObject ours = c["toccata"].toObject();
            for (const char* op : {"argmax", "sample", "networkStep"}) {
                QVERIFY2(ours[op].toObject()["p50Micros"].toDouble() > 0.0, op);
                QVERIFY(ours[op].toObject()["p99Micros"].toDouble() >=
                        ours[op].toObject()["p50Micros"].toDouble());
            }
            QVERIFY(c["speedup"].toObject()["argmax"].isNull());
            QVERIFY(c["identicalArgmaxKeys"].isNull());
        }
        QVERIFY(o["tutorial"].toObject()["pytorch"].isNull());
        QVERIFY(o["official"].toObject()["magentajs"].isNull());
        QVERIFY(o["latency"].isNull());
        const QJsonObject goals = o["goals"].toObject();
        QVERIFY(goals.contains("pytorch5x") && goals["pytorch5x"].isNull());
        QVERIFY(goals.contains("magentajs20x") && goals["magentajs20x"].isNull());
        QVERIFY(goals["latencyP99UnderPeriodPlus1ms"].isNull());
    }

    void keptCheckpointsLoadAsModels() {
        QTemporaryDir dir;
        const QString keep = dir.path() + "/bench";
        TOCCATA_RUN_CLI(run, 0,
                        quickArgs() << "--no-jack"
                                    << "--random-weights"
                                    << "--keep" << keep);
        QVERIFY2(run.out.contains("(seeded random, tutorial layout)"), qPrintable(run.out));
        QVERIFY(run.out.contains("(seeded random, official layout)"));
        const QString tutorial = keep + "/tutorial_2x128", official = keep + "/official_2x128";
        const QByteArray tm = readBytes(tutorial + "/weights_manifest.json");
        QVERIFY2(tm.contains("\"dec.input.weight\"") && tm.contains("\"dec.lstm.weight_hh_l1\"") &&
                     !tm.contains("\"enc."),
                 tm.constData());
        const QByteArray om = readBytes(official + "/weights_manifest.json");
        QVERIFY2(om.contains("phero_model/decoder/rnn_input/dense/kernel"), om.constData());
        QVERIFY(om.contains("phero_model/decoder/pitches/dense/bias"));

        // Both again through --model / --official; an official --model is the Magenta.js side.
        TOCCATA_RUN_CLI(again, 0,
                        quickArgs() << "--no-jack"
                                    << "--json"
                                    << "--model" << tutorial << "--official" << official);
        QString error;
        const QJsonObject o = parseJsonObject(again.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(o["tutorial"].toObject()["folder"].toString(), tutorial);
        QCOMPARE(o["official"].toObject()["folder"].toString(), official);
        TOCCATA_RUN_CLI(only, 0,
                        quickArgs() << "--no-jack"
                                    << "--json"
                                    << "--model" << official);
        const QJsonObject p = parseJsonObject(only.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(p["tutorial"].isNull());
        QCOMPARE(p["official"].toObject()["folder"].toString(), official);
        QVERIFY(QDir(tutorial).exists());  // --keep and --model folders stay
    }

    void keyToNoteOnUnderJack() {
        TOCCATA_RUN_CLI(run, 0,
                        QStringList{"bench", "genie", "--iterations", "10", "--warmup", "1",
                                    "--no-reference", "--latency-events", "10"});
        QVERIFY2(run.out.contains("\n  key event -> note-on under JACK\n"),
                 qPrintable(run.describe()));
        if (run.out.contains("built without audio"))
            QSKIP("this toccata-cli has no audio: the key -> note-on measurement was skipped");
        if (QStandardPaths::findExecutable("jackd").isEmpty()) {
            QVERIFY2(run.out.contains("skipped: jackd not found"), qPrintable(run.out));
            QSKIP(
                "jackd is not installed: the key -> note-on measurement was skipped (as it says)");
        }
        QVERIFY2(run.out.contains("48000 Hz, 128-frame period (2.667 ms)"), qPrintable(run.out));
        QVERIFY(run.out.contains("10 key events"));
        for (const char* row :
             {"key -> callback takes the note", "key -> block with the note-on rendered",
              "of which the press (step + sampling)", "and note-on queued -> block rendered",
              "callback duration (blocks with a note)"})
            QVERIFY2(
                hasRow(run.out, QString("\\n    +%1 +p50 +\\d+\\.\\d{3} ms  p99 +\\d+\\.\\d{3} ms  "
                                        "max +\\d+\\.\\d{3} ms\\n")
                                    .arg(QRegularExpression::escape(row))),
                row);
        QVERIFY(hasRow(run.out,
                       "goal  p99 key -> block rendered < 3\\.667 ms \\(one period \\+ 1 "
                       "ms\\): (met|NOT met) \\(\\d+\\.\\d{3} ms\\)"));
        QVERIFY(run.out.contains("the dummy driver times its cycles with a timer"));
    }

    void missingReferenceIsExitFive() {
        TOCCATA_RUN_CLI(run, 5,
                        {"bench", "genie", "--iterations", "10", "--warmup", "1", "--no-jack",
                         "--python", "/nonexistent/python3", "--node", "/nonexistent/node"});
        QVERIFY2(hasRow(run.out, "\\n    press, argmax +\\d+\\.\\d"), qPrintable(run.describe()));
        QVERIFY2(run.out.contains("pytorch eager: not available: /nonexistent/python3"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("magenta.js: not available: "));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("iterations 5") << QStringList{"--iterations", "5"} << "--iterations";
        QTest::newRow("temperature 0") << QStringList{"--temperature", "0"} << "--temperature";
        QTest::newRow("period x") << QStringList{"--period", "x"} << "--period";
        QTest::newRow("unknown") << QStringList{"--frobnicate"} << "--frobnicate";
    }

    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        TOCCATA_RUN_CLI(run, 2, QStringList{"bench", "genie"} << args);
        QVERIFY2(run.err.contains(named), qPrintable(run.describe()));
        QCOMPARE(run.out, QString());
    }

    void missingModelIsAnError() {
        const CliRun run = runCli(
            {"bench", "genie", "--model", "/nonexistent/genie", "--no-jack", "--no-reference"});
        QVERIFY2(run.finished && (run.exitCode == 3 || run.exitCode == 5),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains("/nonexistent/genie"), qPrintable(run.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliBenchGenie)
#include "TestCliBenchGenie.moc"
