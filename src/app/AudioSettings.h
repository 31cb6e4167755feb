// AudioSettings: the "Audio and MIDI" preferences - audio API/device/rate/buffer, SoundFont,
// MIDI output and input ports, virtual ports, clock out, monitoring, record quantize - as one
// value, read from and written to QSettings (groups "audio" and "midi") so the app applies the
// same set at start as the settings dialog last applied. [ui]
#pragma once

#include <QSettings>
#include <QString>

namespace toccata::app {

struct AudioSettings {
    /// Audio API short name ("jack", "pulse", "alsa"); "" = the first that opens;
    /// kAudioOff = no audio output at all (the transport still runs, e.g. for MIDI out).
    QString api;
    int deviceId = -1;  // -1 = the API's default output
    int sampleRate = 48000;
    int bufferFrames = 256;
    QString soundFont;  // "" = SoundFontLocator's choice

    bool synthEnabled = true;     // play the document through FluidSynth
    QString midiOutputPort;       // "" = none
    bool virtualOutput = true;    // Toccata's own "Toccata Out" port
    bool clockOut = false;        // MIDI beat clock on the MIDI outputs
    QString midiInputPort;        // "" = none
    bool virtualInput = true;     // Toccata's own "Toccata In" port
    bool monitorInput = true;     // MIDI input plays through FluidSynth
    int recordQuantizeSteps = 0;  // steps per quarter to snap a take to on stop; 0 = off

    static constexpr const char* kAudioOff = "none";

    bool operator==(const AudioSettings&) const = default;

    /// Reads the stored values; missing or invalid ones keep their defaults.
    static AudioSettings load(QSettings& settings);
    void save(QSettings& settings) const;
};

}  // namespace toccata::app
