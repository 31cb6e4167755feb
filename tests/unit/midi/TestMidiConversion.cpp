// MidiConversion: MidiFile <-> NoteSequence (timing, pairing, instruments, round trips).
#include <QtTest>

#include <algorithm>
#include <map>
#include <tuple>

#include "SmfBuilder.h"
#include "SmfSamples.h"
#include "core/midi/MidiConversion.h"
#include "core/midi/SmfReader.h"

using namespace toccata::core;
using toccata::test::Bytes;
using toccata::test::TrackBytes;

Q_DECLARE_METATYPE(Bytes)

namespace {

MidiFile parseOk(const Bytes& bytes) {
    Result<MidiFile> r = SmfReader::parse(bytes, "conv.mid");
    if (!r) qFatal("unexpected parse error: %s", r.errorMessage().c_str());
    return std::move(r).value();
}

NoteSequence convert(const std::vector<TrackBytes>& tracks, int ppq = 480) {
    return midiFileToNoteSequence(parseOk(toccata::test::smfFile(ppq, tracks)), "conv.mid");
}

bool near(double a, double b) { return std::abs(a - b) < 1e-9; }

/// A note as raw ticks, found in a MidiFile independently of MidiConversion (FIFO pairing per
/// track/channel/pitch; program = the track's last program change on the channel).
using RawNote = std::tuple<int64_t, int64_t, int, int, int, int>;  // on, off, ch, pitch, vel, prog

std::vector<RawNote> rawNotes(const MidiFile& f) {
    std::vector<RawNote> notes;
    for (const MidiTrack& t : f.tracks) {
        std::map<std::pair<int, int>, std::vector<size_t>> open;
        int program[16] = {};
        for (const MidiEvent& e : t.events) {
            if (e.kind() == status::kProgramChange) program[e.channel()] = e.data1;
            if (e.isNoteOn()) {
                open[{e.channel(), e.data1}].push_back(notes.size());
                notes.emplace_back(e.tick, -1, e.channel(), e.data1, e.data2, program[e.channel()]);
            } else if (e.isNoteOff()) {
                auto& list = open[{e.channel(), e.data1}];
                if (list.empty()) continue;
                std::get<1>(notes[list.front()]) = e.tick;
                list.erase(list.begin());
            }
        }
        for (auto& [key, list] : open)
            for (size_t i : list) std::get<1>(notes[i]) = t.lastTick();
    }
    std::sort(notes.begin(), notes.end());
    return notes;
}

std::vector<std::tuple<int64_t, int, int, int>> rawControls(const MidiFile& f) {
    std::vector<std::tuple<int64_t, int, int, int>> out;  // tick, status, data1, data2
    for (const MidiTrack& t : f.tracks)
        for (const MidiEvent& e : t.events)
            if (e.kind() == status::kControlChange || e.kind() == status::kPitchBend)
                out.emplace_back(e.tick, e.status, e.data1, e.data2);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::tuple<int64_t, int, Bytes>> rawMetas(const MidiFile& f, uint8_t type) {
    std::vector<std::tuple<int64_t, int, Bytes>> out;
    for (size_t t = 0; t < f.tracks.size(); ++t)
        for (const MidiEvent& e : f.tracks[t].events)
            if (e.isMeta(type))
                out.emplace_back(e.tick, 0, Bytes(e.payload.begin(), e.payload.begin() + 2));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

class TestMidiConversion : public QObject {
    Q_OBJECT

private slots:
    void tempoChangesMidFile() {
        TrackBytes conductor;
        conductor.tempo(0, 500000).tempo(960, 250000).tempo(480, 1000000).end();
        TrackBytes notes;
        notes.on(0, 0, 60, 100).off(960, 0, 60).on(0, 0, 62, 100).off(480, 0, 62);
        notes.on(0, 0, 64, 100).off(480, 0, 64).end();
        const NoteSequence s = convert({conductor, notes});
        QCOMPARE(s.tempos.size(), size_t{3});
        QVERIFY(near(s.tempos[1].time, 1.0) && near(s.tempos[1].qpm, 240.0));
        QVERIFY(near(s.tempos[2].time, 1.25) && near(s.tempos[2].qpm, 60.0));
        QCOMPARE(s.notes.size(), size_t{3});
        QVERIFY(near(s.notes[0].endTime, 1.0));
        QVERIFY(near(s.notes[1].startTime, 1.0) && near(s.notes[1].endTime, 1.25));
        QVERIFY(near(s.notes[2].startTime, 1.25) && near(s.notes[2].endTime, 2.25));
        QVERIFY(near(s.totalTime, 2.25));
    }

    void tempoInAnyTrackCountsForAll() {
        TrackBytes a;
        a.on(0, 0, 60, 1).off(960, 0, 60).end();
        TrackBytes b;
        b.tempo(480, 250000).end();  // format 1 files may carry tempos outside track 0
        const NoteSequence s = convert({a, b});
        QVERIFY(near(s.notes[0].endTime, 0.5 + 0.25));
    }

    void divisions_data() {
        QTest::addColumn<int>("ppq");
        for (int d : {1, 96, 220, 480, 960, 32767}) QTest::newRow(std::to_string(d).c_str()) << d;
    }
    void divisions() {
        QFETCH(int, ppq);
        TrackBytes t;
        t.tempo(0, 400000)
            .on(static_cast<uint32_t>(ppq), 0, 60, 1)
            .off(static_cast<uint32_t>(3 * ppq), 0, 60)
            .end();
        const NoteSequence s = convert({t}, ppq);
        QCOMPARE(s.ticksPerQuarter, ppq);
        QVERIFY(near(s.notes[0].startTime, 0.4));
        QVERIFY(near(s.notes[0].endTime, 1.6));
    }

    void pairing_data() {
        // PPQ 500 at 120 QPM: one tick is one millisecond. Events: {delta, status, pitch, vel}.
        QTest::addColumn<QVector<QVector<int>>>("events");
        QTest::addColumn<QVector<QVector<int>>>("expected");  // {startMs, endMs, velocity}
        using V = QVector<QVector<int>>;
        QTest::newRow("velocity 0 is note-off")
            << V{{0, 0x90, 60, 90}, {10, 0x90, 60, 0}} << V{{0, 10, 90}};
        QTest::newRow("oldest first")
            << V{{0, 0x90, 60, 1}, {10, 0x90, 60, 2}, {10, 0x80, 60, 0}, {10, 0x80, 60, 0}}
            << V{{0, 20, 1}, {10, 30, 2}};
        QTest::newRow("off at the tick of a new on")
            << V{{0, 0x90, 60, 1}, {10, 0x90, 60, 2}, {0, 0x80, 60, 0}, {10, 0x80, 60, 0}}
            << V{{0, 10, 1}, {10, 20, 2}};
        QTest::newRow("zero length kept") << V{{5, 0x90, 60, 1}, {0, 0x80, 60, 0}} << V{{5, 5, 1}};
        QTest::newRow("two ons same tick")
            << V{{0, 0x90, 60, 1}, {0, 0x90, 60, 2}, {5, 0x80, 60, 0}, {2, 0x80, 60, 0}}
            << V{{0, 5, 1}, {0, 7, 2}};
        QTest::newRow("orphan off ignored")
            << V{{0, 0x80, 60, 0}, {5, 0x90, 60, 1}, {4, 0x80, 60, 0}} << V{{5, 9, 1}};
        QTest::newRow("channels apart")
            << V{{0, 0x90, 60, 1}, {1, 0x91, 60, 2}, {1, 0x80, 60, 0}, {1, 0x81, 60, 0}}
            << V{{0, 2, 1}, {1, 3, 2}};
        QTest::newRow("open until last event")
            << V{{0, 0x90, 60, 1}, {100, 0xB0, 7, 1}} << V{{0, 130, 1}};
    }
    void pairing() {
        QFETCH(QVector<QVector<int>>, events);
        QFETCH(QVector<QVector<int>>, expected);
        TrackBytes t;
        for (const auto& e : events) t.ev(static_cast<uint32_t>(e[0]), {e[1], e[2], e[3]});
        t.end(30);
        const NoteSequence s = convert({t}, 500);
        QCOMPARE(s.notes.size(), size_t(expected.size()));
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const Note& n = s.notes[size_t(i)];
            QVERIFY2(
                near(n.startTime * 1000, expected[i][0]) && near(n.endTime * 1000, expected[i][1]),
                qPrintable(QString("note %1: %2..%3").arg(i).arg(n.startTime).arg(n.endTime)));
            QCOMPARE(n.velocity, expected[i][2]);
        }
    }

    void instrumentsProgramsAndDrums() {
        TrackBytes conductor;
        conductor.text(0, 0x03, "The title").end();
        TrackBytes a;
        a.text(0, 0x03, "Keys").ev(0, {0xC0, 4}).on(0, 1, 40, 1).on(0, 0, 60, 1).ev(10, {0xC0, 7});
        a.on(0, 0, 62, 1).ev(0, {0xC1, 3}).end(20);
        TrackBytes b;
        b.on(0, 9, 36, 1).on(5, 0, 50, 1).end(5);  // no name; channel-0 program is per track
        const NoteSequence s = convert({conductor, a, b});
        QCOMPARE(s.title, std::string("The title"));
        QCOMPARE(s.filename, std::string("conv.mid"));
        QCOMPARE(s.instrumentInfos.size(), size_t{4});
        const std::vector<InstrumentInfo> expected = {
            {0, "Keys", 1, 1}, {1, "Keys", 0, 1}, {2, "", 9, 2}, {3, "", 0, 2}};
        QVERIFY(s.instrumentInfos == expected);
        QCOMPARE(s.notes.size(), size_t{5});
        QCOMPARE(s.notes[0].instrument, 0);
        QCOMPARE(s.notes[0].program, 0);  // the program change was on channel 0
        QCOMPARE(s.notes[1].program, 4);
        QCOMPARE(s.notes[2].program, 7);
        QVERIFY(s.notes[3].isDrum && s.notes[3].instrument == 2);
        QCOMPARE(s.notes[4].program, 0);
        QCOMPARE(s.notes[4].instrument, 3);
        QVERIFY(!s.notes[4].isDrum);
    }

    void controlChangesAndPitchBends() {
        TrackBytes t;
        t.ev(0, {0xC2, 9}).ev(0, {0xB2, 64, 127}).ev(480, {0xB2, 64, 0}).ev(0, {0xE2, 0, 0x40});
        t.ev(0, {0xE2, 0x7F, 0x7F}).ev(0, {0xE9, 0, 0}).end();
        const NoteSequence s = convert({t});
        QCOMPARE(s.controlChanges.size(), size_t{2});
        QVERIFY(s.controlChanges[0] == (ControlChange{0.0, 0, 64, 127, 0, 9, false}));
        QVERIFY(near(s.controlChanges[1].time, 0.5) && s.controlChanges[1].controlValue == 0);
        QCOMPARE(s.pitchBends.size(), size_t{3});
        QCOMPARE(s.pitchBends[0].bend, 0);
        QCOMPARE(s.pitchBends[1].bend, 8191);
        QCOMPARE(s.pitchBends[2].bend, -8192);
        QVERIFY(s.pitchBends[2].isDrum && s.pitchBends[2].instrument == 1);
        QCOMPARE(s.instrumentInfos.size(), size_t{2});
    }

    void timeSignatures() {
        TrackBytes t;
        t.timeSignature(0, 6, 3).timeSignature(960, 3, 2).timeSignature(0, 5, 200).end();
        const NoteSequence s = convert({t});
        QCOMPARE(s.timeSignatures.size(), size_t{2});  // 2^200 is dropped
        QVERIFY(s.timeSignatures[0] == (TimeSignature{0.0, 6, 8}));
        QVERIFY(s.timeSignatures[1] == (TimeSignature{1.0, 3, 4}));
    }

    void keySignatures_data() {
        QTest::addColumn<int>("sf");
        QTest::addColumn<int>("minor");
        QTest::addColumn<int>("key");
        QTest::newRow("C") << 0 << 0 << 0;
        QTest::newRow("G") << 1 << 0 << 7;
        QTest::newRow("F") << -1 << 0 << 5;
        QTest::newRow("Db") << -5 << 0 << 1;
        QTest::newRow("F#") << 6 << 0 << 6;
        QTest::newRow("C#") << 7 << 0 << 1;
        QTest::newRow("Cb") << -7 << 0 << 11;
        QTest::newRow("a") << 0 << 1 << 9;
        QTest::newRow("b") << 2 << 1 << 11;
        QTest::newRow("c") << -3 << 1 << 0;
        QTest::newRow("eb") << -6 << 1 << 3;
        QTest::newRow("g#") << 5 << 1 << 8;
    }
    void keySignatures() {
        QFETCH(int, sf);
        QFETCH(int, minor);
        QFETCH(int, key);
        TrackBytes t;
        t.keySignature(0, sf, minor).keySignature(0, 9, 0).end();  // 9 sharps: dropped
        const NoteSequence s = convert({t});
        QCOMPARE(s.keySignatures.size(), size_t{1});
        QCOMPARE(s.keySignatures[0].key, key);
        QCOMPARE(s.keySignatures[0].mode, minor);
        if (std::abs(sf) <= 5 || (minor == 0 && sf == 6) || (minor == 1 && sf == -6))
            QCOMPARE(sharpsOrFlatsFromKey(key, minor == 1), sf);  // pretty_midi's spelling
    }

    void writesConductorAndInstrumentTracks() {
        NoteSequence s;
        s.title = "Title";
        s.tempos = {{0.0, 100.0}, {1.2, 150.0}};
        s.timeSignatures = {{0.0, 7, 8}};
        s.keySignatures = {{0.0, 2, KeySignature::kMajor}};
        s.notes = {
            {60, 90, 0.0, 0.6, 5, 3}, {36, 100, 0.0, 0.1, 1, 0, true}, {64, 80, 0.3, 1.5, 0, 1}};
        s.instrumentInfos = {{5, "Lead", -1, 2}, {0, "Pad", 4, 1}};
        const MidiFile f = noteSequenceToMidiFile(s);
        QCOMPARE(f.format, 1);
        QCOMPARE(f.ticksPerQuarter, 220);
        QCOMPARE(f.tracks.size(), size_t{4});
        const auto& c = f.tracks[0].events;
        QCOMPARE(f.tracks[0].name().value_or(""), std::string("Title"));
        QVERIFY(std::none_of(c.begin(), c.end(),
                             [](const MidiEvent& e) { return e.isChannelMessage(); }));
        QCOMPARE(rawMetas(f, meta::kTempo).size(), size_t{2});
        // 1.2 s at 100 QPM = 2 quarters = 440 ticks.
        QCOMPARE(std::get<0>(rawMetas(f, meta::kTempo)[1]), int64_t{440});
        QCOMPARE(std::get<2>(rawMetas(f, meta::kTimeSignature)[0]), (Bytes{7, 3}));
        QCOMPARE(std::get<2>(rawMetas(f, meta::kKeySignature)[0]), (Bytes{2, 0}));
        // Instrument tracks: Pad (midiTrack 1, channel 4), Lead (track 2, free channel 0),
        // then the drums (no info) on channel 9.
        QCOMPARE(f.tracks[1].name().value_or(""), std::string("Pad"));
        QCOMPARE(f.tracks[2].name().value_or(""), std::string("Lead"));
        auto channelOf = [&](size_t t) {
            for (const MidiEvent& e : f.tracks[t].events)
                if (e.isChannelMessage()) return e.channel();
            return -1;
        };
        QCOMPARE(channelOf(1), 4);
        QCOMPARE(channelOf(2), 0);
        QCOMPARE(channelOf(3), 9);
        for (const MidiTrack& t : f.tracks) QVERIFY(t.events.back().isMeta(meta::kEndOfTrack));
    }

    void freeChannelsSkipNine() {
        NoteSequence s;
        for (int i = 0; i < 11; ++i) s.notes.push_back({60, 90, 0.0, 1.0, i, 0});
        const MidiFile f = noteSequenceToMidiFile(s);
        std::vector<int> channels;
        for (size_t t = 1; t < f.tracks.size(); ++t)
            channels.push_back(f.tracks[t].events[0].channel());
        QCOMPARE(channels, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11}));
    }

