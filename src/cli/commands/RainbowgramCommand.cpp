// toccata-cli rainbowgram: NSynth's rainbowgram of a WAV file, or of a MIDI file rendered through
// FluidSynth as `render` does, as a PNG (and the arrays as JSON).
#if defined(TOCCATA_HAVE_AUDIO) && defined(TOCCATA_HAVE_ANALYSIS)

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/Rainbowgram.h"
#include "analysis/RainbowgramImage.h"
#include "audio/OfflineRenderer.h"
#include "audio/Synth.h"
#include "audio/WavReader.h"
#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/PngWriter.h"
#include "core/FileIO.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "rainbowgram";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

int runRainbowgram(const std::vector<std::string>& args);

}  // namespace

extern const Command kRainbowgramCommand = {
    kName,
    "draw NSynth's rainbowgram (constant-Q magnitude + instantaneous frequency) as a PNG",
    "usage: toccata-cli rainbowgram --in FILE.wav|FILE.mid --out FILE.png [--json [FILE]]\n"
    "                               [--sf2 FILE.sf2] [--rate HZ] [--hop N]\n"
    "                               [--bins-per-octave N] [--bins N] [--fmin HZ]\n"
    "                               [--range-db DB] [--height PX]\n"
    "\n"
    "A constant-Q transform of the mono mixdown (NSynth's settings by default: C2 = 65.4 Hz,\n"
    "40 bins per octave, 240 bins, hop 256, filter scale 0.8, 70 dB), drawn as NSynth draws\n"
    "it: brightness = log magnitude relative to the loudest cell, colour = instantaneous\n"
    "frequency (the phase advance per hop / pi, -1 violet .. +1 red, matplotlib's 'rainbow').\n"
    "The colours are not embedding dimensions. One pixel column per frame, low frequencies at\n"
    "the bottom. A MIDI file (or NoteSequence .json) is rendered through FluidSynth first,\n"
    "exactly as `toccata-cli render` does.\n"
    "\n"
    "options:\n"
    "  --in FILE         a .wav file, or a .mid/.midi/.json sequence to render\n"
    "  --out FILE        the PNG to write (replaced atomically)\n"
    "  --json [FILE]     also write the arrays (times, frequencies, magnitudeDb, phaseAdvance,\n"
    "                    frequencyHz, each [frame][bin]); default FILE: the PNG's name + .json\n"
    "  --sf2 FILE        SoundFont for MIDI input (default: as `render` chooses)\n"
    "  --rate HZ         render rate for MIDI input, 8000..96000 (default 44100)\n"
    "  --hop N           samples between frames, 1..65536 (default 256)\n"
    "  --bins-per-octave N, --bins N, --fmin HZ   the frequency axis (40, 240, 65.406)\n"
    "  --range-db DB     dB shown below the loudest cell, 1..400 (default 70)\n"
    "  --height PX       scale the image to this height, 1..16384 (default: one row per bin)\n"
    "\n"
    "exit codes: 0 ok, 2 bad arguments, 3 unreadable input or SoundFont file,\n"
    "            4 output not writable, 5 no SoundFont found\n",
    runRainbowgram,
};

