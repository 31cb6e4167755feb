// MidiRecorder: turns a stream of timestamped note on/off and sustain-pedal messages (as
// MidiInput delivers them) into NoteSequence notes for the selected track: wall-clock times
// become song times, the pedal lengthens notes (or is kept as CC 64), times can be snapped to
// a grid, and notes still held when recording stops are closed there. Pure logic. [ui]
#pragma once

#include <array>
#include <vector>

#include "core/NoteSequence.h"
#include "core/TempoMap.h"
#include "midi/MidiMessage.h"

namespace toccata::midi {

struct MidiRecorderOptions {
    int instrument = 0;  // what the recorded notes get (the selected track's instrument)
    int program = 0;
    bool isDrum = false;
    int channel = -1;          // only messages on this channel (0..15); -1 = any channel
    int stepsPerQuarter = 0;   // quantize grid (4 = sixteenths); 0 = no quantization
    bool applySustain = true;  // pedal lengthens notes; false: keep CC 64 as control changes
};

class MidiRecorder {
public:
    explicit MidiRecorder(MidiRecorderOptions options = {}, core::TempoMap tempo = {});

    /// [ui] Starts recording: `wallTime` (midiNow() seconds) corresponds to song time
    /// `songTime`. Forgets anything recorded before.
    void start(double wallTime, double songTime = 0.0);
    /// [ui] Feeds one incoming message; others than notes and CC 64 are ignored.
    void process(const TimedMidiMessage& message);
    /// [ui] Closes held (and pedal-sustained) notes at `wallTime`, quantizes, and returns the
    /// notes (and CC 64 when !applySustain), sorted by time. The recorder is then idle.
    core::NoteSequence stop(double wallTime);

    bool isRecording() const { return m_recording; }
    /// [ui] Notes closed so far (song times, not yet quantized) - for drawing while recording.
    const std::vector<core::Note>& finishedNotes() const { return m_notes; }
    /// [ui] How many notes are currently held (key down or pedal-sustained).
    int openNoteCount() const;

    /// Snaps song time `seconds` to the nearest grid step (stepsPerQuarter > 0).
    static double snapToGrid(const core::TempoMap& tempo, double seconds, int stepsPerQuarter);

private:
    struct OpenNote {
        bool open = false;
        bool keyDown = false;  // false while only the pedal holds it
        double start = 0.0;
        int velocity = 0;
    };
    double songTime(double wallTime) const;
    void closeNote(int channel, int key, double at);

    MidiRecorderOptions m_options;
    core::TempoMap m_tempo;
    bool m_recording = false;
    double m_wallStart = 0.0;
    double m_songStart = 0.0;
    std::array<bool, 16> m_pedalDown{};
    std::array<std::array<OpenNote, 128>, 16> m_open{};
    std::vector<core::Note> m_notes;
    std::vector<core::ControlChange> m_controls;
};

}  // namespace toccata::midi
