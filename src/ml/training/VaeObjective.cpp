#include "ml/training/VaeObjective.h"

#include <string>

namespace toccata::ml {

namespace {

/// A random shift in [-range, range] for each example, 0 where the window would leave the
/// melody range (labels 2.. are note-ons).
std::vector<int64_t> transpositions(const std::vector<const VaeExample*>& examples, int64_t range,
                                    int64_t depth) {
    std::vector<int64_t> shifts(examples.size(), 0);
    if (range <= 0) return shifts;
    const torch::Tensor draws =
        torch::randint(-range, range + 1, {static_cast<int64_t>(examples.size())}, torch::kLong);
    for (size_t i = 0; i < examples.size(); ++i) {
        const int64_t shift = draws[static_cast<int64_t>(i)].item<int64_t>();
        bool fits = true;
        for (int16_t label : examples[i]->labels)
            if (label >= 2 && (label + shift < 2 || label + shift >= depth)) fits = false;
        shifts[i] = fits ? shift : 0;
    }
    return shifts;
}

}  // namespace

core::Result<VaeBatch> makeVaeBatch(const VaeConverterConfig& config,
                                    const std::vector<const VaeExample*>& examples,
                                    int64_t transposeRange) {
    const int64_t b = static_cast<int64_t>(examples.size()), t = config.numSteps;
    const int64_t din = config.inputDepth(), dout = config.outputDepth();
    VaeBatch batch;
    batch.stepSeconds = torch::empty({b}, torch::kFloat);
    for (int64_t i = 0; i < b; ++i)
        batch.stepSeconds[i] = examples[static_cast<size_t>(i)]->stepSeconds;
    if (config.type == VaeConverterType::Groove) {
        batch.inputs = torch::empty({b, t, din}, torch::kFloat);
        batch.targets = torch::empty({b, t, dout}, torch::kFloat);
        for (int64_t i = 0; i < b; ++i) {
            const VaeExample& e = *examples[static_cast<size_t>(i)];
            if (static_cast<int64_t>(e.input.size()) != t * din ||
                static_cast<int64_t>(e.target.size()) != t * dout)
                return core::Error{"a groove window has " + std::to_string(e.input.size()) +
                                   " values, the model needs " + std::to_string(t * din)};
            std::copy(e.input.begin(), e.input.end(), batch.inputs[i].data_ptr<float>());
            std::copy(e.target.begin(), e.target.end(), batch.targets[i].data_ptr<float>());
        }
        return batch;
    }
    if (config.type != VaeConverterType::Melody && config.type != VaeConverterType::Drums)
        return core::Error{"training batches are built for melody, drums and groove models"};
    batch.labels = torch::empty({b, t}, torch::kLong);
    const std::vector<int64_t> shifts = config.type == VaeConverterType::Melody
                                            ? transpositions(examples, transposeRange, dout)
                                            : std::vector<int64_t>(examples.size(), 0);
    int64_t* out = batch.labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < b; ++i) {
        const VaeExample& e = *examples[static_cast<size_t>(i)];
        if (static_cast<int64_t>(e.labels.size()) != t)
            return core::Error{"a window has " + std::to_string(e.labels.size()) +
                               " steps, the model needs " + std::to_string(t)};
        for (int64_t s = 0; s < t; ++s) {
            int64_t label = e.labels[static_cast<size_t>(s)];
            if (label >= 2 && config.type == VaeConverterType::Melody)
                label += shifts[static_cast<size_t>(i)];
            if (label < 0 || label >= dout)
                return core::Error{"a window's class " + std::to_string(label) +
                                   " is outside the model's " + std::to_string(dout)};
            out[i * t + s] = label;
        }
    }
    batch.targets = torch::one_hot(batch.labels, dout).to(torch::kFloat);
    if (config.type == VaeConverterType::Melody) {
        batch.inputs = batch.targets;
    } else {
        // Drums read a roll of the classes plus "no hit" (design doc §2.2, Python semantics).
        const int64_t classes = config.numClasses();
        const torch::Tensor bits = torch::pow(2, torch::arange(classes, torch::kLong));
        const torch::Tensor roll =
            (batch.labels.unsqueeze(-1).bitwise_and(bits) != 0).to(torch::kFloat);
        const torch::Tensor none = (batch.labels == 0).to(torch::kFloat).unsqueeze(-1);
        batch.inputs = torch::cat({roll, none}, -1);
    }
    return batch;
}

torch::Tensor reconstructionLoss(VaeHead head, const torch::Tensor& logits, const VaeBatch& batch) {
    if (head == VaeHead::Categorical) {
        const torch::Tensor logp = torch::log_softmax(logits, -1);
        return -logp.gather(-1, batch.labels.unsqueeze(-1)).squeeze(-1).sum(1);
    }
    const int64_t drums = logits.size(2) / 3;
    const torch::Tensor hits = batch.targets.narrow(2, 0, drums);
    const torch::Tensor velocities = batch.targets.narrow(2, drums, drums);
    const torch::Tensor offsets = batch.targets.narrow(2, 2 * drums, drums);
    const torch::Tensor hitLoss = torch::binary_cross_entropy_with_logits(
        logits.narrow(2, 0, drums), hits, {}, {}, at::Reduction::None);
    const torch::Tensor velocityLoss =
        (velocities - torch::sigmoid(logits.narrow(2, drums, drums))).pow(2);
    const torch::Tensor offsetLoss =
        (offsets - torch::tanh(logits.narrow(2, 2 * drums, drums))).pow(2);
    return (hitLoss + velocityLoss + offsetLoss).sum({1, 2});
}

torch::Tensor klDivergence(const VaePosterior& posterior) {
    const torch::Tensor& mu = posterior.mu;
    const torch::Tensor& sigma = posterior.sigma;
    return (-torch::log(sigma) + 0.5 * (sigma.pow(2) + mu.pow(2)) - 0.5).sum(1);
}

std::vector<double> predictionCounts(VaeHead head, const torch::Tensor& logits,
                                     const VaeBatch& batch) {
    torch::NoGradGuard noGrad;
    const torch::Tensor o = logits.detach();
    torch::Tensor truth, predicted, events;
    if (head == VaeHead::Categorical) {
        truth = batch.labels;
        predicted = o.argmax(-1);
        events = batch.labels != 0;
    } else {
        const int64_t drums = o.size(2) / 3;
        truth = batch.targets.narrow(2, 0, drums) > 0.5;
        predicted = o.narrow(2, 0, drums) > 0.0;
        events = truth;
    }
    const torch::Tensor correct = (predicted == truth).to(torch::kDouble);
    const torch::Tensor eventMask = events.to(torch::kDouble);
    return {static_cast<double>(truth.numel()), correct.sum().item<double>(),
            eventMask.sum().item<double>(), (correct * eventMask).sum().item<double>()};
}

}  // namespace toccata::ml
