#include "ml/codecs/RnnCodecConfig.h"

#include "ml/codecs/KeyMelodySequenceEncoder.h"
#include "ml/codecs/LookbackEventSequenceEncoder.h"
#include "ml/codecs/MelodyOneHotEncoding.h"

namespace toccata::ml {

std::vector<std::string> RnnCodecConfig::names() {
    return {"basic_rnn", "mono_rnn",     "lookback_rnn",        "attention_rnn", "drum_kit",
            "one_drum",  "basic_improv", "chord_pitches_improv"};
}

core::Result<RnnCodecConfig> RnnCodecConfig::named(std::string_view id) {
    RnnCodecConfig c;
    c.id = std::string(id);
    if (id == "basic_rnn") return c;
    if (id == "mono_rnn") {
        c.minNote = 0;
        c.maxNote = 128;
        c.transposeToKey.reset();
        return c;
    }
    if (id == "lookback_rnn") {
        c.encoder = RnnSequenceEncoderKind::kLookback;
        c.lookbackDistances = {16, 32};
        c.binaryCounterBits = 5;
        return c;
    }
    if (id == "attention_rnn") {
        c.encoder = RnnSequenceEncoderKind::kKeyMelody;
        c.lookbackDistances = kDefaultLookbackDistances;
        c.binaryCounterBits = 7;
        return c;
    }
    if (id == "drum_kit") {
        c.track = RnnTrackKind::kDrums;
        c.encoder = RnnSequenceEncoderKind::kLookback;
        c.binaryCounterBits = 6;
        c.drumTypePitches = defaultDrumTypePitches();
        return c;
    }
    if (id == "one_drum") {
        c.track = RnnTrackKind::kDrums;
        c.stepsPerQuarter = 2;
        c.drumTypePitches = oneDrumTypePitches();
        return c;
    }
    // Improv RNN keeps each lead sheet's key (Magenta: transpose_to_key = None) and learns
    // every key from transposed copies instead, so chords in any key are in its training data.
    if (id == "basic_improv") {
        c.chords = ChordEncodingKind::kTriad;
        c.transposeToKey.reset();
        return c;
    }
    if (id == "chord_pitches_improv") {
        c.chords = ChordEncodingKind::kPitches;
        c.transposeToKey.reset();
        return c;
    }
    std::string known;
    for (const std::string& name : names()) known += (known.empty() ? "" : ", ") + name;
    return core::Error{"RnnCodecConfig: unknown config \"" + std::string(id) +
                       "\" (known: " + known + ")"};
}

core::Status RnnCodecConfig::validate() const {
    if (stepsPerQuarter < 1) {
        return core::Status::failure("RnnCodecConfig " + id + ": stepsPerQuarter must be >= 1");
    }
    for (int d : lookbackDistances) {
        if (d < 1)
            return core::Status::failure("RnnCodecConfig " + id +
                                         ": lookback distances must be >= 1");
    }
    if (binaryCounterBits < 0 || binaryCounterBits > 30) {
        return core::Status::failure("RnnCodecConfig " + id + ": binaryCounterBits must be 0..30");
    }
    if (track == RnnTrackKind::kMelody) {
        auto encoding = MelodyOneHotEncoding::create(minNote, maxNote);
        if (!encoding)
            return core::Status::failure("RnnCodecConfig " + id + ": " + encoding.errorMessage());
        if (transposeToKey && (*transposeToKey < 0 || *transposeToKey > 11)) {
            return core::Status::failure("RnnCodecConfig " + id + ": transposeToKey must be 0..11");
        }
    } else {
        auto encoding = MultiDrumOneHotEncoding::create(drumTypePitches);
        if (!encoding)
            return core::Status::failure("RnnCodecConfig " + id + ": " + encoding.errorMessage());
        if (chords)
            return core::Status::failure("RnnCodecConfig " + id + ": drum tracks take no chords");
        if (encoder == RnnSequenceEncoderKind::kKeyMelody)
            return core::Status::failure("RnnCodecConfig " + id +
                                         ": the key-melody encoding is for melodies only");
    }
    return {};
}

namespace {

template <typename Event>
std::shared_ptr<const EventSequenceEncoder<Event>> makeEncoder(
    const RnnCodecConfig& c, std::shared_ptr<const OneHotEncoding<Event>> encoding) {
    if (c.encoder == RnnSequenceEncoderKind::kLookback) {
        return std::make_shared<LookbackEventSequenceEncoder<Event>>(
            std::move(encoding), c.lookbackDistances, c.binaryCounterBits);
    }
    return std::make_shared<OneHotEventSequenceEncoder<Event>>(std::move(encoding));
}

}  // namespace

core::Result<std::shared_ptr<const EventSequenceEncoder<int>>> RnnCodecConfig::melodyEncoder()
    const {
    if (core::Status s = validate(); !s) return s.error();
    if (track != RnnTrackKind::kMelody) {
        return core::Error{"RnnCodecConfig " + id + ": not a melody config"};
    }
    if (encoder == RnnSequenceEncoderKind::kKeyMelody) {
        auto key = KeyMelodySequenceEncoder::create(minNote, maxNote, lookbackDistances,
                                                    binaryCounterBits);
        if (!key) return key.error();
        return std::shared_ptr<const EventSequenceEncoder<int>>(
            std::make_shared<KeyMelodySequenceEncoder>(std::move(*key)));
    }
    auto encoding = MelodyOneHotEncoding::create(minNote, maxNote);
    return makeEncoder<int>(*this, std::make_shared<MelodyOneHotEncoding>(*encoding));
}

core::Result<std::shared_ptr<const EventSequenceEncoder<DrumEvent>>> RnnCodecConfig::drumEncoder()
    const {
    if (core::Status s = validate(); !s) return s.error();
    if (track != RnnTrackKind::kDrums) {
        return core::Error{"RnnCodecConfig " + id + ": not a drum config"};
    }
    auto encoding = MultiDrumOneHotEncoding::create(drumTypePitches);
    return makeEncoder<DrumEvent>(*this, std::make_shared<MultiDrumOneHotEncoding>(*encoding));
}

core::Result<int> RnnCodecConfig::inputDepth() const {
    if (track == RnnTrackKind::kMelody) {
        auto encoder = melodyEncoder();
        if (!encoder) return encoder.error();
        return controlDepth() + (*encoder)->inputSize();
    }
    auto encoder = drumEncoder();
    if (!encoder) return encoder.error();
    return controlDepth() + (*encoder)->inputSize();
}

core::Result<int> RnnCodecConfig::numClasses() const {
    if (track == RnnTrackKind::kMelody) {
        auto encoder = melodyEncoder();
        if (!encoder) return encoder.error();
        return (*encoder)->numClasses();
    }
    auto encoder = drumEncoder();
    if (!encoder) return encoder.error();
    return (*encoder)->numClasses();
}

}  // namespace toccata::ml

