// MidiIO: the file-level API other modules use (read, parse, write atomically, bytes).
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "SmfBuilder.h"
#include "SmfSamples.h"
#include "core/midi/MidiIO.h"

using namespace toccata::core;
using toccata::test::Bytes;
using toccata::test::TrackBytes;

class TestMidiIO : public QObject {
    Q_OBJECT

private:
    static NoteSequence sample() {
        NoteSequence s;
        s.tempos = {{0.0, 90.0}};
        s.timeSignatures = {{0.0, 3, 4}};
        s.notes = {
            {60, 100, 0.0, 0.5, 0, 0}, {64, 70, 0.5, 1.0, 0, 0}, {38, 90, 0.25, 0.3, 1, 0, true}};
        s.recomputeTotalTime();
        return s;
    }

private slots:
    void writeThenRead() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("out.mid").toStdString();
        const NoteSequence s = sample();
        const Status written = writeMidiFile(s, path);
        QVERIFY2(written.ok(), written.errorMessage().c_str());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"out.mid"});
        Result<NoteSequence> back = readMidiFile(path);
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        QCOMPARE(back->filename, path);
        QCOMPARE(back->notes.size(), s.notes.size());
        QCOMPARE(back->ticksPerQuarter, kDefaultTicksPerQuarter);
        // 90 QPM is stored as 666667 microseconds per quarter: times move by < 1 microsecond.
        QVERIFY(std::abs(back->totalTime - s.totalTime) < 1e-6);
        QCOMPARE(back->notes[2].pitch, 38);
        QVERIFY(back->notes[2].isDrum);
        QCOMPARE(back->instrumentInfos[1].midiChannel, kDrumChannel);
        // The bytes API writes the same thing.
        std::ifstream in(path, std::ios::binary);
        const Bytes onDisk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QCOMPARE(midiBytesFromSequence(s), onDisk);
    }

    void overwriteKeepsOldFileOnFailure() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("missing-folder/out.mid").toStdString();
        const Status st = writeMidiFile(sample(), path);
        QVERIFY(!st.ok());
        QVERIFY2(st.errorMessage().find(path) != std::string::npos, st.errorMessage().c_str());
    }

    void parseBytes() {
        const auto samples = toccata::test::smfSamples();
        Result<NoteSequence> s = parseMidiBytes(samples[1].bytes, "memory.mid");
        QVERIFY(s.ok());
        QCOMPARE(s->filename, std::string("memory.mid"));
        QCOMPARE(s->title, std::string("Song title"));
        QCOMPARE(s->notes.size(), size_t{3});
    }

    void errorsNameTheFile() {
        Result<NoteSequence> bad = parseMidiBytes({'M', 'T', 'h', 'd', 0, 0}, "broken.mid");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorMessage().find("broken.mid: offset ") == 0, bad.errorMessage().c_str());
        QTemporaryDir dir;
        const std::string garbage = dir.filePath("garbage.mid").toStdString();
        std::ofstream(garbage, std::ios::binary) << "this is not a MIDI file at all";
        Result<NoteSequence> g = readMidiFile(garbage);
        QVERIFY(!g.ok());
        QVERIFY2(g.errorMessage().find(garbage + ": offset 0:") == 0, g.errorMessage().c_str());
        Result<NoteSequence> missing = readMidiFile(dir.filePath("nope.mid").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(missing.errorMessage().find("nope.mid") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestMidiIO)
#include "TestMidiIO.moc"
