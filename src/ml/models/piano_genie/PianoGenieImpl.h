// Private to src/ml/models/piano_genie: the tensors behind a PianoGenieNetwork, shared by its
// loading (PianoGenie.cpp) and its sequence / encoder maths (PianoGenieSequence.cpp). [any]
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "ml/layers/Dense.h"
#include "ml/layers/LstmStack.h"
#include "ml/models/piano_genie/PianoGenie.h"

namespace toccata::ml {

inline constexpr int64_t kPianoGenieTutorialInputs = 91;   ///< 89 key one-hot + dt + button
inline constexpr int64_t kPianoGenieOfficialInputs = 123;  ///< button + 89 + 33 time bins
inline constexpr int64_t kPianoGenieTimeBins = 33;
inline constexpr double kPianoGenieTimeRate = 31.25;  ///< bins per second (official)

/// One PyTorch LSTM layer (one direction): gate rows i, f, g, o.
struct TorchLstmLayer {
    torch::Tensor wIh, wHh, bIh, bHh;  ///< [4H, in], [4H, H], [4H], [4H]
};

struct PianoGenieNetwork::Impl {
    PianoGenieLayout layout = PianoGenieLayout::Tutorial;
    int64_t rnnSize = 0;    ///< H
    int64_t inputSize = 0;  ///< width of the feature vector (91 or 123)
    int64_t projected = 0;  ///< width after the input layer (the first LSTM layer's input)

    /// Every tensor under its checkpoint name, in checkpoint order.
    std::vector<std::pair<std::string, torch::Tensor>> named;

    // Tutorial layout (PyTorch; Linear weights [out, in]).
    torch::Tensor inW, inB, outW, outB;
    std::vector<TorchLstmLayer> decLayers;
    bool hasEncoder = false;
    torch::Tensor encInW, encInB, encOutW, encOutB;
    std::vector<TorchLstmLayer> encForward, encBackward;  ///< per layer

    // Official layout (TF; kernels [in, out], LSTMBlockCell, forget bias +1).
    Dense inDense, outDense;
    LstmStack stack;

    // Inference copies (CPU, contiguous, TF gate order i, j, f, o, forget bias folded in),
    // rebuilt by repack().
    torch::Tensor pInK, pInB;                 ///< [inputSize, projected], [projected]
    std::vector<torch::Tensor> pKx, pKh, pB;  ///< per layer [in, 4H], [H, 4H], [4H]
    torch::Tensor pOutK, pOutB;               ///< [H, 88], [88]

    size_t numLayers() const {
        return layout == PianoGenieLayout::Tutorial ? decLayers.size() : stack.numLayers();
    }
    void repack();
    /// Tutorial: [B, T, 91] features; official: [B, T, 123].
    torch::Tensor features(const torch::Tensor& previousKeys, const torch::Tensor& deltas,
                           const torch::Tensor& buttonReals) const;
};

/// PyTorch's flat parameter list for at::lstm: per layer (and direction) w_ih, w_hh, b_ih, b_hh.
std::vector<torch::Tensor> lstmParams(const std::vector<TorchLstmLayer>& forward,
                                      const std::vector<TorchLstmLayer>* backward);

}  // namespace toccata::ml
