// NoteSequence <-> JSON: lossless round trips, Magenta.js (camelCase, int64 as strings) and
// Python (snake_case) input, validation errors that name the field, file read/write.
#include <QTemporaryDir>
#include <QtTest>

#include <string>

#include "CoreTestSupport.h"
#include "core/FileIO.h"
#include "core/Json.h"
#include "core/NoteSequenceJson.h"

using namespace toccata::core;
using toccata::test::qs;

Q_DECLARE_METATYPE(std::string)

namespace {

Note makeNote(int pitch, int velocity, double start, double end, int instrument = 0,
              int program = 0, bool isDrum = false, int64_t qStart = 0, int64_t qEnd = 0) {
    Note n;
    n.pitch = pitch;
    n.velocity = velocity;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    n.program = program;
    n.isDrum = isDrum;
    n.quantizedStartStep = qStart;
    n.quantizedEndStep = qEnd;
    return n;
}

/// A quantized sequence that uses every field NoteSequence has.
NoteSequence everyField() {
    NoteSequence s;
    s.filename = "song.mid";
    s.title = "Toccata \"and\" Fugue \xC3\xA9";
    s.ticksPerQuarter = 480;
    s.quantizationInfo.stepsPerQuarter = 4;
    s.notes = {
        makeNote(60, 100, 0.0, 0.5, 0, 0, false, 0, 4),
        makeNote(64, 1, 0.1, 1.0 / 3.0, 0, 4, false, 1, 3),
        makeNote(127, 127, 1e-7, 2.25, 1, 33, false, 0, 18),
        makeNote(0, 0, 0.75, 0.75, 2, 0, true, 6, 7),  // zero length, velocity 0
        makeNote(36, 90, 2.0, 2.125, 2, 0, true, 16, 17),
    };
    s.totalTime = 2.25;
    s.totalQuantizedSteps = 18;
    s.tempos = {{0.0, 120.0}, {1.0, 93.75}, {1.5, 60.000001}};
    s.timeSignatures = {{0.0, 4, 4}, {1.0, 3, 4}, {1.75, 6, 8}};
    s.keySignatures = {{0.0, 0, KeySignature::kMajor}, {1.25, 9, KeySignature::kMinor}};
    ControlChange sustainDown;
    sustainDown.time = 0.25;
    sustainDown.quantizedStep = 2;
    sustainDown.controlNumber = 64;
    sustainDown.controlValue = 127;
    ControlChange sustainUp = sustainDown;
    sustainUp.time = 0.875;
    sustainUp.quantizedStep = 7;
    sustainUp.controlValue = 0;
    ControlChange volume;
    volume.time = 0.0;
    volume.controlNumber = 7;
    volume.controlValue = 90;
    volume.instrument = 1;
    volume.program = 33;
    ControlChange drumCc;
    drumCc.time = 0.5;
    drumCc.quantizedStep = 4;
    drumCc.controlNumber = 10;
    drumCc.controlValue = 64;
    drumCc.instrument = 2;
    drumCc.isDrum = true;
    s.controlChanges = {volume, sustainDown, drumCc, sustainUp};
    PitchBend down;
    down.time = 0.3;
    down.quantizedStep = 2;
    down.bend = -8192;
    down.instrument = 1;
    down.program = 33;
    PitchBend up = down;
    up.time = 0.6;
    up.quantizedStep = 5;
    up.bend = 8191;
    s.pitchBends = {down, up};
    TextAnnotation chord;
    chord.time = 0.0;
    chord.text = "Cmaj7";
    chord.annotationType = TextAnnotation::kChordSymbol;
    TextAnnotation beat;
    beat.time = 0.5;
    beat.quantizedStep = 4;
    beat.text = "1";
    beat.annotationType = TextAnnotation::kBeat;
    TextAnnotation lyric;
    lyric.time = 1.0;
    lyric.quantizedStep = 8;
    lyric.text = "la\nla \\ \"";
    s.textAnnotations = {chord, beat, lyric};
    s.instrumentInfos = {
        {0, "Piano", 0, 1}, {1, "Bass", 1, 2}, {2, "Drums", 9, 3}, {3, "", -1, -1}};
    return s;
}

/// The value at a path like "notes[1].pitch", or nullptr when any step is missing.
const JsonValue* get(const JsonValue& root, const std::string& path) {
    const JsonValue* v = &root;
    size_t pos = 0;
    while (v && pos < path.size()) {
        if (path[pos] == '.') ++pos;
        if (path[pos] == '[') {
            const size_t close = path.find(']', pos);
            const size_t index = std::stoul(path.substr(pos + 1, close - pos - 1));
            v = (v->isArray() && index < v->items().size()) ? &v->items()[index] : nullptr;
            pos = close + 1;
        } else {
            const size_t next = path.find_first_of(".[", pos);
            const std::string key = path.substr(pos, next - pos);
            v = v->isObject() ? v->find(key) : nullptr;
            pos = next == std::string::npos ? path.size() : next;
        }
    }
    return v;
}

/// Like get(), but a missing value is a null (so a wrong writer fails the test, not crashes it).
const JsonValue& at(const JsonValue& root, const std::string& path) {
    static const JsonValue kMissing;
    const JsonValue* v = get(root, path);
    if (!v) qWarning("no value at %s", path.c_str());
    return v ? *v : kMissing;
}

Result<NoteSequence> fromText(const std::string& text) {
    auto json = JsonValue::parse(text);
    if (!json)
        return Result<NoteSequence>::failure("test JSON does not parse: " + json.errorMessage());
    return noteSequenceFromJson(*json);
}

/// The first difference between two sequences, for a readable failure message.
QString firstDifference(const NoteSequence& a, const NoteSequence& b) {
    if (a.notes != b.notes) return "notes";
    if (a.tempos != b.tempos) return "tempos";
    if (a.timeSignatures != b.timeSignatures) return "timeSignatures";
    if (a.keySignatures != b.keySignatures) return "keySignatures";
    if (a.controlChanges != b.controlChanges) return "controlChanges";
    if (a.pitchBends != b.pitchBends) return "pitchBends";
    if (a.textAnnotations != b.textAnnotations) return "textAnnotations";
    if (a.instrumentInfos != b.instrumentInfos) return "instrumentInfos";
    if (a.totalTime != b.totalTime) return "totalTime";
    if (a.totalQuantizedSteps != b.totalQuantizedSteps) return "totalQuantizedSteps";
    if (a.quantizationInfo != b.quantizationInfo) return "quantizationInfo";
    if (a.ticksPerQuarter != b.ticksPerQuarter) return "ticksPerQuarter";
    if (a.filename != b.filename) return "filename";
    if (a.title != b.title) return "title";
    return {};
}

#define TOCCATA_COMPARE_SEQUENCES(actual, expected)                            \
    do {                                                                       \
        const QString _diff = firstDifference((actual), (expected));           \
        QVERIFY2(_diff.isEmpty(), qPrintable("sequences differ in " + _diff)); \
        QVERIFY((actual) == (expected));                                       \
    } while (0)

}  // namespace

