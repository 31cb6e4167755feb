#include "ml/models/performance_rnn/PerformanceRnnConfig.h"

#include <algorithm>
#include <cmath>

namespace toccata::ml {
namespace {

using core::JsonValue;

constexpr const char* kEncoding = "performance_one_hot";

}  // namespace

const std::vector<std::string>& PerformanceRnnConfig::names() {
    static const std::vector<std::string> kNames = {
        "performance",
        "performance_with_dynamics",
        "density_conditioned_performance_with_dynamics",
        "pitch_conditioned_performance_with_dynamics",
        "multiconditioned_performance_with_dynamics",
        "optional_multiconditioned_performance_with_dynamics"};
    return kNames;
}

core::Result<PerformanceRnnConfig> PerformanceRnnConfig::named(const std::string& id) {
    const auto& all = names();
    if (std::find(all.begin(), all.end(), id) == all.end()) {
        std::string known;
        for (const std::string& n : all) known += (known.empty() ? "" : ", ") + n;
        return core::Error{"unknown Performance RNN config \"" + id + "\" (known: " + known + ")"};
    }
    PerformanceRnnConfig c;
    c.id = id;
    if (id == "performance") c.numVelocityBins = 0;
    c.controls.noteDensity = id.find("density_conditioned") == 0 || id.find("multi") != id.npos;
    c.controls.pitchHistogram = id.find("pitch_conditioned") == 0 || id.find("multi") != id.npos;
    c.controls.optional = id.find("optional_") == 0;
    return c;
}

core::Result<PerformanceRnnConfig> PerformanceRnnConfig::fromCodecJson(const JsonValue& codec,
                                                                       const std::string& source) {
    using R = core::Result<PerformanceRnnConfig>;
    const std::string where = source + ": codec: ";
    if (!codec.isObject()) return R::failure(where + "expected an object");
    const JsonValue* encoding = codec.find("encoding");
    if (!encoding || !encoding->isString() || encoding->asString() != kEncoding)
        return R::failure(where + "\"encoding\" must be \"" + kEncoding + "\" for performance_rnn");
    const JsonValue* config = codec.find("config");
    if (!config || !config->isString())
        return R::failure(where + "missing string field \"config\" (e.g. \"performance_with_" +
                          "dynamics\")");
    auto named = PerformanceRnnConfig::named(config->asString());
    if (!named) return R::failure(where + named.errorMessage());
    PerformanceRnnConfig c = *named;
    // Explicit keys must describe the same network input as the named config.
    auto checkInt = [&](const char* key, int want) -> core::Status {
        const JsonValue* v = codec.find(key);
        if (!v) return {};
        if (!v->isInteger() || v->asInt() != want)
            return core::Status::failure(where + "\"" + key + "\" is " + v->dump() + " but " +
                                         c.id + " has " + std::to_string(want));
        return {};
    };
    auto checkBool = [&](const char* key, bool want) -> core::Status {
        const JsonValue* v = codec.find(key);
        if (!v) return {};
        if (!v->isBool() || v->asBool() != want)
            return core::Status::failure(where + "\"" + key + "\" is " + v->dump() + " but " +
                                         c.id + " has " + (want ? "true" : "false"));
        return {};
    };
    for (const core::Status& s : {checkInt("stepsPerSecond", c.stepsPerSecond),
                                  checkInt("numVelocityBins", c.numVelocityBins),
                                  checkInt("maxShiftSteps", c.maxShiftSteps),
                                  checkBool("noteDensity", c.controls.noteDensity),
                                  checkBool("pitchHistogram", c.controls.pitchHistogram),
                                  checkBool("optionalConditioning", c.controls.optional)})
        if (!s) return s.error();
    if (const JsonValue* edges = codec.find("densityBinEdges")) {
        std::vector<double> values;
        if (edges->isArray())
            for (const JsonValue& e : edges->items())
                if (e.isNumber() && std::isfinite(e.asNumber())) values.push_back(e.asNumber());
        if (!edges->isArray() || values.size() != edges->items().size() || values.empty() ||
            !std::is_sorted(values.begin(), values.end()))
            return R::failure(where + "\"densityBinEdges\" must be a rising list of numbers, got " +
                              edges->dump());
        c.controls.densityBinEdges = std::move(values);
    }
    return c;
}

JsonValue PerformanceRnnConfig::toCodecJson() const {
    JsonValue o = JsonValue::object();
    o.set("encoding", kEncoding);
    o.set("config", id);
    o.set("stepsPerSecond", stepsPerSecond);
    o.set("numVelocityBins", numVelocityBins);
    o.set("maxShiftSteps", maxShiftSteps);
    o.set("noteDensity", controls.noteDensity);
    o.set("pitchHistogram", controls.pitchHistogram);
    o.set("optionalConditioning", controls.optional);
    if (controls.noteDensity) {
        JsonValue edges = JsonValue::array();
        for (double e : controls.densityBinEdges) edges.push(e);
        o.set("densityBinEdges", edges);
        o.set("densityWindowSeconds", controls.densityWindowSeconds);
    }
    if (controls.pitchHistogram) o.set("histogramWindowSeconds", controls.histogramWindowSeconds);
    o.set("classes", numClasses());
    o.set("controlDepth", controlDepth());
    return o;
}

PerformanceOneHotEncoding PerformanceRnnConfig::encoding() const {
    auto made = PerformanceOneHotEncoding::create(numVelocityBins, maxShiftSteps);
    // The named configs' values are always valid; fall back to the standard layout anyway.
    return made ? *made : PerformanceOneHotEncoding::standard(numVelocityBins > 0);
}

std::shared_ptr<const OneHotEventSequenceEncoder<PerformanceEvent>>
PerformanceRnnConfig::eventEncoder() const {
    return std::make_shared<const OneHotEventSequenceEncoder<PerformanceEvent>>(
        std::make_shared<const PerformanceOneHotEncoding>(encoding()));
}

int PerformanceRnnConfig::numClasses() const { return encoding().numClasses(); }

PerformanceOptions PerformanceRnnConfig::performanceOptions() const {
    PerformanceOptions o;
    o.stepsPerSecond = stepsPerSecond;
    o.numVelocityBins = numVelocityBins;
    o.maxShiftSteps = maxShiftSteps;
    o.applySustain = true;
    o.includeDrums = false;
    return o;
}

}  // namespace toccata::ml
