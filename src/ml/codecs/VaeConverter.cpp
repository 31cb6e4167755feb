// VaeConverter: Magenta.js 1.23.1's MusicVAE data converters (melody, drums, trio, groove) on
// libtorch tensors. See the header and docs/design/musicvae.md §2 for the rules followed.
#include "ml/codecs/VaeConverter.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/ops/Quantization.h"

namespace toccata::ml {

namespace {

using core::JsonValue;
using core::Note;
using core::NoteSequence;

constexpr int kMelodyNoteOff = 1;
constexpr int kMelodyFirstPitch = 2;
constexpr int kMaxOneHotDrumClasses = 16;  // 2^16 output classes is already far past any model
constexpr int kMaxMidiVelocity = 127;
constexpr int kGmDrumInstrument = 9;  // Python's drum instrument (Magenta.js sets none)

const char* typeName(const VaeConverterConfig& c) {
    switch (c.type) {
        case VaeConverterType::Melody: return "MelodyConverter";
        case VaeConverterType::Drums: return c.rollOutput ? "DrumRollConverter" : "DrumsConverter";
        case VaeConverterType::Trio: return "TrioConverter";
        case VaeConverterType::Groove: return "GrooveConverter";
    }
    return "MelodyConverter";
}

std::string str(int64_t v) { return std::to_string(v); }

// --- fromMagentaJs field readers: each error names the full field path and the value.

struct ArgsReader {
    const JsonValue& args;
    std::string error;
    std::string prefix = "dataConverter.args.";  // the path of `args`, for the messages

