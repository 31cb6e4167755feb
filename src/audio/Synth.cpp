#include "audio/Synth.h"

#include <dlfcn.h>
#include <fluidsynth.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "audio/SoundFontLocator.h"
#include "core/NoteSequence.h"

namespace toccata::audio {
namespace {

thread_local FluidLogCapture* t_capture = nullptr;
std::atomic<long long> g_uncaptured{0};

void logHandler(int level, const char* message, void* /*data*/) {
    if (level == FLUID_INFO || level == FLUID_DBG) return;
    FluidLogCapture* capture = t_capture;
    if (!capture) {
        g_uncaptured.fetch_add(1, std::memory_order_relaxed);  // audio thread: no allocation
        return;
    }
    const char* prefix = level == FLUID_WARN  ? "warning: "
                         : level == FLUID_ERR ? "error: "
                                              : "panic: ";
    capture->append(std::string(prefix) + (message ? message : ""));
}

/// FluidSynth's log configuration is process-wide: route every level to logHandler, once.
void installLogHandler() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG})
            fluid_set_log_function(level, logHandler, nullptr);
    });
}

/// Debian's FluidSynth also tries libinstpatch's DLS loader on a file its SF2 loader rejects,
/// and libinstpatch reports through GLib's default log domain straight to stderr. While a
/// SoundFont loads, GlibLogScope routes those messages into the FluidLogCapture as well. GLib is
/// found at run time (it is FluidSynth's dependency, not ours); without it this does nothing.
class GlibLogScope {
public:
    GlibLogScope() {
        m_set = reinterpret_cast<SetHandler>(dlsym(RTLD_DEFAULT, "g_log_set_handler"));
        m_remove = reinterpret_cast<RemoveHandler>(dlsym(RTLD_DEFAULT, "g_log_remove_handler"));
        m_default = reinterpret_cast<LogFunc>(dlsym(RTLD_DEFAULT, "g_log_default_handler"));
        if (m_set && m_remove && m_default)
            m_id = m_set(nullptr, kLevels, &GlibLogScope::handle, this);
    }
    ~GlibLogScope() {
        if (m_id != 0) m_remove(nullptr, m_id);
    }
    GlibLogScope(const GlibLogScope&) = delete;
    GlibLogScope& operator=(const GlibLogScope&) = delete;

private:
    using LogFunc = void (*)(const char*, int, const char*, void*);
    using SetHandler = unsigned (*)(const char*, int, LogFunc, void*);
    using RemoveHandler = void (*)(const char*, unsigned);
    static constexpr int kLevels = (1 << 3) | (1 << 4) | (1 << 5);  // CRITICAL, WARNING, MESSAGE

    static void handle(const char* domain, int level, const char* message, void* data) {
        auto* self = static_cast<GlibLogScope*>(data);
        if (FluidLogCapture* capture = t_capture) {
            capture->append(std::string("warning: ") + (domain ? domain : "libinstpatch") + ": " +
                            (message ? message : ""));
        } else {
            self->m_default(domain, level, message, nullptr);  // another thread: as before
        }
    }

    SetHandler m_set = nullptr;
    RemoveHandler m_remove = nullptr;
    LogFunc m_default = nullptr;
    unsigned m_id = 0;
};

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += (text.empty() ? "" : "; ") + line;
    return text;
}

core::Status applySettings(fluid_settings_t* fs, const SynthSettings& s) {
    if (s.sampleRate < 8000 || s.sampleRate > 96000)
        return core::Status::failure("Sample rate " + std::to_string(s.sampleRate) +
                                     " Hz is out of range (8000..96000 Hz)");
    if (s.polyphony < 1 || s.polyphony > 65535)
        return core::Status::failure("Polyphony " + std::to_string(s.polyphony) +
                                     " is out of range (1..65535)");
    if (!(s.gain >= 0.0 && s.gain <= 10.0))
        return core::Status::failure("Gain " + std::to_string(s.gain) + " is out of range (0..10)");
    const bool ok =
        fluid_settings_setnum(fs, "synth.sample-rate", double(s.sampleRate)) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.threadsafe-api", 0) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.polyphony", s.polyphony) == FLUID_OK &&
        fluid_settings_setnum(fs, "synth.gain", s.gain) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.reverb.active", s.reverb ? 1 : 0) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.chorus.active", s.chorus ? 1 : 0) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.lock-memory", s.lockMemory ? 1 : 0) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.midi-channels", kMidiChannelCount) == FLUID_OK &&
        fluid_settings_setint(fs, "synth.dynamic-sample-loading", 0) == FLUID_OK;
    if (!ok) return core::Status::failure("FluidSynth rejected the synthesizer settings");
    return core::Status::success();
}

}  // namespace

FluidLogCapture::FluidLogCapture() : m_previous(t_capture) {
    installLogHandler();
    t_capture = this;
}

FluidLogCapture::~FluidLogCapture() { t_capture = m_previous; }

long long FluidLogCapture::uncapturedCount() {
    return g_uncaptured.load(std::memory_order_relaxed);
}

