#include "ui/SettingsDialog.h"

#if TOCCATA_HAVE_AUDIO

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

#include "app/PlaybackController.h"
#include "audio/AudioEngine.h"
#if TOCCATA_HAVE_MIDI
#include "app/MidiController.h"
#endif

namespace toccata::ui {

namespace {

QComboBox* makeCombo(QWidget* parent, const char* name) {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(name);
    return combo;
}

QCheckBox* makeCheck(QWidget* parent, const char* name, const QString& text) {
    auto* box = new QCheckBox(text, parent);
    box->setObjectName(name);
    return box;
}

void selectData(QComboBox* combo, const QVariant& value) {
    const int index = combo->findData(value);
    if (index >= 0) combo->setCurrentIndex(index);
}

/// A port combo: "(none)", the ports listed now, and the chosen one even when it is absent.
void fillPorts(QComboBox* combo, const QStringList& ports, const QString& chosen) {
    combo->clear();
    combo->addItem(QObject::tr("(none)"), QString());
    for (const QString& port : ports) combo->addItem(port, port);
    if (!chosen.isEmpty() && combo->findData(chosen) < 0)
        combo->addItem(QObject::tr("%1 (not connected)").arg(chosen), chosen);
    selectData(combo, chosen);
}

}  // namespace

SettingsDialog::SettingsDialog(app::PlaybackController& playback, app::MidiController* midi,
                               const app::AudioSettings& current, QWidget* parent)
    : QDialog(parent), m_playback(playback), m_midi(midi), m_applied(current) {
    setObjectName("SettingsDialog");
    setWindowTitle(tr("Audio and MIDI"));
    auto* form = new QFormLayout;

    m_api = makeCombo(this, "AudioApi");
    m_api->addItem(tr("Automatic"), QString());
    for (const audio::AudioApiInfo& api : audio::AudioEngine::availableApis())
        if (api.name != "dummy")
            m_api->addItem(QString::fromStdString(api.displayName),
                           QString::fromStdString(api.name));
    m_api->addItem(tr("Off (no audio output)"), QString(app::AudioSettings::kAudioOff));
    form->addRow(tr("Audio system:"), m_api);
    m_device = makeCombo(this, "AudioDevice");
    form->addRow(tr("Output device:"), m_device);
    m_deviceError = new QLabel(this);
    m_deviceError->setObjectName("DeviceError");
    m_deviceError->setWordWrap(true);
    form->addRow(QString(), m_deviceError);
    m_rate = makeCombo(this, "SampleRate");
    for (int rate : {44100, 48000, 88200, 96000}) m_rate->addItem(tr("%1 Hz").arg(rate), rate);
    form->addRow(tr("Sample rate:"), m_rate);
    m_buffer = makeCombo(this, "BufferSize");
    for (int frames : {64, 128, 256, 512, 1024, 2048, 4096})
        m_buffer->addItem(tr("%1 frames").arg(frames), frames);
    form->addRow(tr("Buffer size:"), m_buffer);

    m_soundFont = new QLineEdit(this);
    m_soundFont->setObjectName("SoundFontPath");
    m_soundFont->setPlaceholderText(tr("automatic (system General MIDI SoundFont)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* sfRow = new QHBoxLayout;
    sfRow->addWidget(m_soundFont);
    sfRow->addWidget(browse);
    form->addRow(tr("SoundFont:"), sfRow);
    m_soundFontError = new QLabel(this);
    m_soundFontError->setObjectName("SoundFontError");
    m_soundFontError->setWordWrap(true);
    m_soundFontError->setStyleSheet("color: #c62828");
    form->addRow(QString(), m_soundFontError);
    m_synth = makeCheck(this, "SynthEnabled", tr("Play the document through FluidSynth"));
    form->addRow(QString(), m_synth);

    m_midiOut = makeCombo(this, "MidiOutput");
    form->addRow(tr("MIDI output:"), m_midiOut);
    m_virtualOut = makeCheck(this, "VirtualOutput", tr("Virtual output port “Toccata Out”"));
    form->addRow(QString(), m_virtualOut);
    m_clockOut = makeCheck(this, "ClockOut", tr("Send MIDI clock"));
    form->addRow(QString(), m_clockOut);
    m_midiIn = makeCombo(this, "MidiInput");
    form->addRow(tr("MIDI input:"), m_midiIn);
    m_virtualIn = makeCheck(this, "VirtualInput", tr("Virtual input port “Toccata In”"));
    form->addRow(QString(), m_virtualIn);
    m_monitor = makeCheck(this, "MonitorInput", tr("Play the MIDI input through FluidSynth"));
    form->addRow(QString(), m_monitor);
    m_quantize = makeCombo(this, "RecordQuantize");
    m_quantize->addItem(tr("Off"), 0);
    m_quantize->addItem(tr("Quarter notes"), 1);
    m_quantize->addItem(tr("Eighth notes"), 2);
    m_quantize->addItem(tr("Sixteenth notes"), 4);
    m_quantize->addItem(tr("Thirty-second notes"), 8);
    form->addRow(tr("Quantize recordings:"), m_quantize);
    const bool hasMidi = m_midi != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_midiOut, m_virtualOut, m_clockOut, m_midiIn,
                                                      m_virtualIn, m_monitor, m_quantize})
        w->setEnabled(hasMidi);

    m_latency = new QLabel(this);
    m_latency->setObjectName("LatencyLabel");
    form->addRow(tr("Latency:"), m_latency);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_api, &QComboBox::currentIndexChanged, this, &SettingsDialog::fillDevices);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseSoundFont);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (apply()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setFields(current);
    m_latency->setText(m_playback.engine().isOpen()
                           ? tr("%1 ms").arg(m_playback.latencyMs(), 0, 'f', 1)
                           : tr("no audio device"));
}