    const JsonValue* present(const char* key) const {
        const JsonValue* v = args.find(key);
        return (v && !v->isNull()) ? v : nullptr;
    }
    bool fail(const char* key, const std::string& what, const JsonValue* v) {
        if (error.empty()) {
            error = prefix + key + " " + what + (v ? ", got " + v->dump() : std::string());
        }
        return false;
    }
    /// An integral number in [lo, hi]; absent leaves `out` alone unless `required`.
    template <typename Int>
    bool integer(const char* key, Int& out, int64_t lo, int64_t hi, bool required = false) {
        const JsonValue* v = present(key);
        if (!v) return required ? fail(key, "is missing (it is required)", nullptr) : true;
        const double d = v->isNumber() ? v->asNumber() : std::nan("");
        if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(lo) ||
            d > static_cast<double>(hi)) {
            return fail(key, "must be an integer in " + str(lo) + ".." + str(hi), v);
        }
        out = static_cast<Int>(v->isInteger() ? v->asInt() : static_cast<int64_t>(d));
        return true;
    }
    /// A nested args object (TrioConverter's melArgs, bassArgs, drumsArgs); absent is nullptr
    /// (an error too when `required`), a non-object is an error.
    const JsonValue* object(const char* key, bool required, const char* needs) {
        const JsonValue* v = present(key);
        if (!v) {
            if (required)
                fail(key, std::string("is missing (it must be an object with ") + needs + ")",
                     nullptr);
            return nullptr;
        }
        if (!v->isObject()) {
            fail(key, std::string("must be an object with ") + needs, v);
            return nullptr;
        }
        return v;
    }
    bool boolean(const char* key, bool& out) {
        const JsonValue* v = present(key);
        if (!v) return true;
        if (!v->isBool()) return fail(key, "must be true or false", v);
        out = v->asBool();
        return true;
    }
    /// A list of drum class indices (each once).
    bool classList(const char* key, std::vector<int>& out) {
        const JsonValue* v = present(key);
        if (!v) return true;
        if (!v->isArray()) return fail(key, "must be an array of drum class indices", v);
        std::vector<int> classes;
        for (const JsonValue& c : v->items()) {
            if (!c.isNumber() || std::floor(c.asNumber()) != c.asNumber() || c.asNumber() < 0 ||
                c.asNumber() > 63)
                return fail(key, "must hold drum class indices 0..63", &c);
            classes.push_back(static_cast<int>(c.asNumber()));
        }
        out = std::move(classes);
        return true;
    }
    bool pitchClasses(std::vector<std::vector<int>>& out) {
        const JsonValue* v = present("pitchClasses");
        if (!v) return true;
        if (!v->isArray() || v->items().empty())
            return fail("pitchClasses", "must be a non-empty array of pitch arrays", v);
        std::vector<std::vector<int>> classes;
        for (const JsonValue& cls : v->items()) {
            if (!cls.isArray() || cls.items().empty())
                return fail("pitchClasses", "must hold non-empty arrays of MIDI pitches", &cls);
            std::vector<int> pitches;
            for (const JsonValue& p : cls.items()) {
                if (!p.isNumber() || std::floor(p.asNumber()) != p.asNumber() || p.asNumber() < 0 ||
                    p.asNumber() > 127) {
                    return fail("pitchClasses", "must hold MIDI pitches 0..127", &p);
                }
                pitches.push_back(static_cast<int>(p.asNumber()));
            }
            classes.push_back(std::move(pitches));
        }
        out = std::move(classes);
        return true;
    }
};

JsonValue pitchClassesJson(const std::vector<std::vector<int>>& classes) {
    JsonValue out = JsonValue::array();
    for (const auto& cls : classes) {
        JsonValue pitches = JsonValue::array();
        for (int p : cls) pitches.push(p);
        out.push(std::move(pitches));
    }
    return out;
}

/// The step a note starts on, checked against the model length; `what` names the converter.
core::Status checkStart(const Note& n, int64_t numSteps, const char* what) {
    if (n.quantizedStartStep < 0) {
        return core::Status::failure(std::string(what) + ": a note (pitch " + str(n.pitch) +
                                     ") starts on negative step " + str(n.quantizedStartStep));
    }
    if (n.quantizedStartStep >= numSteps) {
        return core::Status::failure(
            std::string(what) + ": a note (pitch " + str(n.pitch) + ") starts at step " +
            str(n.quantizedStartStep) + ", past the model's " + str(numSteps) +
            " steps (steps 0.." + str(numSteps - 1) + "; split longer input into windows first)");
    }
    return {};
}

/// Error unless `sequence` is relative-quantized at the converter's steps per quarter.
core::Status checkQuantized(const NoteSequence& sequence, int stepsPerQuarter, const char* what) {
    if (!sequence.isRelativeQuantized()) {
        return core::Status::failure(
            std::string(what) + ": the sequence must be quantized relative to tempo (at " +
            str(stepsPerQuarter) + " steps per quarter); " +
            (sequence.isAbsoluteQuantized() ? "it is quantized on absolute time"
                                            : "it is not quantized"));
    }
    if (sequence.quantizationInfo.stepsPerQuarter != stepsPerQuarter) {
        // Magenta.js never checks this and silently misaligns (design doc §5 item 9).
        return core::Status::failure(std::string(what) + ": the sequence is quantized at " +
                                     str(sequence.quantizationInfo.stepsPerQuarter) +
                                     " steps per quarter but the model uses " +
                                     str(stepsPerQuarter));
    }
    return {};
}

/// Magenta.js Melody.fromNoteSequence: one event per step (0 NO_EVENT, 1 NOTE_OFF, 2 + pitch -
/// minPitch) for `notes`, sorted here by start, highest pitch first, so that ignorePolyphony
/// keeps a step's top note. Each note writes its label at the start and NOTE_OFF at the end, so
/// an earlier overlapping note's NOTE_OFF cuts a later one short, as in Magenta.js. `what`
/// names the converter (and the trio part) in the errors.
core::Result<std::vector<int>> melodyEvents(std::vector<const Note*> sorted, int minPitch,
                                            int maxPitch, bool ignorePolyphony, int64_t numSteps,
                                            const std::string& what) {
    std::stable_sort(sorted.begin(), sorted.end(), [](const Note* a, const Note* b) {
        if (a->quantizedStartStep != b->quantizedStartStep)
            return a->quantizedStartStep < b->quantizedStartStep;
        return a->pitch > b->pitch;
    });
    std::vector<int> events(static_cast<size_t>(numSteps), 0);
    int64_t lastStart = -1;
    int lastPitch = 0;
    for (const Note* n : sorted) {
        if (core::Status s = checkStart(*n, numSteps, what.c_str()); !s) return s.error();
        if (n->quantizedStartStep == lastStart) {
            if (ignorePolyphony) continue;
            return core::Error{what + ": the sequence is not monophonic: pitches " +
                               str(lastPitch) + " and " + str(n->pitch) + " both start at step " +
                               str(lastStart) + " (ignorePolyphony is off)"};
        }
        if (n->pitch < minPitch || n->pitch > maxPitch) {
            return core::Error{what + ": pitch " + str(n->pitch) + " at step " +
                               str(n->quantizedStartStep) + " is outside the model's range " +
                               str(minPitch) + ".." + str(maxPitch)};
        }
        events[static_cast<size_t>(n->quantizedStartStep)] =
            n->pitch - minPitch + kMelodyFirstPitch;
        // Magenta.js writes past the end are dropped: a note held to the end has no NOTE_OFF.
        if (n->quantizedEndStep >= 0 && n->quantizedEndStep < numSteps)
            events[static_cast<size_t>(n->quantizedEndStep)] = kMelodyNoteOff;
        lastStart = n->quantizedStartStep;
        lastPitch = n->pitch;
    }
    return events;
}

/// A decoder output as a CPU float [T, depth] tensor, or why it cannot be one.
core::Result<torch::Tensor> outputRows(const torch::Tensor& output, int64_t depth,
                                       const char* what) {
    if (!output.defined()) return core::Error{std::string(what) + ": the output tensor is empty"};
    torch::Tensor t = output;
    if (t.dim() == 3 && t.size(0) == 1) t = t.squeeze(0);
    if (t.dim() != 2 || t.size(1) != depth) {
        std::string shape;
        for (int64_t s : t.sizes()) shape += (shape.empty() ? "" : ", ") + str(s);
        return core::Error{std::string(what) + ": the output must be [steps, " + str(depth) +
                           "] (or [1, steps, " + str(depth) + "]), got [" + shape + "]"};
    }
    return t.detach().to(torch::kCPU, torch::kFloat).contiguous();
}

/// Index of the first maximum of a row (tf.argMax and torch.argmax pick the first).
int64_t argmaxRow(const float* row, int64_t depth) {
    int64_t best = 0;
    for (int64_t i = 1; i < depth; ++i) {
        if (row[i] > row[best]) best = i;
    }
    return best;
}

/// A quantized output sequence shell: Magenta.js createQuantizedNoteSequence plus the totals.
NoteSequence quantizedShell(int stepsPerQuarter, double qpm, int64_t steps) {
    NoteSequence ns;
    ns.quantizationInfo.stepsPerQuarter = stepsPerQuarter;
    ns.tempos.push_back(core::Tempo{0.0, qpm});
    ns.totalQuantizedSteps = steps;
    ns.totalTime = static_cast<double>(steps) * core::secondsPerStep(stepsPerQuarter, qpm);
    return ns;
}

}  // namespace

