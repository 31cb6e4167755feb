#include "core/ops/MelodyExtraction.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "core/ops/OpsSupport.h"

namespace toccata::core {

using ops_detail::floorDiv;
using ops_detail::floorMod;
using ops_detail::number;

namespace {

const char* const kPolyphonicTracksDiscarded = "polyphonic_tracks_discarded";
const char* const kTooShort = "melodies_discarded_too_short";
const char* const kTooFewPitches = "melodies_discarded_too_few_pitches";
const char* const kTooLong = "melodies_discarded_too_long";
const char* const kTruncated = "melodies_truncated";
const char* const kLengths = "melody_lengths_in_bars";

// Longer melodies are refused rather than allocated (2^24 steps: 29 hours of 16ths at 120 QPM).
constexpr int64_t kMaxMelodySteps = int64_t{1} << 24;

}  // namespace

Result<Melody> Melody::fromEvents(std::vector<int> events, int64_t startStep, int stepsPerBar,
                                  int stepsPerQuarter) {
    if (stepsPerBar <= 0 || stepsPerQuarter <= 0) {
        return Error{"Melody::fromEvents: stepsPerBar (" + std::to_string(stepsPerBar) +
                     ") and stepsPerQuarter (" + std::to_string(stepsPerQuarter) +
                     ") must be positive"};
    }
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i] < kMinMelodyEvent || events[i] > kMaxMelodyEvent) {
            return Error{"Melody::fromEvents: event #" + std::to_string(i) + " (" +
                         std::to_string(events[i]) + ") is outside -2..127"};
        }
    }
    for (int& event : events) {  // silence before the first note is just "no event"
        if (event != kMelodyNoEvent && event != kMelodyNoteOff) break;
        event = kMelodyNoEvent;
    }
    Melody melody;
    melody.m_events = std::move(events);
    melody.m_startStep = startStep;
    melody.m_endStep = startStep + melody.size();
    melody.m_stepsPerBar = stepsPerBar;
    melody.m_stepsPerQuarter = stepsPerQuarter;
    return melody;
}

void Melody::setLength(int64_t steps) {
    steps = std::max<int64_t>(steps, 0);
    const size_t oldSize = m_events.size();
    if (static_cast<size_t>(steps) > oldSize) {
        m_events.resize(static_cast<size_t>(steps), kMelodyNoEvent);
        // Extending on the right ends a held note where the melody used to end.
        for (size_t i = oldSize; i-- > 0;) {
            if (m_events[i] == kMelodyNoteOff) break;
            if (m_events[i] != kMelodyNoEvent) {
                m_events[oldSize] = kMelodyNoteOff;
                break;
            }
        }
    } else {
        m_events.resize(static_cast<size_t>(steps));
    }
    m_endStep = m_startStep + steps;
}

void Melody::addNote(int pitch, int64_t startIndex, int64_t endIndex) {
    setLength(endIndex + 1);
    m_events[static_cast<size_t>(startIndex)] = pitch;
    m_events[static_cast<size_t>(endIndex)] = kMelodyNoteOff;
    for (int64_t i = startIndex + 1; i < endIndex; ++i) {
        m_events[static_cast<size_t>(i)] = kMelodyNoEvent;
    }
}

std::array<int, 12> Melody::noteHistogram() const {
    std::array<int, 12> histogram{};
    for (int event : m_events) {
        if (event >= 0) ++histogram[static_cast<size_t>(event % 12)];
    }
    return histogram;
}

int Melody::uniquePitchClasses() const {
    const std::array<int, 12> histogram = noteHistogram();
    return static_cast<int>(
        std::count_if(histogram.begin(), histogram.end(), [](int count) { return count > 0; }));
}

