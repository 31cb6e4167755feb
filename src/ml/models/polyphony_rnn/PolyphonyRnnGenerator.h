// PolyphonyRnnGenerator: a polyphony_rnn model ready to generate — its folder's spec and the
// network (a MusicRnn: an LSTM stack and a dense layer under Magenta.js's variable names,
// 259 one-hot inputs -> 259 logits; Magenta trains 3 x 256), checked against each other at load
// time. generate() is Magenta's polyphony sequence generator (PolyphonyGeneration).
// model.json: family "polyphony_rnn", "architecture" {layerSizes, inputDepth, numClasses},
// "codec" {"config": "polyphony", "encoding": "polyphony_one_hot", "stepsPerQuarter": 4}.
// One thread at a time (the generation worker, or the CLI). [worker]
#pragma once

#include <memory>
#include <string>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/ModelExport.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/models/polyphony_rnn/PolyphonyGeneration.h"

namespace toccata::ml {

class PolyphonyRnnGenerator {
public:
    /// Reads the spec's codec and the weights; fails when the family is not polyphony_rnn,
    /// the codec is not the polyphony config, or the network is not 259 -> 259 (the message
    /// names the folder and both widths).
    static core::Result<std::unique_ptr<PolyphonyRnnGenerator>> load(const ModelSpec& spec);

    /// A new, untrained network of `layerSizes` (Glorot-uniform from `seed`), for tests and
    /// as a training run's start. `id` names the model.
    static core::Result<std::unique_ptr<PolyphonyRnnGenerator>> initialize(
        const std::vector<int64_t>& layerSizes, uint64_t seed, const std::string& id = "polyphony");

    /// A generator around a network already in memory. Same checks as load().
    static core::Result<std::unique_ptr<PolyphonyRnnGenerator>> fromNetwork(
        ModelSpec spec, std::unique_ptr<MusicRnn> network);

    const ModelSpec& spec() const { return m_spec; }
    MusicRnn& network() { return *m_network; }
    const MusicRnn& network() const { return *m_network; }

    /// Primer + continuation (see generatePolyphony). Same seed and options -> same output.
    core::Result<PolyphonyGenerationResult> generate(const core::NoteSequence& primer,
                                                     const PolyphonyGenerationOptions& options);

    /// Writes this model into `folder` as a Toccata model folder (Magenta.js has no Polyphony
    /// RNN, so that format is refused).
    core::Status exportTo(const std::string& folder, const ModelExportOptions& options) const;

private:
    PolyphonyRnnGenerator() = default;

    ModelSpec m_spec;
    std::unique_ptr<MusicRnn> m_network;
};

/// The "codec" object of a polyphony_rnn model.json.
core::JsonValue polyphonyCodecJson();
/// Checks one (config "polyphony", encoding polyphony_one_hot when given, stepsPerQuarter 4
/// when given). Errors name `source` and the field.
core::Status checkPolyphonyCodecJson(const core::JsonValue& codec, const std::string& source);
/// model.json's "architecture" of a polyphony_rnn network, and back (errors name `source`).
core::JsonValue polyphonyArchitectureJson(const MusicRnnArchitecture& arch);
core::Result<MusicRnnArchitecture> polyphonyArchitectureFromJson(const core::JsonValue& json,
                                                                 const std::string& source);

}  // namespace toccata::ml
