#include "core/Json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace toccata::core {

namespace {

constexpr int kMaxDepth = 256;  // deeper input is rejected rather than risking the stack

void appendEscaped(std::string& out, const std::string& s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

/// Shortest decimal text that reads back as the same double ("120", "0.1", "1e-07"; never
/// "1.2e+02", which the old %g search produced for whole numbers).
std::string formatDouble(double v) {
    if (!std::isfinite(v)) return "null";  // JSON has no NaN/Inf
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, result.ptr);
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Result<JsonValue> parseDocument() {
        JsonValue v;
        if (!parseValue(v, 0)) return failure();
        skipSpace();
        if (m_pos != m_text.size()) {
            m_error = "unexpected text after the JSON value";
            return failure();
        }
        return v;
    }

private:
    Result<JsonValue> failure() const {
        size_t line = 1;
        size_t column = 1;
        for (size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return Result<JsonValue>::failure("invalid JSON at line " + std::to_string(line) +
                                          ", column " + std::to_string(column) + ": " + m_error);
    }

    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool fail(const char* what) {
        m_error = what;
        return false;
    }

    bool literal(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word) return fail("unknown literal");
        m_pos += word.size();
        return true;
    }

    bool parseValue(JsonValue& out, int depth) {
        skipSpace();
        if (m_pos >= m_text.size()) return fail("unexpected end of input");
        const char c = m_text[m_pos];
        if ((c == '{' || c == '[') && depth >= kMaxDepth) return fail("nesting too deep");
        switch (c) {
            case '{': return parseObject(out, depth);
            case '[': return parseArray(out, depth);
            case '"': {
                std::string s;
                if (!parseString(s)) return false;
                out = JsonValue(std::move(s));
                return true;
            }
            case 't': out = JsonValue(true); return literal("true");
            case 'f': out = JsonValue(false); return literal("false");
            case 'n': out = JsonValue(); return literal("null");
            default: return parseNumber(out);
        }
    }

    bool parseObject(JsonValue& out, int depth) {
        out = JsonValue::object();
        ++m_pos;  // '{'
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            return true;
        }
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                return fail("expected a member name");
            std::string key;
            if (!parseString(key)) return false;
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':') return fail("expected ':'");
            ++m_pos;
            JsonValue value;
            if (!parseValue(value, depth + 1)) return false;
            out.set(key, std::move(value));
            skipSpace();
            if (m_pos >= m_text.size()) return fail("unterminated object");
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_text[m_pos] == '}') {
                ++m_pos;
                return true;
            }
            return fail("expected ',' or '}'");
        }
    }

    bool parseArray(JsonValue& out, int depth) {
        out = JsonValue::array();
        ++m_pos;  // '['
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
            return true;
        }
        while (true) {
            JsonValue value;
            if (!parseValue(value, depth + 1)) return false;
            out.push(std::move(value));
            skipSpace();
            if (m_pos >= m_text.size()) return fail("unterminated array");
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_text[m_pos] == ']') {
                ++m_pos;
                return true;
            }
            return fail("expected ',' or ']'");
        }
    }

    bool parseHex4(unsigned& out) {
        if (m_pos + 4 > m_text.size()) return fail("truncated \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = m_text[m_pos];
            out <<= 4;
            if (h >= '0' && h <= '9')
                out |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                out |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                out |= static_cast<unsigned>(h - 'A' + 10);
            else
                return fail("bad \\u escape");  // the error points at the bad digit
            ++m_pos;
        }
        return true;
    }

    static void appendUtf8(std::string& s, unsigned cp) {
        if (cp < 0x80) {
            s += static_cast<char>(cp);
        } else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool parseString(std::string& out) {
        ++m_pos;  // opening quote
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) {
                --m_pos;  // the error points at the character itself
                return fail("control character in string");
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size()) break;
            const char e = m_text[m_pos++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    if (!parseHex4(cp)) return false;
                    if (cp >= 0xD800 && cp < 0xDC00 && m_text.substr(m_pos, 2) == "\\u") {
                        const size_t lowStart = m_pos;
                        m_pos += 2;
                        unsigned low = 0;
                        if (!parseHex4(low)) return false;
                        if (low < 0xDC00 || low > 0xDFFF) {
                            m_pos = lowStart;
                            return fail("bad surrogate pair");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // lone surrogate
                    appendUtf8(out, cp);
                    break;
                }
                default:
                    --m_pos;  // the error points at the escape letter
                    return fail("bad escape in string");
            }
        }
        return fail("unterminated string");
    }

    bool parseNumber(JsonValue& out) {
        const size_t start = m_pos;
        auto digits = [&] {
            const size_t from = m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') ++m_pos;
            return m_pos > from;
        };
        if (m_pos < m_text.size() && m_text[m_pos] == '-') ++m_pos;
        const size_t intStart = m_pos;
        if (!digits()) return fail("expected a value");
        if (m_pos - intStart > 1 && m_text[intStart] == '0') {  // RFC 8259: no leading zeros
            m_pos = start;
            return fail("leading zeros are not allowed in numbers");
        }
        bool integral = true;
        if (m_pos < m_text.size() && m_text[m_pos] == '.') {
            ++m_pos;
            integral = false;
            if (!digits()) return fail("expected digits after '.'");
        }
        if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            ++m_pos;
            integral = false;
            if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) ++m_pos;
            if (!digits()) return fail("expected digits in exponent");
        }
        const std::string token(m_text.substr(start, m_pos - start));
        if (integral) {  // every integer that fits int64 stays an exact integer
            int64_t value = 0;
            const char* last = token.data() + token.size();
            const auto [end, ec] = std::from_chars(token.data(), last, value);
            if (ec == std::errc() && end == last) {
                out = JsonValue(value);
                return true;
            }
        }
        out = JsonValue(std::strtod(token.c_str(), nullptr));
        return true;
    }

    std::string_view m_text;
    size_t m_pos = 0;
    std::string m_error;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const Member& m : m_members) {
        if (m.first == key) return &m.second;
    }
    return nullptr;
}

