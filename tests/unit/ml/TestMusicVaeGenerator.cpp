// MusicVaeGenerator on a small untrained network (MusicVae::initialize): sampling is
// deterministic per seed and chains to any length, interpolation's ends are the clips'
// reconstructions, slerp keeps the norm between unit vectors, a key lock keeps sampled
// melodies in the key, and bad input gets a message that names the problem. Groove and drumify
// run on the committed GrooVAE fixture (a seeded random checkpoint, humanize; a tapify copy is
// made in a temporary folder): amount 0 gives the input back, any length is covered chunk by
// chunk, and each tool refuses the other's model.
// MlTestSupport.h and the ML headers come before any other Qt header (Qt's `slots` macro).
#include "MlTestSupport.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace toccata::ml;
using toccata::core::JsonValue;
using toccata::core::Note;
using toccata::core::NoteSequence;

namespace {

std::unique_ptr<MusicVaeGenerator> melodyModel() {
    VaeConverterConfig cfg;
    cfg.type = VaeConverterType::Melody;
    cfg.numSteps = 32;
    cfg.minPitch = 48;
    cfg.maxPitch = 83;
    MusicVaeArchitecture arch;
    arch.inputDepth = cfg.inputDepth();
    arch.latentSize = 8;
    arch.encoderSizes = {16};
    arch.decoderSizes = {16, 16};
    arch.outputDepths = {cfg.outputDepth()};
    auto net = MusicVae::initialize(arch, 7);
    if (!net) return nullptr;
    ModelSpec spec;
    spec.id = "test_vae";
    spec.family = "music_vae";
    return std::make_unique<MusicVaeGenerator>(spec, std::move(net.value()), VaeConverter(cfg));
}

std::unique_ptr<MusicVaeGenerator> drumsModel() {
    VaeConverterConfig cfg;
    cfg.type = VaeConverterType::Drums;
    cfg.numSteps = 32;
    MusicVaeArchitecture arch;
    arch.inputDepth = cfg.inputDepth();
    arch.latentSize = 8;
    arch.encoderSizes = {16};
    arch.decoderSizes = {16};
    arch.outputDepths = {cfg.outputDepth()};
    auto net = MusicVae::initialize(arch, 3);
    if (!net) return nullptr;
    ModelSpec spec;
    spec.id = "test_drums_vae";
    spec.family = "music_vae";
    return std::make_unique<MusicVaeGenerator>(spec, std::move(net.value()), VaeConverter(cfg));
}

/// A model folder loaded through the same path as the app and the CLI.
std::unique_ptr<MusicVaeGenerator> loadFolder(const std::string& folder) {
    auto spec = loadModelSpec(folder);
    if (!spec) {
        qWarning("%s", spec.errorMessage().c_str());
        return nullptr;
    }
    auto model = MusicVaeGenerator::load(*spec);
    if (!model) {
        qWarning("%s", model.errorMessage().c_str());
        return nullptr;
    }
    return std::move(model.value());
}

/// A copy of the groovae_2bar_humanize fixture in `dir` with `key` set to `value` in its
/// dataConverter args (e.g. a tap2drum model with the same weights); "" when it cannot be
/// written.
std::string fixtureCopyWith(const QTemporaryDir& dir, const char* key, const JsonValue& value) {
    const QDir source(
        QString::fromStdString(toccata::test::musicVaeFixture("groovae_2bar_humanize")));
    for (const QFileInfo& file : source.entryInfoList(QDir::Files))
        if (!QFile::copy(file.filePath(), dir.filePath(file.fileName()))) return "";
    const std::string configPath = dir.filePath("config.json").toStdString();
    JsonValue config = toccata::test::readJsonFile(configPath);
    const JsonValue* converter = config.find("dataConverter");
    if (!converter || !converter->find("args")) return "";
    JsonValue args = *converter->find("args");
    args.set(key, value);
    JsonValue newConverter = *converter;
    newConverter.set("args", std::move(args));
    config.set("dataConverter", std::move(newConverter));
    QFile::remove(dir.filePath("config.json"));
    if (!toccata::test::writeBytes(dir.filePath("config.json"),
                                   QByteArray::fromStdString(config.dump(2))))
        return "";
    return dir.path().toStdString();
}

std::string tapifyCopy(const QTemporaryDir& dir) { return fixtureCopyWith(dir, "tapify", true); }

/// `bars` bars of drums at 120 QPM (0.125 s per step): kick on 1 and 3, snare on 2 and 4, a
/// closed hat every eighth, each hit after the first a little off the grid (early or late),
/// each with its own velocity.
NoteSequence drumGroove(int bars) {
    NoteSequence seq;
    seq.tempos.push_back({0.0, 120.0});
    seq.timeSignatures.push_back({0.0, 4, 4});
    auto hit = [&](int pitch, int step, int velocity) {
        Note n;
        n.pitch = pitch;
        n.velocity = velocity;
        n.startTime = 0.125 * step + (step == 0 ? 0.0 : 0.004 * ((step % 3) - 1));
        n.endTime = n.startTime + 0.1;
        n.isDrum = true;
        n.instrument = 9;
        seq.notes.push_back(n);
    };
    for (int step = 0; step < bars * 16; ++step) {
        if (step % 8 == 0) hit(36, step, 100 + step % 20);
        if (step % 8 == 4) hit(38, step, 90 + step % 30);
        if (step % 2 == 0) hit(42, step, 50 + (step * 7) % 40);
    }
    seq.totalTime = 2.0 * bars;
    return seq;
}

/// (start, pitch, velocity, end) of every note, sorted: what groove must keep at amount 0.
std::vector<std::tuple<double, int, int, double>> timedNotes(const NoteSequence& seq) {
    std::vector<std::tuple<double, int, int, double>> out;
    for (const Note& n : seq.notes) out.emplace_back(n.startTime, n.pitch, n.velocity, n.endTime);
    std::sort(out.begin(), out.end());
    return out;
}

bool inDMajor(int pitch) {
    static const std::set<int> kClasses = {2, 4, 6, 7, 9, 11, 1};  // D E F# G A B C#
    return kClasses.count(pitch % 12) > 0;
}

NoteSequence scale(int bars, int first = 60) {
    NoteSequence seq;
    for (int i = 0; i < bars * 4; ++i) {
        Note n;
        n.pitch = first + (i % 8);
        n.startTime = 0.5 * i;
        n.endTime = 0.5 * i + 0.5;
        seq.notes.push_back(n);
    }
    seq.totalTime = 2.0 * bars;
    return seq;
}

}  // namespace

