// toccata-cli train / eval on a tiny folder of MIDI files: a short run writes metrics,
// checkpoints and a model that eval scores; bad arguments name what is wrong; and two
// processes over c10d/Gloo on loopback reach the weights one process reaches with the
// doubled batch.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <unistd.h>

#include "../../TestSupport.h"
#include "CliTestSupport.h"
#include "SmfBuilder.h"

using namespace toccata::test;

namespace {

/// 8 bars of eighth notes in C major at 120 QPM; `variant` changes the walk.
QByteArray melodyMidi(int variant) {
    static const int kScale[] = {0, 2, 4, 5, 7, 9, 11, 12};
    SmfTrack track;
    track.tempo(0, 120).timeSignature(0, 4, 4);
    for (int i = 0; i < 64; ++i)
        track.note(quint32(i * 240), 200, 0, 60 + kScale[(i * (variant + 1) + i / 8) % 8], 90);
    return smfFile(0, 480, {track});
}

QString makeCorpus(const QTemporaryDir& dir) {
    const QString data = dir.path() + "/midi";
    QDir().mkpath(data);
    for (int i = 0; i < 10; ++i)
        writeBytes(data + QStringLiteral("/tune%1.mid").arg(i), melodyMidi(i));
    writeBytes(data + "/broken.mid", "MThd not really");
    return data;
}

std::vector<float> floatsOf(const QString& file) {
    const QByteArray bytes = readBytes(file);
    std::vector<float> out(static_cast<size_t>(bytes.size()) / sizeof(float));
    std::memcpy(out.data(), bytes.constData(), out.size() * sizeof(float));
    return out;
}

QList<QJsonObject> jsonLines(const QString& text) {
    QList<QJsonObject> out;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
        if (doc.isObject()) out.push_back(doc.object());
    }
    return out;
}

}  // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