class TestNoteSequenceJson : public QObject {
    Q_OBJECT

private slots:
    void roundTripKeepsEveryField();
    void roundTripOfUnquantizedSequence();
    void roundTripOfEmptySequence();
    void writesMagentaJsFieldNames();
    void quantizedFieldsOnlyWhenQuantized();
    void readsMagentaJsStyle();
    void readsPythonSnakeCase();
    void readsEnumNamesAndNumbers();
    void readsKeyNamesAsProtobufJsonWritesThem();
    void missingFieldsTakeDefaults();
    void totalTimeIsAtLeastTheLastNoteEnd();
    void invalidValuesNameTheField_data();
    void invalidValuesNameTheField();
    void writesAndReadsFiles();
    void readErrorsNameThePath();
    void writeErrorNamesThePath();
};

void TestNoteSequenceJson::roundTripKeepsEveryField() {
    const NoteSequence original = everyField();
    // Through text, both compact and pretty.
    for (int indent : {-1, 2}) {
        const std::string text = noteSequenceToJson(original).dump(indent);
        const auto back = fromText(text);
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        TOCCATA_COMPARE_SEQUENCES(back.value(), original);
        QCOMPARE(qs(noteSequenceToJson(back.value()).dump(indent)), qs(text));
    }
}

void TestNoteSequenceJson::roundTripOfUnquantizedSequence() {
    NoteSequence s;
    s.notes = {makeNote(60, 80, 0.1, 0.2), makeNote(62, 81, 0.2, 0.30000000000000004, 1, 5),
               makeNote(38, 100, 1.0 / 7.0, 3.0 / 7.0, 9, 0, true)};
    s.totalTime = 3.0 / 7.0;
    s.tempos = {{0.0, 133.33333333333334}};
    s.instrumentInfos = {{1, "Lead", -1, -1}};
    const auto back = fromText(noteSequenceToJson(s).dump());
    QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
    TOCCATA_COMPARE_SEQUENCES(back.value(), s);
    QVERIFY(!back->isQuantized());
    QCOMPARE(back->notes[1].endTime, 0.30000000000000004);
    QCOMPARE(back->notes[2].startTime, 1.0 / 7.0);
}

