// SoundFontBuilder: assembles a SoundFont 2.01 file (RIFF 'sfbk') from samples, instruments and
// presets described in memory. Only what the test SoundFont needs: mono 16-bit samples, zones
// made of generators, no modulators (FluidSynth applies the SF2 default modulators).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace toccata::sf2gen {

/// SF2 generator operators used by the test SoundFont (SF2.04 spec, section 8.1.2).
enum GeneratorId : uint16_t {
    kGenChorusEffectsSend = 15,
    kGenReverbEffectsSend = 16,
    kGenPan = 17,
    kGenAttackVolEnv = 34,
    kGenHoldVolEnv = 35,
    kGenDecayVolEnv = 36,
    kGenSustainVolEnv = 37,
    kGenReleaseVolEnv = 38,
    kGenKeynumToVolEnvDecay = 40,
    kGenInstrument = 41,
    kGenKeyRange = 43,
    kGenVelRange = 44,
    kGenInitialAttenuation = 48,
    kGenCoarseTune = 51,
    kGenSampleId = 53,
    kGenSampleModes = 54,
    kGenExclusiveClass = 57,
    kGenOverridingRootKey = 58,
};

struct Generator {
    uint16_t id = 0;
    uint16_t amount = 0;  // raw 16-bit genAmount (signed values stored two's complement)
};

Generator signedGenerator(GeneratorId id, int value);
Generator rangeGenerator(GeneratorId id, int low, int high);
/// Seconds -> timecents (1200 * log2(seconds)), the unit of every envelope time generator.
int timecents(double seconds);

struct Sample {
    std::string name;           // at most 20 characters are stored
    std::vector<int16_t> data;  // mono 16-bit PCM
    uint32_t sampleRate = 44100;
    uint8_t rootKey = 60;
    int8_t pitchCorrection = 0;  // cents
    uint32_t loopStart = 0;      // relative to the sample start; loopEnd == 0 means "no loop"
    uint32_t loopEnd = 0;
};

struct Zone {
    std::vector<Generator> generators;  // without the terminal instrument/sampleID generator
    int target = 0;                     // instrument index (preset zone) or sample index
};

struct Instrument {
    std::string name;
    std::vector<Zone> zones;
};

struct Preset {
    std::string name;
    uint16_t program = 0;
    uint16_t bank = 0;
    std::vector<Zone> zones;
};

class SoundFontBuilder {
public:
    explicit SoundFontBuilder(std::string name) : m_name(std::move(name)) {}

    int addSample(Sample sample);
    int addInstrument(Instrument instrument);
    void addPreset(Preset preset);
    void setComment(std::string comment) { m_comment = std::move(comment); }

    /// The complete file. Generators are ordered as the spec requires (keyRange, velRange,
    /// ..., instrument/sampleID last); every pdta list ends with its terminal record.
    std::vector<uint8_t> build() const;

private:
    std::string m_name;
    std::string m_comment;
    std::vector<Sample> m_samples;
    std::vector<Instrument> m_instruments;
    std::vector<Preset> m_presets;
};

}  // namespace toccata::sf2gen
