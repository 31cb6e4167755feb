// toccata-cli render: a MIDI file (or NoteSequence JSON) through FluidSynth into a WAV file.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "audio/OfflineRenderer.h"
#include "audio/Synth.h"
#include "audio/WavWriter.h"
#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "render";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

int runRender(const std::vector<std::string>& args);

}  // namespace

extern const Command kRenderCommand = {
    kName,
    "render a MIDI file to WAV with FluidSynth",
    "usage: toccata-cli render --in FILE.mid --out FILE.wav [--sf2 FILE.sf2]\n"
    "                          [--rate 44100|48000] [--bits 16|24|32]\n"
    "\n"
    "Renders a MIDI file (or a NoteSequence .json) through FluidSynth, faster than real\n"
    "time, including the release tail after the last note (up to 2 s).\n"
    "\n"
    "options:\n"
    "  --in FILE     the sequence to render (.mid, .midi or .json)\n"
    "  --out FILE    the WAV file to write (replaced atomically)\n"
    "  --sf2 FILE    the SoundFont; default: $TOCCATA_SOUNDFONT, then the soundfonts\n"
    "                folders, then the system's General MIDI SoundFont\n"
    "  --rate HZ     sample rate, 8000..96000 (default 44100)\n"
    "  --bits N      16 or 24 (PCM), or 32 (float); default 16\n"
    "\n"
    "exit codes: 0 ok, 2 bad arguments, 3 unreadable input or SoundFont file,\n"
    "            4 output not writable, 5 no SoundFont found\n",
    runRender,
};

namespace {

int runRender(const std::vector<std::string>& args) {
    ArgParser parser({"--in", "--out", "--sf2", "--rate", "--bits"}, {});
    int exitCode = kExitOk;
    if (!parseArgs(kRenderCommand, parser, args, exitCode)) return exitCode;
    if (!parser.positional().empty())
        return usageError(kName, "unexpected argument '" + parser.positional().front() + "'");
    const auto in = parser.value("--in");
    const auto out = parser.value("--out");
    if (!in) return usageError(kName, "--in FILE is required");
    if (!out) return usageError(kName, "--out FILE is required");

    audio::SynthSettings settings;
    if (parser.has("--rate")) {
        const auto rate = parser.intValue("--rate", 8000, 96000);
        if (!rate) return usageError(kName, parser.error());
        settings.sampleRate = int(*rate);
    }
    audio::WavSampleFormat format = audio::WavSampleFormat::kPcm16;
    if (parser.has("--bits")) {
        const auto bits = parser.intValue("--bits", 16, 32);
        if (!bits || (*bits != 16 && *bits != 24 && *bits != 32))
            return usageError(kName, "--bits must be 16, 24 or 32");
        format = *bits == 16   ? audio::WavSampleFormat::kPcm16
                 : *bits == 24 ? audio::WavSampleFormat::kPcm24
                               : audio::WavSampleFormat::kFloat32;
    }
    if (const std::string problem = outputProblem(*out); !problem.empty())
        return fail(kExitOutputError, problem);

    const std::optional<core::NoteSequence> sequence = loadSequence(kName, *in);
    if (!sequence) return kExitInputError;

    const ChosenSoundFont soundFont = chooseSoundFont(kName, parser);
    if (soundFont.exitCode != kExitOk) return soundFont.exitCode;
    auto synth = audio::Synth::create(soundFont.path, settings);
    if (!synth.ok())
        return fail(parser.has("--sf2") ? kExitInputError : kExitMissingResource,
                    synth.errorMessage());
    for (const std::string& message : (*synth)->setupMessages())
        std::cerr << "fluidsynth " << message << '\n';
    std::cout << "SoundFont: " << soundFont.path << " (" << soundFont.source << ")\n";

    audio::OfflineRenderer renderer(**synth);
    const core::Result<audio::RenderedAudio> rendered = renderer.render(*sequence);
    if (!rendered.ok()) return fail(kExitFailure, rendered.errorMessage());
    for (const std::string& warning : rendered->warnings)
        std::cerr << (warning.rfind("warning:", 0) == 0 ? "" : "warning: ") << warning << '\n';
    if (sequence->notes.empty()) std::cerr << "warning: '" << *in << "' has no notes\n";

    if (core::Status written = audio::writeWavFile(*out, rendered->audio, format); !written.ok())
        return fail(kExitOutputError, written.errorMessage());

    std::cout << std::fixed << std::setprecision(2) << "Rendered " << rendered->audio.seconds()
              << " s of audio in " << rendered->renderSeconds << " s (" << std::setprecision(1)
              << rendered->realTimeFactor() << "x real time)\n"
              << "Wrote " << *out << " (" << settings.sampleRate << " Hz, "
              << audio::formatName(format) << ", stereo)\n";
    return kExitOk;
}

}  // namespace
}  // namespace toccata::cli