JsonValue& JsonValue::set(const std::string& key, JsonValue v) {
    for (Member& m : m_members) {
        if (m.first == key) {
            m.second = std::move(v);
            return m.second;
        }
    }
    m_members.emplace_back(key, std::move(v));
    return m_members.back().second;
}

std::string JsonValue::dump(int indent) const {
    std::string out;
    dumpTo(out, indent, 0);
    return out;
}

void JsonValue::dumpTo(std::string& out, int indent, int depth) const {
    auto newline = [&](int level) {
        if (indent < 0) return;
        out += '\n';
        out.append(static_cast<size_t>(indent) * static_cast<size_t>(level), ' ');
    };
    switch (m_type) {
        case Type::Null: out += "null"; break;
        case Type::Bool: out += m_bool ? "true" : "false"; break;
        case Type::Number: out += m_isInt ? std::to_string(m_int) : formatDouble(m_number); break;
        case Type::String: appendEscaped(out, m_string); break;
        case Type::Array:
            out += '[';
            for (size_t i = 0; i < m_items.size(); ++i) {
                if (i > 0) out += ',';
                newline(depth + 1);
                m_items[i].dumpTo(out, indent, depth + 1);
            }
            if (!m_items.empty()) newline(depth);
            out += ']';
            break;
        case Type::Object:
            out += '{';
            for (size_t i = 0; i < m_members.size(); ++i) {
                if (i > 0) out += ',';
                newline(depth + 1);
                appendEscaped(out, m_members[i].first);
                out += indent < 0 ? ":" : ": ";
                m_members[i].second.dumpTo(out, indent, depth + 1);
            }
            if (!m_members.empty()) newline(depth);
            out += '}';
            break;
    }
}

Result<JsonValue> JsonValue::parse(std::string_view text) { return Parser(text).parseDocument(); }

}  // namespace toccata::core
