// toccata-cli with the Music Transformer: train a tiny one on a folder of piano MIDI files plus
// an --extra-data folder, generate continuations of a primer (same seed -> same file; output
// i of seed S = output 1 of seed S + i - 1; top-k/top-p; from nothing), eval the held-out
// files with the n-gram baselines (the numbers model.json records), and errors that name the
// bad value.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include "../../TestSupport.h"
#include "CliTestSupport.h"
#include "SmfBuilder.h"

using namespace toccata::test;

namespace {

/// A piano piece at 120 QPM (480 ticks = 0.5 s): a broken chord, a note every 120 ticks
/// (0.125 s) lasting 100 ticks, two velocities; `variant` moves the key.
QByteArray pieceMidi(int variant, int notes) {
    static const int kOffsets[] = {0, 4, 7, 12, 16, 12, 7, 4};
    SmfTrack track;
    track.tempo(0, 120);
    for (int i = 0; i < notes; ++i)
        track.note(quint32(i * 120), 100, 0, 48 + variant + kOffsets[i % 8], i % 2 ? 60 : 90);
    return smfFile(0, 480, {track});
}

QJsonObject lastJson(const QString& text) {
    QJsonObject out;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
        if (doc.isObject()) out = doc.object();
    }
    return out;
}

QJsonObject jsonEvent(const QString& text, const QString& kind) {
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (o["event"].toString() == kind) return o;
    }
    return {};
}

QJsonObject firstOutput(const QString& out) {
    return QJsonDocument::fromJson(out.toUtf8()).object()["outputs"].toArray().first().toObject();
}

}  // namespace

