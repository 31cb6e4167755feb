// Relative self-attention with skewing (Huang et al. 2018) against a direct O(L^2 D) loop over
// the same formula: logits(i, j) = (q_i . k_j + q_i . Er[clip(j - i)]) / sqrt(D) for j <= i,
// softmax over j, times v. Random tensors, lengths below and above the clipping distance R.
#include "MlTestSupport.h"
#include "ml/models/music_transformer/RelativeAttention.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace toccata;

namespace {

/// out [B, H, L, D] by explicit loops in double.
torch::Tensor directAttention(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v, const torch::Tensor& relative) {
    const int64_t B = q.size(0), H = q.size(1), L = q.size(2), D = q.size(3);
    const int64_t R = relative.size(1) - 1;
    auto Q = q.to(torch::kDouble).contiguous();
    auto K = k.to(torch::kDouble).contiguous();
    auto Vv = v.to(torch::kDouble).contiguous();
    auto E = relative.to(torch::kDouble).contiguous();
    auto qa = Q.accessor<double, 4>();
    auto ka = K.accessor<double, 4>();
    auto va = Vv.accessor<double, 4>();
    auto ea = E.accessor<double, 3>();
    torch::Tensor out = torch::zeros({B, H, L, D}, torch::kDouble);
    auto oa = out.accessor<double, 4>();
    const double scale = 1.0 / std::sqrt(static_cast<double>(D));
    for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < H; ++h)
            for (int64_t i = 0; i < L; ++i) {
                std::vector<double> logits(static_cast<size_t>(i + 1));
                double best = -1e300;
                for (int64_t j = 0; j <= i; ++j) {
                    // Row of distance j - i, clipped to -R (row 0).
                    const int64_t row = std::max<int64_t>(R + (j - i), 0);
                    double s = 0.0;
                    for (int64_t c = 0; c < D; ++c)
                        s += qa[b][h][i][c] * (ka[b][h][j][c] + ea[h][row][c]);
                    logits[size_t(j)] = s * scale;
                    best = std::max(best, logits[size_t(j)]);
                }
                double total = 0.0;
                for (double& x : logits) total += (x = std::exp(x - best));
                for (int64_t j = 0; j <= i; ++j)
                    for (int64_t c = 0; c < D; ++c)
                        oa[b][h][i][c] += logits[size_t(j)] / total * va[b][h][j][c];
            }
    return out;
}

}  // namespace

class TestRelativeAttention : public QObject {
    Q_OBJECT

private slots:
    void skewPutsDistanceOnTheDiagonals() {
        // qe[i][m] = 100 * i + m: after skewing, s[i][j] = qe[i][j - i + L - 1].
        const int64_t L = 5;
        torch::Tensor qe = torch::empty({L, L});
        for (int64_t i = 0; i < L; ++i)
            for (int64_t m = 0; m < L; ++m) qe[i][m] = 100.0 * i + m;
        const torch::Tensor s = toccata::ml::skewRelativeLogits(qe.unsqueeze(0)).squeeze(0);
        QCOMPARE(s.sizes().vec(), (std::vector<int64_t>{L, L}));
        for (int64_t i = 0; i < L; ++i)
            for (int64_t j = 0; j <= i; ++j)
                QCOMPARE(s[i][j].item<float>(), float(100 * i + (j - i + L - 1)));
    }

    void embeddingsForLengthClip() {
        // R = 2: rows are distances -2, -1, 0; a length of 4 asks for -3..0.
        const torch::Tensor rel = torch::arange(3, torch::kFloat).view({1, 3, 1});
        const torch::Tensor e = toccata::ml::relativeEmbeddingsForLength(rel, 4);
        QCOMPARE(e.reshape({-1}).to(torch::kDouble).sum().item<double>(), 0.0 + 0 + 1 + 2);
        QCOMPARE(e[0][0][0].item<float>(), 0.0F);  // -3 clipped to -2
        QCOMPARE(e[0][3][0].item<float>(), 2.0F);  // distance 0
    }

    void matchesDirectComputation_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("maxDistance");
        QTest::newRow("L < R") << 7 << 12;
        QTest::newRow("L = R + 1") << 9 << 8;
        QTest::newRow("L > R") << 23 << 5;
        QTest::newRow("R = 0") << 6 << 0;
    }

    void matchesDirectComputation() {
        QFETCH(int, length);
        QFETCH(int, maxDistance);
        torch::manual_seed(static_cast<uint64_t>(length * 31 + maxDistance));
        const int64_t B = 2, H = 3, D = 8;
        const torch::Tensor q = torch::randn({B, H, length, D});
        const torch::Tensor k = torch::randn({B, H, length, D});
        const torch::Tensor v = torch::randn({B, H, length, D});
        const torch::Tensor rel = torch::randn({H, maxDistance + 1, D});
        const torch::Tensor fast = toccata::ml::relativeSelfAttention(q, k, v, rel);
        const torch::Tensor direct = directAttention(q, k, v, rel);
        QCOMPARE(fast.sizes().vec(), direct.sizes().vec());
        const double diff = toccata::test::maxAbsDiff(fast, direct);
        QVERIFY2(diff < 1e-5, qPrintable(QString("max |skewed - direct| = %1").arg(diff)));
    }

    void gradientsFlow() {
        torch::manual_seed(3);
        const torch::Tensor q = torch::randn({1, 2, 6, 4}, torch::requires_grad());
        const torch::Tensor rel = torch::randn({2, 4, 4}, torch::requires_grad());
        toccata::ml::relativeSelfAttention(q, q, q, rel).sum().backward();
        QVERIFY(q.grad().defined() && rel.grad().defined());
        QVERIFY(rel.grad().abs().sum().item<double>() > 0.0);
    }
};

QTEST_APPLESS_MAIN(TestRelativeAttention)
#include "TestRelativeAttention.moc"
