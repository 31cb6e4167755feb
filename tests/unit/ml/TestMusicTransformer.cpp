// Music Transformer network: architecture JSON, sizes read from the weights and errors naming
// the bad variable, the KV-cached step against full recomputation at every position (batched,
// primed, tied output), the sliding context (exact re-priming; shifting is exact for one
// layer), the teacher-forcing loss, a model folder round trip, and that training lowers the
// loss on a repeating pattern.
#include "MlTestSupport.h"
#include "ml/models/music_transformer/MusicTransformer.h"
#include "ml/models/music_transformer/MusicTransformerCache.h"
#include "ml/training/AdamOptimizer.h"
#include "ml/weights/WeightsWriter.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace toccata;
using ml::MusicTransformerArchitecture;
using ml::MusicTransformerCache;
using ml::MusicTransformerNetwork;

namespace {

MusicTransformerArchitecture smallArch() {
    MusicTransformerArchitecture a;
    a.vocabSize = 24;
    a.dModel = 32;
    a.numHeads = 4;
    a.numLayers = 2;
    a.ffSize = 48;
    a.maxRelativeDistance = 6;
    a.contextWindow = 16;
    return a;
}

std::unique_ptr<MusicTransformerNetwork> makeNet(const MusicTransformerArchitecture& a,
                                                 uint64_t seed = 7) {
    auto net = MusicTransformerNetwork::create(a, seed);
    if (!net) qFatal("%s", net.errorMessage().c_str());
    // Non-zero biases and LayerNorms so that every tensor takes part in the comparisons.
    torch::NoGradGuard noGrad;
    auto gen = at::detail::createCPUGenerator(seed + 1);
    for (auto& [name, t] : (*net)->namedTensors())
        if (t.dim() == 1) t.add_(torch::empty_like(t).uniform_(-0.2, 0.2, gen));
    (*net)->repack();
    return std::move(net.value());
}

torch::Tensor randomTokens(int64_t batch, int64_t length, int64_t vocab, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    torch::Tensor t = torch::randint(2, vocab, {batch, length}, gen, torch::kLong);
    t.select(1, 0).fill_(ml::kTransformerStartToken);
    return t;
}

/// Full-recomputation logits for each position, no grad: [B, L, V].
torch::Tensor fullLogits(const MusicTransformerNetwork& net, const torch::Tensor& tokens) {
    torch::NoGradGuard noGrad;
    return net.forward(tokens);
}

}  // namespace

class TestMusicTransformer : public QObject {
    Q_OBJECT

private slots:
    void architectureJson() {
        MusicTransformerArchitecture a = smallArch();
        a.tiedOutput = true;
        auto back = MusicTransformerArchitecture::fromJson(a.toJson(), "x");
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        QCOMPARE(back->dModel, 32);
        QCOMPARE(back->contextWindow, 16);
        QVERIFY(back->tiedOutput);
        core::JsonValue bad = a.toJson();
        bad.set("numHeads", 5);
        auto e = MusicTransformerArchitecture::fromJson(bad, "m/model.json");
        QVERIFY(!e.ok());
        QVERIFY2(e.errorMessage().find("m/model.json") != std::string::npos &&
                     e.errorMessage().find("numHeads 5") != std::string::npos,
                 e.errorMessage().c_str());
        bad = a.toJson();
        bad.set("ffSize", "wide");
        QVERIFY(!MusicTransformerArchitecture::fromJson(bad, "x").ok());
    }

    void sizesFromWeightsAndErrors() {
        auto net = makeNet(smallArch());
        ml::WeightStore w("folder/x");
        for (auto& [name, t] : net->namedTensors()) w.insert(name, t);
        MusicTransformerArchitecture hint;  // defaults: every size from the shapes
        hint.contextWindow = 16;
        auto loaded = MusicTransformerNetwork::fromWeights(w, hint);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.errorMessage().c_str());
        const auto& a = (*loaded)->architecture();
        QCOMPARE(a.vocabSize, 24);
        QCOMPARE(a.numLayers, 2);
        QCOMPARE(a.numHeads, 4);
        QCOMPARE(a.ffSize, 48);
        QCOMPARE(a.maxRelativeDistance, 6);
        QVERIFY(!a.tiedOutput);

