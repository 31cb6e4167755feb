// MusicRnn against Magenta.js: each fixture under tests/data/parity/music_rnn is a seeded
// random checkpoint that tools/parity/music_rnn_fixtures.js ran through Magenta.js 1.23.1
// (tfjs CPU). The C++ network must give the same per-step logits, and the same greedy
// continuation (softmax per generated step and argmax samples), within 1e-4. Then the whole
// generator (codec, primer handling, chords, rendering) continues Magenta.js's primer at
// temperature 0 and must write exactly the notes Magenta.js's continueSequence returned.
#include "core/NoteSequenceJson.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"
#include "unit/ml/MlTestSupport.h"

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::test::maxAbsDiff;
using toccata::test::musicRnnFixture;
using toccata::test::qs;

namespace {

constexpr double kTolerance = 1e-4;

/// A row of [index, value] pairs -> dense vector of `depth`.
std::vector<float> denseRow(const JsonValue& pairs, int64_t depth) {
    std::vector<float> row(static_cast<size_t>(depth), 0.0f);
    for (const JsonValue& p : pairs.items())
        row[static_cast<size_t>(p.items()[0].asInt())] =
            static_cast<float>(p.items()[1].asNumber());
    return row;
}

torch::Tensor numbers(const JsonValue& array) {
    std::vector<float> v;
    for (const JsonValue& x : array.items()) v.push_back(static_cast<float>(x.asNumber()));
    return torch::tensor(v, torch::kFloat);
}

}  // namespace

class TestMusicRnnParity : public QObject {
    Q_OBJECT

private slots:
    void matchesMagentaJs_data();
    void matchesMagentaJs();
    void generatorContinuesAsMagentaJs_data() { matchesMagentaJs_data(); }
    void generatorContinuesAsMagentaJs();
};

void TestMusicRnnParity::matchesMagentaJs_data() {
    QTest::addColumn<QString>("fixture");
    for (const char* name : {"basic_rnn", "lookback_counter_rnn", "attention_rnn", "drum_kit_rnn",
                             "chord_pitches_improv"})
        QTest::newRow(name) << QString(name);
}

void TestMusicRnnParity::matchesMagentaJs() {
    QFETCH(QString, fixture);
    const std::string folder = musicRnnFixture(fixture.toStdString());
    const JsonValue expected = toccata::test::readJsonFile(folder + "/expected.json");
    QVERIFY2(expected.isObject(), qPrintable(qs(folder) + "/expected.json is missing or broken"));
    auto spec = loadModelSpec(folder);
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
    auto net = MusicRnn::load(*spec);
    QVERIFY2(net.ok(), net.ok() ? "" : net.errorMessage().c_str());
    MusicRnn& model = **net;
    const int64_t depth = expected.find("inputDepth")->asInt();
    const int64_t classes = expected.find("numClasses")->asInt();
    QCOMPARE(model.inputDepth(), depth);
    QCOMPARE(model.numClasses(), classes);

    // 1) Per-step logits for Magenta.js's own input rows.
    const JsonValue& steps = *expected.find("steps");
    const auto& inputs = steps.find("inputs")->items();
    const auto& logits = steps.find("logits")->items();
    QCOMPARE(inputs.size(), logits.size());
    StepState state = model.initialState(1);
    double logitDiff = 0.0;
    for (size_t t = 0; t < inputs.size(); ++t) {
        const auto row = denseRow(inputs[t], depth);
        auto out = model.step(torch::tensor(row, torch::kFloat).reshape({1, depth}), state);
        QVERIFY2(out.ok(), out.ok() ? "" : out.errorMessage().c_str());
        logitDiff = std::max(logitDiff, maxAbsDiff(out->reshape({classes}), numbers(logits[t])));
    }

    // 2) Greedy continuation, fed back exactly as MusicRNN.sampleRnn does:
    //    input i = [control[i+1]], one-hot(event i), [aux[i]].
    const JsonValue& cont = *expected.find("continuation");
    const auto& primer = cont.find("primerEvents")->items();
    const auto& wantProbs = cont.find("probs")->items();
    const auto& wantSamples = cont.find("samples")->items();
    const JsonValue* controls = cont.find("controls");
    const JsonValue* aux = cont.find("aux");
    const int64_t controlDepth =
        controls->isNull()
            ? 0
            : spec->musicRnn.inputDepth - classes -
                  (aux->isNull() ? 0 : spec->codec.find("binaryCounterBits")->asInt());
    const int64_t auxDepth = depth - classes - controlDepth;
    const size_t total = primer.size() + wantSamples.size();
    state = model.initialState(1);
    torch::Tensor lastLogits;
    double probDiff = 0.0;
    int sampleMismatches = 0;
    for (size_t i = 0; i < total; ++i) {
        int64_t event = 0;
        if (i < primer.size()) {
            event = primer[i].asInt();
        } else {
            const size_t k = i - primer.size();
            const torch::Tensor probs = torch::softmax(lastLogits.reshape({classes}), 0);
            probDiff = std::max(probDiff, maxAbsDiff(probs, numbers(wantProbs[k])));
            event = probs.argmax().item<int64_t>();
            if (event != wantSamples[k].asInt()) ++sampleMismatches;
        }
        if (i + 1 == total) break;
        std::vector<float> row;
        if (controlDepth > 0) row = denseRow(controls->items()[i + 1], controlDepth);
        std::vector<float> oneHot(static_cast<size_t>(classes), 0.0f);
        oneHot[static_cast<size_t>(event)] = 1.0f;
        row.insert(row.end(), oneHot.begin(), oneHot.end());
        if (auxDepth > 0) {
            const auto a = denseRow(aux->items()[i], auxDepth);
            row.insert(row.end(), a.begin(), a.end());
        }
        auto out = model.step(torch::tensor(row, torch::kFloat).reshape({1, depth}), state);
        QVERIFY2(out.ok(), out.ok() ? "" : out.errorMessage().c_str());
        lastLogits = *out;
    }
    qInfo(
        "%s: %zu steps, max |logit diff| %.3g; %zu generated, max |prob diff| %.3g, "
        "%d sample mismatches",
        qPrintable(fixture), inputs.size(), logitDiff, wantSamples.size(), probDiff,
        sampleMismatches);
    QVERIFY2(logitDiff <= kTolerance, qPrintable(QString("logit diff %1").arg(logitDiff)));
    QVERIFY2(probDiff <= kTolerance, qPrintable(QString("prob diff %1").arg(probDiff)));
    QCOMPARE(sampleMismatches, 0);
}

