#include "ml/models/performance_rnn/PerformanceGeneration.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/ops/Quantization.h"
#include "ml/generation/BeamSearch.h"
#include "ml/generation/Rng.h"
#include "ml/generation/Sampling.h"

namespace toccata::ml {
namespace {

/// The primer as a performance padded to the start step, and the length to reach.
struct Plan {
    Performance performance;
    int64_t startStep = 0;
    int64_t endStep = 0;
    int64_t totalSteps = 0;  ///< the performance's length at the end (from its own start)
    int64_t primerNoteEvents = 0;
};

core::Result<Plan> plan(const PerformanceRnnConfig& config, const core::NoteSequence& primer,
                        const PerformanceGenerationOptions& options) {
    if (primer.isQuantized())
        return core::Error{
            "primer: it is quantized; performance models need the unquantized "
            "primer (times in seconds)"};
    auto extracted = Performance::fromNoteSequence(primer, config.performanceOptions());
    if (!extracted) return core::Error{"primer: " + extracted.errorMessage()};
    Plan p;
    const double sps = config.stepsPerSecond;
    double lastNoteEnd = 0.0;
    for (const core::Note& note : primer.notes)
        if (!note.isDrum) lastNoteEnd = std::max(lastNoteEnd, note.endTime);
    // Sustain folding can end notes later than the raw note-offs.
    lastNoteEnd = std::max(lastNoteEnd, static_cast<double>(extracted->numSteps()) / sps);
    const bool hasNotes = !extracted->empty();
    const int64_t primerSteps = core::secondsToStep(std::max(0.0, primer.totalTime), sps);
    if (!hasNotes && options.alignment == PrimerAlignment::kNextStep)
        p.startStep = primerSteps;
    else
        p.startStep =
            generationStartStep(options.alignment, lastNoteEnd, sps,
                                hasNotes ? extracted->numSteps() : -1, hasNotes, primerSteps);
    p.endStep = options.numSteps ? *options.numSteps
                : options.steps  ? p.startStep + *options.steps
                                 : kDefaultPerformanceNumSteps;
    if (p.startStep >= p.endStep)
        return core::Error{
            "the primer is longer than the total number of steps requested: "
            "generation would start at step " +
            std::to_string(p.startStep) + " (" +
            std::to_string(static_cast<double>(p.startStep) / sps) +
            " s) but the requested length is " + std::to_string(p.endStep) + " steps"};
    // Magenta: an empty primer is a performance that starts where generation starts.
    p.performance = hasNotes ? std::move(*extracted)
                             : Performance(config.stepsPerSecond, config.numVelocityBins,
                                           config.maxShiftSteps, p.startStep);
    p.performance.setLength(p.startStep - p.performance.startStep());
    p.totalSteps = p.performance.numSteps() + (p.endStep - p.startStep);
    if (p.performance.empty())  // start with silence, as Magenta does
        p.performance.setLength(std::min<int64_t>(config.maxShiftSteps, p.totalSteps));
    for (const PerformanceEvent& e : p.performance.events())
        if (e.type == PerformanceEvent::kNoteOn) ++p.primerNoteEvents;
    return p;
}

SearchParams searchParams(const PerformanceGenerationOptions& options) {
    SearchParams params;
    params.temperature = options.temperature;
    params.beamSize = options.beamSize;
    params.branchFactor = options.branchFactor;
    params.stepsPerIteration = options.stepsPerIteration;
    params.stopToken = options.stopToken;
    params.progress = options.progress;
    return params;
}

/// Plain sampling (beam 1) that stops once the time shifts reach totalSteps. Draws the same
/// random numbers as BeamSearch with beam 1, so its output is a prefix of that one's.
class Sampler {
public:
    Sampler(BatchStepper& model, const PerformanceOneHotEncoding& encoding,
            const std::vector<float>& control, const PerformanceGenerationOptions& options)
        : m_model(model), m_encoding(encoding), m_control(control), m_options(options) {
        m_row.assign(static_cast<size_t>(model.inputDepth()), 0.0F);
    }

