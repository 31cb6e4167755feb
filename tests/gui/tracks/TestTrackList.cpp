// The track list edits the document through real widget interactions: mute/solo boxes,
// renaming, add/remove, colour and instrument — each one undoable.
#include <QAction>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QMenu>
#include <QTemporaryDir>
#include <QtTest>

#include "app/Document.h"
#include "ui/MainWindow.h"
#include "ui/TrackList.h"

using namespace toccata;
using ui::TrackList;

class TestTrackList : public QObject {
    Q_OBJECT

private:
    static core::NoteSequence song() {
        core::NoteSequence seq;
        seq.instrumentInfos = {{0, "Melody", 0, 1}, {1, "Drums", 9, 2}};
        for (int i = 0; i < 4; ++i) {
            seq.notes.push_back({60 + i, 90, i * 0.5, i * 0.5 + 0.4, 0, 24, false});
            seq.notes.push_back({36, 100, i * 0.5, i * 0.5 + 0.1, 1, 0, true});
        }
        seq.recomputeTotalTime();
        return seq;
    }

    static void settle() {
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void showsTracksWithTheirSound() {
        app::Document doc;
        doc.replaceSequence(song(), "setup");
        TrackList list;
        list.setDocument(&doc);
        QCOMPARE(list.topLevelItemCount(), 2);
        QCOMPARE(list.topLevelItem(0)->text(TrackList::kInstrument), QString("25 Acoustic Guitar (nylon)"));
        QCOMPARE(list.topLevelItem(1)->text(TrackList::kInstrument), QString("Drums"));
        QCOMPARE(list.topLevelItem(1)->text(TrackList::kChannel), QString("10"));
        QCOMPARE(list.topLevelItem(0)->text(TrackList::kNotes), QString("4"));
        QCOMPARE(list.currentInstrument(), 0);
    }

    void muteSoloAndRenameAreUndoable() {
        app::Document doc;
        doc.replaceSequence(song(), "setup");
        TrackList list;
        list.setDocument(&doc);
        list.resize(700, 300);
        list.show();
        QVERIFY(QTest::qWaitForWindowExposed(&list));

        // Click the mute box of the first row, as a user would.
        QStyleOptionViewItem option;
        option.initFrom(list.viewport());
        option.rect = list.visualRect(list.model()->index(0, TrackList::kMute));
        option.features |= QStyleOptionViewItem::HasCheckIndicator;
        const QRect box =
            list.style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, &list);
        QTest::mouseClick(list.viewport(), Qt::LeftButton, {}, box.center());
        settle();
        QVERIFY(doc.trackState(0).muted);
        QCOMPARE(list.topLevelItem(0)->checkState(TrackList::kMute), Qt::Checked);

        list.topLevelItem(1)->setCheckState(TrackList::kSolo, Qt::Checked);
        settle();
        QVERIFY(doc.trackState(1).soloed);
        doc.undoStack()->undo();
        QVERIFY(!doc.trackState(1).soloed);
        QCOMPARE(list.topLevelItem(1)->checkState(TrackList::kSolo), Qt::Unchecked);

        list.topLevelItem(0)->setText(TrackList::kName, "Lead guitar");
        settle();
        QCOMPARE(doc.sequence().instrumentInfos[0].name, std::string("Lead guitar"));
        list.topLevelItem(0)->setText(TrackList::kName, "   ");  // empty names are refused
        settle();
        QCOMPARE(list.topLevelItem(0)->text(TrackList::kName), QString("Lead guitar"));
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence().instrumentInfos[0].name, std::string("Melody"));
    }

    void addRemoveColourAndInstrument() {
        QTemporaryDir dir;
        ui::MainWindow window(nullptr, dir.filePath("recovery"));
        app::Document& doc = window.document();
        doc.replaceSequence(song(), "setup");
        TrackList* list = window.trackList();

        auto* add = window.findChild<QAction*>("AddTrackAction");
        QVERIFY(add);
        add->trigger();
        QCOMPARE(list->topLevelItemCount(), 3);
        const int added = list->currentInstrument();
        QCOMPARE(QString::fromStdString(doc.sequence().instrumentInfos[2].name), QString("Track 3"));

        list->setColourPrompt([](const QColor&) { return QColor("#123456"); });
        QVERIFY(list->chooseColour(added));
        QCOMPARE(doc.trackState(added).colour, QColor("#123456"));
        QCOMPARE(list->colourOf(added), QColor("#123456"));
        list->setColourPrompt([](const QColor&) { return QColor(); });  // cancelled
        QVERIFY(!list->chooseColour(added));

        // The instrument menu of the first track: pick "Bass ▸ 34 Electric Bass (finger)".
        QMenu menu;
        list->fillInstrumentMenu(&menu, list->instrumentAt(0));
        QAction* bass = nullptr;
        for (QAction* family : menu.actions())
            if (family->menu() && family->text() == "Bass")
                for (QAction* a : family->menu()->actions())
                    if (a->text() == "34 Electric Bass (finger)") bass = a;
        QVERIFY(bass);
        QVERIFY(!bass->isChecked());
        bass->trigger();
        QCOMPARE(doc.noteTemplate(list->instrumentAt(0)).program, 33);
        QCOMPARE(list->topLevelItem(0)->text(TrackList::kInstrument), QString("34 Electric Bass (finger)"));

        auto* remove = window.findChild<QAction*>("RemoveTrackAction");
        list->setCurrentInstrument(list->instrumentAt(1));
        remove->trigger();
        QCOMPARE(list->topLevelItemCount(), 2);
        QCOMPARE(doc.sequence().notes.size(), size_t(4));
        doc.undoStack()->undo();
        QCOMPARE(doc.sequence().notes.size(), size_t(8));
    }
};

QTEST_MAIN(TestTrackList)
#include "TestTrackList.moc"
