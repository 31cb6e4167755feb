// MusicRnnGenerator: codecs read from model folders (Magenta.js and Toccata), codec JSON round
// trips for every named config, export as a Toccata folder and as a Magenta.js checkpoint (raw
// and quantized) that loads back with the same logits, and the errors a bad folder gives.
#include "MlTestSupport.h"
#include "core/FileIO.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"

#include <QTemporaryDir>

#include <filesystem>

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::test::maxAbsDiff;
using toccata::test::musicRnnFixture;

namespace {

std::unique_ptr<MusicRnnGenerator> open(const std::string& folder) {
    auto spec = loadModelSpec(folder);
    if (!spec) {
        qWarning("%s", spec.errorMessage().c_str());
        return nullptr;
    }
    auto model = MusicRnnGenerator::load(*spec);
    if (!model) qWarning("%s", model.errorMessage().c_str());
    return model ? std::move(model.value()) : nullptr;
}

/// Logits of 6 steps over the same random one-hot inputs.
torch::Tensor logits(MusicRnnGenerator& model) {
    MusicRnn& net = model.network();
    torch::manual_seed(3);
    StepState state = net.initialState(1);
    std::vector<torch::Tensor> out;
    for (int t = 0; t < 6; ++t) {
        torch::Tensor x = torch::zeros({1, net.inputDepth()});
        x.index_put_({0, torch::randint(net.inputDepth(), {1}).item<int64_t>()}, 1.0);
        out.push_back(net.step(x, state).value());
    }
    return torch::cat(out, 0);
}

}  // namespace

class TestMusicRnnGenerator : public QObject {
    Q_OBJECT

private slots:
    void magentaJsFoldersMapToCodecs() {
        auto basic = open(musicRnnFixture("basic_rnn"));
        QVERIFY(basic);
        QCOMPARE(basic->codec().encoder, RnnSequenceEncoderKind::kOneHot);
        QCOMPARE(basic->codec().minNote, 48);
        QCOMPARE(basic->codec().maxNote, 84);
        QVERIFY(!basic->codec().transposeToKey.has_value());  // Magenta.js never transposes
        auto counter = open(musicRnnFixture("lookback_counter_rnn"));
        QVERIFY(counter);
        QCOMPARE(counter->codec().encoder, RnnSequenceEncoderKind::kLookback);
        QVERIFY(counter->codec().lookbackDistances.empty());
        QCOMPARE(counter->codec().binaryCounterBits, 5);
        auto drums = open(musicRnnFixture("drum_kit_rnn"));
        QVERIFY(drums);
        QVERIFY(drums->isDrums());
        QCOMPARE(drums->codec().binaryCounterBits, 6);
        auto improv = open(musicRnnFixture("chord_pitches_improv"));
        QVERIFY(improv);
        QVERIFY(improv->needsChords());
    }

    void codecJsonRoundTrips_data() {
        QTest::addColumn<QString>("config");
        for (const std::string& name : RnnCodecConfig::names())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void codecJsonRoundTrips() {
        QFETCH(QString, config);
        auto named = RnnCodecConfig::named(config.toStdString());
        QVERIFY(named.ok());
        const JsonValue json = named->toCodecJson();
        auto back = RnnCodecConfig::fromCodecJson(json, named->id, false, "model.json");
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        QCOMPARE(back->toCodecJson().dump(), json.dump());
        QCOMPARE(*back->inputDepth(), *named->inputDepth());
        QCOMPARE(*back->numClasses(), *named->numClasses());
        // A named config plus overrides: attention_rnn over a wider range.
        JsonValue custom = JsonValue::object();
        custom.set("config", "attention_rnn");
        custom.set("minPitch", 36);
        custom.set("maxPitch", 95);
        auto wide = RnnCodecConfig::fromCodecJson(custom, "", false, "model.json");
        QVERIFY(wide.ok());
        QCOMPARE(*wide->numClasses(), 60 + 2 + 2);
    }

    void codecErrorsNameTheField() {
        JsonValue bad = JsonValue::object();
        bad.set("encoding", "melody_one_hot");
        bad.set("minPitch", "low");
        auto r = RnnCodecConfig::fromCodecJson(bad, "", false, "/m/model.json");
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().find("/m/model.json") != std::string::npos &&
                     r.errorMessage().find("minPitch") != std::string::npos,
                 r.errorMessage().c_str());
        JsonValue unknown = JsonValue::object();
        unknown.set("encoding", "piano_roll");
        r = RnnCodecConfig::fromCodecJson(unknown, "", false, "/m/model.json");
        QVERIFY(!r.ok() && r.errorMessage().find("piano_roll") != std::string::npos);
        QVERIFY(!RnnCodecConfig::named("lookback_rnn")->toMagentaJsConfig(0).ok());
        QVERIFY(!RnnCodecConfig::named("attention_rnn")->toMagentaJsConfig(40).ok());
        QVERIFY(RnnCodecConfig::named("drum_kit")->toMagentaJsConfig(32).ok());
    }

