#include "ml/models/polyphony_rnn/PolyphonyGeneration.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "core/ops/Quantization.h"
#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/generation/Rng.h"
#include "ml/generation/Sampling.h"

namespace toccata::ml {

namespace {

using Events = std::vector<PolyphonicEvent>;
// Raw sampling gives up after this many events per requested step (twice what the grammar
// allows in one step).
constexpr int64_t kStallEventsPerStep = 2 * (128 + 1);

int classOf(const PolyphonicEvent& e) {
    switch (e.type) {
        case PolyphonicEvent::kStart: return 0;
        case PolyphonicEvent::kEnd: return 1;
        case PolyphonicEvent::kStepEnd: return 2;
        case PolyphonicEvent::kNewNote: return kPolyphonyNewNoteOffset + e.pitch;
        case PolyphonicEvent::kContinuedNote: return kPolyphonyContinuedNoteOffset + e.pitch;
    }
    return 2;
}

/// The pitches with a note event in the current (unfinished) step and in the step before.
void stepPitches(const Events& events, std::vector<bool>& current, std::vector<bool>& previous) {
    current.assign(128, false);
    previous.assign(128, false);
    std::vector<bool>* into = &current;
    for (size_t i = events.size(); i-- > 0;) {
        const PolyphonicEvent& e = events[i];
        if (e.type == PolyphonicEvent::kStepEnd) {
            if (into == &previous) return;
            into = &previous;
        } else if (e.isNote() && e.pitch >= 0 && e.pitch < 128) {
            (*into)[static_cast<size_t>(e.pitch)] = true;
        }
    }
}

/// Magenta's _inject_melody condition: the stream has just reached a new step.
bool atNewStep(const Events& events) {
    return events.empty() || events.back().type == PolyphonicEvent::kStepEnd ||
           (events.size() == 1 && events.front().type == PolyphonicEvent::kStart);
}

struct SearchSetup {
    double temperature = 1.0;
    int beamSize = 1, branchFactor = 1, stepsPerIteration = 1;
    bool grammar = true;
    const Events* inject = nullptr;  // the primer to inject, or none
    int64_t injectStart = 0;
    int64_t stopAtSteps = 0;  // single-row search: stop once the stream has this many steps
    std::stop_token stop;
    std::function<void(int64_t)> progress;  // steps in the best-placed stream so far
};

/// One generate_polyphonic_sequence call: Magenta's beam search over `numEvents` sampled
/// events after `primer`, with injection and the grammar mask.
class PolyphonySearch {
public:
    PolyphonySearch(RowMaskedStepper& stepper, const SearchSetup& setup, Rng& rng)
        : m_stepper(stepper), m_setup(setup), m_rng(rng) {}

    struct Outcome {
        Events events;
        double score = 0.0;
        int64_t sampled = 0;
    };

    core::Result<Outcome> run(const Events& primer, int64_t numEvents) {
        if (core::Status s = prime(primer); !s) return s.error();
        const int64_t spi = m_setup.stepsPerIteration;
        const int64_t first = (numEvents - 1) % spi + 1;
        m_numEvents = numEvents;
        if (core::Status s = branchAndExtend(first); !s) return s.error();
        for (int64_t it = 0; it < (numEvents - first) / spi && !m_finished; ++it) {
            if (core::Status s = keep(topK(m_scores, m_setup.beamSize)); !s) return s.error();
            if (core::Status s = branchAndExtend(spi); !s) return s.error();
        }
        const auto best = static_cast<size_t>(topK(m_scores, 1).front());
        return Outcome{m_rows[best], m_scores[best], m_done};
    }

private:
    static constexpr int64_t kClasses = kPolyphonyNumClasses;

    Events injection(const Events& row) const {
        if (m_setup.inject == nullptr || !atNewStep(row)) return {};
        return primerNotesForStep(*m_setup.inject, m_setup.injectStart, polyphonicNumSteps(row));
    }

