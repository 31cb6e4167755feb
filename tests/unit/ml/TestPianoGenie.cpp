// Piano Genie: the tutorial's published weights against its own test.json (real weights, needs
// ../shared), the quantizers, step mode against sequence mode for both layouts, the session's
// sampling and errors, model folders of every kind, and the clear errors.
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/weights/WeightsWriter.h"

#include <QTemporaryDir>

#include <array>
#include <cmath>
#include <memory>
#include <set>

using namespace toccata::ml;
using toccata::test::maxAbsDiff;

namespace {

std::shared_ptr<const PianoGenieModel> modelOf(std::unique_ptr<PianoGenieNetwork> net) {
    ModelSpec spec;
    spec.family = "piano_genie";
    spec.id = "test";
    return std::make_shared<const PianoGenieModel>(spec, std::move(net));
}

/// A seeded random official-layout (Magenta.js names) weight store; `inputWidth` 123 is the
/// plain PianoGenie, other widths the conditioned variants.
WeightStore officialWeights(int64_t inputWidth, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    auto rnd = [&](std::vector<int64_t> shape, double s) {
        return torch::empty(shape, torch::kFloat).uniform_(-s, s, gen);
    };
    WeightStore w("random official Piano Genie");
    const std::string p = "phero_model/decoder/";
    w.insert(p + "rnn_input/dense/kernel", rnd({inputWidth, 128}, 0.3));
    w.insert(p + "rnn_input/dense/bias", rnd({128}, 0.1));
    for (int l = 0; l < 2; ++l) {
        const std::string cell =
            p + "rnn/rnn/multi_rnn_cell/cell_" + std::to_string(l) + "/lstm_cell/";
        w.insert(cell + "kernel", rnd({256, 512}, 0.2));
        w.insert(cell + "bias", rnd({512}, 0.1));
    }
    w.insert(p + "pitches/dense/kernel", rnd({128, 88}, 0.8));
    w.insert(p + "pitches/dense/bias", rnd({88}, 0.2));
    return w;
}

/// Runs the inputs step by step from a zero state: logits [T, 88].
torch::Tensor runSteps(const PianoGenieNetwork& net, const std::vector<int>& buttons,
                       const std::vector<double>& dts, const std::vector<int>& previousKeys) {
    auto state = net.zeroState(1);
    std::vector<torch::Tensor> out;
    for (size_t i = 0; i < buttons.size(); ++i) {
        const int last = previousKeys[i] == kPianoGenieKeys ? -1 : previousKeys[i];
        out.push_back(net.stepLogits(buttons[i], dts[i], last, state));
    }
    return torch::stack(out, 0);
}

/// The same through decodeSequence (batch 1): logits [T, 88].
torch::Tensor runSequence(const PianoGenieNetwork& net, const std::vector<int>& buttons,
                          const std::vector<double>& dts, const std::vector<int>& previousKeys) {
    std::vector<int64_t> keys(previousKeys.begin(), previousKeys.end());
    std::vector<double> reals;
    for (int b : buttons) reals.push_back(pianoGenieButtonReal(b));
    const int64_t n = static_cast<int64_t>(buttons.size());
    torch::NoGradGuard noGrad;
    return net
        .decodeSequence(torch::tensor(keys, torch::kLong).reshape({1, n}),
                        torch::tensor(dts, torch::kDouble).to(torch::kFloat).reshape({1, n}),
                        torch::tensor(reals, torch::kDouble).to(torch::kFloat).reshape({1, n}))
        .squeeze(0);
}

struct RandomInputs {
    std::vector<int> buttons, keys;
    std::vector<double> dts;
};

RandomInputs randomInputs(int n, uint64_t seed) {
    Rng rng(seed);
    RandomInputs in;
    for (int i = 0; i < n; ++i) {
        in.buttons.push_back(static_cast<int>(rng.next() % 8));
        in.keys.push_back(i == 0 ? kPianoGenieKeys : static_cast<int>(rng.next() % 88));
        in.dts.push_back(i == 0 ? 1.0 : rng.uniform() * 1.2);
    }
    return in;
}

}  // namespace

