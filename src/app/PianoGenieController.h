// PianoGenieController: the live Piano Genie instrument of the studio. Owns the model and the
// PianoGenieSession; press(button) asks the model for a key (time since the last press from a
// monotonic clock), sounds it through the AudioEngine's live notes on its own channel
// (kChannel, MIDI 16, GM program 0 = Acoustic Grand) and on the open MIDI outputs, and
// release(button) ends the key that button started, unless the sustain pedal is down: then
// at pedal up. While recording, every note (start after the record start, plus the playhead
// when the transport was playing; duration until release or pedal up; velocity) goes into a
// take that becomes a new track "Piano Genie take" in the Document in ONE undoable step when
// recording stops. Notes of a MIDI controller reach it through MidiController's note filter
// and a PianoGenieMidiMapping while routing is on (its sustain pedal too). Problems (no model, a
// bad folder, no allowed key) are reported through statusChanged(), never thrown. Works without
// audio and MIDI (tests). [ui] throughout.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "app/PianoGenieMidiMapping.h"
#include "core/NoteSequence.h"
#include "ml/generation/KeyScale.h"

namespace toccata::ml {
class PianoGenieModel;
class PianoGenieSession;
}  // namespace toccata::ml

namespace toccata::app {

class Document;
class MidiController;
class PlaybackController;

class PianoGenieController : public QObject {
    Q_OBJECT
public:
    static constexpr int kButtons = 8;
    static constexpr int kKeys = 88;
    static constexpr int kLowestPitch = 21;  ///< key 0 = A0; key 87 = C8 (108)
    static constexpr int kChannel = 15;      ///< zero-based: MIDI channel 16
    static constexpr int kProgram = 0;       ///< Acoustic Grand Piano
    static constexpr double kDefaultTemperature = 0.25;

    /// A key that sounds now and the button that started it.
    struct Sounding {
        int key = 0;
        int button = 0;
        int velocity = 0;
        double startSeconds = 0.0;  ///< on now()'s clock
        bool held = true;           ///< false: released, kept by the sustain pedal
        int takeIndex = -1;         ///< its note in the take, -1 = not recorded
    };

    explicit PianoGenieController(Document& document, QObject* parent = nullptr);
    ~PianoGenieController() override;

    /// Where notes sound; either may be null (no audio / no MIDI ports).
    void setPlayback(PlaybackController* playback);
    void setMidi(MidiController* midi);

    // ---- Model ----
    /// Loads a model folder (Toccata model.json, the tutorial's TF.js export or an official
    /// Magenta.js checkpoint). On failure the previous model stays, the status names the folder
    /// and why, and false comes back.
    bool loadModel(const QString& folder);
    bool hasModel() const { return m_session != nullptr; }
    QString modelFolder() const { return m_folder; }
    /// A new session with this RNG seed (the same seed and presses give the same keys).
    void setSeed(uint64_t seed);
    /// Forgets the model's memory: the next press starts afresh. Sounding notes end.
    void reset();

    // ---- Sampling ----
    void setTemperature(double temperature);  ///< clamped to [0, 2]
    double temperature() const { return m_temperature; }
    /// Keys (0..87) that may sound; empty = all.
    void setAllowedKeys(std::vector<bool> allowed);
    const std::vector<bool>& allowedKeys() const { return m_allowed; }
    /// The keys of `scale` (none = every pitch class) from `lowestPitch` to `highestPitch`
    /// (MIDI, inclusive); an all-true list comes back empty (= all).
    static std::vector<bool> keysFor(const std::optional<ml::KeyScale>& scale, int lowestPitch,
                                     int highestPitch);

    // ---- Playing ----
    /// Presses `button` (0..7); returns the key 0..87 that sounds, or -1 (the status says
    /// why). A button already down is not pressed again.
    int press(int button, int velocity);
    void release(int button);
    void setSustain(bool down);
    bool isSustainDown() const { return m_sustain; }
    /// Lets go of every button and the pedal, ending every note (focus lost, panel hidden).
    void releaseAll();
    /// The key `button` holds down now, or -1.
    int keyOfButton(int button) const { return m_buttonKey[size_t(button) % kButtons]; }
    const std::vector<Sounding>& sounding() const { return m_sounding; }
    /// The 88 logits of the last press (empty before the first).
    std::vector<float> lastLogits() const;
    /// Seconds on the controller's monotonic clock.
    double now() const;

    // ---- Recording ----
    /// Starts a take, or stops it: a non-empty take becomes a new track in one undo step.
    void setRecording(bool recording);
    bool isRecording() const { return m_recording; }
    /// The notes of the take so far (times after the record start; open notes end "now").
    const std::vector<core::Note>& take() const { return m_take; }
    static QString takeTrackName();

    // ---- MIDI controller input ----
    PianoGenieMidiMapping::Mode midiMode() const { return m_mapping.mode(); }
    void setMidiMode(PianoGenieMidiMapping::Mode mode);
    void relearnMidi();
    const PianoGenieMidiMapping& midiMapping() const { return m_mapping; }
    /// Routing is on while the panel is shown (and the mode is not off).
    void setMidiRoutingActive(bool active);
    bool isMidiRoutingActive() const { return m_routing; }
    /// A note from the controller (MidiController's filter calls this); true when the genie
    /// took it.
    bool handleMidiNote(int pitch, int velocity, bool on);
    /// The controller's sustain pedal (CC 64), the genie's while routing is on.
    bool handleMidiSustain(bool down);

    QString statusText() const { return m_status; }
    bool isStatusError() const { return m_statusError; }

signals:
    void noteStarted(int button, int key, int velocity);
    void noteEnded(int button, int key);
    void buttonChanged(int button, bool down);
    void sustainChanged(bool down);
    void recordingChanged(bool recording);
    /// A take went into the document as the track `instrument` with `noteCount` notes.
    void takeAdded(int instrument, int noteCount);
    void modelChanged(const QString& folder);
    void statusChanged(const QString& text, bool error);
    void midiMappingChanged();

private:
    void startNote(int button, int key, int velocity);
    void endNote(size_t index);
    void sendNoteOn(int key, int velocity);
    void sendNoteOff(int key);
    void setStatus(const QString& text, bool error = false);
    void makeSession(uint64_t seed);
    double takeTime() const;

    Document& m_document;
    QPointer<PlaybackController> m_playback;
    QPointer<MidiController> m_midi;
    QElapsedTimer m_clock;

    std::shared_ptr<const ml::PianoGenieModel> m_model;
    std::unique_ptr<ml::PianoGenieSession> m_session;
    QString m_folder;
    double m_temperature = kDefaultTemperature;
    std::vector<bool> m_allowed;

    std::array<int, kButtons> m_buttonKey{-1, -1, -1, -1, -1, -1, -1, -1};
    std::vector<Sounding> m_sounding;
    bool m_sustain = false;
    bool m_programSent = false;  // program change on the MIDI outputs

    bool m_recording = false;
    double m_recordStart = 0.0;   // now() at the record start
    double m_recordOffset = 0.0;  // song time the take starts at
    std::vector<core::Note> m_take;

    PianoGenieMidiMapping m_mapping;
    bool m_routing = false;

    QString m_status;
    bool m_statusError = false;
};

}  // namespace toccata::app
