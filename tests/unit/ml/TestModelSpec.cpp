// ModelSpec loading: Magenta.js checkpoint folders (config.json + manifest, unchanged) and
// Toccata model.json, mapped onto one struct; bad folders fail naming the file and field.
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::test::musicRnnFixture;
using toccata::test::qs;

namespace {

const char* kValidModelJson = R"({
  "format": "toccata-model", "formatVersion": 1, "id": "folk_basic", "family": "music_rnn",
  "config": "basic_rnn", "description": "Basic RNN trained on folk tunes",
  "architecture": {"layerSizes": [128, 128], "inputDepth": 38, "numClasses": 38},
  "codec": {"encoding": "melody_one_hot", "minPitch": 48, "maxPitch": 83, "stepsPerQuarter": 4},
  "provenance": {"corpus": "Nottingham", "trainingSteps": 20000, "date": "2025-01-01"},
  "license": {"weights": "CC-BY-4.0", "trainingData": "public domain"}
})";

}  // namespace

class TestModelSpec : public QObject {
    Q_OBJECT

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void opensMagentaJsMelodyCheckpoint();
    void opensMagentaJsAttentionDrumAndChordCheckpoints();
    void parsesToccataModelJson();
    void toccataModelJsonRoundTrips();
    void toccataModelJsonErrorsNameFileAndField_data();
    void toccataModelJsonErrorsNameFileAndField();
    void magentaJsErrorsNameFileAndField();
    void notAModelFolder();

private:
    std::string dir() const { return m_dir->path().toStdString(); }
    void copyFixture(const std::string& name);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestModelSpec::copyFixture(const std::string& name) {
    const QDir from(qs(musicRnnFixture(name)));
    for (const QString& file : from.entryList(QDir::Files))
        QVERIFY(QFile::copy(from.filePath(file), m_dir->filePath(file)));
}

void TestModelSpec::opensMagentaJsMelodyCheckpoint() {
    auto spec = loadModelSpec(musicRnnFixture("basic_rnn"));
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
    QVERIFY(spec->format == ModelSpec::Format::MagentaJs);
    QCOMPARE(spec->family, std::string("music_rnn"));
    QCOMPARE(spec->config, std::string("basic_rnn"));
    QCOMPARE(spec->id, std::string("basic_rnn"));
    QCOMPARE(spec->musicRnn.layerSizes, (std::vector<int64_t>{24, 24}));
    QCOMPARE(spec->musicRnn.inputDepth, int64_t{38});
    QCOMPARE(spec->musicRnn.numClasses, int64_t{38});
    QCOMPARE(spec->musicRnn.attentionLength, int64_t{0});
    QCOMPARE(spec->codec.find("encoding")->asString(), std::string("melody_one_hot"));
    QCOMPARE(spec->codec.find("minPitch")->asInt(), int64_t{48});
    QCOMPARE(spec->codec.find("maxPitch")->asInt(), int64_t{83});
    QVERIFY(spec->license.find("trainingData") != nullptr);
}

void TestModelSpec::opensMagentaJsAttentionDrumAndChordCheckpoints() {
    auto attn = loadModelSpec(musicRnnFixture("attention_rnn"));
    QVERIFY2(attn.ok(), attn.ok() ? "" : attn.errorMessage().c_str());
    QCOMPARE(attn->config, std::string("attention_rnn"));
    QCOMPARE(attn->musicRnn.attentionLength, int64_t{8});
    QCOMPARE(attn->musicRnn.layerSizes, (std::vector<int64_t>{16, 16, 16}));
    QVERIFY(!attn->musicRnn.attentionQueryBias);  // Magenta.js semantics

    auto drums = loadModelSpec(musicRnnFixture("drum_kit_rnn"));
    QVERIFY2(drums.ok(), drums.ok() ? "" : drums.errorMessage().c_str());
    QCOMPARE(drums->config, std::string("drum_kit_rnn"));
    QCOMPARE(drums->codec.find("encoding")->asString(), std::string("drums_one_hot"));
    QCOMPARE(drums->codec.find("binaryCounterBits")->asInt(), int64_t{6});
    QCOMPARE(drums->musicRnn.inputDepth, int64_t{518});
    QCOMPARE(drums->musicRnn.numClasses, int64_t{512});

    auto improv = loadModelSpec(musicRnnFixture("chord_pitches_improv"));
    QVERIFY2(improv.ok(), improv.ok() ? "" : improv.errorMessage().c_str());
    QCOMPARE(improv->config, std::string("chord_pitches_improv"));
    QCOMPARE(improv->codec.find("chordEncoding")->asString(), std::string("pitch"));
    QCOMPARE(improv->musicRnn.inputDepth, int64_t{75});
}

void TestModelSpec::parsesToccataModelJson() {
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("model.json"), kValidModelJson));
    auto spec = loadModelSpec(dir());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
    QVERIFY(spec->format == ModelSpec::Format::Toccata);
    QCOMPARE(spec->id, std::string("folk_basic"));
    QCOMPARE(spec->family, std::string("music_rnn"));
    QCOMPARE(spec->config, std::string("basic_rnn"));
    QCOMPARE(spec->folder, dir());
    QCOMPARE(spec->weightsManifest, std::string("weights_manifest.json"));
    QCOMPARE(spec->musicRnn.layerSizes, (std::vector<int64_t>{128, 128}));
    QCOMPARE(spec->musicRnn.numClasses, int64_t{38});
    QCOMPARE(spec->provenance.find("corpus")->asString(), std::string("Nottingham"));
    QCOMPARE(spec->license.find("trainingData")->asString(), std::string("public domain"));
}

