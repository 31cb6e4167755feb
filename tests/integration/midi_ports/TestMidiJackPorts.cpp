// MIDI ports for real: a private JACK server (dummy driver), Toccata's virtual ports, and a
// JACK client at the far end checking bytes, channels, clock, all-notes-off, input queueing,
// and a port that disappears (its client process killed) being reported by rescan().
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <algorithm>

#include "JackProbe.h"
#include "JackServer.h"
#include "midi/MidiInput.h"
#include "midi/MidiOutput.h"
#include "midi/MidiPortManager.h"

using namespace toccata::midi;
using toccata::core::Note;
using toccata::core::NoteSequence;

namespace {

bool contains(const std::vector<MidiMessage>& v, const MidiMessage& m) {
    return std::find(v.begin(), v.end(), m) != v.end();
}
ptrdiff_t indexOf(const std::vector<MidiMessage>& v, const MidiMessage& m) {
    auto it = std::find(v.begin(), v.end(), m);
    return it == v.end() ? -1 : it - v.begin();
}
template <typename F>
bool waitFor(F done, int ms = 3000) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms) return false;
        QTest::qWait(10);
    }
    return true;
}
Note note(int pitch, double start, double end, int instrument, bool drum) {
    Note n;
    n.pitch = pitch;
    n.startTime = start;
    n.endTime = end;
    n.instrument = instrument;
    n.isDrum = drum;
    n.velocity = 99;
    return n;
}

}  // namespace

class TestMidiJackPorts : public QObject {
    Q_OBJECT
    JackServer m_server;
    bool m_up = false;

private slots:
    void initTestCase() {
        const QString why = m_server.start();
        if (why == "jackd is not installed")
            QSKIP("jackd is not installed: JACK MIDI tests skipped");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        m_up = true;
    }
    void cleanupTestCase() { m_server.stop(); }

    void choosesJackWhenServerRuns() {
        QVERIFY(MidiPortManager::jackServerReachable());
        QCOMPARE(MidiPortManager::chooseApi(), MidiApi::kJack);
    }

    void withoutJackServerFallsBackToAlsaWithClearErrors() {
        const QByteArray server = qgetenv("JACK_DEFAULT_SERVER");
        qputenv("JACK_DEFAULT_SERVER", "toccata-no-such-server");
        const bool reachable = MidiPortManager::jackServerReachable();
        const MidiApi chosen = MidiPortManager::chooseApi();
        MidiPortManager jack(MidiApi::kJack);
        const auto jackScan = jack.scan();
        qputenv("JACK_DEFAULT_SERVER", server);
        QVERIFY(!reachable);
        QCOMPARE(chosen, MidiApi::kAlsa);
        QVERIFY(!jackScan.ok());
        QVERIFY2(jackScan.errorMessage().find("JACK") != std::string::npos,
                 jackScan.errorMessage().c_str());
        if (!QFile::exists("/dev/snd/seq")) {  // ALSA without a sequencer: errors, no crash
            MidiPortManager alsa(MidiApi::kAlsa);
            const auto alsaScan = alsa.scan();
            QVERIFY(!alsaScan.ok());
            QVERIFY2(alsaScan.errorMessage().find("ALSA") != std::string::npos,
                     alsaScan.errorMessage().c_str());
            MidiOutput out;
            const auto opened = out.openVirtual(kVirtualOutputName, MidiApi::kAlsa);
            QVERIFY(!opened.ok());
            QVERIFY(opened.errorMessage().find("Toccata Out") != std::string::npos);
            QVERIFY(!out.isOpen());
            QVERIFY(!out.send(noteOn(0, 60, 100)));
        }
    }

