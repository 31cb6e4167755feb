// The roll's lanes and layers: the velocity lane (drag one stem, or the selection's stems
// together, one undo step), the drum lane (GM drum names, fixed-size hits) and the ghost
// take with its bar (flip, accept as one undo step, discard).
#include <QLabel>
#include <QToolButton>
#include <QtTest>

#include "RollTestSupport.h"
#include "core/GeneralMidi.h"
#include "ui/pianoroll/GhostBar.h"
#include "ui/pianoroll/KeyboardGutter.h"
#include "ui/pianoroll/VelocityLane.h"

using namespace toccata;
using test::note;
using ui::PianoRollView;

namespace {

core::NoteSequence song() {
    core::NoteSequence seq;
    seq.instrumentInfos = {{0, "Piano", 0, 1}, {1, "Drums", core::kDrumChannel, 2}};
    seq.notes = {note(60, 0.0, 0.5, 0, 90), note(64, 0.5, 1.0, 0, 90), note(67, 1.0, 1.5, 0, 90)};
    for (int i = 0; i < 4; ++i) {
        core::Note kick = note(36, i * 0.5, i * 0.5 + 0.1, 1, 110);
        kick.isDrum = true;
        seq.notes.push_back(kick);
    }
    seq.recomputeTotalTime();
    return seq;
}

app::NoteId idOfPitch(const app::Document& doc, int pitch) {
    for (size_t i = 0; i < doc.sequence().notes.size(); ++i)
        if (doc.sequence().notes[i].pitch == pitch) return doc.noteIds()[i];
    return 0;
}

core::NoteSequence take(std::initializer_list<int> pitches) {
    core::NoteSequence seq;
    double t = 2.0;
    for (int p : pitches) {
        seq.notes.push_back(note(p, t, t + 0.25, 5, 0));  // instrument is replaced on accept
        t += 0.25;
    }
    return seq;
}

}  // namespace

class TestPianoRollLanes : public QObject {
    Q_OBJECT

private slots:
    void velocityDragOneStemThenSelection() {
        test::RollFixture f(song());
        ui::VelocityLane* lane = f.panel.velocityLane();
        const app::NoteId c = idOfPitch(f.doc, 60);
        const app::NoteId e = idOfPitch(f.doc, 64);
        const app::NoteId g = idOfPitch(f.doc, 67);

        // An unselected stem: only that note changes.
        QPointF top = lane->stemTop(g);
        QVERIFY(top.x() >= 0);
        const double y = lane->height() * 0.7;
        test::drag(lane, top, QPointF(top.x(), y));
        const int expected = lane->velocityForY(y);
        QVERIFY(expected < 90);
        QCOMPARE(f.doc.note(g)->velocity, expected);
        QCOMPARE(f.doc.note(c)->velocity, 90);
        QCOMPARE(f.undoCount(), 1);

        // A selected stem moves every selected stem by the same amount, in one step.
        f.view()->setSelectedNotes({c, e});
        top = lane->stemTop(e);
        const double up = lane->height() * 0.2;
        test::drag(lane, top, QPointF(top.x(), up));
        const int delta = lane->velocityForY(up) - 90;
        QVERIFY(delta > 0);
        QCOMPARE(f.doc.note(e)->velocity, 90 + delta);
        QCOMPARE(f.doc.note(c)->velocity, 90 + delta);
        QCOMPARE(f.doc.note(g)->velocity, expected);
        QCOMPARE(f.undoCount(), 2);
        f.doc.undoStack()->undo();
        QCOMPARE(f.doc.note(c)->velocity, 90);
        QCOMPARE(f.doc.note(e)->velocity, 90);
    }