void TestModelSpec::toccataModelJsonRoundTrips() {
    auto magenta = loadModelSpec(musicRnnFixture("chord_pitches_improv"));
    QVERIFY(magenta.ok());
    const std::string text = magenta->toModelJson().dump(2);
    auto again = parseToccataModelJson(text, "model.json");
    QVERIFY2(again.ok(), again.ok() ? "" : again.errorMessage().c_str());
    QCOMPARE(again->family, magenta->family);
    QCOMPARE(again->config, magenta->config);
    QCOMPARE(again->musicRnn.layerSizes, magenta->musicRnn.layerSizes);
    QCOMPARE(again->musicRnn.inputDepth, magenta->musicRnn.inputDepth);
    QCOMPARE(again->codec.dump(), magenta->codec.dump());
}

void TestModelSpec::toccataModelJsonErrorsNameFileAndField_data() {
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("no family") << R"("family": "music_rnn",)"
                               << ""
                               << R"(field "family")";
    QTest::newRow("unknown family") << R"("family": "music_rnn")"
                                    << R"("family": "kazoo_gan")"
                                    << R"(unknown model family "kazoo_gan")";
    QTest::newRow("no architecture")
        << R"("architecture": {"layerSizes": [128, 128], "inputDepth": 38, "numClasses": 38},)"
        << ""
        << R"(field "architecture")";
    QTest::newRow("bad layers") << "[128, 128]"
                                << "[128, -1]"
                                << R"("layerSizes")";
    QTest::newRow("no classes") << R"(, "numClasses": 38)"
                                << ""
                                << R"(field "numClasses")";
    QTest::newRow("no encoding") << R"("encoding": "melody_one_hot", )"
                                 << ""
                                 << R"(codec: missing string field "encoding")";
    QTest::newRow("no provenance")
        << R"("provenance": {"corpus": "Nottingham", "trainingSteps": 20000, "date": "2025-01-01"},)"
        << ""
        << R"(field "provenance")";
    QTest::newRow("no data licence") << R"(, "trainingData": "public domain")"
                                     << ""
                                     << R"("trainingData")";
    QTest::newRow("newer format") << R"("formatVersion": 1)"
                                  << R"("formatVersion": 9)"
                                  << "formatVersion 9 is newer";
    QTest::newRow("not json") << "{"
                              << "["
                              << "model.json: ";
}

