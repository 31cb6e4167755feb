// Port name matching (exact first, then substring, as Magenta's --midi_port) and API names.
#include <QtTest>

#include "midi/MidiPortManager.h"

using namespace toccata::midi;

class TestMidiPortNames : public QObject {
    Q_OBJECT
private slots:
    void exactMatchWinsOverSubstring() {
        const std::vector<std::string> ports = {"FLUID Synth (123):Synth input port (123:0)",
                                                "Toccata:Toccata Out", "Toccata Out"};
        QCOMPARE(findPort(ports, "Toccata Out"), 2);
        QCOMPARE(findPort(ports, "FLUID Synth"), 0);
        QCOMPARE(findPort(ports, "Toccata:"), 1);
    }
    void noMatchIsMinusOne() {
        QCOMPARE(findPort({"a", "b"}, "c"), -1);
        QCOMPARE(findPort({"a"}, ""), -1);
        QCOMPARE(findPort({}, "a"), -1);
    }
    void namesApis() {
        QCOMPARE(QString(apiName(MidiApi::kJack)), QString("JACK"));
        QCOMPARE(QString(apiName(MidiApi::kAlsa)), QString("ALSA"));
        QCOMPARE(QString(kVirtualOutputName), QString("Toccata Out"));
        QCOMPARE(QString(kVirtualInputName), QString("Toccata In"));
    }
};

QTEST_APPLESS_MAIN(TestMidiPortNames)
#include "TestMidiPortNames.moc"
