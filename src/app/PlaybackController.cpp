#include "app/PlaybackController.h"

#include <QFileInfo>
#include <QPointer>

#include <algorithm>
#include <cmath>

#include "app/Document.h"
#include "app/Metronome.h"
#include "audio/SoundFontLocator.h"
#include "audio/Synth.h"

namespace toccata::app {
namespace {

constexpr double kJumpTolerance = 0.05;  // playhead moving back more than this = a jump

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

/// Everything a snapshot build needs, copied on the UI thread so the worker owns it.
struct PlaybackController::BuildInput {
    core::NoteSequence document;  // already filtered by mute/solo (empty when synth is off)
    core::NoteSequence timing;    // tempos and signatures for the metronome
    core::NoteSequence audition;
    bool metronome = false;
    MetronomeSound metronomeSound;
    double minimumEnd = 0.0;
    double sampleRate = 48000.0;
    quint64 revision = 0;
};

PlaybackController::PlaybackController(Document& document, QObject* parent)
    : QObject(parent), m_document(document) {
    m_buildPool.setMaxThreadCount(1);
    m_loaderPool.setMaxThreadCount(1);
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(kRebuildDelayMs);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &PlaybackController::startBuild);
    connect(&m_document, &Document::changed, this, &PlaybackController::scheduleRebuild);
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &PlaybackController::poll);
    m_pollTimer.start();
    m_statusText = tr("Audio: not started");
    scheduleRebuild();
}

PlaybackController::~PlaybackController() {
    m_rebuildTimer.stop();
    m_pollTimer.stop();
    m_buildPool.clear();
    m_buildPool.waitForDone();
    m_loaderPool.clear();
    m_loaderPool.waitForDone();
    m_engine.panic();
}

// ---- Device and sound -----------------------------------------------------------------------

core::Status PlaybackController::applySettings(const AudioSettings& settings) {
    const bool wasPlaying = m_playing;
    const double at = playheadSeconds();
    if (wasPlaying) pause();
    core::Status status;
    if (settings.api == AudioSettings::kAudioOff) {
        m_engine.runWithoutDevice("audio output is off (Settings ▸ Audio and MIDI)",
                                  settings.sampleRate);
    } else {
        audio::AudioDeviceConfig config;
        config.api = settings.api.toStdString();
        config.deviceId = settings.deviceId;
        config.sampleRate = settings.sampleRate;
        config.bufferFrames = settings.bufferFrames;
        status = m_engine.open(config);
    }
    m_synthEnabled = settings.synthEnabled;
    // The stream's rate decides the snapshot's frames: rebuild at once.
    m_rebuildTimer.stop();
    m_rebuildAgain = false;
    rebuildNow();
    m_engine.setLoop(m_loopStart, m_loopEnd, m_loopEnabled);
    seek(at);
    if (wasPlaying) play();
    if (m_engine.soundFontPath().empty() || !settings.soundFont.isEmpty())
        loadSoundFontAsync(settings.soundFont);
    setStatusText();
    return status;
}

