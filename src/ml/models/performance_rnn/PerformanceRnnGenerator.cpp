#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"

#include <filesystem>

#include "ml/generation/StepModelStepper.h"
#include "ml/weights/WeightsReader.h"

namespace toccata::ml {
namespace fs = std::filesystem;

namespace {

using R = core::Result<std::unique_ptr<PerformanceRnnGenerator>>;

std::string modelJsonPath(const ModelSpec& spec) {
    return (fs::path(spec.folder) / kModelJsonFile).string();
}

}  // namespace

core::JsonValue performanceRnnArchitectureJson(const MusicRnnArchitecture& arch) {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : arch.layerSizes) sizes.push(s);
    o.set("layerSizes", sizes);
    o.set("inputDepth", arch.inputDepth);
    o.set("numClasses", arch.numClasses);
    return o;
}

core::Result<MusicRnnArchitecture> performanceRnnArchitectureFromJson(const core::JsonValue& json,
                                                                      const std::string& source) {
    const std::string where = source + ": architecture: ";
    if (!json.isObject()) return core::Error{where + "expected an object"};
    MusicRnnArchitecture arch;
    const core::JsonValue* sizes = json.find("layerSizes");
    if (!sizes || !sizes->isArray() || sizes->items().empty())
        return core::Error{where + "\"layerSizes\" must be a non-empty list of sizes"};
    for (const core::JsonValue& s : sizes->items()) {
        if (!s.isInteger() || s.asInt() < 1)
            return core::Error{where + "\"layerSizes\" holds " + s.dump() +
                               "; sizes must be positive integers"};
        arch.layerSizes.push_back(s.asInt());
    }
    for (auto [key, field] :
         {std::pair{"inputDepth", &arch.inputDepth}, std::pair{"numClasses", &arch.numClasses}}) {
        const core::JsonValue* v = json.find(key);
        if (!v) continue;  // the weights tell
        if (!v->isInteger() || v->asInt() < 1)
            return core::Error{where + "\"" + key + "\" must be a positive integer, got " +
                               v->dump()};
        *field = v->asInt();
    }
    if (const core::JsonValue* a = json.find("attentionLength");
        a && (!a->isInteger() || a->asInt() != 0))
        return core::Error{where + "Performance RNN has no attention (attentionLength " +
                           a->dump() + ")"};
    return arch;
}

R PerformanceRnnGenerator::load(const ModelSpec& spec) {
    if (spec.family != "performance_rnn")
        return R::failure(spec.folder + ": model family is \"" + spec.family +
                          "\"; the Performance RNN generator runs performance_rnn models");
    const std::string source = modelJsonPath(spec);
    auto config = PerformanceRnnConfig::fromCodecJson(spec.codec, source);
    if (!config) return R::failure(config.errorMessage());
    auto arch = performanceRnnArchitectureFromJson(spec.architecture, source);
    if (!arch) return R::failure(arch.errorMessage());
    auto weights = readTfjsWeights(spec.folder, spec.weightsManifest);
    if (!weights) return R::failure(weights.errorMessage());
    auto network = MusicRnn::fromWeights(*weights, *arch);
    if (!network) return R::failure(network.errorMessage());
    return fromNetwork(spec, std::move(*config), std::move(*network));
}

R PerformanceRnnGenerator::fromNetwork(ModelSpec spec, PerformanceRnnConfig config,
                                       std::unique_ptr<MusicRnn> network) {
    if (!network) return R::failure("PerformanceRnnGenerator: no network");
    if (network->inputDepth() != config.inputDepth() ||
        network->numClasses() != config.numClasses())
        return R::failure(modelJsonPath(spec) + ": the " + config.id + " config makes " +
                          std::to_string(config.controlDepth()) + " control + " +
                          std::to_string(config.numClasses()) + " event inputs (" +
                          std::to_string(config.inputDepth()) + ") and " +
                          std::to_string(config.numClasses()) + " classes but the weights take " +
                          std::to_string(network->inputDepth()) + " inputs and give " +
                          std::to_string(network->numClasses()) + " classes");
    if (network->hasAttention())
        return R::failure(modelJsonPath(spec) + ": Performance RNN networks have no attention");
    std::unique_ptr<PerformanceRnnGenerator> model(new PerformanceRnnGenerator());
    model->m_spec = std::move(spec);
    model->m_config = std::move(config);
    model->m_network = std::move(network);
    return model;
}

core::Result<PerformanceGenerationResult> PerformanceRnnGenerator::generate(
    const core::NoteSequence& primer, const PerformanceGenerationOptions& options) {
    StepModelStepper stepper(*m_network);
    return generatePerformance(stepper, m_config, primer, options);
}

core::Status PerformanceRnnGenerator::exportTo(const std::string& folder,
                                               const ModelExportOptions& options) const {
    if (options.format == ModelFolderFormat::kMagentaJs)
        return core::Status::failure(m_spec.folder +
                                     ": Magenta.js has no Performance RNN; export it as a "
                                     "Toccata model folder");
    ModelSpec out = m_spec;
    out.format = ModelSpec::Format::Toccata;
    out.family = "performance_rnn";
    out.weightsManifest = "weights_manifest.json";
    out.codec = m_config.toCodecJson();
    out.architecture = performanceRnnArchitectureJson(m_network->architecture());
    if (out.config.empty()) out.config = m_config.id;
    return writeModelFolder(folder, out.toModelJson(), m_network->namedTensors(), options);
}

}  // namespace toccata::ml