const std::vector<std::vector<int>>& magentaJsDrumPitchClasses() {
    static const std::vector<std::vector<int>> kClasses = {
        {36, 35},                                                      // kick
        {38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85},  // snare
        {42, 44, 54, 68, 69, 70, 71, 73, 78, 80},                      // closed hi-hat
        {46, 67, 72, 74, 79, 81},                                      // open hi-hat
        {45, 29, 41, 61, 64, 84},                                      // low tom
        {48, 47, 60, 63, 77, 86, 87},                                  // mid tom
        {50, 30, 43, 62, 76, 83},                                      // high tom
        {49, 55, 57, 58},                                              // crash
        {51, 52, 53, 59, 82},                                          // ride
    };
    return kClasses;
}

// --- VaeConverterConfig

core::Result<VaeConverterConfig> VaeConverterConfig::fromMagentaJs(const JsonValue& dataConverter) {
    using R = core::Result<VaeConverterConfig>;
    if (!dataConverter.isObject())
        return R::failure("dataConverter must be a JSON object, got " + dataConverter.dump());
    const JsonValue* type = dataConverter.find("type");
    if (!type || !type->isString()) {
        return R::failure("dataConverter.type must be a converter name string, got " +
                          (type ? type->dump() : std::string("nothing")));
    }
    VaeConverterConfig c;
    const std::string& name = type->asString();
    if (name == "MelodyConverter") {
        c.type = VaeConverterType::Melody;
    } else if (name == "DrumsConverter" || name == "DrumRollConverter") {
        c.type = VaeConverterType::Drums;
        c.rollOutput = name == "DrumRollConverter";
    } else if (name == "TrioConverter") {
        c.type = VaeConverterType::Trio;
    } else if (name == "GrooveConverter") {
        c.type = VaeConverterType::Groove;
    } else {
        return R::failure("dataConverter.type \"" + name +
                          "\" is not supported (Toccata reads MelodyConverter, DrumsConverter, "
                          "DrumRollConverter, TrioConverter and GrooveConverter)");
    }
    const JsonValue* args = dataConverter.find("args");
    if (!args || !args->isObject()) {
        return R::failure("dataConverter.args must be a JSON object, got " +
                          (args ? args->dump() : std::string("nothing")));
    }
    ArgsReader r{*args, {}};
    constexpr int64_t kMaxSteps = INT64_C(1) << 24;
    r.integer("numSteps", c.numSteps, 1, kMaxSteps, /*required=*/true);
    r.integer("numSegments", c.numSegments, 0, kMaxSteps);
    r.integer("stepsPerQuarter", c.stepsPerQuarter, 1, 1000);
    r.integer("outputVelocity", c.outputVelocity, 1, kMaxMidiVelocity);
    if (c.type == VaeConverterType::Melody) {
        // Magenta.js has no defaults for these (its depth would be NaN without them).
        r.integer("minPitch", c.minPitch, 0, 127, /*required=*/true);
        r.integer("maxPitch", c.maxPitch, 0, 127, /*required=*/true);
        r.boolean("ignorePolyphony", c.ignorePolyphony);
    } else if (c.type == VaeConverterType::Trio) {
        // Magenta.js builds a MelodyConverter from melArgs and from bassArgs and a
        // DrumsOneHotConverter from drumsArgs (their numSteps are overwritten with ours).
        c.pitchClasses = magentaJsDrumPitchClasses();
        const char* pitches = "minPitch and maxPitch";
        if (const JsonValue* mel = r.object("melArgs", /*required=*/true, pitches)) {
            ArgsReader m{*mel, {}, "dataConverter.args.melArgs."};
            m.integer("minPitch", c.minPitch, 0, 127, /*required=*/true);
            m.integer("maxPitch", c.maxPitch, 0, 127, /*required=*/true);
            m.boolean("ignorePolyphony", c.ignorePolyphony);
            if (r.error.empty()) r.error = m.error;
        }
        if (const JsonValue* bass = r.object("bassArgs", /*required=*/true, pitches)) {
            ArgsReader b{*bass, {}, "dataConverter.args.bassArgs."};
            b.integer("minPitch", c.bassMinPitch, 0, 127, /*required=*/true);
            b.integer("maxPitch", c.bassMaxPitch, 0, 127, /*required=*/true);
            b.boolean("ignorePolyphony", c.bassIgnorePolyphony);
            if (r.error.empty()) r.error = b.error;
        }
        if (const JsonValue* drums = r.object("drumsArgs", /*required=*/false, "pitchClasses")) {
            ArgsReader d{*drums, {}, "dataConverter.args.drumsArgs."};
            d.pitchClasses(c.pitchClasses);
            if (r.error.empty()) r.error = d.error;
        }
        r.integer("bassProgram", c.bassProgram, 0, 127);
    } else {
        c.pitchClasses = magentaJsDrumPitchClasses();
        r.pitchClasses(c.pitchClasses);
    }
    if (c.type == VaeConverterType::Groove) {
        r.boolean("humanize", c.humanize);
        r.boolean("tapify", c.tapify);
        r.classList("addInstruments", c.addInstruments);
        bool split = false;
        r.boolean("splitInstruments", split);
        if (split && r.error.empty()) {
            r.error =
                "dataConverter.args.splitInstruments true is not supported (Toccata's "
                "GrooveConverter writes one row per step)";
        }
    }
    if (!r.error.empty()) return R::failure(r.error);
    if (core::Status s = c.validate(); !s) return R::failure(s.errorMessage());
    return c;
}

