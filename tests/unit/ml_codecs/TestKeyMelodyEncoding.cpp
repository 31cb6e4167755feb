// KeyMelodySequenceEncoder (attention_rnn's input): sizes, every input block on a short melody
// worked out by hand from Magenta's rules, labels with repeats, and decoding.
#include <QtTest>

#include "core/ops/MelodyExtraction.h"
#include "ml/codecs/KeyMelodySequenceEncoder.h"
#include "ml/codecs/RnnCodecConfig.h"

using namespace toccata;
using namespace toccata::ml;

namespace {
constexpr int kNo = core::kMelodyNoEvent;
constexpr int kOff = core::kMelodyNoteOff;

// Offsets of the blocks for [48, 84), lookbacks [16, 32], 7 counter bits.
constexpr int kPlaying = 36, kSilence = 37, kAttack = 38, kDirection = 39, kRepeat16 = 40,
              kRepeat32 = 41, kCounter = 42, kBarStart = 49, kKeys = 50, kRecentKeys = 62;

KeyMelodySequenceEncoder attentionEncoder() {
    return *KeyMelodySequenceEncoder::create(48, 84, {16, 32}, 7);
}

std::vector<float> inputAt(const KeyMelodySequenceEncoder& e, const std::vector<int>& events,
                           size_t position) {
    auto in = e.input(events, position);
    return in ? *in : std::vector<float>();
}

std::vector<int> hot(const std::vector<float>& v, int from, int to) {
    std::vector<int> out;
    for (int i = from; i < to; ++i)
        if (v[static_cast<size_t>(i)] == 1.0F) out.push_back(i - from);
    return out;
}
}  // namespace

class TestKeyMelodyEncoding : public QObject {
    Q_OBJECT

private slots:
    void sizesMatchAttentionRnn() {
        const auto e = attentionEncoder();
        QCOMPARE(e.inputSize(), 74);
        QCOMPARE(e.numClasses(), 40);
        auto config = RnnCodecConfig::named("attention_rnn");
        QVERIFY(config.ok());
        QCOMPARE(*config->inputDepth(), 74);
        QCOMPARE(*config->numClasses(), 40);
        QVERIFY(!KeyMelodySequenceEncoder::create(60, 60, {}, 7).ok());
        QVERIFY(!KeyMelodySequenceEncoder::create(48, 84, {0}, 7).ok());
    }

    void inputBlocks() {
        const auto e = attentionEncoder();
        // C4 held, then E4, then a rest, then G4 (steps 0..6).
        const std::vector<int> events = {60, kNo, 64, kOff, kNo, 67, kNo};

        auto in0 = inputAt(e, events, 0);
        QCOMPARE(static_cast<int>(in0.size()), 74);
        QCOMPARE(hot(in0, 0, 36), (std::vector<int>{12}));  // 60 - 48
        QCOMPARE(in0[kPlaying], 1.0F);
        QCOMPARE(in0[kSilence], 0.0F);
        QCOMPARE(in0[kAttack], 1.0F);
        QCOMPARE(in0[kDirection], 0.0F);  // one note: no direction yet
        // Counter of n = 1 (bit 0 set), 7 bits of +-1.
        QCOMPARE(in0[kCounter], 1.0F);
        for (int b = 1; b < 7; ++b) QCOMPARE(in0[kCounter + b], -1.0F);
        QCOMPARE(in0[kBarStart], 0.0F);
        // C belongs to the major keys C, F, G, Bb, Eb, Ab, Db... i.e. keys k with (0-k)%12 in
        // the major scale: 0, 1, 3, 5, 7, 8, 10. All of them tie.
        QCOMPARE(hot(in0, kKeys, kKeys + 12), (std::vector<int>{0, 1, 3, 5, 7, 8, 10}));
        QCOMPARE(hot(in0, kRecentKeys, kRecentKeys + 12), (std::vector<int>{0, 1, 3, 5, 7, 8, 10}));

        auto in1 = inputAt(e, events, 1);  // C still sounding, no attack
        QCOMPARE(hot(in1, 0, 36), (std::vector<int>{12}));
        QCOMPARE(in1[kAttack], 0.0F);
        QCOMPARE(in1[kCounter], -1.0F);      // n = 2
        QCOMPARE(in1[kCounter + 1], 1.0F);

        auto in2 = inputAt(e, events, 2);  // E4 up from C4
        QCOMPARE(hot(in2, 0, 36), (std::vector<int>{16}));
        QCOMPARE(in2[kAttack], 1.0F);
        QCOMPARE(in2[kDirection], 1.0F);
        // C and E: keys holding both = C (0), F (5), G (7).
        QCOMPARE(hot(in2, kKeys, kKeys + 12), (std::vector<int>{0, 5, 7}));

        auto in4 = inputAt(e, events, 4);  // after the note-off: silence
        QCOMPARE(hot(in4, 0, 36), std::vector<int>{});
        QCOMPARE(in4[kPlaying], 0.0F);
        QCOMPARE(in4[kSilence], 1.0F);
        QCOMPARE(in4[kAttack], 0.0F);
        QCOMPARE(in4[kDirection], 1.0F);  // the last change was upwards

        auto in5 = inputAt(e, events, 5);  // G4: C E G -> only C major holds all three
        QCOMPARE(hot(in5, kKeys, kKeys + 12), (std::vector<int>{0, 5, 7}));
        QCOMPARE(hot(in5, kRecentKeys, kRecentKeys + 12), (std::vector<int>{0, 5, 7}));
    }

