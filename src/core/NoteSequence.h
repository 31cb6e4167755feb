// NoteSequence: Toccata's central value type, field for field Magenta's NoteSequence proto
// (as Magenta.js's INoteSequence names them), plus the MIDI facts needed for lossless round
// trips (per-instrument channel and track). Times are seconds; quantized fields are steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace toccata::core {

inline constexpr double kDefaultQpm = 120.0;
inline constexpr int kDefaultTicksPerQuarter = 220;  // Magenta's standard PPQ when writing MIDI
inline constexpr int kDrumChannel = 9;               // MIDI channel 10, zero-based

struct Note {
    int pitch = 60;      // MIDI 0..127
    int velocity = 100;  // 1..127 (0 means "no velocity" for generated notes)
    double startTime = 0.0;
    double endTime = 0.0;
    int instrument = 0;  // index into NoteSequence::instrumentInfos when present
    int program = 0;     // GM program, zero-based
    bool isDrum = false;
    int64_t quantizedStartStep = 0;  // meaningful only when the sequence is quantized
    int64_t quantizedEndStep = 0;

    double duration() const { return endTime - startTime; }
    bool operator==(const Note&) const = default;
};

struct Tempo {
    double time = 0.0;
    double qpm = kDefaultQpm;
    bool operator==(const Tempo&) const = default;
};

struct TimeSignature {
    double time = 0.0;
    int numerator = 4;
    int denominator = 4;
    double quartersPerBar() const { return 4.0 * numerator / denominator; }
    bool operator==(const TimeSignature&) const = default;
};

struct KeySignature {
    // Magenta's KeySignature.Mode values.
    enum Mode { kMajor = 0, kMinor = 1 };
    double time = 0.0;
    int key = 0;  // pitch class of the tonic, 0 = C
    int mode = kMajor;
    bool operator==(const KeySignature&) const = default;
};

struct ControlChange {
    double time = 0.0;
    int64_t quantizedStep = 0;
    int controlNumber = 0;  // 64 = sustain pedal
    int controlValue = 0;
    int instrument = 0;
    int program = 0;
    bool isDrum = false;
    bool operator==(const ControlChange&) const = default;
};

struct PitchBend {
    double time = 0.0;
    int64_t quantizedStep = 0;
    int bend = 0;  // -8192..8191
    int instrument = 0;
    int program = 0;
    bool isDrum = false;
    bool operator==(const PitchBend&) const = default;
};

struct TextAnnotation {
    // Magenta's TextAnnotation.TextAnnotationType values.
    enum Type { kUnknown = 0, kChordSymbol = 1, kBeat = 2 };
    double time = 0.0;
    int64_t quantizedStep = 0;
    std::string text;
    int annotationType = kUnknown;
    bool operator==(const TextAnnotation&) const = default;
};

/// One instrument (Magenta: instrument_infos). Toccata keeps where it came from in the MIDI
/// file so that writing it back restores channels and track layout; -1 means "not from MIDI".
struct InstrumentInfo {
    int instrument = 0;
    std::string name;
    int midiChannel = -1;  // 0..15
    int midiTrack = -1;    // SMF track index
    bool operator==(const InstrumentInfo&) const = default;
};

struct QuantizationInfo {
    int stepsPerQuarter = 0;  // relative quantization (Magenta's default)
    int stepsPerSecond = 0;   // absolute quantization (performance models)
    bool operator==(const QuantizationInfo&) const = default;
};

struct NoteSequence {
    std::vector<Note> notes;
    std::vector<Tempo> tempos;
    std::vector<TimeSignature> timeSignatures;
    std::vector<KeySignature> keySignatures;
    std::vector<ControlChange> controlChanges;
    std::vector<PitchBend> pitchBends;
    std::vector<TextAnnotation> textAnnotations;
    std::vector<InstrumentInfo> instrumentInfos;

    double totalTime = 0.0;  // end of the last note (Magenta's definition)
    int64_t totalQuantizedSteps = 0;
    QuantizationInfo quantizationInfo;
    int ticksPerQuarter = kDefaultTicksPerQuarter;
    std::string filename;  // where it was read from, if anywhere
    std::string title;     // sequence name (SMF track-0 name)

    bool isQuantized() const { return isRelativeQuantized() || isAbsoluteQuantized(); }
    bool isRelativeQuantized() const { return quantizationInfo.stepsPerQuarter > 0; }
    bool isAbsoluteQuantized() const { return quantizationInfo.stepsPerSecond > 0; }

    /// The tempo in force at time 0 (first tempo if it is at 0, else the implicit 120).
    double initialQpm() const;
    /// The time signature in force at time 0 (4/4 when none is at 0).
    TimeSignature initialTimeSignature() const;
    /// totalTime := max note end time (0 for no notes).
    void recomputeTotalTime();
    /// Sort notes by (startTime, pitch, endTime) and the other lists by time; stable.
    void sortByTime();
    /// Name of an instrument, or "" when it has no InstrumentInfo.
    std::string instrumentName(int instrument) const;

    bool operator==(const NoteSequence&) const = default;
};

}  // namespace toccata::core