void PlaybackController::loadSoundFontAsync(const QString& path) {
    if (!path.isEmpty() && path.toStdString() == m_engine.soundFontPath()) return;
    m_wantedSoundFont = path;
    const quint64 generation = ++m_loadGeneration;
    const int rate = m_engine.sampleRate();
    QPointer<PlaybackController> self(this);
    m_loaderPool.start([this, self, path, rate, generation] {
        std::string file = path.toStdString();
        std::string error;
        std::unique_ptr<audio::Synth> synth;
        if (file.empty()) {
            const auto located = audio::SoundFontLocator().locate();
            if (located.ok())
                file = located->path;
            else
                error = located.errorMessage();
        }
        if (!file.empty()) {
            audio::SynthSettings settings;
            settings.sampleRate = rate;
            auto created = audio::Synth::create(file, settings);
            if (created.ok())
                synth = std::move(created.value());
            else
                error = created.errorMessage();
        }
        // The pool is waited for in the destructor, so `this` outlives this job; the queued
        // call is dropped when the controller is gone by the time it would run.
        auto* holder = new std::unique_ptr<audio::Synth>(std::move(synth));
        QMetaObject::invokeMethod(
            this,
            [this, self, holder, error, generation, path] {
                std::unique_ptr<audio::Synth> owned(std::move(*holder));
                delete holder;
                if (!self || generation != m_loadGeneration) return;
                if (!owned) {
                    emit soundFontFailed(tr("SoundFont not loaded: %1").arg(qs(error)));
                    return;
                }
                if (owned->sampleRate() != m_engine.sampleRate()) {  // the device changed
                    loadSoundFontAsync(path);
                    return;
                }
                const QString loaded = qs(owned->soundFontPath());
                const core::Status installed = m_engine.setSynth(std::move(owned));
                if (!installed.ok()) {
                    emit soundFontFailed(qs(installed.errorMessage()));
                    return;
                }
                setStatusText();
                emit soundFontLoaded(loaded);
            },
            Qt::QueuedConnection);
    });
}

core::Status PlaybackController::loadSoundFontNow(const QString& path) {
    ++m_loadGeneration;  // a load still running must not replace this one
    audio::SynthSettings settings;
    settings.sampleRate = m_engine.sampleRate();
    auto synth = audio::Synth::create(path.toStdString(), settings);
    if (!synth.ok()) return synth.error();
    const core::Status installed = m_engine.setSynth(std::move(synth.value()));
    if (installed.ok()) {
        setStatusText();
        emit soundFontLoaded(path);
    }
    return installed;
}

void PlaybackController::setStatusText() {
    const audio::EngineStatus status = m_engine.engineState();
    QString text;
    if (status.state == audio::EngineState::kRunning)
        text = tr("Audio: %1, latency %2 ms").arg(qs(status.message)).arg(latencyMs(), 0, 'f', 1);
    else
        text = tr("Audio: no device — %1").arg(qs(status.message));
    if (m_engine.soundFontPath().empty())
        text += tr(" · no SoundFont");
    else
        text += tr(" · %1").arg(QFileInfo(qs(m_engine.soundFontPath())).fileName());
    if (text == m_statusText) return;
    m_statusText = text;
    emit engineStatusChanged(text);
}

QString PlaybackController::engineStatusText() const { return m_statusText; }

void PlaybackController::setSynthEnabled(bool enabled) {
    if (enabled == m_synthEnabled) return;
    m_synthEnabled = enabled;
    scheduleRebuild();
}

// ---- Transport --------------------------------------------------------------------------------

void PlaybackController::play() {
    if (m_playing) return;
    if (m_submitted == 0 || m_rebuildTimer.isActive()) rebuildNow();
    m_engine.play();
    m_playing = true;
    m_engineConfirmed = false;
    m_lastPlayhead = playheadSeconds();
    emit playingChanged(true);
    emit started(m_lastPlayhead);
}

void PlaybackController::pause() {
    if (!m_playing) return;
    m_engine.stop();
    m_playing = false;
    const double at = playheadSeconds();
    emit playingChanged(false);
    emit stopped(at);
}

void PlaybackController::togglePlay() { m_playing ? pause() : play(); }

void PlaybackController::stop() {
    if (m_playing)
        pause();
    else
        returnToStart();
}

void PlaybackController::panic() {
    m_engine.panic();
    if (m_playing) {
        m_playing = false;
        emit playingChanged(false);
        emit stopped(playheadSeconds());
    }
}

void PlaybackController::seek(double seconds) {
    seconds = std::max(0.0, seconds);
    m_engine.seek(seconds);
    m_seekTarget = seconds;
    m_seekBlock = m_engine.renderer().blocksProcessed();
    m_lastPlayhead = seconds;
    emit playheadMoved(seconds);
    if (m_playing) emit jumped(seconds);
}

double PlaybackController::playheadSeconds() const {
    if (m_seekTarget >= 0.0) return m_seekTarget;
    return m_engine.playheadSeconds();
}

