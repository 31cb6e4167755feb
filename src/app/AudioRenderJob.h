// AudioRenderJob: offline audio of (part of) the document, off the UI thread — File ▸ Export
// audio and the rainbowgram both use it. planRender() copies what a scope should sound like
// (song with mute/solo, one track, or the selection) on the UI thread; a Task then runs on the
// job's worker thread, where it can render plans through the studio's FluidSynth set-up (same
// SoundFont, same synth settings) and do more with the audio (write a WAV, analyse it). One
// task runs at a time; starting another cancels the running one. Progress reaches the UI at
// most 20 times a second; outcomes come back through queued signals.
// Threads: planRender/start/cancel/isRunning are [ui]; a Task and its TaskContext are [worker].
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "app/Document.h"
#include "audio/OfflineRenderer.h"
#include "audio/Synth.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::app {

enum class RenderScope { kSong, kCurrentTrack, kSelection };

/// "song", "current track", "selection" (for messages).
QString scopeName(RenderScope scope);

/// Everything a render needs, copied from the document so the worker owns it.
struct RenderPlan {
    /// Starts at song time `startSeconds` (a selection is moved so its first note is at 0).
    core::NoteSequence sequence;
    double startSeconds = 0.0;  // song time of the audio's first frame
    std::string soundFontPath;
    audio::SynthSettings synth;  // synth.sampleRate = the rate asked for
    QString description;         // "the song", "track “Bass”", "the selection (3 notes)"
};

/// [ui] The plan for `scope`: kSong = what playback plays (mute/solo applied), kCurrentTrack =
/// every note of `currentTrack` (muted or not, at its place in the song), kSelection = the
/// notes `selection`, starting at the first one. Tempos, programs, drum flags and the tracks'
/// controllers are kept. Errors: no SoundFont, a rate FluidSynth cannot run at, a scope
/// without notes ("the selection has no notes").
core::Result<RenderPlan> planRender(const Document& document, RenderScope scope, int currentTrack,
                                    const NoteIds& selection, const std::string& soundFontPath,
                                    int sampleRate);

/// The notes `ids` with their tracks' infos and controllers, moved so the earliest note starts
/// at 0 (controllers in force there move to 0); `*start` = the song time that became 0. [any]
core::NoteSequence selectionSequence(const Document& document, const NoteIds& ids, double* start);

/// Handed to a Task on the worker thread.
class TaskContext {
public:
    /// [worker] True once the task should stop (a newer task started, or cancel()).
    bool isCancelled() const { return m_cancel->load(); }
    const std::atomic<bool>* cancelFlag() const { return m_cancel.get(); }
    /// [worker] Reports progress 0..1 of a stage ("Rendering", "Analysing"...); throttled to
    /// 20 Hz (stage changes and 1.0 always pass).
    void report(const QString& stage, double fraction);
    /// [worker] Renders `plan` (stage "Rendering") through a synth of its own, so the same plan
    /// always gives the same audio.
    core::Result<audio::RenderedAudio> render(const RenderPlan& plan);

private:
    friend class AudioRenderJob;
    class AudioRenderJob* m_job = nullptr;
    quint64 m_id = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::chrono::steady_clock::time_point m_lastReport{};
    QString m_lastStage;
};

class AudioRenderJob : public QObject {
    Q_OBJECT
public:
    /// [worker] The work; an error becomes `failed` (or `cancelled` when cancelled meanwhile).
    using Task = std::function<core::Status(TaskContext&)>;

    explicit AudioRenderJob(QObject* parent = nullptr);
    ~AudioRenderJob() override;  // cancels and waits for the worker

    /// [ui] Cancels the running task and queues `task`; returns its id.
    quint64 start(Task task);
    /// [ui] Cancels the running task (it ends with `cancelled`).
    void cancel();
    /// [ui] A task started and not yet reported back.
    bool isRunning() const { return m_running > 0; }
    quint64 currentId() const { return m_currentId; }

signals:
    void progress(quint64 id, const QString& stage, double fraction);
    void finished(quint64 id);
    void failed(quint64 id, const QString& message);
    void cancelled(quint64 id);

private:
    friend class TaskContext;
    void postProgress(quint64 id, const QString& stage, double fraction);

    QThreadPool m_pool;  // one thread: tasks run in order
    std::shared_ptr<std::atomic<bool>> m_currentCancel;
    quint64 m_currentId = 0;
    quint64 m_nextId = 1;
    int m_running = 0;
};

}  // namespace toccata::app