class TestMusicVaeGenerator : public QObject {
    Q_OBJECT

private slots:
    void sampleIsDeterministicAndChains();
    void interpolateEndsAreReconstructions();
    void slerpKeepsTheNorm();
    void badInputIsNamed();
    void keyLockKeepsSamplesInKey();
    void keyLockCoversTrioMelodyAndBass();
    void keyLockRefusesDrumModels();
    void grooveAmountZeroGivesTheInputBack();
    void grooveCoversAnyLength();
    void grooveIsReproducibleWithTemperature();
    void grooveKeepsEveryHitAndMovesIt();
    void grooveAndDrumifyRefuseTheOthersModel();
    void drumifyTurnsARhythmIntoDrums();
    void addHiHatKeepsTheBeatAndAddsOnlyHats();
};

void TestMusicVaeGenerator::sampleIsDeterministicAndChains() {
    auto model = melodyModel();
    QVERIFY(model);
    VaeSampleOptions options;
    options.count = 2;
    options.bars = 5;
    options.temperature = 1.0;
    options.seed = 11;
    auto a = model->sample(options), b = model->sample(options);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->size(), size_t(2));
    QCOMPARE((*a)[0].notes, (*b)[0].notes);
    QCOMPARE((*a)[0].totalQuantizedSteps, int64_t(5 * 16));
    for (const Note& n : (*a)[0].notes) QVERIFY(n.quantizedEndStep <= 80);
    options.seed = 12;
    auto c = model->sample(options);
    QVERIFY(c.ok());
    QVERIFY((*c)[0].notes != (*a)[0].notes);
}

