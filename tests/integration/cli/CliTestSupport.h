// Shared by the toccata-cli integration tests: running the real binary, the MIDI fixtures the
// tests write byte by byte (with their hand-computed facts), and JSON helpers. Parsing uses
// QJsonDocument, not Toccata's own JSON code, so the checks do not share its bugs.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <algorithm>
#include <tuple>
#include <vector>

#include "SmfBuilder.h"

#ifndef TOCCATA_CLI_PATH
#error "TOCCATA_CLI_PATH must name the toccata-cli binary"
#endif

namespace toccata::test {

struct CliRun {
    bool finished = false;  // false: did not start or timed out
    int exitCode = -1;
    QString out;
    QString err;
    QString describe() const {
        return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3")
            .arg(exitCode)
            .arg(out, err);
    }
};

inline QString cliPath() { return QStringLiteral(TOCCATA_CLI_PATH); }

inline CliRun runCli(const QStringList& args, int timeoutMs = 120000) {
    QProcess process;
    process.setProgram(cliPath());
    process.setArguments(args);
    process.start();
    CliRun run;
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("could not start %1: %2").arg(cliPath(), process.errorString());
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("timed out: %1 %2").arg(cliPath(), args.join(' '));
        return run;
    }
    run.finished = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

/// Runs toccata-cli and checks its exit code; the message shows the whole output on failure.
#define TOCCATA_RUN_CLI(run, expectedExit, ...)                           \
    const toccata::test::CliRun run = toccata::test::runCli(__VA_ARGS__); \
    QVERIFY2(run.finished, qPrintable(run.describe()));                   \
    QVERIFY2(run.exitCode == (expectedExit), qPrintable(run.describe()))

inline bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

inline QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QJsonObject parseJsonObject(const QByteArray& bytes, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("not a JSON object (%1 at %2): %3")
                     .arg(parseError.errorString())
                     .arg(parseError.offset)
                     .arg(QString::fromUtf8(bytes.left(400)));
        return {};
    }
    return doc.object();
}

/// int64 fields may be numbers or (protobuf JSON style) strings.
inline qint64 asInt64(const QJsonValue& v) {
    return v.isString() ? v.toString().toLongLong() : qint64(std::llround(v.toDouble(-1)));
}

inline bool near(double a, double b, double eps = 1e-6) { return std::abs(a - b) <= eps; }

// ----- the fixtures ------------------------------------------------------------------------

/// Format 1, 480 ticks per quarter, four tracks:
///  0 conductor "Toccata Test": 120 QPM at 0, 60 QPM at tick 1920 (2.0 s); 4/4 at 0, 3/4 at
///    tick 3840 (6.0 s); E minor (1 sharp) at 0.
///  1 "Piano": channel 0 program 0, then program 4 at tick 960; sustain down at 0, up at 1920;
///    60 v100 0-480 (0-0.5 s), 64 v90 480-960 (0.5-1.0 s), 67 v80 960-2400 (1.0-3.0 s);
///    and channel 2 program 48: 72 v60 1920-2880 (2.0-4.0 s).
///  2 "Bass": channel 1 program 33, running status and note-on-velocity-0 note-offs:
///    36 v70 0-1920 (0-2.0 s), 43 v75 1920-3840 (2.0-6.0 s).
///  3 "Drums": channel 10 (9): 36 v110 0-240 (0-0.25 s), 38 v100 480-720 (0.5-0.75 s),
///    42 v90 960-1080 (1.0-1.125 s), 36 v120 4320-4440 (7.0-7.25 s).
/// 10 notes (4 drum), 7.25 s = quarter 9.25 = 3 bars (bars 0-1 in 4/4, bar 2 in 3/4).
inline QByteArray bandMidi() {
    SmfTrack conductor;
    conductor.trackName(0, "Toccata Test")
        .tempo(0, 120)
        .timeSignature(0, 4, 4)
        .keySignature(0, 1, true)
        .tempo(1920, 60)
        .timeSignature(3840, 3, 4);
    SmfTrack piano;
    piano.trackName(0, "Piano")
        .program(0, 0, 0)
        .program(0, 2, 48)
        .controlChange(0, 0, 64, 127)
        .note(0, 480, 0, 60, 100)
        .note(480, 480, 0, 64, 90)
        .program(960, 0, 4)
        .note(960, 1440, 0, 67, 80)
        .controlChange(1920, 0, 64, 0)
        .note(1920, 960, 2, 72, 60);
    SmfTrack bass;
    bass.useRunningStatus()
        .trackName(0, "Bass")
        .program(0, 1, 33)
        .note(0, 1920, 1, 36, 70, true)
        .note(1920, 1920, 1, 43, 75, true);
    SmfTrack drums;
    drums.trackName(0, "Drums")
        .note(0, 240, 9, 36, 110)
        .note(480, 240, 9, 38, 100)
        .note(960, 120, 9, 42, 90)
        .note(4320, 120, 9, 36, 120);
    return smfFile(1, 480, {conductor, piano, bass, drums});
}

/// Format 0, 96 ticks per quarter, one tempo (100 QPM = 0.6 s per quarter), 4/4, channels 0
/// and 9 in one track: 60 v90 0-96 (0-0.6 s), 62 v91 100-190 (0.625-1.1875 s) on channel 0
/// program 5; drum 38 v100 192-216 (1.2-1.35 s). Total 1.35 s.
inline QByteArray simpleMidi() {
    SmfTrack track;
    track.tempo(0, 100)
        .timeSignature(0, 4, 4)
        .program(0, 0, 5)
        .note(0, 96, 0, 60, 90)
        .note(100, 90, 0, 62, 91)
        .note(192, 24, 9, 38, 100);
    return smfFile(0, 96, {track});
}

/// A note as the tests compare them (instrument numbers may differ between files).
struct NoteFacts {
    int pitch;
    int velocity;
    double start;
    double end;
    int program;
    bool isDrum;
    bool operator<(const NoteFacts& o) const {
        return std::tie(start, pitch, isDrum, end) < std::tie(o.start, o.pitch, o.isDrum, o.end);
    }
};

inline std::vector<NoteFacts> noteFacts(const QJsonObject& sequence) {
    std::vector<NoteFacts> notes;
    for (const QJsonValue& v : sequence.value("notes").toArray()) {
        const QJsonObject n = v.toObject();
        notes.push_back({n.value("pitch").toInt(-1), n.value("velocity").toInt(0),
                         n.value("startTime").toDouble(0), n.value("endTime").toDouble(0),
                         n.value("program").toInt(0), n.value("isDrum").toBool(false)});
    }
    std::sort(notes.begin(), notes.end());
    return notes;
}

/// The first note with this pitch and drum flag, or an empty object.
inline QJsonObject findNote(const QJsonObject& sequence, int pitch, bool isDrum,
                            double startTime = -1) {
    for (const QJsonValue& v : sequence.value("notes").toArray()) {
        const QJsonObject n = v.toObject();
        if (n.value("pitch").toInt(-1) == pitch && n.value("isDrum").toBool(false) == isDrum &&
            (startTime < 0 || near(n.value("startTime").toDouble(-1), startTime)))
            return n;
    }
    return {};
}

}  // namespace toccata::test
