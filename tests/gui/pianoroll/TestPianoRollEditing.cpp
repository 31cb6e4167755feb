// The piano roll as an editor: draw, move, resize, rubber-band select, delete, transpose,
// duplicate, quantize, track switching, the ruler, and painting only what is visible — all
// through real widgets, checked on the Document and its undo stack.
#include <QComboBox>
#include <QSignalSpy>
#include <QtTest>

#include "RollTestSupport.h"
#include "TestSupport.h"
#include "core/SequenceFile.h"
#include "ui/pianoroll/PianoRollToolBar.h"
#include "ui/pianoroll/TimeRuler.h"

using namespace toccata;
using test::note;
using ui::PianoRollView;

namespace {

// 120 QPM, 4/4: a 1/16 is 0.125 s. Track 0 has C4 E4 G4, track 1 a long C3.
core::NoteSequence song() {
    core::NoteSequence seq;
    seq.instrumentInfos = {{0, "Piano", 0, 1}, {1, "Bass", 1, 2}};
    seq.notes = {note(60, 0.0, 0.5), note(64, 0.5, 1.0), note(67, 1.0, 1.5), note(48, 0.0, 2.0, 1)};
    seq.recomputeTotalTime();
    return seq;
}

const core::Note* findPitch(const app::Document& doc, int pitch, int instrument = 0) {
    for (const core::Note& n : doc.sequence().notes)
        if (n.pitch == pitch && n.instrument == instrument) return &n;
    return nullptr;
}

app::NoteId idOfPitch(const app::Document& doc, int pitch, int instrument = 0) {
    for (size_t i = 0; i < doc.sequence().notes.size(); ++i)
        if (doc.sequence().notes[i].pitch == pitch &&
            doc.sequence().notes[i].instrument == instrument)
            return doc.noteIds()[i];
    return 0;
}

}  // namespace

class TestPianoRollEditing : public QObject {
    Q_OBJECT

private slots:
    void drawCreatesSnappedNotes() {
        test::RollFixture f(song());
        QCOMPARE(f.view()->tool(), PianoRollView::Tool::Draw);
        QCOMPARE(f.view()->currentTrack(), 0);
        test::click(f.viewport(), f.at(2.07, 62));
        const core::Note* drawn = findPitch(f.doc, 62);
        QVERIFY(drawn);
        QCOMPARE(drawn->startTime, 2.0);  // snapped down to the 1/16 it was drawn in
        QCOMPARE(drawn->endTime, 2.125);  // one grid step
        QCOMPARE(drawn->instrument, 0);
        QCOMPARE(f.undoCount(), 1);
        QCOMPARE(f.view()->selectedNotes(), app::NoteIds{idOfPitch(f.doc, 62)});

        // Dragging while drawing sets the length; the next note reuses it.
        test::drag(f.viewport(), f.at(3.01, 65), f.at(3.6, 65));
        const core::Note* longer = findPitch(f.doc, 65);
        QVERIFY(longer);
        QCOMPARE(longer->startTime, 3.0);
        QCOMPARE(longer->endTime, 3.625);
        QCOMPARE(f.undoCount(), 2);
        test::click(f.viewport(), f.at(4.3, 66));
        QCOMPARE(findPitch(f.doc, 66)->endTime - findPitch(f.doc, 66)->startTime, 0.625);
    }

