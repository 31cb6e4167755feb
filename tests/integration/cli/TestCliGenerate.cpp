// toccata-cli generate and models on the committed Magenta.js fixture checkpoints: lengths
// (--steps, --num-steps, --bars), seeds, greedy decoding, primers and --continuation-only,
// chords, key/scale, beam search, several outputs, and the errors with their exit codes.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "CliTestSupport.h"
#include "TestSupport.h"

using namespace toccata::test;

namespace {

QString fixture(const QString& name) {
    return sourceDir() + "/tests/data/parity/music_rnn/" + name;
}

/// Writes the generated file as JSON (through the CLI itself) and parses it.
QJsonObject readSequence(const QString& path, QString* error) {
    return parseJsonObject(readBytes(path), error);
}

std::vector<std::pair<int, double>> pitchStarts(const QJsonObject& sequence) {
    std::vector<std::pair<int, double>> out;
    for (const NoteFacts& n : noteFacts(sequence)) out.emplace_back(n.pitch, n.start);
    return out;
}

}  // namespace

class TestCliGenerate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        QVERIFY2(QDir(fixture("basic_rnn")).exists(), "TOCCATA_SOURCE_DIR must be set");
    }

    void fromNothingIsSeededAndStartsAtZero() {
        QTemporaryDir dir;
        const QStringList base = {"generate", "--model", fixture("basic_rnn"), "--bars", "2",
                                  "--seed", "7"};
        TOCCATA_RUN_CLI(a, 0, base + QStringList{"--out", dir.filePath("a.json")});
        TOCCATA_RUN_CLI(b, 0, base + QStringList{"--out", dir.filePath("b.json")});
        QVERIFY2(a.out.contains("seed 7"), qPrintable(a.out));
        QCOMPARE(readBytes(dir.filePath("a.json")), readBytes(dir.filePath("b.json")));
        TOCCATA_RUN_CLI(c, 0, QStringList{"generate", "--model", fixture("basic_rnn"), "--bars",
                                          "2", "--seed", "8", "--out", dir.filePath("c.json")});
        QVERIFY(readBytes(dir.filePath("a.json")) != readBytes(dir.filePath("c.json")));
        QString error;
        const QJsonObject seq = readSequence(dir.filePath("a.json"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto notes = noteFacts(seq);
        QVERIFY(!notes.empty());
        for (const NoteFacts& n : notes) {
            QVERIFY(n.start >= 0.0 && n.end <= 4.0 + 1e-9);  // 2 bars at 120 QPM
            QVERIFY(n.pitch >= 48 && n.pitch <= 83);
            QCOMPARE(n.velocity, 100);
        }
        QVERIFY(near(notes.front().start, 0.0) || notes.front().start < 0.5);
    }

    void primerLengthsAndContinuationOnly() {
        QTemporaryDir dir;
        // A one-bar C major primer as MIDI: C D E F, a quarter each at 120 QPM.
        SmfTrack track;
        track.tempo(0, 120).timeSignature(0, 4, 4);
        for (int i = 0; i < 4; ++i) track.note(i * 480, 480, 0, 60 + (i == 3 ? 5 : 2 * i), 90);
        QVERIFY(writeBytes(dir.filePath("primer.mid"), smfFile(0, 480, {track})));
        const QStringList base = {"generate", "--model", fixture("basic_rnn"), "--primer",
                                  dir.filePath("primer.mid"), "--temperature", "0"};

        TOCCATA_RUN_CLI(steps, 0, base + QStringList{"--steps", "16", "--json", "--out",
                                                      dir.filePath("s.json")});
        QString error;
        const QJsonObject summary = parseJsonObject(steps.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QJsonObject first = summary.value("outputs").toArray().first().toObject();
        QCOMPARE(first.value("startStep").toInt(), 16);
        QCOMPARE(first.value("endStep").toInt(), 32);
        const QJsonObject full = readSequence(dir.filePath("s.json"), &error);
        const auto notes = pitchStarts(full);
        QCOMPARE(notes.front(), std::make_pair(60, 0.0));  // the primer comes first
        QVERIFY(notes.back().second >= 2.0 - 1e-9 && notes.back().second < 4.0);

        // --num-steps counts the primer: 32 total = the same 16 generated steps, greedily.
        TOCCATA_RUN_CLI(total, 0, base + QStringList{"--num-steps", "32", "--out",
                                                      dir.filePath("n.json")});
        QCOMPARE(readBytes(dir.filePath("n.json")), readBytes(dir.filePath("s.json")));
        // --bars 1 = 16 steps in 4/4.
        TOCCATA_RUN_CLI(bars, 0, base + QStringList{"--bars", "1", "--out",
                                                     dir.filePath("b.json")});
        QCOMPARE(readBytes(dir.filePath("b.json")), readBytes(dir.filePath("s.json")));

        TOCCATA_RUN_CLI(only, 0, base + QStringList{"--steps", "16", "--continuation-only",
                                                     "--out", dir.filePath("c.json")});
        const QJsonObject cont = readSequence(dir.filePath("c.json"), &error);
        auto shifted = pitchStarts(full);
        shifted.erase(shifted.begin(), shifted.begin() + 4);  // the 4 primer notes
        for (auto& [pitch, start] : shifted) start -= 2.0;
        const auto got = pitchStarts(cont);
        QCOMPARE(got.size(), shifted.size());
        for (size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].first, shifted[i].first);
            QVERIFY(near(got[i].second, shifted[i].second));
        }

        // The primer is longer than --num-steps: the operation fails and says why.
        TOCCATA_RUN_CLI(tooLong, 1, base + QStringList{"--num-steps", "8", "--out",
                                                        dir.filePath("x.mid")});
        QVERIFY2(tooLong.err.contains("primer is longer"), qPrintable(tooLong.err));
        QVERIFY(!QFile::exists(dir.filePath("x.mid")));
    }

    void keyScaleChordsBeamAndDrums() {
        QTemporaryDir dir;
        TOCCATA_RUN_CLI(key, 0, QStringList{"generate", "--model", fixture("attention_rnn"),
                                            "--bars", "4", "--seed", "3", "--key", "Eb",
                                            "--scale", "minor-pentatonic", "--out",
                                            dir.filePath("k.json")});
        QString error;
        const std::set<int> allowed = {3, 6, 8, 10, 1};  // Eb Gb Ab Bb Db
        const auto keyNotes = noteFacts(readSequence(dir.filePath("k.json"), &error));
        QVERIFY(keyNotes.size() > 4);
        for (const NoteFacts& n : keyNotes) QVERIFY2(allowed.count(n.pitch % 12), "outside the key");

        TOCCATA_RUN_CLI(chords, 0, QStringList{"generate", "--model",
                                               fixture("chord_pitches_improv"), "--chords",
                                               "C G Am F", "--bars", "4", "--seed", "1",
                                               "--out", dir.filePath("c.mid")});
        TOCCATA_RUN_CLI(noChords, 1, QStringList{"generate", "--model",
                                                 fixture("chord_pitches_improv"), "--bars", "1",
                                                 "--out", dir.filePath("d.mid")});
        QVERIFY2(noChords.err.contains("needs a chord progression"), qPrintable(noChords.err));
        TOCCATA_RUN_CLI(badChord, 1, QStringList{"generate", "--model",
                                                 fixture("chord_pitches_improv"), "--chords",
                                                 "C H7", "--bars", "1", "--out",
                                                 dir.filePath("d.mid")});
        QVERIFY2(badChord.err.contains("H7"), qPrintable(badChord.err));

        TOCCATA_RUN_CLI(beam, 0, QStringList{"generate", "--model", fixture("drum_kit_rnn"),
                                             "--bars", "2", "--seed", "5", "--beam-size", "2",
                                             "--branch-factor", "3", "--steps-per-iteration", "4",
                                             "--num-outputs", "3", "--out-dir", dir.path(),
                                             "--json"});
        const QJsonObject summary = parseJsonObject(beam.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QJsonArray outputs = summary.value("outputs").toArray();
        QCOMPARE(outputs.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject o = outputs[i].toObject();
            QCOMPARE(o.value("seed").toInt(), 5 + i);
            const QString file = o.value("file").toString();
            QVERIFY2(file.startsWith(dir.path() + "/drum_kit_rnn_") && file.endsWith(".mid"),
                     qPrintable(file));
            TOCCATA_RUN_CLI(info, 0, QStringList{"info", "--in", file, "--json"});
            QVERIFY2(info.out.contains("\"isDrum\": true") || info.out.contains("\"drum\""),
                     qPrintable(info.out.left(300)));
        }
        TOCCATA_RUN_CLI(drumKey, 2, QStringList{"generate", "--model", fixture("drum_kit_rnn"),
                                                "--key", "C", "--bars", "1", "--out",
                                                dir.filePath("e.mid")});
    }

    void usageAndModelErrors() {
        QTemporaryDir dir;
        const QString out = dir.filePath("o.mid");
        TOCCATA_RUN_CLI(noModel, 2, QStringList{"generate", "--out", out});
        TOCCATA_RUN_CLI(noOut, 2, QStringList{"generate", "--model", fixture("basic_rnn")});
        TOCCATA_RUN_CLI(both, 2, QStringList{"generate", "--model", fixture("basic_rnn"),
                                             "--steps", "4", "--bars", "1", "--out", out});
        TOCCATA_RUN_CLI(hot, 2, QStringList{"generate", "--model", fixture("basic_rnn"),
                                            "--temperature", "-1", "--out", out});
        QVERIFY2(hot.err.contains("--temperature"), qPrintable(hot.err));
        TOCCATA_RUN_CLI(unknown, 5, QStringList{"generate", "--model", "no_such_model", "--out",
                                                out});
        QVERIFY2(unknown.err.contains("no_such_model"), qPrintable(unknown.err));
        // A model folder with a broken manifest: exit 3, the message names the file.
        QDir().mkpath(dir.filePath("broken"));
        QFile::copy(fixture("basic_rnn") + "/config.json", dir.filePath("broken/config.json"));
        QVERIFY(writeBytes(dir.filePath("broken/weights_manifest.json"), "[{\"paths\": 3}]"));
        TOCCATA_RUN_CLI(broken, 3, QStringList{"generate", "--model", dir.filePath("broken"),
                                               "--out", out});
        QVERIFY2(broken.err.contains("weights_manifest.json"), qPrintable(broken.err));
        TOCCATA_RUN_CLI(badPrimer, 3, QStringList{"generate", "--model", fixture("basic_rnn"),
                                                  "--primer", dir.filePath("none.mid"), "--out",
                                                  out});
        TOCCATA_RUN_CLI(badOut, 4, QStringList{"generate", "--model", fixture("basic_rnn"),
                                               "--out", dir.filePath("no/such/o.mid")});
    }

    void modelsListInfoAndExport() {
        QTemporaryDir dir;
        const QString roots = fixture("basic_rnn") + ":" + fixture("drum_kit_rnn");
        TOCCATA_RUN_CLI(list, 0, QStringList{"models", "list", "--models-dir", roots, "--json"});
        QString error;
        const QJsonObject listed = parseJsonObject(list.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList ids;
        for (const QJsonValue& v : listed.value("models").toArray())
            ids << v.toObject().value("id").toString();
        QVERIFY2(ids.contains("basic_rnn") && ids.contains("drum_kit_rnn"), qPrintable(ids.join(',')));

        TOCCATA_RUN_CLI(info, 0, QStringList{"models", "info", "--model", "drum_kit_rnn",
                                             "--models-dir", roots, "--json"});
        const QJsonObject described = parseJsonObject(info.out.toUtf8(), &error);
        QCOMPARE(described.value("family").toString(), QString("music_rnn"));
        QCOMPARE(described.value("codecResolved").toObject().value("binaryCounterBits").toInt(), 6);

        // Export as a Magenta.js checkpoint (uint8), then generate from the export.
        const QString exported = dir.filePath("basic_q1");
        TOCCATA_RUN_CLI(exp, 0, QStringList{"models", "export", "--model", fixture("basic_rnn"),
                                            "--out", exported, "--format", "magentajs",
                                            "--quantize", "uint8"});
        QVERIFY(QFile::exists(exported + "/config.json"));
        QVERIFY(readBytes(exported + "/weights_manifest.json").contains("uint8"));
        TOCCATA_RUN_CLI(gen, 0, QStringList{"generate", "--model", exported, "--bars", "1",
                                            "--out", dir.filePath("g.mid")});
        TOCCATA_RUN_CLI(again, 1, QStringList{"models", "export", "--model",
                                              fixture("basic_rnn"), "--out", exported});
        QVERIFY2(again.err.contains("already holds"), qPrintable(again.err));
        TOCCATA_RUN_CLI(badFormat, 2, QStringList{"models", "export", "--model",
                                                  fixture("basic_rnn"), "--out", exported,
                                                  "--format", "onnx"});
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "TestCliGenerate.moc"
