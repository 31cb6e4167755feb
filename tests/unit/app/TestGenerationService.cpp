// The generation worker: results come back as values on the UI thread, a new request cancels
// the running one, errors reach the UI as messages, and progress is rate-limited.
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <thread>

#include "app/GenerationService.h"

using namespace toccata;
using app::GenerationService;

namespace {

core::NoteSequence oneNote(int pitch) {
    core::NoteSequence seq;
    seq.notes.push_back({pitch, 100, 0.0, 0.5, 0, 0, false});
    seq.recomputeTotalTime();
    return seq;
}

}  // namespace

class TestGenerationService : public QObject {
    Q_OBJECT

private slots:
    void resultsArriveOnTheUiThread() {
        GenerationService service;
        QSignalSpy finished(&service, &GenerationService::finished);
        std::atomic<bool> ranOnWorker{false};
        const QThread* ui = QThread::currentThread();
        const uint64_t id = service.submit("test", [&](std::stop_token, const auto& progress) {
            ranOnWorker = QThread::currentThread() != ui;
            progress(1, 1);
            return core::Result<std::vector<core::NoteSequence>>(
                std::vector<core::NoteSequence>{oneNote(60), oneNote(64)});
        });
        QVERIFY(finished.wait(5000));
        QVERIFY(ranOnWorker);
        QCOMPARE(finished.first().at(0).toULongLong(), id);
        const auto results = finished.first().at(1).value<std::vector<core::NoteSequence>>();
        QCOMPARE(results.size(), size_t(2));
        QCOMPARE(results[1].notes[0].pitch, 64);
        QVERIFY(!service.isBusy());
    }

    void newestRequestCancelsTheRunningOne() {
        GenerationService service;
        QSignalSpy cancelled(&service, &GenerationService::cancelled);
        QSignalSpy finished(&service, &GenerationService::finished);
        std::atomic<bool> firstStarted{false};
        const uint64_t first = service.submit("slow", [&](std::stop_token stop, const auto&) {
            firstStarted = true;
            while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return core::Result<std::vector<core::NoteSequence>>(core::Error{"stopped"});
        });
        QTRY_VERIFY_WITH_TIMEOUT(firstStarted.load(), 5000);
        QVERIFY(service.isBusy());
        const uint64_t second = service.submit("fast", [](std::stop_token, const auto&) {
            return core::Result<std::vector<core::NoteSequence>>(
                std::vector<core::NoteSequence>{oneNote(72)});
        });
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toULongLong(), second);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 5000);
        QCOMPARE(cancelled.first().at(0).toULongLong(), first);
    }

    void errorsAndProgress() {
        GenerationService service;
        QSignalSpy failed(&service, &GenerationService::failed);
        QSignalSpy progress(&service, &GenerationService::progress);
        service.submit("bad", [](std::stop_token, const auto& report) {
            for (int i = 1; i <= 100000; ++i) report(i, 100000);
            return core::Result<std::vector<core::NoteSequence>>(
                core::Error{"model folder /x: no weights_manifest.json"});
        });
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(1).toString(), QString("model folder /x: no weights_manifest.json"));
        // 100 000 steps, but only a handful of reports, the last one complete.
        QCoreApplication::processEvents();
        QVERIFY(progress.size() >= 1);
        QVERIFY2(progress.size() < 1000, qPrintable(QString::number(progress.size())));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(100000));
    }

    void cancelWithoutANewRequest() {
        GenerationService service;
        QSignalSpy cancelled(&service, &GenerationService::cancelled);
        std::atomic<bool> started{false};
        service.submit("slow", [&](std::stop_token stop, const auto&) {
            started = true;
            while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return core::Result<std::vector<core::NoteSequence>>(std::vector<core::NoteSequence>{});
        });
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 5000);
        service.cancel();
        QVERIFY(cancelled.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!service.isBusy(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestGenerationService)
#include "TestGenerationService.moc"