void TestNoteSequenceJson::roundTripOfEmptySequence() {
    const NoteSequence empty;
    const auto back = fromText(noteSequenceToJson(empty).dump());
    QVERIFY(back.ok());
    TOCCATA_COMPARE_SEQUENCES(back.value(), empty);
    QCOMPARE(back->ticksPerQuarter, 220);
    QCOMPARE(back->totalTime, 0.0);
}

void TestNoteSequenceJson::writesMagentaJsFieldNames() {
    const JsonValue json = noteSequenceToJson(everyField());
    QVERIFY(json.isObject());
    QCOMPARE(at(json, "ticksPerQuarter").asInt(), int64_t{480});
    QCOMPARE(qs(at(json, "filename").asString()), QStringLiteral("song.mid"));
    QCOMPARE(at(json, "sequenceMetadata.title").asString(), everyField().title);
    QCOMPARE(at(json, "totalTime").asNumber(), 2.25);
    QCOMPARE(at(json, "totalQuantizedSteps").asInt(), int64_t{18});
    QCOMPARE(at(json, "quantizationInfo.stepsPerQuarter").asInt(), int64_t{4});
    QVERIFY(get(json, "quantizationInfo.stepsPerSecond") == nullptr);

    QCOMPARE(at(json, "notes").size(), size_t{5});
    QCOMPARE(at(json, "notes[1].pitch").asInt(), int64_t{64});
    QCOMPARE(at(json, "notes[1].velocity").asInt(), int64_t{1});
    QCOMPARE(at(json, "notes[1].startTime").asNumber(), 0.1);
    QCOMPARE(at(json, "notes[1].endTime").asNumber(), 1.0 / 3.0);
    QCOMPARE(at(json, "notes[1].instrument").asInt(), int64_t{0});
    QCOMPARE(at(json, "notes[1].program").asInt(), int64_t{4});
    QVERIFY(at(json, "notes[1].isDrum").isBool() && !at(json, "notes[1].isDrum").asBool());
    QCOMPARE(at(json, "notes[1].quantizedStartStep").asInt(), int64_t{1});
    QCOMPARE(at(json, "notes[1].quantizedEndStep").asInt(), int64_t{3});
    QVERIFY(at(json, "notes[4].isDrum").asBool());

    QCOMPARE(at(json, "tempos[1].time").asNumber(), 1.0);
    QCOMPARE(at(json, "tempos[1].qpm").asNumber(), 93.75);
    QCOMPARE(at(json, "timeSignatures[2].numerator").asInt(), int64_t{6});
    QCOMPARE(at(json, "timeSignatures[2].denominator").asInt(), int64_t{8});
    QCOMPARE(at(json, "keySignatures[1].key").asInt(), int64_t{9});
    QCOMPARE(at(json, "keySignatures[1].mode").asInt(), int64_t{1});
    QCOMPARE(at(json, "controlChanges[1].controlNumber").asInt(), int64_t{64});
    QCOMPARE(at(json, "controlChanges[1].controlValue").asInt(), int64_t{127});
    QCOMPARE(at(json, "controlChanges[1].quantizedStep").asInt(), int64_t{2});
    QCOMPARE(at(json, "pitchBends[0].bend").asInt(), int64_t{-8192});
    QCOMPARE(at(json, "pitchBends[0].program").asInt(), int64_t{33});
    QCOMPARE(qs(at(json, "textAnnotations[0].text").asString()), QStringLiteral("Cmaj7"));
    QCOMPARE(at(json, "textAnnotations[0].annotationType").asInt(), int64_t{1});
    QCOMPARE(at(json, "instrumentInfos").size(), size_t{4});
    QCOMPARE(qs(at(json, "instrumentInfos[2].name").asString()), QStringLiteral("Drums"));
    QCOMPARE(at(json, "instrumentInfos[2].midiChannel").asInt(), int64_t{9});
    QCOMPARE(at(json, "instrumentInfos[2].midiTrack").asInt(), int64_t{3});
    QVERIFY(get(json, "instrumentInfos[3]") != nullptr);
    QVERIFY(get(json, "instrumentInfos[3].midiChannel") == nullptr);  // -1: not from MIDI
    QVERIFY(get(json, "instrumentInfos[3].midiTrack") == nullptr);
}

