// Continuing a performance with a Music Transformer (PerformanceTransformer), on a tiny
// untrained model over the 388 performance events: the codec's model.json form and its
// errors, seeds (variation i of seed S = variation 0 of seed S + i), notes placed after the
// primer's end (its trailing rest included) and within the length, the 5 s note cap, the
// primer cut to the context window, an empty primer, progress, cancellation and bad options.
#include "MlTestSupport.h"
#include "ml/models/music_transformer/TransformerContinuation.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <stop_token>

using namespace toccata;

namespace {

constexpr double kEps = 1e-6;

ml::MusicTransformerArchitecture tinyArchitecture(int64_t events = 388) {
    ml::MusicTransformerArchitecture a;
    a.vocabSize = events + ml::kTransformerReservedTokens;
    a.dModel = 16;
    a.numHeads = 2;
    a.numLayers = 1;
    a.ffSize = 32;
    a.maxRelativeDistance = 16;
    a.contextWindow = 32;
    return a;
}

std::unique_ptr<ml::PerformanceTransformer> tinyTransformer() {
    auto net = ml::MusicTransformerNetwork::create(tinyArchitecture(), 11);
    if (!net) qFatal("%s", net.errorMessage().c_str());
    auto model = std::make_shared<const ml::MusicTransformerModel>(core::JsonValue::object(),
                                                                   std::move(net.value()));
    auto transformer = ml::PerformanceTransformer::create(model, ml::TransformerCodec{}, "tiny");
    if (!transformer) qFatal("%s", transformer.errorMessage().c_str());
    return std::move(transformer.value());
}

/// Four notes in the first 2 s with off-grid times and two velocities; totalTime 2 s.
core::NoteSequence primer() {
    core::NoteSequence seq;
    const double starts[] = {0.013, 0.5, 1.007, 1.5};
    for (int i = 0; i < 4; ++i) {
        core::Note n;
        n.pitch = 60 + 2 * i;
        n.velocity = i % 2 ? 40 : 100;
        n.startTime = starts[i];
        n.endTime = starts[i] + 0.4;
        seq.notes.push_back(n);
    }
    seq.totalTime = 2.0;
    return seq;
}

ml::TransformerContinuationOptions optionsFor(double seconds, uint64_t seed, int variations = 1) {
    ml::TransformerContinuationOptions o;
    o.seconds = seconds;
    o.seed = seed;
    o.variations = variations;
    return o;
}

bool sameNotes(const core::NoteSequence& a, const core::NoteSequence& b) {
    if (a.notes.size() != b.notes.size()) return false;
    for (size_t i = 0; i < a.notes.size(); ++i) {
        const core::Note &x = a.notes[i], &y = b.notes[i];
        if (x.pitch != y.pitch || x.velocity != y.velocity ||
            std::abs(x.startTime - y.startTime) > kEps || std::abs(x.endTime - y.endTime) > kEps)
            return false;
    }
    return true;
}

}  // namespace

class TestTransformerContinuation : public QObject {
    Q_OBJECT

private slots:
    void codecJsonRoundTripAndErrors() {
        ml::TransformerCodec codec;
        codec.numVelocityBins = 16;
        auto back = ml::TransformerCodec::fromJson(codec.toJson(), "m.json: codec");
        QVERIFY2(back, back ? "" : back.errorMessage().c_str());
        QCOMPARE(back->numVelocityBins, 16);
        QCOMPARE(back->maxShiftSteps, 100);
        QCOMPARE(back->stepsPerSecond, 100);

        core::JsonValue bad = codec.toJson();
        bad.set("encoding", "melody_one_hot");
        auto wrong = ml::TransformerCodec::fromJson(bad, "m.json: codec");
        QVERIFY(!wrong);
        QVERIFY2(wrong.errorMessage().find("m.json: codec.encoding") != std::string::npos &&
                     wrong.errorMessage().find("melody_one_hot") != std::string::npos,
                 wrong.errorMessage().c_str());
        bad = codec.toJson();
        bad.set("numVelocityBins", int64_t{300});
        wrong = ml::TransformerCodec::fromJson(bad, "m.json: codec");
        QVERIFY(!wrong && wrong.errorMessage().find("numVelocityBins is 300") != std::string::npos);
        bad = codec.toJson();
        bad.set("tokenOffset", int64_t{1});
        wrong = ml::TransformerCodec::fromJson(bad, "m.json: codec");
        QVERIFY(!wrong && wrong.errorMessage().find("tokenOffset is 1") != std::string::npos);
    }

