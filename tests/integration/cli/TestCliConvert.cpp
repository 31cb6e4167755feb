// toccata-cli convert: MIDI -> NoteSequence JSON (Magenta.js field names, seconds from ticks
// and the tempo map), JSON -> MIDI -> JSON round trips, --quantize, --ppq, and its errors.
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace toccata::test;

namespace {

QString describe(const std::vector<NoteFacts>& notes) {
    QStringList lines;
    for (const NoteFacts& n : notes)
        lines << QStringLiteral("%1 v%2 %3-%4 p%5%6")
                     .arg(n.pitch)
                     .arg(n.velocity)
                     .arg(n.start, 0, 'g', 17)
                     .arg(n.end, 0, 'g', 17)
                     .arg(n.program)
                     .arg(n.isDrum ? " drum" : "");
    return lines.join('\n');
}

bool sameNotes(const std::vector<NoteFacts>& a, const std::vector<NoteFacts>& b, double eps) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].pitch != b[i].pitch || a[i].velocity != b[i].velocity ||
            a[i].program != b[i].program || a[i].isDrum != b[i].isDrum ||
            !near(a[i].start, b[i].start, eps) || !near(a[i].end, b[i].end, eps))
            return false;
    }
    return true;
}

#define TOCCATA_COMPARE_NOTES(actual, expected, eps) \
    QVERIFY2(sameNotes((actual), (expected), (eps)), \
             qPrintable("actual:\n" + describe(actual) + "\nexpected:\n" + describe(expected)))

}  // namespace

class TestCliConvert : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void midiToJsonNotes();
    void midiToJsonUsesMagentaJsFieldNames();
    void midiToJsonTimingAndMetadata();
    void jsonToMidiAndBack();
    void magentaJsJsonToMidiAndBack();
    void ppqSetsTheMidiResolution();
    void quantize();
    void quantizeWithTempoChangesFails();
    void midiToMidi();
    void missingInput();
    void corruptMidiInput_data();
    void corruptMidiInput();
    void invalidJsonInput();
    void unwritableOutput_data();
    void unwritableOutput();

private:
    QJsonObject convertToJson(const QString& in, const QString& name, QStringList extra = {});
    QTemporaryDir m_dir;
    QString m_band;
    QString m_simple;
    QJsonObject m_bandJson;
};

QJsonObject TestCliConvert::convertToJson(const QString& in, const QString& name,
                                          QStringList extra) {
    const QString out = m_dir.filePath(name);
    const CliRun run = runCli(QStringList{"convert", "--in", in, "--out", out} + extra);
    if (!run.finished || run.exitCode != 0) {
        qWarning("%s", qPrintable(run.describe()));
        return {};
    }
    QString error;
    const QJsonObject json = parseJsonObject(readBytes(out), &error);
    if (!error.isEmpty()) qWarning("%s", qPrintable(error));
    return json;
}

