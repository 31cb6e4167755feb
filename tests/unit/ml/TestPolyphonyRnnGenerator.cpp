// Polyphony RNN generation: Magenta's primer semantics (condition_on_primer and
// inject_primer_during_generation, seen through a recording stepper), the 5 x steps budget
// and its early stop, every primer note kept when injecting, the grammar mask (and what
// happens without it), seeds, beam search, cancellation, errors that name the bad value, and
// export -> load -> same output.
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

#include <QTemporaryDir>
#include <QtTest>

#include <set>
#include <stop_token>
#include <tuple>

using namespace toccata;
using namespace toccata::ml;

namespace {

/// C major then F major (one quarter each) at 90 QPM, and a held melody note over both.
core::NoteSequence primerSequence() {
    core::NoteSequence s;
    s.tempos.push_back({0.0, 90.0});
    const double q = 60.0 / 90.0;
    auto add = [&](int pitch, double start, double end) {
        core::Note n;
        n.pitch = pitch;
        n.velocity = 80;
        n.startTime = start;
        n.endTime = end;
        s.notes.push_back(n);
    };
    for (int p : {48, 55, 64}) add(p, 0.0, q);
    for (int p : {53, 57, 65}) add(p, q, 2 * q);
    add(72, 0.0, 2 * q);
    s.recomputeTotalTime();
    return s;
}

/// A 259-class stepper that always favours one class and records the rows it is fed.
class FixedStepper : public RowMaskedStepper {
public:
    explicit FixedStepper(int favourite, int64_t width = kPolyphonyNumClasses, int second = -1)
        : m_favourite(favourite), m_second(second), m_width(width) {}
    int64_t inputDepth() const override { return m_width; }
    int64_t numClasses() const override { return m_width; }
    int64_t batch() const override { return m_batch; }
    core::Status reset(int64_t batch) override {
        m_batch = batch;
        ++resets;
        return {};
    }
    core::Result<std::vector<float>> step(const std::vector<float>& inputs) override {
        return stepRows(inputs, std::vector<uint8_t>(static_cast<size_t>(m_batch), 1));
    }
    core::Result<std::vector<float>> stepRows(const std::vector<float>& inputs,
                                              const std::vector<uint8_t>& active) override {
        for (int64_t r = 0; r < m_batch; ++r) {
            if (active[static_cast<size_t>(r)] == 0) continue;
            for (int64_t c = 0; c < m_width; ++c)
                if (inputs[static_cast<size_t>(r * m_width + c)] > 0.5F && r == 0)
                    fed.push_back(static_cast<int>(c));
        }
        std::vector<float> logits(static_cast<size_t>(m_batch * m_width), -20.0F);
        for (int64_t r = 0; r < m_batch; ++r) {
            logits[static_cast<size_t>(r * m_width + m_favourite)] = 20.0F;
            if (m_second >= 0) logits[static_cast<size_t>(r * m_width + m_second)] = 19.5F;
        }
        return logits;
    }
    core::Status selectRows(const std::vector<int64_t>& rows) override {
        m_batch = static_cast<int64_t>(rows.size());
        return {};
    }
    std::vector<int> fed;  ///< classes fed to row 0, in order
    int resets = 0;

private:
    int m_favourite, m_second;
    int64_t m_width;
    int64_t m_batch = 0;
};

std::unique_ptr<PolyphonyRnnGenerator> tinyGenerator(uint64_t seed = 5) {
    auto g = PolyphonyRnnGenerator::initialize({24, 24}, seed, "tiny_polyphony");
    return g ? std::move(*g) : nullptr;
}

/// (pitch, start step) of every note at `qpm`, 4 steps per quarter.
std::multiset<std::pair<int, int64_t>> onsets(const core::NoteSequence& s, double qpm) {
    std::multiset<std::pair<int, int64_t>> out;
    for (const core::Note& n : s.notes)
        out.insert({n.pitch, std::llround(n.startTime * qpm / 60.0 * 4.0)});
    return out;
}

bool sameNotes(const core::NoteSequence& a, const core::NoteSequence& b) {
    if (a.notes.size() != b.notes.size()) return false;
    for (size_t i = 0; i < a.notes.size(); ++i)
        if (a.notes[i].pitch != b.notes[i].pitch ||
            std::abs(a.notes[i].startTime - b.notes[i].startTime) > 1e-9 ||
            std::abs(a.notes[i].endTime - b.notes[i].endTime) > 1e-9)
            return false;
    return true;
}

}  // namespace

