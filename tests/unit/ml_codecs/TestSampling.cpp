// The seeded generator, temperature sampling, beam pruning order and key/scale masks.
// Rng reference values come from an independent Python implementation of xoshiro256**
// seeded with splitmix64.
#include <QtTest>

#include <cmath>

#include "ml/generation/KeyScale.h"
#include "ml/generation/Rng.h"
#include "ml/generation/Sampling.h"

using namespace toccata::ml;

class TestSampling : public QObject {
    Q_OBJECT

private slots:
    void rngReferenceValues() {
        Rng rng(42);
        QCOMPARE(rng.next(), uint64_t{0x15780b2e0c2ec716ULL});
        QCOMPARE(rng.next(), uint64_t{0x6104d9866d113a7eULL});
        QCOMPARE(rng.next(), uint64_t{0xae17533239e499a1ULL});
        Rng a(7);
        Rng b(7);
        for (int i = 0; i < 100; ++i) {
            const double u = a.uniform();
            QCOMPARE(u, b.uniform());
            QVERIFY(u >= 0.0 && u < 1.0);
        }
        Rng c(8);
        QVERIFY(Rng(7).next() != c.next());
    }

    void temperedSoftmaxValues() {
        const float logits[3] = {std::log(1.0F), std::log(2.0F), std::log(5.0F)};
        auto p = temperedSoftmax(logits, 3, 1.0);
        QVERIFY(std::abs(p[0] - 0.125) < 1e-6);
        QVERIFY(std::abs(p[2] - 0.625) < 1e-6);
        // T = 0.5 squares the odds: 1 : 4 : 25.
        p = temperedSoftmax(logits, 3, 0.5);
        QVERIFY(std::abs(p[1] - 4.0 / 30.0) < 1e-6);
        // Masking class 2 renormalises the others: 1/3, 2/3.
        const std::vector<bool> mask = {true, true, false};
        p = temperedSoftmax(logits, 3, 1.0, &mask);
        QVERIFY(std::abs(p[1] - 2.0 / 3.0) < 1e-6);
        QCOMPARE(p[2], 0.0);
    }

    void chooseLikeNumpy() {
        const std::vector<double> p = {0.2, 0.5, 0.3};
        QCOMPARE(chooseIndex(p, 0.0), 0);
        QCOMPARE(chooseIndex(p, 0.19), 0);
        QCOMPARE(chooseIndex(p, 0.2), 1);  // cumulative must exceed u
        QCOMPARE(chooseIndex(p, 0.69), 1);
        QCOMPARE(chooseIndex(p, 0.71), 2);
        QCOMPARE(chooseIndex(p, 0.999999), 2);
        QCOMPARE(chooseIndex({0.0, 1.0, 0.0}, 0.0), 1);
    }

    void greedyAndSampled() {
        const float logits[4] = {0.1F, 3.0F, 0.2F, 2.9F};
        Rng rng(1);
        const SampledClass greedy = sampleClass(logits, 4, 0.0, rng);
        QCOMPARE(greedy.index, 1);
        const auto p = temperedSoftmax(logits, 4, 1.0);
        QVERIFY(std::abs(greedy.logProbability - std::log(p[1])) < 1e-12);
        // Greedy with class 1 masked out picks class 3.
        const std::vector<bool> mask = {true, false, true, true};
        QCOMPARE(sampleClass(logits, 4, 0.0, rng, &mask).index, 3);
        // Sampling follows the distribution: class 1 and 3 dominate (p ~ 0.49, 0.44).
        int counts[4] = {0, 0, 0, 0};
        Rng sampler(99);
        for (int i = 0; i < 4000; ++i) ++counts[sampleClass(logits, 4, 1.0, sampler).index];
        QVERIFY(counts[1] > 1700 && counts[1] < 2200);
        QVERIFY(counts[0] + counts[2] < 500);
    }

    void topKKeepsTiesInOrder() {
        QCOMPARE(topK({-1.0, -3.0, -1.0, -0.5}, 3), (std::vector<int64_t>{3, 0, 2}));
        QCOMPARE(topK({-2.0, -2.0}, 1), (std::vector<int64_t>{0}));
        QCOMPARE(topK({1.0}, 5), (std::vector<int64_t>{0}));
    }

    void keyScales() {
        auto c = KeyScale::parse("C major");
        QVERIFY(c.ok());
        QVERIFY(c->contains(60) && c->contains(71) && !c->contains(61));
        auto a = KeyScale::parse("A minor");
        QCOMPARE(a->scale, Scale::kNaturalMinor);
        QVERIFY(a->contains(57) && a->contains(67) && !a->contains(68));  // G yes, G# no
        auto h = KeyScale::parse("A harmonic-minor");
        QVERIFY(h->contains(68) && !h->contains(67));
        auto d = KeyScale::parse("D dorian");
        QVERIFY(d->contains(71) && !d->contains(70));  // B natural
        auto g = KeyScale::parse("G mixolydian");
        QVERIFY(g->contains(65) && !g->contains(66));  // F natural
        auto blues = KeyScale::parse("E blues");
        QCOMPARE(KeyScale::intervals(blues->scale).size(), size_t{6});
        QVERIFY(blues->contains(70));  // Bb = b5 of E
        auto penta = KeyScale::parse("F# major-pentatonic");
        QCOMPARE(penta->tonic, 6);
        QVERIFY(penta->contains(61) && !penta->contains(59));
        QVERIFY(KeyScale::parse("Bb chromatic")->contains(61));
        QVERIFY(!KeyScale::parse("C lydian").ok());
        QVERIFY(!KeyScale::parse("X major").ok());
        QVERIFY(KeyScale::parse("C lydian").errorMessage().find("lydian") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSampling)
#include "TestSampling.moc"
