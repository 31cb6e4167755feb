// MusicVAE's training paths: teacher-forced decoder logits (layer by layer over the whole
// sequence) and scheduled sampling (step by step). Inference lives in MusicVae.cpp.
#include "ml/models/music_vae/MusicVae.h"

#include "ml/weights/WeightsReader.h"

namespace toccata::ml {

torch::Tensor MusicVae::teacherForced(const torch::Tensor& embedding, const torch::Tensor& shifted,
                                      double keepProb) const {
    const int64_t n = shifted.size(0), time = shifted.size(1);
    const torch::Tensor repeated = embedding.unsqueeze(1).expand({n, time, embedding.size(1)});
    std::vector<torch::Tensor> logits;
    int64_t offset = 0;
    for (size_t j = 0; j < m_decoders.size(); ++j) {
        const CoreDecoder& dec = m_decoders[j];
        const int64_t depth = m_arch.outputDepths[j];
        torch::Tensor in = torch::cat({shifted.narrow(2, offset, depth), repeated}, 2);
        if (keepProb < 1.0) in = torch::dropout(in, 1.0 - keepProb, true);
        std::vector<LstmState> state = stateFrom(dec.initialState, dec.stack, embedding, false);
        logits.push_back(dec.output.forward(dec.stack.forwardSequence(in, state, keepProb)));
        offset += depth;
    }
    return logits.size() == 1 ? logits.front() : torch::cat(logits, 2);
}

core::Result<torch::Tensor> MusicVae::decoderLogits(const torch::Tensor& z,
                                                    const torch::Tensor& targets, double keepProb,
                                                    double samplingProbability) const {
    using R = core::Result<torch::Tensor>;
    if (!z.defined() || z.dim() != 2 || z.size(1) != m_arch.latentSize)
        return R::failure("MusicVae::decoderLogits: z must be [batch, " +
                          std::to_string(m_arch.latentSize) + "]");
    if (!targets.defined() || targets.dim() != 3 || targets.size(0) != z.size(0) ||
        targets.size(2) != outputDepth())
        return R::failure("MusicVae::decoderLogits: targets must be [batch, time, " +
                          std::to_string(outputDepth()) + "], got " +
                          (targets.defined() ? shapeToString(targets.sizes()) : "nothing"));
    const torch::Tensor y = targets.to(torch::kFloat);
    const int64_t batch = y.size(0), time = y.size(1);
    if (samplingProbability > 0.0) {
        if (m_conductor)
            return R::failure("MusicVae::decoderLogits: scheduled sampling needs a flat decoder");
        return scheduledSampling(z, y, keepProb, samplingProbability);
    }
    // The decoder sees the previous target step: zero first, then y[t-1].
    const torch::Tensor shifted =
        torch::cat({torch::zeros({batch, 1, y.size(2)}, y.options()), y.narrow(1, 0, time - 1)}, 1);
    if (!m_conductor) return teacherForced(z, shifted, keepProb);
    const int64_t segs = m_arch.numSegments;
    if (time % segs != 0)
        return R::failure("MusicVae::decoderLogits: " + std::to_string(time) +
                          " steps do not split into " + std::to_string(segs) + " segments");
    std::vector<LstmState> state = stateFrom(m_conductorInitialState, *m_conductor, z, false);
    const torch::Tensor none = torch::zeros({batch, 1}, y.options());
    std::vector<torch::Tensor> embeddings;
    for (int64_t s = 0; s < segs; ++s) embeddings.push_back(m_conductor->forward(none, state));
    // All segments of all examples at once: [batch * segs, time / segs, depth].
    const torch::Tensor emb = torch::stack(embeddings, 1).reshape({batch * segs, -1});
    const torch::Tensor logits =
        teacherForced(emb, shifted.reshape({batch * segs, time / segs, y.size(2)}), keepProb);
    return logits.reshape({batch, time, y.size(2)});
}

torch::Tensor MusicVae::sampleOutput(const torch::Tensor& projection, int64_t decoder) const {
    torch::NoGradGuard noGrad;
    const torch::Tensor o = projection.detach();
    if (m_arch.head == VaeHead::Categorical) {
        const torch::Tensor classes = torch::multinomial(torch::softmax(o, -1), 1).squeeze(1);
        return torch::one_hot(classes, m_arch.outputDepths[static_cast<size_t>(decoder)])
            .to(torch::kFloat);
    }
    const int64_t drums = o.size(1) / 3;
    const torch::Tensor hits = torch::bernoulli(torch::sigmoid(o.narrow(1, 0, drums)));
    return torch::cat({hits, torch::sigmoid(o.narrow(1, drums, drums)),
                       torch::tanh(o.narrow(1, 2 * drums, drums))},
                      1);
}

torch::Tensor MusicVae::scheduledSampling(const torch::Tensor& z, const torch::Tensor& targets,
                                          double keepProb, double probability) const {
    const int64_t batch = targets.size(0), time = targets.size(1);
    std::vector<torch::Tensor> logits;
    int64_t offset = 0;
    for (size_t j = 0; j < m_decoders.size(); ++j) {
        const CoreDecoder& dec = m_decoders[j];
        const int64_t depth = m_arch.outputDepths[j];
        const torch::Tensor truth = targets.narrow(2, offset, depth);
        std::vector<LstmState> state = stateFrom(dec.initialState, dec.stack, z, false);
        torch::Tensor previous = torch::zeros({batch, depth}, targets.options());
        std::vector<torch::Tensor> steps;
        for (int64_t t = 0; t < time; ++t) {
            torch::Tensor in = torch::cat({previous, z}, 1);
            if (keepProb < 1.0) in = torch::dropout(in, 1.0 - keepProb, true);
            const torch::Tensor projection =
                dec.output.forward(dec.stack.forward(in, state, keepProb));
            steps.push_back(projection);
            // The next input: the target, or for a random share of the batch the model's own
            // sample (Magenta's ScheduledOutputTrainingHelper).
            const torch::Tensor own =
                torch::bernoulli(torch::full({batch, 1}, probability, targets.options()));
            previous = own * sampleOutput(projection, static_cast<int64_t>(j)) +
                       (1.0 - own) * truth.select(1, t);
        }
        logits.push_back(torch::stack(steps, 1));
        offset += depth;
    }
    return logits.size() == 1 ? logits.front() : torch::cat(logits, 2);
}

}  // namespace toccata::ml
