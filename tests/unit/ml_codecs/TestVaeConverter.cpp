// MusicVAE / GrooVAE data converters (ml/codecs/VaeConverter): the encoder rows and decoded
// sequences Magenta.js 1.23.1 produced for tests/data/parity/music_vae (tools/parity/
// music_vae_fixtures.js), plus hand-worked cases for the rules of docs/design/musicvae.md §2:
// polyphony and overlaps, the Python "no hit" column, unmapped drums, groove offsets,
// humanize/tapify, velocity rounding, the trio parts (and the two Magenta.js trio drum bugs we do
// not copy) and the config errors.
// libtorch first: Qt's `slots` macro would break its headers.
#include "unit/ml/MlTestSupport.h"

#include "core/NoteSequenceJson.h"
#include "core/ops/Quantization.h"
#include "ml/codecs/VaeConverter.h"

#include <QtTest>

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace toccata;
using namespace toccata::ml;
using core::JsonValue;
using core::Note;
using core::NoteSequence;

namespace {

constexpr double kStep = 0.125;  // seconds per step at 120 qpm, 4 steps per quarter

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

JsonValue fixture(const std::string& name) {
    return test::readJsonFile(test::musicVaeFixture(name) + "/expected.json");
}

VaeConverter converterOf(const JsonValue& expected) {
    auto config =
        VaeConverterConfig::fromMagentaJs(*expected.find("config")->find("dataConverter"));
    if (!config) qFatal("fixture config: %s", config.errorMessage().c_str());
    return VaeConverter(*config);
}

/// A fixture input as the generator built it: quantized at 4 spq, 120 qpm, times on the grid
/// (the recorded JSON keeps only pitch, steps, velocity and isDrum).
NoteSequence fixtureSequence(const JsonValue& json) {
    auto parsed = core::noteSequenceFromJson(json);
    if (!parsed) qFatal("fixture sequence: %s", parsed.errorMessage().c_str());
    NoteSequence ns = *parsed;
    ns.quantizationInfo.stepsPerQuarter = 4;
    ns.tempos = {core::Tempo{0.0, 120.0}};
    for (Note& n : ns.notes) {
        n.startTime = static_cast<double>(n.quantizedStartStep) * kStep;
        n.endTime = static_cast<double>(n.quantizedEndStep) * kStep;
    }
    return ns;
}

/// Sparse rows ([[index, value], ...] per step) as a dense [steps, depth] tensor.
torch::Tensor denseRows(const JsonValue& rows, int64_t depth) {
    const auto steps = static_cast<int64_t>(rows.items().size());
    torch::Tensor t = torch::zeros({steps, depth}, torch::kFloat);
    auto a = t.accessor<float, 2>();
    for (int64_t s = 0; s < steps; ++s) {
        for (const JsonValue& entry : rows.items()[static_cast<size_t>(s)].items()) {
            a[s][entry.items()[0].asInt()] = static_cast<float>(entry.items()[1].asNumber());
        }
    }
    return t;
}

NoteSequence quantizedSequence(const std::vector<Note>& notes, int spq = 4) {
    NoteSequence ns;
    ns.quantizationInfo.stepsPerQuarter = spq;
    ns.tempos = {core::Tempo{0.0, 120.0}};
    ns.notes = notes;
    return ns;
}

Note qnote(int pitch, int64_t start, int64_t end, int velocity = 100, bool drum = false) {
    Note n;
    n.pitch = pitch;
    n.velocity = velocity;
    n.quantizedStartStep = start;
    n.quantizedEndStep = end;
    n.startTime = static_cast<double>(start) * kStep;
    n.endTime = static_cast<double>(end) * kStep;
    n.isDrum = drum;
    return n;
}

/// (pitch, start step, end step) of each note, in order.
std::vector<std::vector<int64_t>> stepTriples(const NoteSequence& ns) {
    std::vector<std::vector<int64_t>> out;
    for (const Note& n : ns.notes)
        out.push_back({n.pitch, n.quantizedStartStep, n.quantizedEndStep});
    return out;
}

std::vector<std::vector<int64_t>> stepTriples(const JsonValue& sequenceJson) {
    std::vector<std::vector<int64_t>> out;
    for (const JsonValue& n : sequenceJson.find("notes")->items()) {
        out.push_back({n.find("pitch")->asInt(), n.find("quantizedStartStep")->asInt(),
                       n.find("quantizedEndStep")->asInt()});
    }
    return out;
}

/// Index of the single hot entry of a one-hot row, -1 for none, -2 for several.
int64_t hotIndex(const torch::Tensor& row) {
    int64_t found = -1;
    for (int64_t i = 0; i < row.size(0); ++i) {
        if (row[i].item<float>() != 0.0F) {
            if (found >= 0) return -2;
            found = i;
        }
    }
    return found;
}

VaeConverterConfig melodyConfig(int minPitch = 48, int maxPitch = 83) {
    VaeConverterConfig c;
    c.type = VaeConverterType::Melody;
    c.minPitch = minPitch;
    c.maxPitch = maxPitch;
    return c;
}

VaeConverterConfig drumsConfig() {
    VaeConverterConfig c;
    c.type = VaeConverterType::Drums;
    return c;
}

VaeConverterConfig grooveConfig(bool humanize = false, bool tapify = false) {
    VaeConverterConfig c;
    c.type = VaeConverterType::Groove;
    c.humanize = humanize;
    c.tapify = tapify;
    return c;
}

core::Result<VaeConverterConfig> configFromText(const std::string& text) {
    auto json = JsonValue::parse(text);
    if (!json) qFatal("bad test JSON: %s", json.errorMessage().c_str());
    return VaeConverterConfig::fromMagentaJs(*json);
}

/// The hosted 4-bar trio converter (the trio_4bar_hier fixture's).
constexpr const char* kTrioJson =
    R"({"type":"TrioConverter","args":{"numSteps":64,"numSegments":4,)"
    R"("melArgs":{"minPitch":48,"maxPitch":83},"bassArgs":{"minPitch":24,"maxPitch":59},)"
    R"("drumsArgs":{}}})";
constexpr int64_t kTrioMel = 38, kTrioBass = 38, kTrioDepth = 38 + 38 + 512;

VaeConverterConfig trioConfig() {
    auto c = configFromText(kTrioJson);
    if (!c) qFatal("trio config: %s", c.errorMessage().c_str());
    return *c;
}

Note programNote(int pitch, int64_t start, int64_t end, int program) {
    Note n = qnote(pitch, start, end);
    n.program = program;
    return n;
}

/// The hot column of each trio part of a row: {melody label, bass label, drums label}.
std::vector<int64_t> trioLabels(const torch::Tensor& row) {
    return {hotIndex(row.narrow(0, 0, kTrioMel)), hotIndex(row.narrow(0, kTrioMel, kTrioBass)),
            hotIndex(row.narrow(0, kTrioMel + kTrioBass, 512))};
}

}  // namespace

