// ModelSpec: what a model folder holds, read from either Toccata's `model.json` or an official
// Magenta.js checkpoint folder (`config.json` + `weights_manifest.json`, opened unchanged).
// Both map onto this one struct; the network loaders and the codecs work from it.
//
// Toccata model.json (formatVersion 1):
// { "format": "toccata-model", "formatVersion": 1, "id": "basic_rnn_folk", "family": "music_rnn",
//   "config": "basic_rnn", "description": "...",
//   "architecture": { "layerSizes": [128, 128], "inputDepth": 38, "numClasses": 38,
//                     "attentionLength": 0, "attentionQueryBias": false },
//   "codec": { "encoding": "melody_one_hot", "minPitch": 48, "maxPitch": 83, ... },
//   "provenance": { "corpus": "...", "trainingSteps": 20000, "date": "...", ... },
//   "license": { "weights": "CC-BY-4.0", "trainingData": "..." },
//   "weights": "weights_manifest.json" }
// family, architecture (for music_rnn), codec.encoding, provenance and license.trainingData
// are required. Codec keys (shared with ml/codecs): encoding = melody_one_hot | drums_one_hot
// | ...; minPitch/maxPitch inclusive; chordEncoding = pitch | major_minor | triad;
// binaryCounterBits; stepsPerQuarter. [any]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml {

inline constexpr const char* kModelJsonFile = "model.json";
inline constexpr const char* kMagentaJsConfigFile = "config.json";

/// Network shape of a music_rnn model (MusicRNN family).
struct MusicRnnArchitecture {
    std::vector<int64_t> layerSizes;  ///< LSTM hidden size per layer
    int64_t inputDepth = 0;           ///< width of one step's input vector
    int64_t numClasses = 0;           ///< width of the logits
    int64_t attentionLength = 0;      ///< 0: no attention wrapper
    bool attentionQueryBias = false;  ///< TF semantics (true) or Magenta.js (false)
};

struct ModelSpec {
    enum class Format { Toccata, MagentaJs };

    std::string folder;  ///< the model folder, as given
    Format format = Format::Toccata;
    std::string id;      ///< model.json "id", else the folder name
    std::string family;  ///< music_rnn, music_vae, piano_genie, ...
    std::string config;  ///< e.g. basic_rnn, drum_kit_rnn, chord_pitches_improv
    std::string description;
    std::string weightsManifest = "weights_manifest.json";  ///< relative to folder

    MusicRnnArchitecture musicRnn;    ///< filled for family music_rnn
    core::JsonValue architecture;     ///< the raw architecture object (any family)
    core::JsonValue codec;            ///< encoding settings (see the keys above)
    core::JsonValue provenance;       ///< corpus, steps, metrics, date, code version...
    core::JsonValue license;          ///< licence of the weights and of the training data
    core::JsonValue magentaJsConfig;  ///< config.json as read (Magenta.js folders only)

    /// Writes this spec as a Toccata model.json document.
    core::JsonValue toModelJson() const;
};

/// Families Toccata knows (model.json "family").
const std::vector<std::string>& knownModelFamilies();

/// Opens a model folder: `model.json` if present, else a Magenta.js `config.json`, else a
/// bare `weights_manifest.json` whose names are a Piano Genie's (the tutorial's `dec.*` TF.js
/// export, with its cfg.json if present, or Magenta.js's `phero_model/decoder/...`): family
/// piano_genie, architecture {layout, rnnSize, layers, buttons, inputWidth} from the shapes.
/// For Magenta.js MusicRNN folders the architecture is read from the weights manifest.
core::Result<ModelSpec> loadModelSpec(const std::string& folder);

/// Whether `folder` has no model.json / config.json but a weights_manifest.json naming Piano
/// Genie weights (a cheap text check, for catalog scans).
bool looksLikePianoGenieFolder(const std::string& folder);

/// Parses Toccata model.json text (`file` is named in errors).
core::Result<ModelSpec> parseToccataModelJson(const std::string& text, const std::string& file);

/// Maps Magenta.js config.json text and the folder's weights manifest onto a ModelSpec.
core::Result<ModelSpec> parseMagentaJsFolder(const std::string& folder);

}  // namespace toccata::ml
