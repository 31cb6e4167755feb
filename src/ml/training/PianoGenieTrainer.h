// Trains Piano Genie on a PianoGenieDataset as the tutorial does
// (chrisdonahue/music-cocreation-tutorial, Train.colab.ipynb), on the shared TrainingLoop:
// the encoder turns a window's keys and delta times into one real per note, an integer
// quantizer with a straight-through gradient makes it one of the 8 buttons, and the decoder
// predicts each key from the previous key (SOS first), the delta time and that button. The
// objective is the sum of the reconstruction cross-entropy, the margin loss
// mean(max(|e| - 1, 0)^2) and the contour loss mean(max(1 - dk * de, 0)^2) over consecutive
// notes, with Adam at a constant learning rate.
// Held-out metrics (on the fixed windows of the held-out files): the key NLL per note in
// nats ("loss", the best checkpoint goes by it), perplexity and accuracy with the buttons the
// model's own encoder chooses (the tutorial's reconstruction metric), how often the buttons
// move the way the keys do, the share of presses per button, and the NLL of a "unigram"
// baseline (the training set's key frequencies). The export is a Toccata model folder of
// family piano_genie whose weights carry the tutorial's PyTorch names (dec.*, enc.*). [worker]
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/data/PianoGenieDataset.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/PianoGenieHParams.h"
#include "ml/training/TrainingLoop.h"

namespace toccata::ml {

class PianoGenieNetwork;

struct PianoGenieTrainingSettings : TrainingRunSettings {
    PianoGenieHParams hparams;
};

struct PianoGenieTrainingOutcome {
    int64_t step = 0;
    std::string reason;                       ///< finished, stopped, early_stopping
    std::string modelFolder;                  ///< the exported model ("" on ranks other than 0)
    std::optional<core::JsonValue> bestEval;  ///< the held-out metrics (see above)
};

/// Runs training. Errors: bad hparams, no training performance with seq_len notes, a run
/// folder whose checkpoint belongs to another network, divergence, file errors.
core::Result<PianoGenieTrainingOutcome> trainPianoGenie(const PianoGenieDataset& dataset,
                                                        const PianoGenieTrainingSettings& settings,
                                                        const TrainingEventSink& onEvent,
                                                        const std::atomic<bool>& stop,
                                                        DistributedGroup* group = nullptr);

/// The tutorial's quantizer on a tensor: the button (0..7, int64) of each real.
torch::Tensor pianoGenieButtons(const torch::Tensor& reals);
/// The real of each button's level, with the straight-through gradient of the tutorial:
/// x + stopgrad(q(x) - x).
torch::Tensor pianoGenieQuantize(const torch::Tensor& reals);

/// One batch through encoder, quantizer and decoder, differentiable (the training step).
struct PianoGenieForward {
    torch::Tensor encoded;  ///< [B, T] the encoder's reals
    torch::Tensor buttons;  ///< [B, T] int64
    torch::Tensor logits;   ///< [B, T, 88]
    torch::Tensor nllSum;   ///< scalar: cross-entropy summed over the notes
    torch::Tensor margin;   ///< scalar: mean(max(|e| - 1, 0)^2)
    torch::Tensor contour;  ///< scalar: mean(max(1 - dk * de, 0)^2); 0 when T < 2
};
core::Result<PianoGenieForward> pianoGenieForward(const PianoGenieNetwork& network,
                                                  const PianoGenieBatch& batch);

/// Held-out metrics of a network with an encoder on `windows` (see above); `keyFrequencies`
/// (88, e.g. pianoGenieKeyFrequencies of the training side) adds unigram_nll_per_note, empty
/// leaves it out. Errors: no windows, no encoder.
core::Result<core::JsonValue> evaluatePianoGenie(const PianoGenieNetwork& network,
                                                 const std::vector<PianoGenieWindow>& windows,
                                                 int batchSize,
                                                 const std::vector<double>& keyFrequencies,
                                                 double marginMultiplier = 1.0,
                                                 double contourMultiplier = 1.0);

/// The model.json "architecture" and "codec" of a tutorial-layout network.
core::JsonValue pianoGenieArchitectureJson(const PianoGenieNetwork& network);
core::JsonValue pianoGenieCodecJson(double deltaTimeMax);

}  // namespace toccata::ml