    double logProbability(size_t row, int cls) const {
        const auto p =
            temperedSoftmax(m_logits.data() + row * kClasses, kClasses, m_setup.temperature);
        return std::log(std::max(p[static_cast<size_t>(cls)], 1e-300));
    }

    /// The primer (and what is injected after it) from the zero state with batch 1, scoring
    /// events 1..n-1; then beamSize copies.
    core::Status prime(const Events& primer) {
        Events seq = primer;
        const Events injected = injection(seq);
        seq.insert(seq.end(), injected.begin(), injected.end());
        if (core::Status s = m_stepper.reset(1); !s) return s;
        std::vector<float> input(static_cast<size_t>(kClasses));
        double score = 0.0;
        for (size_t pos = 0; pos < seq.size(); ++pos) {
            std::fill(input.begin(), input.end(), 0.0F);
            input[static_cast<size_t>(classOf(seq[pos]))] = 1.0F;
            auto logits = m_stepper.step(input);
            if (!logits) return logits.error();
            m_logits = std::move(*logits);
            if (pos + 1 < seq.size()) score += logProbability(0, classOf(seq[pos + 1]));
        }
        m_rows.assign(1, std::move(seq));
        m_scores.assign(1, score);
        return keep(std::vector<int64_t>(static_cast<size_t>(m_setup.beamSize), 0));
    }

    core::Status keep(const std::vector<int64_t>& rows) {
        if (core::Status s = m_stepper.selectRows(rows); !s) return s;
        std::vector<Events> sequences;
        std::vector<double> scores;
        std::vector<float> logits;
        for (int64_t r : rows) {
            const auto i = static_cast<size_t>(r);
            sequences.push_back(m_rows[i]);
            scores.push_back(m_scores[i]);
            logits.insert(logits.end(),
                          m_logits.begin() + static_cast<std::ptrdiff_t>(i * kClasses),
                          m_logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * kClasses));
        }
        m_rows = std::move(sequences);
        m_scores = std::move(scores);
        m_logits = std::move(logits);
        return {};
    }

    core::Status branchAndExtend(int64_t steps) {
        if (m_setup.branchFactor > 1) {
            std::vector<int64_t> rows;
            for (int b = 0; b < m_setup.branchFactor; ++b)
                for (size_t i = 0; i < m_rows.size(); ++i) rows.push_back(static_cast<int64_t>(i));
            if (core::Status s = keep(rows); !s) return s;
        }
        for (int64_t k = 0; k < steps && !m_finished; ++k) {
            if (core::Status s = extendOnce(); !s) return s;
        }
        return {};
    }

    /// Samples one event per row and injects the primer's notes where a row reached a new
    /// step; then feeds every row its new events, unless that was the last sampled event.
    core::Status extendOnce() {
        if (m_setup.stop.stop_requested()) return core::Status::failure("generation cancelled");
        std::vector<Events> pending(m_rows.size());
        for (size_t r = 0; r < m_rows.size(); ++r) {
            std::vector<bool> allowed;
            if (m_setup.grammar) allowed = polyphonyAllowedClasses(m_rows[r]);
            const SampledClass chosen =
                sampleClass(m_logits.data() + r * kClasses, kClasses, m_setup.temperature, m_rng,
                            m_setup.grammar ? &allowed : nullptr);
            const PolyphonicEvent event = PolyphonyOneHotEncoding().decodeEvent(chosen.index);
            m_rows[r].push_back(event);
            m_scores[r] += chosen.logProbability;
            pending[r].push_back(event);
            const Events injected = injection(m_rows[r]);
            m_rows[r].insert(m_rows[r].end(), injected.begin(), injected.end());
            pending[r].insert(pending[r].end(), injected.begin(), injected.end());
        }
        ++m_done;
        if (m_setup.progress && m_done % 16 == 0) m_setup.progress(polyphonicNumSteps(m_rows[0]));
        if (m_setup.stopAtSteps > 0 && m_rows.size() == 1 &&
            polyphonicNumSteps(m_rows.front()) >= m_setup.stopAtSteps)
            m_finished = true;
        if (m_done == m_numEvents || m_finished) return {};
        return feed(pending);
    }

