// Performance RNN encoding: velocity bins, the 388-class layout (every class decoded), event
// order at equal times, split time shifts, sustain folding, the 5 s cap, Magenta's decoding
// rules, and round trips (random sequences and a real ASAP file when ../shared is present)
// that keep every note within 10 ms and its velocity bin. Expected values worked by hand from
// Magenta's performance_lib.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

#include "TestSupport.h"
#include "core/midi/MidiIO.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"
#include "ml/codecs/Performance.h"
#include "ml/codecs/PerformanceOneHotEncoding.h"

using namespace toccata;
using namespace toccata::ml;

namespace {

using E = PerformanceEvent;

core::Note note(int pitch, double start, double end, int velocity = 100) {
    core::Note n;
    n.pitch = pitch;
    n.startTime = start;
    n.endTime = end;
    n.velocity = velocity;
    return n;
}

core::NoteSequence sequenceOf(std::vector<core::Note> notes) {
    core::NoteSequence s;
    s.notes = std::move(notes);
    s.recomputeTotalTime();
    return s;
}

Performance performanceOf(std::vector<E> events) {
    Performance p;
    p.events() = std::move(events);
    return p;
}

// Every note of `expected` that shares its pitch with no overlapping note must have a partner
// in `actual`: same pitch, start and end within 10 ms, same velocity bin. Returns how many had
// none; `checked` counts the notes compared.
int unmatchedNotes(const std::vector<core::Note>& expected, const std::vector<core::Note>& actual,
                   int* checked) {
    std::vector<bool> used(actual.size(), false);
    int missing = 0;
    *checked = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        const core::Note& e = expected[i];
        bool overlaps = false;
        for (size_t j = 0; j < expected.size() && !overlaps; ++j)
            overlaps = j != i && expected[j].pitch == e.pitch &&
                       expected[j].startTime < e.endTime + 0.011 &&
                       e.startTime < expected[j].endTime + 0.011;
        if (overlaps) continue;  // same-pitch overlaps are ambiguous in any note-off encoding
        ++*checked;
        bool found = false;
        for (size_t k = 0; k < actual.size() && !found; ++k) {
            const core::Note& a = actual[k];
            if (used[k] || a.pitch != e.pitch) continue;
            if (std::abs(a.startTime - e.startTime) <= 0.010 + 1e-9 &&
                std::abs(a.endTime - e.endTime) <= 0.010 + 1e-9 &&
                velocityToBin(a.velocity, 32) == velocityToBin(e.velocity, 32)) {
                used[k] = true;
                found = true;
            }
        }
        if (!found) ++missing;
    }
    return missing;
}

core::NoteSequence roundTrip(const core::NoteSequence& s, const PerformanceOptions& options) {
    auto p = Performance::fromNoteSequence(s, options);
    if (!p) qFatal("fromNoteSequence: %s", p.errorMessage().c_str());
    const PerformanceOneHotEncoding enc = PerformanceOneHotEncoding::standard();
    auto classes = enc.encodeEvents(p->events());
    if (!classes) qFatal("encode: %s", classes.errorMessage().c_str());
    auto events = enc.decodeEvents(*classes);
    Performance back = performanceOf(*events);
    auto out = back.toSequence();
    if (!out) qFatal("toSequence: %s", out.errorMessage().c_str());
    return *out;
}

}  // namespace

class TestPerformanceEncoding : public QObject {
    Q_OBJECT

private slots:
    void velocityBins() {
        QCOMPARE(velocityBinSize(32), 4);
        QCOMPARE(velocityToBin(1, 32), 1);
        QCOMPARE(velocityToBin(4, 32), 1);
        QCOMPARE(velocityToBin(5, 32), 2);
        QCOMPARE(velocityToBin(100, 32), 25);
        QCOMPARE(velocityToBin(127, 32), 32);
        QCOMPARE(velocityBinToVelocity(1, 32), 1);
        QCOMPARE(velocityBinToVelocity(25, 32), 97);
        QCOMPARE(velocityBinToVelocity(32, 32), 125);
        for (int v = 1; v <= 127; ++v)
            QCOMPARE(velocityToBin(velocityBinToVelocity(velocityToBin(v, 32), 32), 32),
                     velocityToBin(v, 32));
    }