void TestMusicVaeGenerator::interpolateEndsAreReconstructions() {
    auto model = melodyModel();
    QVERIFY(model);
    const NoteSequence from = scale(2), to = scale(2, 64);
    VaeInterpolateOptions options;
    options.steps = 4;
    auto path = model->interpolate(from, to, options);
    QVERIFY2(path.ok(), path.ok() ? "" : path.errorMessage().c_str());
    QCOMPARE(path->size(), size_t(4));
    Rng rng(0);
    auto zFrom = model->encode(from), zTo = model->encode(to);
    QVERIFY(zFrom.ok() && zTo.ok());
    auto first = model->decode(*zFrom, 0.0, rng, 120.0);
    auto last = model->decode(*zTo, 0.0, rng, 120.0);
    QVERIFY(first.ok() && last.ok());
    QCOMPARE(path->front().notes.size(), first->front().notes.size());
    for (size_t i = 0; i < first->front().notes.size(); ++i) {
        QCOMPARE(path->front().notes[i].pitch, first->front().notes[i].pitch);
        QCOMPARE(path->back().notes.size(), last->front().notes.size());
    }
    // A 4-bar clip against a 2-bar one: two chunks, the shorter clip looped.
    auto longer = model->interpolate(scale(4), to, options);
    QVERIFY(longer.ok());
    QCOMPARE(longer->front().totalQuantizedSteps, int64_t(64));
}

void TestMusicVaeGenerator::slerpKeepsTheNorm() {
    const torch::Tensor a = torch::tensor({1.0f, 0.0f, 0.0f}),
                        b = torch::tensor({0.0f, 1.0f, 0.0f});
    const torch::Tensor mid = MusicVaeGenerator::latentPath(a, b, 0.5, LatentPath::Spherical);
    QVERIFY(std::abs(mid.norm().item<double>() - 1.0) < 1e-6);
    const torch::Tensor lin = MusicVaeGenerator::latentPath(a, b, 0.5, LatentPath::Linear);
    QVERIFY(std::abs(lin.norm().item<double>() - std::sqrt(0.5)) < 1e-6);
    // Parallel vectors: slerp is undefined, the lerp fallback is used.
    const torch::Tensor same = MusicVaeGenerator::latentPath(a, 2 * a, 0.5, LatentPath::Spherical);
    QVERIFY(torch::allclose(same, 1.5 * a));
    QVERIFY(torch::allclose(MusicVaeGenerator::latentPath(a, b, 0.0, LatentPath::Spherical), a));
    QVERIFY(torch::allclose(MusicVaeGenerator::latentPath(a, b, 1.0, LatentPath::Spherical), b,
                            1e-6, 1e-6));
}

void TestMusicVaeGenerator::badInputIsNamed() {
    auto model = melodyModel();
    QVERIFY(model);
    NoteSequence chord = scale(1);
    Note extra = chord.notes.front();
    extra.pitch = 67;
    chord.notes.push_back(extra);
    auto poly = model->encode(chord);
    QVERIFY(!poly.ok());
    QVERIFY2(poly.errorMessage().find("polyphonic") != std::string::npos,
             poly.errorMessage().c_str());
    NoteSequence waltz = scale(1);
    waltz.timeSignatures.push_back({0.0, 3, 4});
    auto threeFour = model->encode(waltz);
    QVERIFY(!threeFour.ok());
    QVERIFY(threeFour.errorMessage().find("3/4") != std::string::npos);
    NoteSequence high = scale(1, 90);
    auto range = model->encode(high);
    QVERIFY(!range.ok());
    QVERIFY2(range.errorMessage().find("outside the model's range 48..83") != std::string::npos,
             range.errorMessage().c_str());
    VaeSampleOptions options;
    options.temperature = 2.5;
    QVERIFY(!model->sample(options).ok());
    options.temperature = 1.0;
    options.count = 0;
    QVERIFY(!model->sample(options).ok());
    VaeGrooveOptions groove;
    auto notGroove = model->groove(scale(1), groove);
    QVERIFY(!notGroove.ok());
    QVERIFY(notGroove.errorMessage().find("not a GrooVAE") != std::string::npos);
}