    /// Feeds each row its pending events in order (rows with fewer wait), scoring the injected
    /// ones (every event after the first) under the tempered softmax, as Magenta does.
    core::Status feed(const std::vector<Events>& pending) {
        size_t longest = 0;
        for (const Events& p : pending) longest = std::max(longest, p.size());
        const size_t rows = m_rows.size();
        std::vector<float> inputs(rows * kClasses);
        std::vector<uint8_t> active(rows);
        for (size_t t = 0; t < longest; ++t) {
            std::fill(inputs.begin(), inputs.end(), 0.0F);
            bool all = true;
            for (size_t r = 0; r < rows; ++r) {
                active[r] = t < pending[r].size() ? 1 : 0;
                all = all && active[r] != 0;
                if (active[r] == 0) continue;
                const int cls = classOf(pending[r][t]);
                if (t > 0) m_scores[r] += logProbability(r, cls);
                inputs[r * kClasses + static_cast<size_t>(cls)] = 1.0F;
            }
            auto logits = all ? m_stepper.step(inputs) : m_stepper.stepRows(inputs, active);
            if (!logits) return logits.error();
            for (size_t r = 0; r < rows; ++r) {
                if (active[r] == 0) continue;
                std::copy_n(logits->begin() + static_cast<std::ptrdiff_t>(r * kClasses), kClasses,
                            m_logits.begin() + static_cast<std::ptrdiff_t>(r * kClasses));
            }
        }
        return {};
    }

    RowMaskedStepper& m_stepper;
    const SearchSetup& m_setup;
    Rng& m_rng;
    std::vector<Events> m_rows;
    std::vector<double> m_scores;
    std::vector<float> m_logits;  // [rows, classes]: each row's next-event prediction
    int64_t m_numEvents = 0;
    int64_t m_done = 0;
    bool m_finished = false;
};

core::Result<int64_t> startStepFor(const PolyphonyGenerationOptions& options,
                                   const core::NoteSequence& primer,
                                   const core::NoteSequence& quantized, double stepsPerSecond) {
    double lastNoteEnd = 0.0;
    for (const core::Note& n : primer.notes) lastNoteEnd = std::max(lastNoteEnd, n.endTime);
    switch (options.alignment) {
        case PrimerAlignment::kNextStep: return quantized.totalQuantizedSteps;
        case PrimerAlignment::kMagentaApi:
            return core::secondsToStep(lastNoteEnd, stepsPerSecond, 0.0);
        case PrimerAlignment::kMagentaCli:
            return core::secondsToStep(primer.totalTime, stepsPerSecond, 0.0);
    }
    return core::Error{"unknown primer alignment"};
}

}  // namespace

core::Status PolyphonyGenerationOptions::validate() const {
    if (core::Status s = GenerationOptions::validate(); !s) return s;
    if (keyScale) return core::Status::failure("key/scale: Polyphony RNN has no key constraint");
    if (!chords.empty())
        return core::Status::failure("chords: Polyphony RNN is not chord-conditioned");
    return {};
}

std::vector<bool> polyphonyAllowedClasses(const std::vector<PolyphonicEvent>& events) {
    std::vector<bool> current, previous;
    stepPitches(events, current, previous);
    std::vector<bool> allowed(kPolyphonyNumClasses, false);
    allowed[2] = true;  // STEP_END
    for (int p = 0; p < 128; ++p) {
        const auto i = static_cast<size_t>(p);
        if (current[i]) continue;
        allowed[static_cast<size_t>(kPolyphonyNewNoteOffset + p)] = true;
        if (previous[i]) allowed[static_cast<size_t>(kPolyphonyContinuedNoteOffset + p)] = true;
    }
    return allowed;
}