JsonValue VaeConverterConfig::toMagentaJs() const {
    JsonValue out = JsonValue::object();
    out.set("type", typeName(*this));
    JsonValue args = JsonValue::object();
    args.set("numSteps", numSteps);
    if (numSegments > 0) args.set("numSegments", numSegments);
    if (stepsPerQuarter != core::kDefaultStepsPerQuarter)
        args.set("stepsPerQuarter", stepsPerQuarter);
    if (type == VaeConverterType::Melody) {
        args.set("minPitch", minPitch);
        args.set("maxPitch", maxPitch);
        if (!ignorePolyphony) args.set("ignorePolyphony", false);
    } else if (type == VaeConverterType::Trio) {
        auto part = [](int lo, int hi, bool ignore) {
            JsonValue o = JsonValue::object();
            o.set("minPitch", lo);
            o.set("maxPitch", hi);
            if (!ignore) o.set("ignorePolyphony", false);
            return o;
        };
        args.set("melArgs", part(minPitch, maxPitch, ignorePolyphony));
        args.set("bassArgs", part(bassMinPitch, bassMaxPitch, bassIgnorePolyphony));
        JsonValue drums = JsonValue::object();  // Magenta.js needs the object, even empty
        if (!pitchClasses.empty() && pitchClasses != magentaJsDrumPitchClasses())
            drums.set("pitchClasses", pitchClassesJson(pitchClasses));
        args.set("drumsArgs", std::move(drums));
        if (bassProgram != kTrioDefaultBassProgram) args.set("bassProgram", bassProgram);
    } else if (!pitchClasses.empty() && pitchClasses != magentaJsDrumPitchClasses()) {
        args.set("pitchClasses", pitchClassesJson(pitchClasses));
    }
    if (type == VaeConverterType::Groove) {
        if (humanize) args.set("humanize", true);
        if (tapify) args.set("tapify", true);
        if (!addInstruments.empty()) {
            JsonValue list = JsonValue::array();
            for (int cls : addInstruments) list.push(cls);
            args.set("addInstruments", std::move(list));
        }
    }
    if (outputVelocity != 80) args.set("outputVelocity", outputVelocity);
    out.set("args", std::move(args));
    return out;
}

core::Status VaeConverterConfig::validate() const {
    const std::string what = typeName(*this);
    auto fail = [&](const std::string& m) { return core::Status::failure(what + ": " + m); };
    if (numSteps < 1) return fail("numSteps must be at least 1, got " + str(numSteps));
    if (numSegments < 0) return fail("numSegments must be 0 or more, got " + str(numSegments));
    if (numSegments > 0 && numSteps % numSegments != 0) {
        return fail("numSteps " + str(numSteps) + " is not a multiple of numSegments " +
                    str(numSegments));
    }
    if (stepsPerQuarter < 1)
        return fail("stepsPerQuarter must be at least 1, got " + str(stepsPerQuarter));
    if (outputVelocity < 1 || outputVelocity > kMaxMidiVelocity)
        return fail("outputVelocity must be 1..127, got " + str(outputVelocity));
    if (rollOutput && type != VaeConverterType::Drums)
        return fail("rollOutput is only for drum converters");
    if (type == VaeConverterType::Melody) {
        if (minPitch < 0 || maxPitch > 127 || minPitch > maxPitch) {
            return fail("minPitch..maxPitch must be a range inside 0..127, got minPitch " +
                        str(minPitch) + ", maxPitch " + str(maxPitch));
        }
        return {};
    }
    if (type == VaeConverterType::Trio) {
        if (minPitch < 0 || maxPitch > 127 || minPitch > maxPitch) {
            return fail(
                "the melody part's minPitch..maxPitch must be a range inside 0..127, "
                "got minPitch " +
                str(minPitch) + ", maxPitch " + str(maxPitch));
        }
        if (bassMinPitch < 0 || bassMaxPitch > 127 || bassMinPitch > bassMaxPitch) {
            return fail(
                "the bass part's minPitch..maxPitch must be a range inside 0..127, "
                "got minPitch " +
                str(bassMinPitch) + ", maxPitch " + str(bassMaxPitch));
        }
        if (bassProgram < 0 || bassProgram > 127)
            return fail("bassProgram must be 0..127, got " + str(bassProgram));
    }
    const auto& classes = drumPitchClasses();
    const bool oneHot =
        (type == VaeConverterType::Drums && !rollOutput) || type == VaeConverterType::Trio;
    const size_t maxClasses = oneHot ? kMaxOneHotDrumClasses : 128;
    if (classes.size() > maxClasses) {
        return fail("pitchClasses has " + str(static_cast<int64_t>(classes.size())) +
                    " classes; at most " + str(static_cast<int64_t>(maxClasses)) +
                    " are supported");
    }
    for (size_t c = 0; c < classes.size(); ++c) {
        if (classes[c].empty())
            return fail("pitchClasses[" + str(static_cast<int64_t>(c)) + "] is empty");
        for (int p : classes[c]) {
            if (p < 0 || p > 127) {
                return fail("pitchClasses[" + str(static_cast<int64_t>(c)) + "] holds pitch " +
                            str(p) + ", outside 0..127");
            }
        }
    }
    for (size_t i = 0; i < addInstruments.size(); ++i) {
        const int cls = addInstruments[i];
        if (type != VaeConverterType::Groove)
            return fail("addInstruments is for GrooveConverter models");
        if (cls < 0 || cls >= static_cast<int>(classes.size()))
            return fail("addInstruments holds class " + str(cls) + ", outside 0.." +
                        str(static_cast<int64_t>(classes.size()) - 1));
        if (std::count(addInstruments.begin(), addInstruments.end(), cls) > 1)
            return fail("addInstruments names class " + str(cls) + " twice");
        if (tapify) return fail("addInstruments and tapify do not go together");
    }
    if (type == VaeConverterType::Groove && tapify &&
        static_cast<int64_t>(classes.size()) <= kGrooveTapifyClass) {
        return fail("tapify needs at least " + str(kGrooveTapifyClass + 1) +
                    " pitch classes (it writes every tap to class " + str(kGrooveTapifyClass) +
                    "), got " + str(static_cast<int64_t>(classes.size())));
    }
    return {};
}

