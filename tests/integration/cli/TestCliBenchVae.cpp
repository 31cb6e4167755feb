// toccata-cli bench vae without the Magenta.js reference: the table and the --json object
// have their parts, the written checkpoint is a Magenta.js MusicVAE folder that the bench
// itself can load again with --model, a missing reference gives exit code 5 after Toccata's
// own numbers, and bad arguments name the option. No timing is asserted, only that there is one.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

namespace {

/// The small, quick run every test starts from: one bar, 2 interpolation results, 1 repeat.
QStringList quickArgs() {
    return {"bench", "vae", "--bars", "1", "--steps", "2", "--repeats", "1", "--threads", "1"};
}

QJsonObject readJsonFile(const QString& path) {
    QString error;
    QJsonObject o = parseJsonObject(readBytes(path), &error);
    if (!error.isEmpty()) qWarning("%s: %s", qPrintable(path), qPrintable(error));
    return o;
}

}  // namespace

class TestCliBenchVae : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    }

    void listedInBenchHelp() {
        TOCCATA_RUN_CLI(run, 0, {"bench", "--help"});
        QVERIFY2(run.out.contains("\n  vae "), qPrintable(run.out));
        TOCCATA_RUN_CLI(help, 0, {"bench", "vae", "--help"});
        QVERIFY2(help.out.startsWith("usage: toccata-cli bench vae"), qPrintable(help.out));
        QVERIFY(help.out.contains("mel_2bar_small"));
    }

    void tableWithoutReference() {
        TOCCATA_RUN_CLI(run, 0, quickArgs() << "--no-reference");
        QVERIFY2(run.out.startsWith("bench vae: mel_1bar_small"), qPrintable(run.describe()));
        QVERIFY2(run.out.contains("MelodyConverter 21..108, 16 steps = 1 bars; encoder BiLSTM 512, "
                                  "decoder 256x256, Z 256, 90 in / 90 out"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("libtorch "));
        QVERIFY(run.out.contains("1 intra-op threads"));
        const QRegularExpression sample("\\n  sample \\(1 x 1 bars\\) +(\\d+\\.\\d) +- +-\\n");
        const QRegularExpressionMatch s = sample.match(run.out);
        QVERIFY2(s.hasMatch(), qPrintable(run.out));
        QVERIFY(s.captured(1).toDouble() > 0.0);
        QVERIFY2(QRegularExpression("\\n  interpolate \\(2 -> 2, 1 bars\\) +\\d+\\.\\d +- +-\\n")
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(">= 10x Magenta.js: not measured"));
        QVERIFY(run.out.contains("4-bar sample < 50 ms: not measured (1 bars)"));
        QVERIFY(run.out.contains("magenta.js skipped (--no-reference)"));
        QCOMPARE(run.err, QString());
    }

    void jsonWithoutReference() {
        TOCCATA_RUN_CLI(run, 0,
                        quickArgs() << "--no-reference"
                                    << "--json");
        QString error;
        const QJsonObject o = parseJsonObject(run.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(o["bars"].toInt(), 1);
        QCOMPARE(o["repeats"].toInt(), 1);
        QCOMPARE(o["model"].toObject()["nativeBars"].toInt(), 1);
        QCOMPARE(o["machine"].toObject()["torchThreads"].toInt(), 1);
        QVERIFY(!o["machine"].toObject()["libtorch"].toString().isEmpty());
        QCOMPARE(o["reference"].toObject()["available"].toBool(true), false);
        const QJsonObject sample = o["sample"].toObject();
        QVERIFY(sample["toccataMs"].toDouble() > 0.0);
        QVERIFY(sample["magentaJsMs"].isNull());
        QVERIFY(sample["speedup"].isNull());
        QCOMPARE(sample["temperature"].toDouble(), 0.5);
        const QJsonObject interp = o["interpolate"].toObject();
        QVERIFY(interp["toccataMs"].toDouble() > 0.0);
        QCOMPARE(interp["steps"].toInt(), 2);
        QVERIFY(o["goals"].toObject()["speedup10x"].isNull());
        QVERIFY(o["goals"].toObject()["sampleUnder50ms"].isNull());  // not a 4-bar run
    }

    void keptCheckpointLoadsAsModel() {
        QTemporaryDir dir;
        const QString keep = dir.path() + "/bench";
        TOCCATA_RUN_CLI(run, 0,
                        quickArgs() << "--no-reference"
                                    << "--keep" << keep);
        const QString folder = keep + "/mel_1bar_small";
        const QJsonObject config = readJsonFile(folder + "/config.json");
        QCOMPARE(config["type"].toString(), QString("MusicVAE"));
        const QJsonObject conv = config["dataConverter"].toObject();
        QCOMPARE(conv["type"].toString(), QString("MelodyConverter"));
        QCOMPARE(conv["args"].toObject()["numSteps"].toInt(), 16);
        QVERIFY(QFileInfo::exists(folder + "/weights_manifest.json"));
        const QJsonArray seqs = readJsonFile(keep + "/inputs.json")["sequences"].toArray();
        QCOMPARE(seqs.size(), 2);
        for (const QJsonValue& s : seqs) {
            QVERIFY(!s.toObject()["notes"].toArray().isEmpty());
            for (const QJsonValue& n : s.toObject()["notes"].toArray())
                QVERIFY(n.toObject()["quantizedStartStep"].toInt(-1) < 16);
        }
        QVERIFY(seqs[0] != seqs[1]);

        // The same checkpoint through --model, at twice its length (chained decoding).
        TOCCATA_RUN_CLI(again, 0,
                        {"bench", "vae", "--model", folder, "--bars", "2", "--steps", "2",
                         "--repeats", "1", "--no-reference", "--json"});
        QString error;
        const QJsonObject o = parseJsonObject(again.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(o["bars"].toInt(), 2);
        QCOMPARE(o["model"].toObject()["nativeBars"].toInt(), 1);
        QVERIFY(o["sample"].toObject()["toccataMs"].toDouble() > 0.0);
        QVERIFY(QDir(folder).exists());  // --model folders are never removed
    }

    void missingReferenceIsExitFive() {
        TOCCATA_RUN_CLI(run, 5,
                        quickArgs() << "--node"
                                    << "/nonexistent/node");
        QVERIFY2(QRegularExpression("\\n  sample \\(1 x 1 bars\\) +\\d+\\.\\d")
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains("magenta.js not available: "), qPrintable(run.out));
        QVERIFY(run.out.contains("npm ci --ignore-scripts") || run.out.contains("--node PATH") ||
                run.out.contains("TOCCATA_SOURCE_DIR"));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("bars 0") << QStringList{"--bars", "0"} << "--bars";
        QTest::newRow("bars 17") << QStringList{"--bars", "17"} << "--bars";
        QTest::newRow("steps 1") << QStringList{"--steps", "1"} << "--steps";
        QTest::newRow("repeats x") << QStringList{"--repeats", "x"} << "--repeats";
        QTest::newRow("unknown") << QStringList{"--frobnicate"} << "--frobnicate";
    }

    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        TOCCATA_RUN_CLI(run, 2, QStringList{"bench", "vae"} << args);
        QVERIFY2(run.err.contains(named), qPrintable(run.describe()));
        QCOMPARE(run.out, QString());
    }

    void missingModelIsExitFive() {
        TOCCATA_RUN_CLI(run, 5,
                        {"bench", "vae", "--model", "/nonexistent/model", "--no-reference"});
        QVERIFY2(run.err.contains("/nonexistent/model"), qPrintable(run.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliBenchVae)
#include "TestCliBenchVae.moc"