class TestPolyphonyRnnGenerator : public QObject {
    Q_OBJECT

private slots:
    void initializedModelIs259() {
        auto g = tinyGenerator();
        QVERIFY(g);
        QCOMPARE(g->network().inputDepth(), int64_t{259});
        QCOMPARE(g->network().numClasses(), int64_t{259});
        QCOMPARE(g->spec().family, std::string("polyphony_rnn"));
    }

    void grammarMask() {
        using E = PolyphonicEvent;
        auto allowed = polyphonyAllowedClasses({E::start()});
        QVERIFY(allowed[2]);
        QVERIFY(!allowed[0] && !allowed[1]);
        QVERIFY(allowed[kPolyphonyNewNoteOffset + 60]);
        QVERIFY(!allowed[kPolyphonyContinuedNoteOffset + 60]);
        allowed = polyphonyAllowedClasses({E::start(), E::newNote(60), E::stepEnd()});
        QVERIFY(allowed[kPolyphonyContinuedNoteOffset + 60]);
        QVERIFY(!allowed[kPolyphonyContinuedNoteOffset + 61]);
        QVERIFY(allowed[kPolyphonyNewNoteOffset + 60]);  // a re-attack
        allowed = polyphonyAllowedClasses(
            {E::start(), E::newNote(60), E::stepEnd(), E::continuedNote(60)});
        QVERIFY(!allowed[kPolyphonyNewNoteOffset + 60]);
        QVERIFY(!allowed[kPolyphonyContinuedNoteOffset + 60]);

        QVERIFY(checkPolyphonicStream({E::start(), E::newNote(60), E::stepEnd(),
                                       E::continuedNote(60), E::stepEnd(), E::end()}));
        const core::Status bad =
            checkPolyphonicStream({E::start(), E::newNote(60), E::stepEnd(), E::continuedNote(62)});
        QVERIFY(!bad);
        QVERIFY2(bad.errorMessage().find("event 3") != std::string::npos,
                 bad.errorMessage().c_str());
        QVERIFY(!checkPolyphonicStream({E::start(), E::newNote(60), E::newNote(60)}));
        QVERIFY(!checkPolyphonicStream({E::start(), E::end(), E::stepEnd()}));
    }

    // Magenta's semantics, seen through what the model is fed.
    void conditionOffStartsBlankAndInjects() {
        FixedStepper model(2);  // always STEP_END
        PolyphonyGenerationOptions o;
        o.seed = 1;
        o.steps = 6;
        auto r = generatePolyphony(model, primerSequence(), o);
        QVERIFY2(r, r ? "" : r.errorMessage().c_str());
        // The primer is 8 steps long (two quarters), so generation starts at step 8 from a blank
        // stream: START, then the primer's step 0 injected (descending), then STEP_END sampled.
        QCOMPARE(r->startStep, int64_t{8});
        QCOMPARE(r->endStep, int64_t{14});
        const std::vector<int> head(model.fed.begin(), model.fed.begin() + 5);
        const std::vector<int> expected = {0, 3 + 72, 3 + 64, 3 + 55, 3 + 48};
        QCOMPARE(head, expected);
        QCOMPARE(model.fed[5], 2);
        // Primer step 1 (72, 64, 55, 48 held): continued notes.
        QCOMPARE(model.fed[6], 131 + 72);
        // Output: the primer unchanged as the base, plus its injected copy from step 8.
        const auto notes = onsets(r->sequence, 90.0);
        for (const core::Note& n : primerSequence().notes) {
            QVERIFY(std::find(r->sequence.notes.begin(), r->sequence.notes.end(), n) !=
                    r->sequence.notes.end());
            const int64_t step = std::llround(n.startTime * 90.0 / 60.0 * 4.0);
            QVERIFY(notes.count({n.pitch, 8 + step}) == 1);
        }
        QCOMPARE(r->passes, 1);
        QCOMPARE(r->sampledEvents, int64_t{6});  // stopped once 6 steps were covered
        QVERIFY(checkPolyphonicStream(r->events.events()));
    }

