// Synth: the one FluidSynth set-up Toccata plays through, shared by the OfflineRenderer and
// the real-time AudioEngine. FluidSynth runs with synth.threadsafe-api = 0, so a Synth belongs
// to exactly one thread at a time: create/load it anywhere, then only the thread that renders
// (the RtAudio callback, or the offline renderer's thread) may send it events.
#pragma once

#include <fluidsynth/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace toccata::audio {

inline constexpr int kMidiChannelCount = 16;
inline constexpr int kDrumBank = 128;
/// FluidSynth's internal block (FLUID_BUFSIZE): events take effect at these boundaries.
inline constexpr int kFluidBlockFrames = 64;

struct SynthSettings {
    int sampleRate = 44100;  // 8000..96000 Hz (FluidSynth's range)
    int polyphony = 256;     // 1..65535 voices
    double gain = 0.4;       // master gain, 0..10 (FluidSynth's default is 0.2)
    bool reverb = true;
    bool chorus = true;
    bool lockMemory = false;  // mlock the samples (warns when RLIMIT_MEMLOCK is too low)
};

/// Captures the messages FluidSynth logs on the current thread while it is alive (scopes nest).
/// Toccata installs its own FluidSynth log handler, so nothing is ever printed to stderr;
/// messages logged on a thread without a capture (e.g. the audio thread) are only counted,
/// which keeps the handler free of allocations and locks there. [any] thread.
class FluidLogCapture {
public:
    FluidLogCapture();
    ~FluidLogCapture();
    FluidLogCapture(const FluidLogCapture&) = delete;
    FluidLogCapture& operator=(const FluidLogCapture&) = delete;

    /// "warning: ...", "error: ..." or "panic: ..." (info and debug messages are dropped).
    const std::vector<std::string>& messages() const { return m_messages; }
    void append(std::string message) { m_messages.push_back(std::move(message)); }

    /// Messages logged so far on threads without a capture (process-wide).
    static long long uncapturedCount();

private:
    std::vector<std::string> m_messages;
    FluidLogCapture* m_previous = nullptr;
};

class Synth {
public:
    /// [any] Creates FluidSynth with `settings` and loads `soundFontPath`. The file is checked
    /// first (checkSoundFontFile), so a missing, unreadable, foreign or truncated file gets a
    /// precise message; a load FluidSynth still rejects names the file and quotes FluidSynth.
    /// Channel 10 (index 9) plays the GM drum kit (bank 128), the others program 0.
    static core::Result<std::unique_ptr<Synth>> create(const std::string& soundFontPath,
                                                       const SynthSettings& settings = {});
    ~Synth();
    Synth(const Synth&) = delete;
    Synth& operator=(const Synth&) = delete;

    // Events. [audio]: only the thread that renders; no allocation, no locks. Channels are
    // 0..15; out-of-range values are ignored by FluidSynth.
    void noteOn(int channel, int key, int velocity);
    void noteOff(int channel, int key);
    void controlChange(int channel, int controller, int value);
    void pitchBend(int channel, int bend);  // -8192..8191, 0 = centre
    void programChange(int channel, int program);
    /// Selects the bank first when given (>= 0); drum channels always use bank 128.
    void selectProgram(int channel, int bank, int program);
    void setDrumChannel(int channel, bool isDrum);
    void allNotesOff(int channel = -1);   // -1: every channel (notes enter their release)
    void allSoundsOff(int channel = -1);  // immediate silence
    /// Back to the state right after create(): voices off, controllers reset, effects
    /// cleared, programs 0, channel 9 drums, and FluidSynth's 64-frame grid aligned with the
    /// next rendered frame (stale frames of the last block are dropped). [audio]
    void reset();

    /// Renders `frames` frames of non-interleaved stereo. [audio]
    void render(float* left, float* right, int frames);

    // Queries. [audio] (or any thread while nobody renders).
    int activeVoiceCount() const;
    bool hasPreset(int bank, int program) const;
    std::string presetName(int bank, int program) const;  // "" when absent
    bool isDrumChannel(int channel) const;

    int sampleRate() const { return m_settingsUsed.sampleRate; }
    /// Frames rendered since create(); FluidSynth applies events at 64-frame block
    /// boundaries counted from its first frame.
    int64_t framesRendered() const { return m_framesRendered; }
    const SynthSettings& settings() const { return m_settingsUsed; }
    const std::string& soundFontPath() const { return m_soundFontPath; }
    /// What FluidSynth logged while creating the synth and loading the SoundFont.
    const std::vector<std::string>& setupMessages() const { return m_setupMessages; }

private:
    Synth() = default;
    void configureChannels();
    fluid_preset_t* findPreset(int bank, int program) const;

    fluid_settings_t* m_settings = nullptr;
    fluid_synth_t* m_synth = nullptr;
    int m_soundFontId = -1;
    int64_t m_framesRendered = 0;
    unsigned m_drumChannels = 1u << 9;
    SynthSettings m_settingsUsed;
    std::string m_soundFontPath;
    std::vector<std::string> m_setupMessages;
};

}  // namespace toccata::audio