    void barStartRepeatsAndDirectionDown() {
        const auto e = attentionEncoder();
        std::vector<int> events(17, kNo);
        events[0] = 72;
        events[16] = 72;  // the same event one bar (16 steps) later
        auto in15 = inputAt(e, events, 15);
        QCOMPARE(in15[kBarStart], 1.0F);  // the next step (16) starts a bar
        auto in16 = inputAt(e, events, 16);
        QCOMPARE(in16[kRepeat16], 1.0F);
        QCOMPARE(in16[kRepeat32], 0.0F);
        QCOMPARE(in16[kBarStart], 0.0F);

        const std::vector<int> down = {67, 64, 64};
        auto d = inputAt(e, down, 2);
        QCOMPARE(d[kDirection], -1.0F);  // a repeated pitch keeps the last direction
        QVERIFY(!e.input({90}, 0).ok());  // outside [48, 84)
    }

    void labelsAndDecoding() {
        const auto e = attentionEncoder();
        std::vector<int> events(40, kNo);
        events[0] = 60;
        events[1] = kOff;
        events[20] = 62;
        events[36] = 62;  // repeats step 20
        QCOMPARE(*e.eventsToLabel(events, 0), 12);
        QCOMPARE(*e.eventsToLabel(events, 1), 37);   // note-off
        QCOMPARE(*e.eventsToLabel(events, 5), 39);   // a no-event in the first 32 steps
        QCOMPARE(*e.eventsToLabel(events, 20), 14);  // 62 - 48
        QCOMPARE(*e.eventsToLabel(events, 36), 38);  // repeat 16 steps ago
        QCOMPARE(*e.eventsToLabel(events, 33), 38);  // no event == no event 16 steps ago
        QCOMPARE(*e.eventsToLabel(events, 34), 39);  // ... and 32 steps ago: the farthest wins

        QCOMPARE(e.classIndexToEvent(14, events), 62);
        QCOMPARE(e.classIndexToEvent(36, events), kNo);
        QCOMPARE(e.classIndexToEvent(37, events), kOff);
        const std::vector<int> history = {60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73,
                                          74, 75, 76};
        QCOMPARE(e.classIndexToEvent(38, history), 61);   // events[-16]
        QCOMPARE(e.classIndexToEvent(39, history), kNo);  // fewer than 32 events
    }
};

QTEST_GUILESS_MAIN(TestKeyMelodyEncoding)
#include "TestKeyMelodyEncoding.moc"
