// toccata-cli info on MIDI files written byte by byte: text and --json output (tracks, programs,
// drums, tempo map, metre, duration, note counts) and its errors.
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

namespace {

/// The info-JSON tracks on `channel` (0-based), merged in file order: one MIDI channel can
/// only be one instrument per track, but the tests do not depend on instrument numbers.
QJsonObject trackOnChannel(const QJsonObject& info, int channel) {
    QJsonObject merged;
    QJsonArray programs;
    int notes = 0;
    for (const QJsonValue& v : info.value("tracks").toArray()) {
        const QJsonObject t = v.toObject();
        if (t.value("channel").toInt(-100) != channel) continue;
        if (merged.isEmpty()) merged = t;
        for (const QJsonValue& p : t.value("programs").toArray())
            if (!programs.contains(p)) programs.append(p);
        notes += t.value("noteCount").toInt();
    }
    if (!merged.isEmpty()) {
        merged["programs"] = programs;
        merged["noteCount"] = notes;
    }
    return merged;
}

QList<int> ints(const QJsonArray& a) {
    QList<int> out;
    for (const QJsonValue& v : a) out.append(v.toInt(-1));
    return out;
}

}  // namespace

class TestCliInfo : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void jsonDescribesTheFile();
    void jsonTracks();
    void textDescribesTheFile();
    void formatZeroFile();
    void noteSequenceJsonInput();
    void missingFile();
    void corruptFiles_data();
    void corruptFiles();

private:
    QTemporaryDir m_dir;
    QString m_band;
    QJsonObject runJson(const QString& path);
};

void TestCliInfo::initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    QVERIFY(m_dir.isValid());
    m_band = m_dir.filePath("band.mid");
    QVERIFY(writeBytes(m_band, bandMidi()));
}

QJsonObject TestCliInfo::runJson(const QString& path) {
    const CliRun run = runCli({"info", "--in", path, "--json"});
    if (!run.finished || run.exitCode != 0) {
        qWarning("%s", qPrintable(run.describe()));
        return {};
    }
    QString error;
    const QJsonObject info = parseJsonObject(run.out.toUtf8(), &error);
    if (!error.isEmpty()) qWarning("%s", qPrintable(error));
    return info;
}

void TestCliInfo::jsonDescribesTheFile() {
    const QJsonObject info = runJson(m_band);
    QVERIFY(!info.isEmpty());
    QCOMPARE(info.value("file").toString(), m_band);
    QCOMPARE(info.value("title").toString(), QStringLiteral("Toccata Test"));
    QCOMPARE(info.value("ticksPerQuarter").toInt(), 480);
    QVERIFY2(near(info.value("duration").toDouble(), 7.25),
             qPrintable(QString::number(info.value("duration").toDouble())));
    QCOMPARE(info.value("bars").toInt(), 3);
    QCOMPARE(info.value("noteCount").toInt(), 10);
    QCOMPARE(info.value("drumNoteCount").toInt(), 4);

    const QJsonArray tempos = info.value("tempos").toArray();
    QCOMPARE(tempos.size(), 2);
    QVERIFY(near(tempos[0].toObject().value("time").toDouble(-1), 0.0));
    QVERIFY(near(tempos[0].toObject().value("qpm").toDouble(), 120.0));
    QVERIFY(near(tempos[1].toObject().value("time").toDouble(), 2.0));
    QVERIFY(near(tempos[1].toObject().value("qpm").toDouble(), 60.0));

    const QJsonArray signatures = info.value("timeSignatures").toArray();
    QCOMPARE(signatures.size(), 2);
    QVERIFY(near(signatures[0].toObject().value("time").toDouble(-1), 0.0));
    QCOMPARE(signatures[0].toObject().value("numerator").toInt(), 4);
    QCOMPARE(signatures[0].toObject().value("denominator").toInt(), 4);
    QVERIFY(near(signatures[1].toObject().value("time").toDouble(), 6.0));
    QCOMPARE(signatures[1].toObject().value("numerator").toInt(), 3);
    QCOMPARE(signatures[1].toObject().value("denominator").toInt(), 4);

    const QJsonArray keys = info.value("keySignatures").toArray();
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys[0].toObject().value("key").toInt(-1), 4);   // E
    QCOMPARE(keys[0].toObject().value("mode").toInt(-1), 1);  // Magenta's MINOR
    QCOMPARE(keys[0].toObject().value("name").toString(), QStringLiteral("E minor"));
}

