#include "app/GenerationService.h"

#include <QMetaObject>

#include <chrono>

namespace toccata::app {

GenerationService::GenerationService(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::vector<core::NoteSequence>>("std::vector<toccata::core::NoteSequence>");
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
}

GenerationService::~GenerationService() {
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
        m_currentStop.request_stop();
    }
    m_thread.request_stop();
    m_wake.notify_all();
    m_thread.join();
}

uint64_t GenerationService::submit(const QString& label, Job job) {
    std::optional<uint64_t> dropped;
    uint64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        if (m_pending) dropped = m_pending->id;
        m_pending = Request{id, label, std::move(job)};
        m_currentStop.request_stop();  // the newest request wins
    }
    m_wake.notify_all();
    if (dropped) emit cancelled(*dropped);
    return id;
}

void GenerationService::cancel() {
    std::optional<uint64_t> dropped;
    {
        std::lock_guard lock(m_mutex);
        if (m_pending) dropped = m_pending->id;
        m_pending.reset();
        m_currentStop.request_stop();
    }
    if (dropped) emit cancelled(*dropped);
}

bool GenerationService::isBusy() const {
    std::lock_guard lock(m_mutex);
    return m_runningId != 0 || m_pending.has_value();
}

void GenerationService::run(std::stop_token serviceStop) {
    using Clock = std::chrono::steady_clock;
    while (!serviceStop.stop_requested()) {
        Request request;
        std::stop_token stop;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, serviceStop, [this] { return m_pending.has_value(); });
            if (serviceStop.stop_requested()) return;
            request = std::move(*m_pending);
            m_pending.reset();
            m_currentStop = std::stop_source();
            stop = m_currentStop.get_token();
            m_runningId = request.id;
        }
        const quint64 id = request.id;
        QMetaObject::invokeMethod(
            this, [this, id, label = request.label] { emit started(id, label); },
            Qt::QueuedConnection);
        Clock::time_point lastReport{};
        const Progress report = [&](int64_t done, int64_t total) {
            const Clock::time_point now = Clock::now();
            if (done < total && now - lastReport < std::chrono::milliseconds(50)) return;
            lastReport = now;
            QMetaObject::invokeMethod(
                this, [this, id, done, total] { emit progress(id, done, total); },
                Qt::QueuedConnection);
        };
        auto result = request.job(stop, report);
        const bool wasCancelled = stop.stop_requested();
        {
            std::lock_guard lock(m_mutex);
            m_runningId = 0;
        }
        if (wasCancelled) {
            QMetaObject::invokeMethod(
                this, [this, id] { emit cancelled(id); }, Qt::QueuedConnection);
        } else if (!result) {
            QMetaObject::invokeMethod(
                this,
                [this, id, message = QString::fromStdString(result.errorMessage())] {
                    emit failed(id, message);
                },
                Qt::QueuedConnection);
        } else {
            QMetaObject::invokeMethod(
                this, [this, id, values = std::move(result).value()] { emit finished(id, values); },
                Qt::QueuedConnection);
        }
    }
}

}  // namespace toccata::app
