// libtorch's headers come before Qt's (its identifiers clash with Qt's `slots` macro).
#include "ml/models/piano_genie/PianoGenie.h"

#include "app/PianoGenieController.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>
#include <string>

#include "app/Document.h"
#include "app/TrackImport.h"
#include "ml/generation/Rng.h"
#if TOCCATA_HAVE_AUDIO
#include "app/PlaybackController.h"
#endif
#if TOCCATA_HAVE_MIDI
#include "app/MidiController.h"
#include "midi/MidiMessage.h"
#endif

namespace toccata::app {

PianoGenieController::PianoGenieController(Document& document, QObject* parent)
    : QObject(parent), m_document(document) {
    m_clock.start();
}

PianoGenieController::~PianoGenieController() {
    // Nothing may keep sounding, and the MIDI input must not call a dead controller.
    m_recording = false;
    releaseAll();
    setMidi(nullptr);
}

void PianoGenieController::setPlayback(PlaybackController* playback) {
#if TOCCATA_HAVE_AUDIO
    m_playback = playback;
#else
    (void)playback;  // a build without audio plays nothing
#endif
}

void PianoGenieController::setMidi(MidiController* midi) {
#if TOCCATA_HAVE_MIDI
    if (m_midi) {
        m_midi->setInputFilter({});
        disconnect(m_midi, nullptr, this, nullptr);
    }
    m_midi = midi;
    m_programSent = false;
    if (!m_midi) return;
    m_midi->setInputFilter([this](const midi::MidiMessage& m) {
        if (m.isNoteOn() || m.isNoteOff())
            return handleMidiNote(m.data1(), m.data2(), m.isNoteOn());
        if (m.isControlChange() && m.data1() == midi::kSustainController)
            return handleMidiSustain(m.data2() >= 64);
        return false;
    });
    connect(m_midi, &MidiController::portsChanged, this, [this] { m_programSent = false; });
#else
    (void)midi;      // a build without MIDI ports has no controller input
#endif
}

// ---- Model ------------------------------------------------------------------------------------

bool PianoGenieController::loadModel(const QString& folder) {
    if (folder.isEmpty()) {
        setStatus(tr("No Piano Genie model: choose one, or open a model folder."), true);
        return false;
    }
    if (!QFileInfo(folder).isDir()) {
        setStatus(tr("Piano Genie model folder “%1” does not exist.")
                      .arg(QDir::toNativeSeparators(folder)),
                  true);
        return false;
    }
    std::shared_ptr<const ml::PianoGenieModel> model;
    std::string error;
    try {  // the runtime reports errors as values; a stray torch exception must not escape
        auto loaded = ml::PianoGenieModel::load(QDir::cleanPath(folder).toStdString());
        if (loaded.ok())
            model = *loaded;
        else
            error = loaded.errorMessage();
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!model) {
        setStatus(tr("Cannot use “%1” as a Piano Genie model: %2")
                      .arg(QDir::toNativeSeparators(folder), QString::fromStdString(error)),
                  true);
        return false;
    }
    releaseAll();
    m_model = std::move(model);
    m_folder = QDir::cleanPath(folder);
    makeSession(ml::Rng::randomSeed());
    setStatus(tr("Ready: %1 — play with 1–8 or A S D F J K L ;, Space = sustain")
                  .arg(QString::fromStdString(m_model->spec().id)));
    emit modelChanged(m_folder);
    return true;
}

void PianoGenieController::makeSession(uint64_t seed) {
    if (!m_model) return;
    m_session = std::make_unique<ml::PianoGenieSession>(m_model, seed);
}

void PianoGenieController::setSeed(uint64_t seed) {
    releaseAll();
    makeSession(seed);
}

void PianoGenieController::reset() {
    releaseAll();
    if (m_session) m_session->reset();
}

// ---- Sampling ---------------------------------------------------------------------------------

void PianoGenieController::setTemperature(double temperature) {
    m_temperature = std::clamp(temperature, 0.0, 2.0);
}

void PianoGenieController::setAllowedKeys(std::vector<bool> allowed) {
    m_allowed = std::move(allowed);
    if (!m_allowed.empty() &&
        std::find(m_allowed.begin(), m_allowed.end(), true) == m_allowed.end())
        setStatus(tr("No key is allowed: widen the key range or choose another scale."), true);
    else if (m_statusError && m_status.startsWith(tr("No key is allowed")))
        setStatus(hasModel() ? tr("Ready") : QString());
}

std::vector<bool> PianoGenieController::keysFor(const std::optional<ml::KeyScale>& scale,
                                                int lowestPitch, int highestPitch) {
    std::vector<bool> keys(kKeys, false);
    bool all = true;
    for (int key = 0; key < kKeys; ++key) {
        const int pitch = key + kLowestPitch;
        keys[size_t(key)] =
            pitch >= lowestPitch && pitch <= highestPitch && (!scale || scale->contains(pitch));
        all = all && keys[size_t(key)];
    }
    if (all) keys.clear();
    return keys;
}

// ---- Playing ----------------------------------------------------------------------------------

double PianoGenieController::now() const { return double(m_clock.nsecsElapsed()) / 1e9; }

std::vector<float> PianoGenieController::lastLogits() const {
    if (!m_session || !m_session->lastLogits().defined()) return {};
    const torch::Tensor logits = m_session->lastLogits().to(torch::kFloat32).contiguous().cpu();
    return std::vector<float>(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
}

int PianoGenieController::press(int button, int velocity) {
    if (button < 0 || button >= kButtons) return -1;
    if (!m_session) {
        setStatus(tr("No Piano Genie model: choose one, or open a model folder."), true);
        return -1;
    }
    if (m_buttonKey[size_t(button)] >= 0) return m_buttonKey[size_t(button)];
    ml::PianoGenieSampling sampling;
    sampling.temperature = m_temperature;
    sampling.allowedKeys = m_allowed;
    int key = -1;
    std::string error;
    try {
        const core::Result<int> pressed = m_session->press(button, now(), sampling);
        if (pressed.ok())
            key = *pressed;
        else
            error = pressed.errorMessage();
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (key < 0 || key >= kKeys) {
        if (error.empty()) error = "the model gave key " + std::to_string(key);
        setStatus(tr("Piano Genie: %1").arg(QString::fromStdString(error)), true);
        return -1;
    }
    if (m_statusError) setStatus(tr("Ready"));
    startNote(button, key, std::clamp(velocity, 1, 127));
    return key;
}

void PianoGenieController::startNote(int button, int key, int velocity) {
    // The same key struck again: the old note ends where the new one starts.
    for (size_t i = 0; i < m_sounding.size(); ++i)
        if (m_sounding[i].key == key) {
            endNote(i);
            break;
        }
    Sounding s;
    s.key = key;
    s.button = button;
    s.velocity = velocity;
    s.startSeconds = now();
    if (m_recording) {
        core::Note note;
        note.pitch = key + kLowestPitch;
        note.velocity = velocity;
        note.startTime = takeTime();
        note.endTime = note.startTime + Document::kMinNoteSeconds;
        note.program = kProgram;
        s.takeIndex = static_cast<int>(m_take.size());
        m_take.push_back(note);
    }
    m_sounding.push_back(s);
    m_buttonKey[size_t(button)] = key;
    sendNoteOn(key, velocity);
    emit noteStarted(button, key, velocity);
    emit buttonChanged(button, true);
}

void PianoGenieController::endNote(size_t index) {
    const Sounding s = m_sounding[index];
    m_sounding.erase(m_sounding.begin() + static_cast<long>(index));
    if (s.held && m_buttonKey[size_t(s.button)] == s.key) {
        m_buttonKey[size_t(s.button)] = -1;
        emit buttonChanged(s.button, false);
    }
    if (m_recording && s.takeIndex >= 0 && size_t(s.takeIndex) < m_take.size()) {
        core::Note& note = m_take[size_t(s.takeIndex)];
        note.endTime = std::max(takeTime(), note.startTime + Document::kMinNoteSeconds);
    }
    sendNoteOff(s.key);
    emit noteEnded(s.button, s.key);
}

void PianoGenieController::release(int button) {
    if (button < 0 || button >= kButtons) return;
    const int key = m_buttonKey[size_t(button)];
    if (key < 0) return;
    m_buttonKey[size_t(button)] = -1;
    emit buttonChanged(button, false);
    for (size_t i = 0; i < m_sounding.size(); ++i) {
        Sounding& s = m_sounding[i];
        if (!s.held || s.button != button || s.key != key) continue;
        if (m_sustain)
            s.held = false;
        else
            endNote(i);
        return;
    }
}

void PianoGenieController::setSustain(bool down) {
    if (down == m_sustain) return;
    m_sustain = down;
    if (!down)
        for (size_t i = m_sounding.size(); i-- > 0;)
            if (!m_sounding[i].held) endNote(i);
    emit sustainChanged(down);
}

void PianoGenieController::releaseAll() {
    if (m_sustain) {
        m_sustain = false;
        emit sustainChanged(false);
    }
    while (!m_sounding.empty()) endNote(m_sounding.size() - 1);
    for (int b = 0; b < kButtons; ++b)
        if (m_buttonKey[size_t(b)] >= 0) {
            m_buttonKey[size_t(b)] = -1;
            emit buttonChanged(b, false);
        }
}

void PianoGenieController::sendNoteOn(int key, int velocity) {
    const int pitch = key + kLowestPitch;
#if TOCCATA_HAVE_AUDIO
    if (m_playback) m_playback->engine().liveNoteOn(kChannel, pitch, velocity);
#endif
#if TOCCATA_HAVE_MIDI
    if (m_midi) {
        if (!m_programSent) {
            m_midi->sendLive(midi::programChange(kChannel, kProgram));
            m_programSent = true;
        }
        m_midi->sendLive(midi::noteOn(kChannel, pitch, velocity));
    }
#endif
    (void)pitch;
    (void)velocity;
}

void PianoGenieController::sendNoteOff(int key) {
    const int pitch = key + kLowestPitch;
#if TOCCATA_HAVE_AUDIO
    if (m_playback) m_playback->engine().liveNoteOff(kChannel, pitch);
#endif
#if TOCCATA_HAVE_MIDI
    if (m_midi) m_midi->sendLive(midi::noteOff(kChannel, pitch));
#endif
    (void)pitch;
}

// ---- Recording --------------------------------------------------------------------------------

QString PianoGenieController::takeTrackName() { return tr("Piano Genie take"); }

double PianoGenieController::takeTime() const {
    return m_recordOffset + std::max(0.0, now() - m_recordStart);
}

void PianoGenieController::setRecording(bool recording) {
    if (recording == m_recording) return;
    if (recording) {
        m_take.clear();
        m_recordStart = now();
        m_recordOffset = 0.0;
#if TOCCATA_HAVE_AUDIO
        // Played along with the song: the take lands where it was played.
        if (m_playback && m_playback->isPlaying()) m_recordOffset = m_playback->playheadSeconds();
#endif
        m_recording = true;
        emit recordingChanged(true);
        setStatus(tr("Recording…"));
        return;
    }
    // Notes still sounding end now.
    for (const Sounding& s : m_sounding)
        if (s.takeIndex >= 0 && size_t(s.takeIndex) < m_take.size()) {
            core::Note& note = m_take[size_t(s.takeIndex)];
            note.endTime = std::max(takeTime(), note.startTime + Document::kMinNoteSeconds);
        }
    for (Sounding& s : m_sounding) s.takeIndex = -1;
    m_recording = false;
    emit recordingChanged(false);
    if (m_take.empty()) {
        setStatus(tr("Nothing was recorded."));
        return;
    }
    core::NoteSequence seq;
    seq.tempos = m_document.sequence().tempos;
    seq.timeSignatures = m_document.sequence().timeSignatures;
    seq.keySignatures = m_document.sequence().keySignatures;
    seq.instrumentInfos.push_back({0, takeTrackName().toStdString(), -1, -1});
    seq.notes = m_take;
    for (core::Note& n : seq.notes) n.instrument = 0;
    seq.recomputeTotalTime();
    const QList<int> added = importAsNewTracks(m_document, seq, tr("Record Piano Genie"));
    const int count = static_cast<int>(m_take.size());
    m_take.clear();
    if (added.isEmpty()) return;
    setStatus(tr("Recorded %n note(s) into “%1”.", nullptr, count).arg(takeTrackName()));
    emit takeAdded(added.first(), count);
}

// ---- MIDI controller input --------------------------------------------------------------------

void PianoGenieController::setMidiMode(PianoGenieMidiMapping::Mode mode) {
    releaseAll();
    m_mapping.setMode(mode);
    emit midiMappingChanged();
}

void PianoGenieController::relearnMidi() {
    releaseAll();
    m_mapping.relearn();
    emit midiMappingChanged();
}

void PianoGenieController::setMidiRoutingActive(bool active) {
    if (active == m_routing) return;
    m_routing = active;
    if (!active) releaseAll();
}

bool PianoGenieController::handleMidiNote(int pitch, int velocity, bool on) {
    if (!m_routing || !m_mapping.isOn()) return false;
    const bool wasLearning = m_mapping.isLearning();
    const PianoGenieMidiMapping::Routed routed =
        on ? m_mapping.noteOn(pitch) : m_mapping.noteOff(pitch);
    if (!routed.consumed) return false;
    if (wasLearning) {
        emit midiMappingChanged();
        return true;
    }
    if (routed.button >= 0) {
        if (on)
            press(routed.button, velocity);
        else
            release(routed.button);
    }
    return true;
}

bool PianoGenieController::handleMidiSustain(bool down) {
    if (!m_routing || !m_mapping.isOn()) return false;
    setSustain(down);
    return true;
}

void PianoGenieController::setStatus(const QString& text, bool error) {
    if (text == m_status && error == m_statusError) return;
    m_status = text;
    m_statusError = error;
    emit statusChanged(text, error);
}

}  // namespace toccata::app