void TestNoteSequenceJson::quantizedFieldsOnlyWhenQuantized() {
    NoteSequence s = everyField();
    s.quantizationInfo = {};
    for (Note& n : s.notes) n.quantizedStartStep = n.quantizedEndStep = 0;
    const JsonValue json = noteSequenceToJson(s);
    QVERIFY(get(json, "notes[0]") != nullptr);
    QVERIFY(get(json, "quantizationInfo") == nullptr);
    QVERIFY(get(json, "totalQuantizedSteps") == nullptr);
    QVERIFY(get(json, "notes[0].quantizedStartStep") == nullptr);
    QVERIFY(get(json, "controlChanges[0].quantizedStep") == nullptr);

    NoteSequence absolute;
    absolute.quantizationInfo.stepsPerSecond = 100;
    absolute.notes = {makeNote(60, 90, 0.0, 0.5, 0, 0, false, 0, 50)};
    absolute.totalTime = 0.5;
    absolute.totalQuantizedSteps = 50;
    const JsonValue abs = noteSequenceToJson(absolute);
    QCOMPARE(at(abs, "quantizationInfo.stepsPerSecond").asInt(), int64_t{100});
    QVERIFY(get(abs, "quantizationInfo.stepsPerQuarter") == nullptr);
    const auto back = noteSequenceFromJson(abs);
    QVERIFY(back.ok());
    TOCCATA_COMPARE_SEQUENCES(back.value(), absolute);
    QVERIFY(back->isAbsoluteQuantized());
}

void TestNoteSequenceJson::readsMagentaJsStyle() {
    // What Magenta.js's NoteSequence.toJSON() gives: int64 as strings, enums as names,
    // default values left out, and fields Toccata does not model.
    const auto seq = fromText(R"({
      "id": "abc",
      "notes": [
        {"pitch": 60, "velocity": 80, "startTime": 0, "endTime": 0.5,
         "quantizedStartStep": "0", "quantizedEndStep": "4"},
        {"pitch": 36, "startTime": 0.5, "endTime": 1, "instrument": 9, "isDrum": true,
         "quantizedStartStep": "4", "quantizedEndStep": "8"},
        {"pitch": 67, "velocity": 100, "endTime": 0.25, "program": 40, "instrument": 1,
         "quantizedEndStep": "2"}
      ],
      "tempos": [{"qpm": 100}],
      "timeSignatures": [{"numerator": 3, "denominator": 4}],
      "keySignatures": [{"key": 9, "mode": "MINOR"}],
      "textAnnotations": [{"time": 0.5, "quantizedStep": "4", "text": "Am",
                           "annotationType": "CHORD_SYMBOL"}],
      "quantizationInfo": {"stepsPerQuarter": 4},
      "totalQuantizedSteps": "8",
      "totalTime": 1,
      "sourceInfo": {"encodingType": "MIDI", "parser": "TONEJS_MIDI_CONVERT"},
      "partInfos": [],
      "sectionAnnotations": []
    })");
    QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
    QCOMPARE(seq->notes.size(), size_t{3});
    const Note& a = seq->notes[0];
    QCOMPARE(a.pitch, 60);
    QCOMPARE(a.velocity, 80);
    QCOMPARE(a.startTime, 0.0);
    QCOMPARE(a.endTime, 0.5);
    QCOMPARE(a.quantizedStartStep, int64_t{0});
    QCOMPARE(a.quantizedEndStep, int64_t{4});
    QCOMPARE(a.instrument, 0);
    QCOMPARE(a.program, 0);
    QCOMPARE(a.isDrum, false);
    const Note& b = seq->notes[1];
    QCOMPARE(b.velocity, 0);  // proto3 default when left out
    QCOMPARE(b.instrument, 9);
    QCOMPARE(b.isDrum, true);
    QCOMPARE(b.quantizedStartStep, int64_t{4});
    QCOMPARE(b.quantizedEndStep, int64_t{8});
    const Note& c = seq->notes[2];
    QCOMPARE(c.startTime, 0.0);
    QCOMPARE(c.program, 40);
    QCOMPARE(c.quantizedStartStep, int64_t{0});
    QCOMPARE(c.quantizedEndStep, int64_t{2});
    QCOMPARE(seq->tempos.size(), size_t{1});
    QCOMPARE(seq->tempos[0].time, 0.0);
    QCOMPARE(seq->tempos[0].qpm, 100.0);
    QCOMPARE(seq->timeSignatures.size(), size_t{1});
    QCOMPARE(seq->timeSignatures[0].numerator, 3);
    QCOMPARE(seq->timeSignatures[0].denominator, 4);
    QCOMPARE(seq->keySignatures.size(), size_t{1});
    QCOMPARE(seq->keySignatures[0].key, 9);
    QCOMPARE(seq->keySignatures[0].mode, int(KeySignature::kMinor));
    QCOMPARE(seq->textAnnotations.size(), size_t{1});
    QCOMPARE(seq->textAnnotations[0].quantizedStep, int64_t{4});
    QCOMPARE(seq->textAnnotations[0].annotationType, int(TextAnnotation::kChordSymbol));
    QCOMPARE(qs(seq->textAnnotations[0].text), QStringLiteral("Am"));
    QCOMPARE(seq->quantizationInfo.stepsPerQuarter, 4);
    QVERIFY(seq->isRelativeQuantized());
    QCOMPARE(seq->totalQuantizedSteps, int64_t{8});
    QCOMPARE(seq->totalTime, 1.0);
    QCOMPARE(seq->ticksPerQuarter, 220);
    QVERIFY(seq->instrumentInfos.empty());
    QVERIFY(seq->controlChanges.empty());
    QCOMPARE(qs(seq->filename), QString());
}

