// SmfWriter: bytes out, and what it writes reads back equal.
#include <QtTest>

#include "SmfBuilder.h"
#include "SmfSamples.h"
#include "core/midi/SmfReader.h"
#include "core/midi/SmfWriter.h"

using namespace toccata::core;
using toccata::test::Bytes;

Q_DECLARE_METATYPE(Bytes)

namespace {

MidiFile parseOk(const Bytes& bytes) {
    Result<MidiFile> r = SmfReader::parse(bytes, "written.mid");
    if (!r) qFatal("unexpected parse error: %s", r.errorMessage().c_str());
    return std::move(r).value();
}

/// The events of every track without End-of-Track (the writer adds exactly one).
std::vector<std::vector<MidiEvent>> withoutEnd(const MidiFile& f) {
    std::vector<std::vector<MidiEvent>> tracks;
    for (const MidiTrack& t : f.tracks) {
        tracks.emplace_back();
        for (const MidiEvent& e : t.events)
            if (!e.isMeta(meta::kEndOfTrack)) tracks.back().push_back(e);
    }
    return tracks;
}

}  // namespace

class TestSmfWriter : public QObject {
    Q_OBJECT

private slots:
    void variableLengthNumbers_data() {
        QTest::addColumn<uint>("value");
        QTest::addColumn<Bytes>("expected");
        QTest::newRow("0") << 0u << Bytes{0x00};
        QTest::newRow("0x40") << 0x40u << Bytes{0x40};
        QTest::newRow("0x7F") << 0x7Fu << Bytes{0x7F};
        QTest::newRow("0x80") << 0x80u << Bytes{0x81, 0x00};
        QTest::newRow("0x2000") << 0x2000u << Bytes{0xC0, 0x00};
        QTest::newRow("0x3FFF") << 0x3FFFu << Bytes{0xFF, 0x7F};
        QTest::newRow("0x4000") << 0x4000u << Bytes{0x81, 0x80, 0x00};
        QTest::newRow("0x1FFFFF") << 0x1FFFFFu << Bytes{0xFF, 0xFF, 0x7F};
        QTest::newRow("0x200000") << 0x200000u << Bytes{0x81, 0x80, 0x80, 0x00};
        QTest::newRow("0x0FFFFFFF") << 0x0FFFFFFFu << Bytes{0xFF, 0xFF, 0xFF, 0x7F};
        QTest::newRow("clamped") << 0xFFFFFFFFu << Bytes{0xFF, 0xFF, 0xFF, 0x7F};
    }
    void variableLengthNumbers() {
        QFETCH(uint, value);
        QFETCH(Bytes, expected);
        Bytes out;
        SmfWriter::appendVlq(out, value);
        QCOMPARE(out, expected);
    }

    void exactBytes() {
        MidiFile f;
        f.format = 0;
        f.ticksPerQuarter = 96;
        f.tracks.resize(1);
        f.tracks[0].events = {MidiEvent::channelMessage(0, status::kNoteOn, 1, 60, 100),
                              MidiEvent::channelMessage(200, status::kNoteOn, 1, 60, 0),
                              MidiEvent::tempoEvent(200, 500000)};
        const Bytes expected = {'M',  'T',  'h',  'd', 0,    0,    0,    6,    0,    0,    0,
                                1,    0,    96,   'M', 'T',  'r',  'k',  0,    0,    0,    19,
                                0x00, 0x91, 60,   100,  // note-on
                                0x81, 0x48, 60,   0,    // running status, delta 200
                                0x00, 0xFF, 0x51, 3,   0x07, 0xA1, 0x20, 0x00, 0xFF, 0x2F, 0x00};
        QCOMPARE(SmfWriter::write(f), expected);
        Bytes noRunning = expected;
        noRunning.insert(noRunning.begin() + 28, 0x91);
        noRunning[21] = 20;
        QCOMPARE(SmfWriter::write(f, SmfWriteOptions{false}), noRunning);
    }

    void writtenSamplesReadBackEqual_data() {
        QTest::addColumn<Bytes>("bytes");
        for (const auto& s : toccata::test::smfSamples()) QTest::newRow(s.name.c_str()) << s.bytes;
    }
    void writtenSamplesReadBackEqual() {
        QFETCH(Bytes, bytes);
        const MidiFile original = parseOk(bytes);
        for (bool running : {true, false}) {
            const Bytes written = SmfWriter::write(original, SmfWriteOptions{running});
            const MidiFile reread = parseOk(written);
            QCOMPARE(reread.format, original.format);
            QCOMPARE(reread.ticksPerQuarter, original.ticksPerQuarter);
            QVERIFY(withoutEnd(reread) == withoutEnd(original));
            for (const MidiTrack& t : reread.tracks) {  // exactly one End-of-Track, last
                QVERIFY(t.events.back().isMeta(meta::kEndOfTrack));
                QCOMPARE(t.events.back().tick, t.lastTick());
            }
            QCOMPARE(SmfWriter::write(reread, SmfWriteOptions{running}), written);  // a fixed point
        }
    }

    void endOfTrackWrittenOnceAtTheEnd() {
        MidiFile f;
        f.tracks.resize(1);
        f.tracks[0].events = {MidiEvent::endOfTrack(5),
                              MidiEvent::channelMessage(10, status::kControlChange, 0, 7, 100),
                              MidiEvent::endOfTrack(40)};
        const MidiFile reread = parseOk(SmfWriter::write(f));
        QCOMPARE(reread.tracks[0].events.size(), size_t{2});
        QCOMPARE(reread.tracks[0].events[1].tick, int64_t{40});
        QVERIFY(reread.tracks[0].events[1].isMeta(meta::kEndOfTrack));
    }

    void unsortedTicksAreSorted() {
        MidiFile f;
        f.tracks.resize(1);
        f.tracks[0].events = {MidiEvent::channelMessage(30, status::kNoteOn, 0, 61, 1),
                              MidiEvent::channelMessage(10, status::kNoteOn, 0, 60, 1),
                              MidiEvent::channelMessage(30, status::kNoteOn, 0, 62, 1)};
        const MidiFile reread = parseOk(SmfWriter::write(f));
        const auto& ev = reread.tracks[0].events;
        QCOMPARE(ev[0].data1, uint8_t{60});
        QCOMPARE(ev[1].data1, uint8_t{61});  // same tick: original order kept
        QCOMPARE(ev[2].data1, uint8_t{62});
        QCOMPARE(ev[2].tick, int64_t{30});
    }

    void longPayloadsAndHugeGaps() {
        MidiFile f;
        f.tracks.resize(1);
        Bytes big(70000, 0x41);
        f.tracks[0].events = {
            MidiEvent::textEvent(0, meta::kLyric, std::string(300, 'x')),
            MidiEvent::sysEx(0, status::kSysEx, big),
            MidiEvent::channelMessage(int64_t{3} * 0x0FFFFFFF + 5, status::kNoteOn, 2, 64, 64)};
        const MidiFile reread = parseOk(SmfWriter::write(f));
        const auto& ev = reread.tracks[0].events;
        QCOMPARE(ev[0].payload.size(), size_t{300});
        QCOMPARE(ev[1].payload, big);
        QCOMPARE(ev.back().tick, int64_t{3} * 0x0FFFFFFF + 5);  // gaps bridged, tick kept
        QCOMPARE(ev[ev.size() - 2].data1, uint8_t{64});
    }
};

QTEST_APPLESS_MAIN(TestSmfWriter)
#include "TestSmfWriter.moc"
