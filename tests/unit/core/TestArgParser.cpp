// ArgParser (toccata-cli): values, --name=value, flags, help, positionals; unknown options and
// missing values are errors naming the option; integer and double ranges.
#include <QtTest>

#include <string>
#include <vector>

#include "CoreTestSupport.h"
#include "cli/ArgParser.h"

using toccata::cli::ArgParser;
using toccata::test::qs;

Q_DECLARE_METATYPE(std::string)
Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {

ArgParser convertParser() {
    return ArgParser({"--in", "--out", "--quantize", "--qpm"}, {"--json", "--force"});
}

QString valueOf(const ArgParser& p, const std::string& name) {
    const auto v = p.value(name);
    return v ? qs(*v) : QStringLiteral("<none>");
}

}  // namespace

class TestArgParser : public QObject {
    Q_OBJECT

private slots:
    void valuesAndFlags();
    void inlineValues();
    void positionalsAndHelp();
    void lastValueWins();
    void valueOrFallback();
    void errorsNameTheOption_data();
    void errorsNameTheOption();
    void valuesMayLookLikeNegativeNumbers();
    void intValues_data();
    void intValues();
    void doubleValues_data();
    void doubleValues();
    void absentNumbersAreNotErrors();
};

void TestArgParser::valuesAndFlags() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--in", "a.mid", "--json", "--out", "b.json"}));
    QCOMPARE(qs(p.error()), QString());
    QCOMPARE(valueOf(p, "--in"), QStringLiteral("a.mid"));
    QCOMPARE(valueOf(p, "--out"), QStringLiteral("b.json"));
    QVERIFY(p.has("--in"));
    QVERIFY(p.has("--json"));
    QVERIFY(!p.has("--force"));
    QVERIFY(!p.has("--quantize"));
    QVERIFY(!p.value("--json").has_value());  // a flag has no value
    QVERIFY(!p.value("--quantize").has_value());
    QVERIFY(p.positional().empty());
    QVERIFY(!p.helpRequested());
}

void TestArgParser::inlineValues() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--in=a=b.mid", "--out=", "--quantize=4"}));
    QCOMPARE(valueOf(p, "--in"), QStringLiteral("a=b.mid"));  // split at the first '='
    QCOMPARE(valueOf(p, "--out"), QString(""));
    QVERIFY(p.has("--out"));
    QCOMPARE(valueOf(p, "--quantize"), QStringLiteral("4"));
}

void TestArgParser::positionalsAndHelp() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"file.mid", "--json", "-x", "--", "more", "-h"}));
    QCOMPARE(p.positional(), (std::vector<std::string>{"file.mid", "-x", "--", "more"}));
    QVERIFY(p.helpRequested());
    ArgParser q = convertParser();
    QVERIFY(q.parse({"--help"}));
    QVERIFY(q.helpRequested());
    QVERIFY(q.positional().empty());
}

void TestArgParser::lastValueWins() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--in", "first.mid", "--in=second.mid", "--json", "--json"}));
    QCOMPARE(valueOf(p, "--in"), QStringLiteral("second.mid"));
    QVERIFY(p.has("--json"));
}

void TestArgParser::valueOrFallback() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--in", "x.mid"}));
    QCOMPARE(qs(p.valueOr("--in", "fallback")), QStringLiteral("x.mid"));
    QCOMPARE(qs(p.valueOr("--out", "fallback")), QStringLiteral("fallback"));
}

void TestArgParser::errorsNameTheOption_data() {
    QTest::addColumn<std::vector<std::string>>("args");
    QTest::addColumn<std::string>("error");
    auto row = [](const char* name, std::vector<std::string> args, std::string error) {
        QTest::newRow(name) << args << error;
    };
    row("unknown option", {"--in", "a.mid", "--bogus"}, "unknown option --bogus");
    row("unknown with value", {"--bogus=3"}, "unknown option --bogus");
    row("unknown before known", {"--outt", "x", "--in", "a"}, "unknown option --outt");
    row("missing value at the end", {"--json", "--in"}, "option --in needs a value");
    row("value is another option", {"--in", "--out", "b.json"}, "option --in needs a value");
    row("value is a flag", {"--out", "--json"}, "option --out needs a value");
    row("flag with a value", {"--json=yes"}, "option --json takes no value");
    row("flag with an empty value", {"--force="}, "option --force takes no value");
}

