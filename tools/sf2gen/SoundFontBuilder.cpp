#include "SoundFontBuilder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace toccata::sf2gen {
namespace {

// Samples are separated by at least 46 zero points (SF2.04, 7.10).
constexpr size_t kSampleGuardPoints = 46;

class ByteWriter {
public:
    void u8(uint8_t v) { m_bytes.push_back(v); }
    void u16(uint16_t v) {
        u8(static_cast<uint8_t>(v & 0xff));
        u8(static_cast<uint8_t>(v >> 8));
    }
    void u32(uint32_t v) {
        u16(static_cast<uint16_t>(v & 0xffff));
        u16(static_cast<uint16_t>(v >> 16));
    }
    void fourcc(const char* id) { m_bytes.insert(m_bytes.end(), id, id + 4); }
    /// Fixed-size, zero-padded name field (achPresetName etc.).
    void name(const std::string& text, size_t size) {
        for (size_t i = 0; i < size; ++i)
            u8(i < text.size() && i + 1 < size ? static_cast<uint8_t>(text[i]) : 0);
    }
    void append(const std::vector<uint8_t>& bytes) {
        m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
    }
    /// A chunk: id, little-endian size, payload, pad byte when the size is odd.
    void chunk(const char* id, const std::vector<uint8_t>& payload) {
        fourcc(id);
        u32(static_cast<uint32_t>(payload.size()));
        append(payload);
        if (payload.size() % 2 != 0) u8(0);
    }
    /// A LIST (or RIFF) chunk whose payload starts with a form type.
    void list(const char* id, const char* type, const std::vector<uint8_t>& payload) {
        std::vector<uint8_t> body(type, type + 4);
        body.insert(body.end(), payload.begin(), payload.end());
        chunk(id, body);
    }
    const std::vector<uint8_t>& bytes() const { return m_bytes; }

private:
    std::vector<uint8_t> m_bytes;
};

/// Zero-terminated string padded to an even length (INFO sub-chunks).
std::vector<uint8_t> infoString(const std::string& text) {
    std::vector<uint8_t> bytes(text.begin(), text.end());
    bytes.push_back(0);
    if (bytes.size() % 2 != 0) bytes.push_back(0);
    return bytes;
}

int generatorRank(uint16_t id) {
    if (id == kGenKeyRange) return 0;
    if (id == kGenVelRange) return 1;
    return 2;
}

/// Writes one zone's generators in spec order followed by the terminal generator.
void writeZoneGenerators(ByteWriter& gen, const Zone& zone, uint16_t terminalId) {
    std::vector<Generator> ordered = zone.generators;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Generator& a, const Generator& b) {
        return generatorRank(a.id) < generatorRank(b.id);
    });
    for (const Generator& g : ordered) {
        gen.u16(g.id);
        gen.u16(g.amount);
    }
    gen.u16(terminalId);
    gen.u16(static_cast<uint16_t>(zone.target));
}

}  // namespace

Generator signedGenerator(GeneratorId id, int value) {
    return Generator{id, static_cast<uint16_t>(static_cast<int16_t>(value))};
}

Generator rangeGenerator(GeneratorId id, int low, int high) {
    return Generator{id, static_cast<uint16_t>((low & 0xff) | ((high & 0xff) << 8))};
}

int timecents(double seconds) { return static_cast<int>(std::lround(1200.0 * std::log2(seconds))); }

int SoundFontBuilder::addSample(Sample sample) {
    m_samples.push_back(std::move(sample));
    return static_cast<int>(m_samples.size()) - 1;
}

int SoundFontBuilder::addInstrument(Instrument instrument) {
    m_instruments.push_back(std::move(instrument));
    return static_cast<int>(m_instruments.size()) - 1;
}

void SoundFontBuilder::addPreset(Preset preset) { m_presets.push_back(std::move(preset)); }