Melody::Outcome Melody::extract(const NoteSequence& quantized, int64_t searchStartStep,
                                int instrument, double gapBars, bool ignorePolyphonicNotes,
                                bool padEnd, bool filterDrums, int stepsPerBar, Melody& melody,
                                std::string& error) {
    melody = Melody{};
    melody.m_stepsPerBar = stepsPerBar;
    melody.m_stepsPerQuarter = quantized.quantizationInfo.stepsPerQuarter;

    std::vector<const Note*> notes;
    for (const Note& note : quantized.notes) {
        if (note.instrument == instrument && note.quantizedStartStep >= searchStartStep) {
            notes.push_back(&note);
        }
    }
    std::stable_sort(notes.begin(), notes.end(), [](const Note* a, const Note* b) {
        if (a->quantizedStartStep != b->quantizedStartStep) {
            return a->quantizedStartStep < b->quantizedStartStep;
        }
        return a->pitch > b->pitch;
    });
    if (notes.empty()) return Outcome::kOk;

    // The bar line (counted from the search start) at or before the first candidate note; like
    // Magenta this looks at the first note before drum/velocity filtering.
    const int64_t first = notes.front()->quantizedStartStep;
    const int64_t melodyStart = first - floorMod(first - searchStartStep, stepsPerBar);
    auto badNote = [&](const Note& note) {
        error = "Melody::fromQuantizedSequence: note (pitch " + std::to_string(note.pitch) +
                ") starts at step " + std::to_string(note.quantizedStartStep) +
                " but does not end after it (end step " + std::to_string(note.quantizedEndStep) +
                ")";
        return Outcome::kError;
    };
    auto tooLong = [&](const Note& note) {
        error = "Melody::fromQuantizedSequence: note (pitch " + std::to_string(note.pitch) +
                ") ends at step " + std::to_string(note.quantizedEndStep) +
                ", beyond the longest melody handled (" + std::to_string(kMaxMelodySteps) +
                " steps)";
        return Outcome::kError;
    };
    for (const Note* note : notes) {
        if (filterDrums && note->isDrum) continue;
        if (note->velocity == 0) continue;
        const int64_t startIndex = note->quantizedStartStep - melodyStart;
        const int64_t endIndex = note->quantizedEndStep - melodyStart;
        if (melody.m_events.empty()) {
            if (startIndex >= endIndex) return badNote(*note);
            if (endIndex >= kMaxMelodySteps) return tooLong(*note);
            melody.addNote(note->pitch, startIndex, endIndex);
            continue;
        }
        // Most recent note-on and the note-off that follows it.
        int64_t lastOn = -1;
        int64_t lastOff = melody.size();
        for (int64_t i = melody.size() - 1; i >= 0; --i) {
            if (melody[i] == kMelodyNoteOff) lastOff = i;
            if (melody[i] >= 0) {
                lastOn = i;
                break;
            }
        }
        const int64_t onDistance = startIndex - lastOn;
        const int64_t offDistance = startIndex - lastOff;
        if (onDistance == 0) {
            if (ignorePolyphonicNotes) continue;  // sorted by pitch descending: keep the highest
            melody = Melody{};
            error = "Melody::fromQuantizedSequence: polyphonic melody: two notes of instrument " +
                    std::to_string(instrument) + " start on step " +
                    std::to_string(note->quantizedStartStep);
            return Outcome::kPolyphonic;
        }
        if (onDistance < 0) {
            error =
                "Melody::fromQuantizedSequence: polyphonic melody: notes are not in "
                "ascending order";
            return Outcome::kPolyphonic;
        }
        if (static_cast<double>(offDistance) >= gapBars * stepsPerBar) break;  // a gap ends it
        if (startIndex >= endIndex) return badNote(*note);
        if (endIndex >= kMaxMelodySteps) return tooLong(*note);
        melody.addNote(note->pitch, startIndex, endIndex);
    }
    if (melody.m_events.empty()) return Outcome::kOk;

    melody.m_startStep = melodyStart;
    if (melody.m_events.back() == kMelodyNoteOff) melody.m_events.pop_back();
    int64_t length = melody.size();
    if (padEnd) length += floorMod(-length, stepsPerBar);
    melody.setLength(length);
    return Outcome::kOk;
}