const std::vector<std::vector<int>>& VaeConverterConfig::drumPitchClasses() const {
    return pitchClasses.empty() ? magentaJsDrumPitchClasses() : pitchClasses;
}

int64_t VaeConverterConfig::inputDepth() const {
    switch (type) {
        case VaeConverterType::Melody: return maxPitch - minPitch + 1 + kMelodyFirstPitch;
        case VaeConverterType::Drums: return numClasses() + 1;
        case VaeConverterType::Trio:
            return numClasses() <= 62 ? melodyDepth() + bassDepth() + (INT64_C(1) << numClasses())
                                      : 0;
        case VaeConverterType::Groove: return 3 * numClasses();
    }
    return 0;
}

int64_t VaeConverterConfig::outputDepth() const {
    if (type == VaeConverterType::Drums) {
        return rollOutput ? numClasses() : (numClasses() <= 62 ? INT64_C(1) << numClasses() : 0);
    }
    return inputDepth();
}

int64_t VaeConverterConfig::numBars() const {
    return stepsPerBar() > 0 ? numSteps / stepsPerBar() : 0;
}

// --- VaeConverter

VaeConverter::VaeConverter(VaeConverterConfig config)
    : m_config(std::move(config)), m_pitchToClass(128, -1) {
    if (m_config.type != VaeConverterType::Melody && m_config.pitchClasses.empty())
        m_config.pitchClasses = magentaJsDrumPitchClasses();
    // A pitch listed twice belongs to the last class, as with Magenta.js's Map.
    for (size_t c = 0; c < m_config.pitchClasses.size(); ++c) {
        for (int p : m_config.pitchClasses[c]) {
            if (p >= 0 && p < 128) m_pitchToClass[static_cast<size_t>(p)] = static_cast<int>(c);
        }
    }
}

int VaeConverter::classOf(int pitch) const {
    return (pitch >= 0 && pitch < 128) ? m_pitchToClass[static_cast<size_t>(pitch)] : -1;
}

NoteSequence quantizedWindow(const NoteSequence& sequence, int64_t firstStep, int64_t numSteps) {
    const double stepSeconds = core::secondsPerStep(
        sequence.quantizationInfo.stepsPerQuarter > 0 ? sequence.quantizationInfo.stepsPerQuarter
                                                      : 4,
        sequence.initialQpm());
    const double shift = static_cast<double>(firstStep) * stepSeconds;
    NoteSequence window = sequence;
    window.notes.clear();
    for (core::Note note : sequence.notes) {
        if (note.quantizedStartStep < firstStep || note.quantizedStartStep >= firstStep + numSteps)
            continue;
        note.quantizedStartStep -= firstStep;
        note.quantizedEndStep = std::min(note.quantizedEndStep - firstStep, numSteps);
        note.startTime -= shift;
        note.endTime -= shift;
        window.notes.push_back(note);
    }
    window.totalQuantizedSteps = numSteps;
    return window;
}

core::Result<torch::Tensor> VaeConverter::toInputTensor(const NoteSequence& sequence) const {
    if (core::Status s = m_config.validate(); !s) return s.error();
    switch (m_config.type) {
        case VaeConverterType::Melody: return melodyTensor(sequence);
        case VaeConverterType::Drums: return drumsTensor(sequence, /*input=*/true);
        case VaeConverterType::Trio: return trioTensor(sequence);
        case VaeConverterType::Groove: return grooveTensor(sequence, /*input=*/true);
    }
    return core::Error{"VaeConverter: unknown converter type"};
}