class TestPianoGenie : public QObject {
    Q_OBJECT

private slots:
    void tutorialFixture() {
        TOCCATA_REQUIRE_SHARED("reference/piano-genie-tutorial/tfjs");
        const std::string root =
            toccata::test::toStd(toccata::test::sharedDir()) + "/reference/piano-genie-tutorial";
        auto model = PianoGenieModel::load(root + "/tfjs");
        QVERIFY2(model.ok(), model ? "" : model.errorMessage().c_str());
        const PianoGenieNetwork& net = (*model)->network();
        QCOMPARE(net.layout(), PianoGenieLayout::Tutorial);
        QCOMPARE(net.rnnSize(), int64_t{128});
        QCOMPARE(net.numLayers(), int64_t{2});
        QVERIFY(!net.hasEncoder());
        QCOMPARE((*model)->spec().family, std::string("piano_genie"));

        const auto fixture = toccata::test::readJsonFile(root + "/test.json");
        QVERIFY(fixture.isObject());
        std::vector<int> buttons, keys;
        std::vector<double> dts;
        for (const auto& v : fixture.find("input_buttons")->items())
            buttons.push_back(static_cast<int>(v.asInt()));
        for (const auto& v : fixture.find("input_keys")->items())
            keys.push_back(static_cast<int>(v.asInt()));
        for (const auto& v : fixture.find("input_dts")->items()) dts.push_back(v.asNumber());
        QCOMPARE(buttons.size(), size_t{128});
        std::vector<float> expectedValues;
        for (const auto& row : fixture.find("output_logits")->items())
            for (const auto& v : row.items())
                expectedValues.push_back(static_cast<float>(v.asNumber()));
        const torch::Tensor expected = torch::tensor(expectedValues).reshape({128, 88});

        const torch::Tensor stepped = runSteps(net, buttons, dts, keys);
        const torch::Tensor diff = (stepped.to(torch::kDouble) - expected.to(torch::kDouble)).abs();
        const double sum = diff.sum().item<double>(), max = diff.max().item<double>();
        qInfo("tutorial test.json, one press at a time: sum |error| %.6g over 128x88, max %.3g",
              sum, max);
        QVERIFY2(sum < 0.015, qPrintable(QString("sum of |error| %1").arg(sum)));

        const torch::Tensor sequence = runSequence(net, buttons, dts, keys);
        const double seqSum =
            (sequence.to(torch::kDouble) - expected.to(torch::kDouble)).abs().sum().item<double>();
        qInfo("decodeSequence: sum |error| %.6g, max |step - sequence| %.3g", seqSum,
              maxAbsDiff(sequence, stepped));
        QVERIFY(seqSum < 0.015);
        QVERIFY(maxAbsDiff(sequence, stepped) < 1e-4);
    }

    void buttonQuantizer() {
        for (int b = 0; b < kPianoGenieButtons; ++b)
            QCOMPARE(pianoGenieButtonOf(pianoGenieButtonReal(b)), b);
        QCOMPARE(pianoGenieButtonReal(0), -1.0);
        QCOMPARE(pianoGenieButtonReal(7), 1.0);
        QCOMPARE(pianoGenieButtonOf(-3.0), 0);
        QCOMPARE(pianoGenieButtonOf(3.0), 7);
        QCOMPARE(pianoGenieButtonOf(0.0), 4);  // 3.5 -> 4 (even)
        // Exact halves 0.5, 2.5, 4.5, 6.5 round to the even button (torch.round).
        for (int half : {0, 2, 4, 6}) {
            double x = 2.0 * ((half + 0.5) / 7.0) - 1.0;
            bool found = false;
            for (int i = 0; i < 64 && !found; ++i, x = std::nextafter(x, 2.0))
                found = ((x + 1.0) / 2.0) * 7.0 == half + 0.5;
            if (found) QCOMPARE(pianoGenieButtonOf(std::nextafter(x, -2.0)), half);
            QCOMPARE(pianoGenieButtonOf(2.0 * ((half + 0.4) / 7.0) - 1.0), half);
            QCOMPARE(pianoGenieButtonOf(2.0 * ((half + 0.6) / 7.0) - 1.0), half + 1);
        }
    }

    void timeBins() {
        QCOMPARE(pianoGenieDeltaTimeBin(0.0), 0);
        QCOMPARE(pianoGenieDeltaTimeBin(-1.0), 0);
        QCOMPARE(pianoGenieDeltaTimeBin(0.0625), 2);  // 1.953125
        QCOMPARE(pianoGenieDeltaTimeBin(1.0), 31);    // 31.25
        QCOMPARE(pianoGenieDeltaTimeBin(1.024), 32);
        QCOMPARE(pianoGenieDeltaTimeBin(kPianoGenieFirstDeltaSeconds), 32);
        // float32 products that land exactly on .5 round to even, as tf.round.
        for (int half : {2, 4, 10}) {
            float dt = static_cast<float>((half + 0.5) / 31.25);
            for (int i = 0; i < 32; ++i, dt = std::nextafter(dt, 1.0f)) {
                if (dt * 31.25f == static_cast<float>(half) + 0.5f) {
                    QCOMPARE(pianoGenieDeltaTimeBin(dt), half);
                    break;
                }
            }
        }
    }

