// Polyphony RNN encoding: the book's 4-step example (§3.6) in both directions, the 259-class
// layout (every class decoded), set_length padding and trimming, and the helpers the
// generator uses for inject_primer_during_generation. Expected values from Magenta's
// polyphony_lib rules.
#include <QtTest>

#include "core/ops/Quantization.h"
#include "ml/codecs/PolyphonicSequence.h"
#include "ml/codecs/PolyphonyOneHotEncoding.h"

using namespace toccata;
using namespace toccata::ml;

namespace {

using P = PolyphonicEvent;

core::Note stepNote(int pitch, int64_t start, int64_t end) {
    core::Note n;
    n.pitch = pitch;
    n.quantizedStartStep = start;
    n.quantizedEndStep = end;
    n.startTime = static_cast<double>(start) * 0.125;
    n.endTime = static_cast<double>(end) * 0.125;
    return n;
}

// The book's example: 69 held two steps, 45 and 52 one step each, then 57 and 60.
core::NoteSequence bookExample() {
    core::NoteSequence s;
    s.notes = {stepNote(69, 0, 2), stepNote(45, 0, 1), stepNote(52, 1, 2), stepNote(57, 2, 3),
               stepNote(60, 3, 4)};
    s.quantizationInfo.stepsPerQuarter = 4;
    s.totalQuantizedSteps = 4;
    s.totalTime = 0.5;
    s.tempos.push_back({0.0, 120.0});
    return s;
}

const std::vector<P> kBookEvents = {P::start(),     P::newNote(69),       P::newNote(45),
                                    P::stepEnd(),   P::continuedNote(69), P::newNote(52),
                                    P::stepEnd(),   P::newNote(57),       P::stepEnd(),
                                    P::newNote(60), P::stepEnd(),         P::end()};

}  // namespace

class TestPolyphonyEncoding : public QObject {
    Q_OBJECT

private slots:
    void bookExampleToEvents() {
        auto seq = PolyphonicSequence::fromQuantizedSequence(bookExample());
        QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
        QCOMPARE(seq->events(), kBookEvents);
        QCOMPARE(seq->numSteps(), int64_t{4});
        QCOMPARE(seq->steps()[5], int64_t{1});
        core::NoteSequence unquantized = bookExample();
        unquantized.quantizationInfo = {};
        QVERIFY(!PolyphonicSequence::fromQuantizedSequence(unquantized).ok());
    }

    void bookExampleToNotes() {
        PolyphonicSequence seq;
        seq.events() = kBookEvents;
        auto s = seq.toSequence(100, 0, 0, 120.0);
        QVERIFY2(s.ok(), s.ok() ? "" : s.errorMessage().c_str());
        QCOMPARE(s->notes.size(), size_t{5});
        auto find = [&](int pitch) {
            for (const core::Note& n : s->notes)
                if (n.pitch == pitch) return n;
            return core::Note{-1};
        };
        QCOMPARE(find(69).startTime, 0.0);
        QCOMPARE(find(69).endTime, 0.25);
        QCOMPARE(find(45).endTime, 0.125);
        QCOMPARE(find(52).startTime, 0.125);
        QCOMPARE(find(57).startTime, 0.25);
        QCOMPARE(find(60).endTime, 0.5);
        QCOMPARE(find(60).velocity, 100);
        QCOMPARE(s->totalTime, 0.5);
        QCOMPARE(s->tempos.size(), size_t{1});
        QCOMPARE(s->tempos[0].qpm, 120.0);
        // Back again gives the same events.
        auto q = core::quantizeNoteSequence(*s, 4);
        QVERIFY(q.ok());
        QCOMPARE(PolyphonicSequence::fromQuantizedSequence(*q)->events(), kBookEvents);
        // At 60 QPM every time doubles.
        QCOMPARE(seq.toSequence(100, 0, 0, 60.0)->totalTime, 1.0);
        QVERIFY(!seq.toSequence(100, 0, 0, 0.0).ok());
        QVERIFY(!seq.toSequence(0).ok());
    }

