// Monophonic melodies on a step grid, as Magenta's note_seq.melodies_lib.Melody, and
// extraction of melodies from a relative-quantized NoteSequence, as Magenta's
// melody_pipelines.extract_melodies (the MelodyExtractor stage of the Melody RNN pipeline).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/PipelineStatistics.h"
#include "core/ops/Quantization.h"

namespace toccata::core {

/// Melody events: 0..127 = note-on of that pitch (held through following kMelodyNoEvent),
/// kMelodyNoteOff = silence starts, kMelodyNoEvent = nothing changes.
inline constexpr int kMelodyNoteOff = -1;
inline constexpr int kMelodyNoEvent = -2;
inline constexpr int kMinMelodyEvent = -2;
inline constexpr int kMaxMelodyEvent = 127;

struct MelodyExtractorOptions;
struct MelodyExtraction;
Result<MelodyExtraction> extractMelodies(const NoteSequence& quantized,
                                         const MelodyExtractorOptions& options);

class Melody {
public:
    Melody() = default;

    /// Magenta's Melody(events, start_step, ...): note-offs before the first note become
    /// kMelodyNoEvent. Error for an event outside -2..127 or non-positive grid sizes.
    static Result<Melody> fromEvents(std::vector<int> events, int64_t startStep = 0,
                                     int stepsPerBar = kDefaultStepsPerBar,
                                     int stepsPerQuarter = kDefaultStepsPerQuarter);

    /// Magenta's Melody.from_quantized_sequence. Takes the notes of `instrument` starting at or
    /// after `searchStartStep`, sorted by (start step, -pitch); the melody starts on the bar
    /// line (counted from searchStartStep) at or before the first of them. Drum notes (when
    /// filterDrums) and velocity-0 notes are skipped. A note starting on the same step as the
    /// previous one is dropped (ignorePolyphonicNotes: the highest pitch wins) or makes the whole
    /// extraction fail with an error starting "polyphonic". The melody ends before the first
    /// note that starts gapBars * stepsPerBar or more steps after the last note-off; a trailing
    /// note-off is stripped; padEnd rounds the length up to whole bars. No usable note gives an
    /// empty melody. Errors: not relative-quantized, non-integer steps per bar, polyphony (see
    /// above), a note that does not end after it starts, searchStartStep < 0, gapBars <= 0.
    static Result<Melody> fromQuantizedSequence(const NoteSequence& quantized,
                                                int64_t searchStartStep = 0, int instrument = 0,
                                                double gapBars = 1.0,
                                                bool ignorePolyphonicNotes = false,
                                                bool padEnd = false, bool filterDrums = true);

    /// Magenta's Melody.to_sequence: one tempo (qpm) at 0, ticksPerQuarter 220, notes at
    /// sequenceStartTime + step * 60 / qpm / stepsPerQuarter; the end of the melody ends a held
    /// note. Errors: velocity outside 1..127, program outside 0..127, instrument < 0,
    /// qpm <= 0 or non-finite.
    Result<NoteSequence> toSequence(int velocity = 100, int instrument = 0, int program = 0,
                                    double sequenceStartTime = 0.0, double qpm = kDefaultQpm) const;

    /// Magenta's Melody.set_length (on the right): pads with kMelodyNoEvent, ending a held note
    /// with a note-off at the old end, or truncates. endStep follows.
    void setLength(int64_t steps);

    /// Pitch-class counts (C = 0 ... B = 11) over the note-on events.
    std::array<int, 12> noteHistogram() const;
    /// Number of pitch classes that occur (Magenta's min_unique_pitches test).
    int uniquePitchClasses() const;

    const std::vector<int>& events() const { return m_events; }
    int64_t size() const { return static_cast<int64_t>(m_events.size()); }
    bool empty() const { return m_events.empty(); }
    int operator[](int64_t i) const { return m_events[static_cast<size_t>(i)]; }
    /// First step, relative to the source sequence; a bar line when extracted.
    int64_t startStep() const { return m_startStep; }
    /// startStep + size() (a bar line only when padded).
    int64_t endStep() const { return m_endStep; }
    int stepsPerBar() const { return m_stepsPerBar; }
    int stepsPerQuarter() const { return m_stepsPerQuarter; }

    bool operator==(const Melody&) const = default;

private:
    enum class Outcome { kOk, kPolyphonic, kError };
    /// The body of fromQuantizedSequence; tells polyphony apart from other failures.
    static Outcome extract(const NoteSequence& quantized, int64_t searchStartStep, int instrument,
                           double gapBars, bool ignorePolyphonicNotes, bool padEnd,
                           bool filterDrums, int stepsPerBar, Melody& melody, std::string& error);
    void addNote(int pitch, int64_t startIndex, int64_t endIndex);
    friend Result<MelodyExtraction> extractMelodies(const NoteSequence&,
                                                    const MelodyExtractorOptions&);

    std::vector<int> m_events;
    int64_t m_startStep = 0;
    int64_t m_endStep = 0;
    int m_stepsPerBar = kDefaultStepsPerBar;
    int m_stepsPerQuarter = kDefaultStepsPerQuarter;
};

/// Options of extractMelodies; defaults are those of Magenta's extract_melodies function.
struct MelodyExtractorOptions {
    int64_t searchStartStep = 0;
    int minBars = 7;
    std::optional<int64_t> maxStepsTruncate;  // longer melodies are cut (to whole bars if padEnd)
    std::optional<int64_t> maxStepsDiscard;   // longer melodies are dropped
    double gapBars = 1.0;
    int minUniquePitches = 5;  // distinct pitch classes
    bool ignorePolyphonicNotes = true;
    bool padEnd = false;
    bool filterDrums = true;

    /// The stock Melody RNN pipeline's MelodyExtractor: min_bars 7, max_steps 512 (truncate),
    /// min_unique_pitches 5, gap_bars 1.0 and ignore_polyphonic_notes = false, i.e. polyphonic
    /// tracks are discarded (the book's chapter 6 says the opposite; that is erratum E5).
    static MelodyExtractorOptions melodyRnnPipeline();
};

struct MelodyExtraction {
    std::vector<Melody> melodies;
    /// Counters polyphonic_tracks_discarded, melodies_discarded_too_short,
    /// melodies_discarded_too_long, melodies_discarded_too_few_pitches, melodies_truncated and
    /// the histogram melody_lengths_in_bars, named as in Magenta.
    PipelineStatistics statistics;
};

/// Magenta's extract_melodies: for every instrument (ascending), melodies are extracted one
/// after another, the next search starting on the first bar line (counted from
/// searchStartStep) at or after the previous melody's end; a polyphonic track is abandoned
/// (ignorePolyphonicNotes = false) and counted. Melodies shorter than minBars bars, longer than
/// maxStepsDiscard, or with fewer than minUniquePitches pitch classes are counted and dropped;
/// those longer than maxStepsTruncate are cut and counted. Errors: not relative-quantized,
/// non-integer steps per bar (only when there are notes), bad options.
Result<MelodyExtraction> extractMelodies(const NoteSequence& quantized,
                                         const MelodyExtractorOptions& options = {});

}  // namespace toccata::core