    void conditionOnFeedsPrimerFirst() {
        FixedStepper model(2);
        PolyphonyGenerationOptions o;
        o.seed = 1;
        o.steps = 10;
        o.conditionOnPrimer = true;
        auto r = generatePolyphony(model, primerSequence(), o);
        QVERIFY2(r, r ? "" : r.errorMessage().c_str());
        // START, NEW 72, NEW 64, NEW 55, NEW 48, STEP_END, ...: the primer first.
        QCOMPARE(model.fed[0], 0);
        QCOMPARE(model.fed[1], 3 + 72);
        QCOMPARE(model.fed[5], 2);
        // The primer stream (8 steps) is replayed from step 8.
        const auto steps = polyphonicStepNotes(r->events.events());
        QCOMPARE(static_cast<int64_t>(steps.size()), int64_t{18});
        QCOMPARE(steps[8], steps[0]);
        QCOMPARE(steps[12], steps[4]);
        QVERIFY(steps[16].empty());
        const auto notes = onsets(r->sequence, 90.0);
        for (const core::Note& n : primerSequence().notes)
            QVERIFY(notes.count({n.pitch, std::llround(n.startTime * 90.0 / 60.0 * 4.0)}) >= 1);
        QVERIFY(checkPolyphonicStream(r->events.events()));
    }

    void noInjectLeavesGenerationAlone() {
        FixedStepper model(2);
        PolyphonyGenerationOptions o;
        o.seed = 1;
        o.steps = 4;
        o.injectPrimer = false;
        auto r = generatePolyphony(model, primerSequence(), o);
        QVERIFY(r);
        QCOMPARE(model.fed, (std::vector<int>{0, 2, 2, 2}));
        QCOMPARE(r->sequence.notes.size(), primerSequence().notes.size());
    }

    void budgetIsFiveEventsPerStep() {
        FixedStepper model(2);
        PolyphonyGenerationOptions o;
        o.seed = 1;
        o.steps = 8;
        o.beamSize = 2;  // beam search runs the whole budget
        auto r = generatePolyphony(model, primerSequence(), o);
        QVERIFY(r);
        QCOMPARE(r->sampledEvents, int64_t{40});
        QCOMPARE(r->passes, 1);
        QCOMPARE(r->events.numSteps(), int64_t{8});
    }

    void injectKeepsEveryPrimerNote_data() {
        QTest::addColumn<bool>("condition");
        QTest::addColumn<uint64_t>("seed");
        QTest::newRow("condition off") << false << uint64_t{3};
        QTest::newRow("condition on") << true << uint64_t{3};
        QTest::newRow("condition off, seed 9") << false << uint64_t{9};
        QTest::newRow("condition on, seed 9") << true << uint64_t{9};
    }
    void injectKeepsEveryPrimerNote() {
        QFETCH(bool, condition);
        QFETCH(uint64_t, seed);
        auto g = tinyGenerator();
        QVERIFY(g);
        PolyphonyGenerationOptions o;
        o.seed = seed;
        o.steps = 24;
        o.conditionOnPrimer = condition;
        o.temperature = 1.5;
        auto r = g->generate(primerSequence(), o);
        QVERIFY2(r, r ? "" : r.errorMessage().c_str());
        QVERIFY2(checkPolyphonicStream(r->events.events()),
                 checkPolyphonicStream(r->events.events()).errorMessage().c_str());
        const auto notes = onsets(r->sequence, 90.0);
        for (const core::Note& n : primerSequence().notes) {
            const int64_t step = std::llround(n.startTime * 90.0 / 60.0 * 4.0);
            QVERIFY(notes.count({n.pitch, step}) >= 1);      // the primer itself
            QVERIFY(notes.count({n.pitch, 8 + step}) >= 1);  // injected at the generation start
        }
        QVERIFY(r->injectedEvents > 0);
        for (const core::Note& n : r->sequence.notes) QVERIFY(n.endTime > n.startTime);
    }

