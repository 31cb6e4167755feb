// SoundFontLocator: the lookup order, skipping of unusable candidates, and an error that lists
// every place searched.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "AudioTestSupport.h"
#include "audio/SoundFontLocator.h"

using namespace toccata;
using namespace toccata::test;
using Places = audio::SoundFontLocator::Places;

class TestSoundFontLocator : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// A copy of the test SoundFont at `relative` inside the temporary folder.
    std::string validAt(const QString& relative) {
        const QString path = m_dir.path() + "/" + relative;
        QDir().mkpath(QFileInfo(path).path());
        QFile::remove(path);
        if (!QFile::copy(QString::fromStdString(testSoundFontPath()), path)) return {};
        return toStd(path);
    }
    std::string garbageAt(const QString& relative) {
        const QString path = m_dir.path() + "/" + relative;
        QDir().mkpath(QFileInfo(path).path());
        writeBytes(path, "not a soundfont");
        return toStd(path);
    }
    std::string missing(const QString& name) { return toStd(m_dir.path() + "/missing/" + name); }

    /// A lookup where every step holds something usable.
    Places fullPlaces() {
        Places p;
        p.userSetting = validAt("user/user.sf2");
        p.environmentValue = validAt("env/env.sf2");
        p.userFolders = {toStd(m_dir.path() + "/folderA"), toStd(m_dir.path() + "/folderB")};
        validAt("folderB/b.sf2");
        p.systemFiles = {missing("FluidR3_GM.sf2"), validAt("system/default-GM.sf2")};
        p.fallbackFiles = {validAt("fallback/toccata-test.sf2")};
        return p;
    }

    static std::string located(const Places& places) {
        const auto result = audio::SoundFontLocator(places).locate();
        return result.ok() ? result->path : "error: " + result.errorMessage();
    }

private slots:
    void initTestCase() {
        TOCCATA_REQUIRE_TEST_SOUNDFONT();
        QVERIFY(m_dir.isValid());
    }

    void userSettingComesFirst() {
        const Places p = fullPlaces();
        const auto result = audio::SoundFontLocator(p).locate();
        QVERIFY(result.ok());
        QCOMPARE(result->path, p.userSetting);
        QCOMPARE(result->source, std::string("user setting"));
        QVERIFY(!result->isTestSoundFont);
        QVERIFY(result->skipped.empty());
    }

    void eachStepFallsThroughToTheNext() {
        Places p = fullPlaces();
        p.userSetting = missing("gone.sf2");
        auto result = audio::SoundFontLocator(p).locate();
        QVERIFY(result.ok());
        QCOMPARE(result->path, p.environmentValue);
        QCOMPARE(result->source, std::string("$TOCCATA_SOUNDFONT"));
        QCOMPARE(result->skipped.size(), size_t(1));  // the user's stale setting is reported
        QVERIFY2(result->skipped[0].find("gone.sf2") != std::string::npos,
                 result->skipped[0].c_str());

        p.environmentValue = garbageAt("env/garbage.sf2");
        QCOMPARE(located(p), toStd(m_dir.path() + "/folderB/b.sf2"));

        p.userFolders = {};
        QCOMPARE(located(p), toStd(m_dir.path() + "/system/default-GM.sf2"));

        p.systemFiles = {missing("FluidR3_GM.sf2")};
        result = audio::SoundFontLocator(p).locate();
        QVERIFY(result.ok());
        QCOMPARE(result->path, p.fallbackFiles[0]);
        QVERIFY(result->isTestSoundFont);
    }

    void folderScanIsAlphabeticalAndSkipsBadFilesAndTheTestSoundFont() {
        Places p;
        const QString folder = m_dir.path() + "/scan";
        p.userFolders = {toStd(folder)};
        validAt("scan/toccata-test.sf2");  // never picked by a folder scan
        garbageAt("scan/a-broken.sf2");
        validAt("scan/c.SF2");
        validAt("scan/b.sf2");
        writeBytes(folder + "/a-readme.txt", "not a soundfont either");
        const auto result = audio::SoundFontLocator(p).locate();
        QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
        QCOMPARE(result->path, toStd(folder + "/b.sf2"));
        QCOMPARE(result->skipped.size(), size_t(1));
        QVERIFY(result->skipped[0].find("a-broken.sf2") != std::string::npos);
    }

    void nothingFoundListsEveryPlace() {
        Places p;
        p.userFolders = {missing("folder"), toStd(m_dir.path() + "/emptyFolder")};
        QDir().mkpath(m_dir.path() + "/emptyFolder");
        p.systemFiles = {missing("FluidR3_GM.sf2"), garbageAt("system/broken.sf2")};
        p.fallbackFiles = {missing("toccata-test.sf2")};
        const auto result = audio::SoundFontLocator(p).locate();
        QVERIFY(!result.ok());
        const std::string message = result.errorMessage();
        for (const std::string& expected :
             {std::string("user setting: not set"), std::string("$TOCCATA_SOUNDFONT: not set"),
              missing("folder") + "/*.sf2: folder does not exist",
              toStd(m_dir.path()) + "/emptyFolder/*.sf2: no SoundFont in this folder",
              missing("FluidR3_GM.sf2") + "' does not exist",
              std::string("broken.sf2' is not a SoundFont"), missing("toccata-test.sf2")})
            QVERIFY2(message.find(expected) != std::string::npos,
                     qPrintable(QString::fromStdString("'" + expected + "' not in:\n" + message)));
    }

    void defaultPlacesFollowTheDocumentedOrder() {
        qputenv("TOCCATA_SOUNDFONT", "/from/the/environment.sf2");
        const Places p = audio::SoundFontLocator::defaultPlaces("/from/settings.sf2");
        qunsetenv("TOCCATA_SOUNDFONT");
        QCOMPARE(p.userSetting, std::string("/from/settings.sf2"));
        QCOMPARE(p.environmentValue, std::string("/from/the/environment.sf2"));
        QVERIFY(p.userFolders.size() >= 2);
        QCOMPARE(p.userFolders.back(), toStd(sourceDir() + "/soundfonts"));
        QVERIFY(p.userFolders[p.userFolders.size() - 2].find("share/toccata/soundfonts") !=
                std::string::npos);
        QVERIFY(p.systemFiles.size() >= 3);
        QCOMPARE(p.systemFiles[0], std::string("/usr/share/sounds/sf2/FluidR3_GM.sf2"));
        QCOMPARE(p.systemFiles[1], std::string("/usr/share/sounds/sf2/default-GM.sf2"));
        QCOMPARE(p.systemFiles[2], std::string("/usr/share/soundfonts/default.sf2"));
        QCOMPARE(p.fallbackFiles.back(), testSoundFontPath());
        // Without any setting the lookup always finds something on a built tree.
        const auto result =
            audio::SoundFontLocator(audio::SoundFontLocator::defaultPlaces()).locate();
        QVERIFY2(result.ok(), result.ok() ? "" : result.errorMessage().c_str());
    }
};

QTEST_GUILESS_MAIN(TestSoundFontLocator)
#include "TestSoundFontLocator.moc"