    /// Feeds the primer, then samples up to `budget` events into `performance`.
    core::Result<double> run(Performance& performance, int64_t budget, int64_t totalSteps,
                             int64_t& generated) {
        if (core::Status s = m_model.reset(1); !s) return s.error();
        const auto& events = performance.events();
        const int64_t classes = m_model.numClasses();
        double logLikelihood = 0.0;
        std::vector<float> logits;
        for (size_t i = 0; i < events.size(); ++i) {
            auto next = feed(events[i]);
            if (!next) return next.error();
            logits = std::move(*next);
            if (i + 1 < events.size()) {
                auto label = m_encoding.encodeEvent(events[i + 1]);
                if (!label) return core::Error{"primer: " + label.errorMessage()};
                const auto p = temperedSoftmax(logits.data(), classes, m_options.temperature);
                logLikelihood += std::log(p[static_cast<size_t>(*label)]);
            }
        }
        Rng rng(m_options.seed.value_or(0));
        int64_t steps = performance.numSteps();
        const int64_t firstStep = steps;
        const int64_t wanted = std::max<int64_t>(1, totalSteps - firstStep);
        generated = 0;
        while (generated < budget && steps < totalSteps) {
            if (m_options.stopToken.stop_requested()) return core::Error{"generation cancelled"};
            const SampledClass chosen =
                sampleClass(logits.data(), classes, m_options.temperature, rng);
            const PerformanceEvent event = m_encoding.decodeEvent(chosen.index);
            performance.append(event);
            logLikelihood += chosen.logProbability;
            steps += PerformanceOneHotEncoding::eventToNumSteps(event);
            ++generated;
            if (m_options.progress) m_options.progress(std::min(steps - firstStep, wanted), wanted);
            if (generated == budget || steps >= totalSteps) break;
            auto next = feed(event);
            if (!next) return next.error();
            logits = std::move(*next);
        }
        return logLikelihood;
    }

private:
    core::Result<std::vector<float>> feed(const PerformanceEvent& event) {
        auto index = m_encoding.encodeEvent(event);
        if (!index) return index.error();
        std::fill(m_row.begin(), m_row.end(), 0.0F);
        std::copy(m_control.begin(), m_control.end(), m_row.begin());
        m_row[m_control.size() + static_cast<size_t>(*index)] = 1.0F;
        return m_model.step(m_row);
    }

