#include "cli/ArgParser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace toccata::cli {

ArgParser::ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags)
    : m_valueOptions(std::move(valueOptions)), m_flags(std::move(flags)) {}

bool ArgParser::parse(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            m_help = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            m_positional.push_back(arg);
            continue;
        }
        std::string name = arg;
        std::string inlineValue;
        bool hasInlineValue = false;
        if (const size_t eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            inlineValue = arg.substr(eq + 1);
            hasInlineValue = true;
        }
        if (m_flags.count(name) != 0) {
            if (hasInlineValue) {
                m_error = "option " + name + " takes no value";
                return false;
            }
            m_seenFlags.insert(name);
        } else if (m_valueOptions.count(name) != 0) {
            if (hasInlineValue) {
                m_values[name] = inlineValue;
            } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
                // "--in --out x" is a missing value, not an input named "--out"; a value
                // that starts with "--" can still be given as --in=--name.
                m_values[name] = args[++i];
            } else {
                m_error = "option " + name + " needs a value";
                return false;
            }
        } else {
            m_error = "unknown option " + name;
            return false;
        }
    }
    return true;
}

bool ArgParser::has(const std::string& name) const {
    return m_seenFlags.count(name) != 0 || m_values.count(name) != 0;
}

std::optional<std::string> ArgParser::value(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::string ArgParser::valueOr(const std::string& name, const std::string& fallback) const {
    return value(name).value_or(fallback);
}

std::optional<long long> ArgParser::intValue(const std::string& name, long long min,
                                             long long max) {
    const auto text = value(name);
    if (!text) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || errno == ERANGE || v < min || v > max) {
        m_error = name + " must be a whole number from " + std::to_string(min) + " to " +
                  std::to_string(max) + ", got '" + *text + "'";
        return std::nullopt;
    }
    return v;
}

std::optional<double> ArgParser::doubleValue(const std::string& name, double min, double max) {
    const auto text = value(name);
    if (!text) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text->c_str(), &end);
    if (text->empty() || *end != '\0' || !std::isfinite(v) || v < min || v > max) {
        m_error = name + " must be a number from " + std::to_string(min) + " to " +
                  std::to_string(max) + ", got '" + *text + "'";
        return std::nullopt;
    }
    return v;
}

}  // namespace toccata::cli
