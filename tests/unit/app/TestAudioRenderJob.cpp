// AudioRenderJob: the plans of the three scopes (mute/solo, one track, the selection moved to
// its first note with controllers chased), their errors, and the worker: a render through the
// generated test SoundFont arrives on the UI thread with progress, cancel stops it, a newer
// task cancels an older one, a failing task reports its message.
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <cmath>

#include "TestSupport.h"
#include "app/AudioRenderJob.h"
#include "app/Document.h"

using namespace toccata;

namespace {

std::string soundFont() { return test::toStd(test::buildDir() + "/soundfonts/toccata-test.sf2"); }

core::Note note(int pitch, double start, double end, int instrument, int velocity = 100) {
    core::Note n;
    n.pitch = pitch;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    n.velocity = velocity;
    return n;
}

/// Two tracks: "Lead" (instrument 0) and "Bass" (instrument 1, program 33).
void fill(app::Document& doc) {
    const int lead = doc.addTrack("Lead");
    const int bass = doc.addTrack("Bass", 33);
    QCOMPARE(lead, 0);
    QCOMPARE(bass, 1);
    core::Note low = note(36, 2.0, 3.0, bass);
    low.program = 33;  // a track's notes carry its program
    doc.addNotes({note(72, 0.5, 1.0, lead), note(74, 1.0, 1.5, lead), low});
}

double energy(const audio::AudioBuffer& audio) {
    double sum = 0.0;
    for (const auto& channel : audio.channels)
        for (float s : channel) sum += double(s) * s;
    return sum;
}

}  // namespace

