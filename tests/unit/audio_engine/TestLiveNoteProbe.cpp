// LiveNoteProbe on a PlaybackRenderer driven block by block on this thread: every live note
// the callback dequeues gets one stamp, in order, with callback start <= dequeue <= callback
// end; stamps are published per block; a full probe counts drops; a detached probe records
// nothing; and process() with a probe attached allocates nothing (operator new is replaced in
// this binary).
#include <QtTest>

#include <vector>

#include "AllocationCounter.h"
#include "audio/LiveNoteProbe.h"
#include "audio/PlaybackRenderer.h"

using namespace toccata;
using namespace toccata::test;

namespace {

constexpr int kBlock = 128;

void block(audio::PlaybackRenderer& renderer) {
    static std::vector<float> left(kBlock), right(kBlock);
    renderer.process(left.data(), right.data(), kBlock);
}

}  // namespace

class TestLiveNoteProbe : public QObject {
    Q_OBJECT

private slots:
    void stampsEachDequeuedNote() {
        audio::PlaybackRenderer renderer;  // no synth: silence, the queue is still drained
        audio::LiveNoteProbe probe(4);
        QCOMPARE(probe.audioThreadPolicy(), -1);
        renderer.setLiveNoteProbe(&probe);
        block(renderer);  // block 0: no note
        QCOMPARE(probe.count(), size_t(0));
        QVERIFY(probe.audioThreadPolicy() >= 0);

        const int64_t before = audio::LiveNoteProbe::nowNs();
        QVERIFY(renderer.liveNote(0, 60, 100));
        QVERIFY(renderer.liveNote(3, 64, 90));
        QVERIFY(renderer.liveNote(0, 60, 0));
        QCOMPARE(probe.count(), size_t(0));  // nothing until a block takes them
        block(renderer);                     // block 1
        const int64_t after = audio::LiveNoteProbe::nowNs();
        QCOMPARE(probe.count(), size_t(3));
        const int keys[] = {60, 64, 60}, velocities[] = {100, 90, 0}, channels[] = {0, 3, 0};
        for (size_t i = 0; i < 3; ++i) {
            const audio::LiveNoteStamp& s = probe.stamp(i);
            QCOMPARE(int(s.key), keys[i]);
            QCOMPARE(int(s.velocity), velocities[i]);
            QCOMPARE(int(s.channel), channels[i]);
            QCOMPARE(s.block, int64_t(1));
            QCOMPARE(s.frames, kBlock);
            QVERIFY(before <= s.callbackStartNs);
            QVERIFY(s.callbackStartNs <= s.dequeuedNs);
            QVERIFY(s.dequeuedNs <= s.callbackEndNs);
            QVERIFY(s.callbackEndNs <= after);
        }
        QCOMPARE(probe.stamp(0).callbackEndNs, probe.stamp(2).callbackEndNs);  // one block

        // Room for one more: the second note of the next block is dropped, not written.
        QVERIFY(renderer.liveNote(1, 70, 80));
        QVERIFY(renderer.liveNote(1, 71, 80));
        block(renderer);  // block 2
        QCOMPARE(probe.count(), size_t(4));
        QCOMPARE(int(probe.stamp(3).key), 70);
        QCOMPARE(probe.stamp(3).block, int64_t(2));
        QCOMPARE(probe.dropped(), 1LL);

        renderer.setLiveNoteProbe(nullptr);
        QVERIFY(renderer.liveNote(1, 72, 80));
        block(renderer);
        QCOMPARE(probe.count(), size_t(4));
        QCOMPARE(probe.dropped(), 1LL);
    }

    void noAllocationWithAProbe() {
        audio::PlaybackRenderer renderer;
        audio::LiveNoteProbe probe(1000);
        renderer.setLiveNoteProbe(&probe);
        block(renderer);  // the first block asks for the thread's policy
        long long allocations = 0;
        for (int b = 0; b < 200; ++b) {
            renderer.liveNote(0, 40 + b % 40, b % 2 ? 0 : 100);
            CountAllocations counting;
            block(renderer);
            allocations += counting.count();
        }
        QCOMPARE(allocations, 0LL);
        QCOMPARE(probe.count(), size_t(200));
        CountAllocations counting;  // the counter works
        ::operator delete(::operator new(16));
        QCOMPARE(counting.count(), 1LL);
    }
};

QTEST_GUILESS_MAIN(TestLiveNoteProbe)
#include "TestLiveNoteProbe.moc"
