// PlaybackRenderer (the audio callback's body), driven block by block on this thread with the
// generated test SoundFont: sample-accurate onsets, no allocation in process() during playback
// (operator new is replaced in this binary), and no hanging notes after stop, seek or a loop wrap;
// snapshot swaps keep the notes that did not change; live notes end on stop and panic.
#include <QtTest>

#include <map>
#include <memory>
#include <tuple>

#include "../audio/AudioTestSupport.h"
#include "AllocationCounter.h"
#include "audio/PlaybackRenderer.h"
#include "audio/Synth.h"

using namespace toccata;
using namespace toccata::test;

namespace {

constexpr int kRate = 48000;
constexpr int kBlock = 256;

audio::SynthSettings dry() {
    audio::SynthSettings settings;
    settings.sampleRate = kRate;
    settings.reverb = false;
    settings.chorus = false;
    return settings;
}

audio::PlaybackSnapshot snapshotOf(const core::NoteSequence& sequence) {
    return std::make_shared<const audio::SequencePlayback>(
        audio::SequencePlayback::fromSequence(sequence, kRate));
}

/// Runs `blocks` blocks; appends the left channel to `out` when given.
void run(audio::PlaybackRenderer& renderer, int blocks, std::vector<float>* out = nullptr,
         int blockFrames = kBlock) {
    std::vector<float> left(static_cast<size_t>(blockFrames)),
        right(static_cast<size_t>(blockFrames));
    for (int b = 0; b < blocks; ++b) {
        renderer.process(left.data(), right.data(), blockFrames);
        if (out) out->insert(out->end(), left.begin(), left.end());
    }
}

}  // namespace

class TestPlaybackRenderer : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<audio::Synth> m_synth;

