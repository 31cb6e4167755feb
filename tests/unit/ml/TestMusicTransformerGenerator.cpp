// Music Transformer generation: temperature / top-k / top-p filters on fixed logits, seeded
// determinism, variations, the time budget, cancellation, bad requests, and greedy decoding
// through the cache equal to greedy decoding by full recomputation.
#include "MlTestSupport.h"
#include "ml/models/music_transformer/MusicTransformerGenerator.h"

#include <QtTest>

#include <cmath>
#include <stop_token>

using namespace toccata;
using ml::TransformerSampling;

namespace {

std::unique_ptr<ml::MusicTransformerNetwork> smallNet(uint64_t seed = 5) {
    ml::MusicTransformerArchitecture a;
    a.vocabSize = 22;  // 20 events
    a.dModel = 16;
    a.numHeads = 2;
    a.numLayers = 2;
    a.ffSize = 32;
    a.maxRelativeDistance = 8;
    a.contextWindow = 32;
    auto net = ml::MusicTransformerNetwork::create(a, seed);
    if (!net) qFatal("%s", net.errorMessage().c_str());
    return std::move(net.value());
}

bool near(double a, double b) { return std::abs(a - b) < 1e-12; }

}  // namespace

class TestMusicTransformerGenerator : public QObject {
    Q_OBJECT

private slots:
    void filtersOnFixedLogits() {
        // log-probabilities chosen so softmax gives 0.4, 0.3, 0.2, 0.1 exactly.
        const float logits[] = {std::log(0.1F), std::log(0.4F), std::log(0.2F), std::log(0.3F)};
        TransformerSampling s;
        auto p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(std::abs(p[1] - 0.4) < 1e-6 && std::abs(p[0] - 0.1) < 1e-6);

        s.topK = 2;  // keeps 0.4 and 0.3 -> 4/7, 3/7
        p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(std::abs(p[1] - 4.0 / 7) < 1e-6 && std::abs(p[3] - 3.0 / 7) < 1e-6);
        QVERIFY(near(p[0], 0.0) && near(p[2], 0.0));

        s.topK = 0;
        s.topP = 0.65;  // 0.4 + 0.3 = 0.7 >= 0.65: two kept
        p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(near(p[0], 0.0) && near(p[2], 0.0) && std::abs(p[1] - 4.0 / 7) < 1e-6);
        s.topP = 0.75;  // needs the third
        p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(near(p[0], 0.0) && std::abs(p[2] - 0.2 / 0.9) < 1e-6);
        s.topP = 0.1;  // always at least one
        p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(near(p[1], 1.0));

        s.topP = 0.75;
        s.topK = 1;  // top-k first
        p = ml::filteredProbabilities(logits, 4, s);
        QVERIFY(near(p[1], 1.0));

        // Temperature 2 flattens before the cut; a mask removes classes before both.
        s = TransformerSampling{};
        s.temperature = 2.0;
        s.topK = 3;
        const std::vector<bool> allowed = {true, false, true, true};
        p = ml::filteredProbabilities(logits, 4, s, &allowed);
        QVERIFY(near(p[1], 0.0));
        const double a = std::sqrt(0.1), b = std::sqrt(0.2), c = std::sqrt(0.3);
        QVERIFY(std::abs(p[3] - c / (a + b + c)) < 1e-6);

        s = TransformerSampling{};
        s.temperature = 0.0;  // greedy: the first maximum among the allowed
        p = ml::filteredProbabilities(logits, 4, s, &allowed);
        QVERIFY(near(p[3], 1.0));
        ml::Rng rng(1);
        QCOMPARE(ml::sampleFiltered(logits, 4, s, rng), 1);
    }

    void samplingFollowsTheFilter() {
        const float logits[] = {0.0F, 2.0F, 1.0F, 1.5F};
        TransformerSampling s;
        s.topK = 2;
        ml::Rng rng(9);
        int counts[4] = {};
        for (int i = 0; i < 2000; ++i) ++counts[ml::sampleFiltered(logits, 4, s, rng)];
        QCOMPARE(counts[0], 0);
        QCOMPARE(counts[2], 0);
        QVERIFY(counts[1] > counts[3] && counts[3] > 400);
    }