void TestMusicVaeGenerator::keyLockKeepsSamplesInKey() {
    auto model = melodyModel();
    QVERIFY(model);
    auto key = KeyScale::parse("D major");
    QVERIFY2(key.ok(), key.ok() ? "" : key.errorMessage().c_str());
    VaeSampleOptions options;
    options.count = 4;
    options.temperature = 1.0;
    int locked = 0, outOfKeyUnlocked = 0;
    for (uint64_t seed : {1, 2, 3}) {
        options.seed = seed;
        options.keyScale = *key;
        auto inKey = model->sample(options);
        QVERIFY2(inKey.ok(), inKey.ok() ? "" : inKey.errorMessage().c_str());
        for (const NoteSequence& seq : *inKey)
            for (const Note& n : seq.notes) {
                QVERIFY2(inDMajor(n.pitch), qPrintable(QString("pitch %1 (seed %2) is not in D "
                                                               "major")
                                                           .arg(n.pitch)
                                                           .arg(seed)));
                ++locked;
            }
        // The same seeds without the lock: the untrained net is close to uniform over its
        // pitches, so some of them fall outside the key.
        options.keyScale.reset();
        auto free = model->sample(options);
        QVERIFY(free.ok());
        for (const NoteSequence& seq : *free)
            for (const Note& n : seq.notes) outOfKeyUnlocked += inDMajor(n.pitch) ? 0 : 1;
    }
    QVERIFY2(locked > 20, qPrintable(QString("only %1 notes with the key lock").arg(locked)));
    QVERIFY(outOfKeyUnlocked > 0);
    // Chained decoding (longer than the model) keeps the lock in every chunk.
    options.keyScale = *key;
    options.bars = 5;
    options.seed = 9;
    auto longer = model->sample(options);
    QVERIFY(longer.ok());
    bool lastChunk = false;
    for (const Note& n : longer->front().notes) {
        QVERIFY(inDMajor(n.pitch));
        lastChunk = lastChunk || n.quantizedStartStep >= 64;
    }
    QVERIFY(lastChunk);
}