void TestCliConvert::initTestCase() {
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
    QVERIFY(m_dir.isValid());
    m_band = m_dir.filePath("band.mid");
    m_simple = m_dir.filePath("simple.mid");
    QVERIFY(writeBytes(m_band, bandMidi()));
    QVERIFY(writeBytes(m_simple, simpleMidi()));
    TOCCATA_RUN_CLI(run, 0, {"convert", "--in", m_band, "--out", m_dir.filePath("band.json")});
    QVERIFY2(run.out.contains("wrote " + m_dir.filePath("band.json") + " (10 notes)"),
             qPrintable(run.out));
    QString error;
    m_bandJson = parseJsonObject(readBytes(m_dir.filePath("band.json")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestCliConvert::midiToJsonNotes() {
    const std::vector<NoteFacts> expected = [] {
        std::vector<NoteFacts> n = {
            {60, 100, 0.0, 0.5, 0, false}, {64, 90, 0.5, 1.0, 0, false},
            {67, 80, 1.0, 3.0, 4, false},  {72, 60, 2.0, 4.0, 48, false},
            {36, 70, 0.0, 2.0, 33, false}, {43, 75, 2.0, 6.0, 33, false},
            {36, 110, 0.0, 0.25, 0, true}, {38, 100, 0.5, 0.75, 0, true},
            {42, 90, 1.0, 1.125, 0, true}, {36, 120, 7.0, 7.25, 0, true},
        };
        std::sort(n.begin(), n.end());
        return n;
    }();
    TOCCATA_COMPARE_NOTES(noteFacts(m_bandJson), expected, 1e-9);

    // Notes from different (track, channel) pairs are different instruments.
    const int piano = findNote(m_bandJson, 60, false).value("instrument").toInt(-1);
    const int strings = findNote(m_bandJson, 72, false).value("instrument").toInt(-1);
    const int bass = findNote(m_bandJson, 43, false).value("instrument").toInt(-1);
    const int drums = findNote(m_bandJson, 38, true).value("instrument").toInt(-1);
    QCOMPARE(findNote(m_bandJson, 67, false).value("instrument").toInt(-1), piano);
    QCOMPARE(QSet<int>({piano, strings, bass, drums}).size(), 4);
    QVERIFY(piano >= 0 && strings >= 0 && bass >= 0 && drums >= 0);
}

void TestCliConvert::midiToJsonUsesMagentaJsFieldNames() {
    const QJsonArray notes = m_bandJson.value("notes").toArray();
    QCOMPARE(notes.size(), 10);
    for (const QJsonValue& v : notes) {
        const QJsonObject n = v.toObject();
        for (const char* key :
             {"pitch", "velocity", "startTime", "endTime", "instrument", "program", "isDrum"})
            QVERIFY2(n.contains(key), key);
        QVERIFY(n.value("pitch").isDouble() && n.value("startTime").isDouble() &&
                n.value("isDrum").isBool());
        QVERIFY(!n.contains("start_time") && !n.contains("is_drum"));
        QVERIFY(!n.contains("quantizedStartStep"));  // not quantized
    }
    for (const char* key : {"tempos", "timeSignatures", "keySignatures", "totalTime",
                            "instrumentInfos", "controlChanges", "ticksPerQuarter"})
        QVERIFY2(m_bandJson.contains(key), key);
    QVERIFY(!m_bandJson.contains("quantizationInfo"));
    QVERIFY(!m_bandJson.contains("total_time"));
}

void TestCliConvert::midiToJsonTimingAndMetadata() {
    const QJsonObject& j = m_bandJson;
    QVERIFY(near(j.value("totalTime").toDouble(), 7.25, 1e-9));
    QCOMPARE(j.value("ticksPerQuarter").toInt(), 480);
    QCOMPARE(j.value("sequenceMetadata").toObject().value("title").toString(),
             QStringLiteral("Toccata Test"));

    const QJsonArray tempos = j.value("tempos").toArray();
    QCOMPARE(tempos.size(), 2);
    QVERIFY(near(tempos[0].toObject().value("time").toDouble(-1), 0.0));
    QVERIFY(near(tempos[0].toObject().value("qpm").toDouble(), 120.0));
    QVERIFY(near(tempos[1].toObject().value("time").toDouble(), 2.0, 1e-9));
    QVERIFY(near(tempos[1].toObject().value("qpm").toDouble(), 60.0));

    const QJsonArray signatures = j.value("timeSignatures").toArray();
    QCOMPARE(signatures.size(), 2);
    QCOMPARE(signatures[0].toObject().value("numerator").toInt(), 4);
    QCOMPARE(signatures[0].toObject().value("denominator").toInt(), 4);
    QVERIFY(near(signatures[1].toObject().value("time").toDouble(), 6.0, 1e-9));
    QCOMPARE(signatures[1].toObject().value("numerator").toInt(), 3);
    QCOMPARE(signatures[1].toObject().value("denominator").toInt(), 4);

    const QJsonArray keys = j.value("keySignatures").toArray();
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys[0].toObject().value("key").toInt(-1), 4);  // E (1 sharp, minor)
    QCOMPARE(asInt64(keys[0].toObject().value("mode")), qint64(1));

    // Sustain pedal on the piano: down at 0, up at tick 1920 = 2.0 s.
    const int piano = findNote(j, 60, false).value("instrument").toInt(-1);
    QList<QPair<double, int>> sustain;
    for (const QJsonValue& v : j.value("controlChanges").toArray()) {
        const QJsonObject cc = v.toObject();
        if (cc.value("controlNumber").toInt() == 64 && cc.value("instrument").toInt(-1) == piano)
            sustain.append({cc.value("time").toDouble(), cc.value("controlValue").toInt()});
    }
    QCOMPARE(sustain.size(), 2);
    QVERIFY(near(sustain[0].first, 0.0) && sustain[0].second == 127);
    QVERIFY(near(sustain[1].first, 2.0) && sustain[1].second == 0);

    // Instrument infos keep the MIDI track name, channel and track index.
    bool foundDrums = false;
    for (const QJsonValue& v : j.value("instrumentInfos").toArray()) {
        const QJsonObject info = v.toObject();
        if (info.value("midiChannel").toInt(-1) != 9) continue;
        foundDrums = true;
        QCOMPARE(info.value("name").toString(), QStringLiteral("Drums"));
        QCOMPARE(info.value("midiTrack").toInt(-1), 3);
        QCOMPARE(info.value("instrument").toInt(-1),
                 findNote(j, 38, true).value("instrument").toInt(-2));
    }
    QVERIFY(foundDrums);
}

void TestCliConvert::jsonToMidiAndBack() {
    const QString json = m_dir.filePath("band.json");
    const QString mid = m_dir.filePath("band-again.mid");
    TOCCATA_RUN_CLI(toMidi, 0, {"convert", "--in", json, "--out", mid});
    const QByteArray bytes = readBytes(mid);
    QVERIFY(bytes.startsWith(QByteArray("MThd") + bigEndian(6, 4) + bigEndian(1, 2)));
    QCOMPARE(bytes.mid(12, 2), bigEndian(480, 2));  // the sequence's resolution

    const QJsonObject back = convertToJson(mid, "band-again.json");
    QVERIFY(!back.isEmpty());
    TOCCATA_COMPARE_NOTES(noteFacts(back), noteFacts(m_bandJson), 1e-9);
    QCOMPARE(back.value("tempos"), m_bandJson.value("tempos"));
    QCOMPARE(back.value("timeSignatures"), m_bandJson.value("timeSignatures"));
    QCOMPARE(back.value("keySignatures"), m_bandJson.value("keySignatures"));
    QCOMPARE(back.value("totalTime"), m_bandJson.value("totalTime"));
    QCOMPARE(back.value("sequenceMetadata"), m_bandJson.value("sequenceMetadata"));
    // Drums stay on channel 10, and the pedal survives.
    QCOMPARE(findNote(back, 36, true, 7.0).value("velocity").toInt(), 120);
    int sustainEvents = 0;
    for (const QJsonValue& v : back.value("controlChanges").toArray())
        sustainEvents += v.toObject().value("controlNumber").toInt() == 64;
    QCOMPARE(sustainEvents, 2);
}

void TestCliConvert::magentaJsJsonToMidiAndBack() {
    // What Magenta.js hands out: no ticksPerQuarter or instrumentInfos, int64 as strings.
    const QString json = m_dir.filePath("magenta.json");
    QVERIFY(writeBytes(json, R"({
      "notes": [
        {"pitch": 60, "velocity": 100, "startTime": 0, "endTime": 0.5},
        {"pitch": 64, "velocity": 80, "startTime": 0.5, "endTime": 1.25, "program": 40,
         "instrument": 1},
        {"pitch": 36, "velocity": 90, "startTime": 1, "endTime": 1.25, "instrument": 9,
         "isDrum": true}
      ],
      "tempos": [{"time": 0, "qpm": 120}],
      "timeSignatures": [{"time": 0, "numerator": 3, "denominator": 4}],
      "keySignatures": [{"time": 0, "key": 9, "mode": "MINOR"}],
      "totalTime": 1.25
    })"));
    const QString mid = m_dir.filePath("magenta.mid");
    TOCCATA_RUN_CLI(toMidi, 0, {"convert", "--in", json, "--out", mid});
    QCOMPARE(readBytes(mid).mid(12, 2), bigEndian(220, 2));  // Magenta's default PPQ

    const QJsonObject back = convertToJson(mid, "magenta-back.json");
    QVERIFY(!back.isEmpty());
    const std::vector<NoteFacts> expected = {{60, 100, 0.0, 0.5, 0, false},
                                             {64, 80, 0.5, 1.25, 40, false},
                                             {36, 90, 1.0, 1.25, 0, true}};
    std::vector<NoteFacts> sorted = expected;
    std::sort(sorted.begin(), sorted.end());
    TOCCATA_COMPARE_NOTES(noteFacts(back), sorted, 1e-9);
    QCOMPARE(back.value("ticksPerQuarter").toInt(), 220);
    QCOMPARE(back.value("timeSignatures").toArray()[0].toObject().value("numerator").toInt(), 3);
    QCOMPARE(back.value("keySignatures").toArray()[0].toObject().value("key").toInt(-1), 9);
    QCOMPARE(asInt64(back.value("keySignatures").toArray()[0].toObject().value("mode")), qint64(1));
    bool drumsOnChannel10 = false;
    for (const QJsonValue& v : back.value("instrumentInfos").toArray())
        drumsOnChannel10 = drumsOnChannel10 || v.toObject().value("midiChannel").toInt(-1) == 9;
    QVERIFY(drumsOnChannel10);
}

void TestCliConvert::ppqSetsTheMidiResolution() {
    const QString mid = m_dir.filePath("band-960.mid");
    TOCCATA_RUN_CLI(run, 0, {"convert", "--in", m_band, "--out", mid, "--ppq", "960"});
    QCOMPARE(readBytes(mid).mid(12, 2), bigEndian(960, 2));
    const QJsonObject back = convertToJson(mid, "band-960.json");
    QCOMPARE(back.value("ticksPerQuarter").toInt(), 960);
    TOCCATA_COMPARE_NOTES(noteFacts(back), noteFacts(m_bandJson), 1e-9);
}

void TestCliConvert::quantize() {
    const QJsonObject q = convertToJson(m_simple, "simple-q.json", {"--quantize", "4"});
    QVERIFY(!q.isEmpty());
    QCOMPARE(q.value("quantizationInfo").toObject().value("stepsPerQuarter").toInt(), 4);
    // 100 QPM, 4 steps per quarter: 0.15 s per step; a time lands on int(t / 0.15 + 0.5).
    QCOMPARE(asInt64(q.value("totalQuantizedSteps")), qint64(9));
    struct Expected {
        int pitch;
        bool drum;
        qint64 start, end;
    };
    for (const Expected& e :
         {Expected{60, false, 0, 4}, Expected{62, false, 4, 8}, Expected{38, true, 8, 9}}) {
        const QJsonObject n = findNote(q, e.pitch, e.drum);
        QVERIFY2(!n.isEmpty(), qPrintable(QString::number(e.pitch)));
        QCOMPARE(asInt64(n.value("quantizedStartStep")), e.start);
        QCOMPARE(asInt64(n.value("quantizedEndStep")), e.end);
    }
    // The note times themselves are kept (0.625 s, not snapped).
    QVERIFY(near(findNote(q, 62, false).value("startTime").toDouble(), 0.625));
    QCOMPARE(q.value("tempos").toArray().size(), 1);
}

void TestCliConvert::quantizeWithTempoChangesFails() {
    const QString out = m_dir.filePath("band-q.json");
    TOCCATA_RUN_CLI(run, 1, {"convert", "--in", m_band, "--out", out, "--quantize", "4"});
    QVERIFY2(run.err.contains("cannot quantize " + m_band), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(out));
}

void TestCliConvert::midiToMidi() {
    const QString out = m_dir.filePath("simple-copy.midi");
    TOCCATA_RUN_CLI(run, 0, {"convert", "--in", m_simple, "--out", out});
    const QJsonObject a = convertToJson(m_simple, "simple-a.json");
    const QJsonObject b = convertToJson(out, "simple-b.json");
    TOCCATA_COMPARE_NOTES(noteFacts(b), noteFacts(a), 1e-9);
    QCOMPARE(noteFacts(a).size(), size_t{3});
}

void TestCliConvert::missingInput() {
    const QString in = m_dir.filePath("absent.mid");
    const QString out = m_dir.filePath("absent.json");
    TOCCATA_RUN_CLI(run, 3, {"convert", "--in", in, "--out", out});
    QVERIFY2(run.err.startsWith("toccata-cli convert: " + in), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(out));
}

void TestCliConvert::corruptMidiInput_data() {
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = bandMidi();
    QTest::newRow("truncated") << good.left(good.size() - 20);
    QTest::newRow("cut after the header") << good.left(14);
    QTest::newRow("garbage") << QByteArray("RIFF\x10\0\0\0WAVEfmt ", 16);
}

void TestCliConvert::corruptMidiInput() {
    QFETCH(QByteArray, bytes);
    const QString in = m_dir.filePath("corrupt.mid");
    const QString out = m_dir.filePath("corrupt.json");
    QVERIFY(writeBytes(in, bytes));
    TOCCATA_RUN_CLI(run, 3, {"convert", "--in", in, "--out", out});
    QVERIFY2(run.err.contains(in), qPrintable(run.err));
    QVERIFY2(run.err.contains(QRegularExpression("offset \\d+")), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(out));
}

void TestCliConvert::invalidJsonInput() {
    const QString in = m_dir.filePath("invalid.json");
    QVERIFY(writeBytes(in, R"({"notes": [{"pitch": 60}, {"pitch": 200}]})"));
    TOCCATA_RUN_CLI(run, 3, {"convert", "--in", in, "--out", m_dir.filePath("invalid.mid")});
    QVERIFY2(run.err.contains(in + ": notes[1].pitch"), qPrintable(run.err));
    const QString broken = m_dir.filePath("broken.json");
    QVERIFY(writeBytes(broken, "{\"notes\": [1,]}"));
    TOCCATA_RUN_CLI(syntax, 3, {"convert", "--in", broken, "--out", m_dir.filePath("broken.mid")});
    QVERIFY2(syntax.err.contains(broken + ": invalid JSON at line 1, column 14"),
             qPrintable(syntax.err));
}

void TestCliConvert::unwritableOutput_data() {
    QTest::addColumn<QString>("extension");
    QTest::newRow("json") << "json";
    QTest::newRow("mid") << "mid";
}

void TestCliConvert::unwritableOutput() {
    QFETCH(QString, extension);
    const QString out = m_dir.filePath("no-such-folder/out." + extension);
    TOCCATA_RUN_CLI(run, 4, {"convert", "--in", m_simple, "--out", out});
    QVERIFY2(run.err.contains(out), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("no-such-folder")));
    // Over an existing folder, too.
    const QString folder = m_dir.filePath("a-folder." + extension);
    QVERIFY(QDir().mkpath(folder));
    TOCCATA_RUN_CLI(overFolder, 4, {"convert", "--in", m_simple, "--out", folder});
    QVERIFY2(overFolder.err.contains(folder), qPrintable(overFolder.err));
    QVERIFY(QFileInfo(folder).isDir());
}

QTEST_GUILESS_MAIN(TestCliConvert)
#include "TestCliConvert.moc"
