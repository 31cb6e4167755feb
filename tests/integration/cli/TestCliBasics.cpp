// toccata-cli as a program: help texts, version, and usage errors (exit code 2) that say what
// was wrong.
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

class TestCliBasics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void mainHelp_data();
    void mainHelp();
    void noArgumentsIsAUsageError();
    void version();
    void commandHelp_data();
    void commandHelp();
    void unknownCommand();
    void usageErrors_data();
    void usageErrors();
};

void TestCliBasics::initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
}

void TestCliBasics::mainHelp_data() {
    QTest::addColumn<QString>("flag");
    QTest::newRow("--help") << "--help";
    QTest::newRow("-h") << "-h";
    QTest::newRow("help") << "help";
}

void TestCliBasics::mainHelp() {
    QFETCH(QString, flag);
    TOCCATA_RUN_CLI(run, 0, {flag});
    QVERIFY2(run.out.startsWith("usage: toccata-cli <command> [options]"), qPrintable(run.out));
    QVERIFY(run.out.contains(QRegularExpression("\\n  convert +MIDI <-> NoteSequence JSON\\n")));
    QVERIFY(run.out.contains(QRegularExpression("\\n  info +describe a MIDI file")));
    QVERIFY(run.out.contains("exit codes:"));
    QVERIFY(run.out.contains("  2  bad or missing arguments"));
    QVERIFY(run.out.contains("  3  an input file is missing, unreadable or malformed"));
    QVERIFY(run.out.contains("  4  an output file could not be written"));
    QVERIFY(run.out.contains("  5  a SoundFont, model or feature that is needed is not available"));
    QCOMPARE(run.err, QString());
}

void TestCliBasics::noArgumentsIsAUsageError() {
    TOCCATA_RUN_CLI(run, 2, {});
    QVERIFY2(run.err.startsWith("usage: toccata-cli"), qPrintable(run.err));
    QCOMPARE(run.out, QString());
}

void TestCliBasics::version() {
    TOCCATA_RUN_CLI(run, 0, {"--version"});
    QVERIFY2(QRegularExpression("^toccata-cli \\d+\\.\\d+\\.\\d+\\n$").match(run.out).hasMatch(),
             qPrintable(run.out));
}

void TestCliBasics::commandHelp_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("usage");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("convert")
        << "convert"
        << "usage: toccata-cli convert --in FILE --out FILE [--quantize STEPS] [--ppq TICKS]\n"
        << QStringList{"--in FILE",   "--out FILE", "--quantize STEPS",
                       "--ppq TICKS", "startTime",  "exit codes:"};
    QTest::newRow("info") << "info"
                          << "usage: toccata-cli info --in FILE [--json]\n"
                          << QStringList{"--in FILE", "--json", "exit codes:"};
}

void TestCliBasics::commandHelp() {
    QFETCH(QString, command);
    QFETCH(QString, usage);
    QFETCH(QStringList, mentions);
    for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        TOCCATA_RUN_CLI(run, 0, {command, flag});
        QVERIFY2(run.out.startsWith(usage), qPrintable(run.out));
        for (const QString& m : mentions) QVERIFY2(run.out.contains(m), qPrintable(m));
        QCOMPARE(run.err, QString());
    }
    // --help wins over other (even incomplete) options.
    TOCCATA_RUN_CLI(withOthers, 0, {command, "--in", "x.mid", "--help"});
    QVERIFY(withOthers.out.startsWith(usage));
}

void TestCliBasics::unknownCommand() {
    TOCCATA_RUN_CLI(run, 2, {"frobnicate", "--in", "x.mid"});
    QVERIFY2(run.err.startsWith("toccata-cli: unknown command 'frobnicate'"), qPrintable(run.err));
    QVERIFY(run.err.contains("usage: toccata-cli <command>"));
    QCOMPARE(run.out, QString());
}

void TestCliBasics::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("info without --in")
        << QStringList{"info"} << "toccata-cli info: --in is required";
    QTest::newRow("info --json without --in")
        << QStringList{"info", "--json"} << "toccata-cli info: --in is required";
    QTest::newRow("info --in without value")
        << QStringList{"info", "--in"} << "toccata-cli info: option --in needs a value";
    QTest::newRow("info unknown option") << QStringList{"info", "--in", "a.mid", "--bogus"}
                                         << "toccata-cli info: unknown option --bogus";
    QTest::newRow("info positional")
        << QStringList{"info", "a.mid"} << "toccata-cli info: unexpected argument 'a.mid'";
    QTest::newRow("info flag with value") << QStringList{"info", "--in", "a.mid", "--json=1"}
                                          << "toccata-cli info: option --json takes no value";
    QTest::newRow("convert without --in") << QStringList{"convert", "--out", "b.json"}
                                          << "toccata-cli convert: --in and --out are required";
    QTest::newRow("convert without --out") << QStringList{"convert", "--in", "a.mid"}
                                           << "toccata-cli convert: --in and --out are required";
    QTest::newRow("convert unknown output type")
        << QStringList{"convert", "--in", "a.mid", "--out", "b.txt"} << "unknown file type";
    QTest::newRow("convert bad --quantize")
        << QStringList{"convert", "--in", "a.mid", "--out", "b.json", "--quantize", "four"}
        << "--quantize must be a whole number from 1 to 960, got 'four'";
    QTest::newRow("convert --quantize 0")
        << QStringList{"convert", "--in", "a.mid", "--out", "b.json", "--quantize=0"}
        << "--quantize must be a whole number from 1 to 960, got '0'";
    QTest::newRow("convert bad --ppq")
        << QStringList{"convert", "--in", "a.json", "--out", "b.mid", "--ppq", "40000"}
        << "--ppq must be a whole number from 1 to 32767, got '40000'";
    QTest::newRow("convert unknown option")
        << QStringList{"convert", "--in", "a.mid", "--out", "b.json", "--speed", "2"}
        << "toccata-cli convert: unknown option --speed";
}

void TestCliBasics::usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    // Run in an empty folder: a usage error must be reported before any file is touched.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess process;
    process.setWorkingDirectory(dir.path());
    process.start(cliPath(), args);
    QVERIFY(process.waitForFinished(60000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(process.exitCode() == 2, qPrintable(QString::number(process.exitCode()) + ": " + err));
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(err.contains("--help"), qPrintable(err));  // points at the help
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
             QStringList());
}

QTEST_GUILESS_MAIN(TestCliBasics)
#include "TestCliBasics.moc"