void TestMusicRnnParity::generatorContinuesAsMagentaJs() {
    QFETCH(QString, fixture);
    const std::string folder = musicRnnFixture(fixture.toStdString());
    const JsonValue expected = toccata::test::readJsonFile(folder + "/expected.json");
    QVERIFY2(expected.isObject(), qPrintable(qs(folder) + "/expected.json is missing or broken"));
    const JsonValue& cont = *expected.find("continuation");
    const JsonValue* output = cont.find("output");
    QVERIFY2(output && output->isObject(), "expected.json has no continuation.output; "
                                           "regenerate it with tools/parity");
    auto spec = loadModelSpec(folder);
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
    auto model = MusicRnnGenerator::load(*spec);
    QVERIFY2(model.ok(), model.ok() ? "" : model.errorMessage().c_str());
    auto primer = toccata::core::noteSequenceFromJson(*cont.find("primer"));
    QVERIFY2(primer.ok(), primer.ok() ? "" : primer.errorMessage().c_str());

    const int64_t generated = static_cast<int64_t>(cont.find("samples")->size());
    GenerationOptions options;
    options.temperature = 0.0;
    options.steps = generated;
    if (const JsonValue* chords = cont.find("chords"); chords && chords->isArray()) {
        for (const JsonValue& c : chords->items()) options.chords.push_back(c.asString());
        // Magenta.js spreads the progression evenly over primer + continuation.
        const int64_t total = primer->totalQuantizedSteps + generated;
        QVERIFY(total % static_cast<int64_t>(options.chords.size()) == 0);
        options.stepsPerChord = static_cast<int>(total / static_cast<int64_t>(options.chords.size()));
    }
    auto result = (*model)->generate(*primer, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    QCOMPARE(result->startStep, primer->totalQuantizedSteps);

    // (pitch, step relative to the first generated step, length) of every generated note.
    using Key = std::tuple<int, int64_t, int64_t, bool>;
    std::vector<Key> ours, theirs;
    const double stepsPerSecond = 4.0 * result->qpm / 60.0;
    for (const auto& n : result->sequence.notes) {
        const int64_t start = std::llround(n.startTime * stepsPerSecond);
        const int64_t end = std::llround(n.endTime * stepsPerSecond);
        if (start >= result->startStep)
            ours.emplace_back(n.pitch, start - result->startStep, end - start, n.isDrum);
    }
    for (const JsonValue& n : output->find("notes")->items()) {
        const int64_t start = n.find("quantizedStartStep")->asInt();
        const JsonValue* drum = n.find("isDrum");
        theirs.emplace_back(static_cast<int>(n.find("pitch")->asInt()), start,
                            n.find("quantizedEndStep")->asInt() - start,
                            drum && drum->asBool());
    }
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    qInfo("%s: %zu generated notes, Magenta.js %zu", qPrintable(fixture), ours.size(),
          theirs.size());
    QVERIFY(!theirs.empty());
    QCOMPARE(ours, theirs);
}

QTEST_GUILESS_MAIN(TestMusicRnnParity)
#include "TestMusicRnnParity.moc"
