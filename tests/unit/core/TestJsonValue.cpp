// JsonValue: strict parsing (with line/column errors), exact number round trips, strings and
// escapes, insertion order, compact and pretty output.
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "CoreTestSupport.h"
#include "core/Json.h"

using toccata::core::JsonValue;
using toccata::test::qs;

Q_DECLARE_METATYPE(std::string)

namespace {

JsonValue parseOk(const std::string& text) {
    auto result = JsonValue::parse(text);
    if (!result) qWarning("parse failed: %s", result.errorMessage().c_str());
    return result ? result.value() : JsonValue();
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

class TestJsonValue : public QObject {
    Q_OBJECT

private slots:
    void integersStayIntegers_data();
    void integersStayIntegers();
    void integersBeyondInt64BecomeDoubles();
    void doublesRoundTripExactly_data();
    void doublesRoundTripExactly();
    void shortestDoubleText();
    void integralDoublesReadBackAsTheSameNumber();
    void negativeZero();
    void nonFiniteNumbersAreWrittenAsNull();
    void parsesNumberForms();
    void stringEscapesAreDecoded();
    void unicodeEscapesBecomeUtf8_data();
    void unicodeEscapesBecomeUtf8();
    void writerEscapesWhatItMust();
    void stringsRoundTrip();
    void nestedStructures();
    void compactDumpOfParsedTextIsIdentical();
    void objectsKeepInsertionOrder();
    void literalsAndWhitespace();
    void malformedInputIsRejectedWithPosition_data();
    void malformedInputIsRejectedWithPosition();
    void nestingUpTo256LevelsIsAccepted();
    void deepNestingIsRejectedWithoutCrashing_data();
    void deepNestingIsRejectedWithoutCrashing();
    void prettyPrint();
    void prettyPrintWithFourSpacesReadsBack();
    void buildingValues();
};

void TestJsonValue::integersStayIntegers_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("value");
    QTest::newRow("zero") << "0" << qint64(0);
    QTest::newRow("small") << "42" << qint64(42);
    QTest::newRow("negative") << "-7" << qint64(-7);
    QTest::newRow("2^53+1") << "9007199254740993" << qint64(9007199254740993LL);
    QTest::newRow("18 digits") << "123456789012345678" << qint64(123456789012345678LL);
    QTest::newRow("19 digits") << "1234567890123456789" << qint64(1234567890123456789LL);
    QTest::newRow("int64 max") << "9223372036854775807"
                               << qint64(std::numeric_limits<int64_t>::max());
    QTest::newRow("int64 min") << "-9223372036854775808"
                               << qint64(std::numeric_limits<int64_t>::min());
}

void TestJsonValue::integersStayIntegers() {
    QFETCH(QString, text);
    QFETCH(qint64, value);
    const auto parsed = JsonValue::parse(text.toStdString());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.errorMessage().c_str());
    QVERIFY(parsed->isNumber());
    QVERIFY(parsed->isInteger());
    QCOMPARE(qint64(parsed->asInt()), value);
    QCOMPARE(qs(parsed->dump()), text);
    // And from a value built in code.
    const JsonValue built(static_cast<int64_t>(value));
    QVERIFY(built.isInteger());
    QCOMPARE(qs(built.dump()), text);
}

void TestJsonValue::integersBeyondInt64BecomeDoubles() {
    const JsonValue v = parseOk("12345678901234567890123");
    QVERIFY(v.isNumber());
    QVERIFY(!v.isInteger());
    QCOMPARE(v.asNumber(), 1.2345678901234567890123e22);
    const JsonValue big = parseOk("9223372036854775808");  // int64 max + 1
    QVERIFY(!big.isInteger());
    QCOMPARE(big.asNumber(), 9223372036854775808.0);
}