Result<Melody> Melody::fromQuantizedSequence(const NoteSequence& quantized, int64_t searchStartStep,
                                             int instrument, double gapBars,
                                             bool ignorePolyphonicNotes, bool padEnd,
                                             bool filterDrums) {
    if (searchStartStep < 0) {
        return Error{"Melody::fromQuantizedSequence: searchStartStep must not be negative, got " +
                     std::to_string(searchStartStep)};
    }
    if (!(gapBars > 0.0) || !std::isfinite(gapBars)) {
        return Error{"Melody::fromQuantizedSequence: gapBars must be a positive number, got " +
                     number(gapBars)};
    }
    auto steps = core::stepsPerBar(quantized);
    if (!steps) return Error{"Melody::fromQuantizedSequence: " + steps.errorMessage()};
    Melody melody;
    std::string error;
    const Outcome outcome =
        extract(quantized, searchStartStep, instrument, gapBars, ignorePolyphonicNotes, padEnd,
                filterDrums, *steps, melody, error);
    if (outcome != Outcome::kOk) return Error{error};
    return melody;
}

Result<NoteSequence> Melody::toSequence(int velocity, int instrument, int program,
                                        double sequenceStartTime, double qpm) const {
    if (velocity < 1 || velocity > 127) {
        return Error{"Melody::toSequence: velocity must be within 1..127, got " +
                     std::to_string(velocity)};
    }
    if (program < 0 || program > 127) {
        return Error{"Melody::toSequence: program must be within 0..127, got " +
                     std::to_string(program)};
    }
    if (instrument < 0) {
        return Error{"Melody::toSequence: instrument must not be negative, got " +
                     std::to_string(instrument)};
    }
    if (!(qpm > 0.0) || !std::isfinite(qpm) || !std::isfinite(sequenceStartTime)) {
        return Error{"Melody::toSequence: qpm (" + number(qpm) + ") must be positive and " +
                     "sequenceStartTime (" + number(sequenceStartTime) + ") finite"};
    }
    const double stepSeconds = 60.0 / qpm / m_stepsPerQuarter;
    NoteSequence sequence;
    sequence.tempos.push_back(Tempo{0.0, qpm});
    sequence.ticksPerQuarter = kDefaultTicksPerQuarter;
    const double start = sequenceStartTime + static_cast<double>(m_startStep) * stepSeconds;
    auto timeOf = [&](int64_t step) { return static_cast<double>(step) * stepSeconds + start; };
    bool sounding = false;
    for (int64_t step = 0; step < size(); ++step) {
        const int event = (*this)[step];
        if (event >= 0) {
            if (sounding) sequence.notes.back().endTime = timeOf(step);
            Note note;
            note.pitch = event;
            note.velocity = velocity;
            note.startTime = timeOf(step);
            note.instrument = instrument;
            note.program = program;
            sequence.notes.push_back(note);
            sounding = true;
        } else if (event == kMelodyNoteOff && sounding) {
            sequence.notes.back().endTime = timeOf(step);
            sounding = false;
        }
    }
    if (sounding) sequence.notes.back().endTime = timeOf(size());
    if (!sequence.notes.empty()) sequence.totalTime = sequence.notes.back().endTime;
    return sequence;
}

MelodyExtractorOptions MelodyExtractorOptions::melodyRnnPipeline() {
    MelodyExtractorOptions options;
    options.minBars = 7;
    options.maxStepsTruncate = 512;
    options.minUniquePitches = 5;
    options.gapBars = 1.0;
    options.ignorePolyphonicNotes = false;
    return options;
}

