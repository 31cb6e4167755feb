// GenerationService: the generation worker (ARCHITECTURE.md, "Threads"). One std::jthread runs
// one request at a time; submitting a new request cancels the running one (its stop_token is
// checked by the model between decoding steps) and drops any request still waiting. Progress
// reaches the UI at most 20 times a second; results come back as values through queued
// signals, so nothing heavy ever runs on the UI thread.
// Threads: submit/cancel/isBusy are [ui]; a Job runs on [worker].
#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::app {

class GenerationService : public QObject {
    Q_OBJECT
public:
    /// [worker] Reports `done` of `total` steps; cheap to call every step.
    using Progress = std::function<void(int64_t done, int64_t total)>;
    /// [worker] The work: returns the generated variations, or an error for the user.
    using Job = std::function<core::Result<std::vector<core::NoteSequence>>(std::stop_token,
                                                                            const Progress&)>;

    explicit GenerationService(QObject* parent = nullptr);
    ~GenerationService() override;  // cancels and joins

    /// Queues `job` under a display label, cancelling whatever runs; returns its request id.
    uint64_t submit(const QString& label, Job job);
    /// Cancels the running and the waiting request (each ends with `cancelled`).
    void cancel();
    bool isBusy() const;

signals:
    void started(quint64 id, const QString& label);
    void progress(quint64 id, qint64 done, qint64 total);
    void finished(quint64 id, const std::vector<toccata::core::NoteSequence>& results);
    void failed(quint64 id, const QString& message);
    void cancelled(quint64 id);

private:
    struct Request {
        uint64_t id = 0;
        QString label;
        Job job;
    };
    void run(std::stop_token serviceStop);

    mutable std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::optional<Request> m_pending;
    std::stop_source m_currentStop;  // of the running request
    uint64_t m_runningId = 0;
    uint64_t m_nextId = 1;
    std::jthread m_thread;  // last: starts after the members above exist
};

}  // namespace toccata::app