    void programChangesAndSameTickOrder() {
        NoteSequence s;
        s.ticksPerQuarter = 100;  // 120 QPM: 200 ticks per second
        s.notes = {{60, 90, 0.0, 1.0, 0, 3},
                   {60, 91, 1.0, 2.0, 0, 5},
                   {62, 92, 1.0, 1.0, 0, 3},
                   {64, 93, 1.0, 1.5, 0, 3}};
        s.controlChanges = {{1.0, 0, 64, 127, 0, 3}};
        const MidiFile f = noteSequenceToMidiFile(s);
        QCOMPARE(f.tracks.size(), size_t{2});
        std::vector<std::string> got;
        for (const MidiEvent& e : f.tracks[1].events) {
            const std::string what = e.isNoteOn()                         ? "on"
                                     : e.isNoteOff()                      ? "off"
                                     : e.kind() == status::kProgramChange ? "pc"
                                     : e.kind() == status::kControlChange ? "cc"
                                                                          : "end";
            got.push_back(std::to_string(e.tick) + what + std::to_string(e.data1));
        }
        const std::vector<std::string> expected = {"0pc3",     "0on60",    "200off60", "200cc64",
                                                   "200on62",  "200on64",  "200pc5",   "200on60",
                                                   "200off62", "300off64", "400off60", "400end0"};
        QCOMPARE(got, expected);
    }