void TestNoteSequenceJson::readsPythonSnakeCase() {
    // note_seq's MessageToJson(preserving_proto_field_name=True).
    const auto seq = fromText(R"({
      "ticks_per_quarter": 480,
      "sequence_metadata": {"title": "Etude"},
      "time_signatures": [{"time": 0.0, "numerator": 6, "denominator": 8}],
      "key_signatures": [{"key": 2}],
      "tempos": [{"qpm": 90.0}],
      "notes": [{"pitch": 62, "velocity": 90, "start_time": 0.25, "end_time": 0.75,
                 "is_drum": false, "quantized_start_step": "1", "quantized_end_step": "3"},
                {"pitch": 42, "velocity": 70, "start_time": 0.5, "end_time": 0.625,
                 "is_drum": true, "instrument": 9, "quantized_start_step": "2",
                 "quantized_end_step": "3"}],
      "control_changes": [{"time": 0.5, "quantized_step": "2", "control_number": 64,
                           "control_value": 127, "is_drum": false}],
      "pitch_bends": [{"time": 0.6, "quantized_step": "2", "bend": -200, "is_drum": true}],
      "text_annotations": [{"time": 0, "text": "Dm", "annotation_type": "CHORD_SYMBOL"},
                           {"time": 1, "text": "x", "annotation_type": 2}],
      "instrument_infos": [{"instrument": 9, "name": "Drums"}],
      "quantization_info": {"steps_per_quarter": 4},
      "total_quantized_steps": "12",
      "total_time": 3.0
    })");
    QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
    QCOMPARE(seq->ticksPerQuarter, 480);
    QCOMPARE(qs(seq->title), QStringLiteral("Etude"));
    QCOMPARE(seq->timeSignatures.size(), size_t{1});
    QCOMPARE(seq->timeSignatures[0].numerator, 6);
    QCOMPARE(seq->timeSignatures[0].denominator, 8);
    QCOMPARE(seq->keySignatures.size(), size_t{1});
    QCOMPARE(seq->keySignatures[0].key, 2);
    QCOMPARE(seq->keySignatures[0].mode, int(KeySignature::kMajor));
    QCOMPARE(seq->tempos[0].qpm, 90.0);
    QCOMPARE(seq->notes.size(), size_t{2});
    QCOMPARE(seq->notes[0].pitch, 62);
    QCOMPARE(seq->notes[0].startTime, 0.25);
    QCOMPARE(seq->notes[0].endTime, 0.75);
    QCOMPARE(seq->notes[0].quantizedStartStep, int64_t{1});
    QCOMPARE(seq->notes[0].quantizedEndStep, int64_t{3});
    QCOMPARE(seq->notes[1].isDrum, true);
    QCOMPARE(seq->notes[1].instrument, 9);
    QCOMPARE(seq->controlChanges.size(), size_t{1});
    QCOMPARE(seq->controlChanges[0].controlNumber, 64);
    QCOMPARE(seq->controlChanges[0].controlValue, 127);
    QCOMPARE(seq->controlChanges[0].quantizedStep, int64_t{2});
    QCOMPARE(seq->pitchBends.size(), size_t{1});
    QCOMPARE(seq->pitchBends[0].bend, -200);
    QCOMPARE(seq->pitchBends[0].isDrum, true);
    QCOMPARE(seq->textAnnotations.size(), size_t{2});
    QCOMPARE(seq->textAnnotations[0].annotationType, int(TextAnnotation::kChordSymbol));
    QCOMPARE(seq->textAnnotations[1].annotationType, int(TextAnnotation::kBeat));
    QCOMPARE(seq->instrumentInfos.size(), size_t{1});
    QCOMPARE(qs(seq->instrumentInfos[0].name), QStringLiteral("Drums"));
    QCOMPARE(seq->instrumentInfos[0].midiChannel, -1);
    QCOMPARE(seq->quantizationInfo.stepsPerQuarter, 4);
    QCOMPARE(seq->totalQuantizedSteps, int64_t{12});
    QCOMPARE(seq->totalTime, 3.0);  // total_time is longer than the notes: kept
}