void TestCliInfo::jsonTracks() {
    const QJsonObject info = runJson(m_band);
    QVERIFY(!info.isEmpty());
    QCOMPARE(info.value("tracks").toArray().size(), 4);  // one per (track, channel)

    const QJsonObject piano = trackOnChannel(info, 0);
    QCOMPARE(piano.value("name").toString(), QStringLiteral("Piano"));
    QCOMPARE(ints(piano.value("programs").toArray()), (QList<int>{0, 4}));
    QCOMPARE(piano.value("isDrum").toBool(true), false);
    QCOMPARE(piano.value("noteCount").toInt(), 3);
    QCOMPARE(piano.value("minPitch").toInt(), 60);
    QCOMPARE(piano.value("maxPitch").toInt(), 67);
    QVERIFY(near(piano.value("startTime").toDouble(-1), 0.0));
    QVERIFY(near(piano.value("endTime").toDouble(), 3.0));

    const QJsonObject strings = trackOnChannel(info, 2);
    QCOMPARE(strings.value("name").toString(), QStringLiteral("Piano"));  // same MIDI track
    QCOMPARE(ints(strings.value("programs").toArray()), QList<int>{48});
    QCOMPARE(strings.value("noteCount").toInt(), 1);
    QVERIFY(near(strings.value("startTime").toDouble(), 2.0));
    QVERIFY(near(strings.value("endTime").toDouble(), 4.0));

    const QJsonObject bass = trackOnChannel(info, 1);
    QCOMPARE(bass.value("name").toString(), QStringLiteral("Bass"));
    QCOMPARE(ints(bass.value("programs").toArray()), QList<int>{33});
    QCOMPARE(bass.value("isDrum").toBool(true), false);
    QCOMPARE(bass.value("noteCount").toInt(), 2);
    QCOMPARE(bass.value("minPitch").toInt(), 36);
    QCOMPARE(bass.value("maxPitch").toInt(), 43);
    QVERIFY(near(bass.value("endTime").toDouble(), 6.0));

    const QJsonObject drums = trackOnChannel(info, 9);
    QCOMPARE(drums.value("name").toString(), QStringLiteral("Drums"));
    QCOMPARE(drums.value("isDrum").toBool(false), true);
    QCOMPARE(drums.value("noteCount").toInt(), 4);
    QCOMPARE(drums.value("minPitch").toInt(), 36);
    QCOMPARE(drums.value("maxPitch").toInt(), 42);
    QVERIFY(near(drums.value("startTime").toDouble(-1), 0.0));
    QVERIFY(near(drums.value("endTime").toDouble(), 7.25));
}

void TestCliInfo::textDescribesTheFile() {
    TOCCATA_RUN_CLI(run, 0, {"info", "--in", m_band});
    const QString& out = run.out;
    QVERIFY2(out.startsWith("file:        " + m_band + "\n"), qPrintable(out));
    QVERIFY2(out.contains("title:       Toccata Test\n"), qPrintable(out));
    QVERIFY2(out.contains("duration:    7.250 s, 3 bars\n"), qPrintable(out));
    QVERIFY2(out.contains("resolution:  480 ticks per quarter\n"), qPrintable(out));
    QVERIFY2(out.contains("notes:       10 (4 drum)\n"), qPrintable(out));
    QVERIFY2(out.contains("120.00 QPM at 0.000 s (bar 1);"), qPrintable(out));
    QVERIFY2(out.contains("60.00 QPM at 2.000 s (bar 2);"), qPrintable(out));
    QVERIFY2(out.contains("4/4 at 0.000 s;"), qPrintable(out));
    QVERIFY2(out.contains("3/4 at 6.000 s;"), qPrintable(out));
    QVERIFY2(out.contains("E minor at 0.000 s;"), qPrintable(out));
    QVERIFY2(out.contains("tracks:      4\n"), qPrintable(out));
    QVERIFY2(
        out.contains(QRegularExpression(
            R"(\] Piano  channel 1  program 0 4  3 notes  pitch 60\.\.67  0\.000-3\.000 s\n)")),
        qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(
                 R"(\] Piano  channel 3  program 48  1 notes  pitch 72\.\.72  2\.000-4\.000 s\n)")),
             qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(
                 R"(\] Bass  channel 2  program 33  2 notes  pitch 36\.\.43  0\.000-6\.000 s\n)")),
             qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(
                 R"(\] Drums  channel 10  drums  4 notes  pitch 36\.\.42  0\.000-7\.250 s\n)")),
             qPrintable(out));
    QCOMPARE(run.err, QString());
}

