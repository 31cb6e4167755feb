// Bringing notes in (import as tracks, into a track) and taking them out (track and selection
// excerpts, drag file names), plus the track instrument (program / drums) edit.
#include <QtTest>

#include "app/Document.h"
#include "app/DocumentExcerpt.h"
#include "app/ProjectFile.h"
#include "app/TrackImport.h"

using namespace toccata;

namespace {

core::NoteSequence twoTracks() {
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, 120.0});
    seq.instrumentInfos = {{0, "Lead", 0, 1}, {1, "Bass", 1, 2}};
    for (int i = 0; i < 4; ++i) {
        seq.notes.push_back({60 + i, 90, i * 0.5, i * 0.5 + 0.4, 0, 73, false});
        seq.notes.push_back({36, 100, i * 0.5, i * 0.5 + 0.25, 1, 33, false});
    }
    seq.recomputeTotalTime();
    return seq;
}

core::NoteSequence drumLoop() {
    core::NoteSequence seq;
    seq.tempos.push_back({0.0, 90.0});
    seq.instrumentInfos = {{0, "", 9, 1}};
    seq.notes.push_back({36, 110, 0.0, 0.1, 0, 0, true});
    seq.notes.push_back({38, 100, 0.5, 0.6, 0, 0, true});
    seq.recomputeTotalTime();
    return seq;
}

int countIn(const app::Document& doc, int instrument) {
    int n = 0;
    for (const core::Note& note : doc.sequence().notes) n += note.instrument == instrument;
    return n;
}

}  // namespace

