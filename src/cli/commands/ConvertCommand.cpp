// toccata-cli convert: MIDI <-> NoteSequence JSON (Magenta.js INoteSequence field names).
#include <iostream>

#include "cli/CommandSupport.h"
#include "core/SequenceFile.h"
#include "core/ops/Quantization.h"

namespace toccata::cli {

namespace {

const char* const kHelp =
    R"(usage: toccata-cli convert --in FILE --out FILE [--quantize STEPS] [--ppq TICKS]

Converts between Standard MIDI Files and NoteSequence JSON. The direction follows the file
extensions: .mid/.midi for MIDI, .json for NoteSequence JSON (the field names and units of
Magenta's NoteSequence as Magenta.js writes it: notes with pitch, velocity, startTime, endTime,
instrument, program, isDrum; tempos, timeSignatures, keySignatures, controlChanges, pitchBends,
totalTime). MIDI -> MIDI and JSON -> JSON work too (e.g. to re-time or quantize).

options:
  --in FILE          input .mid/.midi or .json
  --out FILE         output .mid/.midi or .json (written atomically)
  --quantize STEPS   quantize to STEPS per quarter note with Magenta's rules (adds
                     quantizedStartStep/EndStep, quantizationInfo, totalQuantizedSteps);
                     needs a single tempo and time signature
  --ppq TICKS        ticks per quarter note when writing MIDI (default: the input's, or 220)

exit codes: 0 ok, 2 bad arguments, 3 unreadable/invalid input, 4 cannot write output,
            1 quantization impossible (e.g. tempo changes)
)";

int run(const std::vector<std::string>& args);

}  // namespace

extern const Command kConvertCommand = {"convert", "MIDI <-> NoteSequence JSON", kHelp, run};

namespace {

int run(const std::vector<std::string>& args) {
    ArgParser p({"--in", "--out", "--quantize", "--ppq"}, {});
    int exitCode = kExitOk;
    if (!parseArgs(kConvertCommand, p, args, exitCode)) return exitCode;
    const auto in = p.value("--in");
    const auto out = p.value("--out");
    if (!in || !out) return usageError("convert", "--in and --out are required");
    if (core::sequenceFileKind(*out) == core::SequenceFileKind::Unknown)
        return usageError("convert",
                          "--out " + *out + ": unknown file type (expected .mid, .midi or .json)");
    const auto steps = p.intValue("--quantize", 1, 960);
    const auto ppq = p.intValue("--ppq", 1, 32767);
    if (!p.error().empty()) return usageError("convert", p.error());

    auto seq = loadSequence("convert", *in);
    if (!seq) return kExitInputError;
    if (steps) {
        auto quantized = core::quantizeNoteSequence(*seq, static_cast<int>(*steps));
        if (!quantized) {
            std::cerr << "toccata-cli convert: cannot quantize " << *in << ": "
                      << quantized.errorMessage() << '\n';
            return kExitFailure;
        }
        seq = std::move(quantized).value();
    }
    if (ppq) seq->ticksPerQuarter = static_cast<int>(*ppq);

    const core::Status written = core::writeSequenceFile(*seq, *out);
    if (!written) {
        std::cerr << "toccata-cli convert: " << written.errorMessage() << '\n';
        return kExitOutputError;
    }
    std::cout << "wrote " << *out << " (" << seq->notes.size() << " notes)\n";
    return kExitOk;
}

}  // namespace

}  // namespace toccata::cli