core::Status checkPolyphonicStream(const std::vector<PolyphonicEvent>& events) {
    if (events.empty() || events.front().type != PolyphonicEvent::kStart)
        return core::Status::failure("polyphonic stream: it does not begin with START");
    std::vector<bool> current(128, false), previous(128, false);
    for (size_t i = 1; i < events.size(); ++i) {
        const PolyphonicEvent& e = events[i];
        const std::string at = "polyphonic stream: event " + std::to_string(i) + ": ";
        switch (e.type) {
            case PolyphonicEvent::kStart:
                return core::Status::failure(at + "START after the first event");
            case PolyphonicEvent::kEnd:
                if (i + 1 != events.size())
                    return core::Status::failure(at + "END before the end of the stream");
                break;
            case PolyphonicEvent::kStepEnd:
                previous = current;
                current.assign(128, false);
                break;
            case PolyphonicEvent::kNewNote:
            case PolyphonicEvent::kContinuedNote: {
                if (e.pitch < 0 || e.pitch > 127)
                    return core::Status::failure(at + "pitch " + std::to_string(e.pitch));
                const auto p = static_cast<size_t>(e.pitch);
                if (current[p])
                    return core::Status::failure(at + "pitch " + std::to_string(e.pitch) +
                                                 " appears twice in one step");
                if (e.type == PolyphonicEvent::kContinuedNote && !previous[p])
                    return core::Status::failure(at + "CONTINUED_NOTE " + std::to_string(e.pitch) +
                                                 " but that pitch did not sound in the previous "
                                                 "step");
                current[p] = true;
                break;
            }
        }
    }
    return {};
}

core::Result<core::NoteSequence> primerFromPitches(const std::vector<int>& pitches, double qpm) {
    if (pitches.empty()) return core::Error{"primer pitches: the list is empty"};
    if (!(qpm > 0.0) || !std::isfinite(qpm))
        return core::Error{"primer pitches: qpm must be positive, got " + std::to_string(qpm)};
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, qpm});
    for (int pitch : pitches) {
        if (pitch < 0 || pitch > 127)
            return core::Error{"primer pitches: " + std::to_string(pitch) + " is outside 0..127"};
        core::Note n;
        n.pitch = pitch;
        n.velocity = 100;
        n.startTime = 0.0;
        n.endTime = 60.0 / qpm;
        seq.notes.push_back(n);
    }
    seq.totalTime = 60.0 / qpm;
    return seq;
}

