// TF-layout LSTM cell against a hand-worked example (gate order i, j, f, o; forget bias +1 at
// run time), and the inference fast path against the differentiable path.
#include "MlTestSupport.h"
#include "ml/layers/LstmStack.h"
#include "ml/layers/TfLstmCell.h"

using namespace toccata::ml;
using toccata::test::floats;
using toccata::test::maxAbsDiff;

class TestTfLstmCell : public QObject {
    Q_OBJECT

private slots:
    void matchesHandWorkedSteps();
    void fastPathMatchesDifferentiablePath();
    void readsCellsFromWeights();
    void gradientsReachTheKernel();
};

void TestTfLstmCell::matchesHandWorkedSteps() {
    // One input, one unit. Kernel rows: x, then h; columns: i, j, f, o.
    // Worked by hand (double precision):
    //   x=1:  z=[0.55, 0.9, -0.8, 2.0]; c = sigmoid(0.55)*tanh(0.9) = 0.45422997;
    //         h = tanh(c)*sigmoid(2.0) = 0.37466451
    //   x=-1: z = -row0 + h*row1 + b; c = c*sigmoid(f+1) + sigmoid(i)*tanh(j) = 0.10584292;
    //         h = 0.01432606
    //   x=0.5: c = 0.29062323, h = 0.20699445
    const TfLstmCell cell(floats({0.5f, 1.0f, -1.0f, 2.0f, 0.1f, 0.2f, 0.3f, 0.4f}, {2, 4}),
                          floats({0.05f, -0.1f, 0.2f, 0.0f}, {4}));
    QCOMPARE(cell.inputSize(), int64_t{1});
    QCOMPARE(cell.hiddenSize(), int64_t{1});
    const double expectedC[] = {0.4542299732584362, 0.10584292346053287, 0.2906232345517239};
    const double expectedH[] = {0.3746645065413595, 0.0143260599702174, 0.20699445174317957};
    const float inputs[] = {1.0f, -1.0f, 0.5f};
    LstmState slow = cell.zeroState(1), fast = cell.zeroState(1);
    for (int t = 0; t < 3; ++t) {
        const torch::Tensor x = floats({inputs[t]}, {1, 1});
        slow = cell.forward(x, slow);
        {
            c10::InferenceMode guard;
            fast = cell.step(x, fast);
        }
        for (const LstmState* s : {&slow, &fast}) {
            QVERIFY(std::abs(s->c.item<double>() - expectedC[t]) < 1e-6);
            QVERIFY(std::abs(s->h.item<double>() - expectedH[t]) < 1e-6);
        }
    }
}

void TestTfLstmCell::fastPathMatchesDifferentiablePath() {
    torch::manual_seed(3);
    const TfLstmCell cell(torch::randn({7 + 5, 20}) * 0.5, torch::randn({20}) * 0.5);
    LstmState slow{torch::randn({3, 5}), torch::randn({3, 5})};
    LstmState fast = slow;
    for (int t = 0; t < 4; ++t) {
        const torch::Tensor x = torch::randn({3, 7});
        slow = cell.forward(x, slow);
        c10::InferenceMode guard;
        fast = cell.step(x, fast);
    }
    QVERIFY(maxAbsDiff(slow.c, fast.c) < 1e-6);
    QVERIFY(maxAbsDiff(slow.h, fast.h) < 1e-6);
}

void TestTfLstmCell::readsCellsFromWeights() {
    WeightStore store("test-store");
    store.insert("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel", torch::zeros({6 + 4, 16}));
    store.insert("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias", torch::zeros({16}));
    store.insert("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel", torch::zeros({4 + 3, 12}));
    store.insert("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias", torch::zeros({12}));
    auto stack = LstmStack::fromWeights(store, "rnn/multi_rnn_cell/", "basic_lstm_cell/", 6);
    QVERIFY2(stack.ok(), stack.ok() ? "" : stack.errorMessage().c_str());
    QCOMPARE(stack->numLayers(), size_t{2});
    QCOMPARE(stack->inputSize(), int64_t{6});
    QCOMPARE(stack->outputSize(), int64_t{3});
    QCOMPARE(stack->totalHidden(), int64_t{7});

    auto wrongInput = LstmStack::fromWeights(store, "rnn/multi_rnn_cell/", "basic_lstm_cell/", 5);
    QVERIFY(!wrongInput.ok());
    QVERIFY2(
        wrongInput.errorMessage().find("has shape [10, 16], expected [9, 16]") != std::string::npos,
        wrongInput.errorMessage().c_str());
    auto none = LstmStack::fromWeights(store, "decoder/multi_rnn_cell/", "lstm_cell/", -1);
    QVERIFY(!none.ok());
    QVERIFY(none.errorMessage().find("no LSTM layer found") != std::string::npos);
}

void TestTfLstmCell::gradientsReachTheKernel() {
    torch::manual_seed(5);
    const torch::Tensor kernel = (torch::randn({3 + 2, 8}) * 0.5).requires_grad_();
    const torch::Tensor bias = torch::zeros({8}).requires_grad_();
    const LstmStack stack({TfLstmCell(kernel, bias)});
    std::vector<LstmState> state = stack.zeroState(2);
    const torch::Tensor out = stack.forwardSequence(torch::randn({2, 5, 3}), state);
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{2, 5, 2}));
    out.sum().backward();
    QVERIFY(kernel.grad().defined() && kernel.grad().abs().sum().item<double>() > 0);
    QVERIFY(bias.grad().defined() && bias.grad().abs().sum().item<double>() > 0);
}

QTEST_GUILESS_MAIN(TestTfLstmCell)
#include "TestTfLstmCell.moc"