void TestNoteSequenceJson::readsEnumNamesAndNumbers() {
    const auto seq = fromText(R"({"keySignatures": [{"key": 7, "mode": "MAJOR"},
                                                    {"time": 1, "key": 4, "mode": 1},
                                                    {"time": 2, "key": 0, "mode": "MINOR"}],
                                  "textAnnotations": [{"text": "b", "annotationType": "BEAT"},
                                                      {"text": "u", "annotationType": "UNKNOWN"},
                                                      {"text": "n", "annotationType": 1}]})");
    QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
    QCOMPARE(seq->keySignatures[0].mode, int(KeySignature::kMajor));
    QCOMPARE(seq->keySignatures[0].key, 7);
    QCOMPARE(seq->keySignatures[1].mode, int(KeySignature::kMinor));
    QCOMPARE(seq->keySignatures[1].time, 1.0);
    QCOMPARE(seq->keySignatures[2].mode, int(KeySignature::kMinor));
    QCOMPARE(seq->textAnnotations[0].annotationType, int(TextAnnotation::kBeat));
    QCOMPARE(seq->textAnnotations[1].annotationType, int(TextAnnotation::kUnknown));
    QCOMPARE(seq->textAnnotations[2].annotationType, int(TextAnnotation::kChordSymbol));
}

void TestNoteSequenceJson::readsKeyNamesAsProtobufJsonWritesThem() {
    // KeySignature.key is a proto enum: Magenta.js's toJSON() and Python's MessageToJson write
    // it by name ("A", "E_FLAT"), like mode ("MINOR").
    const auto seq = fromText(R"({"keySignatures": [{"key": "A", "mode": "MINOR"},
                                                    {"time": 2, "key": "E_FLAT"}]})");
    QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
    QCOMPARE(seq->keySignatures.at(0).key, 9);
    QCOMPARE(seq->keySignatures.at(0).mode, int(KeySignature::kMinor));
    QCOMPARE(seq->keySignatures.at(1).key, 3);
}

void TestNoteSequenceJson::missingFieldsTakeDefaults() {
    const auto seq = fromText(R"({"notes": [{}], "tempos": [{}], "timeSignatures": [{}],
                                  "controlChanges": [{}], "pitchBends": [{}],
                                  "instrumentInfos": [{}], "notes_extra": 5})");
    QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
    const Note& n = seq->notes.at(0);
    QCOMPARE(n.pitch, 60);
    QCOMPARE(n.velocity, 0);
    QCOMPARE(n.startTime, 0.0);
    QCOMPARE(n.endTime, 0.0);
    QCOMPARE(n.isDrum, false);
    QCOMPARE(seq->tempos.at(0).qpm, 120.0);
    QCOMPARE(seq->timeSignatures.at(0).numerator, 4);
    QCOMPARE(seq->timeSignatures.at(0).denominator, 4);
    QCOMPARE(seq->controlChanges.at(0).controlNumber, 0);
    QCOMPARE(seq->pitchBends.at(0).bend, 0);
    QCOMPARE(seq->instrumentInfos.at(0).midiChannel, -1);
    QCOMPARE(seq->instrumentInfos.at(0).midiTrack, -1);
    QVERIFY(!seq->isQuantized());

    const auto nulls = fromText(R"({"notes": null, "tempos": null, "totalTime": null,
                                    "notes2": [{"pitch": 500}]})");
    QVERIFY(nulls.ok());
    QVERIFY(nulls->notes.empty());
    QCOMPARE(nulls->totalTime, 0.0);
}