void TestCliInfo::formatZeroFile() {
    const QString path = m_dir.filePath("simple.mid");
    QVERIFY(writeBytes(path, simpleMidi()));
    const QJsonObject info = runJson(path);
    QVERIFY(!info.isEmpty());
    QCOMPARE(info.value("ticksPerQuarter").toInt(), 96);
    QVERIFY(near(info.value("duration").toDouble(), 1.35));
    QCOMPARE(info.value("bars").toInt(), 1);
    QCOMPARE(info.value("noteCount").toInt(), 3);
    QCOMPARE(info.value("drumNoteCount").toInt(), 1);
    QCOMPARE(info.value("tracks").toArray().size(), 2);
    const QJsonObject keys = trackOnChannel(info, 0);
    QCOMPARE(ints(keys.value("programs").toArray()), QList<int>{5});
    QCOMPARE(keys.value("noteCount").toInt(), 2);
    QVERIFY(near(keys.value("endTime").toDouble(), 1.1875));
    const QJsonObject drums = trackOnChannel(info, 9);
    QCOMPARE(drums.value("isDrum").toBool(false), true);
    QCOMPARE(drums.value("noteCount").toInt(), 1);
    QVERIFY(near(drums.value("startTime").toDouble(), 1.2));
    QCOMPARE(info.value("tempos").toArray().size(), 1);
    QVERIFY(near(info.value("tempos").toArray()[0].toObject().value("qpm").toDouble(), 100.0));
}

void TestCliInfo::noteSequenceJsonInput() {
    const QString path = m_dir.filePath("magenta.json");
    QVERIFY(writeBytes(path, R"({"notes": [
        {"pitch": 60, "velocity": 80, "startTime": 0, "endTime": 1, "program": 40},
        {"pitch": 36, "velocity": 90, "startTime": 1, "endTime": 1.5, "instrument": 9,
         "isDrum": true}],
      "tempos": [{"qpm": 60}], "totalTime": 1.5})"));
    const QJsonObject info = runJson(path);
    QVERIFY(!info.isEmpty());
    QCOMPARE(info.value("noteCount").toInt(), 2);
    QCOMPARE(info.value("drumNoteCount").toInt(), 1);
    QVERIFY(near(info.value("duration").toDouble(), 1.5));
    QCOMPARE(info.value("bars").toInt(), 1);  // 1.5 quarters at 60 QPM
    const QJsonArray tracks = info.value("tracks").toArray();
    QCOMPARE(tracks.size(), 2);
    QCOMPARE(tracks[0].toObject().value("instrument").toInt(), 0);
    QCOMPARE(ints(tracks[0].toObject().value("programs").toArray()), QList<int>{40});
    QCOMPARE(tracks[1].toObject().value("instrument").toInt(), 9);
    QCOMPARE(tracks[1].toObject().value("isDrum").toBool(), true);
}

void TestCliInfo::missingFile() {
    const QString path = m_dir.filePath("nowhere/absent.mid");
    TOCCATA_RUN_CLI(run, 3, {"info", "--in", path});
    QVERIFY2(run.err.contains(path), qPrintable(run.err));
    QCOMPARE(run.out, QString());
}

void TestCliInfo::corruptFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = bandMidi();
    QTest::newRow("truncated in a track") << good.left(good.size() / 2);
    QTest::newRow("truncated in the header") << good.left(10);
    QTest::newRow("not MIDI at all") << QByteArray("this is not a MIDI file, honestly\n");
    QTest::newRow("empty") << QByteArray();
    // A track that starts with a data byte: running status with no status before it.
    QTest::newRow("data byte without status")
        << QByteArray("MThd") + bigEndian(6, 4) + bigEndian(0, 2) + bigEndian(1, 2) +
               bigEndian(96, 2) + QByteArray("MTrk") + bigEndian(4, 4) +
               SmfTrack::bytes({0x00, 0x40, 0x40, 0x00});
    // The first track chunk claims 300 bytes; far fewer follow.
    QByteArray overlong = simpleMidi();
    overlong.replace(18, 4, bigEndian(300, 4));
    QTest::newRow("track length past the end") << overlong;
    QTest::newRow("header declares more tracks") << simpleMidi().replace(10, 2, bigEndian(2, 2));
}

void TestCliInfo::corruptFiles() {
    QFETCH(QByteArray, bytes);
    const QString path = m_dir.filePath(
        QStringLiteral("corrupt-%1.mid").arg(QTest::currentDataTag()).replace(' ', '-'));
    QVERIFY(writeBytes(path, bytes));
    TOCCATA_RUN_CLI(run, 3, {"info", "--in", path});
    QVERIFY2(run.err.contains(path), qPrintable(run.err));
    QVERIFY2(run.err.contains(QRegularExpression("offset \\d+")), qPrintable(run.err));
    QCOMPARE(run.out, QString());
}

QTEST_GUILESS_MAIN(TestCliInfo)
#include "TestCliInfo.moc"
