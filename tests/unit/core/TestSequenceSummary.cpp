// SequenceSummary: per-track facts (grouping by instrument, programs in first-use order, drum
// detection, pitch range, extent) and totals (note counts, duration, bars).
#include <QtTest>

#include <vector>

#include "CoreTestSupport.h"
#include "core/SequenceSummary.h"

using namespace toccata::core;
using toccata::test::qs;

namespace {

Note note(int instrument, int program, int pitch, double start, double end, bool isDrum = false) {
    Note n;
    n.instrument = instrument;
    n.program = program;
    n.pitch = pitch;
    n.velocity = 90;
    n.startTime = start;
    n.endTime = end;
    n.isDrum = isDrum;
    return n;
}

/// Four instruments with InstrumentInfos (one without notes) and one without.
NoteSequence band() {
    NoteSequence s;
    s.instrumentInfos = {
        {0, "Piano", 0, 1}, {1, "Bass", 1, 2}, {2, "Drums", 9, 3}, {3, "Silent", 2, 4}};
    s.notes = {
        note(0, 4, 64, 0.0, 0.5),       note(2, 0, 36, 0.0, 0.1, true), note(1, 33, 40, 0.25, 2.0),
        note(0, 0, 60, 0.5, 1.0),       note(2, 0, 38, 0.5, 0.6, true), note(0, 4, 67, 1.0, 1.5),
        note(2, 0, 42, 1.0, 1.1, true), note(5, 10, 72, 3.0, 3.5),
    };
    s.recomputeTotalTime();
    return s;
}

}  // namespace

class TestSequenceSummary : public QObject {
    Q_OBJECT

private slots:
    void groupsTracksByInstrument();
    void programsInFirstUseOrder();
    void detectsDrumsFromNotesOrChannel10();
    void totals();
    void barCountFollowsTheTimeSignature();
    void emptySequence();
    void trackExtentDoesNotDependOnNoteOrder();
};

void TestSequenceSummary::groupsTracksByInstrument() {
    const SequenceSummary s = summarize(band());
    QCOMPARE(s.tracks.size(), size_t{5});
    const std::vector<int> instruments = {0, 1, 2, 3, 5};
    for (size_t i = 0; i < instruments.size(); ++i)
        QCOMPARE(s.tracks[i].instrument, instruments[i]);

    const TrackSummary& piano = s.tracks[0];
    QCOMPARE(qs(piano.name), QStringLiteral("Piano"));
    QCOMPARE(piano.midiChannel, 0);
    QCOMPARE(piano.noteCount, size_t{3});
    QCOMPARE(piano.minPitch, 60);
    QCOMPARE(piano.maxPitch, 67);
    QCOMPARE(piano.startTime, 0.0);
    QCOMPARE(piano.endTime, 1.5);
    QCOMPARE(piano.isDrum, false);

    const TrackSummary& bass = s.tracks[1];
    QCOMPARE(qs(bass.name), QStringLiteral("Bass"));
    QCOMPARE(bass.midiChannel, 1);
    QCOMPARE(bass.noteCount, size_t{1});
    QCOMPARE(bass.minPitch, 40);
    QCOMPARE(bass.maxPitch, 40);
    QCOMPARE(bass.startTime, 0.25);
    QCOMPARE(bass.endTime, 2.0);

    const TrackSummary& silent = s.tracks[3];
    QCOMPARE(qs(silent.name), QStringLiteral("Silent"));
    QCOMPARE(silent.midiChannel, 2);
    QCOMPARE(silent.noteCount, size_t{0});
    QVERIFY(silent.programs.empty());
    QCOMPARE(silent.isDrum, false);

    const TrackSummary& unnamed = s.tracks[4];  // notes without an InstrumentInfo
    QCOMPARE(qs(unnamed.name), QString());
    QCOMPARE(unnamed.midiChannel, -1);
    QCOMPARE(unnamed.noteCount, size_t{1});
    QCOMPARE(unnamed.programs, std::vector<int>{10});
    QCOMPARE(unnamed.startTime, 3.0);
    QCOMPARE(unnamed.endTime, 3.5);
}