class TestVaeConverter : public QObject {
    Q_OBJECT

private slots:
    void fixtureConfigs() {
        const std::vector<std::string> names = {"mel_2bar_flat", "drums_2bar_flat",
                                                "groovae_2bar_humanize"};
        const std::vector<int64_t> inDepth = {38, 10, 27};
        const std::vector<int64_t> outDepth = {38, 512, 27};
        for (size_t i = 0; i < names.size(); ++i) {
            const JsonValue expected = fixture(names[i]);
            QVERIFY2(expected.isObject(), names[i].c_str());
            const JsonValue& dc = *expected.find("config")->find("dataConverter");
            auto config = VaeConverterConfig::fromMagentaJs(dc);
            QVERIFY2(config.ok(), config.ok() ? "" : config.errorMessage().c_str());
            QCOMPARE(config->numSteps, int64_t{32});
            QCOMPARE(config->numSegments, int64_t{0});
            QCOMPARE(config->numBars(), int64_t{2});
            QCOMPARE(config->inputDepth(), inDepth[i]);
            QCOMPARE(config->outputDepth(), outDepth[i]);
            // The object comes back exactly as Magenta.js wrote it.
            QCOMPARE(QString::fromStdString(config->toMagentaJs().dump()),
                     QString::fromStdString(dc.dump()));
        }
        auto groove = VaeConverterConfig::fromMagentaJs(
            *fixture("groovae_2bar_humanize").find("config")->find("dataConverter"));
        QVERIFY(groove->humanize);
        QVERIFY(!groove->tapify);
        QCOMPARE(groove->pitchClasses, magentaJsDrumPitchClasses());
        QCOMPARE(magentaJsDrumPitchClasses().size(), size_t{9});
        QCOMPARE(magentaJsDrumPitchClasses()[2][0], 42);
    }

    void configRoundTrip() {
        auto hier =
            configFromText(R"({"type":"MelodyConverter","args":{"numSteps":256,"numSegments":16,)"
                           R"("minPitch":21,"maxPitch":108,"ignorePolyphony":false}})");
        QVERIFY2(hier.ok(), hier.ok() ? "" : hier.errorMessage().c_str());
        QCOMPARE(hier->numSegments, int64_t{16});
        QCOMPARE(hier->numBars(), int64_t{16});
        QVERIFY(!hier->ignorePolyphony);
        QCOMPARE(hier->inputDepth(), int64_t{90});
        auto back = VaeConverterConfig::fromMagentaJs(hier->toMagentaJs());
        QVERIFY(back.ok());
        QCOMPARE(back->toMagentaJs().dump(), hier->toMagentaJs().dump());
        QVERIFY(!back->ignorePolyphony);

        auto roll = configFromText(
            R"({"type":"DrumRollConverter","args":{"numSteps":64,"pitchClasses":[[36],[38,40]],)"
            R"("outputVelocity":100}})");
        QVERIFY2(roll.ok(), roll.ok() ? "" : roll.errorMessage().c_str());
        QVERIFY(roll->rollOutput);
        QCOMPARE(roll->inputDepth(), int64_t{3});
        QCOMPARE(roll->outputDepth(), int64_t{2});
        QCOMPARE(roll->outputVelocity, 100);
        QCOMPARE(roll->toMagentaJs().dump(),
                 std::string(R"({"type":"DrumRollConverter","args":{"numSteps":64,)"
                             R"("pitchClasses":[[36],[38,40]],"outputVelocity":100}})"));

        auto tap = configFromText(R"({"type":"GrooveConverter","args":)"
                                  R"({"numSteps":16,"tapify":true,"stepsPerQuarter":4}})");
        QVERIFY(tap.ok());
        QVERIFY(tap->tapify);
        QCOMPARE(tap->numBars(), int64_t{1});
        QCOMPARE(tap->toMagentaJs().dump(),
                 std::string(R"({"type":"GrooveConverter","args":{"numSteps":16,"tapify":true}})"));

        // A hand-built drums config with no classes uses (and is given) the default table.
        VaeConverterConfig c = drumsConfig();
        QCOMPARE(c.inputDepth(), int64_t{10});
        QCOMPARE(c.outputDepth(), int64_t{512});
        VaeConverter conv(c);
        QCOMPARE(conv.config().pitchClasses, magentaJsDrumPitchClasses());
    }

    void configErrors() {
        auto unknown = configFromText(R"({"type":"TrioRhythmConverter","args":{"numSteps":64}})");
        QVERIFY(!unknown.ok());
        QVERIFY2(contains(unknown.errorMessage(), "TrioRhythmConverter"),
                 unknown.errorMessage().c_str());

        auto noSteps = configFromText(R"({"type":"DrumsConverter","args":{}})");
        QVERIFY(!noSteps.ok());
        QVERIFY2(contains(noSteps.errorMessage(), "numSteps"), noSteps.errorMessage().c_str());

        auto badSteps = configFromText(R"({"type":"DrumsConverter","args":{"numSteps":"32"}})");
        QVERIFY(!badSteps.ok());
        QVERIFY2(contains(badSteps.errorMessage(), "numSteps") &&
                     contains(badSteps.errorMessage(), "\"32\""),
                 badSteps.errorMessage().c_str());

        auto fraction = configFromText(R"({"type":"DrumsConverter","args":{"numSteps":31.5}})");
        QVERIFY(!fraction.ok());
        QVERIFY2(contains(fraction.errorMessage(), "31.5"), fraction.errorMessage().c_str());

        auto inverted = configFromText(
            R"({"type":"MelodyConverter","args":{"numSteps":32,"minPitch":90,"maxPitch":40}})");
        QVERIFY(!inverted.ok());
        QVERIFY2(contains(inverted.errorMessage(), "minPitch 90") &&
                     contains(inverted.errorMessage(), "maxPitch 40"),
                 inverted.errorMessage().c_str());

        auto noPitch =
            configFromText(R"({"type":"MelodyConverter","args":{"numSteps":32,"minPitch":21}})");
        QVERIFY(!noPitch.ok());
        QVERIFY2(contains(noPitch.errorMessage(), "maxPitch"), noPitch.errorMessage().c_str());

        auto segments = configFromText(
            R"({"type":"MelodyConverter","args":{"numSteps":30,"numSegments":4,"minPitch":21,)"
            R"("maxPitch":108}})");
        QVERIFY(!segments.ok());
        QVERIFY2(contains(segments.errorMessage(), "30") &&
                     contains(segments.errorMessage(), "numSegments 4"),
                 segments.errorMessage().c_str());

        auto classes = configFromText(
            R"({"type":"DrumsConverter","args":{"numSteps":32,"pitchClasses":[[36],[200]]}})");
        QVERIFY(!classes.ok());
        QVERIFY2(contains(classes.errorMessage(), "200"), classes.errorMessage().c_str());

        auto split = configFromText(
            R"({"type":"GrooveConverter","args":{"numSteps":32,"splitInstruments":true}})");
        QVERIFY(!split.ok());
        QVERIFY2(contains(split.errorMessage(), "splitInstruments"), split.errorMessage().c_str());

        auto flag =
            configFromText(R"({"type":"GrooveConverter","args":{"numSteps":32,"humanize":1}})");
        QVERIFY(!flag.ok());
        QVERIFY2(contains(flag.errorMessage(), "humanize"), flag.errorMessage().c_str());

        auto noArgs = configFromText(R"({"type":"MelodyConverter"})");
        QVERIFY(!noArgs.ok());
        QVERIFY2(contains(noArgs.errorMessage(), "args"), noArgs.errorMessage().c_str());
        QVERIFY(!VaeConverterConfig::fromMagentaJs(JsonValue(3)).ok());

        // Hand-built configs are checked when used.
        VaeConverterConfig bad = melodyConfig(70, 60);
        QVERIFY(!bad.validate().ok());
        auto tensor = VaeConverter(bad).toInputTensor(quantizedSequence({qnote(65, 0, 1)}));
        QVERIFY(!tensor.ok());
        QVERIFY2(contains(tensor.errorMessage(), "minPitch 70"), tensor.errorMessage().c_str());
    }