void PlaybackController::setLoopRange(double startSeconds, double endSeconds) {
    m_loopStart = std::max(0.0, std::min(startSeconds, endSeconds));
    m_loopEnd = std::max(0.0, std::max(startSeconds, endSeconds));
    m_engine.setLoop(m_loopStart, m_loopEnd, m_loopEnabled);
    if (m_metronome) scheduleRebuild();  // clicks must cover the loop
    emit loopChanged(m_loopStart, m_loopEnd, m_loopEnabled);
}

void PlaybackController::setLoopEnabled(bool enabled) {
    m_loopEnabled = enabled;
    m_engine.setLoop(m_loopStart, m_loopEnd, m_loopEnabled);
    if (m_metronome) scheduleRebuild();
    emit loopChanged(m_loopStart, m_loopEnd, m_loopEnabled);
}

void PlaybackController::setMetronomeEnabled(bool enabled) {
    if (enabled == m_metronome) return;
    m_metronome = enabled;
    scheduleRebuild();
    emit metronomeChanged(enabled);
}

void PlaybackController::setMetronomeSound(const MetronomeSound& sound) {
    m_metronomeSound = sound;
    if (m_metronome) scheduleRebuild();
}

void PlaybackController::setAuditionSequence(const core::NoteSequence& sequence,
                                             const NoteIds& silenced) {
    m_audition = sequence;
    m_auditionSilenced = silenced;
    scheduleRebuild();
}

void PlaybackController::setMinimumEnd(double seconds) {
    if (seconds == m_minimumEnd) return;
    m_minimumEnd = std::max(0.0, seconds);
    scheduleRebuild();
    if (m_playing) rebuildNow();  // recording starts now: the end must move before we reach it
}

// ---- Snapshots --------------------------------------------------------------------------------

core::NoteSequence PlaybackController::audibleSequence(const core::NoteSequence& sequence,
                                                       const std::vector<TrackState>& tracks) {
    const bool anySolo =
        std::any_of(tracks.begin(), tracks.end(), [](const TrackState& t) { return t.soloed; });
    std::vector<int> silent;
    for (const TrackState& t : tracks)
        if (t.muted || (anySolo && !t.soloed)) silent.push_back(t.instrument);
    if (silent.empty()) return sequence;
    const auto isSilent = [&](int instrument) {
        return std::find(silent.begin(), silent.end(), instrument) != silent.end();
    };
    core::NoteSequence out = sequence;
    std::erase_if(out.notes, [&](const core::Note& n) { return isSilent(n.instrument); });
    std::erase_if(out.controlChanges,
                  [&](const core::ControlChange& c) { return isSilent(c.instrument); });
    std::erase_if(out.pitchBends, [&](const core::PitchBend& b) { return isSilent(b.instrument); });
    return out;
}

void PlaybackController::scheduleRebuild() { m_rebuildTimer.start(); }

std::shared_ptr<PlaybackController::BuildInput> PlaybackController::makeBuildInput() const {
    auto input = std::make_shared<BuildInput>();
    const core::NoteSequence& doc = m_document.sequence();
    if (m_synthEnabled) {
        if (m_auditionSilenced.isEmpty()) {
            input->document = audibleSequence(doc, m_document.tracks());
        } else {
            core::NoteSequence heard = doc;
            std::vector<bool> drop(doc.notes.size(), false);
            for (NoteId id : m_auditionSilenced)
                if (const int i = m_document.indexOf(id); i >= 0)
                    drop[static_cast<size_t>(i)] = true;
            heard.notes.clear();
            for (size_t i = 0; i < doc.notes.size(); ++i)
                if (!drop[i]) heard.notes.push_back(doc.notes[i]);
            input->document = audibleSequence(heard, m_document.tracks());
        }
    }
    input->document.totalTime = doc.totalTime;  // the transport runs to the document's end
    input->timing.tempos = doc.tempos;
    input->timing.timeSignatures = doc.timeSignatures;
    input->audition = m_audition;
    input->metronome = m_metronome;
    input->metronomeSound = m_metronomeSound;
    input->minimumEnd = std::max(m_minimumEnd, m_loopEnabled ? m_loopEnd : 0.0);
    input->sampleRate = m_engine.sampleRate();
    input->revision = m_document.revision();
    return input;
}

