// RnnCodecConfig: the encoding side of Magenta's event-RNN configs (melody_rnn, drums_rnn,
// improv_rnn): which track type, which sequence encoder, pitch range and key transposition,
// lookbacks and counters, drum map and chord conditioning. named() knows Magenta's configs:
//   basic_rnn      melody one-hot [48, 84)                          38 in / 38 out
//   mono_rnn       melody one-hot [0, 128), no key transposition   130 in / 130 out
//   lookback_rnn   lookback [16, 32] + 5 counter bits              121 in / 40 out
//   attention_rnn  key-melody encoding, lookback [16, 32], 7 bits   74 in / 40 out
//   drum_kit       9 drum classes, no lookbacks, 6 counter bits    518 in / 512 out
//   one_drum       1 drum class (hit / no hit), 8th-note grid        2 in / 2 out
//   basic_improv   triad chords (49) + melody one-hot               87 in / 38 out
//   chord_pitches_improv  pitch chords (37) + melody one-hot        75 in / 38 out
// (attention_rnn's attention length is a network setting, in the model's architecture.)
// fromModelSpec() reads the codec of a model folder: Toccata's model.json "codec" object, or
// the data converter / chord encoder / aux inputs of a Magenta.js config.json. [any]
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Json.h"
#include "core/Result.h"
#include "ml/codecs/ChordEncodings.h"
#include "ml/codecs/DrumEvent.h"
#include "ml/codecs/EventSequenceEncoder.h"
#include "ml/codecs/MultiDrumOneHotEncoding.h"

namespace toccata::ml {

enum class RnnTrackKind { kMelody, kDrums };
enum class RnnSequenceEncoderKind { kOneHot, kLookback, kKeyMelody };

struct RnnCodecConfig {
    std::string id;
    RnnTrackKind track = RnnTrackKind::kMelody;
    RnnSequenceEncoderKind encoder = RnnSequenceEncoderKind::kOneHot;
    int stepsPerQuarter = 4;

    // Melody tracks.
    int minNote = 48;
    int maxNote = 84;                       // exclusive
    std::optional<int> transposeToKey = 0;  // major key the melody is moved to; none = no move

    // Lookback encoder.
    std::vector<int> lookbackDistances;
    int binaryCounterBits = 0;

    // Drum tracks.
    DrumTypePitches drumTypePitches;

    // Chord conditioning (improv models).
    std::optional<ChordEncodingKind> chords;

    /// One of Magenta's configs by id (see the table above); errors list the known ids.
    static core::Result<RnnCodecConfig> named(std::string_view id);
    static std::vector<std::string> names();
    /// The codec of a model folder's spec (struct ModelSpec, ml/ModelSpec.h): model.json
    /// codec keys are "config" (a named config to start from), "encoding" (melody_one_hot,
    /// melody_lookback, key_melody, drums_one_hot, drums_lookback), minPitch/maxPitch
    /// (inclusive), transposeToKey (0..11 or null), lookbackDistances, binaryCounterBits,
    /// stepsPerQuarter, chordEncoding (pitch, major_minor, triad), pitchClasses (drum map).
    /// Magenta.js folders map as Magenta.js runs them: no key transposition, the BinaryCounter
    /// aux input as a lookback encoder without distances. `source` is named in errors.
    static core::Result<RnnCodecConfig> fromCodecJson(const core::JsonValue& codec,
                                                      const std::string& configName,
                                                      bool magentaJs, const std::string& source);

    /// This config as model.json "codec" keys (fromCodecJson reads it back to an equal config).
    core::JsonValue toCodecJson() const;
    /// Magenta.js config.json for a checkpoint with this codec, when Magenta.js can run it
    /// (one-hot melody or drums at 4 steps per quarter, a counter but no lookback distances;
    /// the error says what is missing). Magenta.js never transposes the primer to a key.
    /// attentionLength > 0 adds the attention length.
    core::Result<core::JsonValue> toMagentaJsConfig(int64_t attentionLength) const;

    /// Errors name the bad field (pitch range, distances, counter bits, drum map, track kind).
    core::Status validate() const;
    /// Width of the model input (chord controls included) and number of output classes.
    core::Result<int> inputDepth() const;
    core::Result<int> numClasses() const;

    /// The sequence encoder of a melody config (error for a drum config) ...
    core::Result<std::shared_ptr<const EventSequenceEncoder<int>>> melodyEncoder() const;
    /// ... and of a drum config (error for a melody config).
    core::Result<std::shared_ptr<const EventSequenceEncoder<DrumEvent>>> drumEncoder() const;
    /// Width of the chord control vector (0 without chords).
    int controlDepth() const { return chords ? ChordConditioning(*chords).inputSize() : 0; }
};

}  // namespace toccata::ml