    void validation() {
        TransformerSampling s;
        s.topP = 0.0;
        QVERIFY(!s.validate().ok());
        QVERIFY(s.validate().errorMessage().find("top-p") != std::string::npos);
        s = {};
        s.topK = -1;
        QVERIFY(!s.validate().ok());
        s = {};
        s.temperature = -1;
        QVERIFY(!s.validate().ok());
        auto net = smallNet();
        ml::TransformerGenerationRequest r;
        r.primerEvents = {3, 25};
        auto bad = ml::generateMusicTransformer(*net, r);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("primer event 25") != std::string::npos,
                 bad.errorMessage().c_str());
        r.primerEvents = {};
        r.seconds = 2.0;  // without eventSeconds
        QVERIFY(!ml::generateMusicTransformer(*net, r).ok());
    }

    void seededAndVariations() {
        auto net = smallNet();
        ml::TransformerGenerationRequest r;
        r.primerEvents = {1, 2, 3};
        r.maxEvents = 40;
        r.variations = 3;
        r.seed = 42;
        r.sampling.temperature = 1.0;
        r.sampling.topP = 0.9;
        int64_t lastProgress = 0;
        r.progress = [&](int64_t done, int64_t total) {
            QCOMPARE(total, 40);
            lastProgress = done;
        };
        auto a = ml::generateMusicTransformer(*net, r);
        auto b = ml::generateMusicTransformer(*net, r);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(lastProgress, 40);
        QCOMPARE(a->events.size(), size_t(3));
        QCOMPARE(a->events, b->events);
        for (const auto& v : a->events) {
            QCOMPARE(v.size(), size_t(40));
            for (int e : v) QVERIFY(e >= 0 && e < 20);
        }
        QVERIFY(a->events[0] != a->events[1]);
        r.seed = 43;
        auto c = ml::generateMusicTransformer(*net, r);
        QVERIFY(c.ok() && c->events != a->events);
    }

    void timeBudgetAndCancel() {
        auto net = smallNet();
        ml::TransformerGenerationRequest r;
        r.maxEvents = 500;
        r.variations = 2;
        r.seed = 1;
        r.seconds = 0.5;
        r.eventSeconds = [](int e) { return e >= 10 ? 0.01 * (e - 9) : 0.0; };  // 10.. shifts
        auto g = ml::generateMusicTransformer(*net, r);
        QVERIFY(g.ok());
        for (size_t b = 0; b < 2; ++b) {
            double t = 0.0;
            for (int e : g->events[b]) t += r.eventSeconds(e);
            QVERIFY(std::abs(t - g->seconds[b]) < 1e-9);
            QVERIFY(g->seconds[b] >= 0.5 - 1e-9);
            // It stopped at the event that filled the budget.
            QVERIFY(g->seconds[b] - r.eventSeconds(g->events[b].back()) < 0.5);
        }
        std::stop_source stop;
        r.stopToken = stop.get_token();
        r.seconds.reset();
        r.progress = [&](int64_t done, int64_t) {
            if (done == 5) stop.request_stop();
        };
        auto cancelled = ml::generateMusicTransformer(*net, r);
        QVERIFY(!cancelled.ok());
        QCOMPARE(QString::fromStdString(cancelled.errorMessage()), QString("cancelled"));
    }

    void performanceTimeShifts() {
        const auto seconds =
            ml::performanceEventSeconds(ml::PerformanceOneHotEncoding::standard(true), 100);
        QCOMPARE(seconds(60), 0.0);    // NOTE_ON 60
        QCOMPARE(seconds(256), 0.01);  // TIME_SHIFT 1 step
        QCOMPARE(seconds(355), 1.0);   // TIME_SHIFT 100 steps
        QCOMPARE(seconds(356), 0.0);   // VELOCITY 1
        QCOMPARE(seconds(-1), 0.0);
    }

    void greedyMatchesFullRecomputation() {
        auto net = smallNet(8);
        ml::TransformerGenerationRequest r;
        r.primerEvents = {4, 9};
        r.maxEvents = 45;  // past the 32-token window: the shift approximation
        r.sampling.temperature = 0.0;
        auto g = ml::generateMusicTransformer(*net, r);
        QVERIFY(g.ok());
        // Full recomputation over the whole sequence while it fits the window.
        std::vector<int64_t> seq = {ml::kTransformerStartToken, 6, 11};
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < g->events[0].size() && seq.size() <= 32; ++i) {
            const torch::Tensor tokens = torch::tensor(seq, torch::kLong).unsqueeze(0);
            torch::Tensor last = net->forward(tokens).select(1, tokens.size(1) - 1).squeeze(0);
            last.narrow(0, 0, 2).fill_(-1e30F);
            const int expected = int(last.argmax().item<int64_t>()) - 2;
            QCOMPARE(g->events[0][i], expected);
            seq.push_back(expected + 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestMusicTransformerGenerator)
#include "TestMusicTransformerGenerator.moc"
