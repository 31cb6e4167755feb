// Magenta's --hparams text ("batch_size=64,rnn_layer_sizes=[128,128]"): splitting, the value
// parsers, and setters that every family's hparams use. Errors name the key and the text.
// [any]
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"

namespace toccata::ml::hparams {

std::string trim(std::string s);
core::Result<double> parseNumber(const std::string& key, const std::string& text);
core::Result<int64_t> parseInteger(const std::string& key, const std::string& text);
/// "[128,128]" -> {128, 128}.
core::Result<std::vector<int64_t>> parseIntegerList(const std::string& key,
                                                    const std::string& text);
/// Splits on commas outside brackets.
std::vector<std::string> splitOverrides(const std::string& text);
/// "key=value" parts of `text` (trimmed, empty parts skipped); an error for a part with no '='.
core::Result<std::vector<std::pair<std::string, std::string>>> keyValues(const std::string& text);

/// Parses one value into its field: (key, text) -> ok or what is wrong.
using Setter = std::function<core::Status(const std::string&, const std::string&)>;

/// A whole number >= min into `field` (any integer type).
template <typename T>
Setter integer(T& field, int64_t min) {
    return [&field, min](const std::string& k, const std::string& v) -> core::Status {
        auto n = parseInteger(k, v);
        if (!n) return n.error();
        if (*n < min)
            return core::Status::failure(k + "=" + v + ": must be at least " + std::to_string(min));
        field = static_cast<T>(*n);
        return {};
    };
}
/// A number in [min, max].
Setter real(double& field, double min, double max);
/// A list of 1..maxCount sizes, each 1..8192.
Setter sizes(std::vector<int64_t>& field, size_t maxCount);

/// Applies `text` through `setters`; an unknown key lists the known ones. Every error starts
/// with "hparams: ".
core::Status apply(const std::string& text, const std::map<std::string, Setter>& setters);
/// An hparams JSON object back as override text ("k=v,..."), for fromJson.
core::Result<std::string> overridesFromJson(const core::JsonValue& json);

/// The training-loop fields every family's hparams have (the members loopSettingsFor reads:
/// evalEvery, checkpointEvery, checkpointMinutes, keepCheckpoints, earlyStoppingPatience,
/// logEvery, seed): their setters, one set of names and bounds for every family.
template <typename H>
void addLoopSetters(std::map<std::string, Setter>& setters, H& h) {
    setters.emplace("eval_every", integer(h.evalEvery, 0));
    setters.emplace("checkpoint_every", integer(h.checkpointEvery, 1));
    setters.emplace("checkpoint_minutes", real(h.checkpointMinutes, 0.0, 1e6));
    setters.emplace("keep_checkpoints", integer(h.keepCheckpoints, 1));
    setters.emplace("early_stopping_patience", integer(h.earlyStoppingPatience, 0));
    setters.emplace("log_every", integer(h.logEvery, 1));
    setters.emplace("seed", integer(h.seed, 0));
}

/// Writes those loop fields into a family's hparams JSON.
template <typename H>
void setLoopJson(core::JsonValue& o, const H& h) {
    o.set("eval_every", h.evalEvery);
    o.set("checkpoint_every", h.checkpointEvery);
    o.set("checkpoint_minutes", h.checkpointMinutes);
    o.set("keep_checkpoints", h.keepCheckpoints);
    o.set("early_stopping_patience", h.earlyStoppingPatience);
    o.set("log_every", h.logEvery);
    o.set("seed", static_cast<int64_t>(h.seed));
}

/// A family's hparams from a checkpoint's JSON: `defaults` with the JSON applied through
/// H::apply (so the same names, bounds and validation as --hparams).
template <typename H>
core::Result<H> fromJson(const core::JsonValue& json, const H& defaults) {
    auto overrides = overridesFromJson(json);
    if (!overrides) return overrides.error();
    H h = defaults;
    if (core::Status s = h.apply(*overrides); !s) return s.error();
    return h;
}

}  // namespace toccata::ml::hparams
