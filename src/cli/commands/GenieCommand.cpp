// toccata-cli genie: replays an 8-button performance through a Piano Genie model and writes the
// piano notes it plays (the studio's Piano Genie panel, offline). Shares ml::PianoGenieSession
// with the studio.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/ModelArgs.h"
#include "core/Json.h"
#include "core/SequenceFile.h"
#include "ml/generation/KeyScale.h"
#include "ml/models/piano_genie/PianoGenie.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "genie";
constexpr double kDefaultDt = 0.25;

int runGenie(const std::vector<std::string>& args);

}  // namespace

extern const Command kGenieCommand = {
    kName,
    "play a button performance through a Piano Genie model (8 buttons -> 88 keys)",
    R"(usage: toccata-cli genie --model DIR|ID --buttons "0 3 5 7 ..." [--dts "0.25 0.1 ..."]
                         [--temperature T] [--seed S] [--velocity V] [--length L]
                         [--key K --scale S] [--low P] [--high P] --out X.mid [--json]

Presses the buttons one after another, as a player would on the studio's Piano Genie, and
writes the keys the model chose. Each note starts at its press and sounds until the next
press that comes later (presses with dt 0 sound together as a chord; a key chosen twice
at one instant sounds once); the last note lasts as long as the last gap. --length L gives
every note the same length instead.

model:
  --model DIR|ID       a Toccata piano_genie model folder, the tutorial's TF.js export
                       (weights_manifest.json with dec.* weights), an official Magenta.js
                       Piano Genie checkpoint folder, or the id of a known model
  --models-dir DIRS    more folders to look for model ids in (':'-separated)

performance:
  --buttons "B ..."    the buttons, 0 (lowest) .. 7 (highest), separated by spaces or commas
  --dts "S ..."        seconds from the previous press to each press, one per button
                       (default 0.25 each); the first is the time from 0 to the first press.
                       The model hears the first press as after a long pause, as after a
                       reset in the demo.
  --temperature T      0..2, default 0.25 (the demo's); 0 = always the most likely key
  --seed S             same seed, same model, same options -> same notes (default 0)
  --velocity V         1..127 (default 80)
  --length L           every note lasts L seconds (0.01..60) instead of until the next press
  --key K --scale S    only keys of the key/scale sound, e.g. --key D --scale minor (major,
                       minor, harmonic-minor, dorian, mixolydian, major-pentatonic,
                       minor-pentatonic, blues, chromatic)
  --low P --high P     only MIDI pitches P..P sound (within 21..108, the piano)
  --out FILE           .mid or .json
  --json               print a JSON summary (keys, pitches, notes) on stdout
)"
    "\n"
    "exit codes: 0 ok, 1 generation failed, 2 bad arguments, 3 unreadable model files,\n"
    "            4 output not writable, 5 model not found\n",
    runGenie,
};