    void sameSeedSameOutput() {
        auto g = tinyGenerator();
        QVERIFY(g);
        PolyphonyGenerationOptions o;
        o.seed = 42;
        o.steps = 32;
        auto a = g->generate(primerSequence(), o);
        auto b = g->generate(primerSequence(), o);
        QVERIFY(a && b);
        QVERIFY(sameNotes(a->sequence, b->sequence));
        QCOMPARE(a->logLikelihood, b->logLikelihood);
        QCOMPARE(a->seed, uint64_t{42});
    }

    void streamAlwaysValid_data() {
        QTest::addColumn<bool>("condition");
        QTest::addColumn<bool>("inject");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<int>("beam");
        for (bool c : {false, true})
            for (bool i : {false, true})
                for (double t : {1.0, 3.0})
                    for (int beam : {1, 2})
                        QTest::addRow("c%d i%d T%.0f beam%d", c, i, t, beam) << c << i << t << beam;
    }
    void streamAlwaysValid() {
        QFETCH(bool, condition);
        QFETCH(bool, inject);
        QFETCH(double, temperature);
        QFETCH(int, beam);
        auto g = tinyGenerator(11);
        QVERIFY(g);
        for (uint64_t seed : {1, 2, 3}) {
            PolyphonyGenerationOptions o;
            o.seed = seed;
            o.steps = 16;
            o.conditionOnPrimer = condition;
            o.injectPrimer = inject;
            o.temperature = temperature;
            o.beamSize = beam;
            o.branchFactor = beam;
            o.stepsPerIteration = beam == 1 ? 1 : 3;
            auto r = g->generate(primerSequence(), o);
            QVERIFY2(r, r ? "" : r.errorMessage().c_str());
            const core::Status valid = checkPolyphonicStream(r->events.events());
            QVERIFY2(valid, valid.errorMessage().c_str());
            QCOMPARE(r->events.numSteps(), (condition ? int64_t{8} : int64_t{0}) + 16);
            QVERIFY(r->sequence.totalTime <= (8 + 16) * 60.0 / 90.0 / 4.0 + 1e-6);
        }
    }

    // Without the mask a model that prefers continuing a silent pitch writes it (Magenta's
    // behaviour, which its decoder ignores); with the mask it cannot.
    void maskStopsInvalidEvents() {
        FixedStepper raw(kPolyphonyContinuedNoteOffset + 61, kPolyphonyNumClasses, 2);
        PolyphonyGenerationOptions o;
        o.seed = 1;
        o.steps = 8;
        o.injectPrimer = false;
        o.enforceGrammar = false;
        auto r = generatePolyphony(raw, primerSequence(), o);
        QVERIFY2(r, r ? "" : r.errorMessage().c_str());
        QVERIFY(!checkPolyphonicStream(r->events.events()));
        FixedStepper masked(kPolyphonyContinuedNoteOffset + 61, kPolyphonyNumClasses, 2);
        o.enforceGrammar = true;
        auto m = generatePolyphony(masked, primerSequence(), o);
        QVERIFY(m);
        QVERIFY(checkPolyphonicStream(m->events.events()));
        // A model that never ends a step stalls; that is an error, not an endless loop.
        FixedStepper stuck(kPolyphonyContinuedNoteOffset + 61);
        o.enforceGrammar = false;
        auto stalled = generatePolyphony(stuck, primerSequence(), o);
        QVERIFY(!stalled);
        QVERIFY2(stalled.errorMessage().find("STEP_END") != std::string::npos,
                 stalled.errorMessage().c_str());
    }

