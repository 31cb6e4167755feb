// The RNN generator and its beam search, driven through StepModelStepper by a small
// deterministic fake model. Expected events and log-likelihoods are worked out by hand from
// Magenta's rules (primer alignment, lookback repeats, chord timing, key masks).
// libtorch first: Qt's `slots` macro would break its headers.
#include "FakeStepModel.h"
#include "ml/generation/RnnGenerator.h"
#include "ml/generation/StepModelStepper.h"

#include <QtTest>

#include <cmath>
#include <stop_token>

using namespace toccata;
using namespace toccata::ml;
using toccata::test::FakeStepModel;

namespace {

core::Note note(int pitch, double start, double end, bool drum = false) {
    core::Note n;
    n.pitch = pitch;
    n.startTime = start;
    n.endTime = end;
    n.isDrum = drum;
    return n;
}

core::NoteSequence sequenceOf(std::vector<core::Note> notes) {
    core::NoteSequence s;
    s.tempos.push_back({0.0, 120.0});
    s.notes = std::move(notes);
    s.recomputeTotalTime();
    return s;
}

/// Logits: `high` for one class, 0 for the others.
FakeStepModel::LogitsFn peak(int numClasses, int cls, float high = 5.0F) {
    return [numClasses, cls, high](const std::vector<float>&) {
        std::vector<float> out(static_cast<size_t>(numClasses), 0.0F);
        out[static_cast<size_t>(cls)] = high;
        return out;
    };
}

int melodyClass(int pitch) { return pitch - 48 + 2; }

struct Run {
    core::Result<GenerationResult> result;
    int calls;
};

Run generate(const char* configId, FakeStepModel::LogitsFn fn, const core::NoteSequence& primer,
             const GenerationOptions& options) {
    auto config = RnnCodecConfig::named(configId);
    FakeStepModel model(*config->inputDepth(), *config->numClasses(), std::move(fn));
    StepModelStepper stepper(model);
    auto result = generateRnn(stepper, *config, primer, options);
    return {std::move(result), model.calls};
}

std::vector<std::pair<int, double>> pitchStarts(const core::NoteSequence& s) {
    std::vector<std::pair<int, double>> out;
    for (const auto& n : s.notes) out.emplace_back(n.pitch, n.startTime);
    return out;
}

}  // namespace

class TestRnnGeneration : public QObject {
    Q_OBJECT

private slots:
    void drumAlignmentRules() {
        // Kicks on steps 0 and 4, one step long: the track has 5 steps, the last note ends at
        // 0.625 s = step 5.
        const auto primer = sequenceOf({note(36, 0.0, 0.125, true), note(36, 0.5, 0.625, true)});
        GenerationOptions options;
        options.temperature = 0.0;
        options.numSteps = 16;
        const int64_t expectedStart[] = {5, 6, 7};
        const PrimerAlignment rules[] = {PrimerAlignment::kNextStep, PrimerAlignment::kMagentaApi,
                                         PrimerAlignment::kMagentaCli};
        for (int i = 0; i < 3; ++i) {
            options.alignment = rules[i];
            auto run = generate("drum_kit", peak(512, 2), primer, options);  // 2 = snare only
            QVERIFY2(run.result.ok(), run.result.ok() ? "" : run.result.errorMessage().c_str());
            const GenerationResult& r = *run.result;
            QCOMPARE(r.startStep, expectedStart[i]);
            QCOMPARE(r.endStep, int64_t{16});
            const auto notes = pitchStarts(r.sequence);
            QCOMPARE(static_cast<int64_t>(notes.size()), 2 + 16 - expectedStart[i]);
            QCOMPARE(notes[0], std::make_pair(36, 0.0));
            QCOMPARE(notes[1], std::make_pair(36, 0.5));
            QCOMPARE(notes[2], std::make_pair(38, expectedStart[i] * 0.125));
            QVERIFY(r.sequence.notes.back().isDrum);
            QCOMPARE(r.sequence.notes.back().endTime, 2.0);
            // Log-likelihood (T = 0 scores at T = 1): primer labels of steps 1..(start - 1)
            // are never the snare; every generated step is.
            const double z = std::exp(5.0) + 511.0;
            const double expected =
                static_cast<double>(expectedStart[i] - 1) * std::log(1.0 / z) +
                static_cast<double>(16 - expectedStart[i]) * std::log(std::exp(5.0) / z);
            QVERIFY(std::abs(r.logLikelihood - expected) < 1e-6);
        }
        QCOMPARE(generationStartStep(PrimerAlignment::kMagentaApi, 0.6, 8.0, 5, true), int64_t{5});
        QCOMPARE(generationStartStep(PrimerAlignment::kNextStep, 0.0, 8.0, -1, false), int64_t{1});
        // A primer longer than its notes (trailing rests in a selected region) ends later.
        QCOMPARE(generationStartStep(PrimerAlignment::kNextStep, 0.5, 8.0, 4, true, 16),
                 int64_t{16});
        QCOMPARE(generationStartStep(PrimerAlignment::kNextStep, 0.5, 8.0, 4, true, 2),
                 int64_t{4});
    }

