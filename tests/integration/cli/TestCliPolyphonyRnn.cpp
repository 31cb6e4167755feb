// toccata-cli with Polyphony RNN: train --config polyphony on a tiny folder of chorale-like
// MIDI files, generate from a file primer and from --primer-pitches (same seed -> same file;
// injection keeps the primer; --condition-on-primer / --no-inject-primer), eval the held-out
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

/// Four voices, a chord per quarter (480 ticks) at 120 QPM for `bars` bars; `variant` moves
/// the key.
QByteArray choraleMidi(int variant, int bars) {
    static const int kChords[][4] = {{48, 55, 64, 72}, {53, 57, 65, 72}, {55, 59, 62, 71},
                                     {48, 55, 64, 67}, {45, 57, 64, 69}, {50, 57, 65, 69},
                                     {43, 55, 62, 71}, {48, 52, 60, 72}};
    SmfTrack track;
    track.tempo(0, 120);
    for (int q = 0; q < bars * 4; ++q)
        for (int v = 0; v < 4; ++v)
            track.note(quint32(q * 480), 480, 0, kChords[q % 8][v] + variant, 80);
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

QJsonObject firstOutput(const QString& out) {
    return QJsonDocument::fromJson(out.toUtf8()).object()["outputs"].toArray().first().toObject();
}

}  // namespace

class TestCliPolyphonyRnn : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data, m_model;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.path() + "/chorales";
        QDir().mkpath(m_data);
        for (int i = 0; i < 8; ++i)
            QVERIFY(writeBytes(m_data + QStringLiteral("/chorale%1.mid").arg(i),
                               choraleMidi(i % 4, 8)));
        const QString run = m_dir.path() + "/run";
        TOCCATA_RUN_CLI(train, 0,
                        {"train", "--config", "polyphony", "--data", m_data, "--out", run,
                         "--steps", "30", "--hparams",
                         "rnn_layer_sizes=[32],batch_size=4,learning_rate=0.01,log_every=10,"
                         "eval_every=15,min_steps=16",
                         "--eval-ratio", "0.3", "--progress", "json"});
        const QJsonObject done = lastJson(train.out);
        QCOMPARE(done["event"].toString(), QString("done"));
        m_model = done["model"].toString();
        QVERIFY2(QFile::exists(m_model + "/model.json"), qPrintable(train.describe()));
        const QJsonObject json =
            QJsonDocument::fromJson(readBytes(m_model + "/model.json")).object();
        QCOMPARE(json["family"].toString(), QString("polyphony_rnn"));
        QCOMPARE(json["codec"].toObject()["config"].toString(), QString("polyphony"));
        QVERIFY(json["provenance"].toObject()["heldOut"].toObject().contains("nll_per_event"));
    }

    void generatesReproducibly() {
        const QString primer = m_dir.path() + "/primer.mid";
        QVERIFY(writeBytes(primer, choraleMidi(0, 1)));  // 16 steps
        const QString a = m_dir.path() + "/a.mid", b = m_dir.path() + "/b.mid";
        for (const QString& out : {a, b}) {
            TOCCATA_RUN_CLI(gen, 0,
                            {"generate", "--model", m_model, "--primer", primer, "--steps", "32",
                             "--seed", "5", "--temperature", "0.9", "--out", out, "--json"});
            const QJsonObject o = firstOutput(gen.out);
            QCOMPARE(o["startStep"].toInt(), 16);
            QCOMPARE(o["endStep"].toInt(), 48);
            QVERIFY2(o["injectedEvents"].toInt() == 64, qPrintable(gen.out));  // 16 NEW + 48 CONT
            QVERIFY2(o["notes"].toInt() >= 32, qPrintable(gen.out));  // the primer twice
        }
        QCOMPARE(readBytes(a), readBytes(b));
        TOCCATA_RUN_CLI(cond, 0,
                        {"generate", "--model", m_model, "--primer", primer, "--bars", "2",
                         "--seed", "5", "--condition-on-primer", "--no-inject-primer", "--out",
                         m_dir.path() + "/c.mid", "--json"});
        const QJsonObject c = firstOutput(cond.out);
        QCOMPARE(c["endStep"].toInt(), 48);
        QCOMPARE(c["injectedEvents"].toInt(), 0);
        TOCCATA_RUN_CLI(
            chord, 0,
            {"generate", "--model", m_model, "--primer-pitches", "[60,64,67]", "--num-steps", "32",
             "--seed", "1", "--continuation-only", "--out", m_dir.path() + "/d.mid"});
        QVERIFY2(chord.out.contains("steps 4..32"), qPrintable(chord.out));
        QVERIFY(QFile::exists(m_dir.path() + "/d.mid"));
    }

    void evalReportsTheRecordedNumbers() {
        TOCCATA_RUN_CLI(eval, 0,
                        {"eval", "--model", m_model, "--data", m_data, "--held-out", "--eval-ratio",
                         "0.3", "--json"});
        const QJsonObject o = lastJson(eval.out);
        for (const char* key : {"nll_per_event", "perplexity", "accuracy", "unigram_nll_per_event",
                                "bigram_nll_per_event", "examples"})
            QVERIFY2(o.contains(key), key);
        const QJsonObject recorded = QJsonDocument::fromJson(readBytes(m_model + "/model.json"))
                                         .object()["provenance"]
                                         .toObject()["heldOut"]
                                         .toObject();
        QVERIFY2(
            std::abs(o["nll_per_event"].toDouble() - recorded["nll_per_event"].toDouble()) < 1e-4,
            qPrintable(eval.out));
    }

    void errorsNameTheValue() {
        const QString out = m_dir.path() + "/x.mid";
        TOCCATA_RUN_CLI(
            pitch, 2, {"generate", "--model", m_model, "--primer-pitches", "60,640", "--out", out});
        QVERIFY2(pitch.err.contains("640"), qPrintable(pitch.describe()));
        TOCCATA_RUN_CLI(
            word, 2, {"generate", "--model", m_model, "--primer-pitches", "C,E,G", "--out", out});
        QVERIFY2(word.err.contains("'C'"), qPrintable(word.describe()));
        TOCCATA_RUN_CLI(chords, 2,
                        {"generate", "--model", m_model, "--chords", "C G", "--out", out});
        QVERIFY2(chords.err.contains("--chords"), qPrintable(chords.describe()));
        const QString primer = m_dir.path() + "/primer.mid";
        QVERIFY(writeBytes(primer, choraleMidi(0, 1)));
        TOCCATA_RUN_CLI(
            tooShort, 1,
            {"generate", "--model", m_model, "--primer", primer, "--num-steps", "8", "--out", out});
        QVERIFY2(tooShort.err.contains("primer is longer"), qPrintable(tooShort.describe()));
        TOCCATA_RUN_CLI(hp, 2,
                        {"train", "--config", "polyphony", "--data", m_data, "--out",
                         m_dir.path() + "/bad", "--hparams", "chunk_steps=3"});
        QVERIFY2(hp.err.contains("chunk_steps"), qPrintable(hp.describe()));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliPolyphonyRnn)
#include "TestCliPolyphonyRnn.moc"
