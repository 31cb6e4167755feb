#include "TestSounds.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "SoundFontBuilder.h"

namespace toccata::sf2gen {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRate = kTestSampleRate;

// Tonal samples hold 13 cycles per loop length, so a loop of kLoop frames is seamless:
// 13 * 44100 / 2205 = 260 Hz (C4 is 261.63 Hz: +11 cents correction),
// 13 * 44100 / 8820 = 65 Hz (C2).
constexpr int kCyclesPerLoop = 13;
constexpr int kPitchCorrectionCents = 11;

/// Deterministic noise (xorshift32) in [-1, 1): the file is identical on every build.
class Noise {
public:
    double next() {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return static_cast<double>(m_state) / 2147483648.0 - 1.0;
    }

private:
    uint32_t m_state = 0x12345678u;
};

std::vector<int16_t> toPcm(const std::vector<double>& signal, double peak = 0.9) {
    double maxAbs = 0.0;
    for (double v : signal) maxAbs = std::max(maxAbs, std::abs(v));
    const double scale = maxAbs > 0.0 ? peak * 32767.0 / maxAbs : 0.0;
    std::vector<int16_t> pcm(signal.size());
    for (size_t i = 0; i < signal.size(); ++i)
        pcm[i] = static_cast<int16_t>(std::lround(signal[i] * scale));
    return pcm;
}

/// A looped tone: `harmonic(n)` gives the amplitude of harmonic n (1-based). The sample is
/// two loop lengths long and loops over the second one.
Sample loopedTone(const std::string& name, int loopFrames, uint8_t rootKey,
                  const std::function<double(int)>& harmonic) {
    const double fundamental = kCyclesPerLoop * kRate / loopFrames;
    std::vector<double> signal(2 * static_cast<size_t>(loopFrames), 0.0);
    for (int n = 1; n * fundamental < 12000.0; ++n) {
        const double amplitude = harmonic(n);
        if (amplitude == 0.0) continue;
        for (size_t i = 0; i < signal.size(); ++i)
            signal[i] += amplitude * std::sin(2.0 * kPi * n * fundamental * i / kRate);
    }
    Sample sample;
    sample.name = name;
    sample.data = toPcm(signal, 0.8);
    sample.rootKey = rootKey;
    sample.pitchCorrection = kPitchCorrectionCents;
    sample.loopStart = static_cast<uint32_t>(loopFrames);
    sample.loopEnd = static_cast<uint32_t>(2 * loopFrames);
    return sample;
}

/// A one-shot sound of `seconds`, from a per-frame generator f(t, noise).
Sample oneShot(const std::string& name, double seconds, uint8_t rootKey,
               const std::function<double(double, Noise&)>& f) {
    Noise noise;
    std::vector<double> signal(static_cast<size_t>(seconds * kRate));
    for (size_t i = 0; i < signal.size(); ++i) signal[i] = f(i / kRate, noise);
    // 2 ms fade-out so the end never clicks.
    const size_t fade = std::min<size_t>(signal.size(), static_cast<size_t>(0.002 * kRate));
    for (size_t i = 0; i < fade; ++i)
        signal[signal.size() - 1 - i] *= static_cast<double>(i) / fade;
    Sample sample;
    sample.name = name;
    sample.data = toPcm(signal);
    sample.rootKey = rootKey;
    return sample;
}

/// Noise brightened by first differences (a crude high-pass), for hats and cymbals.
double brightNoise(Noise& noise, double& previous) {
    const double current = noise.next();
    const double out = current - previous;
    previous = current;
    return 0.5 * out;
}

// Effect sends in 0.1 % units, so reverb and chorus are audible when the synth enables them.
constexpr int kReverbSend = 200;
constexpr int kChorusSend = 100;

Zone fullRangeZone(int sample, std::vector<Generator> generators) {
    generators.push_back(rangeGenerator(kGenKeyRange, 0, 127));
    generators.push_back(signedGenerator(kGenReverbEffectsSend, kReverbSend));
    generators.push_back(signedGenerator(kGenChorusEffectsSend, kChorusSend));
    return Zone{std::move(generators), sample};
}

Zone drumZone(int sample, int key, bool tracksKey, int pan, int exclusiveClass = 0) {
    std::vector<Generator> g = {
        rangeGenerator(kGenKeyRange, key, key),
        signedGenerator(kGenReleaseVolEnv, timecents(1.0)),  // note-off never chokes a hit
        signedGenerator(kGenPan, pan),
        signedGenerator(kGenReverbEffectsSend, kReverbSend / 2),
    };
    if (!tracksKey) g.push_back(signedGenerator(kGenOverridingRootKey, key));
    if (exclusiveClass != 0) g.push_back(signedGenerator(kGenExclusiveClass, exclusiveClass));
    return Zone{std::move(g), sample};
}

Preset singleInstrumentPreset(const std::string& name, int bank, int program, int instrument) {
    Preset preset;
    preset.name = name;
    preset.bank = static_cast<uint16_t>(bank);
    preset.program = static_cast<uint16_t>(program);
    preset.zones.push_back(Zone{{}, instrument});
    return preset;
}

void addMelodicInstruments(SoundFontBuilder& sf) {
    const int sine = sf.addSample(loopedTone("Sine C4", 2205, 60, [](int n) {
        return n == 1 ? 1.0 : n == 2 ? 0.12 : n == 3 ? 0.04 : 0.0;
    }));
    const int square = sf.addSample(
        loopedTone("Square C4", 2205, 60, [](int n) { return n % 2 == 1 ? 1.0 / n : 0.0; }));
    const int saw = sf.addSample(loopedTone("Saw C4", 2205, 60, [](int n) { return 1.0 / n; }));
    const int bass = sf.addSample(loopedTone("Bass C2", 8820, 36, [](int n) {
        return n == 1 ? 1.0 : n == 2 ? 0.35 : n == 3 ? 0.15 : n == 4 ? 0.05 : 0.0;
    }));

    // Piano-like: fast attack, the level decays (faster for higher keys), short release.
    const int piano = sf.addInstrument(
        Instrument{"Sine Piano",
                   {fullRangeZone(sine, {signedGenerator(kGenSampleModes, 1),
                                         signedGenerator(kGenAttackVolEnv, timecents(0.004)),
                                         signedGenerator(kGenDecayVolEnv, timecents(4.0)),
                                         signedGenerator(kGenSustainVolEnv, 1000),
                                         signedGenerator(kGenKeynumToVolEnvDecay, 20),
                                         signedGenerator(kGenReleaseVolEnv, timecents(0.25))})}});
    const std::vector<Generator> lead = {signedGenerator(kGenSampleModes, 1),
                                         signedGenerator(kGenAttackVolEnv, timecents(0.01)),
                                         signedGenerator(kGenReleaseVolEnv, timecents(0.12)),
                                         signedGenerator(kGenInitialAttenuation, 40)};
    const int squareLead =
        sf.addInstrument(Instrument{"Square Lead", {fullRangeZone(square, lead)}});
    const int sawLead = sf.addInstrument(Instrument{"Saw Lead", {fullRangeZone(saw, lead)}});
    const int bassInstrument = sf.addInstrument(
        Instrument{"Sine Bass",
                   {fullRangeZone(bass, {signedGenerator(kGenSampleModes, 1),
                                         signedGenerator(kGenAttackVolEnv, timecents(0.003)),
                                         signedGenerator(kGenDecayVolEnv, timecents(1.5)),
                                         signedGenerator(kGenSustainVolEnv, 250),
                                         signedGenerator(kGenReleaseVolEnv, timecents(0.1))})}});

    sf.addPreset(singleInstrumentPreset("Sine Piano", 0, 0, piano));
    sf.addPreset(singleInstrumentPreset("Sine Bass", 0, 33, bassInstrument));
    sf.addPreset(singleInstrumentPreset("Square Lead", 0, 80, squareLead));
    sf.addPreset(singleInstrumentPreset("Saw Lead", 0, 81, sawLead));
}

void addDrumKit(SoundFontBuilder& sf) {
    const int kick = sf.addSample(oneShot("Kick", 0.5, 36, [](double t, Noise& noise) {
        // Falling pitch (150 -> 50 Hz): phase is the integral of the frequency.
        const double phase = 2.0 * kPi * (50.0 * t + 100.0 * 0.04 * (1.0 - std::exp(-t / 0.04)));
        return std::sin(phase) * std::exp(-t / 0.15) + 0.3 * noise.next() * std::exp(-t / 0.003);
    }));
    const int stick = sf.addSample(oneShot("Stick", 0.08, 37, [](double t, Noise& noise) {
        return std::sin(2.0 * kPi * 1200.0 * t) * std::exp(-t / 0.012) +
               0.4 * noise.next() * std::exp(-t / 0.004);
    }));
    const int snare = sf.addSample(oneShot("Snare", 0.35, 38, [](double t, Noise& noise) {
        return 0.7 * noise.next() * std::exp(-t / 0.07) +
               0.6 * std::sin(2.0 * kPi * 190.0 * t) * std::exp(-t / 0.05);
    }));
    const int clap = sf.addSample(oneShot("Clap", 0.3, 39, [](double t, Noise& noise) {
        double envelope = std::exp(-t / 0.08);
        for (double burst : {0.0, 0.011, 0.022})
            if (t >= burst && t < burst + 0.011) envelope = std::exp(-(t - burst) / 0.004);
        return noise.next() * envelope;
    }));
    double hatState = 0.0;
    const int closedHat = sf.addSample(oneShot("Closed Hat", 0.15, 42, [&](double t, Noise& n) {
        return brightNoise(n, hatState) * std::exp(-t / 0.03);
    }));
    const int openHat = sf.addSample(oneShot("Open Hat", 0.6, 46, [&](double t, Noise& n) {
        return brightNoise(n, hatState) * std::exp(-t / 0.2);
    }));
    const int tom = sf.addSample(oneShot("Tom", 0.5, 45, [](double t, Noise&) {
        const double phase = 2.0 * kPi * (110.0 * t + 30.0 * 0.05 * (1.0 - std::exp(-t / 0.05)));
        return std::sin(phase) * std::exp(-t / 0.14);
    }));
    const int crash = sf.addSample(oneShot("Crash", 1.5, 49, [&](double t, Noise& n) {
        return brightNoise(n, hatState) * std::exp(-t / 0.5);
    }));
    const int ride = sf.addSample(oneShot("Ride", 1.2, 51, [&](double t, Noise& n) {
        const double bell =
            std::sin(2.0 * kPi * 2637.0 * t) + 0.6 * std::sin(2.0 * kPi * 3951.0 * t);
        return (0.5 * brightNoise(n, hatState) + 0.25 * bell) * std::exp(-t / 0.4);
    }));

    Instrument kit{"Test Kit", {}};
    kit.zones.push_back(drumZone(kick, 35, false, 0));
    kit.zones.push_back(drumZone(kick, 36, false, 0));
    kit.zones.push_back(drumZone(stick, 37, false, -100));
    kit.zones.push_back(drumZone(snare, 38, false, -50));
    kit.zones.push_back(drumZone(clap, 39, false, 50));
    kit.zones.push_back(drumZone(snare, 40, false, -50));
    kit.zones.push_back(drumZone(closedHat, 42, false, 200, 1));
    kit.zones.push_back(drumZone(closedHat, 44, false, 200, 1));
    kit.zones.push_back(drumZone(openHat, 46, false, 200, 1));
    for (int key : {41, 43, 45, 47, 48, 50})
        kit.zones.push_back(drumZone(tom, key, true, (key - 45) * 40));
    kit.zones.push_back(drumZone(crash, 49, false, -250));
    kit.zones.push_back(drumZone(ride, 51, false, 250));
    const int kitIndex = sf.addInstrument(std::move(kit));
    sf.addPreset(singleInstrumentPreset("Test Kit", 128, 0, kitIndex));
}

}  // namespace

std::vector<uint8_t> buildTestSoundFont() {
    SoundFontBuilder sf("Toccata Test SoundFont");
    sf.setComment("Synthesised by toccata-sf2gen for Toccata's tests; no third-party data.");
    addMelodicInstruments(sf);
    addDrumKit(sf);
    return sf.build();
}

}  // namespace toccata::sf2gen
