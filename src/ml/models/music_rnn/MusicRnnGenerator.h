// MusicRnnGenerator: a music_rnn model ready to generate — its folder's spec, the codec that
// spec describes (ml/codecs/RnnCodecConfig) and the network (MusicRnn), checked against each
// other at load time. generate() is Magenta's melody_rnn / drums_rnn / improv_rnn sequence
// generator (ml/generation/RnnGenerator). exportTo() writes the model as a Toccata model
// folder or as a Magenta.js checkpoint folder. One thread at a time (the generation worker,
// or the CLI). [worker]
#pragma once

#include <memory>
#include <string>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "ml/ModelExport.h"
#include "ml/ModelSpec.h"
#include "ml/codecs/RnnCodecConfig.h"
#include "ml/generation/GenerationOptions.h"
#include "ml/generation/RnnGenerator.h"
#include "ml/models/music_rnn/MusicRnn.h"
#include "ml/weights/WeightsManifest.h"

namespace toccata::ml {

class MusicRnnGenerator {
public:
    /// Builds the codec from the spec and loads the weights; fails when the family is not
    /// music_rnn, the codec is unknown, or the codec's input/output sizes differ from the
    /// network's (the message names both).
    static core::Result<std::unique_ptr<MusicRnnGenerator>> load(const ModelSpec& spec);

    const ModelSpec& spec() const { return m_spec; }
    const RnnCodecConfig& codec() const { return m_codec; }
    MusicRnn& network() { return *m_network; }
    bool isDrums() const { return m_codec.track == RnnTrackKind::kDrums; }
    bool needsChords() const { return m_codec.chords.has_value(); }

    /// Primer + continuation (see generateRnn). Same seed and options -> same output.
    core::Result<GenerationResult> generate(const core::NoteSequence& primer,
                                            const GenerationOptions& options);

    /// Writes this model into `folder` (created if needed): model.json or config.json, plus
    /// weights_manifest.json and shards. Magenta.js needs a codec it can run (see
    /// RnnCodecConfig::toMagentaJsConfig) and the Magenta.js attention semantics.
    core::Status exportTo(const std::string& folder, const ModelExportOptions& options) const;

private:
    MusicRnnGenerator() = default;

    ModelSpec m_spec;
    RnnCodecConfig m_codec;
    std::unique_ptr<MusicRnn> m_network;
};

}  // namespace toccata::ml
