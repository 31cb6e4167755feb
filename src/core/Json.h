// A small JSON value with a strict parser and a writer: enough for NoteSequence JSON, model
// manifests and project files, without a third-party dependency in core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace toccata::core {

class JsonValue {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    using Member = std::pair<std::string, JsonValue>;

    JsonValue() = default;
    JsonValue(std::nullptr_t) {}                              // NOLINT(google-explicit-constructor)
    JsonValue(bool v) : m_type(Type::Bool), m_bool(v) {}      // NOLINT
    JsonValue(int v) : JsonValue(static_cast<int64_t>(v)) {}  // NOLINT
    JsonValue(int64_t v)                                      // NOLINT
        : m_type(Type::Number), m_number(static_cast<double>(v)), m_int(v), m_isInt(true) {}
    JsonValue(double v) : m_type(Type::Number), m_number(v) {}                  // NOLINT
    JsonValue(const char* v) : m_type(Type::String), m_string(v) {}             // NOLINT
    JsonValue(std::string v) : m_type(Type::String), m_string(std::move(v)) {}  // NOLINT
    static JsonValue array() {
        JsonValue v;
        v.m_type = Type::Array;
        return v;
    }
    static JsonValue object() {
        JsonValue v;
        v.m_type = Type::Object;
        return v;
    }

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }
    /// True for a number with no fractional part (written without a decimal point).
    bool isInteger() const { return m_type == Type::Number && m_isInt; }

    bool asBool() const { return m_bool; }
    double asNumber() const { return m_number; }
    int64_t asInt() const { return m_isInt ? m_int : static_cast<int64_t>(m_number); }
    const std::string& asString() const { return m_string; }

    // Arrays.
    const std::vector<JsonValue>& items() const { return m_items; }
    void push(JsonValue v) { m_items.push_back(std::move(v)); }
    size_t size() const { return m_type == Type::Object ? m_members.size() : m_items.size(); }

    // Objects keep insertion order so written files read naturally.
    const std::vector<Member>& members() const { return m_members; }
    const JsonValue* find(std::string_view key) const;
    /// Inserts (or replaces) a member and returns it.
    JsonValue& set(const std::string& key, JsonValue v);

    /// Compact when indent < 0, else pretty-printed with `indent` spaces per level.
    std::string dump(int indent = -1) const;
    /// Strict RFC 8259 parse; the error names line and column.
    static Result<JsonValue> parse(std::string_view text);

private:
    void dumpTo(std::string& out, int indent, int depth) const;

    Type m_type = Type::Null;
    bool m_bool = false;
    double m_number = 0.0;
    int64_t m_int = 0;
    bool m_isInt = false;
    std::string m_string;
    std::vector<JsonValue> m_items;
    std::vector<Member> m_members;
};

}  // namespace toccata::core