    void classLayout() {
        const PerformanceOneHotEncoding enc = PerformanceOneHotEncoding::standard();
        QCOMPARE(enc.numClasses(), 388);
        QCOMPARE(*enc.encodeEvent(E::noteOn(0)), 0);
        QCOMPARE(*enc.encodeEvent(E::noteOn(60)), 60);
        QCOMPARE(*enc.encodeEvent(E::noteOff(60)), 188);
        QCOMPARE(*enc.encodeEvent(E::timeShift(1)), 256);
        QCOMPARE(*enc.encodeEvent(E::timeShift(100)), 355);
        QCOMPARE(*enc.encodeEvent(E::velocity(1)), 356);
        QCOMPARE(*enc.encodeEvent(E::velocity(32)), 387);
        QVERIFY(!enc.encodeEvent(E::timeShift(0)).ok());
        QVERIFY(!enc.encodeEvent(E::timeShift(101)).ok());
        QVERIFY(!enc.encodeEvent(E::velocity(33)).ok());
        QVERIFY(!enc.encodeEvent(E::noteOn(128)).ok());
        QVERIFY(enc.encodeEvent(E::velocity(33)).errorMessage().find("33") != std::string::npos);
        QCOMPARE(enc.defaultEvent(), E::timeShift(100));
        QCOMPARE(enc.decodeEvent(388), E::timeShift(100));

        // Every class decodes to the event that encodes to it, in the documented ranges.
        for (int c = 0; c < enc.numClasses(); ++c) {
            const E e = enc.decodeEvent(c);
            QCOMPARE(*enc.encodeEvent(e), c);
            if (c < 128)
                QCOMPARE(e, E::noteOn(c));
            else if (c < 256)
                QCOMPARE(e, E::noteOff(c - 128));
            else if (c < 356)
                QCOMPARE(e, E::timeShift(c - 255));
            else
                QCOMPARE(e, E::velocity(c - 355));
        }
        QCOMPARE(enc.ranges().size(), size_t{4});
        const PerformanceEventRange* shift = enc.range(E::kTimeShift);
        QVERIFY(shift != nullptr);
        QCOMPARE(shift->offset, 256);
        QCOMPARE(shift->count(), 100);
        QVERIFY(shift->containsClass(355) && !shift->containsClass(356));

        const PerformanceOneHotEncoding plain = PerformanceOneHotEncoding::standard(false);
        QCOMPARE(plain.numClasses(), 356);
        QVERIFY(plain.range(E::kVelocity) == nullptr);
        QVERIFY(!plain.encodeEvent(E::velocity(1)).ok());
        QVERIFY(!PerformanceOneHotEncoding::create(32, 0).ok());
        QVERIFY(!PerformanceOneHotEncoding::create(200).ok());
        auto sequence = enc.decodeEvents({60, 256, 188});
        QVERIFY(sequence.ok());
        QCOMPARE(sequence->size(), size_t{3});
        QVERIFY(!enc.decodeEvents({60, 400}).ok());
    }

    void eventOrderAtEqualTimes() {
        // A (60) and B (64) start together; B ends at 0.5 s where C (67, softer) starts.
        const auto s =
            sequenceOf({note(60, 0.0, 1.0, 100), note(64, 0.0, 0.5, 100), note(67, 0.5, 1.5, 40)});
        auto p = Performance::fromNoteSequence(s);
        QVERIFY2(p.ok(), p.ok() ? "" : p.errorMessage().c_str());
        const std::vector<E> expected = {E::velocity(25),  E::noteOn(60),    E::noteOn(64),
                                         E::timeShift(50), E::noteOff(64),   E::velocity(10),
                                         E::noteOn(67),    E::timeShift(50), E::noteOff(60),
                                         E::timeShift(50), E::noteOff(67)};
        QCOMPARE(p->events(), expected);
        QCOMPARE(p->numSteps(), int64_t{150});
        QCOMPARE(p->steps()[4], int64_t{50});
        // Without velocity bins no VELOCITY events.
        PerformanceOptions noVelocity;
        noVelocity.numVelocityBins = 0;
        auto plain = Performance::fromNoteSequence(s, noVelocity);
        QCOMPARE(std::count_if(plain->events().begin(), plain->events().end(),
                               [](const E& e) { return e.type == E::kVelocity; }),
                 0);
        // The same bin twice: one VELOCITY event only.
        auto same =
            Performance::fromNoteSequence(sequenceOf({note(60, 0, 1, 97), note(62, 0.5, 1, 100)}));
        QCOMPARE(std::count_if(same->events().begin(), same->events().end(),
                               [](const E& e) { return e.type == E::kVelocity; }),
                 1);
    }