void TestModelSpec::toccataModelJsonErrorsNameFileAndField() {
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    QString text = QString::fromUtf8(kValidModelJson);
    QVERIFY2(text.contains(from), qPrintable(from));
    text.replace(text.indexOf(from), from.size(), to);
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("model.json"), text.toUtf8()));
    auto spec = loadModelSpec(dir());
    QVERIFY(!spec.ok());
    const QString error = qs(spec.errorMessage());
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains("model.json"), qPrintable(error));
}

void TestModelSpec::magentaJsErrorsNameFileAndField() {
    copyFixture("basic_rnn");
    const QString config = m_dir->filePath("config.json");
    struct Case {
        QByteArray json;
        QString message;
    };
    const Case cases[] = {
        {R"({"dataConverter": {"type": "MelodyConverter"}})", R"(missing string field "type")"},
        {R"({"type": "Coconet"})", R"("type" is "Coconet")"},
        {R"({"type": "MusicRNN"})", R"(missing field "dataConverter.type")"},
        {R"({"type": "MusicRNN", "dataConverter": {"type": "PerformanceConverter"}})",
         R"(dataConverter type "PerformanceConverter" is not supported)"},
        {R"({"type": "MusicRNN", "dataConverter": {"type": "MelodyConverter",
             "args": {"minPitch": 48}}})",
         R"(missing field "maxPitch")"},
        {R"({"type": "MusicRNN", "dataConverter": {"type": "MelodyConverter",
             "args": {"minPitch": 48, "maxPitch": 83}}, "chordEncoder": "PitchChordEncoder"})",
         "the first layer takes 38 inputs but config.json describes 75"},
        {R"({"type": "MusicRNN", "dataConverter": {"type": "MelodyConverter",
             "args": {"minPitch": 0, "maxPitch": 127}}})",
         "has 38 outputs but the MelodyConverter in config.json has 130 classes"},
    };
    for (const Case& c : cases) {
        QVERIFY(toccata::test::writeBytes(config, c.json));
        auto spec = loadModelSpec(dir());
        QVERIFY(!spec.ok());
        const QString error = qs(spec.errorMessage());
        QVERIFY2(error.contains(c.message), qPrintable(error));
        QVERIFY2(error.contains("config.json") || error.contains("weights_manifest.json"),
                 qPrintable(error));
    }
    // Attention weights without an attention length in config.json.
    QTemporaryDir attn;
    const QDir from(qs(musicRnnFixture("attention_rnn")));
    for (const QString& file : from.entryList(QDir::Files))
        QVERIFY(QFile::copy(from.filePath(file), attn.filePath(file)));
    QFile::remove(attn.filePath("config.json"));
    QVERIFY(toccata::test::writeBytes(attn.filePath("config.json"),
                      R"({"type": "MusicRNN", "dataConverter": {"type": "MelodyConverter",
                          "args": {"minPitch": 48, "maxPitch": 83}}})"));
    auto spec = loadModelSpec(attn.path().toStdString());
    QVERIFY(!spec.ok());
    QVERIFY2(qs(spec.errorMessage()).contains(R"(missing field "attentionLength")"),
             spec.errorMessage().c_str());
}

void TestModelSpec::notAModelFolder() {
    auto empty = loadModelSpec(dir());
    QVERIFY(!empty.ok());
    QVERIFY(qs(empty.errorMessage()).contains("not a model folder"));
    auto missing = loadModelSpec(dir() + "/nothing-here");
    QVERIFY(!missing.ok());
    QVERIFY(qs(missing.errorMessage()).contains("nothing-here: model folder not found"));
}

QTEST_GUILESS_MAIN(TestModelSpec)
#include "TestModelSpec.moc"
