// Model folder loading: Toccata model.json and Magenta.js checkpoint folders -> ModelSpec.
#include "ml/ModelSpec.h"

#include <algorithm>
#include <filesystem>

#include "core/FileIO.h"
#include "ml/weights/WeightsManifest.h"

namespace toccata::ml {

namespace fs = std::filesystem;
using core::JsonValue;
using core::Result;

namespace {

constexpr int kFormatVersion = 1;
constexpr int64_t kMaxJsonBytes = 16 * 1024 * 1024;

Result<ModelSpec> fail(const std::string& message) { return Result<ModelSpec>::failure(message); }

/// A required positive integer member; `error` receives the message when it is not one.
bool positiveInt(const JsonValue& obj, const char* key, int64_t& out, std::string& error,
                 const std::string& where, bool required = true) {
    const JsonValue* v = obj.find(key);
    if (!v) {
        if (required) error = where + ": missing field \"" + key + "\"";
        return !required;
    }
    if (!v->isInteger() || v->asInt() < (required ? 1 : 0)) {
        error = where + ": field \"" + key + "\" must be a " +
                (required ? "positive" : "non-negative") + " integer";
        return false;
    }
    out = v->asInt();
    return true;
}

Result<MusicRnnArchitecture> parseMusicRnnArchitecture(const JsonValue& arch,
                                                       const std::string& where) {
    using R = Result<MusicRnnArchitecture>;
    MusicRnnArchitecture a;
    const JsonValue* layers = arch.find("layerSizes");
    if (!layers || !layers->isArray() || layers->items().empty())
        return R::failure(where + ": field \"layerSizes\" must be a non-empty array");
    for (const JsonValue& l : layers->items()) {
        if (!l.isInteger() || l.asInt() < 1)
            return R::failure(where + ": \"layerSizes\" must hold positive integers");
        a.layerSizes.push_back(l.asInt());
    }
    std::string error;
    if (!positiveInt(arch, "inputDepth", a.inputDepth, error, where) ||
        !positiveInt(arch, "numClasses", a.numClasses, error, where) ||
        !positiveInt(arch, "attentionLength", a.attentionLength, error, where, false))
        return R::failure(error);
    if (const JsonValue* qb = arch.find("attentionQueryBias")) {
        if (!qb->isBool()) return R::failure(where + ": \"attentionQueryBias\" must be true/false");
        a.attentionQueryBias = qb->asBool();
    }
    return a;
}

const WeightEntry* findEntry(const WeightsManifest& manifest, const std::string& name) {
    for (const WeightGroup& g : manifest.groups)
        for (const WeightEntry& w : g.weights)
            if (w.name == name) return &w;
    return nullptr;
}

/// MusicRNN layer sizes, input depth and classes from the manifest's shapes (Magenta.js names).
Result<MusicRnnArchitecture> musicRnnFromManifest(const WeightsManifest& manifest,
                                                  const std::string& file) {
    using R = Result<MusicRnnArchitecture>;
    MusicRnnArchitecture a;
    const std::string wrapper = "rnn/attention_cell_wrapper/";
    const WeightEntry* attnKernel = findEntry(manifest, wrapper + "kernel");
    const std::string prefix = attnKernel ? wrapper + "multi_rnn_cell/" : "rnn/multi_rnn_cell/";
    for (int l = 0;; ++l) {
        const std::string cell = prefix + "cell_" + std::to_string(l) + "/basic_lstm_cell/";
        const WeightEntry* bias = findEntry(manifest, cell + "bias");
        const WeightEntry* kernel = findEntry(manifest, cell + "kernel");
        if (!kernel) break;
        if (!bias || bias->shape.size() != 1 || bias->shape[0] % 4 != 0 ||
            kernel->shape.size() != 2)
            return R::failure(file + ": LSTM layer \"" + cell +
                              "\" has a missing or malformed "
                              "kernel/bias");
        a.layerSizes.push_back(bias->shape[0] / 4);
        if (l == 0) a.inputDepth = kernel->shape[0] - a.layerSizes[0];
    }
    if (a.layerSizes.empty())
        return R::failure(file + ": no MusicRNN LSTM weights (\"" + prefix +
                          "cell_0/basic_lstm_cell/kernel\" is missing)");
    if (attnKernel) {
        if (attnKernel->shape.size() != 2)
            return R::failure(file + ": \"" + wrapper + "kernel\" is not a matrix");
        a.inputDepth = attnKernel->shape[1];
    }
    const WeightEntry* fc = findEntry(manifest, "fully_connected/weights");
    if (!fc || fc->shape.size() != 2)
        return R::failure(file + ": \"fully_connected/weights\" is missing or not a matrix");
    a.numClasses = fc->shape[1];
    return a;
}

int64_t chordDepth(const std::string& encoding) {
    if (encoding == "pitch") return 37;        // N.C. flag + root + pitches + bass, 12 each
    if (encoding == "major_minor") return 25;  // N.C. + 12 major + 12 minor
    if (encoding == "triad") return 49;        // N.C. + 12 x {maj, min, aug, dim}
    return 0;
}

/// A folder with only TF.js weights is a Piano Genie when its names say so (Magenta.js has no
/// config.json for Piano Genie; the tutorial's export has a cfg.json of training settings).
/// Returns false (and leaves `spec` alone) when the manifest holds no Piano Genie names.
Result<bool> pianoGenieFromManifest(const std::string& folder, ModelSpec& spec) {
    using R = Result<bool>;
    const std::string manifestFile = (fs::path(folder) / spec.weightsManifest).string();
    auto manifestText = core::readFileBytes(manifestFile, kMaxJsonBytes * 4);
    if (!manifestText) return R::failure(manifestText.errorMessage());
    auto manifest = WeightsManifest::parse(*manifestText, manifestFile);
    if (!manifest) return R::failure(manifest.errorMessage());
    const WeightEntry* tutorialInput = findEntry(*manifest, "dec.input.weight");
    const WeightEntry* officialInput =
        findEntry(*manifest, "phero_model/decoder/rnn_input/dense/kernel");
    if (!tutorialInput && !officialInput) return false;
    JsonValue arch = JsonValue::object();
    int64_t layers = 0, rnnSize = 0, inputWidth = 0;
    if (tutorialInput) {
        for (;; ++layers) {
            const WeightEntry* hh =
                findEntry(*manifest, "dec.lstm.weight_hh_l" + std::to_string(layers));
            if (!hh) break;
            if (hh->shape.size() == 2) rnnSize = hh->shape[1];
        }
        if (tutorialInput->shape.size() == 2) inputWidth = tutorialInput->shape[1];
        arch.set("layout", "tutorial");
        spec.config = "piano_genie_tutorial";
        spec.description = "Piano Genie (the PyTorch tutorial's decoder, TF.js export)";
        spec.provenance.set("source",
                            "Piano Genie tutorial TF.js export "
                            "(chrisdonahue/music-cocreation-tutorial layout)");
        spec.license.set(
            "weights",
            "see the export's origin (the tutorial's published weights: CC BY-NC-SA 4.0)");
        spec.license.set("trainingData",
                         "unknown (the tutorial trains on MAESTRO v2: CC BY-NC-SA 4.0)");
        const fs::path cfgFile = fs::path(folder) / "cfg.json";
        std::error_code ec;
        if (fs::is_regular_file(cfgFile, ec)) {
            auto text = core::readFileBytes(cfgFile.string(), kMaxJsonBytes);
            if (!text) return R::failure(text.errorMessage());
            auto cfg = JsonValue::parse(*text);
            if (!cfg || !cfg->isObject())
                return R::failure(
                    cfgFile.string() + ": " +
                    (cfg ? std::string("expected a JSON object") : cfg.errorMessage()));
            if (const JsonValue* b = cfg->find("num_buttons");
                b && (!b->isInteger() || b->asInt() != 8))
                return R::failure(cfgFile.string() +
                                  ": num_buttons must be 8 (Toccata's Piano "
                                  "Genie has 8 buttons)");
            spec.provenance.set("trainingConfig", *cfg);
        }
    } else {
        for (;; ++layers) {
            const WeightEntry* bias =
                findEntry(*manifest, "phero_model/decoder/rnn/rnn/multi_rnn_cell/cell_" +
                                         std::to_string(layers) + "/lstm_cell/bias");
            if (!bias) break;
            if (bias->shape.size() == 1) rnnSize = bias->shape[0] / 4;
        }
        if (officialInput->shape.size() == 2) inputWidth = officialInput->shape[0];
        arch.set("layout", "magentajs");
        spec.config = inputWidth == 123 ? "piano_genie" : "piano_genie_conditioned";
        spec.description = "Piano Genie (Magenta.js checkpoint)";
        spec.provenance.set("source", "Magenta.js Piano Genie checkpoint");
        spec.license.set("weights", "see the checkpoint's origin (Magenta: Apache-2.0)");
        spec.license.set("trainingData", "unknown (not recorded in Magenta.js checkpoints)");
    }
    arch.set("rnnSize", rnnSize);
    arch.set("layers", layers);
    arch.set("buttons", 8);
    arch.set("inputWidth", inputWidth);
    spec.architecture = std::move(arch);
    spec.family = "piano_genie";
    spec.codec = JsonValue::object();
    spec.codec.set("encoding", "piano_genie");
    return true;
}

}  // namespace

const std::vector<std::string>& knownModelFamilies() {
    static const std::vector<std::string> kFamilies = {
        "music_rnn",  "music_vae", "piano_genie",       "performance_rnn", "polyphony_rnn",
        "improv_rnn", "coconet",   "music_transformer", "gansynth",        "nsynth"};
    return kFamilies;
}

Result<ModelSpec> parseToccataModelJson(const std::string& text, const std::string& file) {
    auto json = JsonValue::parse(text);
    if (!json) return fail(file + ": " + json.errorMessage());
    const JsonValue& root = *json;
    if (!root.isObject()) return fail(file + ": expected a JSON object");
    if (const JsonValue* f = root.find("format");
        f && (!f->isString() || f->asString() != "toccata-model"))
        return fail(file + ": field \"format\" must be \"toccata-model\"");
    if (const JsonValue* v = root.find("formatVersion")) {
        if (!v->isInteger() || v->asInt() < 1)
            return fail(file + ": field \"formatVersion\" must be a positive integer");
        if (v->asInt() > kFormatVersion)
            return fail(file + ": formatVersion " + std::to_string(v->asInt()) +
                        " is newer than this Toccata reads (" + std::to_string(kFormatVersion) +
                        ")");
    }
    ModelSpec spec;
    spec.format = ModelSpec::Format::Toccata;
    auto str = [&](const char* key, std::string& out, bool required) -> bool {
        const JsonValue* v = root.find(key);
        if (!v) return !required;
        if (!v->isString() || (required && v->asString().empty())) return false;
        out = v->asString();
        return true;
    };
    if (!str("family", spec.family, true))
        return fail(file + ": missing or empty string field \"family\"");
    const auto& families = knownModelFamilies();
    if (std::find(families.begin(), families.end(), spec.family) == families.end())
        return fail(file + ": unknown model family \"" + spec.family + "\"");
    if (!str("id", spec.id, false) || !str("config", spec.config, false) ||
        !str("description", spec.description, false) ||
        !str("weights", spec.weightsManifest, false))
        return fail(file +
                    ": fields \"id\", \"config\", \"description\" and \"weights\" must be "
                    "strings");

    const JsonValue* arch = root.find("architecture");
    if (!arch || !arch->isObject()) return fail(file + ": missing object field \"architecture\"");
    spec.architecture = *arch;
    if (spec.family == "music_rnn") {
        auto a = parseMusicRnnArchitecture(*arch, file + ": architecture");
        if (!a) return fail(a.errorMessage());
        spec.musicRnn = std::move(a.value());
    }
    const JsonValue* codec = root.find("codec");
    JsonValue pianoGenieCodec = JsonValue::object();  // Piano Genie has no codec settings
    if (!codec && spec.family == "piano_genie") {
        pianoGenieCodec.set("encoding", "piano_genie");
        codec = &pianoGenieCodec;
    }
    if (!codec || !codec->isObject()) return fail(file + ": missing object field \"codec\"");
    const JsonValue* encoding = codec->find("encoding");
    if (!encoding || !encoding->isString() || encoding->asString().empty())
        return fail(file + ": codec: missing string field \"encoding\"");
    spec.codec = *codec;
    const JsonValue* provenance = root.find("provenance");
    if (!provenance || !provenance->isObject())
        return fail(file + ": missing object field \"provenance\"");
    spec.provenance = *provenance;
    const JsonValue* license = root.find("license");
    const JsonValue* data =
        license && license->isObject() ? license->find("trainingData") : nullptr;
    if (!data || !data->isString() || data->asString().empty())
        return fail(file +
                    ": license: missing string field \"trainingData\" (the licence of "
                    "the training data)");
    spec.license = *license;
    return spec;
}

Result<ModelSpec> parseMagentaJsFolder(const std::string& folder) {
    const std::string file = (fs::path(folder) / kMagentaJsConfigFile).string();
    auto text = core::readFileBytes(file, kMaxJsonBytes);
    if (!text) return fail(text.errorMessage());
    auto json = JsonValue::parse(*text);
    if (!json) return fail(file + ": " + json.errorMessage());
    const JsonValue& cfg = *json;
    if (!cfg.isObject()) return fail(file + ": expected a JSON object");
    const JsonValue* type = cfg.find("type");
    if (!type || !type->isString()) return fail(file + ": missing string field \"type\"");

    if (type->asString() != "MusicRNN" && type->asString() != "MusicVAE")
        return fail(file + ": field \"type\" is \"" + type->asString() +
                    "\"; Toccata opens MusicRNN and MusicVAE checkpoints");

    ModelSpec spec;
    spec.folder = folder;
    spec.format = ModelSpec::Format::MagentaJs;
    spec.id = fs::path(folder).lexically_normal().filename().string();
    if (spec.id.empty())
        spec.id = fs::path(folder).lexically_normal().parent_path().filename().string();
    spec.magentaJsConfig = cfg;
    spec.provenance = JsonValue::object();
    spec.provenance.set("source", "Magenta.js checkpoint");
    spec.license = JsonValue::object();
    spec.license.set("weights", "see the checkpoint's origin (Magenta: Apache-2.0)");
    spec.license.set("trainingData", "unknown (not recorded in Magenta.js checkpoints)");

    const JsonValue* converter = cfg.find("dataConverter");
    const JsonValue* convType =
        converter && converter->isObject() ? converter->find("type") : nullptr;
    if (!convType || !convType->isString())
        return fail(file + ": missing field \"dataConverter.type\"");
    const JsonValue* argsPtr = converter->find("args");
    const JsonValue args = argsPtr && argsPtr->isObject() ? *argsPtr : JsonValue::object();
    spec.codec = JsonValue::object();
    spec.codec.set("magentaJsConverter", convType->asString());
    spec.codec.set("stepsPerQuarter", 4);

    if (type->asString() == "MusicVAE") {
        spec.family = "music_vae";
        spec.codec.set("encoding", convType->asString());
        spec.codec.set("args", args);
        spec.architecture = JsonValue::object();
        return spec;
    }
    spec.family = "music_rnn";

    int64_t eventDepth = 0;
    const std::string& conv = convType->asString();
    if (conv == "MelodyConverter") {
        std::string error;
        int64_t minPitch = 0, maxPitch = 0;
        if (!positiveInt(args, "minPitch", minPitch, error, file + ": dataConverter.args", false) ||
            !positiveInt(args, "maxPitch", maxPitch, error, file + ": dataConverter.args"))
            return fail(error);
        if (!args.find("minPitch"))
            return fail(file + ": dataConverter.args: missing field \"minPitch\"");
        if (maxPitch < minPitch || maxPitch > 127)
            return fail(file + ": dataConverter.args: pitch range " + std::to_string(minPitch) +
                        ".." + std::to_string(maxPitch) + " is not within 0..127");
        spec.codec.set("encoding", "melody_one_hot");
        spec.codec.set("minPitch", minPitch);
        spec.codec.set("maxPitch", maxPitch);
        eventDepth = maxPitch - minPitch + 1 + 2;
        spec.config = (minPitch == 0 && maxPitch == 127) ? "mono_rnn" : "basic_rnn";
    } else if (conv == "DrumsOneHotConverter") {
        spec.codec.set("encoding", "drums_one_hot");
        if (const JsonValue* pc = args.find("pitchClasses")) spec.codec.set("pitchClasses", *pc);
        const JsonValue* pc = args.find("pitchClasses");
        eventDepth = int64_t{1} << (pc && pc->isArray() ? pc->size() : 9);
        spec.config = "drum_kit_rnn";
    } else {
        return fail(file + ": dataConverter type \"" + conv +
                    "\" is not supported for MusicRNN (MelodyConverter, DrumsOneHotConverter)");
    }

    int64_t extraDepth = 0;
    if (const JsonValue* ce = cfg.find("chordEncoder")) {
        const std::string name = ce->isString() ? ce->asString() : std::string();
        const std::string encoding = name == "PitchChordEncoder"        ? "pitch"
                                     : name == "MajorMinorChordEncoder" ? "major_minor"
                                     : name == "TriadChordEncoder"      ? "triad"
                                                                        : "";
        if (encoding.empty())
            return fail(file + ": unknown \"chordEncoder\" \"" + name +
                        "\" (PitchChordEncoder, MajorMinorChordEncoder, TriadChordEncoder)");
        spec.codec.set("chordEncoding", encoding);
        extraDepth += chordDepth(encoding);
        spec.config = encoding == "pitch" ? "chord_pitches_improv" : "improv_rnn";
    }
    if (const JsonValue* aux = cfg.find("auxInputs")) {
        if (!aux->isArray()) return fail(file + ": field \"auxInputs\" must be an array");
        for (const JsonValue& a : aux->items()) {
            const JsonValue* t = a.isObject() ? a.find("type") : nullptr;
            const JsonValue* aa = a.isObject() ? a.find("args") : nullptr;
            const JsonValue* bits = aa && aa->isObject() ? aa->find("numBits") : nullptr;
            if (!t || !t->isString() || t->asString() != "BinaryCounter" || !bits ||
                !bits->isInteger() || bits->asInt() < 1)
                return fail(file +
                            ": auxInputs: only {\"type\": \"BinaryCounter\", \"args\": "
                            "{\"numBits\": N}} is supported");
            spec.codec.set("binaryCounterBits", bits->asInt());
            extraDepth += bits->asInt();
        }
        // A melody one-hot with Magenta.js's counter is no Magenta config of its own.
        if (spec.config == "basic_rnn") spec.config = "melody_counter_rnn";
    }

    const std::string manifestFile = (fs::path(folder) / spec.weightsManifest).string();
    auto manifestText = core::readFileBytes(manifestFile, kMaxJsonBytes * 4);
    if (!manifestText) return fail(manifestText.errorMessage());
    auto manifest = WeightsManifest::parse(*manifestText, manifestFile);
    if (!manifest) return fail(manifest.errorMessage());
    auto arch = musicRnnFromManifest(*manifest, manifestFile);
    if (!arch) return fail(arch.errorMessage());
    spec.musicRnn = std::move(arch.value());

    const bool hasAttention = findEntry(*manifest, "rnn/attention_cell_wrapper/kernel") != nullptr;
    if (hasAttention) {
        std::string error;
        if (!positiveInt(cfg, "attentionLength", spec.musicRnn.attentionLength, error, file))
            return fail(error + " (the weights have attention variables)");
        if (spec.config == "basic_rnn") spec.config = "attention_rnn";
    }
    if (spec.musicRnn.numClasses != eventDepth)
        return fail(manifestFile + ": \"fully_connected/weights\" has " +
                    std::to_string(spec.musicRnn.numClasses) + " outputs but the " + conv +
                    " in config.json has " + std::to_string(eventDepth) + " classes");
    if (spec.musicRnn.inputDepth != eventDepth + extraDepth)
        return fail(manifestFile + ": the first layer takes " +
                    std::to_string(spec.musicRnn.inputDepth) + " inputs but config.json " +
                    "describes " + std::to_string(eventDepth + extraDepth) +
                    " (events, chords, aux inputs)");
    spec.architecture = JsonValue::object();
    JsonValue layers = JsonValue::array();
    for (int64_t h : spec.musicRnn.layerSizes) layers.push(h);
    spec.architecture.set("layerSizes", std::move(layers));
    spec.architecture.set("inputDepth", spec.musicRnn.inputDepth);
    spec.architecture.set("numClasses", spec.musicRnn.numClasses);
    spec.architecture.set("attentionLength", spec.musicRnn.attentionLength);
    spec.architecture.set("attentionQueryBias", false);
    return spec;
}

Result<ModelSpec> loadModelSpec(const std::string& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return fail(folder + ": model folder not found");
    const fs::path modelJson = fs::path(folder) / kModelJsonFile;
    if (fs::exists(modelJson, ec)) {
        auto text = core::readFileBytes(modelJson.string(), kMaxJsonBytes);
        if (!text) return fail(text.errorMessage());
        auto spec = parseToccataModelJson(*text, modelJson.string());
        if (!spec) return spec;
        spec->folder = folder;
        if (spec->id.empty()) spec->id = fs::path(folder).lexically_normal().filename().string();
        return spec;
    }
    if (fs::exists(fs::path(folder) / kMagentaJsConfigFile, ec))
        return parseMagentaJsFolder(folder);
    if (fs::exists(fs::path(folder) / "weights_manifest.json", ec)) {
        ModelSpec spec;
        spec.folder = folder;
        spec.format = ModelSpec::Format::MagentaJs;
        spec.id = fs::path(folder).lexically_normal().filename().string();
        if (spec.id.empty())
            spec.id = fs::path(folder).lexically_normal().parent_path().filename().string();
        spec.provenance = JsonValue::object();
        spec.license = JsonValue::object();
        auto genie = pianoGenieFromManifest(folder, spec);
        if (!genie) return fail(genie.errorMessage());
        if (*genie) return spec;
        return fail(folder +
                    ": not a model folder (no model.json or Magenta.js config.json, "
                    "and its weights_manifest.json holds no Piano Genie weights)");
    }
    return fail(folder + ": not a model folder (neither model.json nor a Magenta.js config.json)");
}

bool looksLikePianoGenieFolder(const std::string& folder) {
    std::error_code ec;
    const fs::path manifest = fs::path(folder) / "weights_manifest.json";
    if (!fs::is_regular_file(manifest, ec)) return false;
    auto text = core::readFileBytes(manifest.string(), kMaxJsonBytes * 4);
    return text && (text->find("\"dec.input.weight\"") != std::string::npos ||
                    text->find("\"phero_model/decoder/") != std::string::npos);
}

JsonValue ModelSpec::toModelJson() const {
    JsonValue out = JsonValue::object();
    out.set("format", "toccata-model");
    out.set("formatVersion", kFormatVersion);
    out.set("id", id);
    out.set("family", family);
    if (!config.empty()) out.set("config", config);
    if (!description.empty()) out.set("description", description);
    out.set("architecture", architecture);
    out.set("codec", codec);
    out.set("provenance", provenance);
    out.set("license", license);
    out.set("weights", weightsManifest);
    return out;
}

}  // namespace toccata::ml
