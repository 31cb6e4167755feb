// SettingsDialog (Settings ▸ Audio and MIDI…): audio API, device, sample rate, buffer size,
// SoundFont (browse; a missing or corrupt file is named in a clear error and the old one is
// kept), whether the document plays through FluidSynth, MIDI output port, virtual ports, clock
// out, MIDI input port, monitoring and record quantize. Apply/OK apply the settings to the
// controllers, store them with QSettings (app::AudioSettings) and show the resulting latency.
// [ui]
#pragma once

#if TOCCATA_HAVE_AUDIO

#include <QDialog>

#include "app/AudioSettings.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace toccata::app {
class PlaybackController;
class MidiController;
}  // namespace toccata::app

namespace toccata::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    /// `midi` may be null (a build without MIDI ports): the MIDI fields are disabled.
    SettingsDialog(app::PlaybackController& playback, app::MidiController* midi,
                   const app::AudioSettings& current, QWidget* parent = nullptr);

    /// The values the fields hold now.
    app::AudioSettings settings() const;
    /// Applies and stores the fields' values. False when the SoundFont could not be loaded
    /// (its error is shown; everything else is applied with the old SoundFont).
    bool apply();
    /// The SoundFont error shown, "" when none.
    QString soundFontError() const;
    QString latencyText() const;
    /// The value apply() stored last.
    const app::AudioSettings& appliedSettings() const { return m_applied; }

signals:
    void applied(const toccata::app::AudioSettings& settings);

private:
    void fillDevices();
    void browseSoundFont();
    void setFields(const app::AudioSettings& s);

    app::PlaybackController& m_playback;
    app::MidiController* m_midi;
    app::AudioSettings m_applied;
    QComboBox* m_api;
    QComboBox* m_device;
    QLabel* m_deviceError;
    QComboBox* m_rate;
    QComboBox* m_buffer;
    QLineEdit* m_soundFont;
    QLabel* m_soundFontError;
    QCheckBox* m_synth;
    QComboBox* m_midiOut;
    QCheckBox* m_virtualOut;
    QCheckBox* m_clockOut;
    QComboBox* m_midiIn;
    QCheckBox* m_virtualIn;
    QCheckBox* m_monitor;
    QComboBox* m_quantize;
    QLabel* m_latency;
};

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