class TestCliMusicTransformer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data, m_model, m_primer;

    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = path("piano");
        const QString extra = path("more");
        QDir().mkpath(m_data);
        QDir().mkpath(extra);
        for (int i = 0; i < 6; ++i)
            QVERIFY(writeBytes(m_data + QStringLiteral("/piece%1.mid").arg(i), pieceMidi(i, 120)));
        for (int i = 0; i < 2; ++i)
            QVERIFY(
                writeBytes(extra + QStringLiteral("/song%1.mid").arg(i), pieceMidi(5 + i, 120)));
        m_primer = path("primer.mid");
        QVERIFY(writeBytes(m_primer, pieceMidi(2, 16)));  // the last note ends at 1.979 s

        const QString run = path("run");
        TOCCATA_RUN_CLI(train, 0,
                        {"train", "--config", "music_transformer", "--data", m_data, "--extra-data",
                         extra, "--out", run, "--steps", "20", "--hparams",
                         "num_layers=1,d_model=16,num_heads=2,ff_size=32,"
                         "max_relative_distance=16,window_events=32,batch_size=4,lr=0.003,"
                         "warmup_steps=0,log_every=5,eval_every=10,eval_windows=6",
                         "--eval-ratio", "0.5", "--progress", "json", "--no-cache"});
        const QJsonObject dataset = jsonEvent(train.out, "dataset");
        QCOMPARE(dataset["files_read"].toInt(), 8);  // --data and --extra-data
        QVERIFY2(dataset["eval_examples"].toInt() > 0, qPrintable(train.describe()));
        const QJsonObject done = lastJson(train.out);
        QCOMPARE(done["event"].toString(), QString("done"));
        m_model = done["model"].toString();
        QVERIFY2(QFile::exists(m_model + "/model.json"), qPrintable(train.describe()));
        const QJsonObject json =
            QJsonDocument::fromJson(readBytes(m_model + "/model.json")).object();
        QCOMPARE(json["family"].toString(), QString("music_transformer"));
        QCOMPARE(json["codec"].toObject()["encoding"].toString(), QString("performance"));
        QVERIFY(json["provenance"].toObject()["heldOut"].toObject().contains("nll_per_event"));
        const QJsonObject runJson = QJsonDocument::fromJson(readBytes(run + "/run.json")).object();
        QCOMPARE(runJson["family"].toString(), QString("music_transformer"));
        QCOMPARE(runJson["extra_data"].toString(), extra);
    }

    void generatesReproducibly() {
        const QStringList base = {"generate", "--model", m_model, "--primer", m_primer, "--seconds",
                                  "5",        "--top-k", "50",    "--top-p",  "0.95",   "--json"};
        const QString a = path("a.mid"), b = path("b.mid"), c = path("c.mid");
        for (const QString& out : {a, b}) {
            TOCCATA_RUN_CLI(gen, 0, base + QStringList{"--seed", "5", "--out", out});
            const QJsonObject o = firstOutput(gen.out);
            QVERIFY2(std::abs(o["startSeconds"].toDouble() - 1.98) < 1e-6, qPrintable(gen.out));
            QVERIFY(std::abs(o["endSeconds"].toDouble() - 6.98) < 1e-6);
            QCOMPARE(o["seed"].toInt(), 5);
            QVERIFY(o["events"].toInt() > 0);
            QCOMPARE(o["notes"].toInt(), 16 + o["generatedNotes"].toInt());
        }
        QVERIFY(!readBytes(a).isEmpty());
        QCOMPARE(readBytes(a), readBytes(b));
        TOCCATA_RUN_CLI(other, 0, base + QStringList{"--seed", "6", "--out", c});
        QVERIFY(readBytes(a) != readBytes(c));
        // Output i of seed 5 is output 1 of seed 5 + i - 1.
        TOCCATA_RUN_CLI(
            two, 0,
            base + QStringList{"--seed", "5", "--num-outputs", "2", "--out", path("k.mid")});
        QCOMPARE(readBytes(path("k_1.mid")), readBytes(a));
        QCOMPARE(readBytes(path("k_2.mid")), readBytes(c));

        TOCCATA_RUN_CLI(
            alone, 0,
            {"generate", "--model", m_model, "--primer", m_primer, "--seconds", "3", "--seed", "5",
             "--temperature", "0.5", "--continuation-only", "--out", path("d.mid")});
        QVERIFY2(alone.out.contains("1.98..4.98 s"), qPrintable(alone.out));
        QVERIFY(QFile::exists(path("d.mid")));
        TOCCATA_RUN_CLI(silence, 0,
                        {"generate", "--model", m_model, "--seconds", "2", "--seed", "1", "--out",
                         path("e.mid")});
        QVERIFY2(silence.out.contains("0.00..2.00 s"), qPrintable(silence.out));
    }

    void evalReportsTheRecordedNumbers() {
        const QStringList base = {"eval",         "--model",      m_model,      "--data",
                                  m_data,         "--extra-data", path("more"), "--held-out",
                                  "--eval-ratio", "0.5"};
        TOCCATA_RUN_CLI(eval, 0, base + QStringList{"--json"});
        const QJsonObject o = lastJson(eval.out);
        for (const char* key : {"nll_per_event", "perplexity", "accuracy", "unigram_nll_per_event",
                                "bigram_nll_per_event", "windows", "window_events"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["window_events"].toInt(), 32);
        const QJsonObject recorded = QJsonDocument::fromJson(readBytes(m_model + "/model.json"))
                                         .object()["provenance"]
                                         .toObject()["heldOut"]
                                         .toObject();
        for (const char* key : {"nll_per_event", "unigram_nll_per_event", "bigram_nll_per_event"})
            QVERIFY2(std::abs(o[key].toDouble() - recorded[key].toDouble()) < 1e-4,
                     qPrintable(QString(key) + "\n" + eval.out));
        QCOMPARE(o["windows"].toInt(), recorded["windows"].toInt());
        TOCCATA_RUN_CLI(table, 0, base);
        QVERIFY2(table.out.contains("NLL per event") && table.out.contains("bigram NLL"),
                 qPrintable(table.out));
    }

    void errorsNameTheValue() {
        const QString out = path("x.mid");
        TOCCATA_RUN_CLI(topP, 2, {"generate", "--model", m_model, "--top-p", "0", "--out", out});
        QVERIFY2(topP.err.contains("--top-p 0"), qPrintable(topP.describe()));
        TOCCATA_RUN_CLI(topK, 2, {"generate", "--model", m_model, "--top-k", "-3", "--out", out});
        QVERIFY2(topK.err.contains("--top-k") && topK.err.contains("-3"),
                 qPrintable(topK.describe()));
        TOCCATA_RUN_CLI(seconds, 2,
                        {"generate", "--model", m_model, "--seconds", "soon", "--out", out});
        QVERIFY2(seconds.err.contains("soon"), qPrintable(seconds.describe()));
        TOCCATA_RUN_CLI(bars, 2, {"generate", "--model", m_model, "--bars", "4", "--out", out});
        QVERIFY2(bars.err.contains("--bars") && bars.err.contains("--seconds"),
                 qPrintable(bars.describe()));
        TOCCATA_RUN_CLI(density, 2,
                        {"generate", "--model", m_model, "--density", "4", "--out", out});
        QVERIFY2(density.err.contains("--density"), qPrintable(density.describe()));
        // The RNN families refuse the transformer's sampling options.
        const QString rnn = sourceDir() + "/tests/data/parity/music_rnn/basic_rnn";
        TOCCATA_RUN_CLI(rnnTopK, 2, {"generate", "--model", rnn, "--top-k", "5", "--out", out});
        QVERIFY2(rnnTopK.err.contains("--top-k is for music_transformer"),
                 qPrintable(rnnTopK.describe()));
        QVERIFY(!QFile::exists(out));

        TOCCATA_RUN_CLI(badConfig, 2,
                        {"train", "--family", "music_transformer", "--config", "transformer_xl",
                         "--data", m_data, "--out", path("bad")});
        QVERIFY2(badConfig.err.contains("transformer_xl"), qPrintable(badConfig.describe()));
        TOCCATA_RUN_CLI(
            heads, 2,
            {"train", "--config", "music_transformer", "--data", m_data, "--out", path("bad2"),
             "--hparams", "d_model=15,num_heads=2", "--progress", "plain"});
        QVERIFY2(heads.err.contains("d_model 15"), qPrintable(heads.describe()));
        TOCCATA_RUN_CLI(transpose, 2,
                        {"train", "--config", "music_transformer", "--data", m_data, "--out",
                         path("bad3"), "--transpose", "0:2"});
        QVERIFY2(transpose.err.contains("transpose_max"), qPrintable(transpose.describe()));
        TOCCATA_RUN_CLI(extra, 2,
                        {"train", "--config", "basic_rnn", "--data", m_data, "--extra-data", m_data,
                         "--out", path("bad4")});
        QVERIFY2(extra.err.contains("--extra-data"), qPrintable(extra.describe()));
        TOCCATA_RUN_CLI(missing, 3,
                        {"train", "--config", "music_transformer", "--data", m_data, "--extra-data",
                         path("no_such_folder"), "--out", path("bad5"), "--progress", "plain"});
        QVERIFY2(missing.err.contains("no_such_folder"), qPrintable(missing.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliMusicTransformer)
#include "TestCliMusicTransformer.moc"