void TestSequenceSummary::programsInFirstUseOrder() {
    const SequenceSummary s = summarize(band());
    QCOMPARE(s.tracks[0].programs, (std::vector<int>{4, 0}));  // not sorted, no duplicates
    QCOMPARE(s.tracks[1].programs, std::vector<int>{33});
    QCOMPARE(s.tracks[2].programs, std::vector<int>{0});

    NoteSequence many;
    for (int program : {5, 3, 5, 9, 3, 0, 9}) many.notes.push_back(note(0, program, 60, 0, 1));
    QCOMPARE(summarize(many).tracks.at(0).programs, (std::vector<int>{5, 3, 9, 0}));
}

void TestSequenceSummary::detectsDrumsFromNotesOrChannel10() {
    const SequenceSummary s = summarize(band());
    QCOMPARE(s.tracks[2].isDrum, true);
    QCOMPARE(s.tracks[2].noteCount, size_t{3});
    QCOMPARE(s.tracks[2].midiChannel, 9);

    // Channel 10 alone makes a drum track, even before any drum-flagged note.
    NoteSequence byChannel;
    byChannel.instrumentInfos = {{0, "Kit", 9, 1}};
    byChannel.notes = {note(0, 0, 36, 0, 1, false)};
    QCOMPARE(summarize(byChannel).tracks.at(0).isDrum, true);

    // A drum-flagged note alone does too.
    NoteSequence byNote;
    byNote.notes = {note(7, 0, 60, 0, 1, false), note(7, 0, 36, 1, 2, true)};
    QCOMPARE(summarize(byNote).tracks.at(0).isDrum, true);
    QCOMPARE(summarize(byNote).drumNoteCount, size_t{1});

    // Neither: not drums.
    NoteSequence neither;
    neither.instrumentInfos = {{0, "Kit?", 8, 1}};
    neither.notes = {note(0, 0, 36, 0, 1)};
    QCOMPARE(summarize(neither).tracks.at(0).isDrum, false);
}

void TestSequenceSummary::totals() {
    const SequenceSummary s = summarize(band());
    QCOMPARE(s.noteCount, size_t{8});
    QCOMPARE(s.drumNoteCount, size_t{3});
    QCOMPARE(s.duration, 3.5);
    QCOMPARE(s.bars, int64_t{2});  // 120 QPM 4/4: 2 s per bar
}

void TestSequenceSummary::barCountFollowsTheTimeSignature() {
    NoteSequence s;
    s.timeSignatures = {{0.0, 3, 4}};  // 1.5 s per bar at 120 QPM
    s.notes = {note(0, 0, 60, 0.0, 3.0)};
    s.recomputeTotalTime();
    QCOMPARE(summarize(s).bars, int64_t{2});  // exactly two bars
    s.notes[0].endTime = 3.01;
    s.recomputeTotalTime();
    QCOMPARE(summarize(s).bars, int64_t{3});
    s.tempos = {{0.0, 60.0}};  // 3 s per bar
    QCOMPARE(summarize(s).bars, int64_t{2});
    QCOMPARE(summarize(s).duration, 3.01);
}

void TestSequenceSummary::emptySequence() {
    const SequenceSummary s = summarize(NoteSequence{});
    QVERIFY(s.tracks.empty());
    QCOMPARE(s.noteCount, size_t{0});
    QCOMPARE(s.drumNoteCount, size_t{0});
    QCOMPARE(s.duration, 0.0);
    QCOMPARE(s.bars, int64_t{0});
}

void TestSequenceSummary::trackExtentDoesNotDependOnNoteOrder() {
    NoteSequence s;
    s.notes = {note(0, 0, 70, 2.0, 2.5), note(0, 0, 50, 0.5, 4.0), note(0, 0, 60, 1.0, 1.5)};
    const TrackSummary t = summarize(s).tracks.at(0);
    QCOMPARE(t.startTime, 0.5);
    QCOMPARE(t.endTime, 4.0);
    QCOMPARE(t.minPitch, 50);
    QCOMPARE(t.maxPitch, 70);
}

QTEST_APPLESS_MAIN(TestSequenceSummary)
#include "TestSequenceSummary.moc"
