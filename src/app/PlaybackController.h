// PlaybackController: the transport of the studio. Owns the AudioEngine and turns the Document
// (mute/solo applied, programs and drum flags as the notes carry them) plus an optional audition
// sequence (ghost takes) and the metronome into playback snapshots. Edits are coalesced by a
// short timer and the snapshot is built on a worker thread, so big files never stall the UI.
// Polls the engine at ~30 Hz: playhead, end of playback, loop wraps, garbage collection.
// SoundFonts load on a worker thread too; a failed load keeps the old one. [ui] throughout.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <vector>

#include "app/AudioSettings.h"
#include "app/Document.h"
#include "app/Metronome.h"
#include "app/TrackState.h"
#include "audio/AudioEngine.h"
#include "core/ChannelAssignment.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::app {

class PlaybackController : public QObject {
    Q_OBJECT
public:
    static constexpr int kPollIntervalMs = 33;
    static constexpr int kRebuildDelayMs = 40;
    static constexpr int kMetronomeInstrument = 100000;  // drum "track" of the clicks
    static constexpr int kAuditionInstrumentBase = 200000;

    explicit PlaybackController(Document& document, QObject* parent = nullptr);
    ~PlaybackController() override;

    // ---- Device and sound ----
    /// Opens the audio device of `settings` (or none: the engine then runs on its silent clock
    /// and the transport still works) and loads its SoundFont on a worker thread when it
    /// differs from the loaded one. The result is in engineStatusText().
    core::Status applySettings(const AudioSettings& settings);
    /// Loads a SoundFont now (the settings dialog): a missing or corrupt file gives an error
    /// naming it and the current SoundFont stays.
    core::Status loadSoundFontNow(const QString& path);
    /// "Audio: <API>, <rate> Hz, <frames> frames, <latency> ms" or "Audio: no device — <why>".
    QString engineStatusText() const;
    double latencyMs() const { return m_engine.latencySeconds() * 1000.0; }
    audio::AudioEngine& engine() { return m_engine; }
    /// Whether the document plays through FluidSynth (off: MIDI out only; clicks still sound).
    void setSynthEnabled(bool enabled);
    bool isSynthEnabled() const { return m_synthEnabled; }

    // ---- Transport ----
    void play();
    /// Stops where it is (pause).
    void pause();
    void togglePlay();
    /// Stops when playing; when already stopped, returns to the start.
    void stop();
    void returnToStart() { seek(0.0); }
    void seek(double seconds);
    /// Panic: stops and silences everything at once (also MIDI, through stopped()).
    void panic();
    void setLoopRange(double startSeconds, double endSeconds);
    void setLoopEnabled(bool enabled);
    bool isLoopEnabled() const { return m_loopEnabled; }
    double loopStart() const { return m_loopStart; }
    double loopEnd() const { return m_loopEnd; }
    void setMetronomeEnabled(bool enabled);
    bool isMetronomeEnabled() const { return m_metronome; }
    /// Which GM percussion keys and velocities the clicks use.
    void setMetronomeSound(const MetronomeSound& sound);
    /// Plays `sequence` alongside the document (e.g. a ghost take), on its own channels;
    /// the document's notes `silenced` (e.g. those a Groove take would replace) are left
    /// out meanwhile, so the take is heard instead of them, not on top.
    void setAuditionSequence(const core::NoteSequence& sequence, const NoteIds& silenced = {});
    void clearAudition() { setAuditionSequence({}); }
    /// Keeps the transport running until at least `seconds` even past the document's end
    /// (recording); 0 = stop at the end as usual.
    void setMinimumEnd(double seconds);

    bool isPlaying() const { return m_playing; }
    double playheadSeconds() const;

    // ---- Snapshots ----
    /// Builds and submits the snapshot now on this thread if one is due (tests, first play).
    void rebuildNow();
    bool isRebuildPending() const { return m_rebuildTimer.isActive() || m_building; }
    /// Snapshots submitted to the engine so far.
    int snapshotsSubmitted() const { return m_submitted; }
    /// The MIDI channel the track of `instrument` plays on in the current snapshot (-1: none).
    int channelOfTrack(int instrument, bool isDrum) const;
    /// The document as it should sound: muted tracks (and, when any track is soloed, the
    /// non-soloed ones) removed; instrument infos, tempos and signatures kept. [any]
    static core::NoteSequence audibleSequence(const core::NoteSequence& sequence,
                                              const std::vector<TrackState>& tracks);

signals:
    void playheadMoved(double seconds);
    void playingChanged(bool playing);
    /// The transport started at `fromSeconds` / stopped at `atSeconds`.
    void started(double fromSeconds);
    void stopped(double atSeconds);
    /// The playhead jumped while playing (seek or loop wrap).
    void jumped(double toSeconds);
    void loopChanged(double startSeconds, double endSeconds, bool enabled);
    void metronomeChanged(bool enabled);
    void engineStatusChanged(const QString& text);
    void soundFontLoaded(const QString& path);
    void soundFontFailed(const QString& message);
    /// A snapshot built from document revision `revision` reached the engine.
    void snapshotSubmitted(quint64 revision);

private:
    struct BuildInput;
    void scheduleRebuild();
    void startBuild();
    std::shared_ptr<BuildInput> makeBuildInput() const;
    static audio::PlaybackSnapshot build(const BuildInput& input);
    void submit(audio::PlaybackSnapshot snapshot, quint64 revision);
    void poll();
    void loadSoundFontAsync(const QString& path);
    void setStatusText();

    Document& m_document;
    audio::AudioEngine m_engine;
    QThreadPool m_buildPool;   // one snapshot build at a time
    QThreadPool m_loaderPool;  // SoundFont loads
    QTimer m_rebuildTimer;
    QTimer m_pollTimer;
    bool m_building = false;
    bool m_rebuildAgain = false;
    quint64 m_buildGeneration = 0;
    audio::PlaybackSnapshot m_pendingSnapshot;  // built but not yet accepted by the engine
    quint64 m_pendingRevision = 0;
    std::vector<core::ChannelAssignment> m_channels;  // of the last submitted snapshot
    int m_submitted = 0;

    core::NoteSequence m_audition;
    NoteIds m_auditionSilenced;
    bool m_metronome = false;
    MetronomeSound m_metronomeSound;
    bool m_synthEnabled = true;
    double m_minimumEnd = 0.0;
    bool m_loopEnabled = false;
    double m_loopStart = 0.0;
    double m_loopEnd = 0.0;

    bool m_playing = false;
    bool m_engineConfirmed = false;  // the audio thread has started playing since play()
    double m_lastPlayhead = 0.0;
    double m_seekTarget = -1.0;  // reported until the audio thread has taken the seek
    long long m_seekBlock = 0;
    QString m_wantedSoundFont;
    quint64 m_loadGeneration = 0;
    QString m_statusText;
};

}  // namespace toccata::app