void TestNoteSequenceJson::totalTimeIsAtLeastTheLastNoteEnd() {
    const auto shorter =
        fromText(R"({"notes": [{"pitch": 60, "startTime": 1, "endTime": 2.5}], "totalTime": 1})");
    QVERIFY(shorter.ok());
    QCOMPARE(shorter->totalTime, 2.5);
    const auto missing = fromText(R"({"notes": [{"pitch": 60, "startTime": 1, "endTime": 2.5},
                                                {"pitch": 61, "startTime": 0, "endTime": 2}]})");
    QVERIFY(missing.ok());
    QCOMPARE(missing->totalTime, 2.5);
    const auto longer =
        fromText(R"({"notes": [{"pitch": 60, "startTime": 1, "endTime": 2.5}], "totalTime": 4})");
    QVERIFY(longer.ok());
    QCOMPARE(longer->totalTime, 4.0);
}

void TestNoteSequenceJson::invalidValuesNameTheField_data() {
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("expected");
    auto row = [](const char* name, std::string json, std::string expected) {
        QTest::newRow(name) << json << expected;
    };
    row("pitch 200", R"({"notes": [{"pitch": 60}, {"pitch": 200}]})",
        "notes[1].pitch must be a whole number from 0 to 127, got 200");
    row("pitch -1", R"({"notes": [{"pitch": -1}]})", "notes[0].pitch");
    row("pitch 60.5", R"({"notes": [{"pitch": 60.5}]})", "notes[0].pitch");
    row("pitch as text", R"({"notes": [{"pitch": "sixty"}]})", "notes[0].pitch must be a number");
    row("pitch as bool", R"({"notes": [{"pitch": true}]})", "notes[0].pitch must be a number");
    row("velocity -1", R"({"notes": [{"pitch": 60, "velocity": -1}]})",
        "notes[0].velocity must be a whole number from 0 to 127, got -1");
    row("velocity 128", R"({"notes": [{"velocity": 128}]})", "notes[0].velocity");
    row("endTime before startTime",
        R"({"notes": [{"pitch": 60, "startTime": 1, "endTime": 2},
                      {"pitch": 62, "startTime": 2, "endTime": 1.5}]})",
        "notes[1].endTime is before startTime");
    row("negative startTime", R"({"notes": [{"startTime": -0.5, "endTime": 1}]})",
        "notes[0].startTime must not be negative");
    row("startTime as object", R"({"notes": [{"startTime": {}}]})", "notes[0].startTime");
    row("snake_case time named", R"({"notes": [{"start_time": "soon"}]})", "notes[0].startTime");
    row("program 128", R"({"notes": [{"program": 128}]})", "notes[0].program");
    row("isDrum as text", R"({"notes": [{"isDrum": "yes"}]})",
        "notes[0].isDrum must be true or false");
    row("quantized step text", R"({"notes": [{"quantizedStartStep": "four"}]})",
        "notes[0].quantizedStartStep");
    row("quantized step negative", R"({"notes": [{"quantizedEndStep": "-4"}]})",
        "notes[0].quantizedEndStep");
    row("notes not a list", R"({"notes": {"pitch": 60}})", "notes must be a list");
    row("note not an object", R"({"notes": [{"pitch": 60}, 61]})", "notes[1] must be an object");
    row("qpm 0", R"({"tempos": [{"time": 0, "qpm": 0}]})", "tempos[0].qpm");
    row("qpm negative", R"({"tempos": [{"qpm": 120}, {"time": 1, "qpm": -60}]})", "tempos[1].qpm");
    row("qpm as text", R"({"tempos": [{"qpm": "fast"}]})", "tempos[0].qpm");
    row("tempo time negative", R"({"tempos": [{"time": -1, "qpm": 90}]})", "tempos[0].time");
    row("denominator 0", R"({"timeSignatures": [{"numerator": 3, "denominator": 0}]})",
        "timeSignatures[0].denominator");
    row("numerator 0", R"({"timeSignatures": [{"numerator": 0}]})", "timeSignatures[0].numerator");
    row("key 12", R"({"keySignatures": [{"key": 12}]})", "keySignatures[0].key");
    row("mode name", R"({"keySignatures": [{"mode": "LOUD"}]})",
        "keySignatures[0].mode has an unknown name 'LOUD'");
    row("control value 128", R"({"controlChanges": [{"controlNumber": 64, "controlValue": 128}]})",
        "controlChanges[0].controlValue");
    row("control number -1", R"({"controlChanges": [{"controlNumber": -1}]})",
        "controlChanges[0].controlNumber");
    row("bend 8192", R"({"pitchBends": [{"bend": 8192}]})", "pitchBends[0].bend");
    row("bend -8193", R"({"pitchBends": [{"bend": -8193}]})", "pitchBends[0].bend");
    row("text not a string", R"({"textAnnotations": [{"text": 5}]})",
        "textAnnotations[0].text must be a string");
    row("midi channel 16", R"({"instrumentInfos": [{"instrument": 0, "midiChannel": 16}]})",
        "instrumentInfos[0].midiChannel");
    row("instrument name number", R"({"instrumentInfos": [{"name": 3}]})",
        "instrumentInfos[0].name must be a string");
    row("steps per quarter negative", R"({"quantizationInfo": {"stepsPerQuarter": -1}})",
        "quantizationInfo.stepsPerQuarter");
    row("ticks per quarter 0", R"({"ticksPerQuarter": 0})", "ticksPerQuarter");
    row("not an object", R"([{"pitch": 60}])", "must be a JSON object");
}