core::Result<std::unique_ptr<Synth>> Synth::create(const std::string& soundFontPath,
                                                   const SynthSettings& settings) {
    using R = core::Result<std::unique_ptr<Synth>>;
    if (core::Status file = checkSoundFontFile(soundFontPath); !file.ok()) return file.error();

    FluidLogCapture capture;
    std::unique_ptr<Synth> synth(new Synth());
    synth->m_settingsUsed = settings;
    synth->m_soundFontPath = soundFontPath;
    synth->m_settings = new_fluid_settings();
    if (!synth->m_settings)
        return R::failure("FluidSynth could not create its settings: " +
                          joined(capture.messages()));
    if (core::Status applied = applySettings(synth->m_settings, settings); !applied.ok())
        return applied.error();
    synth->m_synth = new_fluid_synth(synth->m_settings);
    if (!synth->m_synth)
        return R::failure("FluidSynth could not create a synthesizer: " +
                          joined(capture.messages()));

    {
        GlibLogScope glibLog;
        synth->m_soundFontId = fluid_synth_sfload(synth->m_synth, soundFontPath.c_str(), 1);
    }
    if (synth->m_soundFontId == FLUID_FAILED) {
        std::string message = "FluidSynth could not load SoundFont '" + soundFontPath + "'";
        if (!capture.messages().empty()) message += ": " + joined(capture.messages());
        return R::failure(message);
    }
    synth->configureChannels();
    synth->m_setupMessages = capture.messages();
    return synth;
}

Synth::~Synth() {
    if (m_synth) delete_fluid_synth(m_synth);
    if (m_settings) delete_fluid_settings(m_settings);
}

void Synth::configureChannels() {
    m_drumChannels = 1u << core::kDrumChannel;
    for (int channel = 0; channel < kMidiChannelCount; ++channel) {
        const bool drum = channel == core::kDrumChannel;
        fluid_synth_set_channel_type(m_synth, channel,
                                     drum ? CHANNEL_TYPE_DRUM : CHANNEL_TYPE_MELODIC);
        fluid_synth_bank_select(m_synth, channel, drum ? kDrumBank : 0);
        fluid_synth_program_change(m_synth, channel, 0);
    }
}

void Synth::noteOn(int channel, int key, int velocity) {
    fluid_synth_noteon(m_synth, channel, key, std::clamp(velocity, 1, 127));
}

void Synth::noteOff(int channel, int key) { fluid_synth_noteoff(m_synth, channel, key); }

void Synth::controlChange(int channel, int controller, int value) {
    fluid_synth_cc(m_synth, channel, controller, std::clamp(value, 0, 127));
}

void Synth::pitchBend(int channel, int bend) {
    fluid_synth_pitch_bend(m_synth, channel, std::clamp(bend, -8192, 8191) + 8192);
}

void Synth::programChange(int channel, int program) {
    fluid_synth_program_change(m_synth, channel, std::clamp(program, 0, 127));
}

void Synth::selectProgram(int channel, int bank, int program) {
    if (isDrumChannel(channel)) bank = kDrumBank;
    if (bank >= 0) fluid_synth_bank_select(m_synth, channel, bank);
    programChange(channel, program);
}

void Synth::setDrumChannel(int channel, bool isDrum) {
    if (channel < 0 || channel >= kMidiChannelCount || isDrumChannel(channel) == isDrum) return;
    if (isDrum)
        m_drumChannels |= 1u << channel;
    else
        m_drumChannels &= ~(1u << channel);
    fluid_synth_set_channel_type(m_synth, channel,
                                 isDrum ? CHANNEL_TYPE_DRUM : CHANNEL_TYPE_MELODIC);
    fluid_synth_bank_select(m_synth, channel, isDrum ? kDrumBank : 0);
    fluid_synth_program_change(m_synth, channel, 0);
}

void Synth::allNotesOff(int channel) { fluid_synth_all_notes_off(m_synth, channel); }

void Synth::allSoundsOff(int channel) { fluid_synth_all_sounds_off(m_synth, channel); }

void Synth::reset() {
    fluid_synth_system_reset(m_synth);
    // FluidSynth 2.3's system reset leaves sounding voices playing (FluidSynth issue #964);
    // all-sounds-off after it really stops them.
    fluid_synth_all_sounds_off(m_synth, -1);
    configureChannels();
    // FluidSynth renders whole 64-frame blocks and hands out the rest of the last one on the
    // next write: drop those stale frames, so the next render starts on a fresh block and
    // events sent before frame 0 sound from frame 0.
    if (const int stale =
            int((kFluidBlockFrames - m_framesRendered % kFluidBlockFrames) % kFluidBlockFrames)) {
        float scratch[2][kFluidBlockFrames];
        render(scratch[0], scratch[1], stale);
    }
}

void Synth::render(float* left, float* right, int frames) {
    if (frames <= 0) return;
    fluid_synth_write_float(m_synth, frames, left, 0, 1, right, 0, 1);
    m_framesRendered += frames;
}

int Synth::activeVoiceCount() const { return fluid_synth_get_active_voice_count(m_synth); }

fluid_preset_t* Synth::findPreset(int bank, int program) const {
    fluid_sfont_t* sfont = fluid_synth_get_sfont_by_id(m_synth, m_soundFontId);
    return sfont ? fluid_sfont_get_preset(sfont, bank, program) : nullptr;
}

bool Synth::hasPreset(int bank, int program) const { return findPreset(bank, program) != nullptr; }

std::string Synth::presetName(int bank, int program) const {
    fluid_preset_t* preset = findPreset(bank, program);
    const char* name = preset ? fluid_preset_get_name(preset) : nullptr;
    return name ? std::string(name) : std::string();
}

bool Synth::isDrumChannel(int channel) const {
    return channel >= 0 && channel < kMidiChannelCount && (m_drumChannels & (1u << channel)) != 0;
}

}  // namespace toccata::audio