audio::PlaybackSnapshot PlaybackController::build(const BuildInput& input) {
    core::NoteSequence all = input.document;
    for (core::Note note : input.audition.notes) {
        note.instrument += kAuditionInstrumentBase;
        all.notes.push_back(note);
    }
    const double end =
        std::max({input.document.totalTime, input.audition.totalTime, input.minimumEnd});
    if (input.metronome) {
        const std::vector<core::Note> clicks =
            metronomeClicks(input.timing, 0.0, end, kMetronomeInstrument, input.metronomeSound);
        all.notes.insert(all.notes.end(), clicks.begin(), clicks.end());
    }
    all.totalTime = end;
    return std::make_shared<const audio::SequencePlayback>(
        audio::SequencePlayback::fromSequence(all, input.sampleRate));
}

void PlaybackController::startBuild() {
    if (m_building) {  // one build at a time; the newest state is built after it
        m_rebuildAgain = true;
        return;
    }
    m_building = true;
    const std::shared_ptr<BuildInput> input = makeBuildInput();
    const quint64 generation = ++m_buildGeneration;
    QPointer<PlaybackController> self(this);
    m_buildPool.start([this, self, input, generation] {
        audio::PlaybackSnapshot snapshot = build(*input);
        QMetaObject::invokeMethod(
            this,
            [this, self, snapshot, generation, revision = input->revision] {
                if (!self) return;
                m_building = false;
                if (generation == m_buildGeneration) submit(snapshot, revision);
                if (std::exchange(m_rebuildAgain, false)) startBuild();
            },
            Qt::QueuedConnection);
    });
}

void PlaybackController::rebuildNow() {
    m_rebuildTimer.stop();
    ++m_buildGeneration;  // a build still running is outdated now
    const std::shared_ptr<BuildInput> input = makeBuildInput();
    submit(build(*input), input->revision);
}

void PlaybackController::submit(audio::PlaybackSnapshot snapshot, quint64 revision) {
    m_channels = snapshot->channels;
    m_pendingSnapshot = std::move(snapshot);
    m_pendingRevision = revision;
    if (m_engine.setSequence(m_pendingSnapshot).ok()) {
        m_pendingSnapshot.reset();
        ++m_submitted;
        emit snapshotSubmitted(revision);
    }  // else the audio thread's queue is full: poll() retries
}

int PlaybackController::channelOfTrack(int instrument, bool isDrum) const {
    for (const core::ChannelAssignment& a : m_channels)
        if (a.instrument == instrument && a.isDrum == isDrum) return a.channel;
    return -1;
}

void PlaybackController::poll() {
    m_engine.collectGarbage();
    if (m_pendingSnapshot) submit(std::move(m_pendingSnapshot), m_pendingRevision);
    if (m_seekTarget >= 0.0 && m_engine.renderer().blocksProcessed() > m_seekBlock + 1)
        m_seekTarget = -1.0;
    const double head = playheadSeconds();
    const bool enginePlaying = m_engine.isPlaying();
    if (m_playing) {
        if (enginePlaying) {
            m_engineConfirmed = true;
        } else if (m_engineConfirmed) {  // played to the end by itself
            m_playing = false;
            emit playingChanged(false);
            emit stopped(head);
        }
        if (m_playing && m_seekTarget < 0.0 && head < m_lastPlayhead - kJumpTolerance)
            emit jumped(head);  // loop wrap
    }
    if (head != m_lastPlayhead) {
        m_lastPlayhead = head;
        emit playheadMoved(head);
    }
    setStatusText();
}

}  // namespace toccata::app