    void roundTripIsTickExact_data() {
        QTest::addColumn<Bytes>("bytes");
        for (const auto& s : toccata::test::smfSamples()) QTest::newRow(s.name.c_str()) << s.bytes;
        // A denser file: tempo changes, overlaps, programs, several tracks sharing channels.
        TrackBytes conductor;
        conductor.tempo(0, 612345)
            .timeSignature(0, 5, 2)
            .tempo(1001, 333333)
            .tempo(77, 1234567)
            .end();
        TrackBytes a;
        a.ev(0, {0xC0, 40});
        for (int i = 0; i < 40; ++i)
            a.on(static_cast<uint32_t>(i % 7), 0, 50 + i % 5, 10 + i)
                .off(static_cast<uint32_t>(13 * (i % 3)), 0, 50 + (i + 2) % 5);
        a.ev(3, {0xC0, 41}).on(0, 0, 70, 1).ev(9, {0xB0, 1, 2}).ev(0, {0xE0, 5, 6}).end(100);
        TrackBytes b;
        b.ev(0, {0xC0, 10}).on(5, 0, 50, 5).on(0, 9, 42, 6).off(961, 0, 50).off(0, 9, 42).end();
        QTest::newRow("dense") << toccata::test::smfFile(96, {conductor, a, b});
    }
    void roundTripIsTickExact() {
        QFETCH(Bytes, bytes);
        const MidiFile original = parseOk(bytes);
        const NoteSequence s = midiFileToNoteSequence(original, "rt.mid");
        const MidiFile written = noteSequenceToMidiFile(s);
        QCOMPARE(written.ticksPerQuarter, original.ticksPerQuarter);
        QCOMPARE(rawNotes(written), rawNotes(original));
        QCOMPARE(rawControls(written), rawControls(original));
        QCOMPARE(rawMetas(written, meta::kTempo), rawMetas(original, meta::kTempo));
        QCOMPARE(rawMetas(written, meta::kTimeSignature), rawMetas(original, meta::kTimeSignature));
        // And the sequence itself survives a second pass unchanged (times to 1e-9 s).
        const NoteSequence again = midiFileToNoteSequence(written, "rt.mid");
        QCOMPARE(again.notes.size(), s.notes.size());
        std::vector<Note> a = s.notes, b = again.notes;
        for (auto* v : {&a, &b})
            std::stable_sort(v->begin(), v->end(), [](const Note& x, const Note& y) {
                return std::tie(x.startTime, x.pitch, x.endTime, x.velocity) <
                       std::tie(y.startTime, y.pitch, y.endTime, y.velocity);
            });
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(near(a[i].startTime, b[i].startTime) && near(a[i].endTime, b[i].endTime));
            QCOMPARE(std::tie(a[i].pitch, a[i].velocity, a[i].program, a[i].isDrum),
                     std::tie(b[i].pitch, b[i].velocity, b[i].program, b[i].isDrum));
        }
    }
};

QTEST_APPLESS_MAIN(TestMidiConversion)
#include "TestMidiConversion.moc"
