// Autosave and crash recovery: autosave writes only when the document changed, the file goes
// away on a clean save, and only recovery files whose owner is gone count as orphans.
#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/Autosaver.h"
#include "app/Document.h"
#include "app/RecentFiles.h"
#include "app/RecoveryManager.h"

using namespace toccata;

class TestRecovery : public QObject {
    Q_OBJECT

private:
    static core::Note note(int pitch) {
        core::Note n;
        n.pitch = pitch;
        n.startTime = 0.0;
        n.endTime = 1.0;
        return n;
    }

    static void writeFile(const QString& path, const QByteArray& bytes) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    static constexpr qint64 kDeadPid = 2'000'000'000;  // above any Linux pid_max

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultDirectoryIsInTestLocation() {
        QVERIFY(app::RecoveryManager::defaultDirectory().contains(".qttest"));
    }

    void autosaveWritesOnlyWhenModified() {
        QTemporaryDir dir;
        app::Document doc;
        const QString file = dir.filePath("r/session.toccata-recovery");
        app::Autosaver saver(doc, file);
        QCOMPARE(saver.interval(), 60'000);
        QVERIFY(!saver.autosaveNow());  // nothing changed
        QVERIFY(!QFile::exists(file));

        doc.addNotes({note(60)});
        QVERIFY(saver.autosaveNow());
        QVERIFY(QFile::exists(file));
        QVERIFY(!saver.autosaveNow());  // unchanged since the last autosave

        doc.addNotes({note(62)});
        QVERIFY(saver.autosaveNow());
        QString error;
        QVERIFY2(doc.save(dir.filePath("saved.toccata"), &error), qPrintable(error));
        QVERIFY(!QFile::exists(file));  // clean save removes it
        QVERIFY(!saver.autosaveNow());
    }

    void autosaveTimerFires() {
        QTemporaryDir dir;
        app::Document doc;
        const QString file = dir.filePath("timer.toccata-recovery");
        app::Autosaver saver(doc, file);
        saver.setInterval(20);
        saver.start();
        doc.addNotes({note(60)});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), 2000);
    }

    void orphansNeedADeadOrMissingOwner() {
        QTemporaryDir dir;
        const QString d = dir.path();
        // Crashed session: stale lock (dead PID). Session without lock. Live session (our PID).
        writeFile(d + "/session-a.toccata-recovery", "{}");
        writeFile(d + "/session-a.lock", QByteArray::number(kDeadPid));
        writeFile(d + "/session-b.toccata-recovery", "{}");
        writeFile(d + "/session-c.toccata-recovery", "{}");
        writeFile(d + "/session-c.lock", QByteArray::number(QCoreApplication::applicationPid()));

        app::RecoveryManager manager(d);
        QVERIFY(manager.startSession());
        QVERIFY(QFile::exists(manager.lockFilePath()));
        QStringList orphans = manager.orphanedRecoveryFiles();
        orphans.sort();
        QCOMPARE(orphans, QStringList({d + "/session-a.toccata-recovery",
                                       d + "/session-b.toccata-recovery"}));
        QVERIFY(!app::RecoveryManager::isProcessRunning(kDeadPid));
        QVERIFY(app::RecoveryManager::isProcessRunning(QCoreApplication::applicationPid()));

        app::RecoveryManager::discard(d + "/session-a.toccata-recovery");
        QVERIFY(!QFile::exists(d + "/session-a.lock"));
        manager.endSession();
        QVERIFY(!QFile::exists(manager.lockFilePath()));
    }

    void restoreBringsBackUnsavedWork() {
        QTemporaryDir dir;
        app::Document crashed;
        crashed.addNotes({note(60), note(67)});
        const QString file = dir.filePath("session-x.toccata-recovery");
        app::Autosaver saver(crashed, file);
        QVERIFY(saver.autosaveNow());
        writeFile(dir.filePath("session-x.lock"), QByteArray::number(kDeadPid));

        app::RecoveryManager manager(dir.path());
        const QStringList orphans = manager.orphanedRecoveryFiles();
        QCOMPARE(orphans.size(), 1);
        app::Document doc;
        QString error;
        QVERIFY2(app::RecoveryManager::restore(orphans.first(), doc, &error), qPrintable(error));
        QCOMPARE(doc.sequence().notes, crashed.sequence().notes);
        QVERIFY(doc.isModified());  // restored work is unsaved work
        QCOMPARE(doc.undoStack()->count(), 0);
    }

    void recentFilesMostRecentFirstMaxTenExistingOnly() {
        QTemporaryDir dir;
        app::RecentFiles::clear();
        for (int i = 0; i < 12; ++i) {
            const QString path = dir.filePath(QString("f%1.mid").arg(i));
            writeFile(path, "x");
            app::RecentFiles::add(path);
        }
        QStringList list = app::RecentFiles::list();
        QCOMPARE(list.size(), 10);
        QCOMPARE(list.first(), dir.filePath("f11.mid"));
        app::RecentFiles::add(dir.filePath("f5.mid"));
        QCOMPARE(app::RecentFiles::list().first(), dir.filePath("f5.mid"));
        QFile::remove(dir.filePath("f11.mid"));
        list = app::RecentFiles::list();
        QCOMPARE(list.size(), 9);
        QVERIFY(!list.contains(dir.filePath("f11.mid")));
        app::RecentFiles::clear();
    }
};

QTEST_MAIN(TestRecovery)
#include "TestRecovery.moc"
