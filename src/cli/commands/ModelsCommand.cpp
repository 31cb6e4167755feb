// toccata-cli models: list the models Toccata can find, describe one, export one as a Toccata
// model folder or as a Magenta.js checkpoint folder.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/ModelArgs.h"
#include "core/Json.h"
#include "ml/models/music_rnn/MusicRnnGenerator.h"
#include "ml/models/music_vae/MusicVaeGenerator.h"
#include "ml/models/performance_rnn/PerformanceRnnGenerator.h"
#include "ml/models/piano_genie/PianoGenie.h"

namespace toccata::cli {
namespace {

constexpr const char* kName = "models";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }

int runModels(const std::vector<std::string>& args);

}  // namespace

extern const Command kModelsCommand = {
    kName,
    "list, describe and export models (Toccata and Magenta.js folders)",
    R"(usage: toccata-cli models list [--models-dir DIRS] [--json]
       toccata-cli models info --model DIR|ID [--models-dir DIRS] [--json]
       toccata-cli models export --model DIR|ID --out DIR [--format toccata|magentajs]
                                 [--quantize none|uint8|uint16|float16] [--force]

list    every model folder found: the shipped models, the user's models folder
        ($XDG_DATA_HOME/toccata/models), $TOCCATA_MODELS_PATH and --models-dir (':'-separated),
        with id, family, config and where it came from; broken folders with the reason
info    one model: family, config, architecture, codec, provenance and licence
export  writes the model into DIR (created if needed) as a Toccata model folder (model.json +
        TF.js weights) or as a Magenta.js checkpoint folder (config.json + TF.js weights) that
        Magenta.js's MusicRNN loads; --quantize stores the weights as uint8/uint16 (as
        Magenta's _q1/_q2 checkpoints) or float16; --force replaces a model already in DIR

exit codes: 0 ok, 1 export not possible (e.g. a codec Magenta.js cannot run), 2 bad arguments,
            3 unreadable model files, 4 DIR not writable, 5 model not found
)",
    runModels,
};