    void tutorialStepMatchesSequence() {
        auto net = PianoGenieNetwork::create(128, 2, 7);
        QVERIFY(net);
        QCOMPARE(net->layout(), PianoGenieLayout::Tutorial);
        QVERIFY(net->hasEncoder());
        const RandomInputs in = randomInputs(40, 3);
        const torch::Tensor a = runSteps(*net, in.buttons, in.dts, in.keys);
        const torch::Tensor b = runSequence(*net, in.buttons, in.dts, in.keys);
        QVERIFY2(maxAbsDiff(a, b) < 1e-5, qPrintable(QString::number(maxAbsDiff(a, b))));
    }

    void createIsDeterministicAndTrainable() {
        auto a = PianoGenieNetwork::create(32, 2, 11), b = PianoGenieNetwork::create(32, 2, 11);
        auto c = PianoGenieNetwork::create(32, 2, 12);
        const auto na = a->namedTensors(), nb = b->namedTensors(), nc = c->namedTensors();
        QCOMPARE(na.size(), nb.size());
        bool anyDiffers = false;
        for (size_t i = 0; i < na.size(); ++i) {
            QCOMPARE(na[i].first, nb[i].first);
            QVERIFY(torch::equal(na[i].second, nb[i].second));
            anyDiffers = anyDiffers || !torch::equal(na[i].second, nc[i].second);
        }
        QVERIFY(anyDiffers);
        // PyTorch's default init bounds: LSTM 1/sqrt(H), Linear 1/sqrt(in).
        for (const auto& [name, t] : na) {
            const double bound = name.rfind("dec.input", 0) == 0    ? 1.0 / std::sqrt(91.0)
                                 : name.rfind("enc.input", 0) == 0  ? 1.0 / std::sqrt(89.0)
                                 : name.rfind("enc.output", 0) == 0 ? 1.0 / std::sqrt(64.0)
                                                                    : 1.0 / std::sqrt(32.0);
            QVERIFY2(t.abs().max().item<double>() <= bound + 1e-7, name.c_str());
        }
        // The encoder: one real per note, differentiable through the named tensors.
        for (auto& [name, t] : na) t.requires_grad_(true);
        const torch::Tensor keys = torch::randint(0, 88, {2, 16}, torch::kLong);
        const torch::Tensor dts = torch::rand({2, 16});
        auto e = a->encode(keys, dts);
        QVERIFY(e.ok());
        QCOMPARE(e->sizes().vec(), (std::vector<int64_t>{2, 16}));
        const torch::Tensor logits =
            a->decodeSequence(torch::full({2, 16}, 88, torch::kLong), dts, torch::tanh(*e));
        QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{2, 16, 88}));
        logits.sum().backward();
        for (const auto& [name, t] : na)
            QVERIFY2(t.grad().defined() && t.grad().abs().sum().item<double>() > 0, name.c_str());
        // In-place updates + repack() change what stepping computes.
        auto state0 = a->zeroState(1), state1 = a->zeroState(1);
        const torch::Tensor before = a->stepLogits(3, 0.2, -1, state0);
        {
            torch::NoGradGuard g;
            for (auto& [name, t] : na)
                if (name == "dec.output.bias") t.add_(1.0);
        }
        a->repack();
        QVERIFY(maxAbsDiff(a->stepLogits(3, 0.2, -1, state1), before + 1.0) < 1e-5);
    }

    void officialLayout() {
        auto net = PianoGenieNetwork::fromWeights(officialWeights(123, 5));
        QVERIFY2(net.ok(), net ? "" : net.errorMessage().c_str());
        QCOMPARE((*net)->layout(), PianoGenieLayout::MagentaJs);
        QCOMPARE((*net)->rnnSize(), int64_t{128});
        QCOMPARE((*net)->numLayers(), int64_t{2});
        QVERIFY(!(*net)->hasEncoder());
        QVERIFY(!(*net)->encode(torch::zeros({1, 4}, torch::kLong), torch::zeros({1, 4})).ok());
        RandomInputs in = randomInputs(30, 9);
        in.dts[0] = 2.0;  // bin 32, as after a reset
        const torch::Tensor a = runSteps(**net, in.buttons, in.dts, in.keys);
        const torch::Tensor b = runSequence(**net, in.buttons, in.dts, in.keys);
        QVERIFY2(maxAbsDiff(a, b) < 1e-5, qPrintable(QString::number(maxAbsDiff(a, b))));
        QCOMPARE((*net)->namedTensors().size(), size_t{8});

        // A folder with only the manifest opens as family piano_genie.
        QTemporaryDir dir;
        QVERIFY(writeTfjsWeights(dir.path().toStdString(), (*net)->namedTensors()).ok());
        auto model = PianoGenieModel::load(dir.path().toStdString());
        QVERIFY2(model.ok(), model ? "" : model.errorMessage().c_str());
        QCOMPARE((*model)->spec().family, std::string("piano_genie"));
        QCOMPARE((*model)->spec().architecture.find("layout")->asString(),
                 std::string("magentajs"));
        auto s = (*model)->network().zeroState(1);
        QVERIFY(maxAbsDiff((*model)->network().stepLogits(in.buttons[0], in.dts[0], -1, s), a[0]) <
                1e-6);
    }

    void conditionedVariantIsRejected() {
        auto net = PianoGenieNetwork::fromWeights(officialWeights(143, 5));
        QVERIFY(!net.ok());
        QVERIFY2(net.errorMessage().find("143") != std::string::npos &&
                     net.errorMessage().find("not supported") != std::string::npos,
                 net.errorMessage().c_str());
    }

    void tutorialFolderRoundTrip() {
        auto net = PianoGenieNetwork::create(64, 2, 4);
        QTemporaryDir dir;
        std::vector<NamedTensor> dec;
        for (const auto& nt : net->namedTensors())
            if (nt.first.rfind("dec.", 0) == 0) dec.push_back(nt);
        QVERIFY(writeTfjsWeights(dir.path().toStdString(), dec).ok());
        auto model = PianoGenieModel::load(dir.path().toStdString());
        QVERIFY2(model.ok(), model ? "" : model.errorMessage().c_str());
        QCOMPARE((*model)->network().rnnSize(), int64_t{64});
        QCOMPARE((*model)->spec().architecture.find("layout")->asString(), std::string("tutorial"));
        const RandomInputs in = randomInputs(10, 1);
        QVERIFY(maxAbsDiff(runSteps(*net, in.buttons, in.dts, in.keys),
                           runSteps((*model)->network(), in.buttons, in.dts, in.keys)) < 1e-6);
        // Toccata model.json naming the other layout is refused.
        QVERIFY(toccata::test::writeBytes(dir.path() + "/model.json",
                                          R"({"family": "piano_genie", "architecture":
            {"layout": "magentajs"}, "provenance": {}, "license": {"trainingData": "x"}})"));
        auto wrong = PianoGenieModel::load(dir.path().toStdString());
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.errorMessage().find("layout") != std::string::npos,
                 wrong.errorMessage().c_str());
    }

    void notAPianoGenie() {
        auto notGenie = PianoGenieModel::load(toccata::test::musicRnnFixture("basic_rnn"));
        QVERIFY(!notGenie.ok());
        QVERIFY2(notGenie.errorMessage().find("not piano_genie") != std::string::npos,
                 notGenie.errorMessage().c_str());
        QTemporaryDir dir;
        auto empty = PianoGenieModel::load(dir.path().toStdString());
        QVERIFY(!empty.ok());
        QVERIFY(empty.errorMessage().find(dir.path().toStdString()) != std::string::npos);
        WeightStore w("x");
        w.insert("something/else", torch::zeros({2}));
        QVERIFY(writeTfjsWeights(dir.path().toStdString(), {{"something/else", torch::zeros({2})}})
                    .ok());
        auto other = PianoGenieModel::load(dir.path().toStdString());
        QVERIFY(!other.ok());
        QVERIFY2(other.errorMessage().find("Piano Genie") != std::string::npos,
                 other.errorMessage().c_str());
    }

    void sessionSampling() {
        auto model = modelOf(PianoGenieNetwork::create(128, 2, 21));
        const std::vector<int> buttons = {0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0};
        PianoGenieSampling sampling;
        sampling.temperature = 1.0;
        auto play = [&](uint64_t seed) {
            PianoGenieSession s(model, seed);
            std::vector<int> keys;
            for (size_t i = 0; i < buttons.size(); ++i)
                keys.push_back(*s.press(buttons[i], 0.2 * static_cast<double>(i), sampling));
            return keys;
        };
        QCOMPARE(play(5), play(5));
        QVERIFY(play(5) != play(6) || play(5) != play(7));

        // Temperature 0: the argmax of the logits; the first press after reset sees the
        // largest dt.
        PianoGenieSession s(model, 1);
        sampling.temperature = 0.0;
        for (int round = 0; round < 2; ++round) {
            auto state = model->network().zeroState(1);
            const torch::Tensor first = model->network().stepLogits(3, 1.0, -1, state);
            auto key = s.press(3, 100.0 + round, sampling);
            QVERIFY(key.ok());
            QVERIFY(maxAbsDiff(s.lastLogits(), first) < 1e-6);
            QCOMPARE(*key, static_cast<int>(s.lastLogits().argmax().item<int64_t>()));
            for (int i = 0; i < 5; ++i) {
                key = s.press(i, 100.5 + round + i * 0.1, sampling);
                QCOMPARE(*key, static_cast<int>(s.lastLogits().argmax().item<int64_t>()));
            }
            s.reset();
        }

        // Allowed keys are honoured (C major, keys 30..60) at T = 1.
        sampling.temperature = 1.0;
        sampling.allowedKeys.assign(88, false);
        for (int k = 30; k <= 60; ++k)
            if (std::array<bool, 12>{1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1}[(k + 21) % 12])
                sampling.allowedKeys[static_cast<size_t>(k)] = true;
        std::set<int> seen;
        for (int i = 0; i < 300; ++i) {
            auto key = s.pressAfter(i % 8, 0.1, sampling);
            QVERIFY(key.ok());
            QVERIFY2(sampling.allowedKeys[static_cast<size_t>(*key)],
                     qPrintable(QString::number(*key)));
            seen.insert(*key);
        }
        QVERIFY(seen.size() > 3);
        // A single allowed key always sounds.
        sampling.allowedKeys.assign(88, false);
        sampling.allowedKeys[40] = true;
        QCOMPARE(*s.pressAfter(0, 0.1, sampling), 40);

        // The fixed uniform of the parity tests: r just above 0 picks the first allowed key
        // with any probability; r near 1 the last.
        PianoGenieSampling fixed;
        fixed.temperature = 1.0;
        fixed.fixedUniform = 0.0;
        Rng rng(0);
        const torch::Tensor logits = torch::zeros({88});
        QCOMPARE(*pianoGenieSample(logits, fixed, rng), 0);
        fixed.fixedUniform = 0.999999;
        QCOMPARE(*pianoGenieSample(logits, fixed, rng), 87);
        fixed.fixedUniform = 0.49;  // cdf[k] = (k + 1) / 88
        QCOMPARE(*pianoGenieSample(logits, fixed, rng), 43);
    }

    void sessionErrors() {
        auto model = modelOf(PianoGenieNetwork::create(16, 1, 2));
        PianoGenieSession s(model, 0);
        PianoGenieSampling sampling;
        auto bad = s.pressAfter(8, 0.1, sampling);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("button 8") != std::string::npos,
                 bad.errorMessage().c_str());
        QVERIFY(!s.pressAfter(-1, 0.1, sampling).ok());
        QVERIFY(!s.lastLogits().defined());  // nothing advanced
        sampling.temperature = 2.5;
        bad = s.pressAfter(0, 0.1, sampling);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("temperature") != std::string::npos,
                 bad.errorMessage().c_str());
        sampling.temperature = -0.1;
        QVERIFY(!s.pressAfter(0, 0.1, sampling).ok());
        sampling.temperature = 2.0;
        QVERIFY(s.pressAfter(0, 0.1, sampling).ok());
        sampling.allowedKeys.assign(88, false);
        bad = s.pressAfter(0, 0.1, sampling);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("no key") != std::string::npos,
                 bad.errorMessage().c_str());
        sampling.allowedKeys.assign(10, true);
        bad = s.pressAfter(0, 0.1, sampling);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("88") != std::string::npos, bad.errorMessage().c_str());
    }
};

QTEST_GUILESS_MAIN(TestPianoGenie)
#include "TestPianoGenie.moc"