void TestNoteSequenceJson::invalidValuesNameTheField() {
    QFETCH(std::string, json);
    QFETCH(std::string, expected);
    const auto seq = fromText(json);
    QVERIFY(!seq.ok());
    TOCCATA_VERIFY_CONTAINS(seq.errorMessage(), expected);
}

void TestNoteSequenceJson::writesAndReadsFiles() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    NoteSequence original = everyField();
    original.filename.clear();
    const std::string path = dir.filePath("song.json").toStdString();
    const Status written = writeNoteSequenceJson(original, path);
    QVERIFY2(written.ok(), written.errorMessage().c_str());

    const auto bytes = readFileBytes(path);
    QVERIFY(bytes.ok());
    QVERIFY(bytes->size() > 100);
    QCOMPARE(bytes->back(), '\n');
    QVERIFY(bytes->find("\n  \"notes\": [\n") != std::string::npos);  // pretty, 2 spaces

    const auto back = readNoteSequenceJson(path);
    QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
    QCOMPARE(qs(back->filename), qs(path));  // a file without a filename gets its path
    NoteSequence expected = original;
    expected.filename = path;
    TOCCATA_COMPARE_SEQUENCES(back.value(), expected);

    // A filename stored in the file is kept.
    NoteSequence named = original;
    named.filename = "original.mid";
    QVERIFY(writeNoteSequenceJson(named, path).ok());
    const auto backNamed = readNoteSequenceJson(path);
    QVERIFY(backNamed.ok());
    QCOMPARE(qs(backNamed->filename), QStringLiteral("original.mid"));

    // Overwriting replaces the old content completely.
    QVERIFY(writeNoteSequenceJson(NoteSequence{}, path).ok());
    const auto backEmpty = readNoteSequenceJson(path);
    QVERIFY(backEmpty.ok());
    QVERIFY(backEmpty->notes.empty());
}

void TestNoteSequenceJson::readErrorsNameThePath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string missing = dir.filePath("no-such-file.json").toStdString();
    const auto notFound = readNoteSequenceJson(missing);
    QVERIFY(!notFound.ok());
    TOCCATA_VERIFY_CONTAINS(notFound.errorMessage(), missing);
    TOCCATA_VERIFY_CONTAINS(notFound.errorMessage(), "not found");

    const std::string broken = dir.filePath("broken.json").toStdString();
    QVERIFY(writeFileAtomic(broken, "{\n  \"notes\": [1,]\n}\n").ok());
    const auto syntax = readNoteSequenceJson(broken);
    QVERIFY(!syntax.ok());
    TOCCATA_VERIFY_CONTAINS(syntax.errorMessage(), broken + ": invalid JSON at line 2, column 15");

    const std::string invalid = dir.filePath("invalid.json").toStdString();
    QVERIFY(writeFileAtomic(invalid, R"({"notes": [{"pitch": 300}]})").ok());
    const auto range = readNoteSequenceJson(invalid);
    QVERIFY(!range.ok());
    TOCCATA_VERIFY_CONTAINS(range.errorMessage(), invalid + ": notes[0].pitch");

    const auto folder = readNoteSequenceJson(dir.path().toStdString());
    QVERIFY(!folder.ok());
    TOCCATA_VERIFY_CONTAINS(folder.errorMessage(), dir.path().toStdString());
}

void TestNoteSequenceJson::writeErrorNamesThePath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("missing-folder/out.json").toStdString();
    const Status status = writeNoteSequenceJson(everyField(), path);
    QVERIFY(!status.ok());
    TOCCATA_VERIFY_CONTAINS(status.errorMessage(), path);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
}

QTEST_APPLESS_MAIN(TestNoteSequenceJson)
#include "TestNoteSequenceJson.moc"
