// Tiny synthetic corpora for the dataset and training tests: melodies, drum grooves and
// chord files written as real MIDI files with Toccata's SMF writer. Include before Qt headers.
#pragma once

#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/midi/MidiIO.h"

namespace toccata::test {

/// A melody of `bars` 4/4 bars at 120 QPM: eighth notes walking the C major scale from
/// `startPitch` with a pattern that varies per `variant` (so examples differ).
inline core::NoteSequence synthMelody(int bars, int startPitch = 60, int variant = 0) {
    static const int kScale[] = {0, 2, 4, 5, 7, 9, 11, 12};
    core::NoteSequence s;
    s.tempos.push_back({0.0, 120.0});
    s.timeSignatures.push_back({0.0, 4, 4});
    const double eighth = 0.25;
    for (int i = 0; i < bars * 8; ++i) {
        core::Note n;
        n.pitch = startPitch + kScale[(i * (variant + 1) + i / 8) % 8];
        n.velocity = 90;
        n.startTime = i * eighth;
        n.endTime = n.startTime + eighth * 0.9;
        s.notes.push_back(n);
    }
    s.recomputeTotalTime();
    return s;
}

/// `bars` bars of a rock beat (kick 36, snare 38, closed hat 42) on the drum channel.
inline core::NoteSequence synthDrums(int bars, int variant = 0) {
    core::NoteSequence s;
    s.tempos.push_back({0.0, 100.0});
    s.timeSignatures.push_back({0.0, 4, 4});
    const double sixteenth = 60.0 / 100.0 / 4.0;
    for (int step = 0; step < bars * 16; ++step) {
        auto hit = [&](int pitch) {
            core::Note n;
            n.pitch = pitch;
            n.velocity = 100;
            n.isDrum = true;
            n.instrument = 9;
            n.startTime = step * sixteenth;
            n.endTime = n.startTime + sixteenth / 2;
            s.notes.push_back(n);
        };
        if (step % 2 == 0) hit(42);
        if (step % 8 == 0 || (variant % 2 == 1 && step % 16 == 10)) hit(36);
        if (step % 8 == 4) hit(38);
    }
    s.recomputeTotalTime();
    return s;
}

/// Block chords, one per bar (G, D, Em, C repeating) in 4/4 at 120 QPM.
inline core::NoteSequence synthChords(int bars) {
    const std::vector<std::vector<int>> chords = {{55, 59, 62}, {50, 54, 57}, {52, 55, 59}, {48, 52, 55}};
    core::NoteSequence s;
    s.tempos.push_back({0.0, 120.0});
    s.timeSignatures.push_back({0.0, 4, 4});
    for (int bar = 0; bar < bars; ++bar) {
        for (int pitch : chords[static_cast<size_t>(bar) % chords.size()]) {
            core::Note n;
            n.pitch = pitch;
            n.startTime = bar * 2.0;
            n.endTime = bar * 2.0 + 2.0;
            s.notes.push_back(n);
        }
    }
    s.recomputeTotalTime();
    return s;
}

inline bool writeMidi(const core::NoteSequence& s, const std::string& path) {
    return static_cast<bool>(core::writeMidiFile(s, path));
}

}  // namespace toccata::test
