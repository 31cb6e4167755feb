// Chord symbols (Magenta's chord_symbols_lib rules) and the chord encodings used for
// conditioning: pitch chords (37), major/minor (25) and triads (49). Expected vectors are
// worked by hand.
#include <QtTest>

#include "ml/codecs/ChordEncodings.h"
#include "ml/codecs/ChordSymbol.h"

using namespace toccata::ml;

namespace {
std::vector<int> pitches(const char* figure) {
    auto chord = ChordSymbol::parse(figure);
    if (!chord) qFatal("cannot parse %s: %s", figure, chord.errorMessage().c_str());
    return chord->pitchClasses();
}
ChordQuality quality(const char* figure) { return ChordSymbol::parse(figure)->quality(); }
std::vector<int> hot(const std::vector<float>& v) {
    std::vector<int> out;
    for (size_t i = 0; i < v.size(); ++i)
        if (v[i] == 1.0F) out.push_back(static_cast<int>(i));
    return out;
}
}  // namespace

class TestChordEncodings : public QObject {
    Q_OBJECT

private slots:
    void parsePitches() {
        QCOMPARE(pitches("C"), (std::vector<int>{0, 4, 7}));
        QCOMPARE(pitches("Am"), (std::vector<int>{9, 0, 4}));
        QCOMPARE(pitches("G7"), (std::vector<int>{7, 11, 2, 5}));
        QCOMPARE(pitches("F#m7b5"), (std::vector<int>{6, 9, 0, 4}));
        QCOMPARE(pitches("Cmaj7/E"), (std::vector<int>{0, 4, 7, 11}));
        QCOMPARE(pitches("Bbdim7"), (std::vector<int>{10, 1, 4, 7}));
        QCOMPARE(pitches("C7#9"), (std::vector<int>{0, 4, 7, 10, 3}));
        QCOMPARE(pitches("Cadd9"), (std::vector<int>{0, 4, 7, 2}));
        QCOMPARE(pitches("C(add7)"), (std::vector<int>{0, 4, 7, 10}));  // add7 is b7
        QCOMPARE(pitches("C7(no5)"), (std::vector<int>{0, 4, 10}));
        QCOMPARE(pitches("C6/9"), (std::vector<int>{0, 4, 7, 9, 2}));
        QCOMPARE(pitches("Ebsus4"), (std::vector<int>{3, 8, 10}));
        QVERIFY(ChordSymbol::parse("N.C.")->noChord);
        QVERIFY(ChordSymbol::parse("N.C.")->pitchClasses().empty());
    }

    void rootBassAndErrors() {
        auto slash = ChordSymbol::parse("Cmaj7/E");
        QCOMPARE(slash->root, 0);
        QCOMPARE(slash->bass, 4);
        QCOMPARE(ChordSymbol::parse("Dbm")->root, 1);
        QCOMPARE(ChordSymbol::parse("Dbm")->bass, 1);
        QCOMPARE(ChordSymbol::parse("Am/G")->bass, 7);
        QVERIFY(!ChordSymbol::parse("H7").ok());
        QVERIFY(!ChordSymbol::parse("Cxyz").ok());
        QVERIFY(!ChordSymbol::parse("C/X").ok());
        auto twice = ChordSymbol::parse("Cadd3");
        QVERIFY(!twice.ok());
        QVERIFY(twice.errorMessage().find("Cadd3") != std::string::npos);
        QVERIFY(!ChordSymbol::parse("Cno7").ok());
        const ChordSymbol up = ChordSymbol::parse("Am/G")->transposed(3);
        QCOMPARE(up.root, 0);
        QCOMPARE(up.bass, 10);
        QCOMPARE(up.pitchClasses(), (std::vector<int>{0, 3, 7}));
    }

    void quality() {
        QCOMPARE(::quality("C"), ChordQuality::kMajor);
        QCOMPARE(::quality("G7"), ChordQuality::kMajor);
        QCOMPARE(::quality("Am7"), ChordQuality::kMinor);
        QCOMPARE(::quality("Caug"), ChordQuality::kAugmented);
        QCOMPARE(::quality("F#m7b5"), ChordQuality::kDiminished);
        QCOMPARE(::quality("Bdim"), ChordQuality::kDiminished);
        QCOMPARE(::quality("Csus4"), ChordQuality::kOther);
        QCOMPARE(::quality("C5"), ChordQuality::kOther);
    }

    void pitchChordsVector() {
        ChordConditioning pitchChords(ChordEncodingKind::kPitches);
        QCOMPARE(pitchChords.inputSize(), 37);
        // Cmaj7/E: root C (1), pitches C E G B (13, 17, 20, 24), bass E (25 + 4).
        QCOMPARE(hot(*pitchChords.encode("Cmaj7/E")), (std::vector<int>{1, 13, 17, 20, 24, 29}));
        // Am: root A (10), pitches A C E (22, 13, 17), bass A (34).
        QCOMPARE(hot(*pitchChords.encode("Am")), (std::vector<int>{10, 13, 17, 22, 34}));
        QCOMPARE(hot(*pitchChords.encode("N.C.")), (std::vector<int>{0}));
        QVERIFY(!pitchChords.encode("Q").ok());
    }

    void oneHotChords() {
        MajorMinorChordOneHotEncoding mm;
        QCOMPARE(mm.numClasses(), 25);
        QCOMPARE(*mm.encodeEvent("N.C."), 0);
        QCOMPARE(*mm.encodeEvent("C"), 1);
        QCOMPARE(*mm.encodeEvent("G7"), 8);
        QCOMPARE(*mm.encodeEvent("Am"), 22);
        QVERIFY(!mm.encodeEvent("Bdim").ok());
        QCOMPARE(mm.decodeEvent(4), std::string("Eb"));
        QCOMPARE(mm.decodeEvent(22), std::string("Am"));
        TriadChordOneHotEncoding triads;
        QCOMPARE(triads.numClasses(), 49);
        QCOMPARE(*triads.encodeEvent("Caug"), 25);
        QCOMPARE(*triads.encodeEvent("F#m7b5"), 37 + 6);
        QVERIFY(!triads.encodeEvent("Csus4").ok());
        QCOMPARE(triads.decodeEvent(43), std::string("F#dim"));
        QCOMPARE(triads.decodeEvent(36), std::string("Baug"));
        ChordConditioning triadControl(ChordEncodingKind::kTriad);
        QCOMPARE(hot(*triadControl.encode("Dm")), (std::vector<int>{15}));
    }
};

QTEST_GUILESS_MAIN(TestChordEncodings)
#include "TestChordEncodings.moc"
