// Parity with mido: every MIDI file under ../shared/datasets must give the same notes as
// tools/midi-parity/mido_notes.py (same pairing/program rules, seconds within 1e-6).
// Skips when ../shared, python3 or mido is missing. TOCCATA_PARITY_LIMIT=N checks N files only.
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryFile>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "TestSupport.h"
#include "core/midi/MidiIO.h"

using namespace toccata::core;

namespace {

constexpr double kTimeTolerance = 1e-6;
constexpr int kMaxReported = 5;

struct ParityNote {
    int pitch, velocity;
    double start, end;
    int channel, program;
    bool isDrum;
    int track;
    auto key() const { return std::tie(start, end, pitch, channel, track, velocity, program); }
    QString text() const {
        return QStringLiteral("pitch %1 vel %2 %3..%4 s ch %5 prog %6 drum %7 track %8")
            .arg(pitch)
            .arg(velocity)
            .arg(start, 0, 'f', 9)
            .arg(end, 0, 'f', 9)
            .arg(channel)
            .arg(program)
            .arg(isDrum)
            .arg(track);
    }
};

std::vector<ParityNote> ourNotes(const NoteSequence& s) {
    std::vector<ParityNote> notes;
    notes.reserve(s.notes.size());
    for (const Note& n : s.notes) {
        const InstrumentInfo& info = s.instrumentInfos.at(static_cast<size_t>(n.instrument));
        notes.push_back({n.pitch, n.velocity, n.startTime, n.endTime, info.midiChannel, n.program,
                         n.isDrum, info.midiTrack});
    }
    return notes;
}

std::vector<ParityNote> midoNotes(const QJsonArray& array) {
    std::vector<ParityNote> notes;
    notes.reserve(static_cast<size_t>(array.size()));
    for (const QJsonValue& v : array) {
        const QJsonArray a =
            v.toArray();  // fields: pitch velocity start end channel program isDrum track
        notes.push_back({a[0].toInt(), a[1].toInt(), a[2].toDouble(), a[3].toDouble(), a[4].toInt(),
                         a[5].toInt(), a[6].toBool(), a[7].toInt()});
    }
    return notes;
}

/// Empty when equal, else what differs first.
QString compareNotes(std::vector<ParityNote> ours, std::vector<ParityNote> theirs) {
    auto byKey = [](const ParityNote& a, const ParityNote& b) { return a.key() < b.key(); };
    std::sort(ours.begin(), ours.end(), byKey);
    std::sort(theirs.begin(), theirs.end(), byKey);
    if (ours.size() != theirs.size())
        return QStringLiteral("%1 notes, mido %2").arg(ours.size()).arg(theirs.size());
    for (size_t i = 0; i < ours.size(); ++i) {
        const ParityNote& a = ours[i];
        const ParityNote& b = theirs[i];
        const bool same = a.pitch == b.pitch && a.velocity == b.velocity &&
                          a.channel == b.channel && a.program == b.program &&
                          a.isDrum == b.isDrum && a.track == b.track &&
                          std::abs(a.start - b.start) <= kTimeTolerance &&
                          std::abs(a.end - b.end) <= kTimeTolerance;
        if (!same)
            return QStringLiteral("note %1: ours [%2], mido [%3]").arg(i).arg(a.text(), b.text());
    }
    return {};
}

QString findPythonWithMido() {
    QStringList candidates;
    if (!qEnvironmentVariableIsEmpty("TOCCATA_PYTHON"))
        candidates << qEnvironmentVariable("TOCCATA_PYTHON");
    candidates << "python3"
               << "/usr/bin/python3";
    for (const QString& python : candidates) {
        QProcess p;
        p.start(python, {"-c", "import mido"});
        if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return python;
    }
    return {};
}

}  // namespace