    void stepsAfterPrimerAndErrors() {
        const auto primer = sequenceOf({note(36, 0.0, 0.125, true), note(36, 0.5, 0.625, true)});
        GenerationOptions options;
        options.temperature = 0.0;
        options.steps = 3;
        auto run = generate("drum_kit", peak(512, 2), primer, options);
        QVERIFY(run.result.ok());
        QCOMPARE(run.result->endStep, int64_t{8});
        options.steps.reset();
        options.numSteps = 4;
        run = generate("drum_kit", peak(512, 2), primer, options);
        QVERIFY(!run.result.ok());
        QVERIFY(run.result.errorMessage().find("longer") != std::string::npos);
        options.steps = 4;
        QVERIFY(!generate("drum_kit", peak(512, 2), primer, options).result.ok());
        options.steps.reset();
        options.numSteps = 16;
        options.chords = {"C"};
        QVERIFY(!generate("basic_rnn", peak(38, 0), primer, options).result.ok());
        options.chords.clear();
        QVERIFY(!generate("chord_pitches_improv", peak(38, 0), primer, options).result.ok());
        // A model whose shape does not match the encoding.
        auto config = RnnCodecConfig::named("lookback_rnn");
        FakeStepModel wrong(38, 38, peak(38, 0));
        StepModelStepper stepper(wrong);
        auto bad = generateRnn(stepper, *config, sequenceOf({note(60, 0, 0.25)}), options);
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorMessage().find("121") != std::string::npos);
    }

    void beamSearchKeepsLikelyBranches() {
        // p(no event) = 0.5, p(note-off) = 0.3, the 36 pitches share 0.2. With 64 branches per
        // step and a beam of 1, some branch draws "no event" at every step (the chance that
        // none does is 0.5^64), so the best sequence is all "no event".
        auto fn = [](const std::vector<float>&) {
            std::vector<float> out(38, static_cast<float>(std::log(0.2 / 36)));
            out[0] = static_cast<float>(std::log(0.5));
            out[1] = static_cast<float>(std::log(0.3));
            return out;
        };
        GenerationOptions options;
        options.seed = 5;
        options.branchFactor = 64;
        options.numSteps = 9;
        int progressCalls = 0;
        int64_t lastDone = 0;
        options.progress = [&](int64_t done, int64_t total) {
            ++progressCalls;
            lastDone = done;
            QCOMPARE(total, int64_t{8});
        };
        auto run = generate("basic_rnn", fn, sequenceOf({note(60, 0, 0.125)}), options);
        QVERIFY(run.result.ok());
        QCOMPARE(run.result->sequence.notes.size(), size_t{1});
        QCOMPARE(run.result->sequence.notes[0].endTime, 9 * 0.125);  // held to the end
        QVERIFY(std::abs(run.result->logLikelihood - 8 * std::log(0.5)) < 1e-5);
        QCOMPARE(progressCalls, 8);
        QCOMPARE(lastDone, int64_t{8});
        // Beam 2, branch 3, 3 steps per iteration over 8 steps: iterations of 2, 3 and 3.
        options.beamSize = 2;
        options.branchFactor = 3;
        options.stepsPerIteration = 3;
        run = generate("basic_rnn", fn, sequenceOf({note(60, 0, 0.125)}), options);
        QVERIFY(run.result.ok());
        QCOMPARE(run.result->endStep, int64_t{9});
        QVERIFY(run.result->logLikelihood <= 0.0);
    }

    void lookbackRepeatsTheBar() {
        // C E G C in the first bar; the model always predicts "repeat 1 bar ago" (class 38).
        const auto primer = sequenceOf(
            {note(60, 0.0, 0.25), note(64, 0.5, 0.75), note(67, 1.0, 1.25), note(72, 1.5, 1.75)});
        GenerationOptions options;
        options.temperature = 0.0;
        options.numSteps = 32;
        options.alignment = PrimerAlignment::kMagentaApi;  // start = int(14 + 1) = 15 ... see below
        auto run = generate("lookback_rnn", peak(40, 38), primer, options);
        QVERIFY(run.result.ok());
        // Last note ends at 1.75 s = step 14 -> the API rule starts at step 15; events 15..31
        // copy events 16 back: step 15 copies nothing (history shorter than 16 -> no event).
        QCOMPARE(run.result->startStep, int64_t{15});
        const auto notes = pitchStarts(run.result->sequence);
        const std::vector<std::pair<int, double>> expected = {
            {60, 0.0}, {64, 0.5}, {67, 1.0}, {72, 1.5}, {60, 2.0}, {64, 2.5}, {67, 3.0}, {72, 3.5}};
        QCOMPARE(notes, expected);
        QCOMPARE(run.result->sequence.notes[4].endTime, 2.25);
        QCOMPARE(run.result->sequence.notes[7].endTime, 3.75);
        // Primer labels 1..14 (no event -> 39, notes/offs -> their class): never class 38.
        const double z = std::exp(5.0) + 39.0;
        const double expected_ll = 14 * std::log(1.0 / z) + 17 * std::log(std::exp(5.0) / z);
        QVERIFY(std::abs(run.result->logLikelihood - expected_ll) < 1e-6);
    }

    void keyScaleMasksAndTransposition() {
        // The model prefers pitch 61 (C#), then 62 (D). In C major, D wins.
        auto fn = [](const std::vector<float>&) {
            std::vector<float> out(38, 0.0F);
            out[static_cast<size_t>(melodyClass(61))] = 5.0F;
            out[static_cast<size_t>(melodyClass(62))] = 4.0F;
            return out;
        };
        GenerationOptions options;
        options.temperature = 0.0;
        options.numSteps = 3;
        auto run = generate("basic_rnn", fn, sequenceOf({note(60, 0, 0.125)}), options);
        QVERIFY(run.result.ok());
        QCOMPARE(run.result->sequence.notes.back().pitch, 61);
        options.keyScale = *KeyScale::parse("C major");
        run = generate("basic_rnn", fn, sequenceOf({note(60, 0, 0.125)}), options);
        QCOMPARE(pitchStarts(run.result->sequence),
                 (std::vector<std::pair<int, double>>{{60, 0.0}, {62, 0.125}, {62, 0.25}}));
        // A primer at C6 is moved down two octaves for the model (centre 84 -> 65.5 rounds to
        // -24) and the result moved back: D6 = 86.
        run = generate("basic_rnn", fn, sequenceOf({note(84, 0, 0.125)}), options);
        QCOMPARE(run.result->transposition, -24);
        QCOMPARE(pitchStarts(run.result->sequence),
                 (std::vector<std::pair<int, double>>{{84, 0.0}, {86, 0.125}, {86, 0.25}}));
    }

    void chordConditioningTiming() {
        // The model plays the root of the chord it is given (input[1 + root]) at octave 4.
        auto fn = [](const std::vector<float>& input) {
            std::vector<float> out(38, 0.0F);
            for (int root = 0; root < 12; ++root)
                if (input[static_cast<size_t>(1 + root)] == 1.0F)
                    out[static_cast<size_t>(melodyClass(60 + root))] = 5.0F;
            return out;
        };
        GenerationOptions options;
        options.temperature = 0.0;
        options.numSteps = 12;
        options.chords = {"C", "F"};
        options.stepsPerChord = 4;
        auto run = generate("chord_pitches_improv", fn, sequenceOf({note(60, 0, 0.125)}), options);
        QVERIFY2(run.result.ok(), run.result.ok() ? "" : run.result.errorMessage().c_str());
        // The event of step p is predicted with the chord of step p: C for 1..3, F for 4..7,
        // then the progression starts again: C for 8..11.
        std::vector<int> pitches;
        for (const auto& n : run.result->sequence.notes) pitches.push_back(n.pitch);
        QCOMPARE(pitches, (std::vector<int>{60, 60, 60, 60, 65, 65, 65, 65, 60, 60, 60, 60}));
    }

    void seedsAndCancellation() {
        auto fn = [](const std::vector<float>& input) {
            std::vector<float> out(38, 0.0F);
            int current = 0;
            for (int i = 0; i < 38; ++i)
                if (input[static_cast<size_t>(i)] == 1.0F) current = i;
            for (int c = 0; c < 38; ++c)
                out[static_cast<size_t>(c)] = 0.25F * ((c * 7 + current) % 5);
            return out;
        };
        const auto primer = sequenceOf({note(60, 0, 0.25)});
        GenerationOptions options;
        options.seed = 1234;
        options.steps = 32;
        auto a = generate("basic_rnn", fn, primer, options);
        auto b = generate("basic_rnn", fn, primer, options);
        QVERIFY(a.result.ok() && b.result.ok());
        QCOMPARE(a.result->seed, uint64_t{1234});
        QCOMPARE(a.result->sequence, b.result->sequence);
        QCOMPARE(a.result->logLikelihood, b.result->logLikelihood);
        options.seed = 99;
        auto c = generate("basic_rnn", fn, primer, options);
        QVERIFY(!(c.result->sequence == a.result->sequence));

        std::stop_source stop;
        options.stopToken = stop.get_token();
        int steps = 0;
        options.progress = [&](int64_t, int64_t) {
            if (++steps == 5) stop.request_stop();
        };
        auto cancelled = generate("basic_rnn", fn, primer, options);
        QVERIFY(!cancelled.result.ok());
        QVERIFY(cancelled.result.errorMessage().find("cancelled") != std::string::npos);
        QCOMPARE(steps, 5);
    }
};

QTEST_GUILESS_MAIN(TestRnnGeneration)
#include "TestRnnGeneration.moc"
