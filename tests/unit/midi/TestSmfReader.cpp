// SmfReader: the raw SMF parser, on files built byte by byte.
#include <QtTest>

#include <filesystem>

#include "SmfBuilder.h"
#include "SmfSamples.h"
#include "core/midi/SmfReader.h"

using namespace toccata::core;
using toccata::test::Bytes;
using toccata::test::SmfBytes;
using toccata::test::TrackBytes;

Q_DECLARE_METATYPE(Bytes)

namespace {

const char* const kName = "song.mid";

MidiFile parseOk(const Bytes& bytes) {
    Result<MidiFile> r = SmfReader::parse(bytes, kName);
    if (!r) qFatal("unexpected parse error: %s", r.errorMessage().c_str());
    return std::move(r).value();
}

Bytes sample(const std::string& name) {
    for (const auto& s : toccata::test::smfSamples())
        if (s.name == name) return s.bytes;
    qFatal("no sample %s", name.c_str());
    return {};
}

}  // namespace

class TestSmfReader : public QObject {
    Q_OBJECT

private slots:
    void readsHeaderAndTracks() {
        const MidiFile f = parseOk(sample("format1_tempo_change"));
        QCOMPARE(f.format, 1);
        QCOMPARE(f.ticksPerQuarter, 480);
        QCOMPARE(f.tracks.size(), size_t{3});
        QCOMPARE(f.tracks[0].name().value_or(""), std::string("Song title"));
        QCOMPARE(f.tracks[2].name().value_or(""), std::string("Bass"));
        const MidiEvent& tempo2 = f.tracks[0].events[4];
        QCOMPARE(tempo2.tick, int64_t{960});
        QCOMPARE(tempoMicroseconds(tempo2).value_or(0), uint32_t{250000});
        QVERIFY(f.tracks[1].events.back().isMeta(meta::kEndOfTrack));
        QCOMPARE(f.tracks[1].events.back().tick, int64_t{1450});
    }

    void runningStatus() {
        const MidiFile f = parseOk(sample("format0_running_status"));
        QCOMPARE(f.format, 0);
        const auto& ev = f.tracks[0].events;
        // name, tempo, program, on 60, on 64 (running), on 60 v0, on 64 v0, cc, 0x99, 36 v0, cc,
        // end
        QCOMPARE(ev.size(), size_t{12});
        QCOMPARE(ev[3].status, uint8_t{0x90});
        QCOMPARE(ev[4].status, uint8_t{0x90});
        QCOMPARE(ev[4].data1, uint8_t{64});
        QCOMPARE(ev[4].data2, uint8_t{90});
        QVERIFY(ev[5].isNoteOff());
        QCOMPARE(ev[5].tick, int64_t{48});
        QCOMPARE(ev[6].data1, uint8_t{64});
        QCOMPARE(ev[8].status, uint8_t{0x99});
        QCOMPARE(ev[8].data1, uint8_t{36});
        QCOMPARE(ev[8].tick, int64_t{96});
        QVERIFY(ev[9].isNoteOff());
        QCOMPARE(ev[9].tick, int64_t{106});
        QCOMPARE(ev[10].kind(), status::kControlChange);
        QCOMPARE(ev[11].tick, int64_t{111});
    }

    void runningStatusForOneByteMessages() {
        TrackBytes t;
        t.ev(0, {0xC3, 10}).ev(5, {11}).ev(5, {0xD3, 99}).ev(1, {98}).end();
        const MidiFile f = parseOk(toccata::test::smfFile(96, {t}));
        const auto& ev = f.tracks[0].events;
        QCOMPARE(ev.size(), size_t{5});
        QCOMPARE(ev[1].status, uint8_t{0xC3});
        QCOMPARE(ev[1].data1, uint8_t{11});
        QCOMPARE(ev[1].tick, int64_t{5});
        QCOMPARE(ev[3].status, uint8_t{0xD3});
        QCOMPARE(ev[3].data1, uint8_t{98});
    }

