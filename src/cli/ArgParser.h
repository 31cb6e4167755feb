// A small, strict option parser for toccata-cli: `--name value`, `--name=value` and flags.
// Unknown options and missing values are errors that name the option.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace toccata::cli {

class ArgParser {
public:
    /// `valueOptions` take a value (e.g. "--in"); `flags` do not (e.g. "--json").
    ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags);

    /// Parses args; returns false and sets error() on an unknown option or a missing value.
    bool parse(const std::vector<std::string>& args);
    const std::string& error() const { return m_error; }

    bool has(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::string valueOr(const std::string& name, const std::string& fallback) const;
    /// Integer/double options: nullopt + error() when present but not a number in range.
    std::optional<long long> intValue(const std::string& name, long long min, long long max);
    std::optional<double> doubleValue(const std::string& name, double min, double max);
    const std::vector<std::string>& positional() const { return m_positional; }
    bool helpRequested() const { return m_help; }

private:
    std::set<std::string> m_valueOptions;
    std::set<std::string> m_flags;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_seenFlags;
    std::vector<std::string> m_positional;
    std::string m_error;
    bool m_help = false;
};

}  // namespace toccata::cli