    void playsToVirtualOutputWithChannelsAndAllNotesOff() {
        JackProbe probe("toccata-probe");
        QVERIFY(probe.ok());
        MidiOutput out;
        const auto opened = out.openVirtual(kVirtualOutputName, MidiApi::kJack);
        QVERIFY2(opened.ok(), opened.errorMessage().c_str());
        const std::string port = probe.findPort("Toccata Out", JackPortIsOutput);
        QVERIFY2(!port.empty(), "no JACK port named Toccata Out");
        QVERIFY(probe.connect(port, probe.inName()));

        NoteSequence s;
        s.notes = {note(60, 0.0, 0.1, 0, false), note(36, 0.05, 0.1, 1, true),
                   note(67, 0.0, 30.0, 0, false)};
        s.notes[0].program = 5;
        s.notes[2].program = 5;
        s.recomputeTotalTime();
        QVERIFY(out.play(s, 0.0));
        QVERIFY(out.isPlaying());
        QVERIFY(waitFor([&] { return contains(probe.received(), noteOff(0, 60)); }));
        QVERIFY(out.stop());
        QVERIFY(waitFor([&] { return contains(probe.received(), allNotesOff(15)); }));
        QVERIFY(waitFor([&] { return !out.isPlaying(); }));

        const auto got = probe.received();
        QVERIFY(indexOf(got, programChange(0, 5)) >= 0);
        QVERIFY(indexOf(got, programChange(0, 5)) < indexOf(got, noteOn(0, 60, 99)));
        QVERIFY(contains(got, noteOn(0, 67, 99)));
        QVERIFY(contains(got, noteOn(9, 36, 99)));  // drums on MIDI channel 10
        QVERIFY(contains(got, noteOff(9, 36)));
        // Stop: the held note is released, then sustain off + All Notes Off on every channel.
        QVERIFY(indexOf(got, noteOff(0, 67)) >= 0);
        for (int c = 0; c < 16; ++c) {
            QVERIFY(contains(got, controlChange(c, 64, 0)));
            QVERIFY(indexOf(got, allNotesOff(c)) > indexOf(got, noteOff(0, 67)));
        }
        QVERIFY(out.lastError().empty());
        out.close();
    }

    void sendsClockWithTransport() {
        JackProbe probe("toccata-clock-probe");
        QVERIFY(probe.ok());
        MidiOutput out;
        QVERIFY(out.openVirtual("Toccata Clock", MidiApi::kJack).ok());
        QVERIFY(probe.connect(probe.findPort("Toccata Clock", JackPortIsOutput), probe.inName()));
        NoteSequence s;
        s.notes = {note(60, 0.0, 0.5, 0, false)};
        s.tempos = {{0.0, 240.0}};  // a pulse every 1/96 s
        s.recomputeTotalTime();
        QVERIFY(out.play(s, 0.0, true));
        QVERIFY(waitFor([&] { return contains(probe.received(), stopMessage()); }));
        const auto got = probe.received();
        QCOMPARE(got.front(), songPosition(0));
        QVERIFY(indexOf(got, startMessage()) == 1);
        const auto pulses = std::count(got.begin(), got.end(), timingClock());
        QCOMPARE(pulses, ptrdiff_t(49));  // 2 quarters at 240 QPM, both ends
        // Timed by the JACK clock (48 kHz): the pulses span 0.5 s, one every ~10.4 ms.
        const auto& frames = probe.receivedFrames();
        const ptrdiff_t first = indexOf(got, timingClock());
        const ptrdiff_t last = ptrdiff_t(got.size()) - 1 -
                               (std::find(got.rbegin(), got.rend(), timingClock()) - got.rbegin());
        const double span = double(frames[size_t(last)] - frames[size_t(first)]) / 48000.0;
        QVERIFY2(qAbs(span - 0.5) < 0.05, qPrintable(QString("clock span %1 s").arg(span)));
        QVERIFY(waitFor([&] { return !out.isPlaying(); }));
    }

    void playsFromMidSongWithChasedProgramsAndContinue() {
        JackProbe probe("toccata-seek-probe");
        QVERIFY(probe.ok());
        MidiOutput out;
        QVERIFY(out.openVirtual("Toccata Seek", MidiApi::kJack).ok());
        QVERIFY(probe.connect(probe.findPort("Toccata Seek", JackPortIsOutput), probe.inName()));
        NoteSequence s;
        s.notes = {note(60, 0.0, 0.2, 0, false), note(62, 0.6, 0.7, 0, false)};
        s.notes[0].program = s.notes[1].program = 7;
        s.recomputeTotalTime();
        QVERIFY(out.play(s, 0.5, true));  // 0.5 s at 120 QPM = sixteenth 4
        QVERIFY(waitFor([&] { return contains(probe.received(), stopMessage()); }));
        const auto got = probe.received();
        QCOMPARE(got.front(), programChange(0, 7));  // chased from before the start point
        QVERIFY(!contains(got, noteOn(0, 60, 99)));
        QCOMPARE(indexOf(got, songPosition(4)), ptrdiff_t(1));
        QCOMPARE(indexOf(got, continueMessage()), ptrdiff_t(2));
        QVERIFY(!contains(got, startMessage()));
        QVERIFY(indexOf(got, noteOn(0, 62, 99)) < indexOf(got, noteOff(0, 62)));
        QVERIFY(waitFor([&] { return !out.isPlaying(); }));
        QVERIFY(out.playheadSeconds() >= 0.7);
    }