namespace {

/// Splits on spaces, tabs and commas.
std::vector<std::string> tokens(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

bool parseNumber(const std::string& s, double& out) {
    try {
        size_t used = 0;
        out = std::stod(s, &used);
        return used == s.size() && std::isfinite(out);
    } catch (...) {
        return false;
    }
}

int runGenie(const std::vector<std::string>& args) {
    ArgParser parser({"--model", "--models-dir", "--buttons", "--dts", "--temperature", "--seed",
                      "--velocity", "--length", "--key", "--scale", "--low", "--high", "--out"},
                     {"--json"});
    int exitCode = kExitOk;
    if (!parseArgs(kGenieCommand, parser, args, exitCode)) return exitCode;
    if (!parser.has("--model")) return usageError(kName, "--model DIR|ID is required");
    if (!parser.has("--buttons")) return usageError(kName, "--buttons \"B B ...\" is required");
    if (!parser.has("--out")) return usageError(kName, "--out FILE is required");

    std::vector<int> buttons;
    for (const std::string& t : tokens(*parser.value("--buttons"))) {
        double b = 0;
        if (!parseNumber(t, b) || b != std::floor(b) || b < 0 || b >= ml::kPianoGenieButtons)
            return usageError(kName, "--buttons: '" + t + "' is not a button (0..7)");
        buttons.push_back(static_cast<int>(b));
    }
    if (buttons.empty()) return usageError(kName, "--buttons holds no button");
    std::vector<double> dts(buttons.size(), kDefaultDt);
    if (parser.has("--dts")) {
        const std::vector<std::string> ts = tokens(*parser.value("--dts"));
        if (ts.size() != buttons.size())
            return usageError(kName, "--dts has " + std::to_string(ts.size()) +
                                         " values but --buttons has " +
                                         std::to_string(buttons.size()) + "; give one per button");
        for (size_t i = 0; i < ts.size(); ++i)
            if (!parseNumber(ts[i], dts[i]) || dts[i] < 0 || dts[i] > 3600)
                return usageError(kName,
                                  "--dts: '" + ts[i] + "' is not a time in seconds (0..3600)");
    }
    ml::PianoGenieSampling sampling;
    if (parser.has("--temperature")) {
        const auto t = parser.doubleValue("--temperature", 0.0, 2.0);
        if (!t) return usageError(kName, parser.error());
        sampling.temperature = *t;
    }
    uint64_t seed = 0;
    if (parser.has("--seed")) {
        const auto s = parser.intValue("--seed", 0, (1LL << 62));
        if (!s) return usageError(kName, parser.error());
        seed = static_cast<uint64_t>(*s);
    }
    int velocity = 80;
    if (parser.has("--velocity")) {
        const auto v = parser.intValue("--velocity", 1, 127);
        if (!v) return usageError(kName, parser.error());
        velocity = static_cast<int>(*v);
    }
    std::optional<double> length;
    if (parser.has("--length")) {
        length = parser.doubleValue("--length", 0.01, 60.0);
        if (!length) return usageError(kName, parser.error());
    }
    const int lowest = ml::kPianoGenieLowestPitch, highest = lowest + ml::kPianoGenieKeys - 1;
    long long low = lowest, high = highest;
    if (parser.has("--low")) {
        const auto v = parser.intValue("--low", lowest, highest);
        if (!v) return usageError(kName, parser.error());
        low = *v;
    }
    if (parser.has("--high")) {
        const auto v = parser.intValue("--high", lowest, highest);
        if (!v) return usageError(kName, parser.error());
        high = *v;
    }
    if (low > high)
        return usageError(
            kName, "--low " + std::to_string(low) + " is above --high " + std::to_string(high));
    std::optional<ml::KeyScale> keyScale;
    if (parser.has("--key") || parser.has("--scale")) {
        auto key = ml::KeyScale::parse(parser.valueOr("--key", "C") + " " +
                                       parser.valueOr("--scale", "major"));
        if (!key) return usageError(kName, key.errorMessage());
        keyScale = *key;
    }
    if (keyScale || low != lowest || high != highest) {
        sampling.allowedKeys.assign(ml::kPianoGenieKeys, false);
        bool any = false;
        for (int k = 0; k < ml::kPianoGenieKeys; ++k) {
            const int pitch = k + lowest;
            const bool ok =
                pitch >= low && pitch <= high && (!keyScale || keyScale->contains(pitch));
            sampling.allowedKeys[static_cast<size_t>(k)] = ok;
            any = any || ok;
        }
        if (!any) return usageError(kName, "--key/--scale and --low/--high leave no key to play");
    }
    const std::string out = *parser.value("--out");
    if (core::sequenceFileKind(out) == core::SequenceFileKind::Unknown)
        return usageError(kName, "--out must end in .mid, .midi or .json: '" + out + "'");
    if (const std::string problem = outputProblem(out); !problem.empty())
        return commandFailure(kName, kExitOutputError, problem);

    ModelLookup lookup = resolveModel(kName, parser);
    if (lookup.exitCode != kExitOk) return lookup.exitCode;
    if (lookup.spec.family != "piano_genie")
        return commandFailure(kName, kExitUsage,
                              lookup.spec.id + " is a " + lookup.spec.family +
                                  " model; genie needs a Piano Genie model "
                                  "(see 'toccata-cli models list')");
    auto model = ml::PianoGenieModel::load(lookup.spec.folder);
    if (!model) return commandFailure(kName, kExitInputError, model.errorMessage());

    ml::PianoGenieSession session(*model, seed);
    std::vector<int> keys;
    std::vector<double> starts;
    double time = 0.0;
    for (size_t i = 0; i < buttons.size(); ++i) {
        time += dts[i];
        auto key = session.pressAfter(buttons[i],
                                      i == 0 ? ml::kPianoGenieFirstDeltaSeconds : dts[i], sampling);
        if (!key) return commandFailure(kName, kExitFailure, key.errorMessage());
        keys.push_back(*key);
        starts.push_back(time);
    }
    double lastGap = 0.5;
    for (size_t i = dts.size(); i-- > 1;)
        if (dts[i] > 0) {
            lastGap = dts[i];
            break;
        }
    core::NoteSequence seq;
    for (size_t i = 0; i < keys.size(); ++i) {
        core::Note n;
        n.pitch = keys[i] + lowest;
        n.velocity = velocity;
        n.startTime = starts[i];
        if (length) {
            n.endTime = starts[i] + *length;
        } else {
            n.endTime = starts[i] + lastGap;
            for (size_t j = i + 1; j < keys.size(); ++j)
                if (starts[j] > starts[i]) {
                    n.endTime = starts[j];
                    break;
                }
        }
        const bool repeat = std::any_of(
            seq.notes.begin(), seq.notes.end(),
            [&](const core::Note& o) { return o.pitch == n.pitch && o.startTime == n.startTime; });
        if (!repeat) seq.notes.push_back(n);  // one key pressed twice at once sounds once
    }
    seq.recomputeTotalTime();
    if (core::Status s = core::writeSequenceFile(seq, out); !s)
        return commandFailure(kName, kExitOutputError, s.errorMessage());
    if (parser.has("--json")) {
        core::JsonValue root = core::JsonValue::object();
        root.set("model", lookup.spec.id);
        root.set("modelFolder", lookup.spec.folder);
        root.set("file", out);
        root.set("notes", static_cast<int64_t>(seq.notes.size()));
        root.set("seconds", seq.totalTime);
        core::JsonValue k = core::JsonValue::array(), p = core::JsonValue::array();
        for (int key : keys) {
            k.push(key);
            p.push(key + lowest);
        }
        root.set("keys", std::move(k));
        root.set("pitches", std::move(p));
        std::cout << root.dump(2) << '\n';
    } else {
        std::cout << "Wrote " << out << ": " << seq.notes.size() << " notes, " << std::fixed
                  << std::setprecision(2) << seq.totalTime << " s\n";
    }
    return kExitOk;
}

}  // namespace
}  // namespace toccata::cli
