#include "ml/generation/RnnGenerator.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/ops/MelodyExtraction.h"
#include "core/ops/Quantization.h"
#include "ml/codecs/ChordSymbol.h"
#include "ml/codecs/DrumTrack.h"
#include "ml/codecs/MelodyTransforms.h"
#include "ml/generation/BeamSearch.h"
#include "ml/generation/Rng.h"

namespace toccata::ml {
namespace {

/// The primer after tempo resolution and quantization, and the generated section's bounds.
struct Plan {
    core::NoteSequence quantized;
    double qpm = core::kDefaultQpm;
    double stepsPerSecond = 0.0;
    double lastNoteEnd = 0.0;
    int stepsPerBar = core::kDefaultStepsPerBar;
};

core::Result<Plan> plan(const core::NoteSequence& primer, const RnnCodecConfig& config,
                        const GenerationOptions& options) {
    Plan p;
    p.qpm =
        primer.tempos.empty() ? options.qpm.value_or(core::kDefaultQpm) : primer.tempos.front().qpm;
    core::NoteSequence sequence = primer;
    if (sequence.tempos.empty()) sequence.tempos.push_back(core::Tempo{0.0, p.qpm});
    if (sequence.isQuantized()) {
        if (sequence.quantizationInfo.stepsPerQuarter != config.stepsPerQuarter) {
            return core::Error{"primer: it is quantized at " +
                               std::to_string(sequence.quantizationInfo.stepsPerQuarter) +
                               " steps per quarter (or per second), but " + config.id + " needs " +
                               std::to_string(config.stepsPerQuarter) +
                               " steps per quarter; pass the unquantized primer"};
        }
        p.quantized = std::move(sequence);
    } else {
        auto quantized = core::quantizeNoteSequence(sequence, config.stepsPerQuarter);
        if (!quantized) return core::Error{"primer: " + quantized.errorMessage()};
        p.quantized = std::move(*quantized);
    }
    auto bar = core::stepsPerBar(p.quantized);
    if (!bar) return core::Error{"primer: " + bar.errorMessage()};
    p.stepsPerBar = *bar;
    p.stepsPerSecond = core::stepsPerQuarterToStepsPerSecond(config.stepsPerQuarter, p.qpm);
    for (const core::Note& note : primer.notes)
        p.lastNoteEnd = std::max(p.lastNoteEnd, note.endTime);
    return p;
}

core::Result<int64_t> endStepFor(const GenerationOptions& options, int64_t startStep) {
    const int64_t end = options.numSteps ? *options.numSteps
                        : options.steps  ? startStep + *options.steps
                                         : kDefaultNumSteps;
    if (startStep >= end) {
        return core::Error{
            "the primer is longer than the total number of steps requested: "
            "generation would start at step " +
            std::to_string(startStep) + " but the requested length is " + std::to_string(end) +
            " steps"};
    }
    return end;
}

SearchParams searchParams(const GenerationOptions& options) {
    SearchParams params;
    params.temperature = options.temperature;
    params.beamSize = options.beamSize;
    params.branchFactor = options.branchFactor;
    params.stepsPerIteration = options.stepsPerIteration;
    params.stopToken = options.stopToken;
    params.progress = options.progress;
    return params;
}

core::Result<std::vector<ChordSymbol>> parseChords(const RnnCodecConfig& config,
                                                   const GenerationOptions& options) {
    std::vector<ChordSymbol> chords;
    if (!config.chords) {
        if (!options.chords.empty()) {
            return core::Error{"chords: the " + config.id + " config is not chord-conditioned"};
        }
        return chords;
    }
    if (options.chords.empty()) {
        return core::Error{"chords: the " + config.id + " config needs a chord progression"};
    }
    ChordConditioning conditioning(*config.chords);
    std::vector<float> scratch(static_cast<size_t>(conditioning.inputSize()));
    for (const std::string& figure : options.chords) {
        auto chord = ChordSymbol::parse(figure);
        if (!chord) return core::Error{"chords: " + chord.errorMessage()};
        if (core::Status s = conditioning.encode(*chord, scratch.data()); !s) {
            return core::Error{"chords: " + s.errorMessage() + ": \"" + figure + "\""};
        }
        chords.push_back(*chord);
    }
    return chords;
}

core::Result<GenerationResult> generateMelody(BatchStepper& model, const RnnCodecConfig& config,
                                              const Plan& p, const GenerationOptions& options) {
    auto encoder = config.melodyEncoder();
    if (!encoder) return encoder.error();
    auto chords = parseChords(config, options);
    if (!chords) return chords.error();

    core::MelodyExtractorOptions extract;
    extract.minBars = 0;
    extract.minUniquePitches = 1;
    extract.gapBars = 1e9;  // Magenta: float('inf'), the whole primer
    extract.ignorePolyphonicNotes = true;
    auto extraction = core::extractMelodies(p.quantized, extract);
    if (!extraction) return core::Error{"primer: " + extraction.errorMessage()};
    if (extraction->melodies.size() > 1) {
        return core::Error{"primer: it holds " + std::to_string(extraction->melodies.size()) +
                           " melodies (one per instrument); a melody model needs one"};
    }
    const bool hasTrack = !extraction->melodies.empty() && !extraction->melodies[0].empty();
    const int64_t trackEnd = hasTrack ? extraction->melodies[0].endStep() : -1;
    const int64_t start =
        generationStartStep(options.alignment, p.lastNoteEnd, p.stepsPerSecond, trackEnd,
                            !p.quantized.notes.empty(), p.quantized.totalQuantizedSteps);
    auto end = endStepFor(options, start);
    if (!end) return end.error();

    core::Melody melody;
    if (hasTrack) {
        melody = extraction->melodies[0];
    } else {
        auto empty = core::Melody::fromEvents({}, std::max<int64_t>(0, start - 1), p.stepsPerBar,
                                              config.stepsPerQuarter);
        if (!empty) return empty.error();
        melody = *empty;
    }
    melody.setLength(start - melody.startStep());
    std::vector<int> events = melody.events();
    const int amount = squashMelody(events, config.minNote, config.maxNote, config.transposeToKey);

    BeamSearchInput<int> input;
    input.encoder = encoder->get();
    input.primer = events;
    input.numSteps = *end - start;
    const int64_t trackStart = melody.startStep();
    if (config.chords) {
        ChordConditioning conditioning(*config.chords);
        input.controlDepth = conditioning.inputSize();
        const std::vector<ChordSymbol>& list = *chords;
        const int perChord = options.stepsPerChord;
        input.control = [conditioning, &list, perChord, trackStart, amount](int64_t position,
                                                                            float* out) {
            // The progression repeats, as a backing track does.
            const auto index = static_cast<size_t>(((trackStart + position) / perChord) %
                                                   static_cast<int64_t>(list.size()));
            return conditioning.encode(list[index].transposed(amount), out);
        };
    }
    if (options.keyScale) {
        const KeyScale key = *options.keyScale;
        input.allowed = [key, amount](const int& event) {
            return event < 0 || key.contains(event - amount);
        };
    }
    GenerationResult result;
    result.seed = options.seed.value_or(Rng::randomSeed());
    Rng rng(result.seed);
    auto searched = BeamSearch<int>(model, input, searchParams(options), rng).run();
    if (!searched) return searched.error();
    std::vector<int> out = std::move(searched->events);
    transposeMelody(out, -amount);
    auto generated =
        core::Melody::fromEvents(std::move(out), trackStart, p.stepsPerBar, config.stepsPerQuarter);
    if (!generated) return generated.error();
    auto sequence = generated->toSequence(100, 0, 0, 0.0, p.qpm);
    if (!sequence) return sequence.error();
    result.sequence = std::move(*sequence);
    result.logLikelihood = searched->logLikelihood;
    result.trackStartStep = trackStart;
    result.startStep = start;
    result.endStep = *end;
    result.transposition = amount;
    result.qpm = p.qpm;
    return result;
}

core::Result<GenerationResult> generateDrums(BatchStepper& model, const RnnCodecConfig& config,
                                             const Plan& p, const GenerationOptions& options) {
    auto encoder = config.drumEncoder();
    if (!encoder) return encoder.error();
    if (!options.chords.empty()) {
        return core::Error{"chords: the " + config.id + " config is not chord-conditioned"};
    }
    auto extracted = DrumTrack::fromQuantizedSequence(
        p.quantized, 0, std::numeric_limits<double>::infinity(), false, /*ignoreIsDrum=*/true);
    if (!extracted) return core::Error{"primer: " + extracted.errorMessage()};
    const bool hasTrack = !extracted->empty();
    const int64_t start =
        generationStartStep(options.alignment, p.lastNoteEnd, p.stepsPerSecond,
                            hasTrack ? extracted->endStep() : -1, !p.quantized.notes.empty(),
                            p.quantized.totalQuantizedSteps);
    auto end = endStepFor(options, start);
    if (!end) return end.error();
    DrumTrack track = hasTrack ? *extracted
                               : DrumTrack({}, std::max<int64_t>(0, start - 1), p.stepsPerBar,
                                           config.stepsPerQuarter);
    track.setLength(start - track.startStep());

    BeamSearchInput<DrumEvent> input;
    input.encoder = encoder->get();
    input.primer = track.events();
    input.numSteps = *end - start;
    GenerationResult result;
    result.seed = options.seed.value_or(Rng::randomSeed());
    Rng rng(result.seed);
    auto searched = BeamSearch<DrumEvent>(model, input, searchParams(options), rng).run();
    if (!searched) return searched.error();
    const DrumTrack generated(std::move(searched->events), track.startStep(), track.stepsPerBar(),
                              track.stepsPerQuarter());
    auto sequence = generated.toSequence(100, 9, 0, 0.0, p.qpm);
    if (!sequence) return sequence.error();
    result.sequence = std::move(*sequence);
    result.logLikelihood = searched->logLikelihood;
    result.trackStartStep = track.startStep();
    result.startStep = start;
    result.endStep = *end;
    result.qpm = p.qpm;
    return result;
}

}  // namespace

int64_t generationStartStep(PrimerAlignment alignment, double lastNoteEnd, double stepsPerSecond,
                            int64_t trackEndStep, bool primerHasNotes, int64_t primerSteps) {
    switch (alignment) {
        case PrimerAlignment::kNextStep:
            return std::max(trackEndStep >= 0 ? trackEndStep : int64_t{1}, primerSteps);
        case PrimerAlignment::kMagentaApi:
            return core::secondsToStep(lastNoteEnd, stepsPerSecond, 0.0);
        case PrimerAlignment::kMagentaCli: {
            const double start = primerHasNotes ? lastNoteEnd + 1.0 / stepsPerSecond : 0.0;
            return core::secondsToStep(start, stepsPerSecond, 0.0);
        }
    }
    return 1;
}

int64_t stepsPerBarOf(const core::NoteSequence& primer, int stepsPerQuarter) {
    const double quarters =
        primer.timeSignatures.empty() ? 4.0 : primer.timeSignatures.front().quartersPerBar();
    return std::max<int64_t>(1, std::llround(quarters * stepsPerQuarter));
}

core::NoteSequence generatedPart(const GenerationResult& result, int stepsPerQuarter) {
    core::NoteSequence out = result.sequence;
    const double start =
        static_cast<double>(result.startStep) * 60.0 / result.qpm / stepsPerQuarter;
    std::vector<core::Note> kept;
    for (const core::Note& note : out.notes)
        if (note.startTime >= start - 1e-6) kept.push_back(note);
    out.notes = std::move(kept);
    out.recomputeTotalTime();
    return out;
}

core::Result<GenerationResult> generateRnn(BatchStepper& model, const RnnCodecConfig& config,
                                           const core::NoteSequence& primer,
                                           const GenerationOptions& options) {
    if (core::Status s = options.validate(); !s) return s.error();
    if (core::Status s = config.validate(); !s) return s.error();
    auto p = plan(primer, config, options);
    if (!p) return p.error();
    if (config.track == RnnTrackKind::kMelody) return generateMelody(model, config, *p, options);
    return generateDrums(model, config, *p, options);
}

}  // namespace toccata::ml
