// Piano Genie over whole sequences (training and evaluation): the decoder's features and
// logits for every step at once, and the tutorial's bidirectional encoder. Differentiable.
#include <tuple>

#include "ml/models/piano_genie/PianoGenie.h"
#include "ml/models/piano_genie/PianoGenieImpl.h"

namespace toccata::ml {

std::vector<torch::Tensor> lstmParams(const std::vector<TorchLstmLayer>& forward,
                                      const std::vector<TorchLstmLayer>* backward) {
    std::vector<torch::Tensor> params;
    for (size_t l = 0; l < forward.size(); ++l) {
        for (const TorchLstmLayer* layer : {&forward[l], backward ? &(*backward)[l] : nullptr}) {
            if (!layer) continue;
            params.insert(params.end(), {layer->wIh, layer->wHh, layer->bIh, layer->bHh});
        }
    }
    return params;
}

torch::Tensor PianoGenieNetwork::Impl::features(const torch::Tensor& previousKeys,
                                                const torch::Tensor& deltas,
                                                const torch::Tensor& buttonReals) const {
    const torch::Device device =
        layout == PianoGenieLayout::Tutorial ? inW.device() : inDense.kernel().device();
    const torch::Tensor keys = previousKeys.to(device, torch::kLong);
    const torch::Tensor dt = deltas.to(device, torch::kFloat);
    const torch::Tensor button = buttonReals.to(device, torch::kFloat).unsqueeze(-1);
    // Out-of-range previous keys (negative, or 88) are the start token.
    const torch::Tensor sos = (keys < 0).logical_or(keys >= kPianoGenieKeys);
    if (layout == PianoGenieLayout::Tutorial) {
        const torch::Tensor index =
            torch::where(sos, torch::full_like(keys, kPianoGenieKeys), keys);
        return torch::cat({torch::one_hot(index, kPianoGenieKeys + 1).to(torch::kFloat),
                           dt.clamp(0.0, 1.0).unsqueeze(-1), button},
                          -1);
    }
    const torch::Tensor index = torch::where(sos, torch::zeros_like(keys), keys + 1);
    const torch::Tensor bins = (dt * static_cast<float>(kPianoGenieTimeRate))
                                   .round()
                                   .clamp(0.0, static_cast<double>(kPianoGenieTimeBins - 1))
                                   .to(torch::kLong);
    return torch::cat({button, torch::one_hot(index, kPianoGenieKeys + 1).to(torch::kFloat),
                       torch::one_hot(bins, kPianoGenieTimeBins).to(torch::kFloat)},
                      -1);
}

torch::Tensor PianoGenieNetwork::decodeSequence(const torch::Tensor& previousKeys,
                                                const torch::Tensor& deltas,
                                                const torch::Tensor& buttonReals) const {
    const Impl& p = *m;
    const torch::Tensor x = p.features(previousKeys, deltas, buttonReals);
    const int64_t batch = x.size(0);
    if (p.layout == PianoGenieLayout::Tutorial) {
        const torch::Tensor projected = torch::linear(x, p.inW, p.inB);
        const int64_t layers = static_cast<int64_t>(p.decLayers.size());
        const torch::Tensor zeros = torch::zeros({layers, batch, p.rnnSize}, x.options());
        const auto out = torch::lstm(projected, {zeros, zeros}, lstmParams(p.decLayers, nullptr),
                                     /*has_biases=*/true, layers, /*dropout=*/0.0,
                                     /*train=*/false, /*bidirectional=*/false,
                                     /*batch_first=*/true);
        return torch::linear(std::get<0>(out), p.outW, p.outB);
    }
    std::vector<LstmState> state = p.stack.zeroState(batch);
    const torch::Tensor h = p.stack.forwardSequence(p.inDense.forward(x), state);
    return p.outDense.forward(h);
}

core::Result<torch::Tensor> PianoGenieNetwork::encode(const torch::Tensor& keys,
                                                      const torch::Tensor& deltas) const {
    using R = core::Result<torch::Tensor>;
    const Impl& p = *m;
    if (!p.hasEncoder)
        return R::failure(
            "this Piano Genie has no encoder (enc.* weights): the published "
            "TF.js and Magenta.js checkpoints hold the decoder only");
    const torch::Device device = p.encInW.device();
    const torch::Tensor k = keys.to(device, torch::kLong).clamp(0, kPianoGenieKeys - 1);
    const torch::Tensor x =
        torch::cat({torch::one_hot(k, kPianoGenieKeys).to(torch::kFloat),
                    deltas.to(device, torch::kFloat).clamp(0.0, 1.0).unsqueeze(-1)},
                   -1);
    const torch::Tensor projected = torch::linear(x, p.encInW, p.encInB);
    const int64_t layers = static_cast<int64_t>(p.encForward.size());
    const int64_t hidden = p.encForward.front().wHh.size(1);
    const torch::Tensor zeros = torch::zeros({2 * layers, x.size(0), hidden}, x.options());
    const auto out =
        torch::lstm(projected, {zeros, zeros}, lstmParams(p.encForward, &p.encBackward),
                    /*has_biases=*/true, layers, /*dropout=*/0.0, /*train=*/false,
                    /*bidirectional=*/true, /*batch_first=*/true);
    return torch::linear(std::get<0>(out), p.encOutW, p.encOutB).squeeze(-1);
}

}  // namespace toccata::ml
