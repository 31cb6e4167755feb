// Parses and writes TF.js weights manifests (magentajs-checkpoints.md §1.2).
#include "ml/weights/WeightsManifest.h"

#include <cmath>

namespace toccata::ml {

using core::JsonValue;
using core::Result;

namespace {

int64_t bytesPerElement(const WeightEntry& w) {
    switch (w.storage) {
        case StorageKind::Uint8: return 1;
        case StorageKind::Uint16:
        case StorageKind::Float16: return 2;
        case StorageKind::Raw: break;
    }
    return w.dtype == "bool" ? 1 : 4;
}

Result<WeightEntry> parseEntry(const JsonValue& v, const std::string& where) {
    if (!v.isObject()) return Result<WeightEntry>::failure(where + " is not an object");
    WeightEntry w;
    const JsonValue* name = v.find("name");
    if (!name || !name->isString() || name->asString().empty())
        return Result<WeightEntry>::failure(where + ": missing or empty \"name\"");
    w.name = name->asString();
    const std::string at = where + " (\"" + w.name + "\")";

    const JsonValue* shape = v.find("shape");
    if (!shape || !shape->isArray())
        return Result<WeightEntry>::failure(at + ": missing \"shape\" array");
    for (const JsonValue& d : shape->items()) {
        if (!d.isInteger() || d.asInt() < 0)
            return Result<WeightEntry>::failure(at + ": \"shape\" holds a value that is not a " +
                                                "non-negative integer");
        w.shape.push_back(d.asInt());
    }

    const JsonValue* dtype = v.find("dtype");
    if (!dtype || !dtype->isString())
        return Result<WeightEntry>::failure(at + ": missing \"dtype\"");
    w.dtype = dtype->asString();
    if (w.dtype != "float32" && w.dtype != "int32" && w.dtype != "bool")
        return Result<WeightEntry>::failure(at + ": unsupported dtype \"" + w.dtype +
                                            "\" (float32, int32 or bool)");

    if (const JsonValue* q = v.find("quantization"); q && !q->isNull()) {
        const JsonValue* qd = q->isObject() ? q->find("dtype") : nullptr;
        if (!qd || !qd->isString())
            return Result<WeightEntry>::failure(at + ": \"quantization\" has no \"dtype\"");
        const std::string& kind = qd->asString();
        if (kind == "float16") {
            w.storage = StorageKind::Float16;
            if (w.dtype != "float32")
                return Result<WeightEntry>::failure(at + ": float16 storage needs dtype float32");
        } else if (kind == "uint8" || kind == "uint16") {
            w.storage = kind == "uint8" ? StorageKind::Uint8 : StorageKind::Uint16;
            const JsonValue* mn = q->find("min");
            const JsonValue* sc = q->find("scale");
            if (!mn || !mn->isNumber() || !sc || !sc->isNumber())
                return Result<WeightEntry>::failure(at + ": " + kind +
                                                    " quantization needs numeric \"min\" and "
                                                    "\"scale\"");
            w.quantMin = mn->asNumber();
            w.quantScale = sc->asNumber();
            if (w.dtype == "bool")
                return Result<WeightEntry>::failure(at + ": bool weights cannot be quantized");
        } else {
            return Result<WeightEntry>::failure(at + ": unknown quantization dtype \"" + kind +
                                                "\" (uint8, uint16 or float16)");
        }
    }
    return w;
}

}  // namespace

int64_t WeightEntry::numElements() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

int64_t WeightEntry::storedBytes() const { return numElements() * bytesPerElement(*this); }

const char* storageKindName(StorageKind kind) {
    switch (kind) {
        case StorageKind::Raw: return "raw";
        case StorageKind::Uint8: return "uint8";
        case StorageKind::Uint16: return "uint16";
        case StorageKind::Float16: return "float16";
    }
    return "?";
}

Result<WeightsManifest> WeightsManifest::parse(const std::string& text,
                                               const std::string& fileForErrors) {
    auto json = JsonValue::parse(text);
    if (!json) return Result<WeightsManifest>::failure(fileForErrors + ": " + json.errorMessage());
    if (!json->isArray())
        return Result<WeightsManifest>::failure(fileForErrors +
                                                ": expected an array of weight groups");
    WeightsManifest manifest;
    int groupIndex = 0;
    for (const JsonValue& g : json->items()) {
        const std::string where = fileForErrors + ": group " + std::to_string(groupIndex++);
        if (!g.isObject()) return Result<WeightsManifest>::failure(where + " is not an object");
        WeightGroup group;
        const JsonValue* paths = g.find("paths");
        if (!paths || !paths->isArray())
            return Result<WeightsManifest>::failure(where + ": missing \"paths\" array");
        for (const JsonValue& p : paths->items()) {
            if (!p.isString() || p.asString().empty())
                return Result<WeightsManifest>::failure(where + ": \"paths\" holds a non-string");
            group.paths.push_back(p.asString());
        }
        const JsonValue* weights = g.find("weights");
        if (!weights || !weights->isArray())
            return Result<WeightsManifest>::failure(where + ": missing \"weights\" array");
        int weightIndex = 0;
        for (const JsonValue& w : weights->items()) {
            auto entry = parseEntry(w, where + ", weight " + std::to_string(weightIndex++));
            if (!entry) return Result<WeightsManifest>::failure(entry.errorMessage());
            group.weights.push_back(std::move(entry.value()));
        }
        if (group.paths.empty() && !group.weights.empty())
            return Result<WeightsManifest>::failure(where + ": weights listed but no shard paths");
        manifest.groups.push_back(std::move(group));
    }
    return manifest;
}

JsonValue WeightsManifest::toJson() const {
    JsonValue out = JsonValue::array();
    for (const WeightGroup& g : groups) {
        JsonValue group = JsonValue::object();
        JsonValue paths = JsonValue::array();
        for (const std::string& p : g.paths) paths.push(p);
        group.set("paths", std::move(paths));
        JsonValue weights = JsonValue::array();
        for (const WeightEntry& w : g.weights) {
            JsonValue e = JsonValue::object();
            e.set("name", w.name);
            JsonValue shape = JsonValue::array();
            for (int64_t d : w.shape) shape.push(d);
            e.set("shape", std::move(shape));
            e.set("dtype", w.dtype);
            if (w.storage != StorageKind::Raw) {
                JsonValue q = JsonValue::object();
                if (w.storage != StorageKind::Float16) {
                    q.set("min", w.quantMin);
                    q.set("scale", w.quantScale);
                }
                q.set("dtype", storageKindName(w.storage));
                e.set("quantization", std::move(q));
            }
            weights.push(std::move(e));
        }
        group.set("weights", std::move(weights));
        out.push(std::move(group));
    }
    return out;
}

}  // namespace toccata::ml
