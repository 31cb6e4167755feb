// TF.js weights reader and writer: round trips (float32, uint8, uint16, float16, several
// shards), tfjs's exact dequantization rule, and clear errors for damaged folders.
#include "MlTestSupport.h"
#include "ml/weights/WeightsReader.h"
#include "ml/weights/WeightsWriter.h"

#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <cstring>
#include <memory>

using namespace toccata::ml;
using toccata::test::floats;
using toccata::test::maxAbsDiff;
using toccata::test::qs;

namespace {

std::vector<NamedTensor> sampleTensors() {
    torch::manual_seed(7);
    return {{"a/kernel", torch::randn({37, 19})},
            {"a/bias", torch::randn({19})},
            {"scalar", torch::tensor(2.5f).reshape({})},
            {"b/constant", torch::full({5}, -0.25f)},
            {"c/positive", torch::rand({11, 3}) + 1.0f}};
}

}  // namespace

class TestTfjsWeights : public QObject {
    Q_OBJECT

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void float32RoundTripOverManyShards();
    void uint8AndUint16RoundTripWithinHalfAStep();
    void quantizedDecodeUsesDoubleArithmetic();
    void float16DecodesKnownBitPatterns();
    void float16RoundTrip();
    void lookupChecksShapes();
    void missingShardNamesTheShard();
    void shortShardNamesTheWeight();
    void longShardIsASizeMismatch();
    void malformedManifestsNameTheFileAndEntry();
    void shardPathOutsideTheFolderIsRejected();

private:
    std::string dir() const { return m_dir->path().toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTfjsWeights::float32RoundTripOverManyShards() {
    const auto tensors = sampleTensors();
    WeightsWriteOptions options;
    options.shardSizeBytes = 1000;  // 3.2 KB of data -> 4 shards, tensors cut across files
    QVERIFY(writeTfjsWeights(dir(), tensors, options).ok());
    QVERIFY(QFile::exists(m_dir->filePath("group1-shard4of4.bin")));
    QVERIFY(!QFile::exists(m_dir->filePath("group1-shard5of5.bin")));
    auto store = readTfjsWeights(dir());
    QVERIFY2(store.ok(), store.ok() ? "" : store.errorMessage().c_str());
    QCOMPARE(store->size(), tensors.size());
    for (const auto& [name, tensor] : tensors) {
        auto t = store->get(name);
        QVERIFY(t.ok());
        QCOMPARE(t->sizes().vec(), tensor.sizes().vec());
        QVERIFY2(torch::equal(*t, tensor), name.c_str());
    }
}

void TestTfjsWeights::uint8AndUint16RoundTripWithinHalfAStep() {
    for (StorageKind kind : {StorageKind::Uint8, StorageKind::Uint16}) {
        const auto tensors = sampleTensors();
        WeightsWriteOptions options;
        options.storage = kind;
        QVERIFY(writeTfjsWeights(dir(), tensors, options).ok());
        auto store = readTfjsWeights(dir());
        QVERIFY2(store.ok(), store.ok() ? "" : store.errorMessage().c_str());
        const double steps = kind == StorageKind::Uint8 ? 255.0 : 65535.0;
        for (const auto& [name, tensor] : tensors) {
            const double range = (tensor.max() - tensor.min()).item<double>();
            // Nudging the range to hit 0 exactly can stretch it by at most one step.
            const double step = range > 0 ? range / steps * (1.0 + 1.0 / steps) : 0.0;
            const double err = maxAbsDiff(store->get(name).value(), tensor);
            QVERIFY2(err <= step / 2 + 1e-6,
                     qPrintable(qs(name) + QString(" error %1, step %2").arg(err).arg(step)));
        }
        // Constant tensors come back exactly (q = 0, scale 1, min = value).
        QVERIFY(torch::equal(store->get("b/constant").value(), torch::full({5}, -0.25f)));
    }
    // The nudge makes 0 exact for a range that spans it.
    const std::vector<NamedTensor> withZero = {{"z", floats({-1.0f, 0.0f, 0.3f, 2.0f}, {4})}};
    WeightsWriteOptions options;
    options.storage = StorageKind::Uint8;
    QVERIFY(writeTfjsWeights(dir(), withZero, options).ok());
    QCOMPARE(readTfjsWeights(dir()).value().get("z").value()[1].item<float>(), 0.0f);
}

void TestTfjsWeights::quantizedDecodeUsesDoubleArithmetic() {
    // A manifest like the Magenta converter writes; the expected values are q*scale+min
    // computed in double and rounded once to float, which is what tfjs does.
    const double min = -0.1019607, scale = 0.0050980;
    const QByteArray manifest =
        R"([{"paths": ["w.bin"], "weights": [{"name": "q8", "shape": [2, 2], "dtype": "float32",
            "quantization": {"min": -0.1019607, "scale": 0.0050980, "dtype": "uint8"}},
           {"name": "q16", "shape": [2], "dtype": "float32",
            "quantization": {"min": -0.1019607, "scale": 0.0050980, "dtype": "uint16"}}]}])";
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("weights_manifest.json"), manifest));
    const unsigned char raw[] = {0, 1, 255, 20, 0x34, 0x12, 0xff, 0x00};
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("w.bin"),
                       QByteArray(reinterpret_cast<const char*>(raw), sizeof raw)));
    auto store = readTfjsWeights(dir());
    QVERIFY2(store.ok(), store.ok() ? "" : store.errorMessage().c_str());
    const torch::Tensor q8 = store->get("q8", {2, 2}).value().reshape({4});
    const torch::Tensor q16 = store->get("q16", {2}).value();
    const std::vector<double> codes = {0, 1, 255, 20, 0x1234, 0xff};
    int differsFromFloatMath = 0;
    for (size_t i = 0; i < codes.size(); ++i) {
        const float got = i < 4 ? q8[i].item<float>() : q16[i - 4].item<float>();
        const auto expected = static_cast<float>(codes[i] * scale + min);
        QCOMPARE(got, expected);
        const float floatMath =
            static_cast<float>(codes[i]) * static_cast<float>(scale) + static_cast<float>(min);
        if (floatMath != expected) ++differsFromFloatMath;
    }
    QVERIFY(differsFromFloatMath > 0);  // the test can tell the two rules apart
}