class TestTrackImport : public QObject {
    Q_OBJECT

private slots:
    void importAsNewTracksAppendsAfterExistingOnes() {
        app::Document doc;
        doc.replaceSequence(twoTracks(), "setup");
        const QList<int> added = app::importAsNewTracks(doc, drumLoop(), "Drop");
        QCOMPARE(added, QList<int>{2});
        QCOMPARE(doc.sequence().instrumentInfos.size(), size_t(3));
        QCOMPARE(countIn(doc, 2), 2);
        QCOMPARE(doc.trackState(2).isDrum, true);
        // The document's own tempo stays: it already had notes.
        QCOMPARE(doc.sequence().tempos.front().qpm, 120.0);
        QCOMPARE(doc.undoStack()->undoText(), QString("Drop"));
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence().instrumentInfos.size(), size_t(2));
        QCOMPARE(doc.sequence().notes.size(), size_t(8));
    }

    void importIntoEmptyDocumentTakesTheTempoMap() {
        app::Document doc;
        const QList<int> added = app::importAsNewTracks(doc, drumLoop(), "Drop");
        QCOMPARE(added.size(), 1);
        QCOMPARE(doc.sequence().tempos.front().qpm, 90.0);
        QVERIFY(app::importAsNewTracks(doc, core::NoteSequence{}, "nothing").isEmpty());
    }

    void importIntoTrackReplacesOrMerges() {
        app::Document doc;
        doc.replaceSequence(twoTracks(), "setup");
        QVERIFY(app::importIntoTrack(doc, drumLoop(), 1, /*replace=*/false, "Merge"));
        QCOMPARE(countIn(doc, 1), 6);
        QCOMPARE(countIn(doc, 0), 4);
        // Merged notes take the track's sound (the bass program), not the file's drums.
        for (const core::Note& n : doc.sequence().notes) {
            if (n.instrument != 1) continue;
            QCOMPARE(n.program, 33);
            QVERIFY(!n.isDrum);
        }
        doc.undoStack()->undo();
        QCOMPARE(countIn(doc, 1), 4);
        QVERIFY(app::importIntoTrack(doc, drumLoop(), 1, /*replace=*/true, "Replace"));
        QCOMPARE(countIn(doc, 1), 2);
        QCOMPARE(countIn(doc, 0), 4);
        QVERIFY(!app::importIntoTrack(doc, drumLoop(), 7, true, "no such track"));
    }

    void trackInstrumentChangesEveryNoteInOneStep() {
        app::Document doc;
        doc.replaceSequence(twoTracks(), "setup");
        QCOMPARE(doc.trackState(1).program, 33);  // taken from the first note on load
        QVERIFY(doc.setTrackInstrument(1, 0, true));
        for (const core::Note& n : doc.sequence().notes)
            if (n.instrument == 1) QVERIFY(n.isDrum);
        QCOMPARE(doc.noteTemplate(1).isDrum, true);
        QVERIFY(!doc.setTrackInstrument(1, 0, true));  // nothing to change
        QVERIFY(!doc.setTrackInstrument(1, 128, false));
        doc.undoStack()->undo();
        QCOMPARE(doc.trackState(1).isDrum, false);
        QCOMPARE(doc.noteTemplate(1).program, 33);

        // An empty track keeps its sound for the notes drawn into it later.
        const int pad = doc.addTrack("Pad", 88, false);
        QCOMPARE(doc.noteTemplate(pad).program, 88);
        QCOMPARE(doc.noteTemplate(pad).instrument, pad);
    }

    void trackSoundIsSavedInTheProject() {
        app::Document doc;
        doc.replaceSequence(twoTracks(), "setup");
        doc.addTrack("Kit", 0, true);
        const std::string json =
            app::ProjectFile::toJson({doc.sequence(), doc.tracks(), QString()});
        auto back = app::ProjectFile::fromJson(json, "test.toccata");
        QVERIFY2(back.ok(), back.ok() ? "" : back.errorMessage().c_str());
        QCOMPARE(back->tracks.size(), size_t(3));
        QCOMPARE(back->tracks[1].program, 33);
        QCOMPARE(back->tracks[2].isDrum, true);
    }

    void selectionExcerptStartsAtItsBar() {
        app::Document doc;
        core::NoteSequence seq = twoTracks();
        seq.timeSignatures.push_back({0.0, 3, 4});  // 3/4 at 120 QPM: bars of 1.5 s
        seq.notes.push_back({72, 80, 3.25, 3.5, 0, 73, false});  // bar 3 (from 3.0 s)
        seq.notes.push_back({74, 80, 3.75, 4.0, 0, 73, false});
        seq.recomputeTotalTime();
        doc.replaceSequence(seq, "setup");
        const app::NoteIds ids{doc.noteIds()[8], doc.noteIds()[9]};
        const core::NoteSequence excerpt = app::notesExcerpt(doc, ids);
        QCOMPARE(excerpt.notes.size(), size_t(2));
        QCOMPARE(excerpt.notes[0].startTime, 0.25);
        QCOMPARE(excerpt.notes[1].endTime, 1.0);
        QCOMPARE(excerpt.timeSignatures.size(), size_t(1));
        QCOMPARE(excerpt.timeSignatures[0].numerator, 3);
        QCOMPARE(excerpt.timeSignatures[0].time, 0.0);
        QCOMPARE(excerpt.tempos.front().time, 0.0);
        QCOMPARE(excerpt.instrumentInfos.size(), size_t(1));
        QCOMPARE(excerpt.instrumentInfos[0].name, std::string("Lead"));

        const core::NoteSequence bass = app::trackExcerpt(doc, 1);
        QCOMPARE(bass.notes.size(), size_t(4));
        QCOMPARE(bass.notes[1].startTime, 0.5);  // a whole track keeps its place
        QVERIFY(app::trackExcerpt(doc, 9).notes.empty());
    }

    void dragFileNamesAreSafe() {
        QCOMPARE(app::midiFileNameFor({"song.mid", "Bass"}), QString("song - Bass.mid"));
        QCOMPARE(app::midiFileNameFor({"a/b:c*d?", "  "}), QString("a_b_c_d_.mid"));
        QCOMPARE(app::midiFileNameFor({}), QString("Toccata.mid"));
    }
};

QTEST_GUILESS_MAIN(TestTrackImport)
#include "TestTrackImport.moc"