    BatchStepper& m_model;
    const PerformanceOneHotEncoding& m_encoding;
    const std::vector<float>& m_control;
    const PerformanceGenerationOptions& m_options;
    std::vector<float> m_row;
};

}  // namespace

core::Status PerformanceGenerationOptions::validate() const {
    if (core::Status s = GenerationOptions::validate(); !s) return s;
    if (keyScale)
        return core::Status::failure("key/scale: performance models do not take a key constraint");
    if (!chords.empty())
        return core::Status::failure("chords: performance models are not chord-conditioned");
    if (density && (!std::isfinite(*density) || *density < 0.0))
        return core::Status::failure("density " + std::to_string(*density) +
                                     ": must be a number of notes per second >= 0");
    if (!(maxNoteSeconds >= 0.0) || !std::isfinite(maxNoteSeconds))
        return core::Status::failure("maxNoteSeconds must be >= 0, got " +
                                     std::to_string(maxNoteSeconds));
    return {};
}

int64_t performanceEventBudget(double density, int64_t steps, int stepsPerSecond) {
    const double d = std::max(1.0, density);
    return static_cast<int64_t>(
        std::ceil(4.0 * d * static_cast<double>(std::max<int64_t>(0, steps)) /
                  static_cast<double>(std::max(1, stepsPerSecond))));
}

core::Result<PerformanceGenerationResult> generatePerformance(
    BatchStepper& model, const PerformanceRnnConfig& config, const core::NoteSequence& primer,
    const PerformanceGenerationOptions& options) {
    if (core::Status s = options.validate(); !s) return s.error();
    const PerformanceControls& controls = config.controls;
    if (options.pitchHistogram && !controls.pitchHistogram)
        return core::Error{"pitch histogram: the " + config.id +
                           " model is not conditioned on the pitch-class histogram (use a "
                           "pitch_conditioned or multiconditioned model)"};
    if (options.disableConditioning && !controls.optional)
        return core::Error{"disable conditioning: the " + config.id +
                           " model has no optional conditioning"};
    auto control = controls.desired(controls.noteDensity ? options.density : std::nullopt,
                                    options.pitchHistogram, options.disableConditioning);
    if (!control) return control.error();
    const PerformanceOneHotEncoding encoding = config.encoding();
    if (model.inputDepth() != static_cast<int64_t>(control->size()) + encoding.numClasses() ||
        model.numClasses() != encoding.numClasses())
        return core::Error{"the network takes " + std::to_string(model.inputDepth()) +
                           " inputs and gives " + std::to_string(model.numClasses()) +
                           " classes, but the " + config.id + " config makes " +
                           std::to_string(control->size()) + " control + " +
                           std::to_string(encoding.numClasses()) + " event inputs and " +
                           std::to_string(encoding.numClasses()) + " classes"};
    auto p = plan(config, primer, options);
    if (!p) return p.error();

    PerformanceGenerationResult result;
    result.seed = options.seed.value_or(Rng::randomSeed());
    result.trackStartStep = p->performance.startStep();
    result.startStep = p->startStep;
    result.endStep = p->endStep;
    result.qpm = primer.tempos.empty() ? core::kDefaultQpm : primer.tempos.front().qpm;
    result.primerEvents = static_cast<int64_t>(p->performance.size());
    const int64_t remaining = p->totalSteps - p->performance.numSteps();
    result.eventBudget = performanceEventBudget(options.density.value_or(kDefaultNoteDensity),
                                                remaining, config.stepsPerSecond);
    Performance& performance = p->performance;
    if (result.eventBudget > 0) {
        PerformanceGenerationOptions seeded = options;
        seeded.seed = result.seed;
        if (options.beamSize == 1 && options.branchFactor == 1) {
            Sampler sampler(model, encoding, *control, seeded);
            auto ll =
                sampler.run(performance, result.eventBudget, p->totalSteps, result.eventsGenerated);
            if (!ll) return ll.error();
            result.logLikelihood = *ll;
        } else {
            const auto encoder = config.eventEncoder();
            BeamSearchInput<PerformanceEvent> input;
            input.encoder = encoder.get();
            input.primer = performance.events();
            input.numSteps = result.eventBudget;
            input.controlDepth = static_cast<int>(control->size());
            const std::vector<float>& vector = *control;
            input.control = [&vector](int64_t, float* out) {
                std::copy(vector.begin(), vector.end(), out);
                return core::Status{};
            };
            Rng rng(result.seed);
            auto searched =
                BeamSearch<PerformanceEvent>(model, input, searchParams(seeded), rng).run();
            if (!searched) return searched.error();
            result.eventsGenerated = result.eventBudget;
            result.logLikelihood = searched->logLikelihood;
            performance.events() = std::move(searched->events);
        }
    }
    result.filled = performance.numSteps() >= p->totalSteps;
    performance.setLength(p->totalSteps);
    auto sequence = performance.toSequence(100, 0, std::nullopt, options.maxNoteSeconds);
    if (!sequence) return sequence.error();
    result.sequence = std::move(*sequence);
    result.sequence.tempos = primer.tempos;
    result.sequence.timeSignatures = primer.timeSignatures;
    result.sequence.keySignatures = primer.keySignatures;
    return result;
}

core::NoteSequence performanceGeneratedPart(const GenerationResult& result, int stepsPerSecond) {
    core::NoteSequence out = result.sequence;
    const double start = static_cast<double>(result.startStep) / stepsPerSecond;
    std::vector<core::Note> kept;
    for (const core::Note& note : out.notes)
        if (note.startTime >= start - 1e-6) kept.push_back(note);
    out.notes = std::move(kept);
    out.recomputeTotalTime();
    return out;
}

core::NoteSequence performanceContinuationOnly(const GenerationResult& result, int stepsPerSecond) {
    core::NoteSequence out = performanceGeneratedPart(result, stepsPerSecond);
    const double start = static_cast<double>(result.startStep) / stepsPerSecond;
    for (core::Note& note : out.notes) {
        note.startTime = std::max(0.0, note.startTime - start);
        note.endTime = std::max(note.startTime, note.endTime - start);
    }
    // Times are absolute seconds; only the tempo and metre in force at 0 s are kept.
    auto keepFirst = [](auto& list) {
        if (list.size() > 1) list.resize(1);
        for (auto& item : list) item.time = 0.0;
    };
    keepFirst(out.tempos);
    keepFirst(out.timeSignatures);
    keepFirst(out.keySignatures);
    out.totalTime = static_cast<double>(result.endStep - result.startStep) / stepsPerSecond;
    return out;
}

}  // namespace toccata::ml