    void loadChecksCodecAgainstNetwork() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto net = ml::MusicTransformerNetwork::create(tinyArchitecture(), 2);
        QVERIFY(net);
        ml::TransformerCodec codec;
        codec.numVelocityBins = 0;  // 356 events, but the network predicts 388
        const std::string folder = dir.path().toStdString() + "/mt";
        core::JsonValue provenance = core::JsonValue::object();
        provenance.set("corpus", "none (untrained)");
        core::JsonValue license = core::JsonValue::object();
        license.set("weights", "CC0-1.0");
        license.set("trainingData", "none");
        QVERIFY(ml::saveMusicTransformer(folder, **net, "mt", codec.toJson(), provenance, license,
                                         true));
        auto spec = ml::loadModelSpec(folder);
        QVERIFY2(spec, spec ? "" : spec.errorMessage().c_str());
        auto loaded = ml::PerformanceTransformer::load(*spec);
        QVERIFY(!loaded);
        QVERIFY2(loaded.errorMessage().find("356") != std::string::npos &&
                     loaded.errorMessage().find("388") != std::string::npos &&
                     loaded.errorMessage().find("model.json") != std::string::npos,
                 loaded.errorMessage().c_str());

        QVERIFY(ml::saveMusicTransformer(folder, **net, "mt", ml::TransformerCodec{}.toJson(),
                                         provenance, license, true));
        spec = ml::loadModelSpec(folder);
        QVERIFY(spec);
        auto good = ml::PerformanceTransformer::load(*spec);
        QVERIFY2(good, good ? "" : good.errorMessage().c_str());
        QCOMPARE((*good)->encoding().numClasses(), 388);
    }

    void variationsFollowTheSeed() {
        auto model = tinyTransformer();
        auto both = model->continuePerformance(primer(), optionsFor(3.0, 7, 2));
        QVERIFY2(both, both ? "" : both.errorMessage().c_str());
        QCOMPARE(both->size(), size_t{2});
        auto first = model->continuePerformance(primer(), optionsFor(3.0, 7));
        auto second = model->continuePerformance(primer(), optionsFor(3.0, 8));
        QVERIFY(first && second);
        QCOMPARE((*both)[0].seed, uint64_t{7});
        QCOMPARE((*both)[1].seed, uint64_t{8});
        QVERIFY(sameNotes((*both)[0].continuation, first->front().continuation));
        QVERIFY(sameNotes((*both)[1].continuation, second->front().continuation));
        QVERIFY(!(*both)[0].continuation.notes.empty());
        QVERIFY(!sameNotes((*both)[0].continuation, (*both)[1].continuation));
    }

    void notesFollowThePrimerWithinTheLength() {
        auto model = tinyTransformer();
        // 8 s lets an untrained model hold notes past Magenta's 5 s cap.
        auto takes = model->continuePerformance(primer(), optionsFor(8.0, 3, 3));
        QVERIFY2(takes, takes ? "" : takes.errorMessage().c_str());
        size_t notes = 0;
        for (const ml::TransformerTake& take : *takes) {
            QVERIFY(std::abs(take.startSeconds - 2.0) < kEps);
            QVERIFY(std::abs(take.endSeconds - 10.0) < kEps);
            QVERIFY(take.events > 0);
            QVERIFY(take.filledSeconds <= 8.0 + kEps);
            // 4 x (on, off), 4 velocity changes, 9 shifts (the last one up to 2 s).
            QCOMPARE(take.primerEvents, int64_t{21});
            for (const core::Note& n : take.continuation.notes) {
                QVERIFY2(n.startTime >= 2.0 - kEps, qPrintable(QString::number(n.startTime)));
                QVERIFY2(n.endTime <= 10.0 + kEps, qPrintable(QString::number(n.endTime)));
                QVERIFY(n.endTime - n.startTime <= ml::kPerformanceMaxNoteSeconds + kEps);
                QVERIFY(n.endTime > n.startTime);
                QVERIFY(n.velocity >= 1 && n.velocity <= 127);
                // On the 10 ms grid of the codec.
                QVERIFY(std::abs(n.startTime * 100 - std::round(n.startTime * 100)) < 1e-4);
            }
            notes += take.continuation.notes.size();
            // The whole take: the primer as given, then the continuation.
            QCOMPARE(take.whole.notes.size(), 4 + take.continuation.notes.size());
            QVERIFY(std::abs(take.whole.notes[0].startTime - 0.013) < kEps);
            QCOMPARE(take.whole.notes[1].velocity, 40);
        }
        QVERIFY(notes > 0);
    }

    void trailingRestBelongsToThePrimer() {
        core::NoteSequence seq = primer();
        seq.totalTime = 3.25;
        auto takes = tinyTransformer()->continuePerformance(seq, optionsFor(2.0, 1));
        QVERIFY(takes);
        QVERIFY(std::abs(takes->front().startSeconds - 3.25) < kEps);
        for (const core::Note& n : takes->front().continuation.notes)
            QVERIFY(n.startTime >= 3.25 - kEps && n.endTime <= 5.25 + kEps);
    }

    void emptyPrimerStartsFromSilence() {
        auto takes =
            tinyTransformer()->continuePerformance(core::NoteSequence{}, optionsFor(4.0, 9));
        QVERIFY2(takes, takes ? "" : takes.errorMessage().c_str());
        const ml::TransformerTake& take = takes->front();
        QCOMPARE(take.primerEvents, int64_t{0});
        QVERIFY(std::abs(take.startSeconds) < kEps);
        QVERIFY(!take.continuation.notes.empty());
        for (const core::Note& n : take.continuation.notes)
            QVERIFY(n.startTime >= -kEps && n.endTime <= 4.0 + kEps);
        QVERIFY(sameNotes(take.whole, take.continuation));
    }

    void longPrimerIsCutToTheWindow() {
        core::NoteSequence seq;
        for (int i = 0; i < 40; ++i) {
            core::Note n;
            n.pitch = 50 + i % 20;
            n.startTime = 0.1 * i;
            n.endTime = 0.1 * i + 0.05;
            seq.notes.push_back(n);
        }
        seq.recomputeTotalTime();
        auto takes = tinyTransformer()->continuePerformance(seq, optionsFor(1.0, 2));
        QVERIFY(takes);
        QCOMPARE(takes->front().primerEvents, int64_t{31});  // the start token + 31 = 32
        QVERIFY(std::abs(takes->front().startSeconds - 3.95) < kEps);
    }

    void progressCancellationAndBadOptions() {
        auto model = tinyTransformer();
        ml::TransformerContinuationOptions o = optionsFor(2.0, 4, 2);
        int64_t last = -1, total = 0;
        bool monotonic = true;
        o.progress = [&](int64_t done, int64_t all) {
            monotonic = monotonic && done >= last;
            last = done;
            total = all;
        };
        auto takes = model->continuePerformance(primer(), o);
        QVERIFY(takes);
        QVERIFY(monotonic);
        QCOMPARE(total, int64_t{2000});
        if (takes->back().filledSeconds >= 2.0 - kEps) QCOMPARE(last, int64_t{2000});
        QVERIFY(last > 1000);

        std::stop_source stop;
        stop.request_stop();
        o.progress = {};
        o.stopToken = stop.get_token();
        auto cancelled = model->continuePerformance(primer(), o);
        QVERIFY(!cancelled);
        QVERIFY2(cancelled.errorMessage().find("cancelled") != std::string::npos,
                 cancelled.errorMessage().c_str());

        auto zero = model->continuePerformance(primer(), optionsFor(0.0, 1));
        QVERIFY(!zero && zero.errorMessage().find("length") != std::string::npos);
        ml::TransformerContinuationOptions p = optionsFor(1.0, 1);
        p.sampling.topP = 0.0;
        auto topP = model->continuePerformance(primer(), p);
        QVERIFY2(!topP && topP.errorMessage().find("top") != std::string::npos,
                 topP ? "" : topP.errorMessage().c_str());
        p = optionsFor(1.0, 1, 0);
        auto none = model->continuePerformance(primer(), p);
        QVERIFY(!none && none.errorMessage().find("variations 0") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTransformerContinuation)
#include "TestTransformerContinuation.moc"
