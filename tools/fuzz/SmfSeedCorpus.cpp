// smf_seed_corpus DIR: writes the hand-built SMF test files (tests/unit/midi/SmfSamples.h) and
// a written NoteSequence into DIR, as the seed corpus for smf_fuzzer.
#include <cstdio>
#include <fstream>
#include <string>

#include "SmfSamples.h"
#include "core/midi/MidiIO.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: smf_seed_corpus DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    auto save = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
        std::ofstream out(dir + "/" + name + ".mid", std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
        return static_cast<bool>(out);
    };
    int written = 0;
    for (const auto& sample : toccata::test::smfSamples()) {
        if (!save(sample.name, sample.bytes)) {
            std::fprintf(stderr, "smf_seed_corpus: cannot write into %s\n", dir.c_str());
            return 1;
        }
        ++written;
    }
    toccata::core::NoteSequence s;
    s.title = "seed";
    s.tempos = {{0.0, 100.0}, {2.0, 140.0}};
    s.timeSignatures = {{0.0, 3, 4}};
    s.keySignatures = {{0.0, 9, 1}};
    s.notes = {
        {60, 90, 0.0, 0.5, 0, 0}, {60, 80, 0.25, 0.75, 0, 1}, {36, 100, 0.0, 0.1, 1, 0, true}};
    s.controlChanges = {{0.1, 0, 64, 127, 0, 0}};
    s.pitchBends = {{0.2, 0, -100, 0, 0}};
    if (save("written_sequence", toccata::core::midiBytesFromSequence(s))) ++written;
    std::printf("smf_seed_corpus: %d files in %s\n", written, dir.c_str());
    return 0;
}
