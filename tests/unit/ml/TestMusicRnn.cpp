// MusicRnn network: step mode (fast path) against the differentiable full-sequence mode,
// batched states and beam reordering, shape errors, and export to a Toccata model folder.
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/weights/WeightsWriter.h"

#include <QTemporaryDir>

#include <memory>

using namespace toccata::ml;
using toccata::test::maxAbsDiff;
using toccata::test::musicRnnFixture;

namespace {

std::unique_ptr<MusicRnn> loadFixture(const std::string& name) {
    auto spec = loadModelSpec(musicRnnFixture(name));
    if (!spec) return nullptr;
    auto net = MusicRnn::load(*spec);
    return net ? std::move(net.value()) : nullptr;
}

/// Runs `inputs` [batch, time, depth] step by step from a zero state.
torch::Tensor runSteps(MusicRnn& net, const torch::Tensor& inputs) {
    StepState state = net.initialState(inputs.size(0));
    std::vector<torch::Tensor> out;
    for (int64_t t = 0; t < inputs.size(1); ++t)
        out.push_back(net.step(inputs.select(1, t), state).value());
    return torch::stack(out, 1);
}

}  // namespace

class TestMusicRnn : public QObject {
    Q_OBJECT

private slots:
    void stepMatchesSequenceMode_data();
    void stepMatchesSequenceMode();
    void beamReorderingFollowsRows();
    void rejectsWrongShapes();
    void exportsAToccataModelFolder();
};

void TestMusicRnn::stepMatchesSequenceMode_data() {
    QTest::addColumn<QString>("fixture");
    QTest::newRow("plain") << "lookback_counter_rnn";
    QTest::newRow("attention") << "attention_rnn";
}

void TestMusicRnn::stepMatchesSequenceMode() {
    QFETCH(QString, fixture);
    auto net = loadFixture(fixture.toStdString());
    QVERIFY(net);
    torch::manual_seed(1);
    const torch::Tensor inputs = torch::randn({3, 9, net->inputDepth()});
    auto sequence = net->forwardSequence(inputs);
    QVERIFY(sequence.ok());
    QCOMPARE(sequence->sizes().vec(), (std::vector<int64_t>{3, 9, net->numClasses()}));
    QVERIFY(maxAbsDiff(*sequence, runSteps(*net, inputs)) < 1e-5);
    // Batch rows are independent: row 1 alone gives the same logits.
    QVERIFY(maxAbsDiff(runSteps(*net, inputs.narrow(0, 1, 1)), sequence->narrow(0, 1, 1)) < 1e-5);
}

void TestMusicRnn::beamReorderingFollowsRows() {
    auto net = loadFixture("attention_rnn");
    QVERIFY(net);
    torch::manual_seed(2);
    const torch::Tensor a = torch::randn({2, 5, net->inputDepth()});
    StepState state = net->initialState(2);
    for (int64_t t = 0; t < 4; ++t) QVERIFY(net->step(a.select(1, t), state).ok());
    // Beam search keeps row 1 twice and drops row 0.
    StepState reordered = state.selectRows(torch::tensor({1, 1}, torch::kLong));
    QCOMPARE(reordered.batch(), int64_t{2});
    const torch::Tensor next = a.select(1, 4).narrow(0, 1, 1).repeat({2, 1});
    const torch::Tensor got = net->step(next, reordered).value();
    const torch::Tensor want = runSteps(*net, a.narrow(0, 1, 1)).select(1, 4);
    QVERIFY(maxAbsDiff(got[0], want[0]) < 1e-5);
    QVERIFY(maxAbsDiff(got[1], want[0]) < 1e-5);
    // A cloned state is independent of later steps on the original.
    StepState copy = state.clone();
    QVERIFY(net->step(a.select(1, 4), state).ok());
    QVERIFY(!torch::equal(copy.tensors[0], state.tensors[0]));
}

void TestMusicRnn::rejectsWrongShapes() {
    auto net = loadFixture("basic_rnn");
    QVERIFY(net);
    StepState state = net->initialState(1);
    auto wide = net->step(torch::zeros({1, 39}), state);
    QVERIFY(!wide.ok());
    QVERIFY2(
        wide.errorMessage().find("inputs must be [batch, 38], got [1, 39]") != std::string::npos,
        wide.errorMessage().c_str());
    auto batch = net->step(torch::zeros({2, 38}), state);
    QVERIFY(!batch.ok());
    QVERIFY(batch.errorMessage().find("does not belong to this model or batch") !=
            std::string::npos);
    StepState foreign = loadFixture("attention_rnn")->initialState(1);
    QVERIFY(!net->step(torch::zeros({1, 38}), foreign).ok());
    QVERIFY(!net->forwardSequence(torch::zeros({1, 38})).ok());

    auto spec = loadModelSpec(musicRnnFixture("basic_rnn"));
    QVERIFY(spec.ok());
    spec->musicRnn.layerSizes = {24, 25};
    auto mismatch = MusicRnn::load(*spec);
    QVERIFY(!mismatch.ok());
    QVERIFY(mismatch.errorMessage().find("LSTM layers [24, 24] but the model says [24, 25]") !=
            std::string::npos);
    spec->musicRnn.layerSizes.clear();
    spec->musicRnn.attentionLength = 4;
    QVERIFY(!MusicRnn::load(*spec).ok());
}

void TestMusicRnn::exportsAToccataModelFolder() {
    auto spec = loadModelSpec(musicRnnFixture("chord_pitches_improv"));
    QVERIFY(spec.ok());
    auto net = MusicRnn::load(*spec);
    QVERIFY(net.ok());
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    WeightsWriteOptions options;
    options.shardSizeBytes = 4096;
    QVERIFY((writeTfjsWeights(folder, (*net)->namedTensors(), options)).ok());
    ModelSpec out = *spec;
    out.id = "exported";
    QVERIFY(toccata::core::writeFileAtomic(folder + "/model.json", out.toModelJson().dump(2)).ok());

    auto again = loadModelSpec(folder);
    QVERIFY2(again.ok(), again.ok() ? "" : again.errorMessage().c_str());
    QVERIFY(again->format == ModelSpec::Format::Toccata);
    QCOMPARE(again->id, std::string("exported"));
    auto reloaded = MusicRnn::load(*again);
    QVERIFY2(reloaded.ok(), reloaded.ok() ? "" : reloaded.errorMessage().c_str());
    torch::manual_seed(4);
    const torch::Tensor inputs = torch::randn({1, 6, (*net)->inputDepth()});
    QCOMPARE(maxAbsDiff(runSteps(**net, inputs), runSteps(**reloaded, inputs)), 0.0);
}

QTEST_GUILESS_MAIN(TestMusicRnn)
#include "TestMusicRnn.moc"