void TestTfjsWeights::float16DecodesKnownBitPatterns() {
    const QByteArray manifest = R"([{"paths": ["h"], "weights": [{"name": "h", "shape": [5],
        "dtype": "float32", "quantization": {"dtype": "float16"}}]}])";
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("weights_manifest.json"), manifest));
    const uint16_t bits[] = {0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF};
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("h"),
                       QByteArray(reinterpret_cast<const char*>(bits), sizeof bits)));
    auto store = readTfjsWeights(dir());
    QVERIFY2(store.ok(), store.ok() ? "" : store.errorMessage().c_str());
    const torch::Tensor h = store->get("h").value();
    QCOMPARE(h[0].item<float>(), 1.0f);
    QCOMPARE(h[1].item<float>(), -2.0f);
    QCOMPARE(h[2].item<float>(), 0.333251953125f);
    QCOMPARE(h[3].item<float>(), std::ldexp(1.0f, -24));  // smallest subnormal
    QCOMPARE(h[4].item<float>(), 65504.0f);
}

void TestTfjsWeights::float16RoundTrip() {
    const auto tensors = sampleTensors();
    WeightsWriteOptions options;
    options.storage = StorageKind::Float16;
    QVERIFY(writeTfjsWeights(dir(), tensors, options).ok());
    auto store = readTfjsWeights(dir());
    QVERIFY(store.ok());
    for (const auto& [name, tensor] : tensors)
        QVERIFY(torch::equal(store->get(name).value(), tensor.to(torch::kHalf).to(torch::kFloat)));
}

void TestTfjsWeights::lookupChecksShapes() {
    QVERIFY(writeTfjsWeights(dir(), sampleTensors()).ok());
    auto store = readTfjsWeights(dir());
    QVERIFY(store.ok());
    QVERIFY(store->get("a/kernel", {37, -1}).ok());
    auto wrong = store->get("a/kernel", {19, 37});
    QVERIFY(!wrong.ok());
    QVERIFY(wrong.errorMessage().find("\"a/kernel\" has shape [37, 19], expected [19, 37]") !=
            std::string::npos);
    auto missing = store->get("nope");
    QVERIFY(!missing.ok());
    QVERIFY(missing.errorMessage().find("weights_manifest.json: weight \"nope\" is missing") !=
            std::string::npos);
}

