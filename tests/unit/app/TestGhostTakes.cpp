// GhostTakes: flipping through generated variations, accepting one as a single undoable
// step on its target track (creating the track when missing), discarding.
#include <QSignalSpy>
#include <QtTest>

#include "app/Document.h"
#include "app/GhostTakes.h"

using namespace toccata;

namespace {

core::NoteSequence take(int pitch, int count) {
    core::NoteSequence seq;
    for (int i = 0; i < count; ++i) {
        core::Note n;
        n.pitch = pitch + i;
        n.velocity = i == 0 ? 0 : 80;  // generated notes may carry no velocity
        n.startTime = i * 0.5;
        n.endTime = i * 0.5 + 0.4;
        seq.notes.push_back(n);
    }
    return seq;
}

core::NoteSequence twoTracks() {
    core::NoteSequence seq;
    seq.instrumentInfos = {{0, "Lead", 0, 1}, {1, "Bass", 1, 2}};
    core::Note a;
    a.pitch = 60;
    a.endTime = 1.0;
    a.program = 73;
    core::Note b = a;
    b.pitch = 36;
    b.instrument = 1;
    b.program = 33;
    seq.notes = {a, b};
    seq.recomputeTotalTime();
    return seq;
}

}  // namespace

class TestGhostTakes : public QObject {
    Q_OBJECT

private slots:
    void flipsAndWraps() {
        app::GhostTakes takes;
        QSignalSpy changed(&takes, &app::GhostTakes::changed);
        QCOMPARE(takes.current(), -1);
        QVERIFY(!takes.currentTake());
        takes.setTakes(1, {take(60, 1), take(62, 2), take(64, 3)}, "Continue");
        QCOMPARE(changed.count(), 1);
        QCOMPARE(takes.count(), 3);
        QCOMPARE(takes.current(), 0);
        QCOMPARE(takes.label(), QString("Continue"));
        QCOMPARE(takes.targetInstrument(), 1);
        takes.previous();
        QCOMPARE(takes.current(), 2);
        QCOMPARE(takes.currentTake()->notes.size(), size_t(3));
        takes.next();
        QCOMPARE(takes.current(), 0);
        QVERIFY(!takes.setCurrent(3));
        QVERIFY(takes.setCurrent(1));
        QCOMPARE(takes.currentTake()->notes.front().pitch, 62);
        QCOMPARE(changed.count(), 4);
        takes.discard();
        QVERIFY(takes.isEmpty());
        QCOMPARE(changed.count(), 5);
        takes.discard();  // nothing left: no signal
        QCOMPARE(changed.count(), 5);
    }

    void acceptAddsToTargetTrackAsOneStep() {
        app::Document doc;
        doc.restoreUnsaved(twoTracks(), {}, {});
        app::GhostTakes takes;
        takes.setTakes(1, {take(40, 2), take(50, 3)}, "Bassline");
        takes.next();
        QVERIFY(takes.accept(doc));
        QVERIFY(takes.isEmpty());
        QCOMPARE(doc.sequence().notes.size(), size_t(5));
        QCOMPARE(doc.undoStack()->count(), 1);
        QVERIFY(doc.undoStack()->undoText().contains("Bassline"));
        int onBass = 0;
        for (const core::Note& n : doc.sequence().notes) {
            if (n.pitch < 50 || n.pitch > 52) continue;
            QCOMPARE(n.instrument, 1);
            QCOMPARE(n.program, 33);  // the track's sound
            QVERIFY(n.velocity > 0);
            ++onBass;
        }
        QCOMPARE(onBass, 3);
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence(), twoTracks());
        QVERIFY(!takes.accept(doc));  // nothing left to accept
    }

    void acceptCreatesMissingTrackInTheSameStep() {
        app::Document doc;  // no tracks at all
        app::GhostTakes takes;
        takes.setTakes(3, {take(60, 4)}, {});
        QVERIFY(takes.accept(doc));
        QCOMPARE(doc.tracks().size(), size_t(1));
        QCOMPARE(doc.sequence().notes.size(), size_t(4));
        QCOMPARE(doc.sequence().notes.front().instrument, doc.tracks().front().instrument);
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QVERIFY(doc.tracks().empty());
        QVERIFY(doc.sequence().notes.empty());
    }

    void emptyTakeIsNotAccepted() {
        app::Document doc;
        app::GhostTakes takes;
        takes.setTakes(0, {core::NoteSequence{}}, "Silence");
        QVERIFY(!takes.accept(doc));
        QCOMPARE(takes.count(), 1);  // kept: the user may still flip or discard
        QCOMPARE(doc.undoStack()->count(), 0);
    }
};

QTEST_MAIN(TestGhostTakes)
#include "TestGhostTakes.moc"
