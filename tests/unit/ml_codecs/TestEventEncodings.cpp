// Melody and drum event encodings: MelodyOneHotEncoding, the one-hot and lookback sequence
// encoders (lookback_rnn and drum_kit layouts), MultiDrumOneHotEncoding (the book's worked
// examples) and DrumTrack extraction / rendering. Expected values are worked by hand from
// Magenta's rules.
#include <QtTest>

#include <memory>

#include "core/ops/Quantization.h"
#include "ml/codecs/DrumTrack.h"
#include "ml/codecs/LookbackEventSequenceEncoder.h"
#include "ml/codecs/MelodyOneHotEncoding.h"
#include "ml/codecs/MelodyTransforms.h"
#include "ml/codecs/MultiDrumOneHotEncoding.h"
#include "ml/codecs/RnnCodecConfig.h"

using namespace toccata;
using namespace toccata::ml;

namespace {
constexpr int kNo = core::kMelodyNoEvent;
constexpr int kOff = core::kMelodyNoteOff;

std::shared_ptr<const MelodyOneHotEncoding> basicEncoding() {
    return std::make_shared<MelodyOneHotEncoding>(*MelodyOneHotEncoding::create(48, 84));
}
int hotIndex(const std::vector<float>& v, int from, int to) {
    int found = -1;
    for (int i = from; i < to; ++i) {
        if (v[static_cast<size_t>(i)] == 1.0F) {
            if (found >= 0) return -2;  // two hot entries
            found = i - from;
        }
    }
    return found;
}
}  // namespace

class TestEventEncodings : public QObject {
    Q_OBJECT

private slots:
    void melodyOneHot() {
        auto e = basicEncoding();
        QCOMPARE(e->numClasses(), 38);
        QCOMPARE(*e->encodeEvent(kNo), 0);
        QCOMPARE(*e->encodeEvent(kOff), 1);
        QCOMPARE(*e->encodeEvent(48), 2);
        QCOMPARE(*e->encodeEvent(60), 14);
        QCOMPARE(*e->encodeEvent(83), 37);
        QVERIFY(!e->encodeEvent(84).ok());
        QVERIFY(!e->encodeEvent(47).ok());
        QVERIFY(e->encodeEvent(84).errorMessage().find("84") != std::string::npos);
        QCOMPARE(e->decodeEvent(0), kNo);
        QCOMPARE(e->decodeEvent(1), kOff);
        QCOMPARE(e->decodeEvent(14), 60);
        auto mono = MelodyOneHotEncoding::create(0, 128);
        QCOMPARE(mono->numClasses(), 130);
        QCOMPARE(*mono->encodeEvent(127), 129);
        QVERIFY(!MelodyOneHotEncoding::create(60, 60).ok());
    }

    void oneHotSequenceEncoder() {
        OneHotEventSequenceEncoder<int> enc(basicEncoding());
        const std::vector<int> events = {60, kNo, kOff, 62};
        auto encoded = enc.encode(events);
        QVERIFY(encoded.ok());
        QCOMPARE(encoded->inputs.size(), size_t{3});
        QCOMPARE(hotIndex(encoded->inputs[0], 0, 38), 14);
        QCOMPARE(encoded->labels, (std::vector<int>{0, 1, 16}));
        QCOMPARE(enc.classIndexToEvent(16, events), 62);
    }