private slots:
    void trainThenEval() {
        QTemporaryDir dir;
        const QString data = makeCorpus(dir);
        const QString run = dir.path() + "/run";
        TOCCATA_RUN_CLI(train, 0,
                        {"train", "--config", "basic_rnn", "--data", data, "--out", run, "--steps", "30",
                         "--hparams", "batch_size=4,rnn_layer_sizes=[16],learning_rate=0.01,log_every=10,eval_every=10",
                         "--eval-ratio", "0.3", "--min-bars", "4", "--no-cache", "--progress", "json"});
        const QList<QJsonObject> events = jsonLines(train.out);
        QVERIFY2(!events.isEmpty(), qPrintable(train.describe()));
        QCOMPARE(events.front()["event"].toString(), QString("dataset"));
        QCOMPARE(events.front()["files_read"].toInt(), 10);
        QCOMPARE(events.front()["files_skipped"].toInt(), 1);
        QCOMPARE(events.back()["event"].toString(), QString("done"));
        QCOMPARE(events.back()["reason"].toString(), QString("finished"));
        int trainEvents = 0;
        for (const QJsonObject& e : events) trainEvents += e["event"] == "train" ? 1 : 0;
        QCOMPARE(trainEvents, 3);
        QVERIFY(QFile::exists(run + "/metrics.jsonl"));
        QVERIFY(QFile::exists(run + "/metrics.csv"));
        QVERIFY(QFile::exists(run + "/model/model.json"));
        QVERIFY(QDir(run + "/checkpoints").entryList({"step-*"}, QDir::Dirs).size() >= 1);

        TOCCATA_RUN_CLI(eval, 0, {"eval", "--model", run + "/model", "--data", data, "--json", "--no-cache"});
        QString error;
        const QJsonObject metrics = parseJsonObject(eval.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error + "\n" + eval.describe()));
        for (const char* key : {"nll_per_step", "perplexity", "accuracy", "examples", "files_skipped"})
            QVERIFY2(metrics.contains(key), key);
        QCOMPARE(metrics["files_skipped"].toInt(), 1);
        QVERIFY(metrics["examples"].toInt() >= 10);
        const double nll = metrics["nll_per_step"].toDouble();
        QVERIFY(nll > 0.0 && nll < std::log(38.0));
        QVERIFY(near(metrics["perplexity"].toDouble(), std::exp(nll), 1e-6 * std::exp(nll)));

        // Resume to more steps continues from the last checkpoint.
        TOCCATA_RUN_CLI(more, 0, {"train", "--out", run, "--resume", "--steps", "40", "--no-cache",
                                  "--progress", "json"});
        const QList<QJsonObject> resumed = jsonLines(more.out);
        bool sawResume = false;
        for (const QJsonObject& e : resumed)
            if (e["event"] == "resume") {
                sawResume = true;
                QCOMPARE(e["step"].toInt(), 30);
            }
        QVERIFY2(sawResume, qPrintable(more.describe()));
        // The resumed run keeps --eval-ratio 0.3: the same files stay held out.
        QCOMPARE(resumed.front()["event"].toString(), QString("dataset"));
        QCOMPARE(resumed.front()["eval_examples"].toInt(), events.front()["eval_examples"].toInt());
        QCOMPARE(resumed.front()["train_examples"].toInt(), events.front()["train_examples"].toInt());
    }

    void musicVaeTrainsThenSamplesAndEvaluates() {
        QTemporaryDir dir;
        const QString data = makeCorpus(dir);
        const QString run = dir.path() + "/vae";
        const QString hp = "z_size=8,enc_rnn_size=[16],dec_rnn_size=[16],batch_size=8,"
                           "log_every=5,eval_every=10,learning_rate=0.01";
        // The config names the family.
        TOCCATA_RUN_CLI(train, 0, {"train", "--config", "cat-mel_2bar_small", "--data", data, "--out", run,
                                   "--steps", "20", "--hparams", hp, "--eval-ratio", "0.3",
                                   "--progress", "json"});
        const QList<QJsonObject> events = jsonLines(train.out);
        QVERIFY2(!events.isEmpty(), qPrintable(train.describe()));
        QCOMPARE(events.front()["event"].toString(), QString("dataset"));
        QVERIFY(events.front()["train_examples"].toInt() > 10);
        QCOMPARE(events.back()["event"].toString(), QString("done"));
        const QJsonObject best = events.back()["best_eval"].toObject();
        for (const char* key : {"loss", "kl_bits", "reconstruction_accuracy", "accuracy"})
            QVERIFY2(best.contains(key), key);
        QString error;
        const QJsonObject model =
            parseJsonObject(readBytes(run + "/model/model.json"), &error);
        QCOMPARE(model["family"].toString(), QString("music_vae"));
        QCOMPARE(model["codec"].toObject()["encoding"].toString(), QString("MelodyConverter"));

        QDir().mkpath(dir.path() + "/samples");
        TOCCATA_RUN_CLI(sample, 0, {"sample", "--model", run + "/model", "--count", "2", "--bars", "4",
                                    "--seed", "1", "--out-dir", dir.path() + "/samples"});
        QCOMPARE(QDir(dir.path() + "/samples").entryList({"*.mid"}, QDir::Files).size(), 2);
        TOCCATA_RUN_CLI(eval, 0, {"eval", "--model", run + "/model", "--data", data, "--held-out",
                                  "--eval-ratio", "0.3", "--json"});
        const QJsonObject metrics = parseJsonObject(eval.out.toUtf8(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error + "\n" + eval.describe()));
        QCOMPARE(metrics["examples"].toInt(), best["examples"].toInt());
        QVERIFY(near(metrics["reconstruction_accuracy"].toDouble(),
                     best["reconstruction_accuracy"].toDouble(), 1e-9));
        TOCCATA_RUN_CLI(exported, 0, {"models", "export", "--model", run + "/model", "--out",
                                      dir.path() + "/js", "--format", "magentajs"});
        QVERIFY(QFile::exists(dir.path() + "/js/config.json"));

        TOCCATA_RUN_CLI(transpose, 2, {"train", "--config", "cat-mel_2bar_small", "--data", data,
                                       "--out", dir.path() + "/x", "--transpose", "0:3"});
        QVERIFY2(transpose.err.contains("transpose_range"), qPrintable(transpose.describe()));
    }

    void badArgumentsAreNamed() {
        QTemporaryDir dir;
        TOCCATA_RUN_CLI(config, 2, {"train", "--config", "nope", "--data", dir.path(), "--out", dir.path() + "/r"});
        QVERIFY2(config.err.contains("nope"), qPrintable(config.describe()));
        TOCCATA_RUN_CLI(missing, 3, {"train", "--config", "basic_rnn", "--data", dir.path() + "/missing",
                                     "--out", dir.path() + "/r", "--no-cache"});
        QVERIFY2(missing.err.contains("missing"), qPrintable(missing.describe()));
        TOCCATA_RUN_CLI(hparams, 2, {"train", "--config", "basic_rnn", "--data", dir.path(), "--out",
                                     dir.path() + "/r", "--hparams", "batch_size=0"});
        QVERIFY2(hparams.err.contains("batch_size"), qPrintable(hparams.describe()));
        TOCCATA_RUN_CLI(empty, 3, {"train", "--config", "basic_rnn", "--data", dir.path(), "--out",
                                   dir.path() + "/r", "--no-cache"});
        QVERIFY2(empty.err.contains("no MIDI files"), qPrintable(empty.describe()));
        TOCCATA_RUN_CLI(evalModel, 5, {"eval", "--model", dir.path() + "/nothing", "--data", dir.path()});
    }

    void twoProcessesMatchOneWithTheDoubledBatch() {
        QTemporaryDir dir;
        const QString data = makeCorpus(dir);
        const QString hp = "rnn_layer_sizes=[16],dropout_keep_prob=1.0,learning_rate=0.01,log_every=5";
        const QString port = QString::number(20000 + (::getpid() % 20000));
        const CliRun two = runCli({"train", "--config", "basic_rnn", "--data", data, "--out", dir.path() + "/two",
                                   "--steps", "12", "--hparams", hp + ",batch_size=3", "--eval-ratio", "0",
                                   "--min-bars", "4", "--no-cache", "--progress", "plain", "--nproc", "2",
                                   "--master-port", port});
        if (two.exitCode == 5 && two.err.contains("no distributed support"))
            QSKIP("this build has no c10d/Gloo");
        QVERIFY2(two.finished && two.exitCode == 0, qPrintable(two.describe()));
        TOCCATA_RUN_CLI(one, 0, {"train", "--config", "basic_rnn", "--data", data, "--out", dir.path() + "/one",
                                 "--steps", "12", "--hparams", hp + ",batch_size=6", "--eval-ratio", "0",
                                 "--min-bars", "4", "--no-cache", "--progress", "plain"});
        const std::vector<float> a = floatsOf(dir.path() + "/two/model/group1-shard1of1.bin");
        const std::vector<float> b = floatsOf(dir.path() + "/one/model/group1-shard1of1.bin");
        QVERIFY(!a.empty());
        QCOMPARE(a.size(), b.size());
        double maxDiff = 0.0;
        for (size_t i = 0; i < a.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(a[i] - b[i])));
        qInfo("2 processes x batch 3 vs 1 process x batch 6 after 12 steps: max |dw| = %.3g", maxDiff);
        QVERIFY2(maxDiff < 1e-4, qPrintable(QString::number(maxDiff)));
        // Rank 0 alone wrote the run.
        QVERIFY(QFile::exists(dir.path() + "/two/metrics.jsonl"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "TestCliTrain.moc"