private slots:
    void init() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        auto synth = audio::Synth::create(testSoundFontPath(), dry());
        QVERIFY2(synth.ok(), synth.ok() ? "" : synth.errorMessage().c_str());
        m_synth = std::move(synth.value());
    }

    void silentUntilPlay() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        QVERIFY(renderer.submitSnapshot(snapshotOf(makeSequence({makeNote(60, 0.0, 0.5)}))));
        std::vector<float> out;
        run(renderer, 20, &out);
        QCOMPARE(peak(out, 0, int64_t(out.size())), 0.0);
        QVERIFY(!renderer.isPlaying());
        QCOMPARE(renderer.playheadFrame(), int64_t(0));
    }

    void onsetsAreSampleAccurateAcrossOddBlocks() {
        // Notes at 0.25 s and 0.75 s, rendered with 100-frame blocks (not a divisor of anything).
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        m_synth->reset();
        renderer.submitSnapshot(
            snapshotOf(makeSequence({makeNote(60, 0.25, 0.4), makeNote(60, 0.75, 0.9)})));
        renderer.play();
        std::vector<float> out;
        run(renderer, 480, &out, 100);  // 1 s
        // The same note twice: the same attack, so the onsets' distance is exact.
        const int64_t first = firstAbove(out, 1e-2);
        const int64_t second = firstAbove(out, 1e-2, kRate * 7 / 10);
        QVERIFY(first >= 0 && second >= 0);
        // FluidSynth starts voices on its 64-frame grid (aligned with frame 0 here).
        QVERIFY2(first >= kRate / 4 && first - kRate / 4 <= 2 * audio::kFluidBlockFrames,
                 qPrintable(QString("first onset at %1").arg(first)));
        QVERIFY2(std::abs((second - first) - kRate / 2) <= audio::kFluidBlockFrames,
                 qPrintable(QString("onsets %1 apart").arg(second - first)));
        QVERIFY(!renderer.isPlaying());  // stopped by itself at the end
        QCOMPARE(renderer.heldNoteCount(), 0);
    }

    void stopAndSeekLeaveNoHangingNotes() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        std::vector<core::Note> notes;
        for (int k = 0; k < 8; ++k) notes.push_back(makeNote(48 + k * 3, 0.0, 30.0));
        renderer.submitSnapshot(snapshotOf(makeSequence(notes)));
        renderer.play();
        run(renderer, 40);
        QCOMPARE(renderer.heldNoteCount(), 8);
        QVERIFY(m_synth->activeVoiceCount() > 0);
        renderer.stop();
        run(renderer, 2 * kRate / kBlock);  // 2 s of release
        QCOMPARE(renderer.heldNoteCount(), 0);
        QCOMPARE(m_synth->activeVoiceCount(), 0);

        renderer.play();
        run(renderer, 10);
        QCOMPARE(renderer.heldNoteCount(), 0);  // resumed mid-note: nothing restarts
        renderer.seekFrame(0);
        run(renderer, 10);
        QCOMPARE(renderer.heldNoteCount(), 8);
        renderer.seekFrame(20 * kRate);  // into the notes' middle: old ones released
        run(renderer, 2 * kRate / kBlock);
        QCOMPARE(renderer.heldNoteCount(), 0);
        QCOMPARE(m_synth->activeVoiceCount(), 0);
        QVERIFY(renderer.isPlaying());
        renderer.stop();
    }

    void loopWrapsAndReleases() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        // A note that would still sound at the loop end.
        renderer.submitSnapshot(snapshotOf(makeSequence({makeNote(60, 0.1, 5.0)})));
        renderer.setLoop(0, kRate / 2, true);
        renderer.play();
        int64_t maxHead = 0;
        int wraps = 0;
        int64_t last = 0;
        std::vector<float> left(kBlock), right(kBlock);
        for (int b = 0; b < 3 * kRate / kBlock; ++b) {  // 3 s = 6 loops
            renderer.process(left.data(), right.data(), kBlock);
            const int64_t head = renderer.playheadFrame();
            if (head < last) ++wraps;
            last = head;
            maxHead = std::max(maxHead, head);
        }
        QVERIFY(maxHead <= kRate / 2);
        QVERIFY2(wraps >= 5, qPrintable(QString("%1 wraps").arg(wraps)));
        QVERIFY(m_synth->activeVoiceCount() <= 4);  // released at each wrap, not piling up
        renderer.setLoop(0, 0, false);
        renderer.stop();
        run(renderer, 2 * kRate / kBlock);
        QCOMPARE(m_synth->activeVoiceCount(), 0);
    }

    void liveNotesPlayImmediately() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        m_synth->reset();
        QVERIFY(renderer.liveNote(0, 64, 100));
        std::vector<float> out;
        run(renderer, 1, &out);
        QVERIFY(peak(out, 0, kBlock) > 1e-4);  // within the very next block
        QVERIFY(renderer.liveNote(0, 64, 0));
        run(renderer, 2 * kRate / kBlock);
        QCOMPARE(m_synth->activeVoiceCount(), 0);
        QVERIFY(!renderer.liveNote(16, 64, 100));  // bad channel refused
    }

    void swapKeepsNotesThatDidNotChange() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        m_synth->reset();
        const core::Note kept = makeNote(60, 0.0, 10.0), dropped = makeNote(64, 0.0, 10.0);
        renderer.submitSnapshot(snapshotOf(makeSequence({kept, dropped})));
        renderer.play();
        run(renderer, 20);
        QCOMPARE(renderer.heldNoteCount(), 2);
        // An edit elsewhere: note 64 removed, a later note added; 60 is unchanged.
        renderer.submitSnapshot(snapshotOf(makeSequence({kept, makeNote(72, 5.0, 6.0)})));
        run(renderer, 1);
        QCOMPARE(renderer.heldNoteCount(), 1);  // 60 kept, 64 released
        QCOMPARE(renderer.notesKeptAcrossSwaps(), 1LL);
        run(renderer, kRate / kBlock);  // 64 has faded out, 60 still sounds
        QVERIFY(m_synth->activeVoiceCount() > 0);
        QCOMPARE(renderer.heldNoteCount(), 1);
        // A swap that moves the held note (new start after the playhead) releases it.
        renderer.submitSnapshot(snapshotOf(makeSequence({makeNote(60, 8.0, 9.0)})));
        run(renderer, 1);
        QCOMPARE(renderer.heldNoteCount(), 0);
        run(renderer, 2 * kRate / kBlock);
        QCOMPARE(m_synth->activeVoiceCount(), 0);
        renderer.stop();
        run(renderer, 1);
        QCOMPARE(renderer.collectGarbage(), 2);
    }

    void chaseMatchesAFullScanWithBoundedWork() {
        // 5000 controller, program and bend events on 3 channels, plus notes.
        core::NoteSequence seq;
        for (int i = 0; i < 5000; ++i) {
            const double t = i * 0.01;
            core::ControlChange cc;
            cc.time = t;
            cc.controlNumber = i % 7 == 0 ? 64 : 7 + i % 5;
            cc.controlValue = (i * 13) % 128;
            cc.instrument = i % 3;
            seq.controlChanges.push_back(cc);
            if (i % 97 == 0) {
                core::PitchBend bend;
                bend.time = t;
                bend.bend = (i * 31) % 8000 - 4000;
                bend.instrument = i % 3;
                seq.pitchBends.push_back(bend);
            }
            if (i % 50 == 0)
                seq.notes.push_back(makeNote(48 + i % 24, t, t + 0.2, i % 30, false, i % 3));
        }
        seq.recomputeTotalTime();
        const audio::SequencePlayback playback = audio::SequencePlayback::fromSequence(seq, kRate);
        const audio::PlaybackIndex& index = playback.index;
        QVERIFY(index.stateEventCount() > 5000);
        QVERIFY2(index.maxChaseEvents() <= 2 * 128 + 16 * 130,
                 qPrintable(QString("chase may apply %1 events").arg(index.maxChaseEvents())));
        using State = std::map<std::tuple<int, int, int>, int>;  // (channel, kind, number)
        const auto record = [](State& state, const audio::SynthEvent& e) {
            state[{e.channel, int(e.type),
                   e.type == audio::SynthEventType::kControlChange ? e.data1 : 0}] =
                e.type == audio::SynthEventType::kControlChange ? e.data2 : e.data1;
        };
        for (const int64_t frame : {int64_t(0), int64_t(1), int64_t(kRate / 3), int64_t(7 * kRate),
                                    int64_t(25 * kRate + 17), int64_t(49 * kRate),
                                    playback.endFrame, playback.endFrame + 5}) {
            State expected, chased;
            for (const audio::SynthEvent& e : playback.events)
                if (e.frame < frame && e.type != audio::SynthEventType::kNoteOn &&
                    e.type != audio::SynthEventType::kNoteOff)
                    record(expected, e);
            size_t applied = 0;
            index.chase(frame, [&](const audio::SynthEvent& e) {
                record(chased, e);
                ++applied;
            });
            QVERIFY2(chased == expected, qPrintable(QString("frame %1").arg(frame)));
            QVERIFY(applied <= index.maxChaseEvents());
        }
    }

    void noteSpansSayWhatSounds() {
        const audio::SequencePlayback playback = audio::SequencePlayback::fromSequence(
            makeSequence({makeNote(60, 1.0, 2.0), makeNote(60, 3.0, 4.0),
                          makeNote(9, 0.0, 9.0, 0, true, 1)}),
            kRate);
        const audio::PlaybackIndex& index = playback.index;
        QVERIFY(!index.soundsAt(0, 60, kRate / 2));
        QVERIFY(!index.soundsAt(0, 60, kRate));  // starts exactly here: not yet sounding
        QVERIFY(index.soundsAt(0, 60, kRate + 1));
        QVERIFY(!index.soundsAt(0, 60, 2 * kRate));
        QVERIFY(index.soundsAt(0, 60, 3 * kRate + 100));
        QVERIFY(!index.soundsAt(0, 61, 3 * kRate + 100));
        QVERIFY(index.soundsAt(9, 9, 5 * kRate));  // drums on channel 10
    }

    void liveNotesEndOnStopAndPanic() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        m_synth->reset();
        QVERIFY(renderer.liveNote(3, 64, 100));
        QVERIFY(renderer.liveNote(3, 67, 100));
        run(renderer, 4);
        QCOMPARE(renderer.heldLiveNoteCount(), 2);
        QVERIFY(m_synth->activeVoiceCount() > 0);
        renderer.stop();  // even when the transport was not playing
        run(renderer, 2 * kRate / kBlock);
        QCOMPARE(renderer.heldLiveNoteCount(), 0);
        QCOMPARE(m_synth->activeVoiceCount(), 0);

        // Panic: sequence and live notes silent at once (no release tail).
        renderer.submitSnapshot(snapshotOf(makeSequence({makeNote(60, 0.0, 10.0)})));
        renderer.play();
        renderer.liveNote(3, 64, 100);
        run(renderer, 10);
        QCOMPARE(renderer.heldNoteCount(), 1);
        QCOMPARE(renderer.heldLiveNoteCount(), 1);
        renderer.panic();
        std::vector<float> out;
        run(renderer, 2, &out);
        QCOMPARE(renderer.heldNoteCount(), 0);
        QCOMPARE(renderer.heldLiveNoteCount(), 0);
        QCOMPARE(m_synth->activeVoiceCount(), 0);
        QVERIFY(!renderer.isPlaying());
        QVERIFY(peak(out, kBlock, 2 * kBlock) < 1e-3);
        // Seeking while a live note is held leaves it sounding (another player's note).
        renderer.liveNote(3, 64, 100);
        renderer.play();
        run(renderer, 2);
        renderer.seekFrame(kRate);
        run(renderer, 2);
        QCOMPARE(renderer.heldLiveNoteCount(), 1);
        renderer.stop();
        run(renderer, 1);
        QCOMPARE(renderer.heldLiveNoteCount(), 0);
    }

    void processNeverAllocates() {
        audio::PlaybackRenderer renderer;
        renderer.setSynth(m_synth.get());
        std::vector<core::Note> notes;  // dense: 16 notes per beat on 4 channels
        for (int i = 0; i < 400; ++i)
            notes.push_back(
                makeNote(36 + (i * 7) % 60, i * 0.01, i * 0.01 + 0.3, i % 4 * 8, false, i % 4));
        const audio::PlaybackSnapshot first = snapshotOf(makeSequence(notes));
        const audio::PlaybackSnapshot second = snapshotOf(makeSequence({makeNote(60, 0.0, 1.0)}));
        std::vector<float> left(kBlock), right(kBlock);
        renderer.submitSnapshot(first);
        renderer.play();
        long long allocations = 0;
        for (int b = 0; b < 4 * kRate / kBlock; ++b) {
            // Everything the UI does, from this thread, outside the counted scope.
            if (b == 100) renderer.seekFrame(kRate);
            if (b == 150) renderer.setLoop(kRate / 2, kRate, true);
            if (b == 300) renderer.submitSnapshot(second);  // swap while playing
            if (b == 320) renderer.submitSnapshot(first);
            if (b % 7 == 0) renderer.liveNote(1, 60 + b % 12, b % 14 == 0 ? 90 : 0);
            if (b == 600) renderer.stop();
            if (b == 650) renderer.play();
            if (b == 700) renderer.panic();
            if (b == 710) renderer.play();
            CountAllocations counting;
            renderer.process(left.data(), right.data(), kBlock);
            allocations += counting.count();
        }
        QCOMPARE(allocations, 0LL);
        QCOMPARE(renderer.collectGarbage(), 2);  // the replaced snapshots came back
        // The counter works (guards against a vacuous pass).
        CountAllocations counting;
        ::operator delete(::operator new(16));  // a call the optimizer may not elide
        QCOMPARE(counting.count(), 1LL);
    }
};

QTEST_APPLESS_MAIN(TestPlaybackRenderer)
#include "TestPlaybackRenderer.moc"