    void lookbackLayout() {
        // lookback_rnn: 38 + 2 * 38 + 5 + 2 = 121 inputs, 40 labels.
        LookbackEventSequenceEncoder<int> enc(basicEncoding());
        QCOMPARE(enc.inputSize(), 121);
        QCOMPARE(enc.numClasses(), 40);
        // 33 events: pitch 60 at 0, 16 and 32; 62 at 1 and 17; no events elsewhere.
        std::vector<int> events(33, kNo);
        events[0] = events[16] = events[32] = 60;
        events[1] = events[17] = 62;
        auto in = enc.input(events, 32);
        QVERIFY(in.ok());
        const std::vector<float>& v = *in;
        QCOMPARE(hotIndex(v, 0, 38), 14);    // current event: 60
        QCOMPARE(hotIndex(v, 38, 76), 16);   // event at 32 - 16 + 1 = 17: 62
        QCOMPARE(hotIndex(v, 76, 114), 16);  // event at 32 - 32 + 1 = 1: 62
        // counter of position 33 = 0b100001: bits 0..4 = +1 -1 -1 -1 -1.
        QCOMPARE(v[114], 1.0F);
        QCOMPARE(v[115], -1.0F);
        QCOMPARE(v[116], -1.0F);
        QCOMPARE(v[117], -1.0F);
        QCOMPARE(v[118], -1.0F);
        QCOMPARE(v[119], 1.0F);  // 60 == event 16 steps ago
        QCOMPARE(v[120], 1.0F);  // 60 == event 32 steps ago
        // Position 3: lookbacks before the start read the default event (no event = class 0).
        auto early = enc.input(events, 3);
        QCOMPARE(hotIndex(*early, 38, 76), 0);
        QCOMPARE((*early)[114], -1.0F);  // 4 = 0b00100
        QCOMPARE((*early)[116], 1.0F);
        QCOMPARE((*early)[119], 0.0F);
    }

    void lookbackLabels() {
        LookbackEventSequenceEncoder<int> enc(basicEncoding());
        std::vector<int> events(40, kNo);
        events[0] = 60;
        events[16] = 60;
        events[17] = 64;
        events[32] = 60;
        events[33] = 64;
        events[36] = 67;
        QCOMPARE(*enc.eventsToLabel(events, 5), 39);   // no event in the first 32 steps
        QCOMPARE(*enc.eventsToLabel(events, 16), 38);  // repeats step 0
        QCOMPARE(*enc.eventsToLabel(events, 17), 18);  // 64 is new
        QCOMPARE(*enc.eventsToLabel(events, 32), 39);  // repeats 32 back (tried first)
        QCOMPARE(*enc.eventsToLabel(events, 33), 38);  // 64 was at 17, not at 1
        QCOMPARE(*enc.eventsToLabel(events, 36), 21);  // 67 new
        // Decoding repeat classes copies events[-d]; too short a history gives no event.
        const std::vector<int> history(events.begin(), events.begin() + 33);
        QCOMPARE(enc.classIndexToEvent(38, history), 64);   // history[33 - 16] = 64
        QCOMPARE(enc.classIndexToEvent(39, history), kNo);  // history[33 - 32] = history[1]
        const std::vector<int> shortHistory(events.begin(), events.begin() + 10);
        QCOMPARE(enc.classIndexToEvent(38, shortHistory), kNo);
    }

    void drumKitLayout() {
        auto config = RnnCodecConfig::named("drum_kit");
        QVERIFY(config.ok());
        QCOMPARE(*config->inputDepth(), 518);
        QCOMPARE(*config->numClasses(), 512);
        auto enc = config->drumEncoder();
        std::vector<DrumEvent> events = {{36, 42}, {}, {38}};
        auto in = (*enc)->input(events, 2);
        QCOMPARE(hotIndex(*in, 0, 512), 2);  // snare = class 1 -> 2^1
        // counter of position 3 = 0b000011: +1 +1 -1 -1 -1 -1
        const std::vector<float> counter(in->begin() + 512, in->end());
        QCOMPARE(counter, (std::vector<float>{1, 1, -1, -1, -1, -1}));
        QCOMPARE(*(*enc)->eventsToLabel(events, 0), 1 + 4);
    }

