#include "ml/training/RnnHParams.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

namespace toccata::ml {

namespace {

std::string trim(std::string s) {
    const auto notSpace = [](unsigned char c) { return std::isspace(c) == 0; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

core::Result<double> parseNumber(const std::string& key, const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
        return core::Error{key + "=" + text + ": not a number"};
    return v;
}

core::Result<int64_t> parseInteger(const std::string& key, const std::string& text) {
    auto v = parseNumber(key, text);
    if (!v) return v.error();
    if (std::floor(*v) != *v || std::fabs(*v) > 9e15)
        return core::Error{key + "=" + text + ": not a whole number"};
    return static_cast<int64_t>(*v);
}

core::Result<std::vector<int64_t>> parseIntegerList(const std::string& key,
                                                    const std::string& text) {
    std::string body = trim(text);
    if (body.size() < 2 || body.front() != '[' || body.back() != ']')
        return core::Error{key + "=" + text + ": expected a list like [128,128]"};
    body = body.substr(1, body.size() - 2);
    std::vector<int64_t> out;
    size_t start = 0;
    while (start <= body.size()) {
        const size_t comma = body.find(',', start);
        const std::string item =
            trim(body.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!item.empty()) {
            auto v = parseInteger(key, item);
            if (!v) return v.error();
            out.push_back(*v);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

/// Splits on commas outside brackets.
std::vector<std::string> splitOverrides(const std::string& text) {
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    for (char c : text) {
        if (c == '[') ++depth;
        if (c == ']') --depth;
        if (c == ',' && depth == 0) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.push_back(current);
    return parts;
}

}  // namespace

RnnHParams RnnHParams::defaultsFor(const std::string& configId) {
    RnnHParams h;
    if (configId == "attention_rnn") {
        h.attnLength = 40;
        h.clipNorm = 3.0;
    } else if (configId == "drum_kit") {
        h.layerSizes = {256, 256, 256};
        h.attnLength = 32;
        h.clipNorm = 3.0;
    } else if (configId == "basic_rnn" || configId == "lookback_rnn" || configId == "mono_rnn" ||
               configId == "one_drum") {
        h.clipNorm = 5.0;
    }
    return h;
}

core::Status RnnHParams::apply(const std::string& overrides) {
    using Setter = std::function<core::Status(const std::string&, const std::string&)>;
    auto integer = [](auto& field, int64_t min) {
        return Setter([&field, min](const std::string& k, const std::string& v) -> core::Status {
            auto n = parseInteger(k, v);
            if (!n) return n.error();
            if (*n < min)
                return core::Status::failure(k + "=" + v + ": must be at least " +
                                             std::to_string(min));
            field = static_cast<std::remove_reference_t<decltype(field)>>(*n);
            return {};
        });
    };
    auto real = [](double& field, double min, double max) {
        return Setter([&field, min, max](const std::string& k, const std::string& v) -> core::Status {
            auto n = parseNumber(k, v);
            if (!n) return n.error();
            if (*n < min || *n > max)
                return core::Status::failure(k + "=" + v + ": must be between " +
                                             std::to_string(min) + " and " + std::to_string(max));
            field = *n;
            return {};
        });
    };
    const std::map<std::string, Setter> setters = {
        {"rnn_layer_sizes",
         [this](const std::string& k, const std::string& v) -> core::Status {
             auto list = parseIntegerList(k, v);
             if (!list) return list.error();
             if (list->empty() || std::any_of(list->begin(), list->end(),
                                              [](int64_t n) { return n < 1 || n > 8192; }))
                 return core::Status::failure(k + "=" + v +
                                              ": needs one to eight sizes between 1 and 8192");
             layerSizes = *list;
             return {};
         }},
        {"attn_length", integer(attnLength, 0)},
        {"batch_size", integer(batchSize, 1)},
        {"dropout_keep_prob", real(dropoutKeepProb, 0.01, 1.0)},
        {"clip_norm", real(clipNorm, 0.0, 1e9)},
        {"learning_rate", real(learningRate, 1e-9, 10.0)},
        {"decay_rate", real(decayRate, 0.01, 1.0)},
        {"decay_steps", integer(decaySteps, 1)},
        {"min_learning_rate", real(minLearningRate, 0.0, 10.0)},
        {"max_steps", integer(maxSteps, 2)},
        {"eval_every", integer(evalEvery, 0)},
        {"checkpoint_every", integer(checkpointEvery, 1)},
        {"checkpoint_minutes", real(checkpointMinutes, 0.0, 1e6)},
        {"keep_checkpoints", integer(keepCheckpoints, 1)},
        {"early_stopping_patience", integer(earlyStoppingPatience, 0)},
        {"log_every", integer(logEvery, 1)},
        {"seed", integer(seed, 0)},
    };
    for (const std::string& raw : splitOverrides(overrides)) {
        const std::string part = trim(raw);
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        if (eq == std::string::npos)
            return core::Status::failure("hparams: \"" + part + "\" is not key=value");
        const std::string key = trim(part.substr(0, eq));
        const std::string value = trim(part.substr(eq + 1));
        const auto it = setters.find(key);
        if (it == setters.end()) {
            std::string known;
            for (const auto& entry : setters) known += (known.empty() ? "" : ", ") + entry.first;
            return core::Status::failure("hparams: unknown hparam '" + key + "' (known: " +
                                         known + ")");
        }
        if (core::Status s = it->second(key, value); !s)
            return core::Status::failure("hparams: " + s.errorMessage());
    }
    return validate();
}

core::Status RnnHParams::validate() const {
    if (layerSizes.empty()) return core::Status::failure("hparams: rnn_layer_sizes is empty");
    if (attnLength == 1)
        return core::Status::failure("hparams: attn_length must be 0 (off) or at least 2");
    if (batchSize < 1) return core::Status::failure("hparams: batch_size must be at least 1");
    return {};
}

core::JsonValue RnnHParams::toJson() const {
    core::JsonValue o = core::JsonValue::object();
    core::JsonValue sizes = core::JsonValue::array();
    for (int64_t s : layerSizes) sizes.push(s);
    o.set("rnn_layer_sizes", sizes);
    o.set("attn_length", attnLength);
    o.set("batch_size", batchSize);
    o.set("dropout_keep_prob", dropoutKeepProb);
    o.set("clip_norm", clipNorm);
    o.set("learning_rate", learningRate);
    o.set("decay_rate", decayRate);
    o.set("decay_steps", decaySteps);
    o.set("min_learning_rate", minLearningRate);
    o.set("max_steps", maxSteps);
    o.set("eval_every", evalEvery);
    o.set("checkpoint_every", checkpointEvery);
    o.set("checkpoint_minutes", checkpointMinutes);
    o.set("keep_checkpoints", keepCheckpoints);
    o.set("early_stopping_patience", earlyStoppingPatience);
    o.set("log_every", logEvery);
    o.set("seed", static_cast<int64_t>(seed));
    return o;
}

core::Result<RnnHParams> RnnHParams::fromJson(const core::JsonValue& json,
                                              const RnnHParams& defaults) {
    if (!json.isObject()) return core::Error{"hparams: expected an object"};
    std::string overrides;
    for (const auto& [key, value] : json.members()) {
        if (!overrides.empty()) overrides += ",";
        overrides += key + "=" + value.dump();
    }
    RnnHParams h = defaults;
    if (core::Status s = h.apply(overrides); !s) return s.error();
    return h;
}

double RnnHParams::learningRateAt(int64_t step) const {
    const double decayed =
        learningRate * std::pow(decayRate, static_cast<double>(step) / static_cast<double>(decaySteps));
    return std::max(decayed, std::min(minLearningRate, learningRate));
}

}  // namespace toccata::ml
