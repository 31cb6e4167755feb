// BeamSearch<Event>: Magenta's event-RNN generation loop (EventSequenceRnnModel._generate_events
// + magenta.common.beam_search), over a torch-free BatchStepper:
//   the primer runs from the zero state; its log-likelihood (labels 1..n-1 under the tempered
//   softmax) starts every score; the beam holds beamSize copies; the first iteration makes
//   (N - 1) % stepsPerIteration + 1 steps, later ones stepsPerIteration; each iteration
//   replicates every entry branchFactor times ([e0, e1, .., e0, e1, ..]) and extends every
//   copy by sampling softmax(logits / T), adding log p to its score; between iterations the
//   beamSize best scores are kept (ties: earlier first); the best sequence wins.
// Rows are sampled in order, one uniform number each, so a seed fixes the result. [worker]
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/EventSequenceEncoder.h"
#include "ml/generation/BatchStepper.h"
#include "ml/generation/Rng.h"
#include "ml/generation/Sampling.h"

namespace toccata::ml {

struct SearchParams {
    double temperature = 1.0;  // 0 = greedy
    int beamSize = 1;
    int branchFactor = 1;
    int stepsPerIteration = 1;
    std::stop_token stopToken;
    std::function<void(int64_t, int64_t)> progress;
};

template <typename Event>
struct BeamSearchInput {
    const EventSequenceEncoder<Event>* encoder = nullptr;
    std::vector<Event> primer;  // at least one event
    int64_t numSteps = 0;       // events to add after the primer
    /// Conditioning (Magenta's ConditionalEventSequenceEncoderDecoder): the input for event
    /// position i is control(i + 1) followed by the encoder's input for i.
    int controlDepth = 0;
    std::function<core::Status(int64_t position, float* out)> control;
    /// Optional constraint: classes whose event is not allowed are masked before sampling.
    std::function<bool(const Event&)> allowed;
};

template <typename Event>
struct BeamSearchOutput {
    std::vector<Event> events;  // primer + generated
    double logLikelihood = 0.0;
};

template <typename Event>
class BeamSearch {
public:
    BeamSearch(BatchStepper& stepper, const BeamSearchInput<Event>& input, SearchParams params,
               Rng& rng)
        : m_stepper(stepper), m_in(input), m_params(std::move(params)), m_rng(rng) {}

    core::Result<BeamSearchOutput<Event>> run() {
        if (core::Status s = validate(); !s) return s.error();
        if (core::Status s = prime(); !s) return s.error();
        const int64_t n = m_in.numSteps;
        const int64_t spi = m_params.stepsPerIteration;
        const int64_t first = (n - 1) % spi + 1;
        if (core::Status s = branchAndExtend(first); !s) return s.error();
        for (int64_t it = 0; it < (n - first) / spi; ++it) {
            if (core::Status s = keep(topK(m_scores, m_params.beamSize)); !s) return s.error();
            if (core::Status s = branchAndExtend(spi); !s) return s.error();
        }
        const int64_t best = topK(m_scores, 1).front();
        return BeamSearchOutput<Event>{m_rows[static_cast<size_t>(best)],
                                       m_scores[static_cast<size_t>(best)]};
    }

private:
    core::Status validate() const {
        if (m_in.encoder == nullptr) return core::Status::failure("BeamSearch: no encoder");
        if (m_in.primer.empty()) return core::Status::failure("BeamSearch: the primer is empty");
        if (m_in.numSteps < 1) return core::Status::failure("BeamSearch: numSteps must be >= 1");
        if (m_params.beamSize < 1 || m_params.branchFactor < 1 || m_params.stepsPerIteration < 1) {
            return core::Status::failure(
                "BeamSearch: beamSize, branchFactor and stepsPerIteration must be >= 1");
        }
        const int64_t depth = m_in.controlDepth + m_in.encoder->inputSize();
        if (m_stepper.inputDepth() != depth ||
            m_stepper.numClasses() != m_in.encoder->numClasses()) {
            return core::Status::failure(
                "BeamSearch: the model takes " + std::to_string(m_stepper.inputDepth()) +
                " inputs and has " + std::to_string(m_stepper.numClasses()) +
                " classes, but the encoding gives " + std::to_string(depth) + " inputs and " +
                std::to_string(m_in.encoder->numClasses()) + " classes");
        }
        return {};
    }

    core::Status inputRow(const std::vector<Event>& events, int64_t position, float* out) const {
        if (m_in.controlDepth > 0) {
            if (core::Status s = m_in.control(position + 1, out); !s) return s;
        }
        return m_in.encoder->eventsToInput(events, static_cast<size_t>(position),
                                           out + m_in.controlDepth);
    }