Result<MelodyExtraction> extractMelodies(const NoteSequence& quantized,
                                         const MelodyExtractorOptions& options) {
    const std::string fn = "extractMelodies: ";
    if (options.searchStartStep < 0) {
        return Error{fn + "searchStartStep must not be negative, got " +
                     std::to_string(options.searchStartStep)};
    }
    if (!(options.gapBars > 0.0) || !std::isfinite(options.gapBars)) {
        return Error{fn + "gapBars must be a positive number, got " + number(options.gapBars)};
    }
    if (options.minBars < 0 || options.minUniquePitches < 0) {
        return Error{fn + "minBars (" + std::to_string(options.minBars) +
                     ") and minUniquePitches (" + std::to_string(options.minUniquePitches) +
                     ") must not be negative"};
    }
    if ((options.maxStepsTruncate && *options.maxStepsTruncate <= 0) ||
        (options.maxStepsDiscard && *options.maxStepsDiscard <= 0)) {
        return Error{fn + "maxStepsTruncate and maxStepsDiscard must be positive when set"};
    }
    if (!quantized.isRelativeQuantized()) {
        return Error{fn +
                     "the sequence is not quantized relative to tempo; quantize it with "
                     "quantizeNoteSequence first"};
    }

    MelodyExtraction result;
    PipelineStatistics& stats = result.statistics;
    for (const char* name :
         {kPolyphonicTracksDiscarded, kTooShort, kTooFewPitches, kTooLong, kTruncated}) {
        stats.counters[name] = 0;
    }
    const int minBars = options.minBars;
    stats.histograms.emplace(
        kLengths,
        StatisticsHistogram(
            kLengths, {0, 1, 10, 20, 30, 40, 50, 100, 200, 500,
                       static_cast<double>(floorDiv(minBars, 2)), static_cast<double>(minBars),
                       static_cast<double>(minBars + 1), static_cast<double>(minBars - 1)}));
    StatisticsHistogram& lengths = stats.histograms.at(kLengths);

    std::set<int> instruments;
    for (const Note& note : quantized.notes) instruments.insert(note.instrument);
    if (instruments.empty()) return result;
    auto barSteps = stepsPerBar(quantized);
    if (!barSteps) return Error{fn + barSteps.errorMessage()};
    const int stepsPerBarValue = *barSteps;

    for (int instrument : instruments) {
        int64_t searchStart = options.searchStartStep;
        while (true) {
            Melody melody;
            std::string error;
            const Melody::Outcome outcome = Melody::extract(
                quantized, searchStart, instrument, options.gapBars, options.ignorePolyphonicNotes,
                options.padEnd, options.filterDrums, stepsPerBarValue, melody, error);
            if (outcome == Melody::Outcome::kError) return Error{fn + error};
            if (outcome == Melody::Outcome::kPolyphonic) {
                stats.increment(kPolyphonicTracksDiscarded);
                break;  // on to the next instrument
            }
            // The next search starts on the next bar line at or after this melody's end.
            searchStart = melody.endStep() +
                          floorMod(options.searchStartStep - melody.endStep(), stepsPerBarValue);
            if (melody.empty()) break;

            if (melody.size() < static_cast<int64_t>(stepsPerBarValue) * minBars) {
                stats.increment(kTooShort);
                continue;
            }
            if (options.maxStepsDiscard && melody.size() > *options.maxStepsDiscard) {
                stats.increment(kTooLong);
                continue;
            }
            if (options.maxStepsTruncate && melody.size() > *options.maxStepsTruncate) {
                int64_t truncated = *options.maxStepsTruncate;
                if (options.padEnd) truncated -= floorMod(truncated, stepsPerBarValue);
                melody.setLength(truncated);
                stats.increment(kTruncated);
            }
            if (melody.uniquePitchClasses() < options.minUniquePitches) {
                stats.increment(kTooFewPitches);
                continue;
            }
            lengths.increment(static_cast<double>(floorDiv(melody.size(), stepsPerBarValue)));
            result.melodies.push_back(std::move(melody));
        }
    }
    return result;
}

}  // namespace toccata::core
