#include "app/AudioRenderJob.h"

#include <QMetaObject>
#include <QPointer>

#include <algorithm>
#include <map>
#include <utility>

#include "app/DocumentExcerpt.h"
#include "app/PlaybackController.h"

namespace toccata::app {

namespace {

constexpr auto kReportInterval = std::chrono::milliseconds(50);  // 20 Hz

/// Events of `instrument`s at or before `origin` collapse to the last one per key (moved to
/// 0, so the controller is in force when the excerpt starts); later ones up to `end` shift.
template <typename Event, typename Key>
void chaseEvents(const std::vector<Event>& events, const std::vector<int>& instruments,
                 double origin, double end, Key key, std::vector<Event>* out) {
    std::vector<Event> sorted;
    for (const Event& e : events)
        if (std::find(instruments.begin(), instruments.end(), e.instrument) != instruments.end())
            sorted.push_back(e);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    std::map<decltype(key(sorted.front())), Event> inForce;
    for (const Event& e : sorted) {
        if (e.time <= origin) {
            inForce[key(e)] = e;
        } else if (e.time <= end) {
            Event moved = e;
            moved.time -= origin;
            out->push_back(moved);
        }
    }
    for (auto& [k, e] : inForce) {
        e.time = 0.0;
        out->insert(out->begin(), e);
    }
}

}  // namespace

QString scopeName(RenderScope scope) {
    switch (scope) {
        case RenderScope::kSong: return QObject::tr("song");
        case RenderScope::kCurrentTrack: return QObject::tr("current track");
        case RenderScope::kSelection: return QObject::tr("selection");
    }
    return {};
}

core::NoteSequence selectionSequence(const Document& document, const NoteIds& ids, double* start) {
    const core::NoteSequence& seq = document.sequence();
    core::NoteSequence out;
    out.ticksPerQuarter = seq.ticksPerQuarter;
    std::vector<int> instruments;
    for (NoteId id : ids) {
        const core::Note* note = document.note(id);
        if (!note) continue;
        out.notes.push_back(*note);
        if (std::find(instruments.begin(), instruments.end(), note->instrument) ==
            instruments.end()) {
            instruments.push_back(note->instrument);
            if (const int index = document.trackIndex(note->instrument); index >= 0)
                out.instrumentInfos.push_back(seq.instrumentInfos[static_cast<size_t>(index)]);
        }
    }
    double origin = 0.0;
    double end = 0.0;
    if (!out.notes.empty()) {
        origin = out.notes.front().startTime;
        for (const core::Note& n : out.notes) {
            origin = std::min(origin, n.startTime);
            end = std::max(end, n.endTime);
        }
    }
    for (core::Note& n : out.notes) {
        n.startTime -= origin;
        n.endTime -= origin;
    }
    out.sortByTime();
    chaseEvents(
        seq.controlChanges, instruments, origin, end,
        [](const core::ControlChange& c) { return std::pair(c.instrument, c.controlNumber); },
        &out.controlChanges);
    chaseEvents(
        seq.pitchBends, instruments, origin, end,
        [](const core::PitchBend& b) { return b.instrument; }, &out.pitchBends);
    // Tempos and signatures do not change the sound (times are in seconds) but keep the
    // excerpt readable as music.
    auto shiftMeta = [&](const auto& events, auto* target) {
        using Event = typename std::decay_t<decltype(events)>::value_type;
        std::vector<Event> sorted = events;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Event& a, const Event& b) { return a.time < b.time; });
        const Event* inForce = nullptr;
        for (const Event& e : sorted) {
            if (e.time <= origin) {
                inForce = &e;
            } else if (e.time <= end) {
                target->push_back(e);
                target->back().time -= origin;
            }
        }
        if (inForce) {
            target->insert(target->begin(), *inForce);
            target->front().time = 0.0;
        }
    };
    shiftMeta(seq.tempos, &out.tempos);
    shiftMeta(seq.timeSignatures, &out.timeSignatures);
    shiftMeta(seq.keySignatures, &out.keySignatures);
    out.recomputeTotalTime();
    if (start) *start = origin;
    return out;
}