    /// Runs the primer with batch 1, scoring its events 1..n-1, then fills the beam.
    core::Status prime() {
        if (core::Status s = m_stepper.reset(1); !s) return s;
        const auto& primer = m_in.primer;
        const int64_t classes = m_stepper.numClasses();
        double logLikelihood = 0.0;
        std::vector<float> input(static_cast<size_t>(m_stepper.inputDepth()));
        for (int64_t pos = 0; pos < static_cast<int64_t>(primer.size()); ++pos) {
            if (core::Status s = inputRow(primer, pos, input.data()); !s) return s;
            auto logits = m_stepper.step(input);
            if (!logits) return logits.error();
            m_logits = std::move(*logits);
            if (pos + 1 < static_cast<int64_t>(primer.size())) {
                auto label = m_in.encoder->eventsToLabel(primer, static_cast<size_t>(pos + 1));
                if (!label) return label.error();
                const auto p = temperedSoftmax(m_logits.data(), classes, m_params.temperature);
                logLikelihood += std::log(p[static_cast<size_t>(*label)]);
            }
        }
        m_rows.assign(1, primer);
        m_scores.assign(1, logLikelihood);
        return keep(std::vector<int64_t>(static_cast<size_t>(m_params.beamSize), 0));
    }

    /// Keeps rows `rows` (in that order) of sequences, scores, logits and model state.
    core::Status keep(const std::vector<int64_t>& rows) {
        if (core::Status s = m_stepper.selectRows(rows); !s) return s;
        const auto classes = static_cast<size_t>(m_stepper.numClasses());
        std::vector<std::vector<Event>> sequences;
        std::vector<double> scores;
        std::vector<float> logits;
        for (int64_t r : rows) {
            const auto i = static_cast<size_t>(r);
            sequences.push_back(m_rows[i]);
            scores.push_back(m_scores[i]);
            logits.insert(logits.end(), m_logits.begin() + static_cast<std::ptrdiff_t>(i * classes),
                          m_logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * classes));
        }
        m_rows = std::move(sequences);
        m_scores = std::move(scores);
        m_logits = std::move(logits);
        return {};
    }

    core::Status branchAndExtend(int64_t steps) {
        std::vector<int64_t> rows;
        for (int b = 0; b < m_params.branchFactor; ++b)
            for (size_t i = 0; i < m_rows.size(); ++i) rows.push_back(static_cast<int64_t>(i));
        if (m_params.branchFactor > 1) {
            if (core::Status s = keep(rows); !s) return s;
        }
        for (int64_t k = 0; k < steps; ++k) {
            if (core::Status s = extendOnce(); !s) return s;
        }
        return {};
    }

    /// Samples one event for every row; then steps the model on it unless it was the last.
    core::Status extendOnce() {
        if (m_params.stopToken.stop_requested()) {
            return core::Status::failure("generation cancelled");
        }
        const int64_t classes = m_stepper.numClasses();
        std::vector<bool> allowed;
        for (size_t r = 0; r < m_rows.size(); ++r) {
            const float* logits = m_logits.data() + r * static_cast<size_t>(classes);
            if (m_in.allowed) {
                allowed.assign(static_cast<size_t>(classes), false);
                for (int c = 0; c < classes; ++c)
                    allowed[static_cast<size_t>(c)] =
                        m_in.allowed(m_in.encoder->classIndexToEvent(c, m_rows[r]));
            }
            const SampledClass chosen = sampleClass(logits, classes, m_params.temperature, m_rng,
                                                    m_in.allowed ? &allowed : nullptr);
            m_rows[r].push_back(m_in.encoder->classIndexToEvent(chosen.index, m_rows[r]));
            m_scores[r] += chosen.logProbability;
        }
        ++m_done;
        if (m_params.progress) m_params.progress(m_done, m_in.numSteps);
        if (m_done == m_in.numSteps) return {};
        const auto depth = static_cast<size_t>(m_stepper.inputDepth());
        std::vector<float> inputs(m_rows.size() * depth);
        for (size_t r = 0; r < m_rows.size(); ++r) {
            const auto last = static_cast<int64_t>(m_rows[r].size()) - 1;
            if (core::Status s = inputRow(m_rows[r], last, inputs.data() + r * depth); !s) return s;
        }
        auto logits = m_stepper.step(inputs);
        if (!logits) return logits.error();
        m_logits = std::move(*logits);
        return {};
    }

    BatchStepper& m_stepper;
    const BeamSearchInput<Event>& m_in;
    SearchParams m_params;
    Rng& m_rng;
    std::vector<std::vector<Event>> m_rows;
    std::vector<double> m_scores;
    std::vector<float> m_logits;  // [rows, classes]: what each row's model predicts next
    int64_t m_done = 0;           // steps generated per row so far
};

}  // namespace toccata::ml
