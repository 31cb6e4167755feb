// Unigram / bigram baselines of event sequences: add-one unigram, Witten-Bell bigram, the
// positions scored, probabilities that sum to 1, and a bigram beating the unigram on a
// structured corpus (and not on a memoryless one).
#include "MlTestSupport.h"
#include "ml/data/EventBaselines.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace toccata;
using namespace toccata::ml;

class TestEventBaselines : public QObject {
    Q_OBJECT

private slots:
    void handCounts() {
        // Training: 0 1 0 1 2 (5 events, 4 transitions); 4 classes.
        auto b = EventBaselines::fit({{0, 1, 0, 1, 2}}, 4);
        QVERIFY(b);
        QCOMPARE(b->unigramProbability(0), 3.0 / 9.0);  // (2 + 1) / (5 + 4)
        QCOMPARE(b->unigramProbability(3), 1.0 / 9.0);
        // After 1: seen 0 once and 2 once, c = 2, T = 2.
        QCOMPARE(b->bigramProbability(1, 0), (1.0 + 2.0 * 3.0 / 9.0) / 4.0);
        QCOMPARE(b->bigramProbability(1, 3), (0.0 + 2.0 * 1.0 / 9.0) / 4.0);
        // After 3 (never seen as a context): the unigram.
        QCOMPARE(b->bigramProbability(3, 2), b->unigramProbability(2));
        for (int v = 0; v < 4; ++v) {
            double sum = 0.0;
            for (int w = 0; w < 4; ++w) sum += b->bigramProbability(v, w);
            QVERIFY(std::abs(sum - 1.0) < 1e-12);
        }
        // Scored positions: 1 .. n-1 of each sequence.
        auto s = b->evaluate({{0, 1}, {2}});
        QVERIFY(s);
        QCOMPARE(s->events, int64_t{1});
        QCOMPARE(s->unigramNll, -std::log(b->unigramProbability(1)));
        QVERIFY(!b->evaluate({{0}}).ok());
        QVERIFY(!b->evaluate({{0, 4}}).ok());
        QVERIFY(!EventBaselines::fit({{0, 9}}, 4).ok());
        QVERIFY(!EventBaselines::fit({}, 0).ok());
    }

    void bigramWinsOnStructure() {
        // A cycle with a little noise: the next event is nearly determined by the last one.
        std::mt19937 rng(5);
        auto corpus = [&](int sequences) {
            std::vector<std::vector<int>> out;
            for (int s = 0; s < sequences; ++s) {
                std::vector<int> seq;
                int e = static_cast<int>(rng() % 6);
                for (int i = 0; i < 200; ++i) {
                    seq.push_back(e);
                    e = rng() % 10 == 0 ? static_cast<int>(rng() % 6) : (e + 1) % 6;
                }
                out.push_back(seq);
            }
            return out;
        };
        auto b = EventBaselines::fit(corpus(20), 8);
        auto scores = b->evaluate(corpus(5));
        QVERIFY(scores);
        QVERIFY2(scores->bigramNll < scores->unigramNll - 0.5, scores->toString().c_str());
        QVERIFY(std::abs(scores->unigramNll - std::log(6.0)) < 0.05);

        // Independent draws: the bigram cannot do better than the unigram (up to noise).
        std::vector<std::vector<int>> noise(10, std::vector<int>(500));
        for (auto& seq : noise)
            for (int& e : seq) e = static_cast<int>(rng() % 6);
        auto flat = EventBaselines::fit(noise, 6);
        auto flatScores = flat->evaluate(noise);
        QVERIFY(std::abs(flatScores->bigramNll - flatScores->unigramNll) < 0.05);
    }
};

QTEST_GUILESS_MAIN(TestEventBaselines)
#include "TestEventBaselines.moc"
