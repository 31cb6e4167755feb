#include "midi/MidiRecorder.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace toccata::midi {

MidiRecorder::MidiRecorder(MidiRecorderOptions options, core::TempoMap tempo)
    : m_options(options), m_tempo(std::move(tempo)) {}

void MidiRecorder::start(double wallTime, double songTime) {
    m_recording = true;
    m_wallStart = wallTime;
    m_songStart = songTime;
    m_pedalDown = {};
    m_open = {};
    m_notes.clear();
    m_controls.clear();
}

double MidiRecorder::songTime(double wallTime) const {
    return std::max(0.0, m_songStart + (wallTime - m_wallStart));
}

int MidiRecorder::openNoteCount() const {
    int count = 0;
    for (const auto& channel : m_open)
        for (const OpenNote& n : channel) count += n.open ? 1 : 0;
    return count;
}

void MidiRecorder::closeNote(int channel, int key, double at) {
    OpenNote& open = m_open[size_t(channel)][size_t(key)];
    if (!open.open) return;
    core::Note note;
    note.pitch = key;
    note.velocity = open.velocity;
    note.startTime = open.start;
    note.endTime = std::max(open.start, at);
    note.instrument = m_options.instrument;
    note.program = m_options.program;
    note.isDrum = m_options.isDrum;
    m_notes.push_back(note);
    open = OpenNote{};
}

void MidiRecorder::process(const TimedMidiMessage& timed) {
    if (!m_recording) return;
    const MidiMessage& m = timed.message;
    if (m.status() >= 0xF0) return;
    const int channel = m.channel();
    if (m_options.channel >= 0 && channel != m_options.channel) return;
    const double t = songTime(timed.time);
    const int key = m.data1();
    if (m.isNoteOn()) {
        closeNote(channel, key, t);  // a re-struck key ends the previous note
        m_open[size_t(channel)][size_t(key)] = OpenNote{true, true, t, m.data2()};
    } else if (m.isNoteOff()) {
        OpenNote& open = m_open[size_t(channel)][size_t(key)];
        if (!open.open) return;
        if (m_options.applySustain && m_pedalDown[size_t(channel)])
            open.keyDown = false;  // the pedal holds it until release
        else
            closeNote(channel, key, t);
    } else if (m.isControlChange() && m.data1() == kSustainController) {
        const bool down = m.data2() >= 64;
        if (!m_options.applySustain) {
            core::ControlChange cc;
            cc.time = t;
            cc.controlNumber = kSustainController;
            cc.controlValue = m.data2();
            cc.instrument = m_options.instrument;
            cc.program = m_options.program;
            cc.isDrum = m_options.isDrum;
            m_controls.push_back(cc);
            return;
        }
        const bool wasDown = std::exchange(m_pedalDown[size_t(channel)], down);
        if (wasDown && !down)
            for (int k = 0; k < 128; ++k) {
                const OpenNote& open = m_open[size_t(channel)][size_t(k)];
                if (open.open && !open.keyDown) closeNote(channel, k, t);
            }
    }
}

double MidiRecorder::snapToGrid(const core::TempoMap& tempo, double seconds, int stepsPerQuarter) {
    if (stepsPerQuarter <= 0) return seconds;
    const double steps = std::round(tempo.secondsToQuarters(seconds) * stepsPerQuarter);
    return tempo.quartersToSeconds(steps / stepsPerQuarter);
}

core::NoteSequence MidiRecorder::stop(double wallTime) {
    const double end = songTime(wallTime);
    for (int c = 0; c < 16; ++c)
        for (int k = 0; k < 128; ++k) closeNote(c, k, end);
    m_recording = false;

    core::NoteSequence out;
    const int spq = m_options.stepsPerQuarter;
    for (core::Note note : m_notes) {
        if (spq > 0) {
            const double start = snapToGrid(m_tempo, note.startTime, spq);
            double stop = snapToGrid(m_tempo, note.endTime, spq);
            if (stop <= start) {  // at least one step long
                const double q = m_tempo.secondsToQuarters(start) + 1.0 / spq;
                stop = m_tempo.quartersToSeconds(q);
            }
            note.startTime = start;
            note.endTime = stop;
        }
        out.notes.push_back(note);
    }
    for (core::ControlChange cc : m_controls) {
        if (spq > 0) cc.time = snapToGrid(m_tempo, cc.time, spq);
        out.controlChanges.push_back(cc);
    }
    out.sortByTime();
    out.recomputeTotalTime();
    m_notes.clear();
    m_controls.clear();
    return out;
}

}  // namespace toccata::midi
