// Test helper: a private jackd on the dummy driver (no audio hardware), started and stopped by
// the test. Clients reach it through JACK_DEFAULT_SERVER, set for this process.
#pragma once

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <jack/jack.h>

#include <string>

class JackServer {
public:
    /// Starts jackd -n <name> -d dummy; "" on success, else why not (for QSKIP/QFAIL).
    QString start() {
        const QString jackd = QStandardPaths::findExecutable("jackd");
        if (jackd.isEmpty()) return "jackd is not installed";
        m_name = QString("toccata-midi-test-%1").arg(QCoreApplication::applicationPid());
        qputenv("JACK_DEFAULT_SERVER", m_name.toLocal8Bit());
        qputenv("JACK_NO_START_SERVER", "1");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("JACK_NO_AUDIO_RESERVATION", "1");
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(jackd, {"-n", m_name, "-d", "dummy", "-r", "48000", "-p", "256"});
        if (!m_process.waitForStarted(5000)) return "jackd did not start";
        for (int i = 0; i < 100; ++i) {  // up to 10 s
            jack_status_t status;
            jack_client_t* c = jack_client_open("toccata-wait", JackNoStartServer, &status);
            if (c) {
                jack_client_close(c);
                return {};
            }
            if (m_process.state() != QProcess::Running)
                return "jackd exited: " + QString::fromLocal8Bit(m_process.readAll());
            QThread::msleep(100);
        }
        return "jackd did not come up in 10 s";
    }
    /// Stops the server by its PID (SIGTERM, then SIGKILL).
    void stop() {
        if (m_process.state() == QProcess::NotRunning) return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    ~JackServer() { stop(); }
    const QString& name() const { return m_name; }

private:
    QString m_name;
    QProcess m_process;
};