core::Result<torch::Tensor> VaeConverter::toOutputTensor(const NoteSequence& sequence) const {
    if (core::Status s = m_config.validate(); !s) return s.error();
    switch (m_config.type) {
        case VaeConverterType::Melody: return melodyTensor(sequence);
        case VaeConverterType::Drums: return drumsTensor(sequence, /*input=*/false);
        case VaeConverterType::Trio: return trioTensor(sequence);  // input == output
        case VaeConverterType::Groove: return grooveTensor(sequence, /*input=*/false);
    }
    return core::Error{"VaeConverter: unknown converter type"};
}

core::Result<torch::Tensor> VaeConverter::melodyTensor(const NoteSequence& sequence) const {
    const char* what = "MelodyConverter";
    const VaeConverterConfig& c = m_config;
    if (core::Status s = checkQuantized(sequence, c.stepsPerQuarter, what); !s) return s.error();
    // Magenta.js Melody.fromNoteSequence sorts the caller's notes in place; we sort pointers.
    std::vector<const Note*> notes;
    notes.reserve(sequence.notes.size());
    for (const Note& n : sequence.notes) notes.push_back(&n);
    auto events =
        melodyEvents(std::move(notes), c.minPitch, c.maxPitch, c.ignorePolyphony, c.numSteps, what);
    if (!events) return events.error();
    torch::Tensor out = torch::zeros({c.numSteps, c.inputDepth()}, torch::kFloat);
    auto a = out.accessor<float, 2>();
    for (int64_t s = 0; s < c.numSteps; ++s) a[s][(*events)[static_cast<size_t>(s)]] = 1.0F;
    return out;
}

core::Result<std::vector<int64_t>> VaeConverter::drumLabels(const std::vector<const Note*>& notes,
                                                            const char* what) const {
    std::vector<int64_t> labels(static_cast<size_t>(m_config.numSteps), 0);  // bit per class
    for (const Note* n : notes) {
        const int cls = classOf(n->pitch);
        if (cls < 0) continue;  // unmapped pitches are not part of the kit
        if (core::Status s = checkStart(*n, m_config.numSteps, what); !s) return s.error();
        labels[static_cast<size_t>(n->quantizedStartStep)] |= INT64_C(1) << cls;
    }
    return labels;
}

core::Result<torch::Tensor> VaeConverter::drumsTensor(const NoteSequence& sequence,
                                                      bool input) const {
    const char* what = typeName(m_config);
    const VaeConverterConfig& c = m_config;
    if (core::Status s = checkQuantized(sequence, c.stepsPerQuarter, what); !s) return s.error();
    const int64_t numClasses = c.numClasses();
    std::vector<const Note*> notes;
    notes.reserve(sequence.notes.size());
    for (const Note& n : sequence.notes) notes.push_back(&n);
    auto labelsOr = drumLabels(notes, what);
    if (!labelsOr) return labelsOr.error();
    const std::vector<int64_t>& labels = *labelsOr;
    const bool roll = input || c.rollOutput;
    const int64_t depth = input ? c.inputDepth() : c.outputDepth();
    torch::Tensor out = torch::zeros({c.numSteps, depth}, torch::kFloat);
    auto a = out.accessor<float, 2>();
    for (int64_t s = 0; s < c.numSteps; ++s) {
        const int64_t label = labels[static_cast<size_t>(s)];
        if (!roll) {
            a[s][label] = 1.0F;
            continue;
        }
        for (int64_t k = 0; k < numClasses; ++k) {
            if ((label >> k) & 1) a[s][k] = 1.0F;
        }
        // Python's "no hit" column (Magenta.js's lands one step early, design doc §2.2).
        if (input && label == 0) a[s][numClasses] = 1.0F;
    }
    return out;
}

core::Result<torch::Tensor> VaeConverter::trioTensor(const NoteSequence& sequence) const {
    const char* what = "TrioConverter";
    const VaeConverterConfig& c = m_config;
    if (core::Status s = checkQuantized(sequence, c.stepsPerQuarter, what); !s) return s.error();
    // Magenta.js TrioConverter.toTensor: melody = non-drum programs 0-31, bass = non-drum
    // 32-39, drums = isDrum; any other non-drum program belongs to no part and is dropped.
    std::vector<const Note*> melody, bass, drums;
    for (const Note& n : sequence.notes) {
        if (n.isDrum) {
            drums.push_back(&n);
        } else if (n.program >= 0 && n.program <= kTrioMelodyMaxProgram) {
            melody.push_back(&n);
        } else if (n.program >= kTrioBassMinProgram && n.program <= kTrioBassMaxProgram) {
            bass.push_back(&n);
        }
    }
    auto melEvents = melodyEvents(std::move(melody), c.minPitch, c.maxPitch, c.ignorePolyphony,
                                  c.numSteps, "TrioConverter melody part");
    if (!melEvents) return melEvents.error();
    auto bassEvents = melodyEvents(std::move(bass), c.bassMinPitch, c.bassMaxPitch,
                                   c.bassIgnorePolyphony, c.numSteps, "TrioConverter bass part");
    if (!bassEvents) return bassEvents.error();
    // The drum part is Magenta.js's DrumsOneHotConverter label, with two of its bugs fixed
    // (as Python's DrumsConverter does it): Magenta.js ADDS 2^class per note, so two pitches of
    // one class on a step (36 and 35, two kicks) carry into the next class's bit, and an
    // unmapped pitch adds 2^undefined = NaN, which the int32 tensor reads as 0 and so wipes
    // every hit of that step. We set each class bit once and skip unmapped pitches. The rows
    // differ from Magenta.js's only on such steps (the fixture's `quirks` show both).
    auto labels = drumLabels(drums, "TrioConverter drum part");
    if (!labels) return labels.error();
    const int64_t melDepth = c.melodyDepth(), bassDepth = c.bassDepth();
    torch::Tensor out = torch::zeros({c.numSteps, c.inputDepth()}, torch::kFloat);
    auto a = out.accessor<float, 2>();
    for (int64_t s = 0; s < c.numSteps; ++s) {
        const auto i = static_cast<size_t>(s);
        a[s][(*melEvents)[i]] = 1.0F;
        a[s][melDepth + (*bassEvents)[i]] = 1.0F;
        a[s][melDepth + bassDepth + (*labels)[i]] = 1.0F;
    }
    return out;
}