    void moveIsOneUndoStep() {
        test::RollFixture f(song());
        const core::NoteSequence original = f.doc.sequence();
        const app::NoteId id = idOfPitch(f.doc, 64);
        // Drag the body of E4 (0.5-1.0) 0.26 s right and two rows up: the start snaps to 0.75.
        test::drag(f.viewport(), f.at(0.6, 64), f.at(0.86, 66));
        const core::Note* moved = f.doc.note(id);
        QCOMPARE(moved->pitch, 66);
        QCOMPARE(moved->startTime, 0.75);
        QCOMPARE(moved->endTime, 1.25);
        QCOMPARE(f.undoCount(), 1);
        f.doc.undoStack()->undo();
        QCOMPARE(f.doc.sequence(), original);

        // Alt held while dragging bypasses the grid.
        test::sendMouse(f.viewport(), QEvent::MouseButtonPress, f.at(0.6, 64), Qt::LeftButton,
                        Qt::LeftButton);
        test::sendMouse(f.viewport(), QEvent::MouseMove, f.at(0.63, 64), Qt::NoButton,
                        Qt::LeftButton, Qt::AltModifier);
        test::sendMouse(f.viewport(), QEvent::MouseMove, f.at(0.66, 64), Qt::NoButton,
                        Qt::LeftButton, Qt::AltModifier);
        test::sendMouse(f.viewport(), QEvent::MouseButtonRelease, f.at(0.66, 64), Qt::LeftButton,
                        Qt::NoButton, Qt::AltModifier);
        QVERIFY(std::abs(f.doc.note(id)->startTime - 0.56) < 0.006);

        // Alt+press on a selected note asks for an external drag and edits nothing.
        QSignalSpy dragOut(f.view(), &PianoRollView::selectionDragRequested);
        const int steps = f.undoCount();
        test::drag(f.viewport(), f.view()->viewportPosition(0.6, 64) + QPointF(2, 0), f.at(1.5, 70),
                   Qt::AltModifier);
        QCOMPARE(dragOut.count(), 1);
        QCOMPARE(f.undoCount(), steps);
    }

    void resizeByRightEdge() {
        test::RollFixture f(song());
        const app::NoteId id = idOfPitch(f.doc, 67);  // 1.0-1.5
        const QPointF edge = f.view()->viewportPosition(1.5, 67) - QPointF(2, 0);
        test::drag(f.viewport(), edge, edge + QPointF(30, 0));  // +0.3 s -> end snaps to 1.75
        QCOMPARE(f.doc.note(id)->startTime, 1.0);
        QCOMPARE(f.doc.note(id)->endTime, 1.75);
        QCOMPARE(f.undoCount(), 1);
        QVERIFY(f.doc.undoStack()->undoText().contains("Resize"));
    }

    void rubberBandDeleteAndUndo() {
        test::RollFixture f(song());
        f.view()->setTool(PianoRollView::Tool::Select);
        // From above-left of the chord to below C3: the other track's note is not selectable.
        test::drag(f.viewport(), f.at(0.2, 70), f.at(1.2, 47));
        QCOMPARE(f.view()->selectedNotes().size(), 3);
        QVERIFY(!f.view()->isSelected(idOfPitch(f.doc, 48, 1)));
        QTest::keyClick(f.view(), Qt::Key_Delete);
        QCOMPARE(f.doc.sequence().notes.size(), size_t(1));
        QVERIFY(f.view()->selectedNotes().isEmpty());
        f.doc.undoStack()->undo();
        QCOMPARE(f.doc.sequence().notes.size(), size_t(4));

        // Shift+click toggles; a plain click on empty space in Select clears.
        test::click(f.viewport(), f.at(0.2, 60));
        test::click(f.viewport(), f.at(1.2, 67), Qt::ShiftModifier);
        QCOMPARE(f.view()->selectedNotes().size(), 2);
        test::click(f.viewport(), f.at(1.2, 67), Qt::ControlModifier);
        QCOMPARE(f.view()->selectedNotes(), app::NoteIds{idOfPitch(f.doc, 60)});
        test::click(f.viewport(), f.at(3.0, 75));
        QVERIFY(f.view()->selectedNotes().isEmpty());
    }

    void transposeKeys() {
        test::RollFixture f(song());
        const app::NoteId id = idOfPitch(f.doc, 60);
        QTest::keyClick(f.view(), Qt::Key_Up);  // nothing selected: no edit
        QCOMPARE(f.undoCount(), 0);
        f.view()->setSelectedNotes({id});
        QTest::keyClick(f.view(), Qt::Key_Up);
        QCOMPARE(f.doc.note(id)->pitch, 61);
        QTest::keyClick(f.view(), Qt::Key_Up, Qt::ShiftModifier);
        QCOMPARE(f.doc.note(id)->pitch, 73);
        QTest::keyClick(f.view(), Qt::Key_Down);
        QTest::keyClick(f.view(), Qt::Key_Down, Qt::ShiftModifier);
        QCOMPARE(f.doc.note(id)->pitch, 60);
        QCOMPARE(f.undoCount(), 4);
    }

