// Helpers shared by the test classes: where the trees are, and the shared corpora.
#pragma once

#include <QDir>
#include <QString>
#include <QtTest>

#include <string>

namespace toccata::test {

inline QString envDir(const char* name) { return QString::fromLocal8Bit(qgetenv(name)); }
inline QString sourceDir() { return envDir("TOCCATA_SOURCE_DIR"); }
inline QString buildDir() { return envDir("TOCCATA_BUILD_DIR"); }

/// ../shared (datasets, reference weights), or "" when it is absent on this machine.
inline QString sharedDir() {
    const QString dir = envDir("TOCCATA_SHARED_DIR");
    return (!dir.isEmpty() && QDir(dir).exists()) ? QDir(dir).canonicalPath() : QString();
}

inline std::string toStd(const QString& s) { return s.toStdString(); }

}  // namespace toccata::test

/// Skips the current test (with a message) when ../shared is not on this machine.
#define TOCCATA_REQUIRE_SHARED(subdir)                                                            \
    do {                                                                                          \
        const QString _shared = toccata::test::sharedDir();                                       \
        if (_shared.isEmpty() || !QDir(_shared + "/" + (subdir)).exists())                        \
            QSKIP(qPrintable(QStringLiteral("../shared/%1 is not on this machine").arg(subdir))); \
    } while (0)
