// Small helpers for the core unit tests: std::string in Qt Test messages and substring checks.
#pragma once

#include <QString>
#include <QtTest>

#include <string>

namespace toccata::test {

inline QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace toccata::test

/// Fails with both strings in the message unless `haystack` (std::string) contains `needle`.
#define TOCCATA_VERIFY_CONTAINS(haystack, needle)                                               \
    do {                                                                                        \
        const std::string _h = (haystack);                                                      \
        const std::string _n = (needle);                                                        \
        QVERIFY2(_h.find(_n) != std::string::npos,                                              \
                 qPrintable(QStringLiteral("expected \"%1\" in \"%2\"")                         \
                                .arg(QString::fromStdString(_n), QString::fromStdString(_h)))); \
    } while (0)