    void longShiftsSplit() {
        auto p =
            Performance::fromNoteSequence(sequenceOf({note(60, 0.0, 0.1), note(62, 2.5, 2.6)}));
        QVERIFY(p.ok());
        const std::vector<E> expected = {E::velocity(25),  E::noteOn(60),     E::timeShift(10),
                                         E::noteOff(60),   E::timeShift(100), E::timeShift(100),
                                         E::timeShift(40), E::noteOn(62),     E::timeShift(10),
                                         E::noteOff(62)};
        QCOMPARE(p->events(), expected);
        auto back = p->toSequence();
        QCOMPARE(back->notes.size(), size_t{2});
        QVERIFY(std::abs(back->notes[1].startTime - 2.5) < 1e-9);

        Performance q = *p;
        q.setLength(300);
        QCOMPARE(q.numSteps(), int64_t{300});
        QCOMPARE(q.events().back(), E::timeShift(40));  // 260 + 40, the last shift extended
        q.setLength(255);
        QCOMPARE(q.numSteps(), int64_t{255});
        QCOMPARE(q.events().back(), E::timeShift(5));  // 40 and the NOTE_OFF at 260 went
    }

    void sustainFolding() {
        core::NoteSequence s = sequenceOf({note(60, 0.0, 0.5), note(64, 3.0, 3.5)});
        core::ControlChange down, up;
        down.time = 0.2;
        down.controlNumber = 64;
        down.controlValue = 127;
        up.time = 2.0;
        up.controlNumber = 64;
        up.controlValue = 0;
        s.controlChanges = {down, up};
        auto folded = Performance::fromNoteSequence(s);
        auto notes = folded->toSequence()->notes;
        QCOMPARE(notes.size(), size_t{2});
        QVERIFY(std::abs(notes[0].endTime - 2.0) < 1e-9);  // held by the pedal until 2 s
        PerformanceOptions dry;
        dry.applySustain = false;
        auto plain = Performance::fromNoteSequence(s, dry)->toSequence()->notes;
        QVERIFY(std::abs(plain[0].endTime - 0.5) < 1e-9);
    }

    void drumsExcludedByDefault() {
        core::Note kick = note(36, 0.0, 0.1);
        kick.isDrum = true;
        kick.instrument = 9;
        core::Note piano = note(60, 0.0, 1.0);
        piano.program = 5;
        const auto s = sequenceOf({kick, piano});
        auto p = Performance::fromNoteSequence(s);
        QVERIFY(std::none_of(p->events().begin(), p->events().end(),
                             [](const E& e) { return e.value == 36 && e.type == E::kNoteOn; }));
        QCOMPARE(p->program().value_or(-1), 5);
        QCOMPARE(p->toSequence()->notes.front().program, 5);
        PerformanceOptions withDrums;
        withDrums.includeDrums = true;
        auto all = Performance::fromNoteSequence(s, withDrums);
        QVERIFY(std::any_of(all->events().begin(), all->events().end(),
                            [](const E& e) { return e.value == 36 && e.type == E::kNoteOn; }));
        QVERIFY(!all->program().has_value());  // mixed drums and piano: no single program
        QVERIFY(!Performance::fromNoteSequence(*core::quantizeNoteSequenceAbsolute(s, 100)).ok());
    }