namespace {

std::string provenanceLine(const ml::ModelSpec& spec) {
    const core::JsonValue* corpus = spec.provenance.find("corpus");
    const core::JsonValue* source = spec.provenance.find("source");
    if (corpus && corpus->isString()) return corpus->asString();
    if (source && source->isString()) return source->asString();
    return "-";
}

core::JsonValue entryJson(const ml::CatalogEntry& e) {
    core::JsonValue item = core::JsonValue::object();
    item.set("folder", e.folder);
    item.set("origin", e.origin);
    item.set("ok", e.ok);
    if (!e.ok) {
        item.set("error", e.error);
        return item;
    }
    item.set("id", e.spec.id);
    item.set("family", e.spec.family);
    item.set("config", e.spec.config);
    item.set("format", e.spec.format == ml::ModelSpec::Format::MagentaJs ? "magentajs" : "toccata");
    item.set("description", e.spec.description);
    item.set("provenance", e.spec.provenance);
    return item;
}

int runList(ArgParser& parser) {
    const ml::ModelCatalog catalog = catalogFor(parser);
    const std::vector<ml::CatalogEntry> entries = catalog.scan();
    if (parser.has("--json")) {
        core::JsonValue list = core::JsonValue::array();
        for (const ml::CatalogEntry& e : entries) list.push(entryJson(e));
        core::JsonValue roots = core::JsonValue::array();
        for (const ml::ModelRoot& r : catalog.roots()) roots.push(r.folder);
        core::JsonValue root = core::JsonValue::object();
        root.set("roots", std::move(roots));
        root.set("models", std::move(list));
        std::cout << root.dump(2) << '\n';
        return kExitOk;
    }
    if (entries.empty()) {
        std::cout << "No models found. Searched:\n";
        for (const ml::ModelRoot& r : catalog.roots())
            std::cout << "  " << r.folder << " (" << r.origin << ")\n";
        std::cout << "Add a folder with --models-dir, or put models into "
                  << ml::ModelCatalog::userModelsFolder() << '\n';
        return kExitOk;
    }
    // Columns as wide as their longest entry (plus two spaces), so long ids never run on.
    size_t idWidth = 2, familyWidth = 6, configWidth = 6, originWidth = 6;
    for (const ml::CatalogEntry& e : entries) {
        if (!e.ok) continue;
        idWidth = std::max(idWidth, e.spec.id.size());
        familyWidth = std::max(familyWidth, e.spec.family.size());
        configWidth = std::max(configWidth, e.spec.config.size());
        originWidth = std::max(originWidth, e.origin.size());
    }
    const auto w = [](size_t width) { return std::setw(static_cast<int>(width + 2)); };
    const size_t indent = idWidth + familyWidth + configWidth + originWidth + 8;
    std::cout << std::left << w(idWidth) << "id" << w(familyWidth) << "family" << w(configWidth)
              << "config" << w(originWidth) << "origin"
              << "trained on / folder\n";
    for (const ml::CatalogEntry& e : entries) {
        if (!e.ok) {
            std::cout << "(broken) " << e.folder << ": " << e.error << '\n';
            continue;
        }
        std::cout << std::left << w(idWidth) << e.spec.id << w(familyWidth) << e.spec.family
                  << w(configWidth) << e.spec.config << w(originWidth) << e.origin
                  << provenanceLine(e.spec) << "\n"
                  << std::setw(static_cast<int>(indent)) << "" << e.folder << '\n';
    }
    return kExitOk;
}

int runInfo(ArgParser& parser) {
    if (!parser.has("--model")) return usageError(kName, "info needs --model DIR|ID");
    ModelLookup lookup = resolveModel(kName, parser);
    if (lookup.exitCode != kExitOk) return lookup.exitCode;
    const ml::ModelSpec& spec = lookup.spec;
    core::JsonValue json = spec.toModelJson();
    json.set("folder", spec.folder);
    json.set("sourceFormat",
             spec.format == ml::ModelSpec::Format::MagentaJs ? "magentajs" : "toccata");
    if (spec.family == "music_rnn") {
        auto model = ml::MusicRnnGenerator::load(spec);
        if (!model) return fail(kExitInputError, model.errorMessage());
        json.set("codecResolved", (*model)->codec().toCodecJson());
    } else if (spec.family == "performance_rnn") {
        auto model = ml::PerformanceRnnGenerator::load(spec);
        if (!model) return fail(kExitInputError, model.errorMessage());
        json.set("codecResolved", (*model)->config().toCodecJson());
    } else if (spec.family == "piano_genie") {  // the weights must run (e.g. not conditioned)
        auto model = ml::PianoGenieModel::load(spec.folder);
        if (!model) return fail(kExitInputError, model.errorMessage());
    }
    if (parser.has("--json")) {
        std::cout << json.dump(2) << '\n';
        return kExitOk;
    }
    std::cout << "id:          " << spec.id << "\nfamily:      " << spec.family
              << "\nconfig:      " << spec.config << "\nfolder:      " << spec.folder
              << "\nformat:      "
              << (spec.format == ml::ModelSpec::Format::MagentaJs ? "Magenta.js checkpoint"
                                                                  : "Toccata model")
              << "\ndescription: " << spec.description << "\narchitecture "
              << spec.architecture.dump() << "\ncodec        " << spec.codec.dump()
              << "\nprovenance   " << spec.provenance.dump() << "\nlicense      "
              << spec.license.dump() << '\n';
    return kExitOk;
}

int runExport(ArgParser& parser) {
    if (!parser.has("--model")) return usageError(kName, "export needs --model DIR|ID");
    const auto out = parser.value("--out");
    if (!out) return usageError(kName, "export needs --out DIR");
    ml::ModelExportOptions options;
    const std::string format = parser.valueOr("--format", "toccata");
    if (format == "magentajs")
        options.format = ml::ModelFolderFormat::kMagentaJs;
    else if (format != "toccata")
        return usageError(kName, "--format must be toccata or magentajs, not '" + format + "'");
    const std::string quantize = parser.valueOr("--quantize", "none");
    if (quantize == "uint8")
        options.storage = ml::StorageKind::Uint8;
    else if (quantize == "uint16")
        options.storage = ml::StorageKind::Uint16;
    else if (quantize == "float16")
        options.storage = ml::StorageKind::Float16;
    else if (quantize != "none")
        return usageError(kName, "--quantize must be none, uint8, uint16 or float16");
    options.overwrite = parser.has("--force");
    ModelLookup lookup = resolveModel(kName, parser);
    if (lookup.exitCode != kExitOk) return lookup.exitCode;
    core::Status exported;
    if (lookup.spec.family == "music_rnn") {
        auto model = ml::MusicRnnGenerator::load(lookup.spec);
        if (!model) return fail(kExitInputError, model.errorMessage());
        exported = (*model)->exportTo(*out, options);
    } else if (lookup.spec.family == "music_vae") {
        auto model = ml::MusicVaeGenerator::load(lookup.spec);
        if (!model) return fail(kExitInputError, model.errorMessage());
        exported = (*model)->exportTo(*out, options);
    } else if (lookup.spec.family == "performance_rnn") {
        auto model = ml::PerformanceRnnGenerator::load(lookup.spec);
        if (!model) return fail(kExitInputError, model.errorMessage());
        exported = (*model)->exportTo(*out, options);
    } else {
        return fail(kExitFailure, lookup.spec.folder + ": exporting " + lookup.spec.family +
                                      " models is not supported yet (music_rnn, music_vae, "
                                      "performance_rnn)");
    }
    if (core::Status s = exported; !s) {
        const bool notRunnable = s.errorMessage().find("Magenta.js") != std::string::npos ||
                                 s.errorMessage().find("already holds") != std::string::npos;
        return fail(notRunnable ? kExitFailure : kExitOutputError, s.errorMessage());
    }
    std::cout << "Exported " << lookup.spec.id << " to " << *out << " ("
              << (options.format == ml::ModelFolderFormat::kMagentaJs ? "Magenta.js checkpoint"
                                                                      : "Toccata model")
              << ", weights " << quantize << ")\n";
    return kExitOk;
}

int runModels(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cerr << kModelsCommand.help;
        return kExitUsage;
    }
    const std::string verb = args.front();
    if (verb == "--help" || verb == "-h") {
        std::cout << kModelsCommand.help;
        return kExitOk;
    }
    ArgParser parser({"--model", "--models-dir", "--out", "--format", "--quantize"},
                     {"--json", "--force"});
    int exitCode = kExitOk;
    if (!parseArgs(kModelsCommand, parser, std::vector<std::string>(args.begin() + 1, args.end()),
                   exitCode))
        return exitCode;
    if (verb == "list") return runList(parser);
    if (verb == "info") return runInfo(parser);
    if (verb == "export") return runExport(parser);
    return usageError(kName, "unknown action '" + verb + "' (list, info, export)");
}

}  // namespace
}  // namespace toccata::cli
