// toccata-cli with Performance RNN: train on a tiny folder of piano MIDI files, generate a
// 10 s continuation of a primer (same seed -> same file), eval the held-out files with the
// n-gram baselines (the numbers model.json records), and errors that name the bad value
// (missing model, bad density, a pitch histogram for a model without that control).
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
/// (0.125 s) lasting 100 ticks, two velocities, the sustain pedal down for the first half;
/// `variant` moves the key.
QByteArray pieceMidi(int variant, int notes) {
    static const int kOffsets[] = {0, 4, 7, 12, 16, 12, 7, 4};
    SmfTrack track;
    track.tempo(0, 120);
    track.controlChange(0, 0, 64, 127).controlChange(quint32(notes / 2 * 120), 0, 64, 0);
    for (int i = 0; i < notes; ++i)
        track.note(quint32(i * 120), 100, 0, 48 + variant + kOffsets[i % 8], i % 2 ? 60 : 90);
    return smfFile(0, 480, {track});
}

QString makeCorpus(const QTemporaryDir& dir) {
    const QString data = dir.path() + "/piano";
    QDir().mkpath(data);
    for (int i = 0; i < 10; ++i)
        writeBytes(data + QStringLiteral("/piece%1.mid").arg(i), pieceMidi(i % 5, 240));
    return data;
}

QJsonObject lastJson(const QString& text) {
    QJsonObject out;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
        if (doc.isObject()) out = doc.object();
    }
    return out;
}

}  // namespace

class TestCliPerformanceRnn : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data, m_model;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = makeCorpus(m_dir);
        const QString run = m_dir.path() + "/run";
        TOCCATA_RUN_CLI(train, 0,
                        {"train", "--config", "performance_with_dynamics", "--data", m_data,
                         "--out", run, "--steps", "40", "--hparams",
                         "rnn_layer_sizes=[32],window_events=64,batch_size=4,learning_rate=0.01,"
                         "log_every=10,eval_every=20,eval_max_windows=6",
                         "--eval-ratio", "0.3", "--progress", "json"});
        const QJsonObject done = lastJson(train.out);
        QCOMPARE(done["event"].toString(), QString("done"));
        m_model = done["model"].toString();
        QVERIFY2(QFile::exists(m_model + "/model.json"), qPrintable(train.describe()));
        const QJsonObject json =
            QJsonDocument::fromJson(readBytes(m_model + "/model.json")).object();
        QCOMPARE(json["family"].toString(), QString("performance_rnn"));
        QCOMPARE(json["codec"].toObject()["config"].toString(),
                 QString("performance_with_dynamics"));
        QVERIFY(json["provenance"].toObject()["heldOut"].toObject().contains("nll_per_event"));
    }

    void generatesTenSecondsReproducibly() {
        const QString primer = m_dir.path() + "/primer.mid";
        QVERIFY(writeBytes(primer, pieceMidi(2, 16)));  // the last note ends at 1.979 s
        const QString a = m_dir.path() + "/a.mid", b = m_dir.path() + "/b.mid";
        for (const QString& out : {a, b}) {
            TOCCATA_RUN_CLI(gen, 0,
                            {"generate", "--model", m_model, "--primer", primer, "--seconds", "10",
                             "--seed", "5", "--density", "6", "--out", out, "--json"});
            const QJsonObject o = QJsonDocument::fromJson(gen.out.toUtf8())
                                      .object()["outputs"]
                                      .toArray()
                                      .first()
                                      .toObject();
            QCOMPARE(o["endStep"].toInt() - o["startStep"].toInt(), 1000);
            QCOMPARE(o["startStep"].toInt(), 198);  // 1.979 s on the 10 ms grid
            QVERIFY(o["events"].toInt() <= o["eventBudget"].toInt());
            QCOMPARE(o["eventBudget"].toInt(), 240);  // ceil(4 x 6 x 1000 / 100)
            QVERIFY2(o["notes"].toInt() >= 16, qPrintable(gen.out));
        }
        QCOMPARE(readBytes(a), readBytes(b));
        TOCCATA_RUN_CLI(alone, 0,
                        {"generate", "--model", m_model, "--primer", primer, "--steps", "300",
                         "--seed", "5", "--continuation-only", "--out", m_dir.path() + "/c.mid"});
        QVERIFY2(alone.out.contains("1.98..4.98 s"), qPrintable(alone.out));
        QVERIFY(QFile::exists(m_dir.path() + "/c.mid"));
    }

    void evalReportsTheRecordedNumbers() {
        TOCCATA_RUN_CLI(eval, 0,
                        {"eval", "--model", m_model, "--data", m_data, "--held-out", "--eval-ratio",
                         "0.3", "--json"});
        const QJsonObject o = lastJson(eval.out);
        for (const char* key : {"nll_per_event", "perplexity", "accuracy", "unigram_nll_per_event",
                                "bigram_nll_per_event", "windows"})
            QVERIFY2(o.contains(key), key);
        const QJsonObject recorded = QJsonDocument::fromJson(readBytes(m_model + "/model.json"))
                                         .object()["provenance"]
                                         .toObject()["heldOut"]
                                         .toObject();
        QVERIFY2(
            std::abs(o["nll_per_event"].toDouble() - recorded["nll_per_event"].toDouble()) < 1e-4,
            qPrintable(eval.out));
        QCOMPARE(o["windows"].toInt(), recorded["windows"].toInt());
    }

    void errorsNameTheValue() {
        const QString out = m_dir.path() + "/x.mid";
        TOCCATA_RUN_CLI(missing, 5,
                        {"generate", "--model", m_dir.path() + "/no_such_model", "--seconds", "2",
                         "--out", out});
        QVERIFY2(missing.err.contains("no_such_model"), qPrintable(missing.describe()));
        TOCCATA_RUN_CLI(word, 2,
                        {"generate", "--model", m_model, "--density", "lots", "--out", out});
        QVERIFY2(word.err.contains("--density") && word.err.contains("lots"),
                 qPrintable(word.describe()));
        TOCCATA_RUN_CLI(negative, 2,
                        {"generate", "--model", m_model, "--density", "-4", "--out", out});
        QVERIFY2(negative.err.contains("-4"), qPrintable(negative.describe()));
        TOCCATA_RUN_CLI(histogram, 2,
                        {"generate", "--model", m_model, "--pitch-histogram",
                         "1,0,1,0,1,1,0,1,0,1,0,1", "--out", out});
        QVERIFY2(histogram.err.contains("1,0,1,0,1,1,0,1,0,1,0,1") &&
                     histogram.err.contains("pitch-class histogram"),
                 qPrintable(histogram.describe()));
        TOCCATA_RUN_CLI(bars, 2, {"generate", "--model", m_model, "--bars", "4", "--out", out});
        QVERIFY2(bars.err.contains("--seconds"), qPrintable(bars.describe()));
        TOCCATA_RUN_CLI(badConfig, 2,
                        {"train", "--family", "performance_rnn", "--config", "performance_xl",
                         "--data", m_data, "--out", m_dir.path() + "/bad"});
        QVERIFY2(badConfig.err.contains("performance_xl"), qPrintable(badConfig.describe()));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliPerformanceRnn)
#include "TestCliPerformanceRnn.moc"
