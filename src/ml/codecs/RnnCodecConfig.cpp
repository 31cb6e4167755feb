#include "ml/codecs/RnnCodecConfig.h"

#include "ml/codecs/LookbackEventSequenceEncoder.h"
#include "ml/codecs/MelodyOneHotEncoding.h"

namespace toccata::ml {

std::vector<std::string> RnnCodecConfig::names() {
    return {"basic_rnn", "mono_rnn",     "lookback_rnn",        "drum_kit",
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
    if (id == "basic_improv") {
        c.chords = ChordEncodingKind::kTriad;
        return c;
    }
    if (id == "chord_pitches_improv") {
        c.chords = ChordEncodingKind::kPitches;
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