class TestMidiParity : public QObject {
    Q_OBJECT

private slots:
    void notesMatchMido() {
        TOCCATA_REQUIRE_SHARED("datasets");
        const QString python = findPythonWithMido();
        if (python.isEmpty()) QSKIP("python3 with the mido module is not available (python3-mido)");
        const QString script = toccata::test::sourceDir() + "/tools/midi-parity/mido_notes.py";
        QVERIFY2(QFile::exists(script), qPrintable(script + " is missing"));

        QStringList files;
        QDirIterator it(toccata::test::sharedDir() + "/datasets", {"*.mid", "*.midi"}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) files << it.next();
        files.sort();
        const int limit = qEnvironmentVariableIntValue("TOCCATA_PARITY_LIMIT");
        if (limit > 0 && files.size() > limit) files = files.mid(0, limit);
        if (files.isEmpty()) QSKIP("no .mid/.midi files under ../shared/datasets");

        QTemporaryFile list;
        QVERIFY(list.open());
        list.write(files.join('\n').toUtf8() + '\n');
        list.flush();

        QProcess mido;
        const int jobs = std::max(1, QThread::idealThreadCount());
        mido.start(python,
                   {script, "--files-from", list.fileName(), "--jobs", QString::number(jobs)});
        QVERIFY2(mido.waitForStarted(), qPrintable(python + ": " + mido.errorString()));

        int answered = 0, compared = 0, midoRejected = 0, bothRejected = 0;
        qint64 notes = 0;
        QStringList mismatches, midoOnlyFailures;
        auto handle = [&](const QByteArray& line) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString file = o.value("file").toString();
            ++answered;
            Result<NoteSequence> ours = readMidiFile(file.toStdString());
            if (o.contains("error")) {
                ours.ok() ? ++midoRejected : ++bothRejected;
                if (ours.ok()) midoOnlyFailures << file + ": " + o.value("error").toString();
                return;
            }
            ++compared;
            QString problem;
            if (!ours.ok()) {
                problem = QString::fromStdString(ours.errorMessage());
            } else if (ours->ticksPerQuarter != o.value("ticksPerQuarter").toInt()) {
                problem = QStringLiteral("ticks per quarter %1, mido %2")
                              .arg(ours->ticksPerQuarter)
                              .arg(o.value("ticksPerQuarter").toInt());
            } else {
                notes += static_cast<qint64>(ours->notes.size());
                problem =
                    compareNotes(ourNotes(ours.value()), midoNotes(o.value("notes").toArray()));
            }
            if (!problem.isEmpty()) mismatches << file + ": " + problem;
        };
        QByteArray errors;
        while (mido.state() != QProcess::NotRunning || mido.bytesAvailable() > 0) {
            if (!mido.canReadLine()) mido.waitForReadyRead(1000);
            errors += mido.readAllStandardError();
            while (mido.canReadLine()) handle(mido.readLine());
            if (mido.state() == QProcess::NotRunning && !mido.canReadLine()) break;
        }
        errors += mido.readAllStandardError();
        QVERIFY2(mido.exitCode() == 0 && answered == files.size(),
                 qPrintable(QStringLiteral("mido_notes.py answered %1 of %2 files (exit %3): %4")
                                .arg(answered)
                                .arg(files.size())
                                .arg(mido.exitCode())
                                .arg(QString::fromUtf8(errors.right(2000)))));

        qInfo(
            "MIDI parity with mido: %d files compared, %lld notes, %lld mismatching; "
            "%d files mido could not read (we could), %d rejected by both",
            compared, static_cast<long long>(notes), static_cast<long long>(mismatches.size()),
            midoRejected, bothRejected);
        for (const QString& f : midoOnlyFailures.mid(0, kMaxReported))
            qInfo("  mido failed: %s", qPrintable(f));
        QVERIFY(compared > 0);
        QVERIFY2(
            mismatches.isEmpty(),
            qPrintable(
                QStringLiteral("%1 files differ from mido; first ones:\n").arg(mismatches.size()) +
                mismatches.mid(0, kMaxReported).join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestMidiParity)
#include "TestMidiParity.moc"