core::Result<torch::Tensor> VaeConverter::grooveTensor(const NoteSequence& sequence,
                                                       bool input) const {
    const char* what = "GrooveConverter";
    const VaeConverterConfig& c = m_config;
    NoteSequence quantizedCopy;
    const NoteSequence* qns = &sequence;
    if (!sequence.isQuantized()) {
        auto q = core::quantizeNoteSequence(sequence, c.stepsPerQuarter);
        if (!q) return core::Error{std::string(what) + ": " + q.errorMessage()};
        quantizedCopy = std::move(*q);
        qns = &quantizedCopy;
    } else if (core::Status s = checkQuantized(sequence, c.stepsPerQuarter, what); !s) {
        return s.error();
    }
    const double qpm = qns->tempos.empty() ? core::kDefaultQpm : qns->tempos[0].qpm;
    if (!(qpm > 0.0) || !std::isfinite(qpm))
        return core::Error{std::string(what) + ": the first tempo must be positive, got " +
                           std::to_string(qpm) + " qpm"};
    const double stepLength = (60.0 / qpm) / c.stepsPerQuarter;
    const int64_t numClasses = c.numClasses();
    const bool tapify = input && c.tapify;

    // Per (step, class) the loudest note; the first one wins a tie (Magenta.js's `<`).
    std::vector<int64_t> chosen(static_cast<size_t>(c.numSteps * numClasses), -1);
    for (size_t i = 0; i < qns->notes.size(); ++i) {
        const Note& n = qns->notes[i];
        const int cls = tapify ? kGrooveTapifyClass : classOf(n.pitch);
        if (cls < 0) continue;
        // add-instrument models see the beat without the parts they are to add.
        if (input && std::find(c.addInstruments.begin(), c.addInstruments.end(), cls) !=
                         c.addInstruments.end())
            continue;
        if (core::Status s = checkStart(n, c.numSteps, what); !s) return s.error();
        int64_t& slot = chosen[static_cast<size_t>(n.quantizedStartStep * numClasses + cls)];
        if (slot < 0 || qns->notes[static_cast<size_t>(slot)].velocity < n.velocity)
            slot = static_cast<int64_t>(i);
    }
    const bool zeroVelocity = input && (c.humanize || c.tapify);
    const bool zeroOffset = input && c.humanize;
    torch::Tensor out = torch::zeros({c.numSteps, 3 * numClasses}, torch::kFloat);
    auto a = out.accessor<float, 2>();
    for (int64_t s = 0; s < c.numSteps; ++s) {
        for (int64_t d = 0; d < numClasses; ++d) {
            const int64_t slot = chosen[static_cast<size_t>(s * numClasses + d)];
            if (slot < 0) continue;
            const Note& n = qns->notes[static_cast<size_t>(slot)];
            a[s][d] = 1.0F;
            if (!zeroVelocity)
                a[s][numClasses + d] = static_cast<float>(n.velocity / double(kMaxMidiVelocity));
            if (!zeroOffset) {
                // Positive when the note is early: 2 * (grid time - played time) / step.
                const double qOnset = static_cast<double>(n.quantizedStartStep) * stepLength;
                a[s][2 * numClasses + d] =
                    static_cast<float>(2.0 * (qOnset - n.startTime) / stepLength);
            }
        }
    }
    return out;
}

NoteSequence VaeConverter::toNoteSequence(const torch::Tensor& output, double qpm) const {
    auto decoded = decode(output, qpm);
    return decoded ? std::move(*decoded) : NoteSequence{};
}

