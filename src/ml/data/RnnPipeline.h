// The per-sequence stages of Magenta's event-RNN data pipelines (melody_rnn, drums_rnn,
// improv_rnn *_create_dataset), turning one NoteSequence into training examples:
//   TimeChangeSplitter -> Quantizer(steps per quarter) -> TranspositionPipeline (melodies)
//   -> MelodyExtractor / DrumsExtractor / lead sheets (melody + chords in force per step)
//   -> the config's squash into [minNote, maxNote) and key (as Magenta's EncoderPipeline).
// Examples keep events, not encoded vectors (RnnExampleEncoder encodes at batch time), so a
// cached dataset stays small. Statistics use Magenta's counter names. [any]
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"
#include "core/ops/MelodyExtraction.h"
#include "core/ops/PipelineStatistics.h"
#include "ml/codecs/ChordSymbol.h"
#include "ml/codecs/DrumTrack.h"
#include "ml/codecs/RnnCodecConfig.h"

namespace toccata::ml {

/// One training sequence. Melody configs: events are Magenta melody events (-2 no event,
/// -1 note off, 0..127 note on) after the squash. Drum configs: the drum one-hot class of each
/// step (sum of 2^drum class). Chord-conditioned configs: `chords[i]` indexes the chord in
/// force at step i in the dataset's chord table (already moved by the squash amount).
struct RnnExample {
    std::vector<int32_t> events;
    std::vector<uint16_t> chords;
    uint32_t file = 0;  ///< index of the source file in the dataset's file list

    bool operator==(const RnnExample&) const = default;
};

/// DrumsExtractor options (Magenta's drums pipeline: min_bars 7, max_steps 512, gap 1 bar).
struct DrumExtractorOptions {
    int minBars = 7;
    std::optional<int64_t> maxStepsTruncate = 512;
    double gapBars = 1.0;
};

struct RnnPipelineOptions {
    core::MelodyExtractorOptions melody = core::MelodyExtractorOptions::melodyRnnPipeline();
    DrumExtractorOptions drums;
    /// Semitone shifts for training copies (Magenta's transposition_range); 0 = the original.
    /// Unset: the config's default (trainingTranspositions). Never applied to drums. Lead
    /// sheets are shifted melody and chords together, after the squash.
    std::optional<std::vector<int>> transpositions;
};

/// The shifts the training side uses: options.transpositions when set, otherwise Magenta's
/// defaults — every key (-5..+6) for chord-conditioned configs that keep their key (improv's
/// transpose_to_key = None), none for the rest (melody configs move every melody to C).
std::vector<int> trainingTranspositions(const RnnCodecConfig& config,
                                        const RnnPipelineOptions& options);

/// Chords seen so far, one entry per distinct chord; examples index into it.
class ChordTable {
public:
    uint16_t indexOf(const ChordSymbol& chord);
    const std::vector<ChordSymbol>& chords() const { return m_chords; }
    void clear() { m_chords.clear(); }

private:
    std::vector<ChordSymbol> m_chords;
};

struct RnnSequenceExamples {
    std::vector<RnnExample> examples;
    core::PipelineStatistics statistics;
};

/// Runs the stages on `sequence` (unquantized, e.g. read from MIDI). `training` enables the
/// transpositions. Chord-conditioned configs read chord-symbol text annotations of the
/// sequence (see ChordInference.h for corpora that store chords as notes). Sequences that a
/// stage rejects are counted in the statistics, not errors; errors are reserved for bad
/// options or configs.
core::Result<RnnSequenceExamples> rnnExamplesFromSequence(const core::NoteSequence& sequence,
                                                          const RnnCodecConfig& config,
                                                          const RnnPipelineOptions& options,
                                                          bool training, ChordTable& chords);

/// Magenta's drums_lib.extract_drum_tracks on a quantized sequence: drum tracks one after
/// another (the next search starts on the bar line after a track), those under minBars bars
/// dropped, longer ones cut to maxStepsTruncate; counters drum_tracks_discarded_too_short,
/// drum_tracks_truncated and the histogram drum_track_lengths_in_bars.
struct DrumExtraction {
    std::vector<DrumTrack> tracks;
    core::PipelineStatistics statistics;
};
core::Result<DrumExtraction> extractDrumTracks(const core::NoteSequence& quantized,
                                               const DrumExtractorOptions& options);

}  // namespace toccata::ml

