// ModelCatalog: scanning roots (a model folder itself, or folders of models two levels deep),
// broken folders reported with their reason, and --model lookup by folder or id.
#include "MlTestSupport.h"
#include "core/FileIO.h"
#include "ml/ModelCatalog.h"

#include <QTemporaryDir>

#include <filesystem>

using namespace toccata::ml;
using toccata::test::musicRnnFixture;
namespace fs = std::filesystem;

namespace {
void copyFolder(const std::string& from, const std::string& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}
}  // namespace

class TestModelCatalog : public QObject {
    Q_OBJECT

private slots:
    void scansRootsAndResolvesIds() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        copyFolder(musicRnnFixture("basic_rnn"), root + "/downloads/magenta/basic_rnn");
        copyFolder(musicRnnFixture("drum_kit_rnn"), root + "/downloads/drum_kit_rnn");
        fs::create_directories(root + "/downloads/broken");
        QVERIFY(toccata::core::writeFileAtomic(root + "/downloads/broken/config.json", "{").ok());
        fs::create_directories(root + "/downloads/notes");  // not a model: ignored

        ModelCatalog catalog({{root + "/downloads", "added"},
                              {musicRnnFixture("attention_rnn"), "added"},
                              {root + "/missing", "user"}});
        const auto entries = catalog.scan();
        QCOMPARE(entries.size(), size_t{4});
        std::vector<std::string> ids;
        int broken = 0;
        for (const auto& e : entries) {
            if (e.ok) {
                ids.push_back(e.spec.id);
            } else {
                ++broken;
                QVERIFY2(e.error.find("config.json") != std::string::npos, e.error.c_str());
            }
        }
        QCOMPARE(broken, 1);
        QCOMPARE(ids, (std::vector<std::string>{"drum_kit_rnn", "basic_rnn", "attention_rnn"}));

        auto byId = catalog.resolve("basic_rnn");
        QVERIFY2(byId.ok(), byId.ok() ? "" : byId.errorMessage().c_str());
        QCOMPARE(byId->family, std::string("music_rnn"));
        auto byFolder = catalog.resolve(musicRnnFixture("chord_pitches_improv"));
        QVERIFY(byFolder.ok());
        QCOMPARE(byFolder->config, std::string("chord_pitches_improv"));

        auto unknown = catalog.resolve("melody_rnn_jazz");
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.errorMessage().find("melody_rnn_jazz") != std::string::npos &&
                     unknown.errorMessage().find("basic_rnn") != std::string::npos,
                 unknown.errorMessage().c_str());
        auto missingPath = catalog.resolve(root + "/nowhere/model");
        QVERIFY(!missingPath.ok() &&
                missingPath.errorMessage().find("not found") != std::string::npos);
    }

    void defaultRootsIncludeUserAndEnvironment() {
        qputenv("TOCCATA_MODELS_PATH", "/a/models:/b/models");
        const auto roots = ModelCatalog::defaultRoots({"/c/added"});
        qunsetenv("TOCCATA_MODELS_PATH");
        std::vector<std::string> folders;
        for (const auto& r : roots) folders.push_back(r.folder);
        QCOMPARE(roots.front().origin, std::string("shipped"));
        QVERIFY(std::find(folders.begin(), folders.end(), "/a/models") != folders.end());
        QVERIFY(std::find(folders.begin(), folders.end(), "/b/models") != folders.end());
        QCOMPARE(folders.back(), std::string("/c/added"));
        QVERIFY(std::find(folders.begin(), folders.end(), ModelCatalog::userModelsFolder()) !=
                folders.end());
    }
};

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "TestModelCatalog.moc"