namespace {

struct LoadedAudio {
    std::vector<float> mono;
    int sampleRate = 0;
    int exitCode = kExitOk;  // non-zero: the error was printed
};

bool isWavPath(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".wav" || ext == ".wave";
}

LoadedAudio monoOf(const audio::AudioBuffer& buffer) {
    std::vector<const float*> channels;
    for (const std::vector<float>& channel : buffer.channels) channels.push_back(channel.data());
    return {analysis::mixToMono(channels, buffer.frameCount()), buffer.sampleRate};
}

LoadedAudio loadAudio(const std::string& in, const ArgParser& parser, int renderRate) {
    if (isWavPath(in)) {
        const core::Result<audio::WavData> wav = audio::readWavFile(in);
        if (!wav.ok()) return {{}, 0, fail(kExitInputError, wav.errorMessage())};
        return monoOf(wav->audio);
    }
    const std::optional<core::NoteSequence> sequence = loadSequence(kName, in);
    if (!sequence) return {{}, 0, kExitInputError};
    const ChosenSoundFont soundFont = chooseSoundFont(kName, parser);
    if (soundFont.exitCode != kExitOk) return {{}, 0, soundFont.exitCode};
    audio::SynthSettings settings;
    settings.sampleRate = renderRate;
    auto synth = audio::Synth::create(soundFont.path, settings);
    if (!synth.ok())
        return {{},
                0,
                fail(parser.has("--sf2") ? kExitInputError : kExitMissingResource,
                     synth.errorMessage())};
    for (const std::string& message : (*synth)->setupMessages())
        std::cerr << "fluidsynth " << message << '\n';
    std::cout << "SoundFont: " << soundFont.path << " (" << soundFont.source << ")\n";
    audio::OfflineRenderer renderer(**synth);
    const core::Result<audio::RenderedAudio> rendered = renderer.render(*sequence);
    if (!rendered.ok()) return {{}, 0, fail(kExitFailure, rendered.errorMessage())};
    for (const std::string& warning : rendered->warnings)
        std::cerr << (warning.rfind("warning:", 0) == 0 ? "" : "warning: ") << warning << '\n';
    return monoOf(rendered->audio);
}

void appendNumber(std::string& out, double value, int decimals) {
    char buffer[64];
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

// [frame][bin] nested arrays, written directly: a JsonValue per cell would cost far more memory.
void appendGrid(std::string& out, const char* name, const analysis::Rainbowgram& gram,
                const std::vector<float>& values, int decimals) {
    out += ",\n  \"";
    out += name;
    out += "\": [";
    for (int t = 0; t < gram.frames; ++t) {
        out += t == 0 ? "\n    [" : ",\n    [";
        for (int k = 0; k < gram.bins; ++k) {
            if (k > 0) out += ',';
            appendNumber(out, values[gram.index(t, k)], decimals);
        }
        out += ']';
    }
    out += "\n  ]";
}

std::string arraysJson(const analysis::Rainbowgram& gram, const analysis::RainbowgramSettings& s,
                       const std::string& source) {
    std::string out = "{\n  \"source\": \"";
    for (char c : source) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    out += "\",\n  \"sampleRate\": " + std::to_string(gram.sampleRate);
    out += ",\n  \"hopLength\": " + std::to_string(gram.hopLength);
    out += ",\n  \"minFrequency\": ";
    appendNumber(out, gram.minFrequency, 6);
    out += ",\n  \"binsPerOctave\": " + std::to_string(gram.binsPerOctave);
    out += ",\n  \"filterScale\": ";
    appendNumber(out, s.cqt.filterScale, 6);
    out += ",\n  \"rangeDb\": ";
    appendNumber(out, gram.rangeDb, 3);
    out += ",\n  \"frames\": " + std::to_string(gram.frames);
    out += ",\n  \"bins\": " + std::to_string(gram.bins);
    out += ",\n  \"peakMagnitude\": ";
    appendNumber(out, gram.peakMagnitude, 7);
    out += ",\n  \"times\": [";
    for (int t = 0; t < gram.frames; ++t) {
        if (t > 0) out += ',';
        appendNumber(out, gram.frameSeconds(t), 6);
    }
    out += "],\n  \"frequencies\": [";
    for (int k = 0; k < gram.bins; ++k) {
        if (k > 0) out += ',';
        appendNumber(out, gram.binFrequency(k), 4);
    }
    out += ']';
    appendGrid(out, "magnitudeDb", gram, gram.magnitudeDb, 2);
    appendGrid(out, "phaseAdvance", gram, gram.phaseAdvance, 4);
    appendGrid(out, "frequencyHz", gram, gram.frequencyHz, 2);
    out += "\n}\n";
    return out;
}

// Nearest-row scaling of the bins axis (row 0 = top in both).
std::vector<uint8_t> scaledRows(const std::vector<uint8_t>& rgb, int width, int height,
                                int newHeight) {
    std::vector<uint8_t> out(size_t(width) * size_t(newHeight) * 3);
    const size_t stride = size_t(width) * 3;
    for (int y = 0; y < newHeight; ++y) {
        const int source = int((int64_t(y) * height) / newHeight);
        std::copy_n(rgb.begin() + std::ptrdiff_t(size_t(source) * stride), stride,
                    out.begin() + std::ptrdiff_t(size_t(y) * stride));
    }
    return out;
}

int runRainbowgram(const std::vector<std::string>& rawArgs) {
    // "--json" alone (at the end or before another option) means the default file.
    std::vector<std::string> args = rawArgs;
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--json" && (i + 1 == args.size() || args[i + 1].rfind("--", 0) == 0))
            args[i] = "--json=";
    ArgParser parser({"--in", "--out", "--json", "--sf2", "--rate", "--hop", "--bins-per-octave",
                      "--bins", "--fmin", "--range-db", "--height"},
                     {});
    int exitCode = kExitOk;
    if (!parseArgs(kRainbowgramCommand, parser, args, exitCode)) return exitCode;
    const auto in = parser.value("--in");
    const auto out = parser.value("--out");
    if (!in) return usageError(kName, "--in FILE is required");
    if (!out) return usageError(kName, "--out FILE is required");

    analysis::RainbowgramSettings settings;
    int renderRate = 44100, height = 0;
    struct IntOption {
        const char* name;
        int* value;
        int min, max;
    };
    for (const IntOption& option :
         {IntOption{"--hop", &settings.cqt.hopLength, 1, 65536},
          IntOption{"--bins-per-octave", &settings.cqt.binsPerOctave, 1, 192},
          IntOption{"--bins", &settings.cqt.binCount, 1, 4096},
          IntOption{"--rate", &renderRate, 8000, 96000},
          IntOption{"--height", &height, 1, 16384}}) {
        if (!parser.has(option.name)) continue;
        const auto n = parser.intValue(option.name, option.min, option.max);
        if (!n) return usageError(kName, parser.error());
        *option.value = int(*n);
    }
    if (parser.has("--fmin")) {
        const auto fmin = parser.doubleValue("--fmin", 0.01, 100000.0);
        if (!fmin) return usageError(kName, parser.error());
        settings.cqt.minFrequency = *fmin;
    }
    if (parser.has("--range-db")) {
        const auto range = parser.doubleValue("--range-db", 1.0, 400.0);
        if (!range) return usageError(kName, parser.error());
        settings.rangeDb = *range;
    }
    if (parser.has("--rate") && isWavPath(*in))
        return usageError(kName, "--rate applies to MIDI input only ('" + *in +
                                     "' is analysed at its own sample rate)");
    std::string jsonPath;
    if (const auto json = parser.value("--json"))
        jsonPath =
            json->empty() ? std::filesystem::path(*out).replace_extension(".json").string() : *json;
    for (const std::string& path : {*out, jsonPath}) {
        if (path.empty()) continue;
        if (const std::string problem = outputProblem(path); !problem.empty())
            return fail(kExitOutputError, problem);
    }

    const LoadedAudio audio = loadAudio(*in, parser, renderRate);
    if (audio.exitCode != kExitOk) return audio.exitCode;
    if (audio.mono.empty()) return fail(kExitInputError, "'" + *in + "' holds no audio");
    if (core::Status check = analysis::checkRainbowgramSettings(settings, audio.sampleRate);
        !check.ok())
        return usageError(kName, "'" + *in + "': " + check.errorMessage());

    const auto start = std::chrono::steady_clock::now();
    const core::Result<analysis::Rainbowgram> gram = analysis::computeRainbowgram(
        audio.mono.data(), int64_t(audio.mono.size()), audio.sampleRate, settings);
    if (!gram.ok()) return fail(kExitInputError, "'" + *in + "': " + gram.errorMessage());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::vector<uint8_t> rgb = analysis::renderRgb(*gram);
    const int width = gram->frames;
    if (height > 0 && height != gram->bins)
        rgb = scaledRows(rgb, width, gram->bins, height);
    else
        height = gram->bins;
    if (core::Status written = writePngRgb(*out, width, height, rgb); !written.ok())
        return fail(kExitOutputError, written.errorMessage());
    if (!jsonPath.empty()) {
        if (core::Status written =
                core::writeFileAtomic(jsonPath, arraysJson(*gram, settings, *in));
            !written.ok())
            return fail(kExitOutputError, written.errorMessage());
    }

    std::cout << std::fixed << std::setprecision(2) << "Rainbowgram of " << *in << ": "
              << gram->frames << " frames x " << gram->bins << " bins ("
              << double(audio.mono.size()) / audio.sampleRate << " s at " << audio.sampleRate
              << " Hz), computed in " << std::setprecision(3) << seconds << " s\n"
              << "Wrote " << *out << " (" << width << "x" << height << ")\n";
    if (!jsonPath.empty()) std::cout << "Wrote " << jsonPath << '\n';
    return kExitOk;
}

}  // namespace
}  // namespace toccata::cli

#endif  // TOCCATA_HAVE_AUDIO && TOCCATA_HAVE_ANALYSIS
