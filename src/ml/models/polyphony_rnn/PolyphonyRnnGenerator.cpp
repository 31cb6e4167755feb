#include "ml/models/polyphony_rnn/PolyphonyRnnGenerator.h"

#include <filesystem>

#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/models/polyphony_rnn/RowMaskedStepModelStepper.h"
#include "ml/weights/WeightsReader.h"

namespace toccata::ml {
namespace fs = std::filesystem;

namespace {

using R = core::Result<std::unique_ptr<PolyphonyRnnGenerator>>;

std::string modelJsonPath(const ModelSpec& spec) {
    return spec.folder.empty() ? spec.id : (fs::path(spec.folder) / kModelJsonFile).string();
}

}  // namespace

core::JsonValue polyphonyCodecJson() {
    core::JsonValue o = core::JsonValue::object();
    o.set("config", "polyphony");
    o.set("encoding", "polyphony_one_hot");
    o.set("stepsPerQuarter", static_cast<int64_t>(kPolyphonyStepsPerQuarter));
    return o;
}

core::Status checkPolyphonyCodecJson(const core::JsonValue& codec, const std::string& source) {
    const std::string where = source + ": codec: ";
    if (!codec.isObject()) return core::Status::failure(where + "expected an object");
    const core::JsonValue* config = codec.find("config");
    if (!config || !config->isString() || config->asString() != "polyphony")
        return core::Status::failure(where + "\"config\" must be \"polyphony\", got " +
                                     (config ? config->dump() : std::string("nothing")));
    if (const core::JsonValue* e = codec.find("encoding");
        e && (!e->isString() || e->asString() != "polyphony_one_hot"))
        return core::Status::failure(where + "\"encoding\" must be \"polyphony_one_hot\", got " +
                                     e->dump());
    if (const core::JsonValue* s = codec.find("stepsPerQuarter");
        s && (!s->isInteger() || s->asInt() != kPolyphonyStepsPerQuarter))
        return core::Status::failure(where + "\"stepsPerQuarter\" must be 4, got " + s->dump());
    return {};
}

core::JsonValue polyphonyArchitectureJson(const MusicRnnArchitecture& arch) {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : arch.layerSizes) sizes.push(s);
    o.set("layerSizes", sizes);
    o.set("inputDepth", arch.inputDepth);
    o.set("numClasses", arch.numClasses);
    return o;
}

core::Result<MusicRnnArchitecture> polyphonyArchitectureFromJson(const core::JsonValue& json,
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
        if (!v->isInteger() || v->asInt() != kPolyphonyNumClasses)
            return core::Error{where + "\"" + key + "\" must be 259 for Polyphony RNN, got " +
                               v->dump()};
        *field = v->asInt();
    }
    if (const core::JsonValue* a = json.find("attentionLength");
        a && (!a->isInteger() || a->asInt() != 0))
        return core::Error{where + "Polyphony RNN has no attention (attentionLength " + a->dump() +
                           ")"};
    return arch;
}

R PolyphonyRnnGenerator::load(const ModelSpec& spec) {
    if (spec.family != "polyphony_rnn")
        return R::failure(spec.folder + ": model family is \"" + spec.family +
                          "\"; the Polyphony RNN generator runs polyphony_rnn models");
    const std::string source = modelJsonPath(spec);
    if (core::Status s = checkPolyphonyCodecJson(spec.codec, source); !s)
        return R::failure(s.errorMessage());
    auto arch = polyphonyArchitectureFromJson(spec.architecture, source);
    if (!arch) return R::failure(arch.errorMessage());
    auto weights = readTfjsWeights(spec.folder, spec.weightsManifest);
    if (!weights) return R::failure(weights.errorMessage());
    auto network = MusicRnn::fromWeights(*weights, *arch);
    if (!network) return R::failure(source + ": " + network.errorMessage());
    return fromNetwork(spec, std::move(*network));
}

R PolyphonyRnnGenerator::initialize(const std::vector<int64_t>& layerSizes, uint64_t seed,
                                    const std::string& id) {
    MusicRnnArchitecture arch;
    arch.layerSizes = layerSizes;
    arch.inputDepth = kPolyphonyNumClasses;
    arch.numClasses = kPolyphonyNumClasses;
    auto network = MusicRnn::initialize(arch, seed);
    if (!network) return R::failure(network.errorMessage());
    ModelSpec spec;
    spec.id = id;
    spec.family = "polyphony_rnn";
    spec.config = "polyphony";
    spec.description = "Polyphony RNN (untrained)";
    spec.codec = polyphonyCodecJson();
    spec.architecture = polyphonyArchitectureJson(arch);
    return fromNetwork(std::move(spec), std::move(*network));
}

R PolyphonyRnnGenerator::fromNetwork(ModelSpec spec, std::unique_ptr<MusicRnn> network) {
    if (!network) return R::failure("PolyphonyRnnGenerator: no network");
    if (network->inputDepth() != kPolyphonyNumClasses ||
        network->numClasses() != kPolyphonyNumClasses)
        return R::failure(modelJsonPath(spec) +
                          ": Polyphony RNN takes 259 inputs and gives 259 classes, but the "
                          "weights take " +
                          std::to_string(network->inputDepth()) + " inputs and give " +
                          std::to_string(network->numClasses()) + " classes");
    if (network->hasAttention())
        return R::failure(modelJsonPath(spec) + ": Polyphony RNN networks have no attention");
    std::unique_ptr<PolyphonyRnnGenerator> model(new PolyphonyRnnGenerator());
    model->m_spec = std::move(spec);
    model->m_network = std::move(network);
    return model;
}

core::Result<PolyphonyGenerationResult> PolyphonyRnnGenerator::generate(
    const core::NoteSequence& primer, const PolyphonyGenerationOptions& options) {
    RowMaskedStepModelStepper stepper(*m_network);
    return generatePolyphony(stepper, primer, options);
}

core::Status PolyphonyRnnGenerator::exportTo(const std::string& folder,
                                             const ModelExportOptions& options) const {
    if (options.format == ModelFolderFormat::kMagentaJs)
        return core::Status::failure(m_spec.id +
                                     ": Magenta.js has no Polyphony RNN; export it as a Toccata "
                                     "model folder");
    ModelSpec out = m_spec;
    out.format = ModelSpec::Format::Toccata;
    out.family = "polyphony_rnn";
    out.config = "polyphony";
    out.weightsManifest = "weights_manifest.json";
    out.codec = polyphonyCodecJson();
    out.architecture = polyphonyArchitectureJson(m_network->architecture());
    if (!out.provenance.isObject()) out.provenance = core::JsonValue::object();
    if (!out.provenance.find("corpus")) out.provenance.set("corpus", "none (untrained)");
    if (!out.license.isObject()) out.license = core::JsonValue::object();
    if (!out.license.find("trainingData")) out.license.set("trainingData", "none");
    return writeModelFolder(folder, out.toModelJson(), m_network->namedTensors(), options);
}

}  // namespace toccata::ml