void TestJsonValue::doublesRoundTripExactly_data() {
    QTest::addColumn<double>("value");
    QTest::newRow("0.1") << 0.1;
    QTest::newRow("1e-7") << 1e-7;
    QTest::newRow("1e300") << 1e300;
    QTest::newRow("-1e-300") << -1e-300;
    QTest::newRow("1/3") << 1.0 / 3.0;
    QTest::newRow("pi") << 3.141592653589793;
    QTest::newRow("0.1+0.2") << 0.1 + 0.2;
    QTest::newRow("2.5") << 2.5;
    QTest::newRow("-123.456") << -123.456;
    QTest::newRow("max") << std::numeric_limits<double>::max();
    QTest::newRow("min normal") << std::numeric_limits<double>::min();
    QTest::newRow("min denormal") << std::numeric_limits<double>::denorm_min();
    QTest::newRow("epsilon") << std::numeric_limits<double>::epsilon();
    QTest::newRow("seconds from ticks") << 1517.0 / 480.0 * 0.5;
}

void TestJsonValue::doublesRoundTripExactly() {
    QFETCH(double, value);
    const std::string text = JsonValue(value).dump();
    const auto parsed = JsonValue::parse(text);
    QVERIFY2(parsed.ok(), text.c_str());
    QVERIFY(parsed->isNumber());
    QVERIFY2(sameBits(parsed->asNumber(), value), text.c_str());
    // Inside a structure too, pretty-printed.
    JsonValue o = JsonValue::object();
    o.set("t", value);
    const auto again = JsonValue::parse(o.dump(2));
    QVERIFY(again.ok());
    QVERIFY(sameBits(again->find("t")->asNumber(), value));
}

void TestJsonValue::shortestDoubleText() {
    QCOMPARE(qs(JsonValue(0.1).dump()), QStringLiteral("0.1"));
    QCOMPARE(qs(JsonValue(2.5).dump()), QStringLiteral("2.5"));
    QCOMPARE(qs(JsonValue(0.3).dump()), QStringLiteral("0.3"));
    QCOMPARE(qs(JsonValue(0.1 + 0.2).dump()), QStringLiteral("0.30000000000000004"));
    // Whole and short numbers read naturally (not "1.2e+02" for a tempo of 120).
    QCOMPARE(qs(JsonValue(120.0).dump()), QStringLiteral("120"));
    QCOMPARE(qs(JsonValue(200.0).dump()), QStringLiteral("200"));
    QCOMPARE(qs(JsonValue(93.75).dump()), QStringLiteral("93.75"));
    QCOMPARE(qs(JsonValue(1500.5).dump()), QStringLiteral("1500.5"));
    QCOMPARE(qs(JsonValue(-7.25).dump()), QStringLiteral("-7.25"));
    QCOMPARE(qs(JsonValue(123456.0).dump()), QStringLiteral("123456"));
    QCOMPARE(JsonValue(1e-7).dump().find('.'), std::string::npos);  // "1e-07", not 0.0000001
    QCOMPARE(std::strtod(JsonValue(1e-7).dump().c_str(), nullptr), 1e-7);
}

void TestJsonValue::integralDoublesReadBackAsTheSameNumber() {
    // A double with no fraction is written without a decimal point; it reads back as the
    // same number (as an integer), which is what every JSON reader does with "2".
    QCOMPARE(qs(JsonValue(2.0).dump()), QStringLiteral("2"));
    QCOMPARE(parseOk(JsonValue(2.0).dump()).asNumber(), 2.0);
    QCOMPARE(parseOk(JsonValue(123456.0).dump()).asNumber(), 123456.0);
    QCOMPARE(parseOk(JsonValue(1e20).dump()).asNumber(), 1e20);
    QVERIFY(!JsonValue(2.0).isInteger());
}

void TestJsonValue::negativeZero() {
    // Our call: -0 reads back as a number equal to zero; its sign is not guaranteed.
    for (const char* text : {"-0", "-0.0", "-0e0"}) {
        const JsonValue v = parseOk(text);
        QVERIFY2(v.isNumber(), text);
        QCOMPARE(v.asNumber(), 0.0);
        QCOMPARE(parseOk(v.dump()).asNumber(), 0.0);
    }
    QCOMPARE(parseOk(JsonValue(-0.0).dump()).asNumber(), 0.0);
}

