// toccata-cli sample on the committed MusicVAE fixture checkpoints (seeded random weights):
// --key/--scale keep every sampled pitch in the key (the same seed without them does not),
// seeds repeat, and a key lock on a drum model, or an unknown scale, is a usage error that
// names the option.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "CliTestSupport.h"
#include "SmfBuilder.h"
#include "TestSupport.h"

using namespace toccata::test;

namespace {

QString fixture(const QString& name) {
    return sourceDir() + "/tests/data/parity/music_vae/" + name;
}

bool inDMajor(int pitch) {
    static const std::set<int> kClasses = {2, 4, 6, 7, 9, 11, 1};  // D E F# G A B C#
    return kClasses.count(pitch % 12) > 0;
}

}  // namespace

class TestCliVae : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        QVERIFY2(QDir(fixture("mel_2bar_flat")).exists(), "TOCCATA_SOURCE_DIR must be set");
    }

    void sampleKeyLock() {
        QTemporaryDir dir;
        const QStringList base = {
            "sample", "--model", fixture("mel_2bar_flat"), "--count", "4",
            "--bars", "4",       "--temperature",          "1",       "--seed",
            "3"};
        TOCCATA_RUN_CLI(
            locked, 0,
            base + QStringList{"--key", "D", "--scale", "major", "--out", dir.filePath("d.json")});
        QString error;
        const auto inKey = noteFacts(parseJsonObject(readBytes(dir.filePath("d.json")), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(inKey.size() > 8, qPrintable(QString("%1 notes").arg(inKey.size())));
        for (const NoteFacts& n : inKey)
            QVERIFY2(inDMajor(n.pitch),
                     qPrintable(
                         QString("pitch %1 at %2 s is not in D major").arg(n.pitch).arg(n.start)));

        // The same seed without the lock leaves the key somewhere.
        TOCCATA_RUN_CLI(free, 0, base + QStringList{"--out", dir.filePath("free.json")});
        const auto anyKey =
            noteFacts(parseJsonObject(readBytes(dir.filePath("free.json")), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(std::any_of(anyKey.begin(), anyKey.end(),
                            [](const NoteFacts& n) { return !inDMajor(n.pitch); }));

        // Same seed, same options: the same file.
        TOCCATA_RUN_CLI(
            again, 0,
            base + QStringList{"--key", "D", "--scale", "major", "--out", dir.filePath("d2.json")});
        QCOMPARE(readBytes(dir.filePath("d2.json")), readBytes(dir.filePath("d.json")));

        // --scale alone means that scale on C.
        TOCCATA_RUN_CLI(
            pentatonic, 0,
            base + QStringList{"--scale", "major-pentatonic", "--out", dir.filePath("p.json")});
        const std::set<int> cPentatonic = {0, 2, 4, 7, 9};
        const auto penta = noteFacts(parseJsonObject(readBytes(dir.filePath("p.json")), &error));
        QVERIFY(!penta.empty());
        for (const NoteFacts& n : penta) QVERIFY(cPentatonic.count(n.pitch % 12));
    }

    // --out-dir is made when missing (as Magenta's generators do); a path under a file is not.
    void outDirIsCreated() {
        QTemporaryDir dir;
        const QString nested = dir.filePath("new/takes");
        const QStringList base = {"sample",  "--model",  fixture("mel_2bar_flat"),
                                  "--count", "2",        "--seed",
                                  "1",       "--out-dir"};
        TOCCATA_RUN_CLI(made, 0, base + QStringList{nested});
        QCOMPARE(QDir(nested).entryList(QDir::Files).size(), 2);

        QFile blocker(dir.filePath("plain-file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        TOCCATA_RUN_CLI(blocked, 4, base + QStringList{dir.filePath("plain-file/takes")});
        QVERIFY2(blocked.err.contains("plain-file/takes"), qPrintable(blocked.err));
    }

    void grooveKeepsHitsUnlessFreed() {
        QTemporaryDir dir;
        // Two bars of a quantized rock beat on channel 10 at 120 QPM.
        SmfTrack track;
        track.tempo(0, 120).timeSignature(0, 4, 4);
        for (int step = 0; step < 32; ++step) {
            const quint32 tick = quint32(step * 120);
            if (step % 2 == 0) track.note(tick, 60, 9, 42, 80);
            if (step % 8 == 0) track.note(tick, 60, 9, 36, 100);
            if (step % 8 == 4) track.note(tick, 60, 9, 38, 100);
        }
        writeBytes(dir.filePath("beat.mid"), smfFile(0, 480, {track}));
        const QStringList base = {"groove", "--model", fixture("groovae_2bar_humanize"), "--in",
                                  dir.filePath("beat.mid")};
        TOCCATA_RUN_CLI(kept, 0, base + QStringList{"--out", dir.filePath("kept.json")});
        QString error;
        const auto notes = noteFacts(parseJsonObject(readBytes(dir.filePath("kept.json")), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(notes.size(), size_t(16 + 4 + 4));  // every hit, moved and re-voiced
        std::multiset<std::pair<int, long>> steps;
        for (const NoteFacts& n : notes) steps.emplace(n.pitch, std::lround(n.start / 0.125));
        for (int step = 0; step < 32; step += 2) QVERIFY(steps.count({42, step}) == 1);
        TOCCATA_RUN_CLI(freed, 0,
                        base + QStringList{"--free-hits", "--out", dir.filePath("free.json")});
        TOCCATA_RUN_CLI(drumify, 2,
                        {"drumify", "--model", fixture("groovae_2bar_humanize"), "--in",
                         dir.filePath("beat.mid"), "--free-hits", "--out", dir.filePath("x.json")});
    }

    void keyLockErrors() {
        QTemporaryDir dir;
        const QString out = dir.filePath("x.mid");
        TOCCATA_RUN_CLI(drums, 2,
                        QStringList{"sample", "--model", fixture("drums_2bar_flat"), "--key", "D",
                                    "--out", out});
        QVERIFY2(drums.err.contains("--key"), qPrintable(drums.err));
        TOCCATA_RUN_CLI(groove, 2,
                        QStringList{"sample", "--model", fixture("groovae_2bar_humanize"),
                                    "--scale", "minor", "--out", out});
        QVERIFY2(groove.err.contains("--key/--scale"), qPrintable(groove.err));
        TOCCATA_RUN_CLI(badScale, 2,
                        QStringList{"sample", "--model", fixture("mel_2bar_flat"), "--key", "D",
                                    "--scale", "lydian-ish", "--out", out});
        QVERIFY2(badScale.err.contains("lydian-ish"), qPrintable(badScale.err));
        TOCCATA_RUN_CLI(
            badKey, 2,
            QStringList{"sample", "--model", fixture("mel_2bar_flat"), "--key", "H", "--out", out});
        QVERIFY2(badKey.err.contains("\"H major\""), qPrintable(badKey.err));
        QVERIFY(!QFile::exists(out));
        TOCCATA_RUN_CLI(help, 0, QStringList{"sample", "--help"});
        QVERIFY2(help.out.contains("--key K --scale S"), qPrintable(help.out));
    }
};

QTEST_GUILESS_MAIN(TestCliVae)
#include "TestCliVae.moc"
