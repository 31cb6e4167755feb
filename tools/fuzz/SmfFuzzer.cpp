// libFuzzer target for the Standard MIDI File layer: any bytes must give a NoteSequence or an
// error naming the file and an offset; whatever parses must write and re-read consistently.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/midi/MidiConversion.h"
#include "core/midi/MidiIO.h"
#include "core/midi/SmfReader.h"
#include "core/midi/SmfWriter.h"

using namespace toccata::core;

namespace {

[[noreturn]] void failure(const char* what, const std::string& detail) {
    std::fprintf(stderr, "smf_fuzzer: %s: %s\n", what, detail.c_str());
    std::abort();
}

size_t countWithoutEnd(const MidiFile& f) {
    size_t n = 0;
    for (const MidiTrack& t : f.tracks)
        for (const MidiEvent& e : t.events) n += e.isMeta(meta::kEndOfTrack) ? 0 : 1;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    Result<NoteSequence> sequence = parseMidiBytes(bytes, "fuzz.mid");
    if (!sequence) {
        if (sequence.errorMessage().rfind("fuzz.mid: offset ", 0) != 0)
            failure("error without file name and offset", sequence.errorMessage());
        return 0;
    }

    // Raw layer: write what was read, read it again: same events (End-of-Track aside).
    Result<MidiFile> raw = SmfReader::parse(bytes, "fuzz.mid");
    if (!raw) failure("parseMidiBytes accepted what SmfReader rejected", raw.errorMessage());
    const std::vector<uint8_t> written = SmfWriter::write(raw.value());
    Result<MidiFile> reread = SmfReader::parse(written, "written.mid");
    if (!reread) failure("written file does not parse", reread.errorMessage());
    if (countWithoutEnd(reread.value()) != countWithoutEnd(raw.value()))
        failure("event count changed", "raw write/read");

    // Sequence layer: NoteSequence -> MIDI -> NoteSequence keeps every note.
    Result<NoteSequence> again = parseMidiBytes(midiBytesFromSequence(sequence.value()), "rt.mid");
    if (!again) failure("written sequence does not parse", again.errorMessage());
    if (again->notes.size() != sequence->notes.size())
        failure("note count changed", std::to_string(sequence->notes.size()) + " -> " +
                                          std::to_string(again->notes.size()));
    return 0;
}