void TestTfjsWeights::missingShardNamesTheShard() {
    WeightsWriteOptions options;
    options.shardSizeBytes = 1000;
    QVERIFY(writeTfjsWeights(dir(), sampleTensors(), options).ok());
    QVERIFY(QFile::remove(m_dir->filePath("group1-shard2of4.bin")));
    auto store = readTfjsWeights(dir());
    QVERIFY(!store.ok());
    QVERIFY2(store.errorMessage().find("shard \"group1-shard2of4.bin\" cannot be read") !=
                 std::string::npos,
             store.errorMessage().c_str());
}

void TestTfjsWeights::shortShardNamesTheWeight() {
    QVERIFY(writeTfjsWeights(dir(), sampleTensors()).ok());
    QFile shard(m_dir->filePath("group1-shard1of1.bin"));
    QVERIFY(shard.resize(37 * 19 * 4 + 10));  // cuts into "a/bias", the second tensor
    auto store = readTfjsWeights(dir());
    QVERIFY(!store.ok());
    QVERIFY2(store.errorMessage().find("weight \"a/bias\" needs bytes") != std::string::npos,
             store.errorMessage().c_str());
}

void TestTfjsWeights::longShardIsASizeMismatch() {
    QVERIFY(writeTfjsWeights(dir(), sampleTensors()).ok());
    QFile shard(m_dir->filePath("group1-shard1of1.bin"));
    QVERIFY(shard.open(QIODevice::Append));
    shard.write("xyz");
    shard.close();
    auto store = readTfjsWeights(dir());
    QVERIFY(!store.ok());
    QVERIFY2(store.errorMessage().find("size mismatch") != std::string::npos,
             store.errorMessage().c_str());
}

void TestTfjsWeights::malformedManifestsNameTheFileAndEntry() {
    struct Case {
        const char* manifest;
        const char* expected;
    };
    const Case cases[] = {
        {"{\"paths\": []}", "expected an array of weight groups"},
        {"[{\"weights\": []}]", "group 0: missing \"paths\" array"},
        {R"([{"paths": ["x"], "weights": [{"shape": [1], "dtype": "float32"}]}])",
         "group 0, weight 0: missing or empty \"name\""},
        {R"([{"paths": ["x"], "weights": [{"name": "w", "shape": [2, -1], "dtype": "float32"}]}])",
         "(\"w\"): \"shape\" holds a value that is not a non-negative integer"},
        {R"([{"paths": ["x"], "weights": [{"name": "w", "shape": [2], "dtype": "complex64"}]}])",
         "(\"w\"): unsupported dtype \"complex64\""},
        {R"([{"paths": ["x"], "weights": [{"name": "w", "shape": [2], "dtype": "float32",
              "quantization": {"dtype": "int4"}}]}])",
         "unknown quantization dtype \"int4\""},
        {R"([{"paths": ["x"], "weights": [{"name": "w", "shape": [2], "dtype": "float32",
              "quantization": {"dtype": "uint8", "min": 0}}]}])",
         "uint8 quantization needs numeric \"min\" and \"scale\""},
        {"[{\"paths\": [\"x\"], ", "weights_manifest.json: "},
    };
    for (const Case& c : cases) {
        QVERIFY(toccata::test::writeBytes(m_dir->filePath("weights_manifest.json"), c.manifest));
        QVERIFY(toccata::test::writeBytes(m_dir->filePath("x"), QByteArray(8, '\0')));
        auto store = readTfjsWeights(dir());
        QVERIFY(!store.ok());
        QVERIFY2(store.errorMessage().find(c.expected) != std::string::npos,
                 store.errorMessage().c_str());
        QVERIFY(store.errorMessage().find("weights_manifest.json") != std::string::npos);
    }
    auto none = readTfjsWeights(dir() + "/missing-folder");
    QVERIFY(!none.ok());
    QVERIFY(none.errorMessage().find("file not found") != std::string::npos);
}

void TestTfjsWeights::shardPathOutsideTheFolderIsRejected() {
    QVERIFY(toccata::test::writeBytes(m_dir->filePath("weights_manifest.json"),
                       R"([{"paths": ["../secret.bin"], "weights": []}])"));
    auto store = readTfjsWeights(dir());
    QVERIFY(!store.ok());
    QVERIFY(store.errorMessage().find("\"../secret.bin\" leaves the model folder") !=
            std::string::npos);
}

QTEST_GUILESS_MAIN(TestTfjsWeights)
#include "TestTfjsWeights.moc"