    void decodingRules() {
        // Continuing a silent pitch is ignored; a stray START is ignored; notes left sounding
        // without a closing STEP_END are an error.
        PolyphonicSequence seq;
        seq.events() = {P::start(),   P::continuedNote(40), P::newNote(60), P::start(),
                        P::stepEnd(), P::stepEnd(),         P::end()};
        auto s = seq.toSequence();
        QVERIFY(s.ok());
        QCOMPARE(s->notes.size(), size_t{1});
        QCOMPARE(s->notes[0].endTime, 0.125);
        PolyphonicSequence open;
        open.events() = {P::start(), P::newNote(60)};
        QVERIFY(!open.toSequence().ok());
        // A base sequence keeps its notes; its tempo must match.
        core::NoteSequence base = bookExample();
        base.quantizationInfo = {};
        auto merged = seq.toSequence(100, 0, 0, 120.0, &base);
        QCOMPARE(merged->notes.size(), size_t{6});
        QVERIFY(!seq.toSequence(100, 0, 0, 90.0, &base).ok());
    }

    void oneHotLayout() {
        const PolyphonyOneHotEncoding enc;
        QCOMPARE(enc.numClasses(), 259);
        QCOMPARE(*enc.encodeEvent(P::start()), 0);
        QCOMPARE(*enc.encodeEvent(P::end()), 1);
        QCOMPARE(*enc.encodeEvent(P::stepEnd()), 2);
        QCOMPARE(*enc.encodeEvent(P::newNote(0)), 3);
        QCOMPARE(*enc.encodeEvent(P::newNote(127)), 130);
        QCOMPARE(*enc.encodeEvent(P::continuedNote(0)), 131);
        QCOMPARE(*enc.encodeEvent(P::continuedNote(69)), 200);
        QCOMPARE(*enc.encodeEvent(P::continuedNote(127)), 258);
        QVERIFY(!enc.encodeEvent(P::newNote(128)).ok());
        QCOMPARE(enc.defaultEvent(), P::stepEnd());
        QCOMPARE(enc.decodeEvent(259), P::stepEnd());
        for (int c = 0; c < 259; ++c) QCOMPARE(*enc.encodeEvent(enc.decodeEvent(c)), c);
        QCOMPARE(PolyphonyOneHotEncoding::eventToNumSteps(P::stepEnd()), 1);
        QCOMPARE(PolyphonyOneHotEncoding::eventToNumSteps(P::newNote(3)), 0);
    }

    void setLength() {
        auto seq = *PolyphonicSequence::fromQuantizedSequence(bookExample());
        seq.setLength(6);
        QCOMPARE(seq.numSteps(), int64_t{6});
        QCOMPARE(seq.events().back(), P::end());
        QCOMPARE(seq.events()[seq.size() - 2], P::stepEnd());
        seq.setLength(2);
        QCOMPARE(seq.numSteps(), int64_t{2});
        const std::vector<P> firstTwo = {
            P::start(),           P::newNote(69), P::newNote(45), P::stepEnd(),
            P::continuedNote(69), P::newNote(52), P::stepEnd(),   P::end()};
        QCOMPARE(seq.events(), firstTwo);
        seq.setLength(0);
        QCOMPARE(seq.events(), (std::vector<P>{P::start(), P::end()}));
        // An unfinished step is closed first.
        PolyphonicSequence open;
        open.append(P::newNote(60));
        open.setLength(1);
        QCOMPARE(open.events(),
                 (std::vector<P>{P::start(), P::newNote(60), P::stepEnd(), P::end()}));
        seq.trimTrailingEndEvents();
        QCOMPARE(seq.events().back(), P::start());
    }

    void primerInjection() {
        const auto steps = polyphonicStepNotes(kBookEvents);
        QCOMPARE(steps.size(), size_t{4});
        QCOMPARE(steps[1], (std::vector<P>{P::continuedNote(69), P::newNote(52)}));
        QCOMPARE(polyphonicNumSteps(kBookEvents), int64_t{4});
        // Injection from step 0: the stream at step k gets the primer's step k.
        QCOMPARE(primerNotesForStep(kBookEvents, 0, 0),
                 (std::vector<P>{P::newNote(69), P::newNote(45)}));
        QCOMPARE(primerNotesForStep(kBookEvents, 0, 2), (std::vector<P>{P::newNote(57)}));
        QVERIFY(primerNotesForStep(kBookEvents, 0, 4).empty());
        // Injection starting after a 4-step primer: generated step 5 gets the primer's step 1.
        QCOMPARE(primerNotesForStep(kBookEvents, 4, 5), steps[1]);
        QVERIFY(primerNotesForStep(kBookEvents, 4, 3).empty());
    }
};

QTEST_GUILESS_MAIN(TestPolyphonyEncoding)
#include "TestPolyphonyEncoding.moc"