void TestArgParser::errorsNameTheOption() {
    QFETCH(std::vector<std::string>, args);
    QFETCH(std::string, error);
    ArgParser p = convertParser();
    QVERIFY(!p.parse(args));
    QCOMPARE(qs(p.error()), qs(error));
}

void TestArgParser::valuesMayLookLikeNegativeNumbers() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--quantize", "-4", "--in", "-"}));
    QCOMPARE(valueOf(p, "--quantize"), QStringLiteral("-4"));
    QCOMPARE(valueOf(p, "--in"), QStringLiteral("-"));
    QCOMPARE(p.intValue("--quantize", -10, 10), std::optional<long long>(-4));
    // A value that really starts with "--" can be given with '='.
    ArgParser q = convertParser();
    QVERIFY(q.parse({"--in=--odd-name.mid"}));
    QCOMPARE(valueOf(q, "--in"), QStringLiteral("--odd-name.mid"));
}

void TestArgParser::intValues_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qlonglong>("value");
    QTest::newRow("in range") << "4" << true << 4LL;
    QTest::newRow("lower bound") << "1" << true << 1LL;
    QTest::newRow("upper bound") << "960" << true << 960LL;
    QTest::newRow("below") << "0" << false << 0LL;
    QTest::newRow("above") << "961" << false << 0LL;
    QTest::newRow("negative") << "-4" << false << 0LL;
    QTest::newRow("not a number") << "four" << false << 0LL;
    QTest::newRow("trailing text") << "4x" << false << 0LL;
    QTest::newRow("fraction") << "4.5" << false << 0LL;
    QTest::newRow("empty") << "" << false << 0LL;
    QTest::newRow("overflow") << "99999999999999999999" << false << 0LL;
}

void TestArgParser::intValues() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qlonglong, value);
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--quantize=" + text.toStdString()}));
    const auto v = p.intValue("--quantize", 1, 960);
    QCOMPARE(v.has_value(), ok);
    if (ok) {
        QCOMPARE(*v, value);
        QCOMPARE(qs(p.error()), QString());
    } else {
        QCOMPARE(
            qs(p.error()),
            QStringLiteral("--quantize must be a whole number from 1 to 960, got '%1'").arg(text));
    }
}

void TestArgParser::doubleValues_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value");
    QTest::newRow("whole") << "120" << true << 120.0;
    QTest::newRow("fraction") << "93.75" << true << 93.75;
    QTest::newRow("exponent") << "1e2" << true << 100.0;
    QTest::newRow("lower bound") << "1" << true << 1.0;
    QTest::newRow("upper bound") << "400" << true << 400.0;
    QTest::newRow("below") << "0.5" << false << 0.0;
    QTest::newRow("above") << "400.01" << false << 0.0;
    QTest::newRow("not a number") << "fast" << false << 0.0;
    QTest::newRow("trailing text") << "120bpm" << false << 0.0;
    QTest::newRow("nan") << "nan" << false << 0.0;
    QTest::newRow("inf") << "inf" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
}

void TestArgParser::doubleValues() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, value);
    ArgParser p = convertParser();
    QVERIFY(p.parse({"--qpm", text.toStdString()}));
    const auto v = p.doubleValue("--qpm", 1.0, 400.0);
    QCOMPARE(v.has_value(), ok);
    if (ok) {
        QCOMPARE(*v, value);
        QCOMPARE(qs(p.error()), QString());
    } else {
        TOCCATA_VERIFY_CONTAINS(p.error(), "--qpm must be a number from 1");
        TOCCATA_VERIFY_CONTAINS(p.error(), "got '" + text.toStdString() + "'");
    }
}

void TestArgParser::absentNumbersAreNotErrors() {
    ArgParser p = convertParser();
    QVERIFY(p.parse({}));
    QVERIFY(!p.intValue("--quantize", 1, 960).has_value());
    QVERIFY(!p.doubleValue("--qpm", 1, 400).has_value());
    QCOMPARE(qs(p.error()), QString());
}

QTEST_APPLESS_MAIN(TestArgParser)
#include "TestArgParser.moc"