    void sysExF0AndF7() {
        const MidiFile f = parseOk(sample("sysex_f0_f7"));
        const auto& ev = f.tracks[0].events;
        QCOMPARE(ev[0].status, status::kSysEx);
        QCOMPARE(ev[0].payload, (Bytes{0x7E, 0x7F, 0x09, 0x01, 0xF7}));
        QCOMPARE(ev[1].payload.size(), size_t{201});  // 2-byte length
        QCOMPARE(ev[2].tick, int64_t{10});
        QCOMPARE(ev[3].status, status::kSysExEscape);
        QCOMPARE(ev[3].payload, (Bytes{0x00, 0xF7}));
        QCOMPARE(ev[3].tick, int64_t{15});
        QCOMPARE(ev[5].payload, Bytes{0xF8});
        QVERIFY(ev[6].isNoteOff());
        QCOMPARE(ev[6].tick, int64_t{45});
    }

    void metaCancelsRunningStatus_data() {
        QTest::addColumn<int>("cancelStatus");
        QTest::newRow("meta") << 0xFF;
        QTest::newRow("sysex F0") << 0xF0;
        QTest::newRow("sysex F7") << 0xF7;
    }
    void metaCancelsRunningStatus() {
        QFETCH(int, cancelStatus);
        TrackBytes t;
        t.on(0, 0, 60, 100);
        if (cancelStatus == 0xFF)
            t.text(0, 0x01, "x");
        else
            t.sysEx(0, cancelStatus, {0x01, 0xF7});
        const size_t dataOffset = 22 + t.data.size() + 1;  // header 14 + chunk header 8 + delta
        t.ev(0, {60, 0}).end();
        Result<MidiFile> r = SmfReader::parse(toccata::test::smfFile(96, {t}), kName);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().find("offset " + std::to_string(dataOffset) + ":") !=
                     std::string::npos,
                 r.errorMessage().c_str());
        QVERIFY(r.errorMessage().find("status byte is needed") != std::string::npos);
    }

    void allMetaEvents() {
        const MidiFile f = parseOk(sample("all_meta_events"));
        QCOMPARE(f.ticksPerQuarter, 1);
        const auto& ev = f.tracks[0].events;
        QVERIFY(ev[0].isMeta(meta::kSequenceNumber));
        QCOMPARE(ev[0].payload, (Bytes{0, 7}));
        QVERIFY(ev[1].isMeta(meta::kChannelPrefix));
        QVERIFY(ev[2].isMeta(meta::kPort));
        for (int type = 1; type <= 15; ++type) {
            QCOMPARE(int(ev[2 + type].metaType), type);
            QCOMPARE(textOf(ev[2 + type]).value_or(""), "text " + std::to_string(type));
        }
        const auto smpte = smpteOffsetOf(ev[18]);
        QVERIFY(smpte.has_value());
        QCOMPARE(smpte->frameRateCode, 3);
        QCOMPARE(smpte->hours, 0);
        QCOMPARE(smpte->minutes, 1);
        QCOMPARE(smpte->frames, 3);
        const auto ts = timeSignatureOf(ev[19]);
        QVERIFY(ts.has_value());
        QCOMPARE(ts->numerator, 7);
        QCOMPARE(ts->denominatorPower, 3);
        const auto ks = keySignatureOf(ev[20]);
        QVERIFY(ks.has_value());
        QCOMPARE(ks->sharpsOrFlats, -3);
        QCOMPARE(ks->minor, 1);
        QVERIFY(ev[21].isMeta(meta::kSequencerSpecific));
        QCOMPARE(int(ev[22].metaType), 0x60);  // unknown: kept raw
        QCOMPARE(ev[22].payload, (Bytes{1, 2, 3}));
        QCOMPARE(tempoMicroseconds(ev[23]).value_or(0), uint32_t{400000});
        QVERIFY(!tempoMicroseconds(ev[22]).has_value());
    }

    void longHeaderUnknownChunksAndMissingEnd() {
        const MidiFile f = parseOk(sample("long_header_unknown_chunks"));
        QCOMPARE(f.format, 2);
        QCOMPARE(f.ticksPerQuarter, 960);
        QCOMPARE(f.tracks.size(), size_t{2});
        QCOMPARE(f.tracks[0].events.size(), size_t{3});  // no End-of-Track: ends at chunk end
        QVERIFY(f.tracks[0].events.back().isNoteOn());
        QCOMPARE(f.tracks[1].events.size(), size_t{3});  // what follows End-of-Track is ignored
        QVERIFY(f.tracks[1].events.back().isMeta(meta::kEndOfTrack));
    }

    void largeDeltas() {
        const MidiFile f = parseOk(sample("ppq1_large_delta"));
        QCOMPARE(f.tracks[0].events[2].tick, int64_t{1} + 0x0FFFFFFF);
        QCOMPARE(f.tracks[0].events[3].tick, int64_t{4} + 0x0FFFFFFF);
    }

    void divisions_data() {
        QTest::addColumn<int>("division");
        for (int d : {1, 96, 480, 960, 32767}) QTest::newRow(std::to_string(d).c_str()) << d;
    }
    void divisions() {
        QFETCH(int, division);
        TrackBytes t;
        t.on(0, 0, 60, 1).off(division, 0, 60).end();
        QCOMPARE(parseOk(toccata::test::smfFile(division, {t})).ticksPerQuarter, division);
    }

    void errors_data() {
        QTest::addColumn<Bytes>("bytes");
        QTest::addColumn<QString>("expected");  // "offset N: text"
        TrackBytes ok;
        ok.on(0, 0, 60, 100).end();
        auto file = [](const Bytes& trackBody) {
            return SmfBytes::withHeader(1, 1, 96).chunk("MTrk", trackBody).data;
        };
        QTest::newRow("empty") << Bytes{} << "offset 0: not a Standard MIDI File";
        QTest::newRow("garbage") << Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w',
                                          'o', 'r', 'l', 'd', '!', '!', '!'}
                                 << "offset 0: not a Standard MIDI File";
        QTest::newRow("truncated header") << Bytes{'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1}
                                          << "offset 10: the file ends inside the 'MThd' header";
        Bytes shortHeader = SmfBytes::withHeader(0, 1, 96).data;
        shortHeader[7] = 5;
        QTest::newRow("header length 5") << shortHeader << "offset 4: header chunk length 5";
        Bytes longHeader = SmfBytes::withHeader(0, 0, 96).data;
        longHeader[7] = 200;
        QTest::newRow("header length past end")
            << longHeader << "offset 4: header chunk length 200 runs past";
        QTest::newRow("format 3") << SmfBytes::withHeader(3, 0, 96).data
                                  << "offset 8: unknown SMF format 3";
        QTest::newRow("smpte") << SmfBytes::withHeader(1, 0, 0xE728).data
                               << "offset 12: SMPTE time division (25 frames/s, 40 ticks";
        QTest::newRow("division 0")
            << SmfBytes::withHeader(1, 0, 0).data << "offset 12: time division is 0";
        QTest::newRow("absurd track count") << SmfBytes::withHeader(1, 65535, 96).track(ok).data
                                            << "offset 10: the header declares 65535 tracks";
        QTest::newRow("missing track")
            << SmfBytes::withHeader(1, 2, 96).track(ok).chunk("XFIH", {}).data
            << "offset 38: the file ends after 1 of the 2 tracks";
        Bytes pastEnd = file(ok.data);
        pastEnd[21] = 0x40;  // chunk length 64 > what is left
        QTest::newRow("chunk past end")
            << pastEnd << "offset 18: chunk 'MTrk' length 64 runs past the end of the file";
        Bytes cut = file(ok.data);
        cut.resize(cut.size() - 3);
        QTest::newRow("truncated file") << cut << "offset 18: chunk 'MTrk' length 8 runs past";
        Bytes cutHeader = SmfBytes::withHeader(1, 1, 96).chunk("XFIH", {}).data;
        cutHeader.insert(cutHeader.end(), {'M', 'T', 'r', 'k', 0});
        QTest::newRow("truncated chunk header")
            << cutHeader << "offset 22: truncated chunk header (5 bytes left, 8 needed)";
        QTest::newRow("only unknown chunks")
            << SmfBytes::withHeader(1, 1, 96).chunk("XFIH", {}).data
            << "offset 22: the file ends after 0 of the 1 tracks";
        Bytes garbageId = SmfBytes::withHeader(1, 1, 96).data;
        garbageId.insert(garbageId.end(), {0x00, 0x01, 0x02, 0x03, 0, 0, 0, 0});
        QTest::newRow("garbage chunk id")
            << garbageId
            << "offset 14: expected a chunk ID such as 'MTrk', found bytes '\\x00\\x01\\x02\\x03'";
        QTest::newRow("vlq too long") << file({0x81, 0x81, 0x81, 0x81, 0x00, 0x90, 60, 100})
                                      << "offset 22: variable-length number longer than 4 bytes";
        QTest::newRow("vlq past chunk")
            << file({0x81, 0x81}) << "offset 22: a variable-length number runs past";
        QTest::newRow("data byte first")
            << file({0x00, 0x3C, 0x40})
            << "offset 23: data byte 0x3C where a status byte is needed";
        QTest::newRow("status for data")
            << file({0x00, 0x90, 0x3C, 0x90, 0x00, 0xFF, 0x2F, 0x00})
            << "offset 25: expected a data byte after status 0x90, found 0x90";
        QTest::newRow("channel message cut")
            << file({0x00, 0x90, 0x3C})
            << "offset 23: channel message 0x90 runs past the end of the track chunk";
        QTest::newRow("meta length oversized")
            << file({0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F, 'a'})
            << "offset 25: meta event length 268435455 runs past the end of the track chunk (1 "
               "bytes left)";
        QTest::newRow("meta type cut") << file({0x00, 0xFF}) << "offset 23: meta event runs past";
        QTest::newRow("sysex oversized") << file({0x00, 0xF0, 0x8F, 0x00, 0x01})
                                         << "offset 24: SysEx event length 1920 runs past";
        QTest::newRow("realtime status")
            << file({0x00, 0xF8, 0x00, 0xFF, 0x2F, 0x00})
            << "offset 23: status byte 0xF8 (a system common/real-time message) is not allowed";
        QTest::newRow("delta without event")
            << file({0x00, 0x90, 0x3C, 0x40, 0x10})
            << "offset 27: the track chunk ends after a delta time";
    }
    void errors() {
        QFETCH(Bytes, bytes);
        QFETCH(QString, expected);
        Result<MidiFile> r = SmfReader::parse(bytes, kName);
        QVERIFY(!r.ok());
        const std::string message = r.errorMessage();
        QVERIFY2(message.rfind(std::string(kName) + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    void rejectsFilesOver64MiB() {
        Bytes big = toccata::test::smfFile(96, {TrackBytes{}.end()});
        big.resize(SmfReader::kMaxFileBytes + 1, 0);
        Result<MidiFile> r = SmfReader::parse(big, kName);
        QVERIFY(!r.ok());
        QVERIFY(r.errorMessage().find("song.mid: offset 0:") == 0);
        QVERIFY(r.errorMessage().find("64 MiB") != std::string::npos);
        big.resize(SmfReader::kMaxFileBytes);  // exactly the limit: trailing bytes are ignored
        QVERIFY(SmfReader::parse(big, kName).ok());
    }

    void everyPrefixAndBitFlipIsHandled() {
        // Cheap in-test fuzzing: cut and corrupt every sample; each result is a value or an error
        // naming the file and an offset (ASan/UBSan builds catch anything worse).
        for (const auto& s : toccata::test::smfSamples()) {
            for (size_t n = 0; n < s.bytes.size(); ++n) {
                Bytes cut(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(n));
                Result<MidiFile> r = SmfReader::parse(cut, kName);
                if (!r)
                    QVERIFY2(r.errorMessage().find("song.mid: offset ") == 0,
                             r.errorMessage().c_str());
                Bytes flipped = s.bytes;
                flipped[n] ^= static_cast<uint8_t>(1u << (n % 8));
                Result<MidiFile> f = SmfReader::parse(flipped, kName);
                if (!f)
                    QVERIFY2(f.errorMessage().find("song.mid: offset ") == 0,
                             f.errorMessage().c_str());
            }
        }
    }

    void readFileNamesPath() {
        const std::string path = "/nonexistent/folder/missing.mid";
        Result<MidiFile> r = SmfReader::readFile(path);
        QVERIFY(!r.ok());
        QVERIFY(r.errorMessage().find(path) != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSmfReader)
#include "TestSmfReader.moc"