    void exportsRoundTrip_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("storage");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("basic toccata") << "basic_rnn" << 0 << int(StorageKind::Raw) << 0.0;
        QTest::newRow("basic magentajs") << "basic_rnn" << 1 << int(StorageKind::Raw) << 0.0;
        QTest::newRow("attention magentajs uint16")
            << "attention_rnn" << 1 << int(StorageKind::Uint16) << 1e-3;
        QTest::newRow("drums toccata uint8") << "drum_kit_rnn" << 0 << int(StorageKind::Uint8)
                                             << 0.1;
        QTest::newRow("improv magentajs float16")
            << "chord_pitches_improv" << 1 << int(StorageKind::Float16) << 1e-2;
    }
    void exportsRoundTrip() {
        QFETCH(QString, fixture);
        QFETCH(int, format);
        QFETCH(int, storage);
        QFETCH(double, tolerance);
        auto model = open(musicRnnFixture(fixture.toStdString()));
        QVERIFY(model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("exported").toStdString();
        ModelExportOptions options;
        options.format = format == 1 ? ModelFolderFormat::kMagentaJs : ModelFolderFormat::kToccata;
        options.storage = static_cast<StorageKind>(storage);
        QVERIFY(model->exportTo(out, options).ok());
        const bool hasModelJson = std::filesystem::exists(out + "/model.json");
        QCOMPARE(hasModelJson, format == 0);
        QCOMPARE(std::filesystem::exists(out + "/config.json"), format == 1);
        auto back = open(out);
        QVERIFY(back);
        QCOMPARE(back->codec().toCodecJson().dump(), model->codec().toCodecJson().dump());
        const double diff = maxAbsDiff(logits(*model), logits(*back));
        QVERIFY2(diff <= tolerance, qPrintable(QString("logit diff %1").arg(diff)));
        // A second export into the same folder needs overwrite.
        auto again = model->exportTo(out, options);
        QVERIFY(!again.ok() && again.errorMessage().find("already holds") != std::string::npos);
        options.overwrite = true;
        QVERIFY(model->exportTo(out, options).ok());
    }

    void codecThatDoesNotFitTheWeightsIsRejected() {
        // basic_rnn weights (38 inputs) described as attention_rnn (74 inputs).
        auto model = open(musicRnnFixture("basic_rnn"));
        QVERIFY(model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("m").toStdString();
        QVERIFY(model->exportTo(out, {}).ok());
        auto text = toccata::core::readFileBytes(out + "/model.json");
        auto json = JsonValue::parse(*text);
        JsonValue codec = JsonValue::object();
        codec.set("encoding", "key_melody");
        json->set("codec", codec);
        QVERIFY(toccata::core::writeFileAtomic(out + "/model.json", json->dump(2)).ok());
        auto spec = loadModelSpec(out);
        QVERIFY(spec.ok());
        auto loaded = MusicRnnGenerator::load(*spec);
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.errorMessage().find("74 inputs") != std::string::npos &&
                     loaded.errorMessage().find("38 inputs") != std::string::npos,
                 loaded.errorMessage().c_str());
    }
};

QTEST_GUILESS_MAIN(TestMusicRnnGenerator)
#include "TestMusicRnnGenerator.moc"