void TestJsonValue::nonFiniteNumbersAreWrittenAsNull() {
    QCOMPARE(qs(JsonValue(std::numeric_limits<double>::quiet_NaN()).dump()),
             QStringLiteral("null"));
    QCOMPARE(qs(JsonValue(std::numeric_limits<double>::infinity()).dump()), QStringLiteral("null"));
    QCOMPARE(qs(JsonValue(-std::numeric_limits<double>::infinity()).dump()),
             QStringLiteral("null"));
}

void TestJsonValue::parsesNumberForms() {
    QCOMPARE(parseOk("1.5e3").asNumber(), 1500.0);
    QVERIFY(!parseOk("1.5e3").isInteger());
    QCOMPARE(parseOk("1E+2").asNumber(), 100.0);
    QCOMPARE(parseOk("25e-1").asNumber(), 2.5);
    QCOMPARE(parseOk("-0.5").asNumber(), -0.5);
    QCOMPARE(parseOk("10.0").asNumber(), 10.0);
    QVERIFY(!parseOk("10.0").isInteger());
}

void TestJsonValue::stringEscapesAreDecoded() {
    const JsonValue v = parseOk(R"("q\" b\\ s\/ \b\f\n\r\t end")");
    QVERIFY(v.isString());
    QCOMPARE(qs(v.asString()), QStringLiteral("q\" b\\ s/ \b\f\n\r\t end"));
    QCOMPARE(qs(parseOk(R"("")").asString()), QString());
    QCOMPARE(qs(parseOk(R"("\u0041\u0062")").asString()), QStringLiteral("Ab"));
    // Raw UTF-8 passes through untouched.
    QCOMPARE(parseOk("\"caf\xC3\xA9 \xF0\x9F\x8E\xB9\"").asString(),
             std::string("caf\xC3\xA9 \xF0\x9F\x8E\xB9"));
}

void TestJsonValue::unicodeEscapesBecomeUtf8_data() {
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("utf8");
    QTest::newRow("U+0000") << std::string(R"("\u0000")") << std::string(1, '\0');
    QTest::newRow("U+007F") << std::string(R"("\u007f")") << std::string("\x7F");
    QTest::newRow("U+00E9") << std::string(R"("\u00e9")") << std::string("\xC3\xA9");
    QTest::newRow("U+07FF") << std::string(R"("\u07FF")") << std::string("\xDF\xBF");
    QTest::newRow("U+0800") << std::string(R"("\u0800")") << std::string("\xE0\xA0\x80");
    QTest::newRow("U+20AC") << std::string(R"("\u20AC")") << std::string("\xE2\x82\xAC");
    QTest::newRow("U+FFFD") << std::string(R"("\uFFFD")") << std::string("\xEF\xBF\xBD");
    QTest::newRow("U+1F3B9 pair") << std::string(R"("\uD83C\uDFB9")")
                                  << std::string("\xF0\x9F\x8E\xB9");
    QTest::newRow("U+10000 pair") << std::string(R"("\ud800\udc00")")
                                  << std::string("\xF0\x90\x80\x80");
    QTest::newRow("U+10FFFF pair")
        << std::string(R"("\uDBFF\uDFFF")") << std::string("\xF4\x8F\xBF\xBF");
    QTest::newRow("pair in text") << std::string(R"("a\uD834\uDD1Eb")")
                                  << std::string(
                                         "a\xF0\x9D\x84\x9E"
                                         "b");
}

void TestJsonValue::unicodeEscapesBecomeUtf8() {
    QFETCH(std::string, json);
    QFETCH(std::string, utf8);
    const auto parsed = JsonValue::parse(json);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.errorMessage().c_str());
    QCOMPARE(parsed->asString(), utf8);
}

