// MusicVae against Magenta.js: each fixture under tests/data/parity/music_vae is a seeded random
// checkpoint that tools/parity/music_vae_fixtures.js ran through Magenta.js 1.23.1 (tfjs CPU).
// The C++ network must give the same mu for the same encoder rows (within 1e-4), the same
// argmax decoder rows for that mu (categorical: identical classes; groove: identical hits,
// velocities and offsets within 1e-4). Flat and hierarchical (conductor; trio with three core
// decoders) layouts. interpolate() runs through the whole MusicVaeGenerator (quantized input,
// encoder, latent path, chained decoder, converter) and must give Magenta.js's notes; trio notes
// are compared part by part, with Toccata's intended bass program 33 (Magenta.js 32) and drum
// instrument 9 (Magenta.js 2) mapped (VaeConverter.h).
#include <algorithm>

#include "ml/ModelSpec.h"
#include "ml/models/music_vae/MusicVae.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"
#include "unit/ml/MlTestSupport.h"

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::test::maxAbsDiff;
using toccata::test::musicVaeFixture;
using toccata::test::qs;

namespace {

constexpr double kTolerance = 1e-4;

/// Per-step lists of [index, value] pairs -> dense [steps, depth].
torch::Tensor denseRows(const JsonValue& steps, int64_t depth) {
    torch::Tensor out = torch::zeros({static_cast<int64_t>(steps.items().size()), depth});
    auto a = out.accessor<float, 2>();
    int64_t t = 0;
    for (const JsonValue& step : steps.items()) {
        for (const JsonValue& p : step.items())
            a[t][p.items()[0].asInt()] = static_cast<float>(p.items()[1].asNumber());
        ++t;
    }
    return out;
}

torch::Tensor matrix(const JsonValue& rows) {
    std::vector<torch::Tensor> out;
    for (const JsonValue& row : rows.items()) {
        std::vector<float> v;
        for (const JsonValue& x : row.items()) v.push_back(static_cast<float>(x.asNumber()));
        out.push_back(torch::tensor(v, torch::kFloat));
    }
    return torch::stack(out);
}

/// A fixture input as the generator gets it: quantized at 4 steps per quarter, 120 QPM, with
/// the on-grid times the Magenta.js script used.
toccata::core::NoteSequence fixtureSequence(const JsonValue& json) {
    toccata::core::NoteSequence seq;
    seq.quantizationInfo.stepsPerQuarter = 4;
    seq.tempos.push_back({0.0, 120.0});
    for (const JsonValue& n : json.find("notes")->items()) {
        toccata::core::Note note;
        note.pitch = static_cast<int>(n.find("pitch")->asInt());
        note.quantizedStartStep = n.find("quantizedStartStep")->asInt();
        note.quantizedEndStep = n.find("quantizedEndStep")->asInt();
        note.startTime = 0.125 * static_cast<double>(note.quantizedStartStep);
        note.endTime = 0.125 * static_cast<double>(note.quantizedEndStep);
        if (const JsonValue* v = n.find("velocity")) note.velocity = static_cast<int>(v->asInt());
        if (const JsonValue* d = n.find("isDrum")) note.isDrum = d->asBool();
        if (const JsonValue* p = n.find("program")) note.program = static_cast<int>(p->asInt());
        if (const JsonValue* i = n.find("instrument"))
            note.instrument = static_cast<int>(i->asInt());
        seq.notes.push_back(note);
    }
    for (const auto& n : seq.notes)
        seq.totalQuantizedSteps = std::max(seq.totalQuantizedSteps, n.quantizedEndStep);
    return seq;
}

/// Magenta.js's trio output: melody on instrument 0, bass on instrument 1 with program 32,
/// drums on instrument 2. Toccata writes bass program 33 and drums on instrument 9.
constexpr int kMagentaJsTrioBassProgram = 32;
constexpr int kMagentaJsTrioDrumInstrument = 2;
constexpr int kToccataTrioDrumInstrument = 9;

/// Trio part of a note as TrioConverter splits them: 0 melody, 1 bass, 2 drums (-1: none).
int trioPart(int program, bool isDrum) {
    if (isDrum) return 2;
    if (program >= 0 && program <= kTrioMelodyMaxProgram) return 0;
    if (program >= kTrioBassMinProgram && program <= kTrioBassMaxProgram) return 1;
    return -1;
}

/// A note as both sides can state it: pitch, start and end (steps for quantized output,
/// seconds for groove) and velocity (groove only; Magenta.js sets none on melody and drums).
/// Notes Magenta.js starts before 0 s are moved to 0 by Toccata (keeping their length), so
/// the expected side is moved the same way. Trio notes also carry their part, instrument,
/// program and drum flag (the expected side mapped to Toccata's bass program and drum
/// instrument); for the other models these stay 0.
struct NoteKey {
    int pitch = 0;
    double start = 0, end = 0;
    int velocity = 0;
    int part = 0, instrument = 0, program = 0;
    bool isDrum = false;
    bool operator<(const NoteKey& o) const {
        if (part != o.part) return part < o.part;
        return pitch != o.pitch ? pitch < o.pitch : start < o.start;
    }
};

std::vector<NoteKey> noteKeys(const JsonValue& notes, bool trio) {
    std::vector<NoteKey> keys;
    for (const JsonValue& n : notes.items()) {
        NoteKey k;
        k.pitch = static_cast<int>(n.find("pitch")->asInt());
        if (trio) {
            const JsonValue* drum = n.find("isDrum");
            const JsonValue* program = n.find("program");
            const JsonValue* instrument = n.find("instrument");
            k.isDrum = drum && drum->asBool();
            k.program = program ? static_cast<int>(program->asInt()) : 0;
            k.instrument = instrument ? static_cast<int>(instrument->asInt()) : 0;
            k.part = trioPart(k.program, k.isDrum);
            if (k.part == 1 && k.program == kMagentaJsTrioBassProgram)
                k.program = kTrioDefaultBassProgram;
            if (k.part == 2 && k.instrument == kMagentaJsTrioDrumInstrument)
                k.instrument = kToccataTrioDrumInstrument;
        }
        if (const JsonValue* start = n.find("startTime")) {
            k.start = start->asNumber();
            k.end = n.find("endTime")->asNumber();
            if (k.start < 0) {
                k.end -= k.start;
                k.start = 0;
            }
            k.velocity = static_cast<int>(n.find("velocity")->asInt());
        } else {
            k.start = static_cast<double>(n.find("quantizedStartStep")->asInt());
            k.end = static_cast<double>(n.find("quantizedEndStep")->asInt());
        }
        keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

std::vector<NoteKey> noteKeys(const toccata::core::NoteSequence& seq, bool timed, bool trio) {
    std::vector<NoteKey> keys;
    for (const auto& n : seq.notes) {
        NoteKey k;
        k.pitch = n.pitch;
        if (timed) {
            k.start = n.startTime;
            k.end = n.endTime;
            k.velocity = n.velocity;
        } else {
            k.start = static_cast<double>(n.quantizedStartStep);
            k.end = static_cast<double>(n.quantizedEndStep);
        }
        if (trio) {
            k.isDrum = n.isDrum;
            k.program = n.program;
            k.instrument = n.instrument;
            k.part = trioPart(n.program, n.isDrum);
        }
        keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

/// "" when equal (times within 1e-5 s), else the first difference.
std::string compareNotes(const std::vector<NoteKey>& got, const std::vector<NoteKey>& want) {
    static const char* const kParts[] = {"melody", "bass", "drums"};
    auto show = [](const NoteKey& k) {
        return std::string(k.part >= 0 && k.part <= 2 ? kParts[k.part] : "no part") + " " +
               std::to_string(k.pitch) + " " + std::to_string(k.start) + "-" +
               std::to_string(k.end) + " v" + std::to_string(k.velocity) + " instrument " +
               std::to_string(k.instrument) + " program " + std::to_string(k.program) +
               (k.isDrum ? " drum" : "");
    };
    if (got.size() != want.size()) {
        std::string counts =
            std::to_string(got.size()) + " notes, Magenta.js " + std::to_string(want.size());
        for (int part = 0; part < 3; ++part) {
            auto inPart = [part](const NoteKey& k) { return k.part == part; };
            counts += std::string("; ") + kParts[part] + " " +
                      std::to_string(std::count_if(got.begin(), got.end(), inPart)) + " vs " +
                      std::to_string(std::count_if(want.begin(), want.end(), inPart));
        }
        return counts;
    }
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i].part != want[i].part || got[i].pitch != want[i].pitch ||
            std::abs(got[i].start - want[i].start) > 1e-5 ||
            std::abs(got[i].end - want[i].end) > 1e-5 || got[i].velocity != want[i].velocity ||
            got[i].instrument != want[i].instrument || got[i].program != want[i].program ||
            got[i].isDrum != want[i].isDrum)
            return "note " + std::to_string(i) + ": " + show(got[i]) + ", Magenta.js " +
                   show(want[i]);
    return "";
}

struct Fixture {
    JsonValue expected;
    std::unique_ptr<MusicVae> net;
};

Fixture openFixture(const QString& name) {
    Fixture f;
    const std::string folder = musicVaeFixture(name.toStdString());
    f.expected = toccata::test::readJsonFile(folder + "/expected.json");
    auto spec = loadModelSpec(folder);
    if (!spec) {
        qWarning("%s", spec.errorMessage().c_str());
        return f;
    }
    auto net = MusicVae::load(*spec);
    if (!net) {
        qWarning("%s", net.errorMessage().c_str());
        return f;
    }
    f.net = std::move(net.value());
    return f;
}

}  // namespace

class TestMusicVaeParity : public QObject {
    Q_OBJECT

private slots:
    void encoderMuMatchesMagentaJs_data() { addFixtureRows(); }
    void encoderMuMatchesMagentaJs();
    void argmaxDecodeMatchesMagentaJs_data() { addFixtureRows(); }
    void argmaxDecodeMatchesMagentaJs();
    void interpolateMatchesMagentaJs_data();
    void interpolateMatchesMagentaJs();

private:
    static void addFixtureRows() {
        QTest::addColumn<QString>("fixture");
        for (const char* name : {"mel_2bar_flat", "drums_2bar_flat", "groovae_2bar_humanize",
                                 "mel_4bar_hier", "trio_4bar_hier"})
            QTest::newRow(name) << QString(name);
    }
};

void TestMusicVaeParity::encoderMuMatchesMagentaJs() {
    QFETCH(QString, fixture);
    Fixture f = openFixture(fixture);
    QVERIFY(f.net);
    QVERIFY(f.expected.isObject());
    std::vector<torch::Tensor> inputs;
    for (const JsonValue& in : f.expected.find("inputs")->items())
        inputs.push_back(denseRows(*in.find("rows"), f.net->inputDepth()));
    auto posterior = f.net->encode(torch::stack(inputs));
    QVERIFY2(posterior.ok(), posterior.ok() ? "" : posterior.errorMessage().c_str());
    const torch::Tensor want = matrix(*f.expected.find("mu"));
    QCOMPARE(posterior->mu.sizes(), want.sizes());
    const double diff = maxAbsDiff(posterior->mu, want);
    qInfo("%s: max |mu - Magenta.js| = %.3g", qPrintable(fixture), diff);
    QVERIFY2(diff < kTolerance, qPrintable(QString("mu differs by %1").arg(diff)));
    QVERIFY(f.net->hasSigma());
    QVERIFY((posterior->sigma > 0).all().item<bool>());
}

void TestMusicVaeParity::argmaxDecodeMatchesMagentaJs() {
    QFETCH(QString, fixture);
    Fixture f = openFixture(fixture);
    QVERIFY(f.net);
    const torch::Tensor mu = matrix(*f.expected.find("mu"));
    const JsonValue& rows = *f.expected.find("decoded")->find("rows");
    const int64_t steps = static_cast<int64_t>(rows.items().front().items().size());
    Rng rng(1);
    auto decoded = f.net->decode(mu, steps, 0.0, rng);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.errorMessage().c_str());
    QCOMPARE(decoded->size(0), mu.size(0));
    for (int64_t i = 0; i < mu.size(0); ++i) {
        const torch::Tensor want =
            denseRows(rows.items()[static_cast<size_t>(i)], f.net->outputDepth());
        const torch::Tensor got = (*decoded)[i];
        if (f.net->architecture().head == VaeHead::Categorical) {
            // One class per part and step (trio: melody, bass, drums side by side).
            int64_t offset = 0;
            for (int64_t depth : f.net->architecture().outputDepths) {
                QVERIFY(got.narrow(1, offset, depth)
                            .argmax(1)
                            .equal(want.narrow(1, offset, depth).argmax(1)));
                offset += depth;
            }
            QCOMPARE(got.sum().item<double>(), want.sum().item<double>());
        } else {
            const int64_t drums = f.net->outputDepth() / 3;
            QVERIFY(got.narrow(1, 0, drums).equal(want.narrow(1, 0, drums)));
            const double diff = maxAbsDiff(got, want);
            qInfo("%s[%lld]: max |groove output - Magenta.js| = %.3g", qPrintable(fixture),
                  static_cast<long long>(i), diff);
            QVERIFY2(diff < kTolerance, qPrintable(QString("outputs differ by %1").arg(diff)));
        }
    }
}

void TestMusicVaeParity::interpolateMatchesMagentaJs_data() {
    QTest::addColumn<QString>("fixture");
    // drums_2bar_flat has no interpolation: Magenta.js's own drum rows differ (see README).
    for (const char* name :
         {"mel_2bar_flat", "groovae_2bar_humanize", "mel_4bar_hier", "trio_4bar_hier"})
        QTest::newRow(name) << QString(name);
}

void TestMusicVaeParity::interpolateMatchesMagentaJs() {
    QFETCH(QString, fixture);
    const std::string folder = musicVaeFixture(fixture.toStdString());
    const JsonValue expected = toccata::test::readJsonFile(folder + "/expected.json");
    auto spec = loadModelSpec(folder);
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.errorMessage().c_str());
    auto model = MusicVaeGenerator::load(*spec);
    QVERIFY2(model.ok(), model.ok() ? "" : model.errorMessage().c_str());
    const auto& inputs = expected.find("inputs")->items();
    const JsonValue& interp = *expected.find("interpolate");
    VaeInterpolateOptions options;
    options.steps = static_cast<int>(interp.find("steps")->asInt());
    auto results = (*model)->interpolate(fixtureSequence(*inputs[0].find("sequence")),
                                         fixtureSequence(*inputs[1].find("sequence")), options);
    QVERIFY2(results.ok(), results.ok() ? "" : results.errorMessage().c_str());
    const auto& want = interp.find("sequences")->items();
    QCOMPARE(results->size(), want.size());
    const VaeConverterType type = (*model)->converter().config().type;
    const bool timed = type == VaeConverterType::Groove;
    const bool trio = type == VaeConverterType::Trio;
    for (size_t i = 0; i < want.size(); ++i) {
        const std::vector<NoteKey> wantKeys = noteKeys(*want[i].find("notes"), trio);
        if (trio) {
            // Every part sounds in the fixture, so the part mapping is really compared.
            for (int part = 0; part < 3; ++part)
                QVERIFY(std::any_of(wantKeys.begin(), wantKeys.end(),
                                    [part](const NoteKey& k) { return k.part == part; }));
        }
        const std::string diff = compareNotes(noteKeys((*results)[i], timed, trio), wantKeys);
        QVERIFY2(diff.empty(), qPrintable(QString("result %1: %2").arg(i).arg(qs(diff))));
    }
}

QTEST_APPLESS_MAIN(TestMusicVaeParity)
#include "TestMusicVaeParity.moc"
