// toccata-cli info: what is in a MIDI file (tracks, programs, drums, tempo map, metre, length).
#include <cstdio>
#include <iostream>

#include "cli/CommandSupport.h"
#include "core/Json.h"
#include "core/NoteSequenceJson.h"
#include "core/SequenceSummary.h"
#include "core/TempoMap.h"

namespace toccata::cli {

namespace {

const char* const kHelp = R"(usage: toccata-cli info --in FILE [--json]

Describes a MIDI file (or NoteSequence JSON): its tracks with name, MIDI channel, programs
(0-based GM numbers), drum flag, note count and pitch range; the tempo map; time and key
signatures; duration in seconds and bars; total note counts.

options:
  --in FILE   a .mid/.midi or .json file
  --json      print one JSON object instead of text

exit codes: 0 ok, 2 bad arguments, 3 unreadable/invalid input
)";

int run(const std::vector<std::string>& args);

const char* const kKeyNames[] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

core::JsonValue toJson(const core::NoteSequence& seq, const core::SequenceSummary& s) {
    using core::JsonValue;
    JsonValue root = JsonValue::object();
    root.set("file", seq.filename);
    root.set("title", seq.title);
    root.set("ticksPerQuarter", seq.ticksPerQuarter);
    root.set("duration", s.duration);
    root.set("bars", s.bars);
    root.set("noteCount", static_cast<int64_t>(s.noteCount));
    root.set("drumNoteCount", static_cast<int64_t>(s.drumNoteCount));
    JsonValue& tracks = root.set("tracks", JsonValue::array());
    for (const core::TrackSummary& t : s.tracks) {
        JsonValue o = JsonValue::object();
        o.set("instrument", t.instrument);
        o.set("name", t.name);
        o.set("channel", t.midiChannel);
        JsonValue& programs = o.set("programs", JsonValue::array());
        for (int p : t.programs) programs.push(p);
        o.set("isDrum", t.isDrum);
        o.set("noteCount", static_cast<int64_t>(t.noteCount));
        if (t.noteCount > 0) {
            o.set("minPitch", t.minPitch);
            o.set("maxPitch", t.maxPitch);
            o.set("startTime", t.startTime);
            o.set("endTime", t.endTime);
        }
        tracks.push(std::move(o));
    }
    root.set("tempos", core::jsonArray(seq.tempos, core::tempoToJson));
    root.set("timeSignatures", core::jsonArray(seq.timeSignatures, core::timeSignatureToJson));
    root.set("keySignatures", core::jsonArray(seq.keySignatures, [](const core::KeySignature& ks) {
                 JsonValue o = core::keySignatureToJson(ks);
                 o.set("name", std::string(kKeyNames[ks.key % 12]) +
                                   (ks.mode == core::KeySignature::kMinor ? " minor" : " major"));
                 return o;
             }));
    return root;
}

void printText(const core::NoteSequence& seq, const core::SequenceSummary& s) {
    std::cout << "file:        " << seq.filename << '\n';
    if (!seq.title.empty()) std::cout << "title:       " << seq.title << '\n';
    std::cout << "duration:    " << fmt("%.3f", s.duration) << " s, " << s.bars << " bars\n"
              << "resolution:  " << seq.ticksPerQuarter << " ticks per quarter\n"
              << "notes:       " << s.noteCount << " (" << s.drumNoteCount << " drum)\n";
    std::cout << "tempo map:  ";
    if (seq.tempos.empty()) std::cout << " 120 QPM (default)";
    const core::MeterMap meter(seq);
    for (const core::Tempo& t : seq.tempos) {
        const core::BarBeat pos = meter.barBeatAtSeconds(t.time);
        std::cout << ' ' << fmt("%.2f", t.qpm) << " QPM at " << fmt("%.3f", t.time) << " s (bar "
                  << pos.bar + 1 << ");";
    }
    std::cout << "\ntime sigs:  ";
    if (seq.timeSignatures.empty()) std::cout << " 4/4 (default)";
    for (const core::TimeSignature& ts : seq.timeSignatures)
        std::cout << ' ' << ts.numerator << '/' << ts.denominator << " at " << fmt("%.3f", ts.time)
                  << " s;";
    std::cout << "\nkey sigs:   ";
    if (seq.keySignatures.empty()) std::cout << " none";
    for (const core::KeySignature& ks : seq.keySignatures)
        std::cout << ' ' << kKeyNames[ks.key % 12]
                  << (ks.mode == core::KeySignature::kMinor ? " minor" : " major") << " at "
                  << fmt("%.3f", ks.time) << " s;";
    std::cout << "\ntracks:      " << s.tracks.size() << '\n';
    for (const core::TrackSummary& t : s.tracks) {
        std::cout << "  [" << t.instrument << "] " << (t.name.empty() ? "(unnamed)" : t.name);
        if (t.midiChannel >= 0) std::cout << "  channel " << t.midiChannel + 1;
        if (t.isDrum) {
            std::cout << "  drums";
        } else {
            std::cout << "  program";
            for (int p : t.programs) std::cout << ' ' << p;
        }
        std::cout << "  " << t.noteCount << " notes";
        if (t.noteCount > 0)
            std::cout << "  pitch " << t.minPitch << ".." << t.maxPitch << "  "
                      << fmt("%.3f", t.startTime) << "-" << fmt("%.3f", t.endTime) << " s";
        std::cout << '\n';
    }
}

}  // namespace

extern const Command kInfoCommand = {"info", "describe a MIDI file: tracks, tempo map, metre",
                                     kHelp, run};

namespace {

int run(const std::vector<std::string>& args) {
    ArgParser p({"--in"}, {"--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kInfoCommand, p, args, exitCode)) return exitCode;
    const auto in = p.value("--in");
    if (!in) return usageError("info", "--in is required");
    const auto seq = loadSequence("info", *in);
    if (!seq) return kExitInputError;
    const core::SequenceSummary summary = core::summarize(*seq);
    if (p.has("--json")) {
        std::cout << toJson(*seq, summary).dump(2) << '\n';
    } else {
        printText(*seq, summary);
    }
    return kExitOk;
}

}  // namespace

}  // namespace toccata::cli