    void emptyPrimerStartsAtZero() {
        auto g = tinyGenerator();
        PolyphonyGenerationOptions o;
        o.seed = 4;
        o.steps = 16;
        auto r = g->generate(core::NoteSequence{}, o);
        QVERIFY2(r, r ? "" : r.errorMessage().c_str());
        QCOMPARE(r->startStep, int64_t{0});
        QCOMPARE(r->qpm, 120.0);
        for (const core::Note& n : r->sequence.notes) QVERIFY(n.endTime <= 16 * 0.125 + 1e-9);
    }

    void errorsNameTheValue() {
        FixedStepper model(2);
        PolyphonyGenerationOptions o;
        o.numSteps = 4;  // the primer is 8 steps long
        auto r = generatePolyphony(model, primerSequence(), o);
        QVERIFY(!r);
        QVERIFY2(r.errorMessage().find("primer is longer") != std::string::npos,
                 r.errorMessage().c_str());
        FixedStepper narrow(2, 38);
        o.numSteps.reset();
        auto w = generatePolyphony(narrow, primerSequence(), o);
        QVERIFY(!w);
        QVERIFY(w.errorMessage().find("259") != std::string::npos);
        auto pitches = primerFromPitches({60, 128}, 120.0);
        QVERIFY(!pitches);
        QVERIFY(pitches.errorMessage().find("128") != std::string::npos);
        auto chord = primerFromPitches({60, 64, 67}, 120.0);
        QVERIFY(chord);
        QCOMPARE(chord->notes.size(), size_t{3});
        QCOMPARE(chord->notes[0].endTime, 0.5);
        o.temperature = -1.0;
        QVERIFY(!generatePolyphony(model, primerSequence(), o));
    }

    void cancellation() {
        auto g = tinyGenerator();
        std::stop_source source;
        source.request_stop();
        PolyphonyGenerationOptions o;
        o.steps = 16;
        o.stopToken = source.get_token();
        auto r = g->generate(primerSequence(), o);
        QVERIFY(!r);
        QVERIFY(r.errorMessage().find("cancelled") != std::string::npos);
    }

    void exportLoadSameOutput() {
        auto g = tinyGenerator();
        QTemporaryDir dir;
        const std::string folder = test::toStd(dir.path()) + "/poly";
        QVERIFY(g->exportTo(folder, {}));
        auto spec = loadModelSpec(folder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        QCOMPARE(spec->family, std::string("polyphony_rnn"));
        auto loaded = PolyphonyRnnGenerator::load(*spec);
        QVERIFY2(loaded, loaded ? "" : loaded.errorMessage().c_str());
        PolyphonyGenerationOptions o;
        o.seed = 8;
        o.steps = 20;
        auto a = g->generate(primerSequence(), o);
        auto b = (*loaded)->generate(primerSequence(), o);
        QVERIFY(a && b);
        QVERIFY(sameNotes(a->sequence, b->sequence));
        // A model.json with another codec is refused with the file named.
        ModelSpec wrong = *spec;
        wrong.codec.set("config", "performance");
        auto refused = PolyphonyRnnGenerator::load(wrong);
        QVERIFY(!refused);
        QVERIFY(refused.errorMessage().find("model.json") != std::string::npos);
        QVERIFY(!g->exportTo(folder + "_js", {ModelFolderFormat::kMagentaJs}));
    }
};

QTEST_GUILESS_MAIN(TestPolyphonyRnnGenerator)
#include "TestPolyphonyRnnGenerator.moc"