void TestJsonValue::writerEscapesWhatItMust() {
    const JsonValue v(std::string("a\"b\\c\nd\re\tf\bg\fh\x01i\x1Fj/k\xC3\xA9"));
    QCOMPARE(qs(v.dump()),
             QString::fromUtf8("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj/k\xC3\xA9\""));
    QCOMPARE(qs(JsonValue(std::string(1, '\0')).dump()), QStringLiteral("\"\\u0000\""));
}

void TestJsonValue::stringsRoundTrip() {
    std::string all;
    for (int c = 0; c < 128; ++c) all += static_cast<char>(c);
    all += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8E\xB9";
    const JsonValue back = parseOk(JsonValue(all).dump());
    QCOMPARE(back.asString(), all);
    // Object keys are escaped too.
    JsonValue o = JsonValue::object();
    o.set("k\"e\ny", 1);
    const JsonValue o2 = parseOk(o.dump());
    QVERIFY(o2.find("k\"e\ny") != nullptr);
    QCOMPARE(o2.find("k\"e\ny")->asInt(), int64_t{1});
}

void TestJsonValue::nestedStructures() {
    const JsonValue v =
        parseOk(R"({"a": [1, {"b": null, "c": [true, false, "x"]}], "d": {}, "e": []})");
    QVERIFY(v.isObject());
    QCOMPARE(v.size(), size_t{3});
    const JsonValue* a = v.find("a");
    QVERIFY(a && a->isArray());
    QCOMPARE(a->size(), size_t{2});
    QCOMPARE(a->items()[0].asInt(), int64_t{1});
    const JsonValue& inner = a->items()[1];
    QVERIFY(inner.isObject());
    QVERIFY(inner.find("b") && inner.find("b")->isNull());
    const JsonValue* c = inner.find("c");
    QVERIFY(c && c->isArray());
    QCOMPARE(c->size(), size_t{3});
    QVERIFY(c->items()[0].isBool() && c->items()[0].asBool());
    QVERIFY(c->items()[1].isBool() && !c->items()[1].asBool());
    QCOMPARE(qs(c->items()[2].asString()), QStringLiteral("x"));
    QVERIFY(v.find("d")->isObject() && v.find("d")->size() == 0);
    QVERIFY(v.find("e")->isArray() && v.find("e")->size() == 0);
    QVERIFY(v.find("missing") == nullptr);
    QVERIFY(inner.find("a") == nullptr);  // find is not recursive
}

void TestJsonValue::compactDumpOfParsedTextIsIdentical() {
    const std::string text =
        R"({"z":1,"a":[1,-2.5,"s",true,false,null,{"k":[]}],"m":{"n":{"o":0.1}},"e":{}})";
    QCOMPARE(qs(parseOk(text).dump()), qs(text));
}

void TestJsonValue::objectsKeepInsertionOrder() {
    const JsonValue parsed = parseOk(R"({"zeta": 1, "alpha": 2, "mid": 3})");
    QCOMPARE(parsed.members().size(), size_t{3});
    QCOMPARE(qs(parsed.members()[0].first), QStringLiteral("zeta"));
    QCOMPARE(qs(parsed.members()[1].first), QStringLiteral("alpha"));
    QCOMPARE(qs(parsed.members()[2].first), QStringLiteral("mid"));

    JsonValue o = JsonValue::object();
    o.set("b", 1);
    o.set("a", 2);
    o.set("c", 3);
    o.set("a", "replaced");  // replacing keeps the member where it was
    QCOMPARE(qs(o.dump()), QStringLiteral(R"({"b":1,"a":"replaced","c":3})"));
    QCOMPARE(o.size(), size_t{3});
}

void TestJsonValue::literalsAndWhitespace() {
    QVERIFY(parseOk("true").isBool() && parseOk("true").asBool());
    QVERIFY(parseOk("false").isBool() && !parseOk("false").asBool());
    QVERIFY(JsonValue::parse("null").ok() && parseOk("null").isNull());
    const JsonValue v = parseOk(" \t\r\n[ 1 ,\n\t2 ] \r\n");
    QCOMPARE(v.size(), size_t{2});
    QCOMPARE(v.items()[1].asInt(), int64_t{2});
}