void TestMusicVaeGenerator::keyLockCoversTrioMelodyAndBass() {
    // The committed trio fixture (random weights): the lock covers the melody and the bass
    // parts, whose one-hots sit side by side in the output row.
    auto model = loadFolder(toccata::test::musicVaeFixture("trio_4bar_hier"));
    QVERIFY(model);
    auto key = KeyScale::parse("D major");
    QVERIFY(key.ok());
    VaeSampleOptions options;
    options.count = 3;
    options.temperature = 1.0;
    options.seed = 5;
    options.keyScale = *key;
    auto result = model->sample(options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    int melody = 0, bass = 0;
    for (const NoteSequence& seq : *result)
        for (const Note& n : seq.notes) {
            if (n.isDrum) continue;
            QVERIFY2(inDMajor(n.pitch), qPrintable(QString("%1 pitch %2 is not in D major")
                                                       .arg(n.program >= 32 ? "bass" : "melody")
                                                       .arg(n.pitch)));
            ++(n.program >= kTrioBassMinProgram ? bass : melody);
        }
    QVERIFY2(melody > 0 && bass > 0,
             qPrintable(QString("melody %1 notes, bass %2").arg(melody).arg(bass)));
}

void TestMusicVaeGenerator::keyLockRefusesDrumModels() {
    auto model = drumsModel();
    QVERIFY(model);
    VaeSampleOptions options;
    options.keyScale = KeyScale{2, Scale::kMajor};
    auto result = model->sample(options);
    QVERIFY(!result.ok());
    QVERIFY2(result.errorMessage().find("test_drums_vae") != std::string::npos &&
                 result.errorMessage().find("key lock") != std::string::npos,
             result.errorMessage().c_str());
    options.keyScale.reset();
    QVERIFY(model->sample(options).ok());
}

void TestMusicVaeGenerator::grooveAmountZeroGivesTheInputBack() {
    auto model = loadFolder(toccata::test::musicVaeFixture("groovae_2bar_humanize"));
    QVERIFY(model);
    const NoteSequence input = drumGroove(5);
    VaeGrooveOptions options;
    options.amount = 0.0;
    auto result = model->groove(input, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    const auto got = timedNotes(*result), want = timedNotes(input);
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
        const auto& [gs, gp, gv, ge] = got[i];
        const auto& [ws, wp, wv, we] = want[i];
        QVERIFY2(gs == ws && gp == wp && gv == wv && std::abs(ge - we) < 1e-9,
                 qPrintable(QString("note %1: %2 at %3 v%4, input %5 at %6 v%7")
                                .arg(i)
                                .arg(gp)
                                .arg(gs)
                                .arg(gv)
                                .arg(wp)
                                .arg(ws)
                                .arg(wv)));
    }
    for (const Note& n : result->notes) QVERIFY(n.isDrum);
}

void TestMusicVaeGenerator::grooveCoversAnyLength() {
    auto model = loadFolder(toccata::test::musicVaeFixture("groovae_2bar_humanize"));
    QVERIFY(model);
    QCOMPARE(model->nativeBars(), int64_t(2));
    // 5 bars: three chunks, the last one half padding.
    const NoteSequence input = drumGroove(5);
    const double inputEnd = 10.0;  // 5 bars at 120 QPM
    auto result = model->groove(input, VaeGrooveOptions{});
    QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    QVERIFY(!result->notes.empty());
    std::set<int> bars;
    std::set<int> velocities;
    for (const Note& n : result->notes) {
        QVERIFY2(n.startTime >= 0.0, qPrintable(QString("a hit at %1 s").arg(n.startTime)));
        QVERIFY2(n.startTime < inputEnd,
                 qPrintable(QString("a hit at %1 s, the input ends at 10 s").arg(n.startTime)));
        QVERIFY(n.endTime > n.startTime);
        QVERIFY2(n.velocity >= 1 && n.velocity <= 127, qPrintable(QString::number(n.velocity)));
        QVERIFY(n.isDrum);
        bars.insert(static_cast<int>(n.startTime / 2.0));
        velocities.insert(n.velocity);
    }
    QVERIFY2(velocities.size() > 1, "every velocity is the same");
    // Every bar of the input, the fifth (in the padded last chunk) included, has hits.
    QCOMPARE(bars, (std::set<int>{0, 1, 2, 3, 4}));
    QVERIFY(result->totalTime >= inputEnd - 1e-9);
}

void TestMusicVaeGenerator::grooveIsReproducibleWithTemperature() {
    auto model = loadFolder(toccata::test::musicVaeFixture("groovae_2bar_humanize"));
    QVERIFY(model);
    const NoteSequence input = drumGroove(4);
    VaeGrooveOptions options;
    options.temperature = 1.0;
    options.seed = 21;
    options.keepHits = false;  // the model samples its own hits, as in Magenta Studio
    auto a = model->groove(input, options), b = model->groove(input, options);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(!a->notes.empty());
    QCOMPARE(a->notes, b->notes);
    options.seed = 22;
    auto c = model->groove(input, options);
    QVERIFY(c.ok());
    QVERIFY(c->notes != a->notes);
    // Keeping the input's hits leaves nothing to sample: the seed changes nothing.
    options.keepHits = true;
    auto d = model->groove(input, options);
    options.seed = 21;
    auto e = model->groove(input, options);
    QVERIFY(d.ok() && e.ok());
    QCOMPARE(d->notes, e->notes);
}

void TestMusicVaeGenerator::grooveKeepsEveryHitAndMovesIt() {
    auto model = loadFolder(toccata::test::musicVaeFixture("groovae_2bar_humanize"));
    QVERIFY(model);
    NoteSequence input = drumGroove(3);
    // Two closed-hat pitches on one step (one slot): both stay, with their own pitches.
    Note pedal = input.notes.back();
    pedal.pitch = 44;
    pedal.velocity = 40;
    input.notes.push_back(pedal);
    // A pitch in no drum class has no groove: it stays exactly as written.
    Note odd = input.notes.front();
    odd.pitch = 25;
    odd.startTime = 0.5;
    odd.endTime = 0.6;
    input.notes.push_back(odd);
    auto result = model->groove(input, VaeGrooveOptions{});
    QVERIFY2(result, result ? "" : result.errorMessage().c_str());
    QCOMPARE(result->notes.size(), input.notes.size());
    std::multiset<std::pair<long, int>> before, after;
    for (const Note& n : input.notes) before.emplace(std::lround(n.startTime / 0.125), n.pitch);
    for (const Note& n : result->notes) {
        after.emplace(std::lround(n.startTime / 0.125), n.pitch);
        QVERIFY(n.isDrum && n.velocity >= 1 && n.velocity <= 127);
    }
    QCOMPARE(after, before);  // every hit, on its step, with its pitch
    const auto unchanged = std::find_if(result->notes.begin(), result->notes.end(),
                                        [](const Note& n) { return n.pitch == 25; });
    QVERIFY(unchanged != result->notes.end());
    QCOMPARE(unchanged->startTime, 0.5);
    QCOMPARE(unchanged->velocity, odd.velocity);
    // The model moved them: not every time or velocity is the input's.
    QVERIFY(timedNotes(*result) != timedNotes(input));
}

void TestMusicVaeGenerator::grooveAndDrumifyRefuseTheOthersModel() {
    auto humanize = loadFolder(toccata::test::musicVaeFixture("groovae_2bar_humanize"));
    QVERIFY(humanize);
    auto wrongTool = humanize->drumify(drumGroove(2), VaeGrooveOptions{});
    QVERIFY(!wrongTool.ok());
    QVERIFY2(wrongTool.errorMessage().find("not a tap2drum model") != std::string::npos,
             wrongTool.errorMessage().c_str());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = tapifyCopy(dir);
    QVERIFY(!folder.empty());
    auto tapify = loadFolder(folder);
    QVERIFY(tapify);
    QVERIFY(tapify->converter().config().tapify);
    auto wrongModel = tapify->groove(drumGroove(2), VaeGrooveOptions{});
    QVERIFY(!wrongModel.ok());
    QVERIFY2(wrongModel.errorMessage().find("not a GrooVAE humanize model") != std::string::npos,
             wrongModel.errorMessage().c_str());
}

void TestMusicVaeGenerator::drumifyTurnsARhythmIntoDrums() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = tapifyCopy(dir);
    QVERIFY(!folder.empty());
    auto model = loadFolder(folder);
    QVERIFY(model);
    // Piano notes (not drums) in a syncopated two-bar rhythm.
    NoteSequence rhythm;
    rhythm.tempos.push_back({0.0, 120.0});
    for (int step : {0, 3, 6, 8, 10, 12, 16, 19, 22, 24, 26, 28, 30}) {
        Note n;
        n.pitch = 60 + step % 12;
        n.velocity = 70 + step;
        n.startTime = 0.125 * step;
        n.endTime = n.startTime + 0.2;
        rhythm.notes.push_back(n);
    }
    rhythm.totalTime = 4.0;
    auto result = model->drumify(rhythm, VaeGrooveOptions{});
    QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    QVERIFY(!result->notes.empty());
    for (const Note& n : result->notes) {
        QVERIFY(n.isDrum);
        QVERIFY(n.startTime >= 0.0 && n.startTime < 4.0);
        QVERIFY(n.velocity >= 1 && n.velocity <= 127);
    }
}