    void melodyFixtureInputs() {
        const JsonValue expected = fixture("mel_2bar_flat");
        const VaeConverter conv = converterOf(expected);
        QCOMPARE(expected.find("inputs")->items().size(), size_t{2});
        for (const JsonValue& input : expected.find("inputs")->items()) {
            auto t = conv.toInputTensor(fixtureSequence(*input.find("sequence")));
            QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
            QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{32, 38}));
            QCOMPARE(t->scalar_type(), torch::kFloat);
            QVERIFY(torch::equal(*t, denseRows(*input.find("rows"), 38)));
            auto target = conv.toOutputTensor(fixtureSequence(*input.find("sequence")));
            QVERIFY(torch::equal(*target, *t));
        }
    }

    void melodyFixtureDecode() {
        const JsonValue expected = fixture("mel_2bar_flat");
        const VaeConverter conv = converterOf(expected);
        const JsonValue& decoded = *expected.find("decoded");
        const auto& rows = decoded.find("rows")->items();
        const auto& sequences = decoded.find("sequences")->items();
        QCOMPARE(rows.size(), size_t{2});
        for (size_t i = 0; i < rows.size(); ++i) {
            const NoteSequence ns = conv.toNoteSequence(denseRows(rows[i], 38));
            QCOMPARE(stepTriples(ns), stepTriples(sequences[i]));
            QCOMPARE(ns.totalQuantizedSteps, sequences[i].find("totalQuantizedSteps")->asInt());
        }
    }

    void drumsFixtureInputs() {
        const JsonValue expected = fixture("drums_2bar_flat");
        const VaeConverter conv = converterOf(expected);
        QCOMPARE(expected.find("inputs")->items().size(), size_t{2});
        for (const JsonValue& input : expected.find("inputs")->items()) {
            auto t = conv.toInputTensor(fixtureSequence(*input.find("sequence")));
            QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
            QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{32, 10}));
            QVERIFY(torch::equal(*t, denseRows(*input.find("rows"), 10)));
        }
    }

    void drumsFixtureDecode() {
        const JsonValue expected = fixture("drums_2bar_flat");
        const VaeConverter conv = converterOf(expected);
        const JsonValue& decoded = *expected.find("decoded");
        const auto& rows = decoded.find("rows")->items();
        const auto& sequences = decoded.find("sequences")->items();
        QCOMPARE(rows.size(), size_t{2});
        for (size_t i = 0; i < rows.size(); ++i) {
            const NoteSequence ns = conv.toNoteSequence(denseRows(rows[i], 512));
            QCOMPARE(stepTriples(ns), stepTriples(sequences[i]));
            for (const Note& n : ns.notes) {
                QVERIFY(n.isDrum);
                QCOMPARE(n.instrument, 9);
            }
        }
    }

    void grooveFixtureInputs() {
        const JsonValue expected = fixture("groovae_2bar_humanize");
        const VaeConverter conv = converterOf(expected);
        QCOMPARE(expected.find("inputs")->items().size(), size_t{2});
        for (const JsonValue& input : expected.find("inputs")->items()) {
            auto t = conv.toInputTensor(fixtureSequence(*input.find("sequence")));
            QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
            QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{32, 27}));
            QVERIFY(torch::equal(*t, denseRows(*input.find("rows"), 27)));
        }
    }

    void grooveFixtureDecode() {
        const JsonValue expected = fixture("groovae_2bar_humanize");
        const VaeConverter conv = converterOf(expected);
        const JsonValue& decoded = *expected.find("decoded");
        const auto& rows = decoded.find("rows")->items();
        const auto& sequences = decoded.find("sequences")->items();
        QCOMPARE(rows.size(), size_t{2});
        for (size_t i = 0; i < rows.size(); ++i) {
            const NoteSequence ns = conv.toNoteSequence(denseRows(rows[i], 27));
            const auto& want = sequences[i].find("notes")->items();
            QCOMPARE(ns.notes.size(), want.size());
            QVERIFY(!ns.isQuantized());
            QCOMPARE(ns.totalTime, 4.0);
            for (size_t k = 0; k < want.size(); ++k) {
                const Note& n = ns.notes[k];
                QCOMPARE(n.pitch, static_cast<int>(want[k].find("pitch")->asInt()));
                QCOMPARE(n.velocity, static_cast<int>(want[k].find("velocity")->asInt()));
                QVERIFY2(std::abs(n.startTime - want[k].find("startTime")->asNumber()) < 1e-5,
                         qPrintable(QString("note %1 start %2").arg(k).arg(n.startTime)));
                QVERIFY(std::abs(n.endTime - want[k].find("endTime")->asNumber()) < 1e-5);
                QVERIFY(n.isDrum);
            }
        }
    }

    void melodyRoundTrip() {
        const VaeConverter conv(melodyConfig(21, 108));
        // A rest at the start, a held note, back-to-back notes and a note held to the end.
        const NoteSequence in =
            quantizedSequence({qnote(60, 2, 6), qnote(62, 6, 7), qnote(64, 7, 12),
                               qnote(21, 16, 20), qnote(108, 24, 32)});
        auto target = conv.toOutputTensor(in);
        QVERIFY(target.ok());
        QCOMPARE(target->sizes().vec(), (std::vector<int64_t>{32, 90}));
        QCOMPARE(hotIndex((*target)[0]), int64_t{0});
        QCOMPARE(hotIndex((*target)[2]), int64_t{60 - 21 + 2});
        QCOMPARE(hotIndex((*target)[12]), int64_t{1});
        QCOMPARE(hotIndex((*target)[31]), int64_t{0});  // held to the end: no NOTE_OFF written
        const NoteSequence out = conv.toNoteSequence(*target, 120.0);
        QCOMPARE(stepTriples(out), stepTriples(in));
        QCOMPARE(out.quantizationInfo.stepsPerQuarter, 4);
        QCOMPARE(out.totalQuantizedSteps, int64_t{32});
        QCOMPARE(out.totalTime, 4.0);
        QCOMPARE(out.tempos.size(), size_t{1});
        QCOMPARE(out.tempos[0].qpm, 120.0);
        for (size_t i = 0; i < out.notes.size(); ++i) {
            QCOMPARE(out.notes[i].startTime, in.notes[i].startTime);
            QCOMPARE(out.notes[i].endTime, in.notes[i].endTime);
            QCOMPARE(out.notes[i].velocity, 80);
            QVERIFY(!out.notes[i].isDrum);
        }
        // Probabilities decode by argmax too, and the tempo sets the seconds.
        torch::Tensor soft = target->clone() * 0.6F + 0.4F / 90.0F;
        const NoteSequence slow = conv.toNoteSequence(soft.unsqueeze(0), 60.0);
        QCOMPARE(stepTriples(slow), stepTriples(in));
        QCOMPARE(slow.notes[0].startTime, 0.5);
        QCOMPARE(slow.totalTime, 8.0);
    }

    void melodyPolyphonyAndOverlap() {
        const VaeConverter conv(melodyConfig());
        // Two notes on step 0: the highest is kept. The caller's order is not changed.
        const NoteSequence chord = quantizedSequence({qnote(60, 0, 4), qnote(67, 0, 4)});
        auto t = conv.toInputTensor(chord);
        QVERIFY(t.ok());
        QCOMPARE(hotIndex((*t)[0]), int64_t{67 - 48 + 2});
        QCOMPARE(hotIndex((*t)[4]), int64_t{1});
        QCOMPARE(chord.notes[0].pitch, 60);
        // §2.1 (Magenta.js, kept): the earlier note's NOTE_OFF lands inside the later note.
        const NoteSequence overlap = quantizedSequence({qnote(60, 0, 6), qnote(64, 4, 10)});
        auto o = conv.toInputTensor(overlap);
        QVERIFY(o.ok());
        const NoteSequence decoded = conv.toNoteSequence(*o);
        QCOMPARE(stepTriples(decoded), (std::vector<std::vector<int64_t>>{{60, 0, 4}, {64, 4, 6}}));
        // With ignorePolyphony off the chord is an error naming the step.
        VaeConverterConfig strict = melodyConfig();
        strict.ignorePolyphony = false;
        auto err = VaeConverter(strict).toInputTensor(
            quantizedSequence({qnote(60, 0, 2), qnote(62, 5, 6), qnote(65, 5, 8)}));
        QVERIFY(!err.ok());
        QVERIFY2(contains(err.errorMessage(), "step 5") && contains(err.errorMessage(), "65") &&
                     contains(err.errorMessage(), "62"),
                 err.errorMessage().c_str());
        QVERIFY(VaeConverter(strict).toInputTensor(overlap).ok());  // different starts are fine
    }

    void melodyErrors() {
        const VaeConverter conv(melodyConfig());
        auto low = conv.toInputTensor(quantizedSequence({qnote(60, 0, 2), qnote(40, 2, 4)}));
        QVERIFY(!low.ok());
        QVERIFY2(contains(low.errorMessage(), "pitch 40") && contains(low.errorMessage(), "48..83"),
                 low.errorMessage().c_str());
        auto late = conv.toInputTensor(quantizedSequence({qnote(60, 0, 2), qnote(62, 32, 34)}));
        QVERIFY(!late.ok());
        QVERIFY2(
            contains(late.errorMessage(), "step 32") && contains(late.errorMessage(), "32 steps"),
            late.errorMessage().c_str());
        // Unquantized, absolute-quantized and wrongly quantized input.
        NoteSequence raw;
        raw.notes = {qnote(60, 0, 2)};
        auto unq = conv.toInputTensor(raw);
        QVERIFY(!unq.ok());
        QVERIFY2(contains(unq.errorMessage(), "not quantized"), unq.errorMessage().c_str());
        auto spq2 = conv.toInputTensor(quantizedSequence({qnote(60, 0, 2)}, 2));
        QVERIFY(!spq2.ok());
        QVERIFY2(contains(spq2.errorMessage(), "2 steps per quarter"), spq2.errorMessage().c_str());
        NoteSequence absolute = raw;
        absolute.quantizationInfo.stepsPerSecond = 100;
        QVERIFY(!conv.toInputTensor(absolute).ok());
        // An empty sequence is all NO_EVENT.
        auto empty = conv.toInputTensor(quantizedSequence({}));
        QVERIFY(empty.ok());
        QCOMPARE((*empty).select(1, 0).sum().item<float>(), 32.0F);
    }

    void drumsUnmappedAndNoHitColumn() {
        const VaeConverter conv(drumsConfig());
        // Kick on 0, pitch 100 (unmapped) on 1, snare 40 (not flagged isDrum) on 2, closed and
        // open hi-hat on 3; an unmapped pitch past the end is ignored, not an error.
        const NoteSequence ns =
            quantizedSequence({qnote(36, 0, 1, 100, true), qnote(100, 1, 2, 100, true),
                               qnote(40, 2, 3), qnote(44, 3, 4, 100, true),
                               qnote(46, 3, 4, 100, true), qnote(100, 40, 41, 100, true)});
        auto t = conv.toInputTensor(ns);
        QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
        QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{32, 10}));
        QCOMPARE(hotIndex((*t)[0]), int64_t{0});
        QCOMPARE(hotIndex((*t)[1]), int64_t{9});  // the unmapped hit does not clear "no hit"
        QCOMPARE(hotIndex((*t)[2]), int64_t{1});
        QCOMPARE((*t)[3].sum().item<float>(), 2.0F);
        QCOMPARE((*t)[3][2].item<float>(), 1.0F);
        QCOMPARE((*t)[3][3].item<float>(), 1.0F);
        QCOMPARE(hotIndex((*t)[31]), int64_t{9});  // Python NOR: the last step is set too
        // Output target: one-hot of sum 2^class; a doubled hit counts once.
        NoteSequence doubled = ns;
        doubled.notes.push_back(qnote(35, 0, 1, 90, true));
        auto target = conv.toOutputTensor(doubled);
        QVERIFY(target.ok());
        QCOMPARE(target->sizes().vec(), (std::vector<int64_t>{32, 512}));
        QCOMPARE(hotIndex((*target)[0]), int64_t{1});
        QCOMPARE(hotIndex((*target)[1]), int64_t{0});
        QCOMPARE(hotIndex((*target)[3]), int64_t{4 + 8});
        // A mapped hit past the model length is an error naming the step.
        auto late = conv.toInputTensor(quantizedSequence({qnote(38, 33, 34, 100, true)}));
        QVERIFY(!late.ok());
        QVERIFY2(contains(late.errorMessage(), "step 33"), late.errorMessage().c_str());
    }

    void drumsDecode() {
        VaeConverterConfig c = drumsConfig();
        c.outputVelocity = 96;
        const VaeConverter conv(c);
        torch::Tensor rows = torch::zeros({4, 512});
        rows[0][1 + 4] = 1.0F;  // kick + closed hi-hat
        rows[1][0] = 1.0F;      // silence
        rows[2][256] = 0.7F;    // ride, as a probability row
        rows[2][3] = 0.2F;
        rows[3][511] = 1.0F;  // everything
        const NoteSequence ns = conv.toNoteSequence(rows, 120.0);
        QCOMPARE(ns.notes.size(), size_t{2 + 1 + 9});
        QCOMPARE(stepTriples(ns)[0], (std::vector<int64_t>{36, 0, 1}));
        QCOMPARE(stepTriples(ns)[1], (std::vector<int64_t>{42, 0, 1}));
        QCOMPARE(stepTriples(ns)[2], (std::vector<int64_t>{51, 2, 3}));
        QCOMPARE(ns.notes[2].startTime, 0.25);
        QCOMPARE(ns.notes[2].endTime, 0.375);
        for (const Note& n : ns.notes) {
            QVERIFY(n.isDrum);
            QCOMPARE(n.instrument, 9);
            QCOMPARE(n.velocity, 96);
        }
        QCOMPARE(ns.totalQuantizedSteps, int64_t{4});
        QCOMPARE(ns.totalTime, 0.5);

        // Roll output (DrumRollConverter): cells > 0.5 are hits.
        VaeConverterConfig rc = drumsConfig();
        rc.rollOutput = true;
        const VaeConverter roll(rc);
        torch::Tensor r = torch::zeros({2, 9});
        r[0][1] = 1.0F;
        r[1][8] = 0.9F;
        r[1][0] = 0.4F;
        QCOMPARE(stepTriples(roll.toNoteSequence(r)),
                 (std::vector<std::vector<int64_t>>{{38, 0, 1}, {51, 1, 2}}));
        auto target = roll.toOutputTensor(quantizedSequence({qnote(38, 0, 1, 100, true)}));
        QCOMPARE(target->sizes().vec(), (std::vector<int64_t>{32, 9}));
        QCOMPARE(target->sum().item<float>(), 1.0F);
    }

    void grooveOffsets() {
        const VaeConverter conv(grooveConfig());
        // A snare 10 ms early on step 4 at 120 qpm, unquantized: quantized first, offset from
        // the played time: 2 * 0.01 / 0.125 = 0.16.
        NoteSequence played;
        played.tempos = {core::Tempo{0.0, 120.0}};
        Note snare;
        snare.pitch = 38;
        snare.velocity = 100;
        snare.startTime = 0.5 - 0.01;
        snare.endTime = 0.6;
        snare.isDrum = true;
        played.notes = {snare};
        played.totalTime = 0.6;
        auto in = conv.toInputTensor(played);
        QVERIFY2(in.ok(), in.ok() ? "" : in.errorMessage().c_str());
        QCOMPARE(in->sizes().vec(), (std::vector<int64_t>{32, 27}));
        QCOMPARE((*in)[4][1].item<float>(), 1.0F);
        QCOMPARE((*in)[4][9 + 1].item<float>(), static_cast<float>(100.0 / 127.0));
        QVERIFY(std::abs((*in)[4][18 + 1].item<float>() - 0.16F) < 1e-6F);
        QCOMPARE(in->nonzero().size(0), int64_t{3});  // hit, velocity and offset, nothing else

        // The target carries the same; decoding it gives the played start back.
        auto target = conv.toOutputTensor(played);
        QVERIFY(torch::equal(*target, *in));
        const NoteSequence out = conv.toNoteSequence(*target, 120.0);
        QCOMPARE(out.notes.size(), size_t{1});
        QCOMPARE(out.notes[0].pitch, 38);
        QCOMPARE(out.notes[0].velocity, 100);
        QVERIFY(std::abs(out.notes[0].startTime - 0.49) < 1e-6);
        QVERIFY(std::abs(out.notes[0].endTime - (0.49 + kStep)) < 1e-6);
        QVERIFY(out.notes[0].isDrum);
        QCOMPARE(out.notes[0].instrument, 9);
        QVERIFY(!out.isQuantized());
        QCOMPARE(out.totalTime, 4.0);

        // Late notes give negative offsets; a note early on step 0 decodes before time 0.
        NoteSequence late = quantizedSequence({qnote(36, 0, 1, 100, true)});
        late.notes[0].startTime = -0.02;
        auto early = conv.toInputTensor(late);
        QVERIFY(early.ok());
        QVERIFY(std::abs((*early)[0][18].item<float>() - 0.32F) < 1e-6F);
        const NoteSequence before = conv.toNoteSequence(*early);
        QVERIFY(std::abs(before.notes[0].startTime + 0.02) < 1e-6);
        // Offsets are clipped to half a step when decoding.
        torch::Tensor rows = torch::zeros({2, 27});
        rows[1][0] = 1.0F;
        rows[1][9] = 0.5F;
        rows[1][18] = 3.0F;
        QCOMPARE(conv.toNoteSequence(rows).notes[0].startTime, 0.5 * kStep);
        rows[1][18] = -3.0F;
        QCOMPARE(conv.toNoteSequence(rows).notes[0].startTime, 1.5 * kStep);
    }

    void grooveHumanizeAndTapify() {
        // Two kicks on step 0 (the louder is kept), a hi-hat on 2 (8 ms late), pitch 100
        // (unmapped) on 5.
        NoteSequence ns = quantizedSequence({qnote(36, 0, 1, 60, true), qnote(35, 0, 1, 90, true),
                                             qnote(42, 2, 3, 70, true), qnote(100, 5, 6, 50)});
        ns.notes[2].startTime += 0.008;
        const float off2 = static_cast<float>(2.0 * (2 * kStep - ns.notes[2].startTime) / kStep);

        auto plain = VaeConverter(grooveConfig()).toInputTensor(ns);
        QVERIFY(plain.ok());
        QCOMPARE((*plain)[0][9].item<float>(), static_cast<float>(90.0 / 127.0));
        QCOMPARE((*plain)[2][18 + 2].item<float>(), off2);
        QVERIFY(off2 < 0.0F);
        QCOMPARE((*plain)[5].sum().item<float>(), 0.0F);

        const VaeConverter humanize(grooveConfig(true, false));
        auto h = humanize.toInputTensor(ns);
        QVERIFY(h.ok());
        QCOMPARE(h->slice(1, 9, 27).abs().sum().item<float>(), 0.0F);
        QCOMPARE(h->slice(1, 0, 9).sum().item<float>(), 2.0F);
        auto ht = humanize.toOutputTensor(ns);
        QVERIFY(torch::equal(*ht, *plain));  // the target keeps what humanize hides

        const VaeConverter tapify(grooveConfig(false, true));
        auto t = tapify.toInputTensor(ns);
        QVERIFY(t.ok());
        // Every note, mapped or not, is a tap on class 3; velocities are zero, offsets stay.
        QCOMPARE(t->slice(1, 0, 9).sum().item<float>(), 3.0F);
        QCOMPARE((*t)[0][3].item<float>(), 1.0F);
        QCOMPARE((*t)[2][3].item<float>(), 1.0F);
        QCOMPARE((*t)[5][3].item<float>(), 1.0F);
        QCOMPARE(t->slice(1, 9, 18).abs().sum().item<float>(), 0.0F);
        QCOMPARE((*t)[2][18 + 3].item<float>(), off2);
        QVERIFY(torch::equal(*tapify.toOutputTensor(ns), *plain));

        auto tooLate = tapify.toInputTensor(quantizedSequence({qnote(100, 32, 33)}));
        QVERIFY(!tooLate.ok());
        QVERIFY2(contains(tooLate.errorMessage(), "step 32"), tooLate.errorMessage().c_str());
    }

    void grooveVelocityRounding() {
        const VaeConverter conv(grooveConfig());
        torch::Tensor rows = torch::zeros({4, 27});
        for (int s = 0; s < 4; ++s) rows[s][0] = 1.0F;
        rows[0][9] = 0.5F;    // 63.5 rounds to 64 (exact in float; never truncated to 63)
        rows[1][9] = 0.001F;  // rounds to 0: kept audible as 1
        rows[2][9] = 1.5F;    // clipped to 127
        rows[3][9] = 0.5F;
        rows[3][0] = 0.5F;  // not a hit: hits need > 0.5
        const NoteSequence ns = conv.toNoteSequence(rows);
        QCOMPARE(ns.notes.size(), size_t{3});
        QCOMPARE(ns.notes[0].velocity, 64);
        QCOMPARE(ns.notes[1].velocity, 1);
        QCOMPARE(ns.notes[2].velocity, 127);
        QCOMPARE(ns.notes[0].pitch, 36);
    }

    void trioFixtureConfig() {
        const JsonValue expected = fixture("trio_4bar_hier");
        QVERIFY(expected.isObject());
        const JsonValue& dc = *expected.find("config")->find("dataConverter");
        auto config = VaeConverterConfig::fromMagentaJs(dc);
        QVERIFY2(config.ok(), config.ok() ? "" : config.errorMessage().c_str());
        QVERIFY(config->type == VaeConverterType::Trio);
        QCOMPARE(config->numSteps, int64_t{64});
        QCOMPARE(config->numSegments, int64_t{4});
        QCOMPARE(config->numBars(), int64_t{4});
        QCOMPARE(config->minPitch, 48);
        QCOMPARE(config->maxPitch, 83);
        QCOMPARE(config->bassMinPitch, 24);
        QCOMPARE(config->bassMaxPitch, 59);
        QVERIFY(config->ignorePolyphony);
        QVERIFY(config->bassIgnorePolyphony);
        QCOMPARE(config->bassProgram, 33);
        QCOMPARE(config->pitchClasses, magentaJsDrumPitchClasses());
        QCOMPARE(config->melodyDepth(), kTrioMel);
        QCOMPARE(config->bassDepth(), kTrioBass);
        QCOMPARE(config->inputDepth(), kTrioDepth);
        QCOMPARE(config->outputDepth(), kTrioDepth);
        QCOMPARE(QString::fromStdString(config->toMagentaJs().dump()),
                 QString::fromStdString(dc.dump()));
        QCOMPARE(trioConfig().toMagentaJs().dump(), dc.dump());
    }

    void trioConfigRoundTrip() {
        // Every trio setting away from its default, in the order toMagentaJs writes them.
        const std::string text =
            R"({"type":"TrioConverter","args":{"numSteps":32,"stepsPerQuarter":2,)"
            R"("melArgs":{"minPitch":21,"maxPitch":108,"ignorePolyphony":false},)"
            R"("bassArgs":{"minPitch":28,"maxPitch":55,"ignorePolyphony":false},)"
            R"("drumsArgs":{"pitchClasses":[[36,35],[38,40],[42]]},"bassProgram":32,)"
            R"("outputVelocity":90}})";
        auto c = configFromText(text);
        QVERIFY2(c.ok(), c.ok() ? "" : c.errorMessage().c_str());
        QVERIFY(!c->ignorePolyphony);
        QVERIFY(!c->bassIgnorePolyphony);
        QCOMPARE(c->bassMinPitch, 28);
        QCOMPARE(c->bassMaxPitch, 55);
        QCOMPARE(c->bassProgram, 32);
        QCOMPARE(c->outputVelocity, 90);
        QCOMPARE(c->stepsPerQuarter, 2);
        QCOMPARE(c->numBars(), int64_t{4});
        QCOMPARE(c->pitchClasses, (std::vector<std::vector<int>>{{36, 35}, {38, 40}, {42}}));
        QCOMPARE(c->inputDepth(), int64_t{90 + 30 + 8});
        QCOMPARE(c->outputDepth(), int64_t{128});
        QCOMPARE(c->toMagentaJs().dump(), text);
        auto back = VaeConverterConfig::fromMagentaJs(c->toMagentaJs());
        QVERIFY(back.ok());
        QCOMPARE(back->toMagentaJs().dump(), text);
        // drumsArgs may be absent (default kit); it is written back as {} for Magenta.js.
        auto noDrums = configFromText(
            R"({"type":"TrioConverter","args":{"numSteps":64,"melArgs":{"minPitch":48,)"
            R"("maxPitch":83},"bassArgs":{"minPitch":24,"maxPitch":59}}})");
        QVERIFY2(noDrums.ok(), noDrums.ok() ? "" : noDrums.errorMessage().c_str());
        QCOMPARE(noDrums->pitchClasses, magentaJsDrumPitchClasses());
        QVERIFY(contains(noDrums->toMagentaJs().dump(), R"("drumsArgs":{})"));
        // A top-level pitchClasses is not the trio's (Magenta.js reads drumsArgs only).
        auto top =
            configFromText(R"({"type":"TrioConverter","args":{"numSteps":64,"pitchClasses":[[36]],)"
                           R"("melArgs":{"minPitch":48,"maxPitch":83},)"
                           R"("bassArgs":{"minPitch":24,"maxPitch":59}}})");
        QVERIFY(top.ok());
        QCOMPARE(top->pitchClasses, magentaJsDrumPitchClasses());
    }

    void trioConfigErrors() {
        auto expectError = [](const std::string& text, const std::vector<std::string>& needles) {
            auto c = configFromText(text);
            if (c.ok()) return std::string("accepted: ") + text;
            for (const std::string& needle : needles)
                if (!contains(c.errorMessage(), needle))
                    return "\"" + c.errorMessage() + "\" lacks \"" + needle + "\"";
            return std::string();
        };
        const std::string head = R"({"type":"TrioConverter","args":{"numSteps":64,)";
        const std::string mel = R"("melArgs":{"minPitch":48,"maxPitch":83})";
        const std::string bass = R"("bassArgs":{"minPitch":24,"maxPitch":59})";
        const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
            {head + bass + "}}", {"dataConverter.args.melArgs", "missing"}},
            {head + mel + "}}", {"dataConverter.args.bassArgs", "missing"}},
            {head + R"("melArgs":[48,83],)" + bass + "}}", {"melArgs", "object", "[48,83]"}},
            {head + mel + R"(,"bassArgs":{"minPitch":24}}})",
             {"dataConverter.args.bassArgs.maxPitch", "missing"}},
            {head + R"("melArgs":{"minPitch":48,"maxPitch":130},)" + bass + "}}",
             {"dataConverter.args.melArgs.maxPitch", "130"}},
            {head + mel + R"(,"bassArgs":{"minPitch":60,"maxPitch":40}}})",
             {"bass part", "minPitch 60", "maxPitch 40"}},
            {head + R"("melArgs":{"minPitch":80,"maxPitch":50},)" + bass + "}}",
             {"melody part", "minPitch 80", "maxPitch 50"}},
            {head + R"("melArgs":{"minPitch":48,"maxPitch":83,"ignorePolyphony":"yes"},)" + bass +
                 "}}",
             {"dataConverter.args.melArgs.ignorePolyphony", "\"yes\""}},
            {head + mel + "," + bass + R"(,"drumsArgs":{"pitchClasses":[[36],[300]]}}})",
             {"dataConverter.args.drumsArgs.pitchClasses", "300"}},
            {head + mel + "," + bass + R"(,"drumsArgs":5}})", {"drumsArgs", "object"}},
            {head + mel + "," + bass + R"(,"bassProgram":200}})", {"bassProgram", "200"}},
            {head + mel + "," + bass +
                 R"(,"drumsArgs":{"pitchClasses":[[1],[2],[3],[4],[5],[6],[7],[8],[9],[10],)"
                 R"([11],[12],[13],[14],[15],[16],[17]]}}})",
             {"17 classes", "at most 16"}},
        };
        for (const auto& [text, needles] : cases) {
            const std::string problem = expectError(text, needles);
            QVERIFY2(problem.empty(), problem.c_str());
        }
        // A hand-built config is checked when used.
        VaeConverterConfig bad = trioConfig();
        bad.bassMinPitch = 70;
        auto t = VaeConverter(bad).toInputTensor(quantizedSequence({}));
        QVERIFY(!t.ok());
        QVERIFY2(contains(t.errorMessage(), "bass part") && contains(t.errorMessage(), "70"),
                 t.errorMessage().c_str());
        bad = trioConfig();
        bad.bassProgram = -1;
        QVERIFY(!bad.validate().ok());
        QVERIFY(!VaeConverter(bad).decode(torch::zeros({64, kTrioDepth})).ok());
    }

    void trioFixtureInputs() {
        const JsonValue expected = fixture("trio_4bar_hier");
        const VaeConverter conv = converterOf(expected);
        QCOMPARE(expected.find("inputs")->items().size(), size_t{2});
        for (const JsonValue& input : expected.find("inputs")->items()) {
            const NoteSequence ns = fixtureSequence(*input.find("sequence"));
            // All three parts are there (programs 0 and 33, and drums).
            int mel = 0, bass = 0, drums = 0;
            for (const Note& n : ns.notes) {
                if (n.isDrum)
                    ++drums;
                else if (n.program == 0)
                    ++mel;
                else if (n.program == 33)
                    ++bass;
            }
            QVERIFY(mel > 0 && bass > 0 && drums > 0);
            QCOMPARE(mel + bass + drums, static_cast<int>(ns.notes.size()));
            auto t = conv.toInputTensor(ns);
            QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
            QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{64, kTrioDepth}));
            QCOMPARE(t->scalar_type(), torch::kFloat);
            // These inputs hit neither Magenta.js drum bug, so every column matches.
            QVERIFY(torch::equal(*t, denseRows(*input.find("rows"), kTrioDepth)));
            auto target = conv.toOutputTensor(ns);
            QVERIFY(target.ok());
            QVERIFY(torch::equal(*target, *t));
        }
    }

    void trioFixtureQuirks() {
        // The fixture's `quirks`: Magenta.js rows for sequences that hit its trio drum bugs. Our
        // melody and bass columns match them exactly; our drum columns differ only on the steps
        // the bugs touch, as documented in VaeConverter::trioTensor.
        const JsonValue expected = fixture("trio_4bar_hier");
        const VaeConverter conv = converterOf(expected);
        const auto& quirks = expected.find("quirks")->items();
        QCOMPARE(quirks.size(), size_t{3});
        QVERIFY(contains(quirks[0].find("what")->asString(), "add their bits"));
        QVERIFY(contains(quirks[1].find("what")->asString(), "NaN"));
        QVERIFY(contains(quirks[2].find("what")->asString(), "dropped"));
        // Per quirk: step -> {Magenta.js drum label, ours}.
        const std::vector<std::map<int64_t, std::pair<int64_t, int64_t>>> drumDiffs = {
            {{0, {2, 1}}, {4, {4, 2}}},  // 36+35 (kick twice) and 38+40 (snare twice)
            {{0, {0, 1}}},               // kick + unmapped 90: Magenta.js wipes the kick
            {},                          // programs: no drum difference
        };
        constexpr int64_t drumOffset = kTrioMel + kTrioBass;
        for (size_t q = 0; q < quirks.size(); ++q) {
            auto t = conv.toInputTensor(fixtureSequence(*quirks[q].find("sequence")));
            QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
            const torch::Tensor want = denseRows(*quirks[q].find("rows"), kTrioDepth);
            QCOMPARE(want.size(0), int64_t{64});
            QVERIFY(torch::equal(t->narrow(1, 0, drumOffset), want.narrow(1, 0, drumOffset)));
            for (int64_t s = 0; s < 64; ++s) {
                const int64_t js = hotIndex(want[s].narrow(0, drumOffset, 512));
                const int64_t ours = hotIndex((*t)[s].narrow(0, drumOffset, 512));
                const auto it = drumDiffs[q].find(s);
                if (it == drumDiffs[q].end()) {
                    QVERIFY2(
                        js == ours,
                        qPrintable(
                            QString("quirk %1 step %2: %3 vs %4").arg(q).arg(s).arg(js).arg(ours)));
                } else {
                    QCOMPARE(js, it->second.first);
                    QCOMPARE(ours, it->second.second);
                }
            }
        }
        // The program quirk: melody 60 (program 0) on 0-4, program 40 dropped, bass 36
        // (program 39) on 0-8.
        auto t = conv.toInputTensor(fixtureSequence(*quirks[2].find("sequence")));
        QCOMPARE(trioLabels((*t)[0]), (std::vector<int64_t>{60 - 48 + 2, 36 - 24 + 2, 0}));
        QCOMPARE(trioLabels((*t)[4]), (std::vector<int64_t>{1, 0, 0}));
        QCOMPARE(trioLabels((*t)[8]), (std::vector<int64_t>{0, 1, 0}));
    }

    void trioFixtureDecode() {
        const JsonValue expected = fixture("trio_4bar_hier");
        const VaeConverter conv = converterOf(expected);
        VaeConverterConfig jsBass = conv.config();
        jsBass.bassProgram = 32;  // Magenta.js's bass program
        const VaeConverter jsConv(jsBass);
        const JsonValue& decoded = *expected.find("decoded");
        const auto& rows = decoded.find("rows")->items();
        const auto& sequences = decoded.find("sequences")->items();
        QCOMPARE(rows.size(), size_t{2});
        int parts[3] = {0, 0, 0};
        for (size_t i = 0; i < rows.size(); ++i) {
            const torch::Tensor dense = denseRows(rows[i], kTrioDepth);
            auto decodedOr = conv.decode(dense);
            QVERIFY2(decodedOr.ok(), decodedOr.ok() ? "" : decodedOr.errorMessage().c_str());
            const NoteSequence& ns = *decodedOr;
            const auto& want = sequences[i].find("notes")->items();
            QCOMPARE(stepTriples(ns), stepTriples(sequences[i]));
            QCOMPARE(ns.totalQuantizedSteps, sequences[i].find("totalQuantizedSteps")->asInt());
            QCOMPARE(ns.totalQuantizedSteps, int64_t{64});
            QCOMPARE(ns.totalTime, 64 * kStep);
            const NoteSequence js = jsConv.toNoteSequence(dense);
            QCOMPARE(js.notes.size(), want.size());
            for (size_t k = 0; k < want.size(); ++k) {
                const Note& n = ns.notes[k];
                const JsonValue& w = want[k];
                const JsonValue* drum = w.find("isDrum");
                const bool wantDrum = drum && drum->asBool();
                const int wantInstrument = static_cast<int>(w.find("instrument")->asInt());
                const int wantProgram = static_cast<int>(w.find("program")->asInt());
                QCOMPARE(n.isDrum, wantDrum);
                QCOMPARE(n.velocity, 80);
                QCOMPARE(n.startTime, static_cast<double>(n.quantizedStartStep) * kStep);
                QCOMPARE(n.endTime, static_cast<double>(n.quantizedEndStep) * kStep);
                if (wantDrum) {
                    // Magenta.js puts the drums on instrument 2; we use Python's 9.
                    QCOMPARE(wantInstrument, 2);
                    QCOMPARE(n.instrument, 9);
                    QCOMPARE(n.program, wantProgram);
                    ++parts[2];
                } else if (wantInstrument == 1) {
                    // Magenta.js writes bass program 32; we write Python's 33 (ELECTRIC_BASS).
                    QCOMPARE(wantProgram, 32);
                    QCOMPARE(n.program, 33);
                    QCOMPARE(n.instrument, 1);
                    QCOMPARE(js.notes[k].program, 32);  // ... unless bassProgram says 32
                    ++parts[1];
                } else {
                    QCOMPARE(wantInstrument, 0);
                    QCOMPARE(n.instrument, 0);
                    QCOMPARE(n.program, 0);
                    QCOMPARE(wantProgram, 0);
                    ++parts[0];
                }
            }
        }
        QVERIFY(parts[0] > 0 && parts[1] > 0 && parts[2] > 0);
    }

    void trioParts() {
        const VaeConverter conv(trioConfig());
        Note drumOnProgram1 = qnote(42, 6, 7, 100, true);
        drumOnProgram1.program = 1;  // isDrum wins over the program
        const NoteSequence ns = quantizedSequence({
            programNote(60, 0, 4, 0), programNote(67, 0, 4, 31),  // chord: 67 kept
            programNote(36, 0, 4, 33), programNote(40, 4, 8, 32), programNote(59, 8, 9, 39),
            programNote(100, 2, 3, 40), programNote(10, 70, 80, 80),  // no part: dropped
            qnote(36, 2, 3, 100, true), qnote(35, 2, 3, 100, true),   // one kick class
            qnote(90, 2, 3, 100, true), qnote(90, 3, 4, 100, true),   // unmapped: ignored
            qnote(38, 4, 5, 100, true), drumOnProgram1,
            qnote(20, 90, 91, 100, true),  // unmapped and past the end: ignored
        });
        auto t = conv.toInputTensor(ns);
        QVERIFY2(t.ok(), t.ok() ? "" : t.errorMessage().c_str());
        QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{64, kTrioDepth}));
        QCOMPARE(t->sum().item<float>(), 3.0F * 64);  // one hot per part and step
        QCOMPARE(trioLabels((*t)[0]), (std::vector<int64_t>{67 - 48 + 2, 36 - 24 + 2, 0}));
        QCOMPARE(trioLabels((*t)[2]), (std::vector<int64_t>{0, 0, 1}));
        QCOMPARE(trioLabels((*t)[3]), (std::vector<int64_t>{0, 0, 0}));
        QCOMPARE(trioLabels((*t)[4]), (std::vector<int64_t>{1, 40 - 24 + 2, 2}));
        QCOMPARE(trioLabels((*t)[6]), (std::vector<int64_t>{0, 0, 4}));
        QCOMPARE(trioLabels((*t)[8]), (std::vector<int64_t>{0, 59 - 24 + 2, 0}));
        QCOMPARE(trioLabels((*t)[9]), (std::vector<int64_t>{0, 1, 0}));
        QCOMPARE(ns.notes[0].pitch, 60);  // the caller's notes are not re-sorted

        // Decoding the target gives the parts back on their instruments.
        const NoteSequence out = conv.toNoteSequence(*conv.toOutputTensor(ns));
        QCOMPARE(stepTriples(out), (std::vector<std::vector<int64_t>>{{67, 0, 4},
                                                                      {36, 0, 4},
                                                                      {40, 4, 8},
                                                                      {59, 8, 9},
                                                                      {36, 2, 3},
                                                                      {38, 4, 5},
                                                                      {42, 6, 7}}));
        QCOMPARE(out.notes[0].instrument, 0);
        QCOMPARE(out.notes[1].instrument, 1);
        QCOMPARE(out.notes[1].program, 33);
        QVERIFY(!out.notes[3].isDrum);
        QVERIFY(out.notes[4].isDrum);
        QCOMPARE(out.notes[6].instrument, 9);

        // A sequence with no notes is silence in every part.
        auto empty = conv.toInputTensor(quantizedSequence({}));
        QVERIFY(empty.ok());
        QCOMPARE(trioLabels((*empty)[63]), (std::vector<int64_t>{0, 0, 0}));
        QVERIFY(conv.decode(*empty)->notes.empty());
    }

    void trioErrors() {
        const VaeConverter conv(trioConfig());
        auto check = [&](const NoteSequence& ns, const std::vector<std::string>& needles) {
            auto t = conv.toInputTensor(ns);
            if (t.ok()) return std::string("accepted");
            for (const std::string& needle : needles)
                if (!contains(t.errorMessage(), needle))
                    return "\"" + t.errorMessage() + "\" lacks \"" + needle + "\"";
            return std::string();
        };
        const std::vector<std::pair<NoteSequence, std::vector<std::string>>> cases = {
            {quantizedSequence({programNote(90, 3, 4, 0)}),
             {"melody part", "pitch 90", "step 3", "48..83"}},
            {quantizedSequence({programNote(60, 0, 4, 5), programNote(70, 5, 6, 34)}),
             {"bass part", "pitch 70", "step 5", "24..59"}},
            {quantizedSequence({programNote(20, 0, 4, 33)}), {"bass part", "pitch 20", "24..59"}},
            {quantizedSequence({programNote(60, 64, 65, 0)}), {"melody part", "step 64"}},
            {quantizedSequence({programNote(30, 70, 71, 38)}), {"bass part", "step 70"}},
            {quantizedSequence({qnote(36, 64, 65, 100, true)}), {"drum part", "step 64"}},
            {quantizedSequence({programNote(60, 0, 1, 0)}, 2), {"TrioConverter", "2 steps"}},
        };
        for (const auto& [ns, needles] : cases) {
            const std::string problem = check(ns, needles);
            QVERIFY2(problem.empty(), problem.c_str());
        }
        NoteSequence raw;
        raw.notes = {programNote(60, 0, 1, 0)};
        QVERIFY(!conv.toInputTensor(raw).ok());
        // With ignorePolyphony off in a part, a chord in that part is an error naming it.
        VaeConverterConfig strict = trioConfig();
        strict.bassIgnorePolyphony = false;
        const NoteSequence bassChord =
            quantizedSequence({programNote(36, 4, 8, 33), programNote(40, 4, 8, 33)});
        QVERIFY(conv.toInputTensor(bassChord).ok());
        auto err = VaeConverter(strict).toInputTensor(bassChord);
        QVERIFY(!err.ok());
        QVERIFY2(contains(err.errorMessage(), "bass part") &&
                     contains(err.errorMessage(), "not monophonic") &&
                     contains(err.errorMessage(), "step 4"),
                 err.errorMessage().c_str());
        // ... while a melody chord is still fine there.
        QVERIFY(VaeConverter(strict)
                    .toInputTensor(
                        quantizedSequence({programNote(60, 0, 2, 0), programNote(64, 0, 2, 0)}))
                    .ok());
    }

    void trioDecode() {
        VaeConverterConfig c = trioConfig();
        c.outputVelocity = 90;
        c.bassProgram = 34;
        const VaeConverter conv(c);
        torch::Tensor rows = torch::zeros({3, kTrioDepth});
        rows[0][2 + (72 - 48)] = 0.6F;  // melody 72, as probabilities
        rows[0][3] = 0.3F;
        rows[0][kTrioMel + 2 + (30 - 24)] = 1.0F;      // bass 30
        rows[0][kTrioMel + kTrioBass + 1 + 4] = 1.0F;  // kick + closed hi-hat
        rows[1][0] = 1.0F;                             // melody held
        rows[1][kTrioMel + 1] = 1.0F;                  // bass NOTE_OFF
        rows[1][kTrioMel + kTrioBass] = 1.0F;          // no drums
        rows[2][1] = 1.0F;                             // melody NOTE_OFF
        rows[2][kTrioMel] = 1.0F;
        rows[2][kTrioMel + kTrioBass + 256] = 1.0F;  // ride
        const NoteSequence ns = conv.toNoteSequence(rows.unsqueeze(0), 60.0);
        QCOMPARE(stepTriples(ns), (std::vector<std::vector<int64_t>>{
                                      {72, 0, 2}, {30, 0, 1}, {36, 0, 1}, {42, 0, 1}, {51, 2, 3}}));
        QCOMPARE(ns.notes[0].instrument, 0);
        QCOMPARE(ns.notes[0].program, 0);
        QCOMPARE(ns.notes[1].instrument, 1);
        QCOMPARE(ns.notes[1].program, 34);
        for (size_t k = 2; k < ns.notes.size(); ++k) {
            QVERIFY(ns.notes[k].isDrum);
            QCOMPARE(ns.notes[k].instrument, 9);
        }
        for (const Note& n : ns.notes) QCOMPARE(n.velocity, 90);
        QCOMPARE(ns.notes[0].endTime, 0.5);  // 60 qpm: a quarter second per step
        QCOMPARE(ns.totalQuantizedSteps, int64_t{3});
        QCOMPARE(ns.quantizationInfo.stepsPerQuarter, 4);
        auto wide = conv.decode(torch::zeros({64, kTrioDepth - 1}));
        QVERIFY(!wide.ok());
        QVERIFY2(contains(wide.errorMessage(), "588") && contains(wide.errorMessage(), "587"),
                 wide.errorMessage().c_str());
    }

    void decodeRejectsBadShapes() {
        const VaeConverter conv(melodyConfig());
        auto wide = conv.decode(torch::zeros({32, 40}));
        QVERIFY(!wide.ok());
        QVERIFY2(contains(wide.errorMessage(), "38") && contains(wide.errorMessage(), "40"),
                 wide.errorMessage().c_str());
        QVERIFY(!conv.decode(torch::zeros({2, 32, 38})).ok());
        QVERIFY(!conv.decode(torch::zeros({32, 38}), 0.0).ok());
        QVERIFY(conv.toNoteSequence(torch::zeros({32, 40})).notes.empty());
        auto silent = conv.decode(torch::zeros({32, 38}));
        QVERIFY(silent.ok());
        QVERIFY(silent->notes.empty());
        QCOMPARE(silent->totalQuantizedSteps, int64_t{32});
    }
};

QTEST_APPLESS_MAIN(TestVaeConverter)
#include "TestVaeConverter.moc"