void SettingsDialog::setFields(const app::AudioSettings& s) {
    selectData(m_api, s.api);
    fillDevices();
    selectData(m_device, s.deviceId);
    selectData(m_rate, s.sampleRate);
    selectData(m_buffer, s.bufferFrames);
    m_soundFont->setText(s.soundFont);
    m_synth->setChecked(s.synthEnabled);
    QStringList outputs, inputs;
#if TOCCATA_HAVE_MIDI
    if (m_midi) {
        outputs = m_midi->outputPorts();
        inputs = m_midi->inputPorts();
    }
#endif
    // Our own virtual ports are not something to connect to.
    outputs.removeIf([](const QString& p) { return p.contains("Toccata"); });
    inputs.removeIf([](const QString& p) { return p.contains("Toccata"); });
    fillPorts(m_midiOut, outputs, s.midiOutputPort);
    fillPorts(m_midiIn, inputs, s.midiInputPort);
    m_virtualOut->setChecked(s.virtualOutput);
    m_clockOut->setChecked(s.clockOut);
    m_virtualIn->setChecked(s.virtualInput);
    m_monitor->setChecked(s.monitorInput);
    selectData(m_quantize, s.recordQuantizeSteps);
}

void SettingsDialog::fillDevices() {
    const QString api = m_api->currentData().toString();
    const QVariant chosen = m_device->currentData();
    m_device->clear();
    m_device->addItem(tr("Default"), -1);
    m_deviceError->clear();
    if (!api.isEmpty() && api != app::AudioSettings::kAudioOff) {
        const auto devices = audio::AudioEngine::listDevices(api.toStdString());
        if (!devices.ok()) {
            m_deviceError->setText(QString::fromStdString(devices.errorMessage()));
        } else {
            for (const audio::AudioDeviceInfo& d : *devices)
                m_device->addItem(QString::fromStdString(d.name), int(d.id));
        }
    }
    m_device->setEnabled(!api.isEmpty() && api != app::AudioSettings::kAudioOff);
    if (chosen.isValid()) selectData(m_device, chosen);
}

void SettingsDialog::browseSoundFont() {
    const QString start = m_soundFont->text().isEmpty()
                              ? QString("/usr/share/sounds/sf2")
                              : QFileInfo(m_soundFont->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a SoundFont"), start, tr("SoundFonts (*.sf2 *.sf3);;All files (*)"));
    if (!path.isEmpty()) m_soundFont->setText(path);
}

app::AudioSettings SettingsDialog::settings() const {
    app::AudioSettings s;
    s.api = m_api->currentData().toString();
    s.deviceId = m_device->currentData().isValid() ? m_device->currentData().toInt() : -1;
    s.sampleRate = m_rate->currentData().toInt();
    s.bufferFrames = m_buffer->currentData().toInt();
    s.soundFont = m_soundFont->text().trimmed();
    s.synthEnabled = m_synth->isChecked();
    s.midiOutputPort = m_midiOut->currentData().toString();
    s.virtualOutput = m_virtualOut->isChecked();
    s.clockOut = m_clockOut->isChecked();
    s.midiInputPort = m_midiIn->currentData().toString();
    s.virtualInput = m_virtualIn->isChecked();
    s.monitorInput = m_monitor->isChecked();
    s.recordQuantizeSteps = m_quantize->currentData().toInt();
    return s;
}

bool SettingsDialog::apply() {
    app::AudioSettings wanted = settings();
    bool soundFontOk = true;
    m_soundFontError->clear();
    if (wanted.soundFont != m_applied.soundFont && !wanted.soundFont.isEmpty()) {
        const core::Status loaded = m_playback.loadSoundFontNow(wanted.soundFont);
        if (!loaded.ok()) {
            m_soundFontError->setText(tr("%1 — the previous SoundFont is still in use.")
                                          .arg(QString::fromStdString(loaded.errorMessage())));
            wanted.soundFont = m_applied.soundFont;  // the old one stays
            soundFontOk = false;
        }
    }
    if (wanted.api != m_applied.api || wanted.deviceId != m_applied.deviceId ||
        wanted.sampleRate != m_applied.sampleRate ||
        wanted.bufferFrames != m_applied.bufferFrames ||
        wanted.synthEnabled != m_applied.synthEnabled || !m_playback.engine().isOpen())
        (void)m_playback.applySettings(wanted);  // the status bar shows the outcome
#if TOCCATA_HAVE_MIDI
    if (m_midi) m_midi->applySettings(wanted);
#endif
    m_applied = wanted;
    QSettings store;
    wanted.save(store);
    m_latency->setText(
        m_playback.engine().isOpen()
            ? tr("%1 ms").arg(m_playback.latencyMs(), 0, 'f', 1)
            : tr("no audio device — %1")
                  .arg(QString::fromStdString(m_playback.engine().engineState().message)));
    emit applied(wanted);
    return soundFontOk;
}

QString SettingsDialog::soundFontError() const { return m_soundFontError->text(); }
QString SettingsDialog::latencyText() const { return m_latency->text(); }

}  // namespace toccata::ui

#endif  // TOCCATA_HAVE_AUDIO
