#include "ml/data/RnnPipeline.h"

#include <algorithm>
#include <limits>

#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"
#include "core/ops/SequenceSplitting.h"
#include "ml/codecs/ChordEncodings.h"
#include "ml/codecs/MelodyTransforms.h"
#include "ml/codecs/MultiDrumOneHotEncoding.h"

namespace toccata::ml {

namespace {

constexpr const char* kDrumsTooShort = "drum_tracks_discarded_too_short";
constexpr const char* kDrumsTruncated = "drum_tracks_truncated";
constexpr const char* kDrumLengths = "drum_track_lengths_in_bars";

int64_t floorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

bool sameChord(const ChordSymbol& a, const ChordSymbol& b) {
    if (a.noChord || b.noChord) return a.noChord == b.noChord;
    return a.root == b.root && a.bass == b.bass && a.degrees == b.degrees;
}

/// The chord in force at each step of [startStep, startStep + steps), from the chord-symbol
/// annotations of a quantized sequence.
std::vector<std::pair<int64_t, ChordSymbol>> chordChanges(const core::NoteSequence& quantized,
                                                          const ChordConditioning& conditioning,
                                                          core::PipelineStatistics& stats) {
    std::vector<std::pair<int64_t, ChordSymbol>> changes;
    std::vector<float> scratch(static_cast<size_t>(conditioning.inputSize()));
    for (const core::TextAnnotation& a : quantized.textAnnotations) {
        if (a.annotationType != core::TextAnnotation::kChordSymbol) continue;
        auto chord = ChordSymbol::parse(a.text);
        if (!chord) {
            stats.increment("chord_symbols_unparsable");
            chord = ChordSymbol::parse(kNoChord);
        } else if (!conditioning.encode(*chord, scratch.data())) {
            stats.increment("chord_symbols_not_encodable");
            chord = ChordSymbol::parse(kNoChord);
        }
        changes.emplace_back(a.quantizedStep, *chord);
    }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    return changes;
}

/// Melody examples of one quantized sequence. Lead sheets (chord-conditioned configs) are
/// transposed here, melody and chords together, by each of `leadSheetShifts` (Magenta's
/// improv pipeline: every key when the config does not move them to one); plain melodies get
/// their transpositions earlier, on the whole sequence.
void addMelodyExamples(const core::NoteSequence& quantized, const RnnCodecConfig& config,
                       const RnnPipelineOptions& options, const std::vector<int>& leadSheetShifts,
                       ChordTable& chords, RnnSequenceExamples& out) {
    auto extraction = core::extractMelodies(quantized, options.melody);
    if (!extraction) {
        out.statistics.increment("sequences_discarded_bad_meter");
        return;
    }
    out.statistics.merge(extraction->statistics);
    std::vector<std::pair<int64_t, ChordSymbol>> changes;
    if (config.chords) {
        changes = chordChanges(quantized, ChordConditioning(*config.chords), out.statistics);
        if (changes.empty() && !extraction->melodies.empty()) {
            out.statistics.increment("lead_sheets_discarded_no_chords",
                                     static_cast<int64_t>(extraction->melodies.size()));
            return;
        }
    }
    const ChordSymbol noChord = *ChordSymbol::parse(kNoChord);
    for (const core::Melody& melody : extraction->melodies) {
        std::vector<int> squashed = melody.events();
        const int amount =
            squashMelody(squashed, config.minNote, config.maxNote, config.transposeToKey);
        if (!config.chords) {
            RnnExample example;
            example.events.assign(squashed.begin(), squashed.end());
            out.examples.push_back(std::move(example));
            continue;
        }
        // The chord in force at each step, before any transposition.
        std::vector<const ChordSymbol*> stepChords;
        stepChords.reserve(static_cast<size_t>(melody.size()));
        size_t next = 0;
        const ChordSymbol* current = &noChord;
        bool anyChord = false;
        for (int64_t i = 0; i < melody.size(); ++i) {
            const int64_t step = melody.startStep() + i;
            while (next < changes.size() && changes[next].first <= step)
                current = &changes[next++].second;
            anyChord = anyChord || !current->noChord;
            stepChords.push_back(current);
        }
        if (!anyChord) {
            out.statistics.increment("lead_sheets_discarded_no_chords");
            continue;
        }
        for (int shift : leadSheetShifts) {
            RnnExample example;
            std::vector<int> events = squashed;
            if (shift != 0) transposeMelody(events, shift, config.minNote, config.maxNote);
            example.events.assign(events.begin(), events.end());
            example.chords.reserve(stepChords.size());
            for (const ChordSymbol* chord : stepChords)
                example.chords.push_back(chords.indexOf(chord->transposed(amount + shift)));
            out.examples.push_back(std::move(example));
        }
        if (leadSheetShifts != std::vector<int>{0})
            out.statistics.increment("transpositions_generated",
                                     static_cast<int64_t>(leadSheetShifts.size()));
    }
}

void addDrumExamples(const core::NoteSequence& quantized, const RnnCodecConfig& config,
                     const RnnPipelineOptions& options, RnnSequenceExamples& out) {
    auto extraction = extractDrumTracks(quantized, options.drums);
    if (!extraction) {
        out.statistics.increment("sequences_discarded_bad_meter");
        return;
    }
    out.statistics.merge(extraction->statistics);
    auto encoding = MultiDrumOneHotEncoding::create(config.drumTypePitches);
    if (!encoding) return;
    for (const DrumTrack& track : extraction->tracks) {
        RnnExample example;
        example.events.reserve(track.events().size());
        for (const DrumEvent& event : track.events()) {
            auto index = encoding->encodeEvent(event);
            example.events.push_back(index ? *index : 0);
        }
        out.examples.push_back(std::move(example));
    }
}

}  // namespace

uint16_t ChordTable::indexOf(const ChordSymbol& chord) {
    for (size_t i = 0; i < m_chords.size(); ++i)
        if (sameChord(m_chords[i], chord)) return static_cast<uint16_t>(i);
    m_chords.push_back(chord);
    return static_cast<uint16_t>(m_chords.size() - 1);
}

core::Result<DrumExtraction> extractDrumTracks(const core::NoteSequence& quantized,
                                               const DrumExtractorOptions& options) {
    if (!quantized.isRelativeQuantized())
        return core::Error{"extractDrumTracks: the sequence is not quantized relative to tempo"};
    if (options.minBars < 0 || !(options.gapBars > 0.0))
        return core::Error{"extractDrumTracks: minBars must be >= 0 and gapBars > 0"};
    DrumExtraction result;
    core::PipelineStatistics& stats = result.statistics;
    stats.counters[kDrumsTooShort] = 0;
    stats.counters[kDrumsTruncated] = 0;
    const double minBars = options.minBars;
    stats.histograms.emplace(
        kDrumLengths, core::StatisticsHistogram(kDrumLengths, {0, 1, 10, 20, 30, 40, 50, 100, 200,
                                                               500, minBars, minBars + 1,
                                                               minBars - 1}));
    const bool anyDrums = std::any_of(quantized.notes.begin(), quantized.notes.end(),
                                      [](const core::Note& n) { return n.isDrum; });
    if (!anyDrums) return result;
    auto barSteps = core::stepsPerBar(quantized);
    if (!barSteps) return core::Error{"extractDrumTracks: " + barSteps.errorMessage()};
    const int64_t perBar = *barSteps;

    int64_t searchStart = 0;
    while (true) {
        auto track = DrumTrack::fromQuantizedSequence(quantized, searchStart, options.gapBars);
        if (!track) return core::Error{"extractDrumTracks: " + track.errorMessage()};
        if (track->empty()) break;
        searchStart = track->endStep() + floorMod(-track->endStep(), perBar);
        if (track->size() < perBar * options.minBars) {
            stats.increment(kDrumsTooShort);
            continue;
        }
        if (options.maxStepsTruncate && track->size() > *options.maxStepsTruncate) {
            track->setLength(*options.maxStepsTruncate);
            stats.increment(kDrumsTruncated);
        }
        stats.histograms.at(kDrumLengths).increment(static_cast<double>(track->size() / perBar));
        result.tracks.push_back(std::move(*track));
    }
    return result;
}

std::vector<int> trainingTranspositions(const RnnCodecConfig& config,
                                        const RnnPipelineOptions& options) {
    if (options.transpositions) return *options.transpositions;
    if (config.chords && !config.transposeToKey) {
        std::vector<int> everyKey;
        for (int shift = -5; shift <= 6; ++shift) everyKey.push_back(shift);
        return everyKey;
    }
    return {0};
}

core::Result<RnnSequenceExamples> rnnExamplesFromSequence(const core::NoteSequence& sequence,
                                                          const RnnCodecConfig& config,
                                                          const RnnPipelineOptions& options,
                                                          bool training, ChordTable& chords) {
    if (core::Status s = config.validate(); !s) return s.error();
    RnnSequenceExamples out;
    auto pieces = core::splitOnTimeChanges(sequence);
    if (!pieces) {
        out.statistics.increment("sequences_discarded_unsplittable");
        return out;
    }
    const bool melodies = config.track == RnnTrackKind::kMelody;
    for (const core::NoteSequence& piece : *pieces) {
        auto quantized = core::quantizeNoteSequence(piece, config.stepsPerQuarter);
        if (!quantized) {
            out.statistics.increment("sequences_discarded_quantize_failed");
            continue;
        }
        if (!melodies) {
            addDrumExamples(*quantized, config, options, out);
            continue;
        }
        const std::vector<int> shifts =
            training ? trainingTranspositions(config, options) : std::vector<int>{0};
        if (config.chords) {
            addMelodyExamples(*quantized, config, options, shifts, chords, out);
            continue;
        }
        if (shifts == std::vector<int>{0}) {  // the original only: no copies to make
            addMelodyExamples(*quantized, config, options, {0}, chords, out);
            continue;
        }
        auto batch = core::transpositionPipeline(*quantized, shifts);
        if (!batch) return batch.error();
        out.statistics.increment("transpositions_generated", batch->transpositionsGenerated);
        out.statistics.increment("skipped_due_to_range_exceeded",
                                 batch->skippedDueToRangeExceeded);
        for (const core::NoteSequence& copy : batch->sequences)
            addMelodyExamples(copy, config, options, {0}, chords, out);
    }
    return out;
}

}  // namespace toccata::ml
