// Project files: round trip of notes, tempo map and track UI state; clear errors for future
// versions, wrong formats and corrupt files, each naming the file.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/Document.h"
#include "app/ProjectFile.h"

using namespace toccata;
using app::ProjectFile;

class TestProjectFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static app::ProjectData sample() {
        app::ProjectData data;
        core::NoteSequence& seq = data.sequence;
        seq.tempos = {{0.0, 90.0}, {4.0, 140.0}};
        seq.timeSignatures = {{0.0, 6, 8}};
        seq.instrumentInfos = {{0, "Lead", 0, 1}, {1, "Drums", 9, 2}};
        seq.notes.push_back({72, 100, 0.0, 0.5, 0, 80, false});
        seq.notes.push_back({36, 120, 0.5, 0.6, 1, 0, true});
        seq.recomputeTotalTime();
        data.tracks = {{0, QColor("#112233"), false, true}, {1, QColor(), true, false}};
        return data;
    }

    QString writeText(const QString& name, const QByteArray& text) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) return {};
        f.write(text);
        return path;
    }

private slots:
    void roundTrip() {
        const QString path = m_dir.filePath("song.toccata");
        const app::ProjectData data = sample();
        QVERIFY(ProjectFile::write(data, path).ok());
        auto read = ProjectFile::read(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.errorMessage().c_str());
        QCOMPARE(read->sequence, data.sequence);
        QCOMPARE(read->tracks.size(), size_t(2));
        QVERIFY(read->tracks == data.tracks);
        QVERIFY(read->originalPath.isEmpty());

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("\"toccata-project\""));
        QVERIFY(text.contains("\"version\": 1"));
    }

    void documentRoundTripKeepsTrackState() {
        app::Document doc;
        doc.replaceSequence(sample().sequence, "Import");
        app::TrackState state = doc.trackState(1);
        state.soloed = true;
        state.colour = QColor("#abcdef");
        QVERIFY(doc.setTrackState(state));
        const QString path = m_dir.filePath("doc.toccata");
        QString error;
        QVERIFY2(doc.save(path, &error), qPrintable(error));

        app::Document other;
        QVERIFY2(other.load(path, &error), qPrintable(error));
        QCOMPARE(other.sequence(), doc.sequence());
        QVERIFY(other.trackState(1) == state);
        QCOMPARE(other.filePath(), path);
        QVERIFY(!other.isModified());
    }

    void futureVersionIsRejected() {
        const QString path = writeText(
            "future.toccata",
            R"({"format":"toccata-project","version":7,"sequence":{"notes":[]}})");
        auto read = ProjectFile::read(path);
        QVERIFY(!read.ok());
        const QString message = QString::fromStdString(read.errorMessage());
        QVERIFY2(message.contains("future.toccata") && message.contains("newer") &&
                     message.contains("7"),
                 qPrintable(message));
    }

    void corruptAndForeignFilesAreRejected() {
        const QString corrupt = writeText("corrupt.toccata", "{\"format\": \"toccata-proj");
        auto a = ProjectFile::read(corrupt);
        QVERIFY(!a.ok());
        QVERIFY(QString::fromStdString(a.errorMessage()).contains("corrupt.toccata"));

        const QString foreign = writeText("foreign.toccata", R"({"format":"other","version":1})");
        auto b = ProjectFile::read(foreign);
        QVERIFY(!b.ok());
        QVERIFY(QString::fromStdString(b.errorMessage()).contains("foreign.toccata"));
        QVERIFY(QString::fromStdString(b.errorMessage()).contains("toccata-project"));

        const QString badNote = writeText(
            "badnote.toccata",
            R"({"format":"toccata-project","version":1,"sequence":{"notes":[{"pitch":200}]}})");
        auto c = ProjectFile::read(badNote);
        QVERIFY(!c.ok());
        QVERIFY(QString::fromStdString(c.errorMessage()).contains("pitch"));

        app::Document doc;
        QString error;
        QVERIFY(!doc.load(corrupt, &error));
        QVERIFY(error.contains("corrupt.toccata"));
    }
};

QTEST_MAIN(TestProjectFile)
#include "TestProjectFile.moc"