core::Result<NoteSequence> VaeConverter::decode(const torch::Tensor& output, double qpm) const {
    const VaeConverterConfig& c = m_config;
    const char* what = typeName(c);
    if (core::Status s = c.validate(); !s) return s.error();
    if (!(qpm > 0.0) || !std::isfinite(qpm))
        return core::Error{std::string(what) + ": qpm must be positive, got " +
                           std::to_string(qpm)};
    auto rowsOr = outputRows(output, c.outputDepth(), what);
    if (!rowsOr) return rowsOr.error();
    const torch::Tensor rows = std::move(*rowsOr);
    const int64_t steps = rows.size(0);
    const int64_t depth = rows.size(1);
    const float* data = rows.data_ptr<float>();
    const double stepSeconds = core::secondsPerStep(c.stepsPerQuarter, qpm);
    const auto& classes = c.drumPitchClasses();
    const int64_t numClasses = c.numClasses();

    auto quantizedNote = [&](int pitch, int64_t start, int64_t end, bool drum) {
        Note n;
        n.pitch = pitch;
        n.velocity = c.outputVelocity;
        n.quantizedStartStep = start;
        n.quantizedEndStep = end;
        n.startTime = static_cast<double>(start) * stepSeconds;
        n.endTime = static_cast<double>(end) * stepSeconds;
        n.isDrum = drum;
        n.instrument = drum ? kGmDrumInstrument : 0;
        return n;
    };

    // Magenta.js Melody.toNoteSequence on the columns [offset, offset + width) of each row: a
    // note-on closes the open note, NOTE_OFF closes it, the end of the sequence closes it.
    auto melodyPart = [&](NoteSequence& ns, int64_t offset, int64_t width, int lowestPitch,
                          int instrument, int program) {
        int openPitch = -1;
        int64_t openStart = 0;
        auto close = [&](int64_t at) {
            if (openPitch >= 0) {
                Note n = quantizedNote(openPitch, openStart, at, false);
                n.instrument = instrument;
                n.program = program;
                ns.notes.push_back(n);
            }
            openPitch = -1;
        };
        for (int64_t s = 0; s < steps; ++s) {
            const int64_t label = argmaxRow(data + s * depth + offset, width);
            if (label == 0) continue;
            close(s);
            if (label >= kMelodyFirstPitch) {
                openPitch = static_cast<int>(label - kMelodyFirstPitch) + lowestPitch;
                openStart = s;
            }
        }
        close(steps);
    };
    // Drums on the columns [offset, offset + width): a one-hot of sum 2^class, or a roll.
    auto drumPart = [&](NoteSequence& ns, int64_t offset, int64_t width, bool roll) {
        for (int64_t s = 0; s < steps; ++s) {
            const float* row = data + s * depth + offset;
            const int64_t label = roll ? 0 : argmaxRow(row, width);  // sum of 2^class
            for (int64_t k = 0; k < numClasses; ++k) {
                const bool hit = roll ? row[k] > 0.5F : ((label >> k) & 1) != 0;
                if (hit) {
                    ns.notes.push_back(
                        quantizedNote(classes[static_cast<size_t>(k)][0], s, s + 1, true));
                }
            }
        }
    };

    if (c.type == VaeConverterType::Melody) {
        NoteSequence ns = quantizedShell(c.stepsPerQuarter, qpm, steps);
        melodyPart(ns, 0, depth, c.minPitch, 0, 0);
        return ns;
    }

    if (c.type == VaeConverterType::Drums) {
        NoteSequence ns = quantizedShell(c.stepsPerQuarter, qpm, steps);
        drumPart(ns, 0, depth, c.rollOutput);
        return ns;
    }

    if (c.type == VaeConverterType::Trio) {
        // Magenta.js TrioConverter.toNoteSequence: melody, then bass, then drums. Bass gets
        // bassProgram (Python's 33 by default; Magenta.js 32) and drums instrument 9 (Python;
        // Magenta.js 2), so that a MIDI file puts them on the drum channel.
        NoteSequence ns = quantizedShell(c.stepsPerQuarter, qpm, steps);
        const int64_t melDepth = c.melodyDepth(), bassDepth = c.bassDepth();
        melodyPart(ns, 0, melDepth, c.minPitch, 0, 0);
        melodyPart(ns, melDepth, bassDepth, c.bassMinPitch, 1, c.bassProgram);
        drumPart(ns, melDepth + bassDepth, depth - melDepth - bassDepth, false);
        return ns;
    }

    // Groove: unquantized, the micro-timing lives in the times.
    NoteSequence ns;
    ns.tempos.push_back(core::Tempo{0.0, qpm});
    ns.totalTime = static_cast<double>(steps) * stepSeconds;
    for (int64_t s = 0; s < steps; ++s) {
        const float* row = data + s * depth;
        for (int64_t d = 0; d < numClasses; ++d) {
            if (!(row[d] > 0.5F)) continue;
            // Math.round rounds half up; Magenta.js allows velocity 0, which MIDI cannot play.
            const double v =
                std::floor(static_cast<double>(row[numClasses + d]) * kMaxMidiVelocity + 0.5);
            const double offset =
                std::clamp(static_cast<double>(row[2 * numClasses + d]) / 2.0, -0.5, 0.5);
            Note n;
            n.pitch = classes[static_cast<size_t>(d)][0];
            n.velocity = static_cast<int>(std::clamp(v, 1.0, double(kMaxMidiVelocity)));
            n.startTime = (static_cast<double>(s) - offset) * stepSeconds;
            n.endTime = (static_cast<double>(s) - offset + 1.0) * stepSeconds;
            n.isDrum = true;
            n.instrument = kGmDrumInstrument;
            ns.notes.push_back(n);
        }
    }
    return ns;
}

}  // namespace toccata::ml