void TestMusicVaeGenerator::addHiHatKeepsTheBeatAndAddsOnlyHats() {
    QTemporaryDir dir;
    JsonValue closedHat = JsonValue::array();
    closedHat.push(2);
    const std::string folder = fixtureCopyWith(dir, "addInstruments", closedHat);
    QVERIFY(!folder.empty());
    auto model = loadFolder(folder);
    QVERIFY(model);
    const NoteSequence beat = drumGroove(2);
    // The encoder never sees the hats it is to add.
    auto input = model->converter().toInputTensor(beat);
    QVERIFY(input);
    QCOMPARE(input->narrow(1, 2, 1).abs().sum().item<float>(), 0.0F);
    QVERIFY(input->narrow(1, 0, 1).sum().item<float>() > 0.0F);  // kicks stay
    auto target = model->converter().toOutputTensor(beat);
    QVERIFY(target->narrow(1, 2, 1).sum().item<float>() > 0.0F);

    auto result = model->groove(beat, VaeGrooveOptions{});
    QVERIFY2(result, result ? "" : result.errorMessage().c_str());
    const auto& hats = magentaJsDrumPitchClasses()[2];
    auto isHat = [&](int pitch) {
        return std::find(hats.begin(), hats.end(), pitch) != hats.end();
    };
    std::vector<std::tuple<double, int, int, double>> kept, expected;
    for (const Note& n : beat.notes)
        if (!isHat(n.pitch)) expected.emplace_back(n.startTime, n.pitch, n.velocity, n.endTime);
    for (const Note& n : result->notes) {
        QVERIFY(n.isDrum);
        if (!isHat(n.pitch)) kept.emplace_back(n.startTime, n.pitch, n.velocity, n.endTime);
    }
    std::sort(kept.begin(), kept.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(kept, expected);  // the beat as played, untouched
    // Amount 0 adds nothing.
    VaeGrooveOptions none;
    none.amount = 0.0;
    auto silent = model->groove(beat, none);
    QVERIFY(silent);
    for (const Note& n : silent->notes) QVERIFY(!isHat(n.pitch));
    QCOMPARE(silent->notes.size(), expected.size());
}

QTEST_APPLESS_MAIN(TestMusicVaeGenerator)
#include "TestMusicVaeGenerator.moc"
