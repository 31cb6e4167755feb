// Document edits: every edit is one undoable command, undo/redo round-trip exactly, note ids
// stay stable, and `modified` follows the undo stack's clean state.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "app/Document.h"
#include "core/midi/MidiIO.h"

using namespace toccata;
using app::Document;

class TestDocument : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static core::Note note(int pitch, double start, double end, int instrument = 0) {
        core::Note n;
        n.pitch = pitch;
        n.velocity = 80;
        n.startTime = start;
        n.endTime = end;
        n.instrument = instrument;
        return n;
    }

    /// A document with one track and three notes, loaded (clean) from a MIDI file.
    void loadThreeNotes(Document& doc) {
        core::NoteSequence seq;
        seq.instrumentInfos = {{0, "Piano", 0, 1}};
        seq.notes = {note(60, 0.0, 0.5), note(64, 0.5, 1.0), note(67, 1.0, 1.5)};
        seq.recomputeTotalTime();
        const QString path = m_dir.filePath("three.mid");
        QVERIFY(core::writeMidiFile(seq, path.toStdString()).ok());
        QString error;
        QVERIFY2(doc.load(path, &error), qPrintable(error));
        QVERIFY(!doc.isModified());
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void addNotesUndoRedo() {
        Document doc;
        QSignalSpy added(&doc, &Document::notesAdded);
        QSignalSpy modified(&doc, &Document::modifiedChanged);
        const app::NoteIds ids = doc.addNotes({note(60, 0, 1), note(62, 1, 2)});
        QCOMPARE(ids.size(), 2);
        QCOMPARE(doc.sequence().notes.size(), size_t(2));
        QCOMPARE(doc.note(ids[1])->pitch, 62);
        QCOMPARE(added.count(), 1);
        QVERIFY(doc.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.sequence().instrumentInfos.size(), size_t(0));  // not normalized by edits
        doc.undoStack()->undo();
        QVERIFY(doc.sequence().notes.empty());
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.noteIds(), std::vector<app::NoteId>(ids.begin(), ids.end()));
        QCOMPARE(doc.sequence().totalTime, 2.0);

        const app::NoteIds odd = doc.addNotes({note(300, -1.0, -2.0)});
        QCOMPARE(doc.note(odd[0])->pitch, 127);
        QCOMPARE(doc.note(odd[0])->startTime, 0.0);
        QCOMPARE(doc.note(odd[0])->endTime, Document::kMinNoteSeconds);
    }

    void removeNotesRestoresOrderOnUndo() {
        Document doc;
        loadThreeNotes(doc);
        const core::NoteSequence before = doc.sequence();
        const std::vector<app::NoteId> idsBefore = doc.noteIds();
        QVERIFY(doc.removeNotes({idsBefore[0], idsBefore[2]}));
        QCOMPARE(doc.sequence().notes.size(), size_t(1));
        QCOMPARE(doc.sequence().notes[0].pitch, 64);
        QVERIFY(!doc.removeNotes({9999}));  // unknown id: nothing pushed
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence(), before);
        QCOMPARE(doc.noteIds(), idsBefore);
        QVERIFY(!doc.isModified());
    }

    void moveResizeVelocityTranspose() {
        Document doc;
        loadThreeNotes(doc);
        const core::NoteSequence original = doc.sequence();
        const app::NoteId id = doc.noteIds()[1];
        QSignalSpy changed(&doc, &Document::notesChanged);

        QVERIFY(doc.moveNotes({id}, 0.25, 2));
        QCOMPARE(doc.note(id)->pitch, 66);
        QCOMPARE(doc.note(id)->startTime, 0.75);
        QCOMPARE(doc.note(id)->endTime, 1.25);
        QCOMPARE(doc.undoStack()->undoText(), QString("Move Notes"));

        QVERIFY(doc.resizeNotes({id}, -10.0));  // clamped to the minimum length
        QCOMPARE(doc.note(id)->endTime, 0.75 + Document::kMinNoteSeconds);

        QVERIFY(doc.setVelocity({id}, 200));
        QCOMPARE(doc.note(id)->velocity, 127);

        const app::NoteIds all(doc.noteIds().begin(), doc.noteIds().end());
        QVERIFY(doc.transpose(all, -12));
        QCOMPARE(doc.note(id)->pitch, 54);
        QCOMPARE(doc.undoStack()->undoText(), QString("Transpose Notes"));

        QVERIFY(doc.setNoteGeometry(id, 2.0, 3.0, 70));
        QCOMPARE(doc.note(id)->startTime, 2.0);
        QCOMPARE(doc.undoStack()->count(), 5);
        QCOMPARE(changed.count(), 5);
        while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
        QCOMPARE(doc.sequence(), original);
        while (doc.undoStack()->canRedo()) doc.undoStack()->redo();
        QCOMPARE(doc.note(id)->pitch, 70);
        QCOMPARE(doc.indexOf(id), 1);  // ids survive every edit
    }

    void quantizeSnapsToGrid() {
        Document doc;
        const app::NoteIds ids = doc.addNotes({note(60, 0.13, 0.61), note(62, 1.01, 1.02)});
        // 120 qpm, 4 steps per quarter: steps of 0.125 s.
        QVERIFY(doc.quantize(ids, 4));
        QCOMPARE(doc.note(ids[0])->startTime, 0.125);
        QCOMPARE(doc.note(ids[0])->endTime, 0.625);
        QCOMPARE(doc.note(ids[1])->startTime, 1.0);
        QCOMPARE(doc.note(ids[1])->endTime, 1.125);  // at least one step
        QCOMPARE(doc.undoStack()->undoText(), QString("Quantize Notes"));
        doc.undoStack()->undo();
        QCOMPARE(doc.note(ids[0])->startTime, 0.13);
        QString error;
        QVERIFY(!doc.quantize(ids, 0, &error));
        QVERIFY(!error.isEmpty());
    }

    void tracksAddRenameRemoveUndo() {
        Document doc;
        loadThreeNotes(doc);
        const core::NoteSequence original = doc.sequence();
        QSignalSpy reset(&doc, &Document::reset);
        const int drums = doc.addTrack("Drums");
        QCOMPARE(drums, 1);
        QCOMPARE(doc.tracks().size(), size_t(2));
        doc.addNotes({note(36, 0, 0.1, drums)});
        QVERIFY(doc.renameTrack(drums, "Kit"));
        QCOMPARE(doc.sequence().instrumentName(drums), std::string("Kit"));
        app::TrackState state = doc.trackState(drums);
        state.colour = QColor("#ff8800");
        state.muted = true;
        QVERIFY(doc.setTrackState(state));
        QVERIFY(doc.trackState(drums).muted);
        QVERIFY(doc.removeTrack(0));
        QCOMPARE(doc.sequence().notes.size(), size_t(1));
        QCOMPARE(doc.tracks().size(), size_t(1));
        QCOMPARE(doc.undoStack()->count(), 5);
        QVERIFY(reset.count() >= 4);
        while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
        QCOMPARE(doc.sequence(), original);
        QCOMPARE(doc.tracks().size(), size_t(1));
        QVERIFY(!doc.isModified());
    }

    void replaceSequenceIsOneStep() {
        Document doc;
        loadThreeNotes(doc);
        const core::NoteSequence original = doc.sequence();
        core::NoteSequence other;
        other.notes = {note(40, 0, 4, 3)};
        doc.replaceSequence(other, "Import");
        QCOMPARE(doc.sequence().notes.size(), size_t(1));
        QCOMPARE(doc.tracks().size(), size_t(1));  // instrument 3 got a track
        QCOMPARE(doc.tracks()[0].instrument, 3);
        QCOMPARE(doc.undoStack()->undoText(), QString("Import"));
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence(), original);
    }

    void saveMakesCleanAndUndoMakesModified() {
        Document doc;
        doc.addNotes({note(60, 0, 1)});
        QVERIFY(doc.isModified());
        QString error;
        const QString path = m_dir.filePath("clean.toccata");
        QVERIFY2(doc.save(path, &error), qPrintable(error));
        QVERIFY(!doc.isModified());
        QCOMPARE(doc.filePath(), path);
        QCOMPARE(doc.displayName(), QString("clean.toccata"));
        doc.undoStack()->undo();
        QVERIFY(doc.isModified());
        doc.undoStack()->redo();
        QVERIFY(!doc.isModified());
    }

    void badFileLeavesDocumentUnchanged() {
        Document doc;
        loadThreeNotes(doc);
        const core::NoteSequence before = doc.sequence();
        QString error;
        QVERIFY(!doc.load(m_dir.filePath("missing.toccata"), &error));
        QVERIFY(error.contains("missing.toccata"));
        QCOMPARE(doc.sequence(), before);
    }
};

QTEST_MAIN(TestDocument)
#include "TestDocument.moc"
