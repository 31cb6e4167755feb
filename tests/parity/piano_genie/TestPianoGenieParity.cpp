// PianoGenie against Magenta.js: tests/data/parity/piano_genie/official is a seeded random
// checkpoint with the official names (phero_model/decoder/...) that
// tools/parity/piano_genie_fixtures.js played through Magenta.js 1.23.1's PianoGenie (tfjs CPU).
// The C++ session, fed the same buttons and delta times (the first press after a reset sees
// "long ago", time bin 32), must give the same logits (within 1e-4) and the same keys: argmax,
// seeded sampling (Magenta.js draws the same r = alea(seed)() on every call; the fixture records
// it and the test samples with it), and nextFromKeyList.
#include "ml/models/piano_genie/PianoGenie.h"
#include "unit/ml/MlTestSupport.h"

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::test::maxAbsDiff;

namespace {

constexpr double kTolerance = 1e-4;

std::string fixtureDir() {
    return toccata::test::toStd(toccata::test::sourceDir()) +
           "/tests/data/parity/piano_genie/official";
}

std::vector<int> ints(const JsonValue& a) {
    std::vector<int> out;
    for (const JsonValue& v : a.items()) out.push_back(static_cast<int>(v.asInt()));
    return out;
}

QString keysText(const std::vector<int>& keys) {
    QStringList s;
    for (int k : keys) s << QString::number(k);
    return s.join(' ');
}

}  // namespace

class TestPianoGenieParity : public QObject {
    Q_OBJECT

    std::shared_ptr<const PianoGenieModel> m_model;
    JsonValue m_expected;
    std::vector<int> m_buttons;
    std::vector<double> m_dts;

    /// Plays the fixture's performance from a reset; logits of every press into `logits`.
    std::vector<int> play(const PianoGenieSampling& sampling,
                          std::vector<torch::Tensor>* logits = nullptr) {
        PianoGenieSession session(m_model, 0);
        std::vector<int> keys;
        for (size_t i = 0; i < m_buttons.size(); ++i) {
            auto key = session.pressAfter(m_buttons[i], m_dts[i], sampling);
            if (!key) {
                qWarning("%s", key.errorMessage().c_str());
                return {};
            }
            keys.push_back(*key);
            if (logits) logits->push_back(session.lastLogits().clone());
        }
        return keys;
    }

private slots:
    void initTestCase() {
        auto model = PianoGenieModel::load(fixtureDir());
        QVERIFY2(model.ok(), model ? "" : model.errorMessage().c_str());
        m_model = *model;
        QCOMPARE(m_model->network().layout(), PianoGenieLayout::MagentaJs);
        QCOMPARE(m_model->spec().family, std::string("piano_genie"));
        m_expected = toccata::test::readJsonFile(fixtureDir() + "/expected.json");
        QVERIFY(m_expected.isObject());
        m_buttons = ints(*m_expected.find("buttons"));
        for (const JsonValue& v : m_expected.find("dts")->items()) m_dts.push_back(v.asNumber());
        QCOMPARE(m_buttons.size(), m_dts.size());
        QVERIFY(m_dts.front() >= 1.024);  // the first press: bin 32
    }

    void argmaxKeysAndLogits() {
        const JsonValue& argmax = *m_expected.find("argmax");
        PianoGenieSampling sampling;
        sampling.temperature = 0.0;
        std::vector<torch::Tensor> logits;
        const std::vector<int> keys = play(sampling, &logits);
        const std::vector<int> expected = ints(*argmax.find("keys"));
        QVERIFY2(keys == expected,
                 qPrintable("got " + keysText(keys) + "\nexpected " + keysText(expected)));
        std::vector<float> values;
        for (const JsonValue& row : argmax.find("logits")->items())
            for (const JsonValue& v : row.items())
                values.push_back(static_cast<float>(v.asNumber()));
        const torch::Tensor want =
            torch::tensor(values).reshape({static_cast<int64_t>(m_buttons.size()), 88});
        const double diff = maxAbsDiff(torch::stack(logits, 0), want);
        qInfo("%zu presses: keys identical, max |logit - Magenta.js| %.3g", keys.size(), diff);
        QVERIFY2(diff < kTolerance, qPrintable(QString::number(diff)));
    }

    void seededKeys() {
        for (const JsonValue& run : m_expected.find("seeded")->items()) {
            PianoGenieSampling sampling;
            sampling.temperature = run.find("temperature")->asNumber();
            sampling.fixedUniform = run.find("r")->asNumber();
            const std::vector<int> keys = play(sampling);
            const std::vector<int> expected = ints(*run.find("keys"));
            QVERIFY2(keys == expected, qPrintable(QString("T %1 seed %2\ngot %3\nexpected %4")
                                                      .arg(sampling.temperature)
                                                      .arg(run.find("seed")->asInt())
                                                      .arg(keysText(keys), keysText(expected))));
        }
    }

    void keyListKeys() {
        for (const JsonValue& run : m_expected.find("keyList")->items()) {
            PianoGenieSampling sampling;
            sampling.temperature = run.find("temperature")->asNumber();
            sampling.fixedUniform = run.find("r")->asNumber();
            sampling.allowedKeys.assign(88, false);
            for (int k : ints(*run.find("keyList")))
                sampling.allowedKeys[static_cast<size_t>(k)] = true;
            const std::vector<int> keys = play(sampling);
            const std::vector<int> expected = ints(*run.find("keys"));
            QVERIFY2(keys == expected, qPrintable(QString("T %1 seed %2\ngot %3\nexpected %4")
                                                      .arg(sampling.temperature)
                                                      .arg(run.find("seed")->asInt())
                                                      .arg(keysText(keys), keysText(expected))));
        }
    }
};

QTEST_GUILESS_MAIN(TestPianoGenieParity)
#include "TestPianoGenieParity.moc"