    void multiDrumBookExamples() {
        auto e = MultiDrumOneHotEncoding::create();
        QVERIFY(e.ok());
        QCOMPARE(e->numClasses(), 512);
        QCOMPARE(*e->encodeEvent(DrumEvent{51, 38}), 258);
        QCOMPARE(*e->encodeEvent(DrumEvent{36, 40, 42}), 7);
        QCOMPARE(e->decodeEvent(131), (DrumEvent{36, 38, 49}));
        QCOMPARE(*e->encodeEvent(DrumEvent{35}), 1);   // 35 is a kick too ...
        QCOMPARE(e->decodeEvent(1), (DrumEvent{36}));  // ... decoded as 36
        QCOMPARE(*e->encodeEvent(DrumEvent{20}), 0);   // unknown pitches are skipped
        auto strict = MultiDrumOneHotEncoding::create(defaultDrumTypePitches(), false);
        QVERIFY(!strict->encodeEvent(DrumEvent{20}).ok());
        // Every class's exemplar: 36 38 42 46 45 48 50 49 51.
        QCOMPARE(e->decodeEvent(511).pitches(),
                 (std::vector<int>{36, 38, 42, 45, 46, 48, 49, 50, 51}));
        auto one = MultiDrumOneHotEncoding::create(oneDrumTypePitches());
        QCOMPARE(one->numClasses(), 2);
        QCOMPARE(*one->encodeEvent(DrumEvent{60, 36}), 1);
        QCOMPARE(one->decodeEvent(1), (DrumEvent{39}));
        QVERIFY(!MultiDrumOneHotEncoding::create({{36}, {}}).ok());
    }

    void drumTrackRoundTrip() {
        core::NoteSequence s;
        s.tempos.push_back({0.0, 120.0});
        auto add = [&](int pitch, double start) {
            core::Note n;
            n.pitch = pitch;
            n.startTime = start;
            n.endTime = start + 0.1;
            n.isDrum = true;
            s.notes.push_back(n);
        };
        add(36, 2.0);  // step 16 (bar 1)
        add(42, 2.0);
        add(38, 2.5);   // step 20
        add(35, 2.75);  // step 22
        auto q = core::quantizeNoteSequence(s, 4);
        QVERIFY(q.ok());
        auto track = DrumTrack::fromQuantizedSequence(*q);
        QVERIFY(track.ok());
        QCOMPARE(track->startStep(), int64_t{16});
        QCOMPARE(track->size(), int64_t{7});
        QCOMPARE(track->events()[0], (DrumEvent{36, 42}));
        QCOMPARE(track->events()[4], (DrumEvent{38}));
        QCOMPARE(track->events()[6], (DrumEvent{35}));
        auto out = track->toSequence(100, 9, 0, 0.0, 120.0);
        QVERIFY(out.ok());
        QCOMPARE(out->notes.size(), size_t{4});
        QCOMPARE(out->notes[0].startTime, 2.0);
        QCOMPARE(out->notes[0].endTime, 2.125);  // one step
        QVERIFY(out->notes[0].isDrum);
        QCOMPARE(out->notes[3].pitch, 35);
        QCOMPARE(out->totalTime, 2.875);
        // Non-drum notes count only with ignoreIsDrum.
        for (auto& n : s.notes) n.isDrum = false;
        auto q2 = core::quantizeNoteSequence(s, 4);
        QVERIFY(DrumTrack::fromQuantizedSequence(*q2)->empty());
        QCOMPARE(DrumTrack::fromQuantizedSequence(*q2, 0, 1e9, false, true)->size(), int64_t{7});
    }

    void melodyTransforms() {
        // C E G: keys C, F and G all contain them; the lowest (C) wins.
        std::vector<int> events = {72, kNo, 76, kOff, 79};
        QCOMPARE(melodyMajorKey(events), 0);
        // Centre (72 + 79) / 2 = 75.5, target (48 + 83) / 2 = 65.5: down an octave.
        QCOMPARE(squashMelody(events, 48, 84, 0), -12);
        QCOMPARE(events, (std::vector<int>{60, kNo, 64, kOff, 67}));
        // D major melody (D F# A) moves to C: key diff -2.
        std::vector<int> d = {62, 66, 69};
        QCOMPARE(melodyMajorKey(d), 2);
        QCOMPARE(squashMelody(d, 48, 84, 0), -2);
        QCOMPARE(d, (std::vector<int>{60, 64, 67}));
        // Folding into the range.
        std::vector<int> wide = {40, 90};
        transposeMelody(wide, 0, 48, 84);
        QCOMPARE(wide, (std::vector<int>{52, 78}));
    }
};

QTEST_GUILESS_MAIN(TestEventEncodings)
#include "TestEventEncodings.moc"