core::Result<RenderPlan> planRender(const Document& document, RenderScope scope, int currentTrack,
                                    const NoteIds& selection, const std::string& soundFontPath,
                                    int sampleRate) {
    using R = core::Result<RenderPlan>;
    if (soundFontPath.empty())
        return R::failure(
            "No SoundFont is loaded, so there is nothing to render with: choose one in "
            "Settings ▸ Audio and MIDI");
    if (sampleRate < 8000 || sampleRate > 96000)
        return R::failure("Sample rate " + std::to_string(sampleRate) +
                          " Hz is outside FluidSynth's range 8000..96000 Hz");
    RenderPlan plan;
    plan.soundFontPath = soundFontPath;
    plan.synth.sampleRate = sampleRate;
    switch (scope) {
        case RenderScope::kSong:
            plan.sequence =
                PlaybackController::audibleSequence(document.sequence(), document.tracks());
            plan.description = QObject::tr("the song");
            if (plan.sequence.notes.empty())
                return R::failure(document.sequence().notes.empty()
                                      ? "The song has no notes"
                                      : "Every track of the song is muted (or not soloed)");
            break;
        case RenderScope::kCurrentTrack: {
            if (document.trackIndex(currentTrack) < 0)
                return R::failure("There is no current track (instrument " +
                                  std::to_string(currentTrack) + ")");
            plan.sequence = trackExcerpt(document, currentTrack);
            for (const core::PitchBend& b : document.sequence().pitchBends)  // bends sound too
                if (b.instrument == currentTrack) plan.sequence.pitchBends.push_back(b);
            const std::string name = document.sequence().instrumentName(currentTrack);
            plan.description = QObject::tr("track “%1”")
                                   .arg(name.empty() ? QString::number(currentTrack)
                                                     : QString::fromStdString(name));
            if (plan.sequence.notes.empty())
                return R::failure("The current track (" + plan.description.toStdString() +
                                  ") has no notes");
            break;
        }
        case RenderScope::kSelection:
            plan.sequence = selectionSequence(document, selection, &plan.startSeconds);
            if (plan.sequence.notes.empty()) return R::failure("The selection has no notes");
            plan.description = QObject::tr("the selection (%n note(s))", nullptr,
                                           static_cast<int>(plan.sequence.notes.size()));
            break;
    }
    return plan;
}

// ---- Worker side -----------------------------------------------------------------------------

void TaskContext::report(const QString& stage, double fraction) {
    const auto now = std::chrono::steady_clock::now();
    if (stage == m_lastStage && fraction < 1.0 && now - m_lastReport < kReportInterval) return;
    m_lastStage = stage;
    m_lastReport = now;
    m_job->postProgress(m_id, stage, std::clamp(fraction, 0.0, 1.0));
}

core::Result<audio::RenderedAudio> TaskContext::render(const RenderPlan& plan) {
    using R = core::Result<audio::RenderedAudio>;
    if (isCancelled()) return R::failure("Rendering was cancelled");
    report(QObject::tr("Rendering"), 0.0);
    // A fresh synth per render: FluidSynth's effects keep state across a reset, so a reused
    // synth would not render the same notes the same way twice. (FluidSynth's sample cache
    // shares the sample data the playback synth already loaded from the same file.)
    auto synth = audio::Synth::create(plan.soundFontPath, plan.synth);
    if (!synth) return synth.error();
    audio::OfflineRenderer renderer(**synth);
    audio::RenderOptions options;
    options.cancel = m_cancel.get();
    const QString stage = QObject::tr("Rendering");
    options.progress = [this, &stage](double fraction) {
        report(stage, fraction);
        return !isCancelled();
    };
    return renderer.render(plan.sequence, options);
}

AudioRenderJob::AudioRenderJob(QObject* parent) : QObject(parent) { m_pool.setMaxThreadCount(1); }

AudioRenderJob::~AudioRenderJob() {
    if (m_currentCancel) m_currentCancel->store(true);
    m_pool.clear();
    m_pool.waitForDone();
}

quint64 AudioRenderJob::start(Task task) {
    if (m_currentCancel) m_currentCancel->store(true);
    const quint64 id = m_nextId++;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_currentCancel = cancel;
    m_currentId = id;
    ++m_running;
    QPointer<AudioRenderJob> self(this);
    m_pool.start([this, self, id, cancel, task = std::move(task)] {
        TaskContext context;
        context.m_job = this;
        context.m_id = id;
        context.m_cancel = cancel;
        const core::Status status =
            cancel->load() ? core::Status::failure("cancelled") : task(context);
        const bool wasCancelled = !status.ok() && cancel->load();
        const QString message = QString::fromStdString(status.errorMessage());
        // The destructor waits for the pool, so `this` outlives the task; the queued call is
        // dropped when the job is gone by the time it would run.
        QMetaObject::invokeMethod(
            this,
            [this, self, id, ok = status.ok(), wasCancelled, message] {
                if (!self) return;
                --m_running;
                if (wasCancelled)
                    emit cancelled(id);
                else if (!ok)
                    emit failed(id, message);
                else
                    emit finished(id);
            },
            Qt::QueuedConnection);
    });
    return id;
}

void AudioRenderJob::cancel() {
    if (m_currentCancel) m_currentCancel->store(true);
}

void AudioRenderJob::postProgress(quint64 id, const QString& stage, double fraction) {
    QPointer<AudioRenderJob> self(this);
    QMetaObject::invokeMethod(
        this,
        [this, self, id, stage, fraction] {
            if (self && m_running > 0) emit progress(id, stage, fraction);
        },
        Qt::QueuedConnection);
}

}  // namespace toccata::app