core::Result<PolyphonyGenerationResult> generatePolyphony(
    RowMaskedStepper& model, const core::NoteSequence& primer,
    const PolyphonyGenerationOptions& options) {
    if (core::Status s = options.validate(); !s) return s.error();
    if (model.inputDepth() != kPolyphonyNumClasses || model.numClasses() != kPolyphonyNumClasses)
        return core::Error{"the model takes " + std::to_string(model.inputDepth()) +
                           " inputs and gives " + std::to_string(model.numClasses()) +
                           " classes; Polyphony RNN needs 259 and 259"};
    if (primer.isQuantized())
        return core::Error{"the primer is already quantized; give it in seconds"};
    PolyphonyGenerationResult result;
    // As Magenta: the primer's first tempo wins.
    result.qpm =
        primer.tempos.empty() ? options.qpm.value_or(core::kDefaultQpm) : primer.tempos.front().qpm;
    const int spq = kPolyphonyStepsPerQuarter;
    const double stepsPerSecond = spq * result.qpm / 60.0;

    core::NoteSequence pitched = primer;
    std::erase_if(pitched.notes, [](const core::Note& n) { return n.isDrum; });
    if (pitched.tempos.empty()) pitched.tempos.push_back({0.0, result.qpm});
    auto quantized = core::quantizeNoteSequence(pitched, spq);
    if (!quantized)
        return core::Error{"the primer cannot be quantized: " + quantized.errorMessage()};
    auto extracted = PolyphonicSequence::fromQuantizedSequence(*quantized, 0);
    if (!extracted) return extracted.error();
    PolyphonicSequence poly = std::move(*extracted);

    auto start = startStepFor(options, primer, *quantized, stepsPerSecond);
    if (!start) return start.error();
    const int64_t startStep = *start;
    const int64_t endStep = options.numSteps ? *options.numSteps
                            : options.steps  ? startStep + *options.steps
                                             : kDefaultNumSteps;
    if (endStep <= startStep)
        return core::Error{
            "the primer is longer than the requested length: generation would start "
            "at step " +
            std::to_string(startStep) + " but end at step " + std::to_string(endStep)};
    result.startStep = startStep;
    result.endStep = endStep;
    result.trackStartStep = 0;

    poly.setLength(startStep - poly.startStep());
    poly.trimTrailingEndEvents();
    SearchSetup setup;
    setup.temperature = options.temperature;
    setup.beamSize = options.beamSize;
    setup.branchFactor = options.branchFactor;
    setup.stepsPerIteration = options.stepsPerIteration;
    setup.grammar = options.enforceGrammar;
    setup.stop = options.stopToken;
    const Events melody = poly.events();
    if (options.injectPrimer) {
        setup.inject = &melody;
        setup.injectStart = options.conditionOnPrimer ? poly.numSteps() : 0;
    }
    if (!options.conditionOnPrimer) poly = PolyphonicSequence(spq, startStep);

    const int64_t totalSteps = poly.numSteps() + (endStep - startStep);
    if (options.beamSize == 1 && options.branchFactor == 1) setup.stopAtSteps = totalSteps;
    result.seed = options.seed.value_or(Rng::randomSeed());
    Rng rng(result.seed);
    const int64_t requested = endStep - startStep;
    const int64_t before = poly.numSteps();
    if (options.progress)
        setup.progress = [&](int64_t steps) {
            options.progress(std::clamp<int64_t>(steps - before, 0, requested), requested);
        };
    while (poly.numSteps() < totalSteps) {
        const int64_t missing = totalSteps - poly.numSteps();
        PolyphonySearch search(model, setup, rng);
        auto outcome = search.run(poly.events(), kPolyphonyEventsPerStep * missing);
        if (!outcome) return outcome.error();
        poly.events() = std::move(outcome->events);
        result.logLikelihood = outcome->score;
        result.sampledEvents += outcome->sampled;
        // With the grammar a step holds at most 128 notes, so every 129 events end a step;
        // raw sampling has no such bound, so a model that never ends a step is stopped.
        if (!options.enforceGrammar && poly.numSteps() < totalSteps &&
            result.sampledEvents > kStallEventsPerStep * (requested + 8))
            return core::Error{"generation stalled: the model sampled " +
                               std::to_string(result.sampledEvents) + " events for " +
                               std::to_string(requested) + " steps but wrote only " +
                               std::to_string(poly.numSteps() - before) +
                               " STEP_END events (is it a Polyphony RNN?)"};
        ++result.passes;
    }
    if (options.progress) options.progress(requested, requested);
    poly.setLength(totalSteps);
    if (options.injectPrimer) {
        // The primer notes of the steps the kept stream covers.
        const auto steps = polyphonicStepNotes(melody);
        for (size_t s = 0; s < steps.size(); ++s)
            if (setup.injectStart + static_cast<int64_t>(s) < totalSteps)
                result.injectedEvents += static_cast<int64_t>(steps[s].size());
    }

    core::Result<core::NoteSequence> rendered = core::Error{""};
    if (options.conditionOnPrimer) {
        rendered = poly.toSequence(100, 0, 0, result.qpm);
    } else {
        core::NoteSequence base = primer;
        if (base.tempos.empty()) base.tempos.push_back({0.0, result.qpm});
        rendered = poly.toSequence(100, 0, 0, result.qpm, &base);
    }
    if (!rendered) return rendered.error();
    result.sequence = std::move(*rendered);
    result.events = std::move(poly);
    return result;
}

}  // namespace toccata::ml