class TestAudioRenderJob : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QString::fromStdString(soundFont())),
                 "the test SoundFont was not generated (build target toccata_test_soundfont)");
    }

    void songPlanAppliesMuteAndSolo() {
        app::Document doc;
        fill(doc);
        auto plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 48000);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.errorMessage().c_str());
        QCOMPARE(plan->sequence.notes.size(), size_t(3));
        QCOMPARE(plan->startSeconds, 0.0);
        QCOMPARE(plan->synth.sampleRate, 48000);
        QCOMPARE(plan->soundFontPath, soundFont());

        app::TrackState bass = doc.trackState(1);
        bass.muted = true;
        QVERIFY(doc.setTrackState(bass));
        plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 44100);
        QVERIFY(plan.ok());
        QCOMPARE(plan->sequence.notes.size(), size_t(2));
        for (const core::Note& n : plan->sequence.notes) QCOMPARE(n.instrument, 0);

        // Muting everything leaves nothing to render, and says so.
        app::TrackState lead = doc.trackState(0);
        lead.muted = true;
        QVERIFY(doc.setTrackState(lead));
        plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 44100);
        QVERIFY(!plan.ok());
        QVERIFY2(QString::fromStdString(plan.errorMessage()).contains("muted"),
                 plan.errorMessage().c_str());
    }

    void trackPlanKeepsItsPlaceAndProgram() {
        app::Document doc;
        fill(doc);
        app::TrackState bass = doc.trackState(1);
        bass.muted = true;  // the user asked for this track: muted or not, it renders
        QVERIFY(doc.setTrackState(bass));
        auto plan =
            app::planRender(doc, app::RenderScope::kCurrentTrack, 1, {}, soundFont(), 44100);
        QVERIFY(plan.ok());
        QCOMPARE(plan->sequence.notes.size(), size_t(1));
        QCOMPARE(plan->sequence.notes[0].startTime, 2.0);
        QCOMPARE(plan->sequence.notes[0].program, 33);
        QCOMPARE(plan->startSeconds, 0.0);
        QVERIFY(plan->description.contains("Bass"));

        const int empty = doc.addTrack("Empty");
        plan = app::planRender(doc, app::RenderScope::kCurrentTrack, empty, {}, soundFont(), 44100);
        QVERIFY(!plan.ok());
        QVERIFY2(QString::fromStdString(plan.errorMessage()).contains("Empty"),
                 plan.errorMessage().c_str());
        plan = app::planRender(doc, app::RenderScope::kCurrentTrack, 77, {}, soundFont(), 44100);
        QVERIFY(!plan.ok());
        QVERIFY(QString::fromStdString(plan.errorMessage()).contains("77"));
    }

    void selectionStartsAtItsFirstNote() {
        app::Document doc;
        fill(doc);
        core::ControlChange pedalDown;
        pedalDown.time = 0.2;
        pedalDown.controlNumber = 64;
        pedalDown.controlValue = 127;
        core::ControlChange pedalUp = pedalDown;
        pedalUp.time = 1.4;
        pedalUp.controlValue = 0;
        core::NoteSequence seq = doc.sequence();
        seq.controlChanges = {pedalDown, pedalUp};
        seq.tempos = {{0.0, 100.0}};
        doc.replaceSequence(seq, "pedal");
        const app::NoteIds ids = doc.noteIds().size() == 3
                                     ? app::NoteIds{doc.noteIds()[1], doc.noteIds()[2]}
                                     : app::NoteIds{};
        QCOMPARE(ids.size(), 2);
        auto plan = app::planRender(doc, app::RenderScope::kSelection, 0, ids, soundFont(), 44100);
        QVERIFY(plan.ok());
        QCOMPARE(plan->startSeconds, 1.0);
        QCOMPARE(plan->sequence.notes.size(), size_t(2));
        QCOMPARE(plan->sequence.notes[0].startTime, 0.0);
        QCOMPARE(plan->sequence.notes[1].startTime, 1.0);
        QCOMPARE(plan->sequence.notes[1].program, 33);
        QCOMPARE(plan->sequence.totalTime, 2.0);
        // The pedal pressed before the selection holds from its start; its release follows.
        QCOMPARE(plan->sequence.controlChanges.size(), size_t(2));
        QCOMPARE(plan->sequence.controlChanges[0].time, 0.0);
        QCOMPARE(plan->sequence.controlChanges[0].controlValue, 127);
        QVERIFY(std::abs(plan->sequence.controlChanges[1].time - 0.4) < 1e-9);
        QCOMPARE(plan->sequence.tempos.size(), size_t(1));
        QCOMPARE(plan->sequence.tempos[0].qpm, 100.0);

        plan = app::planRender(doc, app::RenderScope::kSelection, 0, {}, soundFont(), 44100);
        QVERIFY(!plan.ok());
        QCOMPARE(QString::fromStdString(plan.errorMessage()),
                 QString("The selection has no notes"));
    }

    void badSettingsAreNamed() {
        app::Document doc;
        fill(doc);
        auto plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, "", 44100);
        QVERIFY(!plan.ok());
        QVERIFY(QString::fromStdString(plan.errorMessage()).contains("SoundFont"));
        plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 1000);
        QVERIFY(!plan.ok());
        QVERIFY(QString::fromStdString(plan.errorMessage()).contains("1000"));
    }

    void rendersOnTheWorkerWithProgress() {
        app::Document doc;
        fill(doc);
        auto plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 44100);
        QVERIFY(plan.ok());
        app::AudioRenderJob job;
        QSignalSpy progress(&job, &app::AudioRenderJob::progress);
        QSignalSpy finished(&job, &app::AudioRenderJob::finished);
        auto result = std::make_shared<audio::RenderedAudio>();
        std::atomic<bool> onUiThread{true};
        QThread* ui = QThread::currentThread();
        const quint64 id = job.start([&, p = *plan](app::TaskContext& context) -> core::Status {
            onUiThread = QThread::currentThread() == ui;
            auto rendered = context.render(p);
            if (!rendered) return rendered.error();
            *result = std::move(rendered.value());
            return {};
        });
        QVERIFY(job.isRunning());
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toULongLong(), id);
        QVERIFY(!job.isRunning());
        QVERIFY(!onUiThread);
        QCOMPARE(result->audio.sampleRate, 44100);
        QCOMPARE(result->audio.channelCount(), 2);
        // The notes end at 3 s; the release tail is at most 2 s.
        QVERIFY2(result->audio.seconds() >= 3.0 && result->audio.seconds() <= 5.1,
                 qPrintable(QString::number(result->audio.seconds())));
        QVERIFY(energy(result->audio) > 1.0);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(2).toDouble(), 1.0);
        QCOMPARE(progress.last().at(1).toString(), QString("Rendering"));
    }

    void cancelStopsAndNewerTaskWins() {
        app::Document doc;
        doc.addTrack("Piano");
        std::vector<core::Note> notes;
        for (int i = 0; i < 600; ++i) notes.push_back(note(48 + i % 24, i * 0.5, i * 0.5 + 0.4, 0));
        doc.addNotes(notes);  // five minutes of music: long enough to cancel mid-way
        auto plan = app::planRender(doc, app::RenderScope::kSong, 0, {}, soundFont(), 44100);
        QVERIFY(plan.ok());
        app::AudioRenderJob job;
        QSignalSpy cancelled(&job, &app::AudioRenderJob::cancelled);
        QSignalSpy finished(&job, &app::AudioRenderJob::finished);
        QSignalSpy failed(&job, &app::AudioRenderJob::failed);
        auto renderTask = [p = *plan](app::TaskContext& context) -> core::Status {
            auto rendered = context.render(p);
            return rendered ? core::Status() : core::Status(rendered.error());
        };
        const quint64 first = job.start(renderTask);
        const quint64 second = job.start([](app::TaskContext&) { return core::Status(); });
        QVERIFY(second != first);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().first().toULongLong(), second);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(cancelled.first().first().toULongLong(), first);

        // cancel() once it is rendering.
        QSignalSpy progress(&job, &app::AudioRenderJob::progress);
        const quint64 third = job.start(renderTask);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 20000);
        job.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 2, 20000);
        QCOMPARE(cancelled.last().first().toULongLong(), third);
        QVERIFY(failed.isEmpty());

        job.start([](app::TaskContext&) { return core::Status::failure("disk full: x.wav"); });
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(1).toString(), QString("disk full: x.wav"));
    }
};

QTEST_MAIN(TestAudioRenderJob)
#include "TestAudioRenderJob.moc"
