#include "ml/training/HParamText.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace toccata::ml::hparams {

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
        const std::string item = trim(
            body.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
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

core::Result<std::vector<std::pair<std::string, std::string>>> keyValues(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& raw : splitOverrides(text)) {
        const std::string part = trim(raw);
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        if (eq == std::string::npos)
            return core::Error{"hparams: \"" + part + "\" is not key=value"};
        out.emplace_back(trim(part.substr(0, eq)), trim(part.substr(eq + 1)));
    }
    return out;
}

Setter real(double& field, double min, double max) {
    return [&field, min, max](const std::string& k, const std::string& v) -> core::Status {
        auto n = parseNumber(k, v);
        if (!n) return n.error();
        if (*n < min || *n > max)
            return core::Status::failure(k + "=" + v + ": must be between " + std::to_string(min) +
                                         " and " + std::to_string(max));
        field = *n;
        return {};
    };
}

Setter sizes(std::vector<int64_t>& field, size_t maxCount) {
    return [&field, maxCount](const std::string& k, const std::string& v) -> core::Status {
        auto list = parseIntegerList(k, v);
        if (!list) return list.error();
        if (list->empty() || list->size() > maxCount ||
            std::any_of(list->begin(), list->end(), [](int64_t n) { return n < 1 || n > 8192; }))
            return core::Status::failure(k + "=" + v + ": needs one to " +
                                         std::to_string(maxCount) + " sizes between 1 and 8192");
        field = *list;
        return {};
    };
}

core::Status apply(const std::string& text, const std::map<std::string, Setter>& setters) {
    auto parts = keyValues(text);
    if (!parts) return parts.error();
    for (const auto& [key, value] : *parts) {
        const auto it = setters.find(key);
        if (it == setters.end()) {
            std::string known;
            for (const auto& entry : setters) known += (known.empty() ? "" : ", ") + entry.first;
            return core::Status::failure("hparams: unknown hparam '" + key + "' (known: " + known +
                                         ")");
        }
        if (core::Status s = it->second(key, value); !s)
            return core::Status::failure("hparams: " + s.errorMessage());
    }
    return {};
}

core::Result<std::string> overridesFromJson(const core::JsonValue& json) {
    if (!json.isObject()) return core::Error{"hparams: expected an object"};
    std::string overrides;
    for (const auto& [key, value] : json.members()) {
        if (!overrides.empty()) overrides += ",";
        // Strings (e.g. a schedule name) go in bare, as on the command line.
        overrides += key + "=" + (value.isString() ? value.asString() : value.dump());
    }
    return overrides;
}

}  // namespace toccata::ml::hparams