std::vector<uint8_t> SoundFontBuilder::build() const {
    // INFO
    ByteWriter info;
    {
        ByteWriter ifil;
        ifil.u16(2);
        ifil.u16(1);
        info.chunk("ifil", ifil.bytes());
        info.chunk("isng", infoString("EMU8000"));
        info.chunk("INAM", infoString(m_name));
        info.chunk("ISFT", infoString("toccata-sf2gen"));
        if (!m_comment.empty()) info.chunk("ICMT", infoString(m_comment));
    }

    // sdta: all samples back to back, each followed by the zero guard points.
    ByteWriter smpl;
    std::vector<uint32_t> sampleStarts;
    uint32_t position = 0;
    for (const Sample& sample : m_samples) {
        sampleStarts.push_back(position);
        for (int16_t point : sample.data) smpl.u16(static_cast<uint16_t>(point));
        for (size_t i = 0; i < kSampleGuardPoints; ++i) smpl.u16(0);
        position += static_cast<uint32_t>(sample.data.size() + kSampleGuardPoints);
    }
    ByteWriter sdta;
    sdta.chunk("smpl", smpl.bytes());

    // pdta: presets (sorted by bank, program), instruments, samples.
    std::vector<const Preset*> presets;
    for (const Preset& p : m_presets) presets.push_back(&p);
    std::stable_sort(presets.begin(), presets.end(), [](const Preset* a, const Preset* b) {
        return a->bank != b->bank ? a->bank < b->bank : a->program < b->program;
    });

    ByteWriter phdr, pbag, pgen, inst, ibag, igen, shdr;
    uint16_t bagIndex = 0;
    uint16_t genIndex = 0;
    for (const Preset* preset : presets) {
        phdr.name(preset->name, 20);
        phdr.u16(preset->program);
        phdr.u16(preset->bank);
        phdr.u16(bagIndex);
        phdr.u32(0);  // dwLibrary
        phdr.u32(0);  // dwGenre
        phdr.u32(0);  // dwMorphology
        for (const Zone& zone : preset->zones) {
            pbag.u16(genIndex);
            pbag.u16(0);
            writeZoneGenerators(pgen, zone, kGenInstrument);
            genIndex = static_cast<uint16_t>(genIndex + zone.generators.size() + 1);
            ++bagIndex;
        }
    }
    phdr.name("EOP", 20);
    phdr.u16(0);
    phdr.u16(0);
    phdr.u16(bagIndex);
    phdr.u32(0);
    phdr.u32(0);
    phdr.u32(0);
    pbag.u16(genIndex);
    pbag.u16(0);
    pgen.u32(0);

    bagIndex = 0;
    genIndex = 0;
    for (const Instrument& instrument : m_instruments) {
        inst.name(instrument.name, 20);
        inst.u16(bagIndex);
        for (const Zone& zone : instrument.zones) {
            ibag.u16(genIndex);
            ibag.u16(0);
            writeZoneGenerators(igen, zone, kGenSampleId);
            genIndex = static_cast<uint16_t>(genIndex + zone.generators.size() + 1);
            ++bagIndex;
        }
    }
    inst.name("EOI", 20);
    inst.u16(bagIndex);
    ibag.u16(genIndex);
    ibag.u16(0);
    igen.u32(0);

    for (size_t i = 0; i < m_samples.size(); ++i) {
        const Sample& sample = m_samples[i];
        const uint32_t start = sampleStarts[i];
        const uint32_t end = start + static_cast<uint32_t>(sample.data.size());
        const bool looped = sample.loopEnd > sample.loopStart;
        shdr.name(sample.name, 20);
        shdr.u32(start);
        shdr.u32(end);
        shdr.u32(looped ? start + sample.loopStart : start);
        shdr.u32(looped ? start + sample.loopEnd : end);
        shdr.u32(sample.sampleRate);
        shdr.u8(sample.rootKey);
        shdr.u8(static_cast<uint8_t>(sample.pitchCorrection));
        shdr.u16(0);  // wSampleLink
        shdr.u16(1);  // monoSample
    }
    shdr.name("EOS", 20);
    for (int i = 0; i < 26; ++i) shdr.u8(0);

    const std::vector<uint8_t> emptyModulators(10, 0);  // the terminal modulator record only
    ByteWriter pdta;
    pdta.chunk("phdr", phdr.bytes());
    pdta.chunk("pbag", pbag.bytes());
    pdta.chunk("pmod", emptyModulators);
    pdta.chunk("pgen", pgen.bytes());
    pdta.chunk("inst", inst.bytes());
    pdta.chunk("ibag", ibag.bytes());
    pdta.chunk("imod", emptyModulators);
    pdta.chunk("igen", igen.bytes());
    pdta.chunk("shdr", shdr.bytes());

    ByteWriter body;
    body.list("LIST", "INFO", info.bytes());
    body.list("LIST", "sdta", sdta.bytes());
    body.list("LIST", "pdta", pdta.bytes());
    ByteWriter file;
    file.list("RIFF", "sfbk", body.bytes());
    return file.bytes();
}

}  // namespace toccata::sf2gen
