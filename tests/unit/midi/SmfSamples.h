// Small hand-built SMF files covering the format's features, shared by the MIDI tests and the
// fuzzer's seed corpus (tools/fuzz/SmfSeedCorpus.cpp). Standard library only.
#pragma once

#include <string>
#include <vector>

#include "SmfBuilder.h"

namespace toccata::test {

struct SmfSample {
    std::string name;
    Bytes bytes;
};

inline std::vector<SmfSample> smfSamples() {
    std::vector<SmfSample> samples;

    // Format 0, PPQ 96: running status, velocity-0 note-offs, a program change, a pedal.
    TrackBytes f0;
    f0.text(0, 0x03, "Format zero").tempo(0, 600000).ev(0, {0xC0, 5});
    f0.ev(0, {0x90, 60, 100}).ev(0, {64, 90}).ev(48, {60, 0}).ev(0, {64, 0});
    f0.ev(0, {0xB0, 64, 127}).ev(48, {0x99, 36, 110}).ev(10, {36, 0}).ev(0, {0xB0, 64, 0}).end(5);
    samples.push_back({"format0_running_status", smfFile(96, {f0}, 0)});

    // Format 1, PPQ 480: conductor track with a tempo change at beat 2, two instruments.
    TrackBytes conductor;
    conductor.text(0, 0x03, "Song title").timeSignature(0, 3, 2).keySignature(0, 2, 0);
    conductor.tempo(0, 500000).tempo(960, 250000).timeSignature(480, 6, 3).end(0);
    TrackBytes piano;
    piano.text(0, 0x03, "Piano").ev(0, {0xC0, 0}).on(0, 0, 60, 80).off(960, 0, 60);
    piano.on(0, 0, 64, 81).off(480, 0, 64).ev(0, {0xE0, 0, 0x50}).end(10);
    TrackBytes bass;
    bass.text(0, 0x03, "Bass").ev(0, {0xC1, 33}).on(240, 1, 36, 100).off(1200, 1, 36).end();
    samples.push_back({"format1_tempo_change", smfFile(480, {conductor, piano, bass})});

    // SysEx F0 and F7 (long enough for a 2-byte length), which cancel running status.
    TrackBytes sysex;
    Bytes longSysEx(200, 0x11);
    longSysEx.push_back(0xF7);
    sysex.sysEx(0, 0xF0, {0x7E, 0x7F, 0x09, 0x01, 0xF7}).sysEx(0, 0xF0, longSysEx);
    sysex.sysEx(10, 0xF0, {0x43, 0x12}).sysEx(5, 0xF7, {0x00, 0xF7});
    sysex.on(0, 2, 70, 90).sysEx(0, 0xF7, {0xF8}).ev(30, {0x92, 70, 0}).end();
    samples.push_back({"sysex_f0_f7", smfFile(960, {sysex})});

    // Overlapping notes of the same pitch, zero-length notes, a note left open.
    TrackBytes overlap;
    overlap.on(0, 0, 60, 100).on(10, 0, 60, 90).off(10, 0, 60).off(10, 0, 60);
    overlap.on(0, 0, 62, 70).off(0, 0, 62).on(5, 0, 64, 60).ev(20, {0xB0, 7, 100}).end(30);
    samples.push_back({"overlapping_notes", smfFile(96, {overlap})});

    // Every meta event type, plus an unknown one.
    TrackBytes metas;
    metas.meta(0, 0x00, {0x00, 0x07}).meta(0, 0x20, {0x03}).meta(0, 0x21, {0x01});
    for (int type = 1; type <= 15; ++type) metas.text(0, type, "text " + std::to_string(type));
    metas.meta(0, 0x54, {0x60, 0x01, 0x02, 0x03, 0x04}).timeSignature(0, 7, 3);
    metas.keySignature(0, -3, 1).meta(0, 0x7F, {0x00, 0x00, 0x41, 0x01}).meta(0, 0x60, {1, 2, 3});
    metas.tempo(0, 400000).on(0, 3, 50, 50).off(1, 3, 50).end();
    samples.push_back({"all_meta_events", smfFile(1, {metas})});

    // Header longer than 6 bytes, unknown chunks, a track without End-of-Track, format 2.
    TrackBytes noEnd;
    noEnd.on(0, 4, 72, 100).off(100, 4, 72).on(0, 4, 74, 100);
    TrackBytes second;
    second.on(7, 5, 40, 40).off(7, 5, 40).end().on(0, 5, 41, 41);  // after End-of-Track: ignored
    SmfBytes odd = SmfBytes::withHeader(2, 2, 960, {0xAB, 0xCD, 0xEF, 0x01});
    odd.chunk("XFIH", {1, 2, 3, 4, 5}).track(noEnd).chunk("junk", {}).track(second);
    samples.push_back({"long_header_unknown_chunks", odd.data});

    // PPQ 1 and 32767, large deltas.
    TrackBytes coarse;
    coarse.on(0, 0, 60, 100).off(1, 0, 60).on(0x0FFFFFFF, 0, 61, 100).off(3, 0, 61).end();
    samples.push_back({"ppq1_large_delta", smfFile(1, {coarse})});
    TrackBytes fine;
    fine.tempo(0, 1).on(0, 0, 60, 100).off(32767, 0, 60).tempo(1, 16777215).on(7, 0, 61, 1).end(9);
    samples.push_back({"ppq32767_extreme_tempi", smfFile(32767, {fine})});
    return samples;
}

}  // namespace toccata::test