        ml::WeightStore broken = w;
        broken.insert("transformer/layer_1/ffn/dense_2/kernel", torch::zeros({48, 31}));
        auto e = MusicTransformerNetwork::fromWeights(broken, hint);
        QVERIFY(!e.ok());
        QVERIFY2(e.errorMessage().find("folder/x") != std::string::npos &&
                     e.errorMessage().find("layer_1/ffn/dense_2/kernel") != std::string::npos,
                 e.errorMessage().c_str());
        MusicTransformerArchitecture wrongHint = hint;
        wrongHint.numLayers = 3;
        e = MusicTransformerNetwork::fromWeights(w, wrongHint);
        QVERIFY(!e.ok());
        QVERIFY2(e.errorMessage().find("numLayers is 3") != std::string::npos,
                 e.errorMessage().c_str());
        e = MusicTransformerNetwork::fromWeights(ml::WeightStore("empty"), hint);
        QVERIFY(!e.ok());
        QVERIFY(e.errorMessage().find("transformer/embedding") != std::string::npos);
    }

    void cachedStepEqualsRecomputation_data() {
        QTest::addColumn<bool>("tied");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("heads");
        QTest::newRow("separate output, batch 3") << false << 3 << 4;
        QTest::newRow("tied output, batch 1") << true << 1 << 4;
        QTest::newRow("head width 10 (not a multiple of 8)") << false << 2 << 3;
    }

    void cachedStepEqualsRecomputation() {
        QFETCH(bool, tied);
        QFETCH(int, batch);
        QFETCH(int, heads);
        MusicTransformerArchitecture a = smallArch();
        a.tiedOutput = tied;
        a.numHeads = heads;
        a.dModel = heads == 3 ? 30 : a.dModel;
        auto net = makeNet(a);
        const int64_t L = a.contextWindow;  // > maxRelativeDistance: clipping takes part
        const torch::Tensor tokens = randomTokens(batch, L, a.vocabSize, 11);
        const torch::Tensor full = fullLogits(*net, tokens);
        MusicTransformerCache cache(*net, batch);
        double worst = 0.0;
        for (int64_t t = 0; t < L; ++t) {
            std::vector<int64_t> column;
            for (int64_t b = 0; b < batch; ++b) column.push_back(tokens[b][t].item<int64_t>());
            auto logits = cache.step(column);
            QVERIFY(logits.ok());
            worst = std::max(worst, test::maxAbsDiff(*logits, full.select(1, t)));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString("max |cached - full| = %1").arg(worst)));
        QCOMPARE(cache.cached(), L);
    }

    void primeThenStep() {
        const MusicTransformerArchitecture a = smallArch();
        auto net = makeNet(a);
        const torch::Tensor tokens = randomTokens(2, 14, a.vocabSize, 5);
        const torch::Tensor full = fullLogits(*net, tokens);
        MusicTransformerCache cache(*net, 2);
        auto last = cache.prime(tokens.narrow(1, 0, 9));
        QVERIFY(last.ok());
        QVERIFY(test::maxAbsDiff(*last, full.select(1, 8)) < 1e-4);
        for (int64_t t = 9; t < 14; ++t) {
            auto logits = cache.step({tokens[0][t].item<int64_t>(), tokens[1][t].item<int64_t>()});
            QVERIFY(logits.ok());
            QVERIFY2(test::maxAbsDiff(*logits, full.select(1, t)) < 1e-4,
                     qPrintable(QString::number(t)));
        }
        QCOMPARE(cache.fed(), 14);
        // Bad input is an error, not a crash.
        QVERIFY(!cache.step({1}).ok());
        QVERIFY(!cache.step({1, 99}).ok());
        QVERIFY(!cache.prime(torch::full({2, 3}, 99, torch::kLong)).ok());
    }

    void slidingReprimeIsExact() {
        const MusicTransformerArchitecture a = smallArch();  // W = 16
        auto net = makeNet(a);
        const int64_t L = 40, W = a.contextWindow;
        const torch::Tensor tokens = randomTokens(1, L, a.vocabSize, 21);
        MusicTransformerCache cache(*net, 1, ml::SlidingContext::kReprime);
        int64_t start = 0;  // first token of what the cache now holds
        for (int64_t t = 0; t < L; ++t) {
            if (t - start == W) start = t - W / 2;  // the cache re-primes from the last W/2
            auto logits = cache.step({tokens[0][t].item<int64_t>()});
            QVERIFY(logits.ok());
            const torch::Tensor ref = fullLogits(*net, tokens.narrow(1, start, t - start + 1));
            const double diff = test::maxAbsDiff(*logits, ref.select(1, t - start).squeeze(0));
            QVERIFY2(diff < 1e-4, qPrintable(QString("t %1: %2").arg(t).arg(diff)));
        }
    }

    void slidingShiftIsExactForOneLayer() {
        // With one layer a token's key/value depend on that token alone, so dropping the
        // oldest entry is the same as re-running the last W tokens.
        MusicTransformerArchitecture a = smallArch();
        a.numLayers = 1;
        a.contextWindow = 8;
        a.maxRelativeDistance = 12;
        auto net = makeNet(a);
        const int64_t L = 30, W = a.contextWindow;
        const torch::Tensor tokens = randomTokens(2, L, a.vocabSize, 4);
        MusicTransformerCache cache(*net, 2, ml::SlidingContext::kShift);
        for (int64_t t = 0; t < L; ++t) {
            auto logits = cache.step({tokens[0][t].item<int64_t>(), tokens[1][t].item<int64_t>()});
            QVERIFY(logits.ok());
            const int64_t start = std::max<int64_t>(0, t - W + 1);
            const torch::Tensor ref = fullLogits(*net, tokens.narrow(1, start, t - start + 1));
            const double diff = test::maxAbsDiff(*logits, ref.select(1, t - start));
            QVERIFY2(diff < 1e-4, qPrintable(QString("t %1: %2").arg(t).arg(diff)));
        }
        QCOMPARE(cache.cached(), W);
        QCOMPARE(cache.fed(), L);
    }

    void teacherForcingAndLoss() {
        const auto [inputs, targets] = ml::transformerTeacherForcing({{3, 4, 5}, {7, -1, -1}});
        QCOMPARE(inputs.sizes().vec(), (std::vector<int64_t>{2, 3}));
        QCOMPARE(inputs[0][0].item<int64_t>(), ml::kTransformerStartToken);
        QCOMPARE(inputs[0][1].item<int64_t>(), 5);  // event 3 -> token 5
        QCOMPARE(targets[0][2].item<int64_t>(), 7);
        QCOMPARE(targets[1][0].item<int64_t>(), 9);
        QCOMPARE(targets[1][1].item<int64_t>(), ml::kTransformerPadToken);
        // Loss over the 4 real targets only, equal to a hand computation.
        torch::manual_seed(2);
        const torch::Tensor logits = torch::randn({2, 3, 12});
        int64_t count = 0;
        const double loss = ml::transformerLoss(logits, targets, &count).item<double>();
        QCOMPARE(count, 4);
        const torch::Tensor logp = torch::log_softmax(logits, -1);
        const double manual =
            -(logp[0][0][5] + logp[0][1][6] + logp[0][2][7] + logp[1][0][9]).item<double>() / 4.0;
        QVERIFY(std::abs(loss - manual) < 1e-6);
    }

    void trainingLowersTheLoss() {
        MusicTransformerArchitecture a = smallArch();
        a.numLayers = 1;
        auto net = makeNet(a, 3);
        std::vector<std::vector<int>> windows;
        for (int b = 0; b < 4; ++b) {
            std::vector<int> w;
            for (int t = 0; t < 15; ++t) w.push_back((t * 3 + b) % 7);
            windows.push_back(w);
        }
        const auto [inputs, targets] = ml::transformerTeacherForcing(windows);
        auto params = net->namedTensors();
        for (auto& [name, t] : params) t.requires_grad_(true);
        ml::AdamOptimizer adam(params);
        double first = 0.0, last = 0.0;
        for (int i = 0; i < 60; ++i) {
            adam.zeroGradients();
            const torch::Tensor loss = ml::transformerLoss(net->forward(inputs, 0.1), targets);
            loss.backward();
            adam.step(3e-3);
            (i == 0 ? first : last) = loss.item<double>();
        }
        for (auto& [name, t] : params) t.requires_grad_(false);
        QVERIFY2(last < 0.5 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
        // After repack() the cached step sees the trained weights.
        net->repack();
        const torch::Tensor full = fullLogits(*net, inputs.narrow(0, 0, 1));
        MusicTransformerCache cache(*net, 1);
        auto logits = cache.prime(inputs.narrow(0, 0, 1));
        QVERIFY(logits.ok());
        QVERIFY(test::maxAbsDiff(*logits, full.select(1, full.size(1) - 1)) < 1e-4);
    }

    void modelFolderRoundTrip() {
        QTemporaryDir dir;
        const std::string folder = test::toStd(dir.path()) + "/mt";
        auto net = makeNet(smallArch());
        core::JsonValue codec = core::JsonValue::object();
        codec.set("encoding", "performance");
        core::JsonValue license = core::JsonValue::object();
        license.set("trainingData", "none (random weights)");
        QVERIFY(ml::saveMusicTransformer(folder, *net, "mt_test", codec, core::JsonValue::object(),
                                         license, false)
                    .ok());
        auto model = ml::MusicTransformerModel::load(folder);
        QVERIFY2(model.ok(), model.ok() ? "" : model.errorMessage().c_str());
        QCOMPARE((*model)->network().architecture().contextWindow, 16);
        const torch::Tensor tokens = randomTokens(1, 10, 24, 8);
        // Same float32 values; only BLAS blocking may differ with the buffers' alignment.
        const double diff =
            test::maxAbsDiff(fullLogits(*net, tokens), fullLogits((*model)->network(), tokens));
        QVERIFY2(diff < 1e-5, qPrintable(QString::number(diff)));
        // A model.json whose sizes disagree with the weights names the field.
        auto text = core::readFileBytes(folder + "/model.json");
        QVERIFY(text.ok());
        std::string edited = *text;
        const size_t at = edited.find("\"dModel\": 32");
        QVERIFY(at != std::string::npos);
        edited.replace(at, 12, "\"dModel\": 64");
        QVERIFY(core::writeFileAtomic(folder + "/model.json", edited).ok());
        auto bad = ml::MusicTransformerModel::load(folder);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("dModel is 64") != std::string::npos,
                 bad.errorMessage().c_str());
    }
};

QTEST_GUILESS_MAIN(TestMusicTransformer)
#include "TestMusicTransformer.moc"