    void virtualInputQueuesIncomingMessages() {
        JackProbe probe("toccata-in-probe");
        QVERIFY(probe.ok());
        MidiInput in;
        const auto opened = in.openVirtual(kVirtualInputName, MidiApi::kJack);
        QVERIFY2(opened.ok(), opened.errorMessage().c_str());
        const std::string port = probe.findPort("Toccata In", JackPortIsInput);
        QVERIFY2(!port.empty(), "no JACK port named Toccata In");
        QVERIFY(probe.connect(probe.outName(), port));
        const double before = midiNow();
        probe.send(noteOn(3, 64, 99));
        probe.send(controlChange(3, 64, 127));
        probe.send(noteOff(3, 64));
        std::vector<TimedMidiMessage> got;
        QVERIFY(waitFor([&] {
            for (const auto& m : in.drain()) got.push_back(m);
            return got.size() >= 3;
        }));
        QCOMPARE(got[0].message, noteOn(3, 64, 99));
        QCOMPARE(got[1].message, controlChange(3, 64, 127));
        QCOMPARE(got[2].message, noteOff(3, 64));
        QVERIFY(got[0].time >= before && got[2].time <= midiNow());
        QVERIFY(got[0].time <= got[1].time && got[1].time <= got[2].time);
        QCOMPARE(in.droppedCount(), uint64_t(0));
        QVERIFY(!in.connectionLost());

        // The same through a named port: Toccata connects itself to the probe's output.
        MidiInput named;
        const auto byName = named.open("toccata-in-probe:out", MidiApi::kJack);
        QVERIFY2(byName.ok(), byName.errorMessage().c_str());
        QCOMPARE(named.portName(), probe.outName());
        probe.send(pitchBend(5, -8192));
        QVERIFY(waitFor([&] {
            auto m = named.pop();
            return m && m->message == pitchBend(5, -8192);
        }));
        named.close();
    }

    void portThatDisappearsIsReported() {
        const QString dump = QStandardPaths::findExecutable("jack_midi_dump");
        if (dump.isEmpty()) QSKIP("jack_midi_dump is not installed");
        MidiPortManager ports(MidiApi::kJack);
        QVERIFY2(ports.scan().ok(), "scan failed");
        QProcess client;
        client.start(dump, {"toccata-dump"});
        QVERIFY(client.waitForStarted(3000));
        std::string name;
        QVERIFY(waitFor([&] {
            auto changes = ports.rescan();
            if (!changes) return false;
            for (const auto& p : changes->addedOutputs)
                if (p.find("toccata-dump") != std::string::npos) name = p;
            return !name.empty();
        }));
        MidiOutput out;
        const auto opened = out.open("toccata-dump", MidiApi::kJack);
        QVERIFY2(opened.ok(), opened.errorMessage().c_str());
        QCOMPARE(out.portName(), name);
        QVERIFY(ports.hasOutput(out.portName()));
        QVERIFY(out.send(noteOn(0, 60, 100)));
        QVERIFY(waitFor([&] { return out.sentCount() >= 1; }));

        client.kill();  // the far end vanishes
        QVERIFY(client.waitForFinished(3000));
        bool removed = false;
        QVERIFY(waitFor([&] {
            auto changes = ports.rescan();
            if (!changes) return false;
            const auto& r = changes->removedOutputs;
            removed = removed || std::find(r.begin(), r.end(), name) != r.end();
            return removed;
        }));
        QVERIFY(!ports.hasOutput(out.portName()));
        out.markConnectionLost("no longer listed");
        QVERIFY(out.connectionLost());
        QVERIFY(out.lastError().find(name) != std::string::npos);
        QVERIFY(out.send(noteOff(0, 60)));  // still no crash: the port just has no reader
        QVERIFY(out.stop());
        QTest::qWait(50);
        out.close();
        // Opening a port that is not there is an error naming it, not a crash.
        const auto missing = out.open("toccata-dump", MidiApi::kJack);
        QVERIFY(!missing.ok());
        QVERIFY(missing.errorMessage().find("toccata-dump") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestMidiJackPorts)
#include "TestMidiJackPorts.moc"