    void drumTrackShowsNamesAndDrawsHits() {
        test::RollFixture f(song());
        QVERIFY(!f.view()->isDrumTrack());
        QCOMPARE(f.view()->gutterWidth(), PianoRollView::kKeyboardWidth);
        f.view()->setCurrentTrack(1);
        QVERIFY(f.view()->isDrumTrack());
        QCOMPARE(f.view()->gutterWidth(), PianoRollView::kDrumGutterWidth);
        QVERIFY(f.view()->rollGeometry().lowPitch() <= 35);
        QVERIFY(f.view()->rollGeometry().highPitch() >= 81);
        QCOMPARE(ui::KeyboardGutter::drumRowLabel(38), QString("Acoustic Snare"));
        QCOMPARE(ui::KeyboardGutter::drumRowLabel(42), QString::fromUtf8(core::gmDrumName(42)));
        QCOMPARE(ui::KeyboardGutter::drumRowLabel(20), QString("20"));  // no GM sound
        auto* gutter = f.view()->findChild<ui::KeyboardGutter*>("PianoRollGutter");
        QVERIFY(gutter);
        gutter->repaint();
        f.viewport()->repaint();
        QVERIFY(f.view()->lastPaintedNoteCount() >= 4);

        // Drawing adds a one-step hit on the clicked row, as a drum note of the track.
        test::click(f.viewport(), f.at(0.3, 38));
        const core::Note* snare = f.doc.note(idOfPitch(f.doc, 38));
        QVERIFY(snare);
        QCOMPARE(snare->instrument, 1);
        QVERIFY(snare->isDrum);
        QCOMPARE(snare->startTime, 0.25);
        QCOMPARE(snare->endTime, 0.375);
        // A hit is grabbed by its block even past its (short) end, and moves by rows.
        const app::NoteId kick = f.doc.noteIds()[3];
        test::drag(f.viewport(), f.at(0.0, 36) + QPointF(10, 0), f.at(0.0, 35) + QPointF(10, 0));
        QCOMPARE(f.doc.note(kick)->pitch, 35);
        QCOMPARE(f.doc.note(kick)->startTime, 0.0);

        f.view()->setCurrentTrack(0);
        QVERIFY(!f.view()->isDrumTrack());
        QCOMPARE(f.view()->rollGeometry().highPitch(), 127);
    }

    void ghostTakesFlipAcceptAndDiscard() {
        test::RollFixture f(song());
        ui::GhostBar* bar = f.panel.ghostBar();
        QVERIFY(bar->isHidden());
        f.ghosts.setTakes(0, {take({72, 74}), take({76, 77, 79})}, "Continue");
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(), QString("Variation 1/2 · Continue"));
        f.viewport()->repaint();  // the ghost layer paints over the track

        QTest::keyClick(f.view(), Qt::Key_BracketRight);
        QCOMPARE(f.ghosts.current(), 1);
        QCOMPARE(bar->text(), QString("Variation 2/2 · Continue"));
        QTest::keyClick(f.view(), Qt::Key_BracketLeft);
        QCOMPARE(f.ghosts.current(), 0);
        bar->nextButton()->click();
        QCOMPARE(f.ghosts.current(), 1);
        QCOMPARE(f.undoCount(), 0);  // flipping edits nothing

        QTest::keyClick(f.view(), Qt::Key_Return);
        QCOMPARE(f.doc.sequence().notes.size(), size_t(10));
        QCOMPARE(f.undoCount(), 1);
        QVERIFY(f.ghosts.isEmpty());
        QVERIFY(bar->isHidden());
        const core::Note* added = f.doc.note(idOfPitch(f.doc, 79));
        QVERIFY(added);
        QCOMPARE(added->instrument, 0);
        QVERIFY(added->velocity > 0);
        f.doc.undoStack()->undo();
        QCOMPARE(f.doc.sequence().notes.size(), size_t(7));

        // Esc discards (before it would clear the selection); the bar's button does too.
        f.view()->selectAll();
        f.ghosts.setTakes(0, {take({72})}, "Again");
        QTest::keyClick(f.view(), Qt::Key_Escape);
        QVERIFY(f.ghosts.isEmpty());
        QCOMPARE(f.view()->selectedNotes().size(), 3);
        f.ghosts.setTakes(0, {take({72})}, "Again");
        bar->discardButton()->click();
        QVERIFY(f.ghosts.isEmpty());
        QCOMPARE(f.doc.sequence().notes.size(), size_t(7));
    }
};

QTEST_MAIN(TestPianoRollLanes)
#include "TestPianoRollLanes.moc"