    void decodingRules() {
        // 8 s note: cut to 5 s when asked (MAX_NOTE_DURATION_SECONDS).
        std::vector<E> held = {E::noteOn(60)};
        for (int i = 0; i < 8; ++i) held.push_back(E::timeShift(100));
        held.push_back(E::noteOff(60));
        auto cut = performanceOf(held).toSequence(100, 0, {}, kPerformanceMaxNoteSeconds);
        QCOMPARE(cut->notes.size(), size_t{1});
        QVERIFY(std::abs(cut->notes[0].duration() - 5.0) < 1e-9);
        QVERIFY(std::abs(performanceOf(held).toSequence()->notes[0].duration() - 8.0) < 1e-9);

        // A repeated NOTE_ON starts a second note; each NOTE_OFF ends the earliest one; a
        // NOTE_OFF of a silent pitch is ignored; a zero-length note is dropped; a note left
        // sounding ends at the last step; VELOCITY applies to the following notes.
        auto s = performanceOf({E::noteOff(50), E::velocity(10), E::noteOn(60), E::timeShift(10),
                                E::noteOn(60), E::timeShift(10), E::noteOff(60), E::timeShift(10),
                                E::noteOff(60), E::noteOn(70), E::noteOff(70), E::noteOn(72),
                                E::timeShift(20)})
                     .toSequence();
        QVERIFY(s.ok());
        QCOMPARE(s->notes.size(), size_t{3});
        auto find = [&](int pitch, double start) {
            for (const core::Note& n : s->notes)
                if (n.pitch == pitch && std::abs(n.startTime - start) < 1e-9) return n;
            return core::Note{-1};
        };
        QVERIFY(std::abs(find(60, 0.0).endTime - 0.2) < 1e-9);
        QVERIFY(std::abs(find(60, 0.1).endTime - 0.3) < 1e-9);
        QCOMPARE(find(60, 0.0).velocity, 37);
        QVERIFY(std::abs(find(72, 0.3).endTime - 0.5) < 1e-9);
        QVERIFY(std::abs(s->totalTime - 0.5) < 1e-9);
        QVERIFY(!performanceOf({E::velocity(40)}).toSequence().ok());
        QVERIFY(!performanceOf({}).toSequence(0).ok());
    }

    void randomRoundTrips() {
        std::mt19937 rng(7);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<core::Note> notes;
            for (int pitch = 30; pitch < 90; pitch += 1 + static_cast<int>(rng() % 4)) {
                double t = std::uniform_real_distribution<double>(0.0, 2.0)(rng);
                while (t < 20.0) {
                    const double length = std::uniform_real_distribution<double>(0.02, 3.0)(rng);
                    notes.push_back(note(pitch, t, t + length, 1 + static_cast<int>(rng() % 127)));
                    t += length + std::uniform_real_distribution<double>(0.03, 4.0)(rng);
                }
            }
            const auto s = sequenceOf(notes);
            const auto back = roundTrip(s, {});
            int checked = 0;
            QCOMPARE(unmatchedNotes(s.notes, back.notes, &checked), 0);
            QCOMPARE(checked, static_cast<int>(notes.size()));
            QCOMPARE(back.notes.size(), notes.size());
        }
    }

    void realFileRoundTrip() {
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        const std::string path =
            test::toStd(test::sharedDir()) + "/datasets/asap/Bach_Fugue_bwv_846_Shi05M.mid";
        if (!QFile::exists(QString::fromStdString(path))) QSKIP("the ASAP file is missing");
        auto s = core::readMidiFile(path);
        QVERIFY2(s.ok(), s.ok() ? "" : s.errorMessage().c_str());
        PerformanceOptions dry;  // compare with the notes as written, pedal not folded
        dry.applySustain = false;
        const auto back = roundTrip(*s, dry);
        int checked = 0;
        const int missing = unmatchedNotes(s->notes, back.notes, &checked);
        QVERIFY(checked > 500);
        QCOMPARE(missing, 0);
        // With the pedal folded (re-strikes under the pedal may merge a few notes) the notes
        // get longer, never shorter.
        auto folded = Performance::fromNoteSequence(*s);
        QVERIFY(folded.ok());
        const auto foldedNotes = folded->toSequence()->notes;
        QVERIFY(foldedNotes.size() * 100 >= s->notes.size() * 99);
        double dryLength = 0.0, foldedLength = 0.0;
        for (const core::Note& n : back.notes) dryLength += n.duration();
        for (const core::Note& n : foldedNotes) foldedLength += n.duration();
        QVERIFY(foldedLength > dryLength);
    }
};

QTEST_GUILESS_MAIN(TestPerformanceEncoding)
#include "TestPerformanceEncoding.moc"
