// toccata-cli genie on the committed Piano Genie parity checkpoint (seeded random weights with
// Magenta.js's names, tests/data/parity/piano_genie/official): notes start at the cumulative
// --dts and last until the next press, argmax keys are Magenta.js's, seeds repeat, the key /
// range lock holds, and bad buttons, --dts counts and models are clear errors.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "CliTestSupport.h"
#include "TestSupport.h"

using namespace toccata::test;

namespace {

QString fixture() { return sourceDir() + "/tests/data/parity/piano_genie/official"; }

}  // namespace

class TestCliGenie : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        QVERIFY2(QDir(fixture()).exists(), "TOCCATA_SOURCE_DIR must be set");
    }

    void timingAndArgmaxKeys() {
        QTemporaryDir dir;
        // The parity fixture's first 8 presses (buttons 0..7; Magenta.js's argmax keys
        // 73 50 50 25 17 50 11 11); the first dt only places the first note.
        TOCCATA_RUN_CLI(run, 0,
                        {"genie", "--model", fixture(), "--buttons", "0 1 2 3 4 5 6 7", "--dts",
                         "0.5 0.1 0.1 0.1 0.05 0.05 0.05 0.2", "--temperature", "0", "--velocity",
                         "90", "--out", dir.filePath("g.json")});
        QVERIFY2(run.out.contains("Wrote") && run.out.contains("8 notes"), qPrintable(run.out));
        QString error;
        const QJsonObject seq = parseJsonObject(readBytes(dir.filePath("g.json")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto notes = noteFacts(seq);
        QCOMPARE(notes.size(), size_t{8});
        const std::vector<int> pitches = {94, 71, 71, 46, 38, 71, 32, 32};
        const std::vector<double> starts = {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.15};
        for (size_t i = 0; i < notes.size(); ++i) {
            QVERIFY2(near(notes[i].start, starts[i], 1e-9),
                     qPrintable(QString::number(notes[i].start)));
            QCOMPARE(notes[i].pitch, pitches[i]);
            QCOMPARE(notes[i].velocity, 90);
            const double end = i + 1 < notes.size() ? starts[i + 1] : 1.15 + 0.2;
            QVERIFY2(near(notes[i].end, end, 1e-9), qPrintable(QString::number(notes[i].end)));
        }
    }

    void seedsRepeatAndLength() {
        QTemporaryDir dir;
        const QStringList base = {
            "genie",         "--model", fixture(), "--buttons", "0 2 4 6 7 5 3 1 0 0 7 7 3 4 3 4",
            "--temperature", "1"};
        for (const char* name : {"a.mid", "b.mid"}) {
            TOCCATA_RUN_CLI(run, 0, base + QStringList{"--seed", "9", "--out", dir.filePath(name)});
            QVERIFY(run.out.contains("16 notes"));
        }
        QCOMPARE(readBytes(dir.filePath("a.mid")), readBytes(dir.filePath("b.mid")));
        QVERIFY(!readBytes(dir.filePath("a.mid")).isEmpty());
        TOCCATA_RUN_CLI(other, 0,
                        base + QStringList{"--seed", "10", "--out", dir.filePath("c.mid")});
        TOCCATA_RUN_CLI(other2, 0,
                        base + QStringList{"--seed", "11", "--out", dir.filePath("d.mid")});
        QVERIFY(readBytes(dir.filePath("c.mid")) != readBytes(dir.filePath("a.mid")) ||
                readBytes(dir.filePath("d.mid")) != readBytes(dir.filePath("a.mid")));

        // Default dts 0.25: notes at 0.25, 0.5, ...; --length gives each the same length.
        TOCCATA_RUN_CLI(fixed, 0,
                        base + QStringList{"--length", "0.1", "--out", dir.filePath("l.json")});
        QString error;
        const auto notes = noteFacts(parseJsonObject(readBytes(dir.filePath("l.json")), &error));
        QVERIFY(!notes.empty());
        std::set<double> starts;
        for (const NoteFacts& n : notes) {
            QVERIFY(near(n.end - n.start, 0.1, 1e-9));
            starts.insert(n.start);
        }
        QCOMPARE(starts.size(), size_t{16});
        QVERIFY(near(*starts.begin(), 0.25) && near(*starts.rbegin(), 4.0));
    }

    void keyAndRangeLock() {
        QTemporaryDir dir;
        TOCCATA_RUN_CLI(run, 0,
                        {"genie", "--model", fixture(), "--buttons",
                         "0 1 2 3 4 5 6 7 7 6 5 4 3 2 1 0 0 7 0 7 3 3 4 4", "--temperature", "1",
                         "--key", "C", "--scale", "major", "--low", "48", "--high", "72", "--json",
                         "--out", dir.filePath("k.json")});
        QString error;
        const QJsonObject summary = parseJsonObject(run.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(run.out));
        QCOMPARE(summary.value("pitches").toArray().size(), 24);
        for (const QJsonValue& p : summary.value("pitches").toArray()) {
            const int pitch = p.toInt();
            QVERIFY2(pitch >= 48 && pitch <= 72, qPrintable(QString::number(pitch)));
            QVERIFY2(std::set<int>({0, 2, 4, 5, 7, 9, 11}).count(pitch % 12),
                     qPrintable(QString::number(pitch)));
        }
    }

    void errors() {
        QTemporaryDir dir;
        const QString out = dir.filePath("x.mid");
        TOCCATA_RUN_CLI(badButton, 2,
                        {"genie", "--model", fixture(), "--buttons", "0 8", "--out", out});
        QVERIFY2(badButton.err.contains("'8'") && badButton.err.contains("--buttons"),
                 qPrintable(badButton.err));
        TOCCATA_RUN_CLI(word, 2, {"genie", "--model", fixture(), "--buttons", "0 x", "--out", out});
        QVERIFY(word.err.contains("'x'"));
        TOCCATA_RUN_CLI(count, 2,
                        {"genie", "--model", fixture(), "--buttons", "0 1 2", "--dts", "0.1 0.2",
                         "--out", out});
        QVERIFY2(count.err.contains("--dts") && count.err.contains("3"), qPrintable(count.err));
        TOCCATA_RUN_CLI(
            negative, 2,
            {"genie", "--model", fixture(), "--buttons", "0 1", "--dts", "0.1 -1", "--out", out});
        QVERIFY(negative.err.contains("--dts"));
        TOCCATA_RUN_CLI(noButtons, 2, {"genie", "--model", fixture(), "--out", out});
        QVERIFY(noButtons.err.contains("--buttons"));
        TOCCATA_RUN_CLI(
            temperature, 2,
            {"genie", "--model", fixture(), "--buttons", "0", "--temperature", "3", "--out", out});
        QVERIFY(temperature.err.contains("--temperature"));
        TOCCATA_RUN_CLI(noKey, 2,
                        {"genie", "--model", fixture(), "--buttons", "0", "--low", "60", "--high",
                         "60", "--key", "D", "--scale", "major", "--out", out});
        QVERIFY(noKey.err.contains("no key"));
        TOCCATA_RUN_CLI(
            badOut, 2,
            {"genie", "--model", fixture(), "--buttons", "0", "--out", dir.filePath("x.txt")});
        TOCCATA_RUN_CLI(
            wrongFamily, 2,
            {"genie", "--model", sourceDir() + "/tests/data/parity/music_vae/mel_2bar_flat",
             "--buttons", "0", "--out", out});
        QVERIFY2(wrongFamily.err.contains("Piano Genie"), qPrintable(wrongFamily.err));
        TOCCATA_RUN_CLI(missing, 5,
                        {"genie", "--model", dir.filePath("nope"), "--buttons", "0", "--out", out});
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliGenie)
#include "TestCliGenie.moc"
