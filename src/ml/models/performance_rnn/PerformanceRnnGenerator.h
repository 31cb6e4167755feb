// PerformanceRnnGenerator: a performance_rnn model ready to generate — its folder's spec, the
// Performance RNN config its codec names (PerformanceRnnConfig) and the network (a MusicRnn:
// an LSTM stack and a dense layer, Magenta.js variable names), checked against each other at
// load time. generate() is Magenta's performance sequence generator (PerformanceGeneration).
// model.json: family "performance_rnn", "architecture" {layerSizes, inputDepth, numClasses},
// "codec" as PerformanceRnnConfig writes it. One thread at a time (the generation worker, or
// the CLI). [worker]
#pragma once

#include <memory>
#include <string>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/ModelExport.h"
#include "ml/ModelSpec.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/models/performance_rnn/PerformanceGeneration.h"
#include "ml/models/performance_rnn/PerformanceRnnConfig.h"

namespace toccata::ml {

class PerformanceRnnGenerator {
public:
    /// Reads the config from the spec's codec and the weights; fails when the family is not
    /// performance_rnn, the config is unknown, or the network's input/output widths differ from
    /// the config's (the message names both).
    static core::Result<std::unique_ptr<PerformanceRnnGenerator>> load(const ModelSpec& spec);

    /// A generator around a network already in memory (tests, a training run's export).
    /// Same checks as load().
    static core::Result<std::unique_ptr<PerformanceRnnGenerator>> fromNetwork(
        ModelSpec spec, PerformanceRnnConfig config, std::unique_ptr<MusicRnn> network);

    const ModelSpec& spec() const { return m_spec; }
    const PerformanceRnnConfig& config() const { return m_config; }
    MusicRnn& network() { return *m_network; }
    const MusicRnn& network() const { return *m_network; }

    /// Primer + continuation (see generatePerformance). Same seed and options -> same output.
    core::Result<PerformanceGenerationResult> generate(const core::NoteSequence& primer,
                                                       const PerformanceGenerationOptions& options);

    /// Writes this model into `folder` as a Toccata model folder (Magenta.js has no
    /// Performance RNN, so that format is refused).
    core::Status exportTo(const std::string& folder, const ModelExportOptions& options) const;

private:
    PerformanceRnnGenerator() = default;

    ModelSpec m_spec;
    PerformanceRnnConfig m_config;
    std::unique_ptr<MusicRnn> m_network;
};

/// model.json's "architecture" of a performance_rnn network.
core::JsonValue performanceRnnArchitectureJson(const MusicRnnArchitecture& arch);
/// Reads it back. Errors name `source` and the field.
core::Result<MusicRnnArchitecture> performanceRnnArchitectureFromJson(const core::JsonValue& json,
                                                                      const std::string& source);

}  // namespace toccata::ml
