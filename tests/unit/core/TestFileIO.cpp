// FileIO: bounded reads whose errors name the path, atomic writes that leave no temp files.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <string>

#include <unistd.h>

#include "CoreTestSupport.h"
#include "core/FileIO.h"

using namespace toccata::core;
using toccata::test::qs;

namespace {

QStringList entriesOf(const QString& dir) {
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

bool writeWithQt(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readWithQt(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

}  // namespace

class TestFileIO : public QObject {
    Q_OBJECT

private slots:
    void init();
    void readsBinaryContentExactly();
    void readsEmptyFile();
    void missingFileNamesThePath();
    void folderNamesThePath();
    void overLimitNamesThePathAndSizes();
    void writeCreatesAndReplaces();
    void writeLeavesNoTempFiles();
    void writeIntoMissingFolderFails();
    void writeOverAFolderFailsAndCleansUp();
    void writeRelativePathGoesToTheCurrentFolder();
    void writeLargeData();
    void writeIntoReadOnlyFolderFails();

private:
    std::unique_ptr<QTemporaryDir> m_dir;  // a fresh, empty folder for every test
};

void TestFileIO::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestFileIO::readsBinaryContentExactly() {
    QByteArray bytes;
    for (int i = 0; i < 1000; ++i) bytes.append(static_cast<char>(i * 7 % 256));
    bytes.append('\0');
    bytes.append("\r\n\x1A", 3);
    const QString path = m_dir->filePath("binary.bin");
    QVERIFY(writeWithQt(path, bytes));
    const auto read = readFileBytes(path.toStdString());
    QVERIFY2(read.ok(), read.ok() ? "" : read.errorMessage().c_str());
    QCOMPARE(read->size(), size_t(bytes.size()));
    QVERIFY(read.value() == bytes.toStdString());
}

void TestFileIO::readsEmptyFile() {
    const QString path = m_dir->filePath("empty");
    QVERIFY(writeWithQt(path, {}));
    const auto read = readFileBytes(path.toStdString());
    QVERIFY(read.ok());
    QVERIFY(read->empty());
}

void TestFileIO::missingFileNamesThePath() {
    const std::string path = m_dir->filePath("nope/missing.mid").toStdString();
    const auto read = readFileBytes(path);
    QVERIFY(!read.ok());
    QCOMPARE(qs(read.errorMessage()), qs(path + ": file not found"));
}

void TestFileIO::folderNamesThePath() {
    const std::string path = m_dir->path().toStdString();
    const auto read = readFileBytes(path);
    QVERIFY(!read.ok());
    TOCCATA_VERIFY_CONTAINS(read.errorMessage(), path + ": ");
    TOCCATA_VERIFY_CONTAINS(read.errorMessage(), "folder");
}

void TestFileIO::overLimitNamesThePathAndSizes() {
    const QString path = m_dir->filePath("hundred.bin");
    QVERIFY(writeWithQt(path, QByteArray(100, 'x')));
    const auto tooBig = readFileBytes(path.toStdString(), 99);
    QVERIFY(!tooBig.ok());
    TOCCATA_VERIFY_CONTAINS(tooBig.errorMessage(), path.toStdString() + ": ");
    TOCCATA_VERIFY_CONTAINS(tooBig.errorMessage(), "100 bytes");
    TOCCATA_VERIFY_CONTAINS(tooBig.errorMessage(), "99");
    const auto exactly = readFileBytes(path.toStdString(), 100);
    QVERIFY(exactly.ok());
    QCOMPARE(exactly->size(), size_t{100});
}

void TestFileIO::writeCreatesAndReplaces() {
    const QString path = m_dir->filePath("out.json");
    Status s = writeFileAtomic(path.toStdString(), "first version, rather long");
    QVERIFY2(s.ok(), s.errorMessage().c_str());
    QCOMPARE(readWithQt(path), QByteArray("first version, rather long"));
    s = writeFileAtomic(path.toStdString(), "second");
    QVERIFY2(s.ok(), s.errorMessage().c_str());
    QCOMPARE(readWithQt(path), QByteArray("second"));  // replaced, not overwritten in place
    s = writeFileAtomic(path.toStdString(), std::string("a\0b", 3));
    QVERIFY(s.ok());
    QCOMPARE(readWithQt(path), QByteArray("a\0b", 3));
    s = writeFileAtomic(path.toStdString(), "");
    QVERIFY(s.ok());
    QCOMPARE(QFileInfo(path).size(), qint64(0));
}

void TestFileIO::writeLeavesNoTempFiles() {
    const QString path = m_dir->filePath("song.mid");
    for (int i = 0; i < 5; ++i) {
        QVERIFY(writeFileAtomic(path.toStdString(), std::string(1000 + i, 'a' + i)).ok());
    }
    QCOMPARE(entriesOf(m_dir->path()), QStringList{"song.mid"});
    QCOMPARE(readWithQt(path), QByteArray(1004, 'e'));
}

void TestFileIO::writeIntoMissingFolderFails() {
    const std::string path = m_dir->filePath("missing/out.json").toStdString();
    const Status s = writeFileAtomic(path, "data");
    QVERIFY(!s.ok());
    TOCCATA_VERIFY_CONTAINS(s.errorMessage(), path + ": ");
    TOCCATA_VERIFY_CONTAINS(s.errorMessage(), "does not exist");
    QVERIFY(entriesOf(m_dir->path()).isEmpty());
}

void TestFileIO::writeOverAFolderFailsAndCleansUp() {
    QVERIFY(QDir(m_dir->path()).mkdir("taken"));
    QVERIFY(writeWithQt(m_dir->filePath("taken/inside.txt"), "keep"));
    const std::string path = m_dir->filePath("taken").toStdString();
    const Status s = writeFileAtomic(path, "data");
    QVERIFY(!s.ok());
    TOCCATA_VERIFY_CONTAINS(s.errorMessage(), path + ": ");
    QCOMPARE(entriesOf(m_dir->path()), QStringList{"taken"});  // no temp file left behind
    QCOMPARE(readWithQt(m_dir->filePath("taken/inside.txt")), QByteArray("keep"));
}

void TestFileIO::writeRelativePathGoesToTheCurrentFolder() {
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir->path()));
    const Status s = writeFileAtomic("relative.txt", "here");
    QDir::setCurrent(before);
    QVERIFY2(s.ok(), s.errorMessage().c_str());
    QCOMPARE(readWithQt(m_dir->filePath("relative.txt")), QByteArray("here"));
    QCOMPARE(entriesOf(m_dir->path()), QStringList{"relative.txt"});
}

void TestFileIO::writeLargeData() {
    std::string big(8 * 1024 * 1024 + 3, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 % 251);
    const std::string path = m_dir->filePath("big.bin").toStdString();
    QVERIFY(writeFileAtomic(path, big).ok());
    const auto back = readFileBytes(path);
    QVERIFY(back.ok());
    QVERIFY(back.value() == big);
}

void TestFileIO::writeIntoReadOnlyFolderFails() {
    if (::geteuid() == 0) QSKIP("running as root: folder permissions are not enforced");
    const QString folder = m_dir->filePath("readonly");
    QVERIFY(QDir(m_dir->path()).mkdir("readonly"));
    QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    const std::string path = (folder + "/out.json").toStdString();
    const Status s = writeFileAtomic(path, "data");
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!s.ok());
    TOCCATA_VERIFY_CONTAINS(s.errorMessage(), path + ": cannot write");
    QVERIFY(entriesOf(folder).isEmpty());
}

QTEST_APPLESS_MAIN(TestFileIO)
#include "TestFileIO.moc"
