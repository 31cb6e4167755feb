#include "ml/training/RnnBatcher.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "ml/codecs/ChordEncodings.h"
#include "ml/codecs/MultiDrumOneHotEncoding.h"

namespace toccata::ml {

core::Result<RnnBatcher> RnnBatcher::create(const RnnCodecConfig& config,
                                            std::vector<ChordSymbol> chordTable,
                                            int64_t maxSteps) {
    RnnBatcher b;
    b.m_maxSteps = std::max<int64_t>(1, maxSteps);
    if (config.track == RnnTrackKind::kMelody) {
        auto encoder = config.melodyEncoder();
        if (!encoder) return encoder.error();
        b.m_melody = *encoder;
        b.m_numClasses = b.m_melody->numClasses();
        auto label = b.m_melody->eventsToLabel({60, core::kMelodyNoEvent}, 1);
        b.m_noEventLabel = label ? *label : 0;
    } else {
        auto encoder = config.drumEncoder();
        if (!encoder) return encoder.error();
        b.m_drums = *encoder;
        auto classes = MultiDrumOneHotEncoding::create(config.drumTypePitches);
        if (!classes) return classes.error();
        b.m_drumClasses = std::make_shared<MultiDrumOneHotEncoding>(std::move(*classes));
        b.m_numClasses = b.m_drums->numClasses();
        b.m_noEventLabel = 0;
    }
    b.m_controlDepth = config.controlDepth();
    if (config.chords) {
        ChordConditioning conditioning(*config.chords);
        for (const ChordSymbol& chord : chordTable) {
            std::vector<float> control(static_cast<size_t>(b.m_controlDepth), 0.0F);
            if (core::Status s = conditioning.encode(chord, control.data()); !s) return s.error();
            b.m_chordControls.push_back(std::move(control));
        }
    }
    auto depth = config.inputDepth();
    if (!depth) return depth.error();
    b.m_inputDepth = *depth;
    return b;
}

int64_t RnnBatcher::stepsOf(const RnnExample& example) const {
    return std::clamp<int64_t>(static_cast<int64_t>(example.events.size()) - 1, 0, m_maxSteps);
}

core::Status RnnBatcher::encodeInto(const RnnExample& example, int64_t steps, float* inputs,
                                    int64_t* labels) const {
    auto writeControl = [&](int64_t position, float* out) -> core::Status {
        if (m_controlDepth == 0) return {};
        if (static_cast<size_t>(position) >= example.chords.size())
            return core::Status::failure("example has fewer chords than events");
        const uint16_t chord = example.chords[static_cast<size_t>(position)];
        if (chord >= m_chordControls.size())
            return core::Status::failure("chord index " + std::to_string(chord) +
                                         " is outside the chord table");
        std::copy(m_chordControls[chord].begin(), m_chordControls[chord].end(), out);
        return {};
    };
    // Only the first steps + 1 events matter: encoders look backwards, never ahead.
    const auto n = static_cast<size_t>(steps + 1);
    if (m_melody) {
        const std::vector<int> events(example.events.begin(), example.events.begin() + n);
        for (int64_t i = 0; i < steps; ++i) {
            float* row = inputs + i * m_inputDepth;
            if (core::Status s = writeControl(i + 1, row); !s) return s;
            if (core::Status s = m_melody->eventsToInput(events, static_cast<size_t>(i),
                                                          row + m_controlDepth);
                !s)
                return s;
            auto label = m_melody->eventsToLabel(events, static_cast<size_t>(i + 1));
            if (!label) return label.error();
            labels[i] = *label;
        }
    } else {
        std::vector<DrumEvent> events;
        events.reserve(n);
        for (size_t i = 0; i < n; ++i) events.push_back(m_drumClasses->decodeEvent(example.events[i]));
        for (int64_t i = 0; i < steps; ++i) {
            float* row = inputs + i * m_inputDepth;
            if (core::Status s = writeControl(i + 1, row); !s) return s;
            if (core::Status s =
                    m_drums->eventsToInput(events, static_cast<size_t>(i), row + m_controlDepth);
                !s)
                return s;
            auto label = m_drums->eventsToLabel(events, static_cast<size_t>(i + 1));
            if (!label) return label.error();
            labels[i] = *label;
        }
    }
    return {};
}

core::Result<RnnBatch> RnnBatcher::batch(const std::vector<const RnnExample*>& examples) const {
    int64_t time = 1;
    for (const RnnExample* e : examples) time = std::max(time, stepsOf(*e));
    const auto batchSize = static_cast<int64_t>(examples.size());
    RnnBatch b;
    b.inputs = torch::zeros({batchSize, time, m_inputDepth}, torch::kFloat);
    b.labels = torch::zeros({batchSize, time}, torch::kLong);
    b.mask = torch::zeros({batchSize, time}, torch::kFloat);
    float* inputs = b.inputs.data_ptr<float>();
    int64_t* labels = b.labels.data_ptr<int64_t>();
    float* mask = b.mask.data_ptr<float>();
    for (int64_t r = 0; r < batchSize; ++r) {
        const int64_t steps = stepsOf(*examples[static_cast<size_t>(r)]);
        if (core::Status s = encodeInto(*examples[static_cast<size_t>(r)], steps,
                                        inputs + r * time * m_inputDepth, labels + r * time);
            !s)
            return core::Error{"encoding an example: " + s.errorMessage()};
        std::fill(mask + r * time, mask + r * time + steps, 1.0F);
        b.steps += steps;
    }
    return b;
}

std::vector<std::vector<uint32_t>> epochBatches(const std::vector<RnnExample>& examples,
                                                int batchSize, uint64_t seed, int64_t epoch,
                                                bool dropLast) {
    std::vector<uint32_t> order(examples.size());
    std::iota(order.begin(), order.end(), 0U);
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    const size_t size = static_cast<size_t>(std::max(1, batchSize));
    const size_t chunk = size * 32;
    std::vector<std::vector<uint32_t>> batches;
    for (size_t start = 0; start < order.size(); start += chunk) {
        const auto first = order.begin() + static_cast<std::ptrdiff_t>(start);
        const auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + chunk));
        std::stable_sort(first, last, [&](uint32_t a, uint32_t b) {
            return examples[a].events.size() < examples[b].events.size();
        });
        for (auto it = first; it < last; it += static_cast<std::ptrdiff_t>(std::min<size_t>(size, last - it))) {
            const auto end = it + static_cast<std::ptrdiff_t>(std::min<size_t>(size, last - it));
            if (dropLast && static_cast<size_t>(end - it) < size) break;
            batches.emplace_back(it, end);
        }
    }
    std::shuffle(batches.begin(), batches.end(), rng);
    return batches;
}

}  // namespace toccata::ml
