// Builders and comparisons shared by the sequence-operation tests, in the spirit of Magenta's
// note_seq.testing_lib (add_track_to_sequence & co.), so Magenta's test cases read alike.
#pragma once

#include <QString>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/NoteSequence.h"

namespace toccata::test {

struct TestNote {
    int pitch;
    int velocity;
    double start;
    double end;
};

/// A sequence with one 4/4 time signature and one tempo at 0 (Magenta's test fixture is 60 QPM).
inline core::NoteSequence fixtureSequence(double qpm = 60.0) {
    core::NoteSequence s;
    s.timeSignatures.push_back({0.0, 4, 4});
    s.tempos.push_back({0.0, qpm});
    return s;
}

/// Magenta's add_track_to_sequence: appends notes and extends totalTime.
inline void addTrack(core::NoteSequence& s, int instrument, std::initializer_list<TestNote> notes,
                     bool isDrum = false, int program = 0) {
    for (const TestNote& n : notes) {
        core::Note note;
        note.pitch = n.pitch;
        note.velocity = n.velocity;
        note.startTime = n.start;
        note.endTime = n.end;
        note.instrument = instrument;
        note.program = program;
        note.isDrum = isDrum;
        s.notes.push_back(note);
        s.totalTime = std::max(s.totalTime, n.end);
    }
}

/// (time, control number, value) triples on one instrument.
inline void addControlChanges(core::NoteSequence& s, int instrument,
                              std::initializer_list<std::tuple<double, int, int>> ccs,
                              bool isDrum = false) {
    for (const auto& [time, number, value] : ccs) {
        core::ControlChange cc;
        cc.time = time;
        cc.controlNumber = number;
        cc.controlValue = value;
        cc.instrument = instrument;
        cc.isDrum = isDrum;
        s.controlChanges.push_back(cc);
    }
}

inline void addChords(core::NoteSequence& s,
                      std::initializer_list<std::pair<const char*, double>> chords) {
    for (const auto& [text, time] : chords) {
        core::TextAnnotation ta;
        ta.time = time;
        ta.text = text;
        ta.annotationType = core::TextAnnotation::kChordSymbol;
        s.textAnnotations.push_back(ta);
    }
}

inline void addBeats(core::NoteSequence& s, std::initializer_list<double> times) {
    for (double time : times) {
        core::TextAnnotation ta;
        ta.time = time;
        ta.annotationType = core::TextAnnotation::kBeat;
        s.textAnnotations.push_back(ta);
    }
}

/// Magenta's standard one-track test fixture (60 QPM: 4 steps per quarter = 4 steps per second).
inline core::NoteSequence standardTrack() {
    core::NoteSequence s = fixtureSequence(60.0);
    addTrack(s, 0,
             {{12, 100, 0.01, 10.0},
              {11, 55, 0.22, 0.50},
              {40, 45, 2.50, 3.50},
              {55, 120, 4.0, 4.01},
              {52, 99, 4.75, 5.0}});
    return s;
}

/// Rounds every time to 1e-9 s so sums like 4.01 - 2.5 compare equal to 1.51.
inline double roundTime(double t) { return std::round(t * 1e9) / 1e9; }

inline core::NoteSequence roundedTimes(core::NoteSequence s) {
    for (core::Note& n : s.notes) {
        n.startTime = roundTime(n.startTime);
        n.endTime = roundTime(n.endTime);
    }
    for (auto& e : s.tempos) {
        e.time = roundTime(e.time);
        e.qpm = roundTime(e.qpm);
    }
    for (auto& e : s.timeSignatures) e.time = roundTime(e.time);
    for (auto& e : s.keySignatures) e.time = roundTime(e.time);
    for (auto& e : s.controlChanges) e.time = roundTime(e.time);
    for (auto& e : s.pitchBends) e.time = roundTime(e.time);
    for (auto& e : s.textAnnotations) e.time = roundTime(e.time);
    s.totalTime = roundTime(s.totalTime);
    return s;
}

/// A readable dump for failure messages.
inline std::string describe(const core::NoteSequence& s) {
    std::ostringstream out;
    out << "totalTime=" << s.totalTime << " totalQuantizedSteps=" << s.totalQuantizedSteps
        << " spq=" << s.quantizationInfo.stepsPerQuarter
        << " sps=" << s.quantizationInfo.stepsPerSecond << "\n";
    for (const auto& n : s.notes) {
        out << "  note p=" << n.pitch << " v=" << n.velocity << " [" << n.startTime << ", "
            << n.endTime << "] steps [" << n.quantizedStartStep << ", " << n.quantizedEndStep
            << "] inst=" << n.instrument << " prog=" << n.program << (n.isDrum ? " drum" : "")
            << "\n";
    }
    for (const auto& t : s.tempos) out << "  tempo " << t.qpm << " @" << t.time << "\n";
    for (const auto& t : s.timeSignatures) {
        out << "  ts " << t.numerator << "/" << t.denominator << " @" << t.time << "\n";
    }
    for (const auto& k : s.keySignatures) {
        out << "  key " << k.key << " mode " << k.mode << " @" << k.time << "\n";
    }
    for (const auto& c : s.controlChanges) {
        out << "  cc " << c.controlNumber << "=" << c.controlValue << " @" << c.time << " step "
            << c.quantizedStep << " inst=" << c.instrument << "\n";
    }
    for (const auto& p : s.pitchBends) out << "  bend " << p.bend << " @" << p.time << "\n";
    for (const auto& a : s.textAnnotations) {
        out << "  text '" << a.text << "' type " << a.annotationType << " @" << a.time << " step "
            << a.quantizedStep << "\n";
    }
    for (const auto& i : s.instrumentInfos) {
        out << "  info " << i.instrument << " '" << i.name << "'\n";
    }
    return out.str();
}

inline bool sameSequence(const core::NoteSequence& actual, const core::NoteSequence& expected) {
    return roundedTimes(actual) == roundedTimes(expected);
}

}  // namespace toccata::test

/// Compares two NoteSequences field by field (times to 1e-9 s) and prints both on failure.
#define TOCCATA_COMPARE_SEQUENCES(actual, expected)                                               \
    do {                                                                                          \
        if (!toccata::test::sameSequence((actual), (expected))) {                                 \
            QFAIL(                                                                                \
                qPrintable(QStringLiteral("sequences differ\nactual:\n%1expected:\n%2")           \
                               .arg(QString::fromStdString(toccata::test::describe(actual)),      \
                                    QString::fromStdString(toccata::test::describe(expected))))); \
        }                                                                                         \
    } while (0)

/// Fails with the error message when a Result/Status is not ok.
#define TOCCATA_VERIFY_OK(result) \
    QVERIFY2((result).ok(), (result).ok() ? "" : (result).errorMessage().c_str())
