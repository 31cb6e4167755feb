#include "ml/models/music_rnn/MusicRnnGenerator.h"

#include <filesystem>

#include "core/FileIO.h"
#include "ml/generation/StepModelStepper.h"

namespace toccata::ml {
namespace fs = std::filesystem;

core::Result<std::unique_ptr<MusicRnnGenerator>> MusicRnnGenerator::load(const ModelSpec& spec) {
    using R = core::Result<std::unique_ptr<MusicRnnGenerator>>;
    if (spec.family != "music_rnn")
        return R::failure(spec.folder + ": model family is \"" + spec.family +
                          "\"; the RNN generator runs music_rnn models");
    const bool magentaJs = spec.format == ModelSpec::Format::MagentaJs;
    const std::string source =
        (fs::path(spec.folder) / (magentaJs ? kMagentaJsConfigFile : kModelJsonFile)).string();
    auto codec = RnnCodecConfig::fromCodecJson(spec.codec, spec.config, magentaJs, source);
    if (!codec) return R::failure(codec.errorMessage());
    auto network = MusicRnn::load(spec);
    if (!network) return R::failure(network.errorMessage());
    auto inputs = codec->inputDepth();
    auto classes = codec->numClasses();
    if (!inputs) return R::failure(source + ": " + inputs.errorMessage());
    if (!classes) return R::failure(source + ": " + classes.errorMessage());
    if (*inputs != (*network)->inputDepth() || *classes != (*network)->numClasses())
        return R::failure(source + ": the codec (" + codec->id + ") makes " +
                          std::to_string(*inputs) + " inputs and " + std::to_string(*classes) +
                          " classes but the weights take " +
                          std::to_string((*network)->inputDepth()) + " inputs and give " +
                          std::to_string((*network)->numClasses()) + " classes");
    std::unique_ptr<MusicRnnGenerator> model(new MusicRnnGenerator());
    model->m_spec = spec;
    model->m_codec = std::move(*codec);
    model->m_network = std::move(*network);
    return model;
}

core::Result<GenerationResult> MusicRnnGenerator::generate(const core::NoteSequence& primer,
                                                           const GenerationOptions& options) {
    StepModelStepper stepper(*m_network);
    return generateRnn(stepper, m_codec, primer, options);
}

core::Status MusicRnnGenerator::exportTo(const std::string& folder,
                                         const ModelExportOptions& options) const {
    const bool magentaJs = options.format == ModelFolderFormat::kMagentaJs;
    core::JsonValue description;
    if (magentaJs) {
        if (m_spec.musicRnn.attentionLength > 0 && m_spec.musicRnn.attentionQueryBias)
            return core::Status::failure(
                m_spec.folder +
                ": this model uses TF's attention query bias, which Magenta.js "
                "leaves out; it would not run the same there");
        auto config = m_codec.toMagentaJsConfig(m_spec.musicRnn.attentionLength);
        if (!config) return core::Status::failure(m_spec.folder + ": " + config.errorMessage());
        description = std::move(*config);
    } else {
        ModelSpec out = m_spec;
        out.format = ModelSpec::Format::Toccata;
        out.weightsManifest = "weights_manifest.json";
        out.codec = m_codec.toCodecJson();
        if (out.config.empty()) out.config = m_codec.id;
        description = out.toModelJson();
    }
    return writeModelFolder(folder, description, m_network->namedTensors(), options);
}

}  // namespace toccata::ml