    void duplicateAfterItself() {
        test::RollFixture f(song());
        f.view()->setSelectedNotes({idOfPitch(f.doc, 60), idOfPitch(f.doc, 64)});  // 0.0-1.0
        QTest::keyClick(f.view(), Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(f.doc.sequence().notes.size(), size_t(6));
        QCOMPARE(f.undoCount(), 1);
        const app::NoteIds copies = f.view()->selectedNotes();
        QCOMPARE(copies.size(), 2);
        for (app::NoteId id : copies) {
            const core::Note* n = f.doc.note(id);
            QVERIFY(n->pitch == 60 ? n->startTime == 1.0 : n->startTime == 1.5);
        }
    }

    void quantizeToChosenGrid() {
        core::NoteSequence seq = song();
        seq.notes.push_back(note(72, 2.06, 2.49));
        seq.notes.push_back(note(74, 3.1, 3.2));
        test::RollFixture f(seq);
        auto* bar = f.panel.toolBar();
        // The chooser and the view agree both ways.
        const int quarter = bar->snapBox()->findText("1/4");
        QVERIFY(quarter >= 0);
        bar->snapBox()->setCurrentIndex(quarter);
        emit bar->snapBox()->activated(quarter);
        QCOMPARE(f.view()->snapGrid().value(), ui::SnapGrid::Value::Quarter);
        f.view()->setSnap(ui::SnapGrid::Value::Sixteenth);
        QCOMPARE(bar->snapBox()->currentText(), QString("1/16"));

        const app::NoteId a = idOfPitch(f.doc, 72);
        const app::NoteId b = idOfPitch(f.doc, 74);
        f.view()->setSelectedNotes({a, b});
        QTest::keyClick(f.view(), Qt::Key_Q);
        QCOMPARE(f.doc.note(a)->startTime, 2.0);
        QCOMPARE(f.doc.note(a)->endTime, 2.5);
        QCOMPARE(f.doc.note(b)->startTime, 3.125);  // 3.1 -> 3.125; 3.2 -> 3.25
        QCOMPARE(f.doc.note(b)->endTime, 3.25);
        QCOMPARE(f.undoCount(), 1);

        // Triplet eighths: 1/6 s apart at 120 QPM.
        f.view()->setSnap(ui::SnapGrid::Value::EighthTriplet);
        QCOMPARE(f.view()->snapGrid().snap(0.2), 1.0 / 6.0);
        f.view()->setSnap(ui::SnapGrid::Value::Off);
        QVERIFY(!f.view()->quantizeSelection());
    }

    void selectAllEscapeAndTrackSwitch() {
        test::RollFixture f(song());
        QTest::keyClick(f.view(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(f.view()->selectedNotes().size(), 3);  // the current track only
        QTest::keyClick(f.view(), Qt::Key_Escape);
        QVERIFY(f.view()->selectedNotes().isEmpty());

        // Clicking the other track's note asks to switch and edits nothing.
        QSignalSpy requested(f.view(), &PianoRollView::currentTrackRequested);
        test::click(f.viewport(), f.at(1.7, 48));
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toInt(), 1);
        QCOMPARE(f.undoCount(), 0);
        f.view()->setCurrentTrack(1);
        test::click(f.viewport(), f.at(3.0, 50));
        QVERIFY(findPitch(f.doc, 50, 1));
        // Track 0's notes are now read-only: a click on one requests a switch back.
        test::click(f.viewport(), f.at(0.2, 60));
        QCOMPARE(requested.last().first().toInt(), 0);
        QCOMPARE(f.doc.note(idOfPitch(f.doc, 60))->startTime, 0.0);
    }

    void rulerSeeksLoopsAndFollows() {
        test::RollFixture f(song());
        auto* ruler = f.view()->findChild<ui::TimeRuler*>("PianoRollRuler");
        QVERIFY(ruler);
        QSignalSpy seek(f.view(), &PianoRollView::seekRequested);
        QSignalSpy loop(f.view(), &PianoRollView::loopRangeEdited);
        const double x = f.view()->rollGeometry().xForTime(2.03) - f.view()->horizontalOffset();
        test::click(ruler, QPointF(x, 10));
        QCOMPARE(seek.count(), 1);
        QCOMPARE(seek.first().first().toDouble(), 2.0);
        QCOMPARE(f.view()->playheadSeconds(), 2.0);

        const double x1 = f.view()->rollGeometry().xForTime(1.0);
        const double x3 = f.view()->rollGeometry().xForTime(3.02);
        test::drag(ruler, QPointF(x1, 10), QPointF(x3, 10), Qt::ShiftModifier);
        QCOMPARE(loop.count(), 1);
        QCOMPARE(loop.first().at(0).toDouble(), 1.0);
        QCOMPARE(loop.first().at(1).toDouble(), 3.0);
        QVERIFY(f.view()->loopEnabled());
        QCOMPARE(seek.count(), 1);  // Shift+drag does not seek

        f.view()->setFollowPlayhead(true);
        f.view()->setPlayheadSeconds(40.0);
        const double px = f.view()->rollGeometry().xForTime(40.0);
        QVERIFY(px >= f.view()->horizontalOffset());
        QVERIFY(px <= f.view()->horizontalOffset() + f.viewport()->width());
    }

    void largeSequencePaintsOnlyVisibleNotes() {
        // Ten minutes at ~17 notes per second.
        core::NoteSequence seq;
        for (int i = 0; i < 10200; ++i) {
            const double t = i * 0.0588;
            seq.notes.push_back(note(36 + (i * 7) % 60, t, t + 0.1 + (i % 5) * 0.2));
        }
        seq.recomputeTotalTime();
        test::RollFixture f(seq);
        f.viewport()->repaint();
        QVERIFY(f.view()->lastPaintedNoteCount() > 0);
        QVERIFY2(f.view()->lastPaintedNoteCount() < 400,
                 qPrintable(QString::number(f.view()->lastPaintedNoteCount())));
        f.view()->scrollToTime(300.0);
        f.viewport()->repaint();
        QVERIFY(f.view()->lastPaintedNoteCount() > 0 && f.view()->lastPaintedNoteCount() < 400);
        // Hit-testing finds a note in the middle of the piece.
        f.view()->setTool(PianoRollView::Tool::Select);
        const core::Note& mid = seq.notes[5100];
        f.view()->scrollToTime(mid.startTime - 1.0);
        test::click(f.viewport(), f.at(mid.startTime + 0.02, mid.pitch));
        QCOMPARE(f.view()->selectedNotes().size(), 1);
        QCOMPARE(f.doc.note(f.view()->selectedNotes().first())->startTime, mid.startTime);
    }

    void realPerformanceFromDataset() {
        TOCCATA_REQUIRE_SHARED("datasets/asap");
        const QString path = test::sharedDir() + "/datasets/asap/Liszt_Sonata_Huang01.mid";
        if (!QFile::exists(path)) QSKIP("Liszt_Sonata_Huang01.mid is not in the asap folder");
        auto seq = core::readSequenceFile(path.toStdString());
        QVERIFY2(seq.ok(), seq.ok() ? "" : seq.errorMessage().c_str());
        QVERIFY(seq->notes.size() >= 10000);
        test::RollFixture f(*seq);
        f.view()->scrollToTime(seq->totalTime / 2);
        f.viewport()->repaint();
        QVERIFY(f.view()->lastPaintedNoteCount() > 0);
        QVERIFY(f.view()->lastPaintedNoteCount() < 1500);
    }
};

QTEST_MAIN(TestPianoRollEditing)
#include "TestPianoRollEditing.moc"
