#include "core/NoteSequenceJson.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "core/FileIO.h"

namespace toccata::core {

namespace {

// ---- writing ---------------------------------------------------------------------------------

void setCommon(JsonValue& o, int instrument, int program, bool isDrum) {
    o.set("instrument", instrument);
    o.set("program", program);
    o.set("isDrum", isDrum);
}

JsonValue noteToJson(const Note& n, bool quantized) {
    JsonValue o = JsonValue::object();
    o.set("pitch", n.pitch);
    o.set("velocity", n.velocity);
    o.set("startTime", n.startTime);
    o.set("endTime", n.endTime);
    setCommon(o, n.instrument, n.program, n.isDrum);
    if (quantized) {
        o.set("quantizedStartStep", n.quantizedStartStep);
        o.set("quantizedEndStep", n.quantizedEndStep);
    }
    return o;
}

// ---- reading ---------------------------------------------------------------------------------

/// Reads fields of one JSON object, remembering the first problem with a path-like name.
class FieldReader {
public:
    FieldReader(const JsonValue& object, std::string path, std::string* error)
        : m_object(object), m_path(std::move(path)), m_error(error) {}

    const JsonValue* find(const char* camel, const char* snake) const {
        if (const JsonValue* v = m_object.find(camel)) return v;
        return snake ? m_object.find(snake) : nullptr;
    }

    double number(const char* camel, const char* snake, double fallback) {
        const JsonValue* v = find(camel, snake);
        if (!v || v->isNull()) return fallback;
        if (v->isNumber() && std::isfinite(v->asNumber())) return v->asNumber();
        if (v->isString()) {  // proto3 JSON writes int64 as strings
            char* end = nullptr;
            const double d = std::strtod(v->asString().c_str(), &end);
            if (!v->asString().empty() && *end == '\0' && std::isfinite(d)) return d;
        }
        fail(camel, "must be a number");
        return fallback;
    }

