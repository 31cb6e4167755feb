// MusicVaeGenerator on a small untrained network (MusicVae::initialize): sampling is
// deterministic per seed and chains to any length, interpolation's ends are the clips'
// reconstructions, slerp keeps the norm between unit vectors, and bad input gets a message
// that names the problem.
#include "MlTestSupport.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"

using namespace toccata::ml;
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
    const torch::Tensor a = torch::tensor({1.0f, 0.0f, 0.0f}), b = torch::tensor({0.0f, 1.0f, 0.0f});
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
    QVERIFY2(poly.errorMessage().find("polyphonic") != std::string::npos, poly.errorMessage().c_str());
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

QTEST_APPLESS_MAIN(TestMusicVaeGenerator)
#include "TestMusicVaeGenerator.moc"