void TestJsonValue::malformedInputIsRejectedWithPosition_data() {
    QTest::addColumn<std::string>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<std::string>("what");
    auto row = [](const char* name, std::string text, int line, int column, std::string what) {
        QTest::newRow(name) << text << line << column << what;
    };
    row("empty", "", 1, 1, "unexpected end of input");
    row("only spaces", "   ", 1, 4, "unexpected end of input");
    row("trailing comma in array", "[1,2,]", 1, 6, "expected a value");
    row("trailing comma in object", R"({"a":1,})", 1, 8, "expected a member name");
    row("bad literal", "[tru]", 1, 2, "unknown literal");
    row("bad literal on line 2", "[1,\n  nope]", 2, 3, "unknown literal");
    row("capitalised literal", "True", 1, 1, "expected a value");
    row("NaN", "NaN", 1, 1, "expected a value");
    row("unterminated string", R"("abc)", 1, 5, "unterminated string");
    row("unterminated string in object", "{\"a\": \"x", 1, 9, "unterminated string");
    row("raw tab in string", "\"a\tb\"", 1, 3, "control character");
    row("raw newline in string", "[\n\"a\nb\"]", 2, 3, "control character");
    row("bad escape", R"("a\qb")", 1, 4, "bad escape");
    row("bad hex escape", R"("\u12G4")", 1, 6, "bad \\u escape");
    row("truncated hex escape", R"("\u12)", 1, 4, "truncated \\u escape");
    row("bad surrogate pair", R"("\uD83C\u0041")", 1, 8, "bad surrogate pair");
    row("missing comma", "[1 2]", 1, 4, "expected ',' or ']'");
    row("missing colon", R"({"a" 1})", 1, 6, "expected ':'");
    row("unquoted key", "{a:1}", 1, 2, "expected a member name");
    row("unterminated array", "[1", 1, 3, "unterminated array");
    row("unterminated object", R"({"a":1)", 1, 7, "unterminated object");
    row("text after value", "1 2", 1, 3, "unexpected text after the JSON value");
    row("two objects", "{}{}", 1, 3, "unexpected text after the JSON value");
    row("leading plus", "+1", 1, 1, "expected a value");
    row("leading dot", ".5", 1, 1, "expected a value");
    row("lone minus", "-", 1, 2, "expected a value");
    row("dot without digits", "1.", 1, 3, "expected digits after '.'");
    row("exponent without digits", "1e", 1, 3, "expected digits in exponent");
    row("leading zero", "01", 1, 1, "leading zero");
    row("negative leading zero", "[-012]", 1, 2, "leading zero");
    row("hex number", "0x10", 1, 2, "unexpected text after the JSON value");
    row("single quotes", "'a'", 1, 1, "expected a value");
    row("comment", "[1] // note", 1, 5, "unexpected text after the JSON value");
    row("CRLF lines", "{\r\n\"a\": 1,\r\n}", 3, 1, "expected a member name");
}

void TestJsonValue::malformedInputIsRejectedWithPosition() {
    QFETCH(std::string, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(std::string, what);
    const auto parsed = JsonValue::parse(text);
    QVERIFY(!parsed.ok());
    const std::string& message = parsed.errorMessage();
    TOCCATA_VERIFY_CONTAINS(
        message, "line " + std::to_string(line) + ", column " + std::to_string(column) + ":");
    TOCCATA_VERIFY_CONTAINS(message, what);
}

void TestJsonValue::nestingUpTo256LevelsIsAccepted() {
    const std::string text = std::string(256, '[') + "1" + std::string(256, ']');
    const auto parsed = JsonValue::parse(text);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.errorMessage().c_str());
    const JsonValue* v = &parsed.value();
    for (int i = 0; i < 256; ++i) {
        QVERIFY(v->isArray() && v->size() == 1);
        v = &v->items()[0];
    }
    QCOMPARE(v->asInt(), int64_t{1});
    QCOMPARE(qs(parsed->dump()), qs(text));
}