    int64_t integer(const char* camel, const char* snake, int64_t fallback, int64_t min,
                    int64_t max) {
        const double d = number(camel, snake, static_cast<double>(fallback));
        if (d != std::floor(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
            fail(camel, "must be a whole number from " + std::to_string(min) + " to " +
                            std::to_string(max) + ", got " + JsonValue(d).dump());
            return fallback;
        }
        return static_cast<int64_t>(d);
    }

    int small(const char* camel, const char* snake, int fallback, int min, int max) {
        return static_cast<int>(integer(camel, snake, fallback, min, max));
    }

    double time(const char* camel, const char* snake) {
        const double t = number(camel, snake, 0.0);
        if (t < 0.0) fail(camel, "must not be negative");
        return t;
    }

    bool boolean(const char* camel, const char* snake) {
        const JsonValue* v = find(camel, snake);
        if (!v || v->isNull()) return false;
        if (!v->isBool()) fail(camel, "must be true or false");
        return v->asBool();
    }

    std::string string(const char* camel, const char* snake) {
        const JsonValue* v = find(camel, snake);
        if (!v || v->isNull()) return {};
        if (!v->isString()) fail(camel, "must be a string");
        return v->asString();
    }

    void fail(const char* field, const std::string& what) {
        if (m_error->empty()) *m_error = m_path + "." + field + " " + what;
    }

private:
    const JsonValue& m_object;
    std::string m_path;
    std::string* m_error;
};

/// Calls `each(FieldReader&)` for every object in the array member `camel`/`snake`.
template <typename Fn>
void forEachObject(const JsonValue& root, const char* camel, const char* snake, std::string* error,
                   Fn each) {
    const JsonValue* list = root.find(camel);
    if (!list) list = root.find(snake);
    if (!list || list->isNull()) return;
    if (!list->isArray()) {
        if (error->empty()) *error = std::string(camel) + " must be a list";
        return;
    }
    for (size_t i = 0; i < list->items().size() && error->empty(); ++i) {
        const JsonValue& item = list->items()[i];
        const std::string path = std::string(camel) + "[" + std::to_string(i) + "]";
        if (!item.isObject()) {
            *error = path + " must be an object";
            return;
        }
        FieldReader reader(item, path, error);
        each(reader);
    }
}

/// An enum field that protobuf JSON writes by name (Magenta.js toJSON, Python MessageToJson)
/// and Toccata writes as a number: accepts both.
int enumField(FieldReader& r, const char* field,
              const std::vector<std::pair<const char*, int>>& names, int max) {
    const JsonValue* v = r.find(field, nullptr);
    if (v && v->isString()) {
        for (const auto& [name, value] : names)
            if (v->asString() == name) return value;
        r.fail(field, "has an unknown name '" + v->asString() + "'");
        return 0;
    }
    return r.small(field, nullptr, 0, 0, max);
}

// Magenta's KeySignature.Key and KeySignature.Mode enums.
const std::vector<std::pair<const char*, int>> kKeyNames = {
    {"C", 0},      {"C_SHARP", 1}, {"D_FLAT", 1},   {"D", 2},       {"D_SHARP", 3}, {"E_FLAT", 3},
    {"E", 4},      {"F", 5},       {"F_SHARP", 6},  {"G_FLAT", 6},  {"G", 7},       {"G_SHARP", 8},
    {"A_FLAT", 8}, {"A", 9},       {"A_SHARP", 10}, {"B_FLAT", 10}, {"B", 11}};
const std::vector<std::pair<const char*, int>> kModeNames = {
    {"MAJOR", 0},  {"MINOR", 1},    {"NOT_SPECIFIED", 2}, {"MIXOLYDIAN", 3},
    {"DORIAN", 4}, {"PHRYGIAN", 5}, {"LYDIAN", 6},        {"LOCRIAN", 7}};

}  // namespace

JsonValue tempoToJson(const Tempo& tempo) {
    JsonValue o = JsonValue::object();
    o.set("time", tempo.time);
    o.set("qpm", tempo.qpm);
    return o;
}

JsonValue timeSignatureToJson(const TimeSignature& signature) {
    JsonValue o = JsonValue::object();
    o.set("time", signature.time);
    o.set("numerator", signature.numerator);
    o.set("denominator", signature.denominator);
    return o;
}

JsonValue keySignatureToJson(const KeySignature& signature) {
    JsonValue o = JsonValue::object();
    o.set("time", signature.time);
    o.set("key", signature.key);
    o.set("mode", signature.mode);
    return o;
}

JsonValue noteSequenceToJson(const NoteSequence& seq) {
    JsonValue root = JsonValue::object();
    if (!seq.filename.empty()) root.set("filename", seq.filename);
    if (!seq.title.empty())
        root.set("sequenceMetadata", JsonValue::object()).set("title", seq.title);
    root.set("ticksPerQuarter", seq.ticksPerQuarter);
    root.set("timeSignatures", jsonArray(seq.timeSignatures, timeSignatureToJson));
    root.set("keySignatures", jsonArray(seq.keySignatures, keySignatureToJson));
    root.set("tempos", jsonArray(seq.tempos, tempoToJson));
    const bool quantized = seq.isQuantized();
    JsonValue& notes = root.set("notes", JsonValue::array());
    for (const Note& n : seq.notes) notes.push(noteToJson(n, quantized));
    root.set("totalTime", seq.totalTime);
    JsonValue& controls = root.set("controlChanges", JsonValue::array());
    for (const ControlChange& cc : seq.controlChanges) {
        JsonValue o = JsonValue::object();
        o.set("time", cc.time);
        if (quantized) o.set("quantizedStep", cc.quantizedStep);
        o.set("controlNumber", cc.controlNumber);
        o.set("controlValue", cc.controlValue);
        setCommon(o, cc.instrument, cc.program, cc.isDrum);
        controls.push(std::move(o));
    }
    JsonValue& bends = root.set("pitchBends", JsonValue::array());
    for (const PitchBend& pb : seq.pitchBends) {
        JsonValue o = JsonValue::object();
        o.set("time", pb.time);
        if (quantized) o.set("quantizedStep", pb.quantizedStep);
        o.set("bend", pb.bend);
        setCommon(o, pb.instrument, pb.program, pb.isDrum);
        bends.push(std::move(o));
    }
    if (!seq.textAnnotations.empty()) {
        JsonValue& texts = root.set("textAnnotations", JsonValue::array());
        for (const TextAnnotation& ta : seq.textAnnotations) {
            JsonValue o = JsonValue::object();
            o.set("time", ta.time);
            if (quantized) o.set("quantizedStep", ta.quantizedStep);
            o.set("text", ta.text);
            o.set("annotationType", ta.annotationType);
            texts.push(std::move(o));
        }
    }
    JsonValue& infos = root.set("instrumentInfos", JsonValue::array());
    for (const InstrumentInfo& info : seq.instrumentInfos) {
        JsonValue o = JsonValue::object();
        o.set("instrument", info.instrument);
        o.set("name", info.name);
        if (info.midiChannel >= 0) o.set("midiChannel", info.midiChannel);  // Toccata extension
        if (info.midiTrack >= 0) o.set("midiTrack", info.midiTrack);        // Toccata extension
        infos.push(std::move(o));
    }
    if (quantized) {
        JsonValue& q = root.set("quantizationInfo", JsonValue::object());
        if (seq.quantizationInfo.stepsPerQuarter > 0)
            q.set("stepsPerQuarter", seq.quantizationInfo.stepsPerQuarter);
        if (seq.quantizationInfo.stepsPerSecond > 0)
            q.set("stepsPerSecond", seq.quantizationInfo.stepsPerSecond);
        root.set("totalQuantizedSteps", seq.totalQuantizedSteps);
    }
    return root;
}

Result<NoteSequence> noteSequenceFromJson(const JsonValue& root) {
    if (!root.isObject())
        return Result<NoteSequence>::failure("a NoteSequence must be a JSON object");
    NoteSequence seq;
    std::string error;
    FieldReader top(root, "sequence", &error);
    seq.filename = top.string("filename", nullptr);
    if (const JsonValue* meta = top.find("sequenceMetadata", "sequence_metadata");
        meta && meta->isObject())
        seq.title = FieldReader(*meta, "sequenceMetadata", &error).string("title", nullptr);
    seq.ticksPerQuarter =
        top.small("ticksPerQuarter", "ticks_per_quarter", kDefaultTicksPerQuarter, 1, 32767);
    seq.totalQuantizedSteps =
        top.integer("totalQuantizedSteps", "total_quantized_steps", 0, 0, INT64_C(1) << 40);
    if (const JsonValue* q = top.find("quantizationInfo", "quantization_info");
        q && q->isObject()) {
        FieldReader qr(*q, "quantizationInfo", &error);
        seq.quantizationInfo.stepsPerQuarter =
            qr.small("stepsPerQuarter", "steps_per_quarter", 0, 0, 100000);
        seq.quantizationInfo.stepsPerSecond =
            qr.small("stepsPerSecond", "steps_per_second", 0, 0, 100000);
    }
    forEachObject(root, "notes", "notes", &error, [&](FieldReader& r) {
        Note n;
        n.pitch = r.small("pitch", nullptr, 60, 0, 127);
        n.velocity = r.small("velocity", nullptr, 0, 0, 127);
        n.startTime = r.time("startTime", "start_time");
        n.endTime = r.time("endTime", "end_time");
        if (n.endTime < n.startTime) r.fail("endTime", "is before startTime");
        n.instrument = r.small("instrument", nullptr, 0, 0, 1 << 20);
        n.program = r.small("program", nullptr, 0, 0, 127);
        n.isDrum = r.boolean("isDrum", "is_drum");
        n.quantizedStartStep =
            r.integer("quantizedStartStep", "quantized_start_step", 0, 0, INT64_C(1) << 40);
        n.quantizedEndStep =
            r.integer("quantizedEndStep", "quantized_end_step", 0, 0, INT64_C(1) << 40);
        seq.notes.push_back(n);
    });
    forEachObject(root, "tempos", "tempos", &error, [&](FieldReader& r) {
        Tempo t{r.time("time", nullptr), r.number("qpm", nullptr, kDefaultQpm)};
        if (!(t.qpm > 0.0 && t.qpm <= 10000.0)) r.fail("qpm", "must be between 0 and 10000");
        seq.tempos.push_back(t);
    });
    forEachObject(root, "timeSignatures", "time_signatures", &error, [&](FieldReader& r) {
        TimeSignature ts;
        ts.time = r.time("time", nullptr);
        ts.numerator = r.small("numerator", nullptr, 4, 1, 255);
        ts.denominator = r.small("denominator", nullptr, 4, 1, 1 << 16);
        seq.timeSignatures.push_back(ts);
    });
    forEachObject(root, "keySignatures", "key_signatures", &error, [&](FieldReader& r) {
        KeySignature ks;
        ks.time = r.time("time", nullptr);
        ks.key = enumField(r, "key", kKeyNames, 11);
        ks.mode = enumField(r, "mode", kModeNames, 7);
        seq.keySignatures.push_back(ks);
    });
    forEachObject(root, "controlChanges", "control_changes", &error, [&](FieldReader& r) {
        ControlChange cc;
        cc.time = r.time("time", nullptr);
        cc.quantizedStep = r.integer("quantizedStep", "quantized_step", 0, 0, INT64_C(1) << 40);
        cc.controlNumber = r.small("controlNumber", "control_number", 0, 0, 127);
        cc.controlValue = r.small("controlValue", "control_value", 0, 0, 127);
        cc.instrument = r.small("instrument", nullptr, 0, 0, 1 << 20);
        cc.program = r.small("program", nullptr, 0, 0, 127);
        cc.isDrum = r.boolean("isDrum", "is_drum");
        seq.controlChanges.push_back(cc);
    });
    forEachObject(root, "pitchBends", "pitch_bends", &error, [&](FieldReader& r) {
        PitchBend pb;
        pb.time = r.time("time", nullptr);
        pb.quantizedStep = r.integer("quantizedStep", "quantized_step", 0, 0, INT64_C(1) << 40);
        pb.bend = r.small("bend", nullptr, 0, -8192, 8191);
        pb.instrument = r.small("instrument", nullptr, 0, 0, 1 << 20);
        pb.program = r.small("program", nullptr, 0, 0, 127);
        pb.isDrum = r.boolean("isDrum", "is_drum");
        seq.pitchBends.push_back(pb);
    });
    forEachObject(root, "textAnnotations", "text_annotations", &error, [&](FieldReader& r) {
        TextAnnotation ta;
        ta.time = r.time("time", nullptr);
        ta.quantizedStep = r.integer("quantizedStep", "quantized_step", 0, 0, INT64_C(1) << 40);
        ta.text = r.string("text", nullptr);
        const JsonValue* type = r.find("annotationType", "annotation_type");
        if (type && type->isString()) {
            ta.annotationType = type->asString() == "CHORD_SYMBOL" ? TextAnnotation::kChordSymbol
                                : type->asString() == "BEAT"       ? TextAnnotation::kBeat
                                                                   : TextAnnotation::kUnknown;
        } else {
            ta.annotationType = r.small("annotationType", "annotation_type", 0, 0, 100);
        }
        seq.textAnnotations.push_back(ta);
    });
    forEachObject(root, "instrumentInfos", "instrument_infos", &error, [&](FieldReader& r) {
        InstrumentInfo info;
        info.instrument = r.small("instrument", nullptr, 0, 0, 1 << 20);
        info.name = r.string("name", nullptr);
        info.midiChannel = r.small("midiChannel", nullptr, -1, -1, 15);
        info.midiTrack = r.small("midiTrack", nullptr, -1, -1, 65535);
        seq.instrumentInfos.push_back(info);
    });
    if (!error.empty()) return Result<NoteSequence>::failure(error);
    seq.recomputeTotalTime();
    if (const JsonValue* total = top.find("totalTime", "total_time"); total && total->isNumber())
        seq.totalTime = std::max(seq.totalTime, total->asNumber());
    return seq;
}

Result<NoteSequence> readNoteSequenceJson(const std::string& path) {
    auto bytes = readFileBytes(path);
    if (!bytes) return bytes.error();
    auto json = JsonValue::parse(*bytes);
    if (!json) return Result<NoteSequence>::failure(path + ": " + json.errorMessage());
    auto seq = noteSequenceFromJson(*json);
    if (!seq) return Result<NoteSequence>::failure(path + ": " + seq.errorMessage());
    if (seq->filename.empty()) seq->filename = path;
    return seq;
}

Status writeNoteSequenceJson(const NoteSequence& sequence, const std::string& path) {
    return writeFileAtomic(path, noteSequenceToJson(sequence).dump(2) + "\n");
}

}  // namespace toccata::core
