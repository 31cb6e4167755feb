// Turns dataset examples into padded training batches for MusicRnn: each step's input is
// exactly what generation feeds the model (chord control of the next step, then the
// config's encoder input for this step; BeamSearch.h), the label is the next event's class.
// Examples longer than maxSteps are cut. Batches group examples of similar length (Magenta's
// length bucketing) so little of a batch is padding. [any]
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/Result.h"
#include "ml/codecs/RnnCodecConfig.h"
#include "ml/data/RnnPipeline.h"

namespace toccata::ml {

struct RnnBatch {
    torch::Tensor inputs;  ///< [batch, time, inputDepth] float
    torch::Tensor labels;  ///< [batch, time] int64 (0 on padding)
    torch::Tensor mask;    ///< [batch, time] float, 1 on real steps
    int64_t steps = 0;     ///< real (unpadded) steps
};

class RnnBatcher {
public:
    /// Errors: a bad config. `chordTable` is the dataset's (used by chord-conditioned configs).
    static core::Result<RnnBatcher> create(const RnnCodecConfig& config,
                                           std::vector<ChordSymbol> chordTable, int64_t maxSteps);

    int inputDepth() const { return m_inputDepth; }
    int numClasses() const { return m_numClasses; }
    /// The label of "nothing happens" (melody: no event, drums: no drums), for
    /// Magenta's event / no-event accuracies.
    int noEventLabel() const { return m_noEventLabel; }

    /// Steps an example contributes (length - 1, capped at maxSteps).
    int64_t stepsOf(const RnnExample& example) const;

    /// Encodes `examples` into one batch padded to the longest. Errors come from the encoder
    /// (an event outside the config's range, a chord index outside the table).
    core::Result<RnnBatch> batch(const std::vector<const RnnExample*>& examples) const;

private:
    RnnBatcher() = default;
    core::Status encodeInto(const RnnExample& example, int64_t steps, float* inputs,
                            int64_t* labels) const;

    std::shared_ptr<const EventSequenceEncoder<int>> m_melody;
    std::shared_ptr<const EventSequenceEncoder<DrumEvent>> m_drums;
    std::shared_ptr<const OneHotEncoding<DrumEvent>> m_drumClasses;
    std::vector<std::vector<float>> m_chordControls;  // per chord-table entry
    int m_controlDepth = 0, m_inputDepth = 0, m_numClasses = 0, m_noEventLabel = 0;
    int64_t m_maxSteps = 512;
};

/// The batches of one pass over `examples`: shuffled with (seed, epoch), cut into chunks of
/// 32 batches whose examples are sorted by length, then the batches shuffled. Deterministic,
/// so a resumed run sees the same order. Each batch lists example indices; the last batch of
/// an epoch may be short (it is dropped when dropLast).
std::vector<std::vector<uint32_t>> epochBatches(const std::vector<RnnExample>& examples,
                                                int batchSize, uint64_t seed, int64_t epoch,
                                                bool dropLast = true);

}  // namespace toccata::ml