void TestJsonValue::deepNestingIsRejectedWithoutCrashing_data() {
    QTest::addColumn<std::string>("text");
    QTest::newRow("300 closed arrays") << std::string(300, '[') + std::string(300, ']');
    QTest::newRow("100000 open arrays") << std::string(100000, '[');
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    QTest::newRow("100000 open objects") << objects;
    std::string mixed;
    for (int i = 0; i < 50000; ++i) mixed += "[{\"k\":";
    QTest::newRow("mixed") << mixed;
}

void TestJsonValue::deepNestingIsRejectedWithoutCrashing() {
    QFETCH(std::string, text);
    const auto parsed = JsonValue::parse(text);
    QVERIFY(!parsed.ok());
    TOCCATA_VERIFY_CONTAINS(parsed.errorMessage(), "nesting too deep");
    TOCCATA_VERIFY_CONTAINS(parsed.errorMessage(), "line 1, column ");
}

void TestJsonValue::prettyPrint() {
    JsonValue o = JsonValue::object();
    o.set("a", 1);
    JsonValue& list = o.set("b", JsonValue::array());
    list.push(1);
    list.push("two");
    o.set("c", JsonValue::object());
    o.set("d", JsonValue::array());
    o.set("e", JsonValue::object()).set("f", nullptr);
    const char* expected =
        "{\n"
        "  \"a\": 1,\n"
        "  \"b\": [\n"
        "    1,\n"
        "    \"two\"\n"
        "  ],\n"
        "  \"c\": {},\n"
        "  \"d\": [],\n"
        "  \"e\": {\n"
        "    \"f\": null\n"
        "  }\n"
        "}";
    QCOMPARE(qs(o.dump(2)), QString::fromLatin1(expected));
    QCOMPARE(qs(o.dump()), QStringLiteral(R"({"a":1,"b":[1,"two"],"c":{},"d":[],"e":{"f":null}})"));
    QCOMPARE(qs(o.dump(0)), QStringLiteral("{\n\"a\": 1,\n\"b\": [\n1,\n\"two\"\n],\n\"c\": {},\n"
                                           "\"d\": [],\n\"e\": {\n\"f\": null\n}\n}"));
    QCOMPARE(qs(JsonValue(3).dump(2)), QStringLiteral("3"));
}

void TestJsonValue::prettyPrintWithFourSpacesReadsBack() {
    const std::string compact = R"({"x":[[1,2],[3,{"y":"z"}]],"w":false})";
    const std::string pretty = parseOk(compact).dump(4);
    QVERIFY(pretty.find("\n        [\n            1,") != std::string::npos);
    QCOMPARE(qs(parseOk(pretty).dump()), qs(compact));
}

void TestJsonValue::buildingValues() {
    JsonValue v;
    QVERIFY(v.isNull());
    QCOMPARE(v.type(), JsonValue::Type::Null);
    QCOMPARE(JsonValue(true).type(), JsonValue::Type::Bool);
    QCOMPARE(JsonValue(7).type(), JsonValue::Type::Number);
    QCOMPARE(JsonValue("s").type(), JsonValue::Type::String);
    QCOMPARE(JsonValue::array().type(), JsonValue::Type::Array);
    QCOMPARE(JsonValue::object().type(), JsonValue::Type::Object);
    QVERIFY(JsonValue(7).isInteger());
    QVERIFY(!JsonValue(7.5).isInteger());
    QCOMPARE(JsonValue(7.9).asInt(), int64_t{7});
    QCOMPARE(JsonValue(int64_t{1} << 40).asInt(), int64_t{1} << 40);
    JsonValue a = JsonValue::array();
    a.push(nullptr);
    a.push(JsonValue::array());
    a.push(-1);
    QCOMPARE(qs(a.dump()), QStringLiteral("[null,[],-1]"));
    QCOMPARE(a.size(), size_t{3});
}

QTEST_APPLESS_MAIN(TestJsonValue)
#include "TestJsonValue.moc"