namespace toccata::ml {
namespace {

using core::JsonValue;

const char* chordKindName(ChordEncodingKind kind) {
    switch (kind) {
        case ChordEncodingKind::kPitches: return "pitch";
        case ChordEncodingKind::kMajorMinor: return "major_minor";
        case ChordEncodingKind::kTriad: return "triad";
    }
    return "pitch";
}

/// Reads an integer field into `out` when present; false (with `error`) when it is not one.
bool optionalInt(const JsonValue& codec, const char* key, int& out, std::string& error,
                 const std::string& source) {
    const JsonValue* v = codec.find(key);
    if (!v) return true;
    if (!v->isInteger()) {
        error = source + ": codec: \"" + key + "\" must be an integer";
        return false;
    }
    out = static_cast<int>(v->asInt());
    return true;
}

}  // namespace

core::Result<RnnCodecConfig> RnnCodecConfig::fromCodecJson(const JsonValue& codec,
                                                           const std::string& configName,
                                                           bool magentaJs,
                                                           const std::string& source) {
    using R = core::Result<RnnCodecConfig>;
    if (!codec.isObject()) return R::failure(source + ": codec must be a JSON object");
    const JsonValue* encodingField = codec.find("encoding");
    const std::string encoding =
        encodingField && encodingField->isString() ? encodingField->asString() : "";
    const JsonValue* base = codec.find("config");
    const bool hasBase = !magentaJs && base && base->isString();
    RnnCodecConfig c;
    if (hasBase) {
        auto named = RnnCodecConfig::named(base->asString());
        if (!named) return R::failure(source + ": codec: " + named.errorMessage());
        c = std::move(*named);
    }
    // "encoding" fixes the track and the encoder; a named config's lookbacks and counter
    // stay, otherwise each encoding starts from Magenta's usual ones.
    if (encoding == "melody_one_hot" || encoding == "melody_lookback" || encoding == "key_melody") {
        c.track = RnnTrackKind::kMelody;
        c.encoder = encoding == "melody_one_hot"    ? RnnSequenceEncoderKind::kOneHot
                    : encoding == "melody_lookback" ? RnnSequenceEncoderKind::kLookback
                                                    : RnnSequenceEncoderKind::kKeyMelody;
        if (!hasBase && c.encoder != RnnSequenceEncoderKind::kOneHot) {
            c.lookbackDistances = kDefaultLookbackDistances;
            c.binaryCounterBits = c.encoder == RnnSequenceEncoderKind::kLookback ? 5 : 7;
        }
    } else if (encoding == "drums_one_hot" || encoding == "drums_lookback") {
        if (c.track != RnnTrackKind::kDrums) c.drumTypePitches = defaultDrumTypePitches();
        c.track = RnnTrackKind::kDrums;
        c.encoder = encoding == "drums_one_hot" ? RnnSequenceEncoderKind::kOneHot
                                                : RnnSequenceEncoderKind::kLookback;
        if (!hasBase && c.encoder == RnnSequenceEncoderKind::kLookback) c.binaryCounterBits = 6;
    } else if (!hasBase || !encoding.empty()) {
        return R::failure(source + ": codec: unknown encoding \"" + encoding +
                          "\" for a music_rnn model (melody_one_hot, melody_lookback, "
                          "key_melody, drums_one_hot, drums_lookback)");
    }
    c.id = !configName.empty() ? configName : c.id.empty() ? encoding : c.id;

    std::string error;
    int minPitch = c.minNote, maxPitch = c.maxNote - 1;
    if (!optionalInt(codec, "minPitch", minPitch, error, source) ||
        !optionalInt(codec, "maxPitch", maxPitch, error, source) ||
        !optionalInt(codec, "binaryCounterBits", c.binaryCounterBits, error, source) ||
        !optionalInt(codec, "stepsPerQuarter", c.stepsPerQuarter, error, source))
        return R::failure(error);
    c.minNote = minPitch;
    c.maxNote = maxPitch + 1;
    if (magentaJs) {
        // Magenta.js feeds [one-hot, BinaryCounter]: a lookback encoder without distances.
        c.transposeToKey.reset();
        c.lookbackDistances.clear();
        if (c.binaryCounterBits > 0) c.encoder = RnnSequenceEncoderKind::kLookback;
    }
    if (const JsonValue* key = codec.find("transposeToKey")) {
        if (key->isNull()) {
            c.transposeToKey.reset();
        } else if (key->isInteger()) {
            c.transposeToKey = static_cast<int>(key->asInt());
        } else {
            return R::failure(source + ": codec: \"transposeToKey\" must be 0..11 or null");
        }
    }
    if (const JsonValue* distances = codec.find("lookbackDistances")) {
        if (!distances->isArray())
            return R::failure(source + ": codec: \"lookbackDistances\" must be an array");
        c.lookbackDistances.clear();
        for (const JsonValue& d : distances->items()) {
            if (!d.isInteger())
                return R::failure(source + ": codec: lookback distances must be integers");
            c.lookbackDistances.push_back(static_cast<int>(d.asInt()));
        }
    }
    if (const JsonValue* chord = codec.find("chordEncoding")) {
        const std::string name = chord->isString() ? chord->asString() : "";
        if (name == "pitch")
            c.chords = ChordEncodingKind::kPitches;
        else if (name == "major_minor")
            c.chords = ChordEncodingKind::kMajorMinor;
        else if (name == "triad")
            c.chords = ChordEncodingKind::kTriad;
        else
            return R::failure(source + ": codec: unknown chordEncoding \"" + name +
                              "\" (pitch, major_minor, triad)");
    }
    if (const JsonValue* classes = codec.find("pitchClasses")) {
        if (!classes->isArray())
            return R::failure(source + ": codec: \"pitchClasses\" must be an array of arrays");
        DrumTypePitches map;
        for (const JsonValue& cls : classes->items()) {
            if (!cls.isArray())
                return R::failure(source + ": codec: \"pitchClasses\" must be an array of arrays");
            std::vector<int> pitches;
            for (const JsonValue& p : cls.items()) {
                if (!p.isInteger())
                    return R::failure(source + ": codec: drum pitches must be integers");
                pitches.push_back(static_cast<int>(p.asInt()));
            }
            map.push_back(std::move(pitches));
        }
        c.drumTypePitches = std::move(map);
    }
    if (core::Status s = c.validate(); !s) return R::failure(source + ": " + s.errorMessage());
    return c;
}

JsonValue RnnCodecConfig::toCodecJson() const {
    JsonValue out = JsonValue::object();
    const bool melody = track == RnnTrackKind::kMelody;
    const char* encoding = !melody ? (encoder == RnnSequenceEncoderKind::kOneHot ? "drums_one_hot"
                                                                                : "drums_lookback")
                           : encoder == RnnSequenceEncoderKind::kOneHot   ? "melody_one_hot"
                           : encoder == RnnSequenceEncoderKind::kLookback ? "melody_lookback"
                                                                          : "key_melody";
    out.set("encoding", encoding);
    out.set("stepsPerQuarter", stepsPerQuarter);
    if (melody) {
        out.set("minPitch", minNote);
        out.set("maxPitch", maxNote - 1);
        out.set("transposeToKey", transposeToKey ? JsonValue(*transposeToKey) : JsonValue());
    } else {
        JsonValue classes = JsonValue::array();
        for (const auto& cls : drumTypePitches) {
            JsonValue pitches = JsonValue::array();
            for (int p : cls) pitches.push(p);
            classes.push(std::move(pitches));
        }
        out.set("pitchClasses", std::move(classes));
    }
    JsonValue distances = JsonValue::array();
    for (int d : lookbackDistances) distances.push(d);
    out.set("lookbackDistances", std::move(distances));
    out.set("binaryCounterBits", binaryCounterBits);
    if (chords) out.set("chordEncoding", chordKindName(*chords));
    return out;
}

core::Result<JsonValue> RnnCodecConfig::toMagentaJsConfig(int64_t attentionLength) const {
    using R = core::Result<JsonValue>;
    const std::string why = "Magenta.js cannot run the " + id + " codec: ";
    if (encoder == RnnSequenceEncoderKind::kKeyMelody)
        return R::failure(why + "it has no key-melody encoding (attention_rnn's input)");
    if (!lookbackDistances.empty())
        return R::failure(why + "it has no lookback inputs, only a binary counter");
    if (stepsPerQuarter != 4) return R::failure(why + "it runs at 4 steps per quarter only");
    JsonValue converter = JsonValue::object();
    JsonValue args = JsonValue::object();
    if (track == RnnTrackKind::kMelody) {
        converter.set("type", "MelodyConverter");
        args.set("minPitch", minNote);
        args.set("maxPitch", maxNote - 1);
    } else {
        converter.set("type", "DrumsOneHotConverter");
        if (drumTypePitches != defaultDrumTypePitches())
            args.set("pitchClasses", *toCodecJson().find("pitchClasses"));
    }
    converter.set("args", std::move(args));
    JsonValue config = JsonValue::object();
    config.set("type", "MusicRNN");
    config.set("dataConverter", std::move(converter));
    if (attentionLength > 0) config.set("attentionLength", attentionLength);
    if (chords) {
        config.set("chordEncoder", *chords == ChordEncodingKind::kPitches      ? "PitchChordEncoder"
                                   : *chords == ChordEncodingKind::kMajorMinor ? "MajorMinorChordEncoder"
                                                                               : "TriadChordEncoder");
    }
    if (binaryCounterBits > 0) {
        JsonValue counterArgs = JsonValue::object();
        counterArgs.set("numBits", binaryCounterBits);
        JsonValue counter = JsonValue::object();
        counter.set("type", "BinaryCounter");
        counter.set("args", std::move(counterArgs));
        JsonValue aux = JsonValue::array();
        aux.push(std::move(counter));
        config.set("auxInputs", std::move(aux));
    }
    return config;
}

}  // namespace toccata::ml
